//! `boilerplate`: whole lines of scraped web page chrome.

use regex::{RegexSet, RegexSetBuilder};

use super::{Check, RuleIdx, Sink, REGEX_NEST_LIMIT, REGEX_SIZE_LIMIT};
use crate::config::rulefile::RuleDef;
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::span::Span;

pub fn validate(def: &RuleDef) -> Result<(), (&'static str, String)> {
    if def.lines.is_empty() {
        return Err((
            "lines",
            "a boilerplate rule needs `lines` (regular expressions matching whole lines)".into(),
        ));
    }
    for l in &def.lines {
        super::pattern::check_regex(&anchored(l), true).map_err(|e| ("lines", e))?;
    }
    Ok(())
}

fn anchored(p: &str) -> String {
    format!(r"^(?:{p})$")
}

pub struct BoilerplateCheck {
    set: RegexSet,
    /// Set pattern → rule.
    owners: Vec<RuleIdx>,
}

impl BoilerplateCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Result<Self, String> {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        for &(rule, def) in rules {
            for l in &def.lines {
                patterns.push(anchored(l));
                owners.push(rule);
            }
        }
        let set = RegexSetBuilder::new(&patterns)
            .case_insensitive(true)
            .size_limit(REGEX_SIZE_LIMIT * 4)
            .nest_limit(REGEX_NEST_LIMIT)
            .build()
            .map_err(|e| {
                format!(
                    "boilerplate rules, compiled together: {}",
                    super::describe_regex_error(&e)
                )
            })?;
        Ok(BoilerplateCheck { set, owners })
    }
}

impl Check for BoilerplateCheck {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        let text = &doc.text;
        for line in doc.lines() {
            let content = line.text(text).trim();
            if content.is_empty() || content.len() > 300 {
                continue;
            }
            let Some(i) = self.set.matches(content).iter().next() else {
                continue;
            };
            let rule = self.owners[i];
            // Remove the line with its terminator; a last line without one takes the line
            // break before it.
            let after = &text[line.end..];
            let terminator = if after.starts_with("\r\n") {
                2
            } else {
                usize::from(after.starts_with('\n'))
            };
            let blank_before = line.start == doc.body
                || text[..line.start].ends_with("\n\n")
                || text[..line.start].ends_with("\n\r\n");
            let removal = if terminator > 0 {
                // Between blank lines (or at the top), the blank line after goes too, so the
                // removal leaves one paragraph break rather than two.
                let next = line.end + terminator;
                let rest = &text[next..];
                let blank_after = if rest.starts_with("\r\n") {
                    2
                } else {
                    usize::from(rest.starts_with('\n'))
                };
                let extra = if blank_before { blank_after } else { 0 };
                Span::new(line.start, next + extra)
            } else {
                let mut start = line.start;
                // The last line takes the line breaks before it, back to the text.
                while start > doc.body && text.as_bytes()[start - 1] == b'\n' {
                    start -= 1;
                    if start > doc.body && text.as_bytes()[start - 1] == b'\r' {
                        start -= 1;
                    }
                    if !blank_before {
                        break;
                    }
                }
                Span::new(start, line.end)
            };
            let trimmed = Span::new(
                line.start + (line.len() - line.text(text).trim_start().len()),
                line.start + line.text(text).trim_end().len(),
            );
            sink.fix(rule, trimmed, &[], vec![Edit::delete(removal)], Applicability::Safe);
        }
    }
}
