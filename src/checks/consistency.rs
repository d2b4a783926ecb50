//! `consistency`: one name written several ways in one document.

use std::collections::HashMap;

use super::matchers::WordTerms;
use super::{is_whole_word, Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::span::Span;

/// The `consistency` kind.
pub static KIND: Kind = Kind {
    name: "consistency",
    category: "terminology/inconsistent",
    message: "\"{match}\" is written differently elsewhere in this document; use \"{replacement}\"",
    doc: include_str!("consistency.md"),
    sees_protected: false,
    reads_source: false,
    parse: parse_params::<ConsistencyParams>,
};

/// Compiles every `consistency` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(ConsistencyCheck::new(rules)?))
}

/// A `consistency` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsistencyParams {
    pub canonical: Option<String>,
    pub variants: Vec<String>,
    pub case_sensitive: Option<bool>,
}

impl KindParams for ConsistencyParams {
    fn fixes(&self) -> Option<Applicability> {
        Some(Applicability::Safe)
    }

    fn glossary_terms(&self) -> usize {
        self.variants.len() + usize::from(self.canonical.is_some())
    }

    fn replacements(&self) -> Vec<(&'static str, &str)> {
        self.canonical.iter().map(|c| ("canonical", c.as_str())).collect()
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        validate(self)
    }
}

fn validate(def: &ConsistencyParams) -> Result<(), (&'static str, String)> {
    let forms = def.variants.len() + usize::from(def.canonical.is_some());
    if forms < 2 && def.canonical.is_none() {
        return Err((
            "variants",
            "a consistency rule needs a `canonical` form or at least two `variants`".into(),
        ));
    }
    Ok(())
}

/// All `consistency` rules compiled: every form of every rule in one matcher.
pub struct ConsistencyCheck {
    automaton: WordTerms,
    /// Pattern → rule.
    owners: Vec<RuleIdx>,
    canonical: HashMap<RuleIdx, String>,
    rules: Vec<RuleIdx>,
}

impl ConsistencyCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Result<Self, CompileError> {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        let mut canonical = HashMap::new();
        for &(rule, def) in rules {
            let def: &ConsistencyParams = def.params();
            if let Some(c) = &def.canonical {
                canonical.insert(rule, c.clone());
                patterns.push(c.clone());
                owners.push(rule);
            }
            for v in &def.variants {
                patterns.push(v.clone());
                owners.push(rule);
            }
        }
        let automaton = WordTerms::new(&patterns).map_err(|source| CompileError::Automaton {
            what: "consistency sets",
            source,
        })?;
        Ok(ConsistencyCheck {
            automaton,
            owners,
            canonical,
            rules: rules.iter().map(|r| r.0).collect(),
        })
    }
}

impl Check for ConsistencyCheck {
    /// Compares each finding with the rest of the document.
    fn document_wide(&self, _rule: RuleIdx) -> bool {
        true
    }

    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        if !self.rules.iter().any(|&r| sink.is_active(r)) {
            return;
        }
        let text = &doc.text;
        let mut found: HashMap<RuleIdx, Vec<Span>> = HashMap::new();
        for m in self.automaton.find_iter(text.as_str()) {
            let rule = self.owners[m.pattern().as_usize()];
            let span = Span::new(m.start(), m.end());
            if sink.is_active(rule) && is_whole_word(text, span) {
                found.entry(rule).or_default().push(span);
            }
        }
        let mut rules: Vec<_> = found.into_iter().collect();
        rules.sort_by_key(|(r, _)| *r);
        for (rule, spans) in rules {
            let target = match self.canonical.get(&rule) {
                Some(c) => c.clone(),
                None => {
                    // Majority form; ties go to the form seen first.
                    let mut counts: Vec<(&str, usize)> = Vec::new();
                    for s in &spans {
                        let form = s.text(text);
                        match counts.iter_mut().find(|(f, _)| *f == form) {
                            Some(c) => c.1 += 1,
                            None => counts.push((form, 1)),
                        }
                    }
                    if counts.len() < 2 {
                        continue;
                    }
                    let best = counts.iter().map(|c| c.1).max().unwrap_or(0);
                    counts
                        .iter()
                        .find(|c| c.1 == best)
                        .map_or_else(String::new, |c| c.0.to_string())
                }
            };
            let forms: Vec<&str> = {
                let mut f: Vec<&str> = spans.iter().map(|s| s.text(text)).collect();
                f.dedup();
                f
            };
            let others = forms
                .iter()
                .filter(|f| **f != target)
                .cloned()
                .collect::<Vec<_>>()
                .join("\", \"");
            for span in spans {
                if span.text(text) == target {
                    continue;
                }
                sink.fix(
                    rule,
                    span,
                    &[("forms", &others), ("canonical", &target)],
                    vec![Edit::replace(span, target.clone())],
                    Applicability::Safe,
                );
            }
        }
    }
}
