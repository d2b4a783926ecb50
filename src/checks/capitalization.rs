//! `capitalization`: one term capitalised two ways in one document.

use super::matchers::WordTerms;
use super::{is_whole_word, Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::packs::LanguageData;
use crate::span::Span;

#[path = "capitalization/by_shape.rs"]
mod by_shape;
#[path = "capitalization/in_sentence.rs"]
mod in_sentence;
#[path = "capitalization/phrases.rs"]
mod phrases;
#[path = "capitalization/titles.rs"]
mod titles;
#[path = "capitalization/variants.rs"]
mod variants;

super::sub_checks! {
    /// The `capitalization` sub-checks: all but `title-before-name` judge capitals from the
    /// document itself and take no `terms`; `title-before-name` reads the document with its
    /// `terms` (titles), it does not flag them.
    Sub {
        DistinctiveCase = "distinctive-case",
        HeadingStart = "heading-start",
        NameVariants = "name-variants",
        TitleBeforeName = "title-before-name",
        ParagraphStart = "paragraph-start",
        AfterSemicolon = "after-semicolon",
        AfterFullStop = "after-full-stop",
        LowerCaseAcronym = "lower-case-acronym",
        MidSentenceCapital = "mid-sentence-capital",
        TitleLine = "title-line",
    }
}

/// The `capitalization` kind.
pub static KIND: Kind = Kind {
    name: "capitalization",
    category: "fluency/spelling",
    message: "\"{match}\" is capitalised as \"{replacement}\" elsewhere",
    doc: include_str!("capitalization.md"),
    sees_protected: false,
    reads_source: false,
    parse: parse_params::<CapitalizationParams>,
};

/// Compiles every `capitalization` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(CapitalizationCheck::new(rules)?))
}

pub use in_sentence::preload;

/// A `capitalization` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CapitalizationParams {
    pub terms: Vec<String>,
    pub check: Option<Sub>,
    /// Hunspell dictionaries (`lower-case-acronym`, `mid-sentence-capital`): the default
    /// one when none is named.
    #[serde(deserialize_with = "crate::model::one_or_many")]
    pub dictionary: Vec<String>,
}

impl KindParams for CapitalizationParams {
    fn fixes(&self) -> Option<Applicability> {
        // The sub-checks judge from the document (name-case, headings, name variants, titles);
        // a `terms` list is the house style.
        match self.check {
            Some(_) => Some(Applicability::Unsafe),
            None => Some(Applicability::Safe),
        }
    }

    fn glossary_terms(&self) -> usize {
        self.terms.len()
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        validate(self)
    }
}

fn validate(def: &CapitalizationParams) -> Result<(), (&'static str, String)> {
    if def.dictionary.iter().any(String::is_empty) {
        return Err(("dictionary", "`dictionary` is empty".into()));
    }
    if let Some(c) = def.check.map(Sub::name) {
        if def.check == Some(Sub::TitleBeforeName) {
            if def.terms.is_empty() {
                return Err((
                    "terms",
                    format!("the `{c}` check needs `terms`: the titles it looks for"),
                ));
            }
            return Ok(());
        }
        if !def.terms.is_empty() {
            return Err((
                "terms",
                format!("the `{c}` check takes no `terms`: it reads the document"),
            ));
        }
        return Ok(());
    }
    if def.terms.is_empty() {
        return Err((
            "terms",
            "a capitalization rule needs `terms` (each as it should be capitalised)".into(),
        ));
    }
    if let Some(t) = def.terms.iter().find(|t| !t.is_ascii()) {
        return Err(("terms", format!("term {t:?}: capitalization terms must be ASCII")));
    }
    Ok(())
}

/// All `capitalization` rules compiled: the house-style terms in one matcher, and the sub-checks that judge from the document.
pub struct CapitalizationCheck {
    automaton: WordTerms,
    /// Pattern → (rule, canonical form).
    terms: Vec<(RuleIdx, String)>,
    /// Rules of the sub-checks (`distinctive-case`, `heading-start`, …), with their terms
    /// (the titles of `title-before-name`).
    by_shape: Vec<(RuleIdx, String, titles::Titles)>,
    /// Per rule of `by_shape`: its dictionaries, and what they say once loaded (on first use).
    lexicons: Vec<in_sentence::LazyLexicon>,
}

impl CapitalizationCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Result<Self, CompileError> {
        let rules: Vec<(RuleIdx, &CapitalizationParams)> = rules.iter().map(|(i, d)| (*i, d.params())).collect();
        let terms: Vec<(RuleIdx, String)> = rules
            .iter()
            .filter(|(_, d)| d.check.is_none())
            .flat_map(|(i, d)| d.terms.iter().map(move |t| (*i, t.clone())))
            .collect();
        let by_shape = rules
            .iter()
            .filter_map(|(i, d)| Some((*i, d.check?.name().to_string(), titles::Titles::new(&d.terms))))
            .collect();
        let lexicons = rules
            .iter()
            .filter(|(_, d)| d.check.is_some())
            .map(|(_, d)| in_sentence::LazyLexicon::new(super::spelling::dictionary_paths(&d.dictionary)))
            .collect();
        let patterns: Vec<&str> = terms.iter().map(|t| t.1.as_str()).collect();
        let automaton = WordTerms::new(&patterns).map_err(|source| CompileError::Automaton {
            what: "capitalization terms",
            source,
        })?;
        Ok(CapitalizationCheck {
            automaton,
            terms,
            by_shape,
            lexicons,
        })
    }
}

/// True when an occurrence mixes the canonical capitalisation with another: some major words
/// as in the canonical form and some not ("chamber of Commerce"). The language's minor words
/// and name particles ("of", "de") stay lower case in a name and count for neither.
fn is_mixed(language: &LanguageData, found: &str, canonical: &str) -> bool {
    let (mut same, mut differ) = (false, false);
    for (f, c) in found.split_whitespace().zip(canonical.split_whitespace()) {
        let lower = c.to_ascii_lowercase();
        if language.is_minor(&lower) || language.is_name_particle(&lower) {
            continue;
        }
        let (fu, cu) = (
            f.starts_with(|ch: char| ch.is_uppercase()),
            c.starts_with(|ch: char| ch.is_uppercase()),
        );
        if fu == cu {
            same = true;
        } else {
            differ = true;
        }
    }
    same && differ
}

/// Reports `span` with `problem` and the form it should take, `canonical`, as an unsafe fix:
/// what every sub-check that judges from the document reports.
fn suggest(rule: RuleIdx, span: Span, problem: &str, canonical: &str, sink: &mut Sink<'_>) {
    sink.fix(
        rule,
        span,
        &[("problem", problem), ("canonical", canonical)],
        vec![Edit::replace(span, canonical.to_string())],
        Applicability::Unsafe,
    );
}

impl Check for CapitalizationCheck {
    /// Compares each finding with the rest of the document.
    fn document_wide(&self, _rule: RuleIdx) -> bool {
        true
    }

    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        // Read once for the sub-checks that start from capitals, when one is active.
        let capitals = std::cell::OnceCell::new();
        let capitals = || capitals.get_or_init(|| by_shape::Capitals::new(&doc.text));
        for (k, (rule, check, terms)) in self.by_shape.iter().enumerate() {
            if !sink.is_active(*rule) {
                continue;
            }
            let lexicon = &self.lexicons[k];
            match check.as_str() {
                "title-before-name" => titles::title_before_name(doc, *rule, terms, sink),
                "distinctive-case" => {
                    by_shape::distinctive_case(doc, capitals(), *rule, sink);
                    phrases::phrase_case(doc, capitals(), *rule, sink);
                }
                "heading-start" => by_shape::heading_start(doc, *rule, sink),
                "paragraph-start" => by_shape::paragraph_start(doc, *rule, sink),
                "after-semicolon" => by_shape::after_semicolon(doc, *rule, sink),
                "after-full-stop" => in_sentence::after_full_stop(doc, *rule, sink),
                "title-line" => in_sentence::title_line_case(doc, *rule, sink),
                // Off when no dictionary of the rule can be opened.
                "lower-case-acronym" if lexicon.opens(*rule, sink) => {
                    in_sentence::lower_case_acronym(doc, *rule, lexicon, sink);
                }
                "mid-sentence-capital" if lexicon.opens(*rule, sink) => {
                    in_sentence::mid_sentence_capital(doc, capitals(), *rule, lexicon, sink);
                }
                "name-variants" => variants::name_variants(doc, capitals(), *rule, sink),
                _ => {}
            }
        }
        let text = &doc.text;
        let mut hits: Vec<(usize, Span)> = Vec::new();
        for m in self.automaton.find_iter(text.as_str()) {
            let span = Span::new(m.start(), m.end());
            let (rule, _) = &self.terms[m.pattern().as_usize()];
            if sink.is_active(*rule) && is_whole_word(text, span) {
                hits.push((m.pattern().as_usize(), span));
            }
        }
        // The canonical form written mid-sentence somewhere shows the document's intent.
        let mut used = vec![false; self.terms.len()];
        for &(term, span) in &hits {
            if span.text(text) == self.terms[term].1 && !doc.starts_sentence(span.start) {
                used[term] = true;
            }
        }
        let language = crate::packs::language_data(&doc.language);
        for &(term, span) in &hits {
            let (rule, canonical) = &self.terms[term];
            let found = span.text(text);
            if found == canonical {
                continue;
            }
            let letters: Vec<char> = found.chars().filter(|c| c.is_alphabetic()).collect();
            if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
                continue;
            }
            // A word with an inner capital the term lacks (`pArty`, `iParty`) is a written
            // form of its own: the `distinctive-case` check judges it against the document.
            let inner = |w: &str| w.chars().skip(1).any(char::is_uppercase);
            if found
                .split_whitespace()
                .zip(canonical.split_whitespace())
                .any(|(f, c)| inner(f) && !inner(c))
            {
                continue;
            }
            let sentence_start = doc.starts_sentence(span.start);
            if sentence_start && found.get(1..) == canonical.get(1..) {
                continue;
            }
            if !used[term] && !is_mixed(language, found, canonical) {
                continue;
            }
            let replacement = if sentence_start {
                super::capitalize(canonical)
            } else {
                canonical.clone()
            };
            sink.fix(
                *rule,
                span,
                &[],
                vec![Edit::replace(span, replacement)],
                Applicability::Safe,
            );
        }
    }
}
