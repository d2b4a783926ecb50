//! What outputs say about a rule beyond its id: the summary and help text that SARIF's rule
//! descriptors and the review reports show, taken from the rule files that ran.

use std::collections::HashMap;

use crate::model::{LoadedRule, Rule};

/// One rule's documentation.
#[derive(Debug, Clone, Default)]
pub struct RuleDoc {
    /// One line: the first line of the rule's `doc`, else its message template.
    pub summary: String,
    /// The rule's full `doc`, when it has one.
    pub doc: Option<String>,
    /// The check kind (`term`, `quotes`, …).
    pub kind: String,
    /// `(flagged, fixed)` examples; `fixed` is empty when the rule only flags.
    pub examples: Vec<(String, String)>,
}

impl RuleDoc {
    /// Plain-text help: the doc, the examples, and where to read more.
    pub fn help_text(&self, id: &str) -> String {
        let mut s = self.doc.as_deref().unwrap_or(&self.summary).trim().to_string();
        if !self.examples.is_empty() {
            s.push_str("\n\nExamples:");
            for (bad, good) in &self.examples {
                s.push_str(&format!("\n  flagged: {bad}"));
                if !good.is_empty() {
                    s.push_str(&format!("\n  fixed:   {good}"));
                }
            }
        }
        s.push_str(&format!("\n\n`mtlint explain {id}` shows the rule in full."));
        s
    }

    /// The same help as Markdown.
    pub fn help_markdown(&self, id: &str) -> String {
        let mut s = self.doc.as_deref().unwrap_or(&self.summary).trim().to_string();
        if !self.examples.is_empty() {
            s.push_str("\n\n**Examples**\n");
            for (bad, good) in &self.examples {
                s.push_str(&format!("\n- flagged: {}", code_span(bad)));
                if !good.is_empty() {
                    s.push_str(&format!(" → fixed: {}", code_span(good)));
                }
            }
        }
        s.push_str(&format!("\n\n`mtlint explain {id}` shows the rule in full."));
        s
    }
}

/// A Markdown code span holding `s` whatever backticks it contains.
pub fn code_span(s: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.starts_with(' ') || s.ends_with(' ') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// Documentation of every rule a run may report, by full id.
#[derive(Debug, Clone, Default)]
pub struct RuleCatalog {
    rules: HashMap<String, RuleDoc>,
}

impl RuleCatalog {
    pub fn new<'a>(rules: impl IntoIterator<Item = &'a LoadedRule>) -> Self {
        let mut catalog = RuleCatalog::default();
        catalog.extend(rules);
        catalog
    }

    /// Adds rules; the first definition of an id wins.
    pub fn extend<'a>(&mut self, rules: impl IntoIterator<Item = &'a LoadedRule>) {
        for loaded in rules {
            let id = loaded.full_id();
            if self.rules.contains_key(&id) {
                continue;
            }
            let rule = Rule::new(loaded);
            let examples = loaded
                .def
                .examples
                .iter()
                .filter_map(|e| e.bad.clone().map(|bad| (bad, e.good.clone().unwrap_or_default())))
                .collect();
            let summary = rule.summary();
            let doc = RuleDoc {
                summary,
                doc: loaded.def.doc.clone(),
                kind: loaded.def.kind.name.to_string(),
                examples,
            };
            self.rules.insert(id, doc);
        }
    }

    pub fn get(&self, id: &str) -> Option<&RuleDoc> {
        self.rules.get(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_follow_wrapped_first_sentences() {
        assert_eq!(crate::model::summary("One line.\nMore detail."), "One line.");
        assert_eq!(crate::model::summary("Wrapped\nsummary.\nDetail."), "Wrapped summary.");
        assert_eq!(crate::model::summary("No end\n\nNext"), "No end");
        assert_eq!(code_span("a`b"), "``a`b``");
    }
}
