//! `term`: a glossary of wrong → right terms, all rules in one [`WordTerms`] matcher.

use std::collections::HashMap;

use super::matchers::WordTerms;
use super::{is_whole_word, match_case, Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::packs::LanguageData;
use crate::span::Span;
use serde::Deserialize;

/// The `term` kind.
pub static KIND: Kind = Kind {
    name: "term",
    category: "terminology",
    message: "\"{match}\" should be \"{replacement}\"",
    doc: include_str!("term.md"),
    sees_protected: false,
    reads_source: false,
    parse: parse_params::<TermParams>,
};

/// Compiles every `term` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(TermCheck::new(rules)?))
}

/// A `term` rule's parameters: one wrong → right pair (`variants`, `replace`) or a glossary
/// of them (`entries`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TermParams {
    pub variants: Vec<String>,
    pub replace: Option<String>,
    pub entries: Vec<TermEntry>,
    pub drop_article: Option<bool>,
    pub case_sensitive: Option<bool>,
}

/// A glossary entry inside a `term` rule with `entries`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermEntry {
    pub variants: Vec<String>,
    pub replace: String,
}

impl KindParams for TermParams {
    fn fixes(&self) -> Option<Applicability> {
        Some(Applicability::Safe)
    }

    fn glossary_terms(&self) -> usize {
        self.variants.len() + self.entries.iter().map(|e| e.variants.len()).sum::<usize>()
    }

    fn replacements(&self) -> Vec<(&'static str, &str)> {
        let one = self.replace.iter().map(|r| ("replace", r.as_str()));
        one.chain(self.entries.iter().map(|e| ("entries", e.replace.as_str())))
            .collect()
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        validate(self)
    }
}

fn validate(def: &TermParams) -> Result<(), (&'static str, String)> {
    if def.entries.is_empty() {
        if def.variants.is_empty() {
            return Err((
                "variants",
                "a term rule needs `variants` (the wrong renderings) or `entries`".into(),
            ));
        }
        if def.replace.is_none() {
            return Err(("replace", "a term rule needs `replace` (the right term)".into()));
        }
    } else if !def.variants.is_empty() || def.replace.is_some() {
        return Err((
            "entries",
            "use either `entries` or `variants` + `replace`, not both".into(),
        ));
    }
    let all = def
        .variants
        .iter()
        .chain(def.entries.iter().flat_map(|e| e.variants.iter()));
    if let Some(v) = all.into_iter().find(|v| v.trim().is_empty()) {
        return Err(("variants", format!("empty variant {v:?}")));
    }
    Ok(())
}

/// What a pattern of the automaton stands for.
#[derive(Debug, Clone)]
struct Target {
    rule: RuleIdx,
    /// Index into `replacements`.
    replacement: usize,
    /// The pattern is the right term itself: a hit consumes the text so no variant inside a
    /// correct occurrence is flagged.
    canonical: bool,
}

/// All `term` rules compiled: every wrong and right form in one matcher, with what each stands for.
pub struct TermCheck {
    automaton: WordTerms,
    targets: Vec<Target>,
    replacements: Vec<String>,
    /// Per pattern: matched only as written (a case-sensitive rule, or an entry whose wrong
    /// and right forms differ only in capitals).
    case_sensitive: Vec<bool>,
    patterns: Vec<String>,
    /// Case-sensitive patterns by their exact text.
    exact: HashMap<String, usize>,
    /// Patterns matched in any case whose lowercase text is also a case-sensitive pattern's,
    /// by that lowercase text: what a text in another case is, when the automaton reports the
    /// case-sensitive pattern for it.
    loose: HashMap<String, usize>,
    drop_article: Vec<bool>,
}

impl TermCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Result<Self, CompileError> {
        let mut patterns = Vec::new();
        let mut targets = Vec::new();
        let mut replacements = Vec::new();
        let max_rule = rules.iter().map(|(i, _)| *i).max().map_or(0, |m| m + 1);
        let mut drop_article = vec![false; max_rule];
        let mut case_sensitive = Vec::new();
        for &(rule, def) in rules {
            let def: &TermParams = def.params();
            drop_article[rule] = def.drop_article.unwrap_or(false);
            let rule_case_sensitive = def.case_sensitive.unwrap_or(false);
            let entries: Vec<(&[String], &str)> = if def.entries.is_empty() {
                vec![(&def.variants[..], def.replace.as_deref().unwrap_or(""))]
            } else {
                def.entries
                    .iter()
                    .map(|e| (&e.variants[..], e.replace.as_str()))
                    .collect()
            };
            for (variants, replace) in entries {
                let r = replacements.len();
                replacements.push(replace.to_string());
                // "Huayi lighting" → "Huayi Lighting": matched in any case, the wrong form would
                // also match the right one, so such a variant, and the right term with it, is
                // matched only as written (and, for a lowercase variant, with the capital a
                // sentence gives it).
                let case_only = |v: &str| v != replace && v.to_lowercase() == replace.to_lowercase();
                let entry_case_only = variants.iter().any(|v| case_only(v));
                for v in variants {
                    let exact = rule_case_sensitive || case_only(v);
                    let mut forms = case_forms(v);
                    if case_only(v) {
                        let sentence = super::capitalize(v);
                        if sentence != replace && !forms.contains(&sentence) {
                            forms.push(sentence);
                        }
                    }
                    for form in forms {
                        patterns.push(form);
                        case_sensitive.push(exact);
                        targets.push(Target {
                            rule,
                            replacement: r,
                            canonical: false,
                        });
                    }
                }
                if !replace.is_empty() {
                    for form in case_forms(replace) {
                        patterns.push(form);
                        case_sensitive.push(rule_case_sensitive || entry_case_only);
                        targets.push(Target {
                            rule,
                            replacement: r,
                            canonical: true,
                        });
                    }
                }
            }
        }
        let automaton = WordTerms::new(&patterns).map_err(|source| CompileError::Automaton {
            what: "term glossary",
            source,
        })?;
        let mut exact = HashMap::new();
        let mut exact_lower = std::collections::HashSet::new();
        for (i, p) in patterns.iter().enumerate() {
            if case_sensitive[i] {
                exact.entry(p.clone()).or_insert(i);
                exact_lower.insert(p.to_ascii_lowercase());
            }
        }
        let mut loose = HashMap::new();
        for (i, p) in patterns.iter().enumerate() {
            let lower = p.to_ascii_lowercase();
            if !case_sensitive[i] && exact_lower.contains(&lower) {
                loose.entry(lower).or_insert(i);
            }
        }
        Ok(TermCheck {
            automaton,
            exact,
            loose,
            targets,
            replacements,
            case_sensitive,
            patterns,
            drop_article,
        })
    }
}

/// The forms to put in the automaton: the term as written, and, where it has non-ASCII
/// letters (which the automaton matches case-sensitively), its capitalised and lowercase forms.
fn case_forms(term: &str) -> Vec<String> {
    let mut forms = vec![term.to_string()];
    if !term.is_ascii() {
        for f in [super::capitalize(term), term.to_lowercase()] {
            if !forms.contains(&f) {
                forms.push(f);
            }
        }
    }
    forms
}

impl Check for TermCheck {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        let text = &doc.text;
        let language = crate::packs::language_data(&doc.language);
        let mut pos = 0;
        let mut matches = self.automaton.find_iter(text);
        while let Some(m) = matches.find_from(pos) {
            // A match that is turned down (a longer variant in the wrong case, part of a word,
            // an inactive rule) must not hide a shorter one inside it: "national Love Eyes
            // Day" is not "National Love Eyes Day" but holds "Love Eyes Day". So search again
            // from the next character; a taken match (or a correct term) consumes its text.
            pos = m.end();
            let retry = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
            let span = Span::new(m.start(), m.end());
            let matched = span.text(text);
            let p = m.pattern().as_usize();
            let mut t = &self.targets[p];
            // The automaton ignores ASCII case, so of patterns differing only in case it
            // reports one: for a case-sensitive pattern, the exact text is looked up among all
            // of them, then the patterns matched in any case.
            if self.case_sensitive[p] && matched != self.patterns[p] {
                let found = self
                    .exact
                    .get(matched)
                    .or_else(|| self.loose.get(&matched.to_ascii_lowercase()));
                match found {
                    Some(&j) => t = &self.targets[j],
                    None => {
                        pos = retry;
                        continue;
                    }
                }
            }
            if t.canonical {
                // Only a whole word is the correct term: "party buildings" holds no "Party building".
                if !is_whole_word(text, span) {
                    pos = retry;
                }
                continue;
            }
            if !sink.is_active(t.rule) || !is_whole_word(text, span) {
                pos = retry;
                continue;
            }
            let replace = &self.replacements[t.replacement];
            // A name rendered as words ("the old town" for Guzhen) is not meant when the words
            // name another place: "the old town of Lijiang".
            if self.drop_article[t.rule] && names_another(text, span.end, replace) {
                continue;
            }
            let mut start = span.start;
            let mut end = span.end;
            let mut case_source = matched;
            if self.drop_article[t.rule] {
                if let Some(a) = article_before(language, text, span.start) {
                    start = a;
                    case_source = &text[a..span.end];
                }
                // "the ancient town of Guzhen" says Guzhen once.
                if let Some(e) = apposition_after(text, span.end, replace) {
                    end = e;
                }
            }
            let mut replacement = match_case(case_source, replace);
            if start == span.start
                && !doc.starts_sentence(start)
                && case_source.chars().next().is_some_and(char::is_uppercase)
            {
                // Mid-sentence capitals are part of a name, not sentence case: keep the term's own.
                replacement = replace.clone();
            }
            let full = Span::new(start, end);
            if replacement == full.text(text) {
                // Already right (a form the casing rules above bring back to itself).
                continue;
            }
            let edit = Edit::replace(full, replacement);
            sink.fix(t.rule, full, &[], vec![edit], Applicability::Safe);
        }
    }
}

/// Start of a whole-word article of the language ("the ", "The ") right before `pos`.
pub(super) fn article_before(language: &LanguageData, text: &str, pos: usize) -> Option<usize> {
    let head = text[..pos].strip_suffix(' ')?;
    let word_start = head
        .rfind(|c: char| !c.is_alphabetic())
        .map_or(0, |i| i + head[i..].chars().next().map_or(1, char::len_utf8));
    let word = &head[word_start..];
    language.is_article(word).then_some(word_start)
}

/// True when " of <Name>" follows `pos` and the name is not `replace`.
fn names_another(text: &str, pos: usize, replace: &str) -> bool {
    let Some(rest) = text[pos..].strip_prefix(" of ") else {
        return false;
    };
    rest.starts_with(char::is_uppercase)
        && !rest
            .get(..replace.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(replace))
}

/// End of " of <replacement>" right after `pos`, when present.
pub(super) fn apposition_after(text: &str, pos: usize, replace: &str) -> Option<usize> {
    let rest = text[pos..].strip_prefix(" of ")?;
    let tail = rest.get(..replace.len())?;
    if !tail.eq_ignore_ascii_case(replace) {
        return None;
    }
    let end = pos + 4 + replace.len();
    (!text[end..].chars().next().is_some_and(super::is_word_char)).then_some(end)
}
