//! `source-term`: a glossary of source term → required target term(s). A segment whose
//! source holds a term and whose target has none of its renderings is flagged; a known wrong
//! rendering in that target is flagged where it is, with a fix to the required term.
//!
//! All rules' source terms are one automaton over the sources, all wrong renderings one
//! automaton over the targets, so a glossary of thousands of entries costs one pass each.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::term::{apposition_after, article_before};
use super::{is_whole_word, match_case, Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::formats::Segment;
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::packs::LanguageData;
use crate::span::Span;

/// The `source-term` kind.
pub static KIND: Kind = Kind {
    name: "source-term",
    category: "terminology",
    message: "{problem}",
    doc: include_str!("source_term.md"),
    sees_protected: false,
    reads_source: true,
    parse: parse_params::<SourceTermParams>,
};

/// Compiles every `source-term` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(SourceTermCheck::new(rules)?))
}

/// A `source-term` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SourceTermParams {
    pub glossary: Vec<GlossaryEntry>,
    pub drop_article: Option<bool>,
    pub case_sensitive: Option<bool>,
}

/// A `source-term` glossary entry: a source term, the target term(s) it must be rendered as,
/// and known wrong renderings that a fix replaces.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryEntry {
    pub source: String,
    pub target: Vec<String>,
    #[serde(default)]
    pub wrong: Vec<String>,
    /// Overrides the rule's `drop_article` for this entry.
    #[serde(default)]
    pub drop_article: Option<bool>,
}

impl KindParams for SourceTermParams {
    fn fixes(&self) -> Option<Applicability> {
        match self.glossary.iter().all(|e| e.target.len() == 1) {
            true => Some(Applicability::Safe),
            false => Some(Applicability::Unsafe),
        }
    }

    fn replacements(&self) -> Vec<(&'static str, &str)> {
        self.glossary
            .iter()
            .flat_map(|g| g.target.iter().map(|t| ("glossary", t.as_str())))
            .collect()
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        validate(self)
    }
}

fn validate(def: &SourceTermParams) -> Result<(), (&'static str, String)> {
    if def.glossary.is_empty() {
        return Err((
            "glossary",
            "a source-term rule needs a `glossary` of { source = …, target = [...], wrong = [...] }".into(),
        ));
    }
    for e in &def.glossary {
        if e.source.trim().is_empty() {
            return Err(("glossary", "a glossary entry has an empty `source`".into()));
        }
        if e.target.is_empty() || e.target.iter().any(|t| t.trim().is_empty()) {
            return Err((
                "glossary",
                format!("glossary entry `{}` needs at least one non-empty `target`", e.source),
            ));
        }
    }
    Ok(())
}

struct Entry {
    rule: RuleIdx,
    source: String,
    targets: Vec<String>,
    drop_article: bool,
    case_sensitive: bool,
}

/// All `source-term` rules compiled: the source terms in one matcher, the known wrong renderings in another.
pub struct SourceTermCheck {
    entries: Vec<Entry>,
    /// Source term → entry.
    sources: AhoCorasick,
    /// Wrong rendering → entry (and the wrong text, for case-sensitive rules).
    wrong: AhoCorasick,
    wrong_owner: Vec<(usize, String)>,
}

impl SourceTermCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Result<Self, CompileError> {
        let mut entries = Vec::new();
        let mut sources = Vec::new();
        let mut wrong = Vec::new();
        let mut wrong_owner = Vec::new();
        for &(rule, def) in rules {
            let def: &SourceTermParams = def.params();
            for e in &def.glossary {
                let idx = entries.len();
                entries.push(Entry {
                    rule,
                    source: e.source.clone(),
                    targets: e.target.clone(),
                    drop_article: e.drop_article.or(def.drop_article).unwrap_or(false),
                    case_sensitive: def.case_sensitive.unwrap_or(false),
                });
                sources.push(e.source.clone());
                for w in &e.wrong {
                    wrong.push(w.clone());
                    wrong_owner.push((idx, w.clone()));
                }
            }
        }
        let build = |patterns: &[String]| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(patterns)
                .map_err(|source| CompileError::Automaton {
                    what: "source-term glossary",
                    source,
                })
        };
        Ok(SourceTermCheck {
            entries,
            sources: build(&sources)?,
            wrong: build(&wrong)?,
            wrong_owner,
        })
    }

    fn check_segment(&self, doc: &Document, language: &LanguageData, seg: &Segment, sink: &mut Sink<'_>) {
        let mut hit: Vec<usize> = self
            .sources
            .find_iter(seg.source.as_str())
            .map(|m| m.pattern().as_usize())
            .filter(|&i| sink.is_active(self.entries[i].rule))
            .collect();
        hit.sort_unstable();
        hit.dedup();
        if hit.is_empty() {
            return;
        }
        let target_lower = seg.target_text.to_lowercase();
        let copied = seg.target_text.split_whitespace().eq(seg.source.split_whitespace());
        if target_lower.trim().is_empty() || copied {
            return; // Not translated at all: `untranslated` reports it.
        }
        let raw_span = seg.target.unwrap_or(seg.source_span);
        let raw = raw_span.text(&doc.text);
        // Wrong renderings of the terms the source holds.
        let mut fixed = vec![false; self.entries.len()];
        for m in self.wrong.find_iter(raw) {
            let (idx, wrong) = &self.wrong_owner[m.pattern().as_usize()];
            if !hit.contains(idx) {
                continue;
            }
            let e = &self.entries[*idx];
            let span = Span::new(m.start(), m.end()).shifted(raw_span.start);
            if !is_whole_word(&doc.text, span) || (e.case_sensitive && span.text(&doc.text) != wrong) {
                continue;
            }
            let replace = &e.targets[0];
            let (mut start, mut end) = (span.start, span.end);
            if e.drop_article {
                if let Some(a) = article_before(language, &doc.text, span.start).filter(|&a| a >= raw_span.start) {
                    start = a;
                }
                if let Some(x) = apposition_after(&doc.text, span.end, replace).filter(|&x| x <= raw_span.end) {
                    end = x;
                }
            }
            let full = Span::new(start, end);
            let matched = full.text(&doc.text);
            let replacement = if start == span.start && !doc.starts_sentence(start) {
                replace.clone()
            } else {
                match_case(matched, replace)
            };
            let problem = format!("\"{matched}\" renders {} wrongly: use \"{replace}\"", e.source);
            let safety = if e.targets.len() == 1 {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
            fixed[*idx] = true;
            sink.fix(
                e.rule,
                full,
                &[("problem", &problem), ("source", &e.source), ("target", replace)],
                vec![Edit::replace(full, replacement)],
                safety,
            );
        }
        for idx in hit {
            let e = &self.entries[idx];
            if fixed[idx] {
                continue;
            }
            let present = e.targets.iter().any(|t| {
                if e.case_sensitive {
                    seg.target_text.contains(t.as_str())
                } else {
                    target_lower.contains(&t.to_lowercase())
                }
            });
            if present {
                continue;
            }
            let wanted = e
                .targets
                .iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(" or ");
            let problem = format!("{} in the source, but the translation has no {wanted}", e.source);
            sink.flag(
                e.rule,
                raw_span,
                &[("problem", &problem), ("source", &e.source), ("target", &e.targets[0])],
            );
        }
    }
}

impl Check for SourceTermCheck {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        let language = crate::packs::language_data(&doc.language);
        for seg in &doc.segments {
            self.check_segment(doc, language, seg, sink);
        }
    }
}
