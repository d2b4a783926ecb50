//! The one diagnostic type every output, the fix engine and the reports consume.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::span::Span;

/// How much a finding matters: `info` < `warning` < `error` (the order `--fail-on` compares in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            _ => Err(format!("unknown severity `{s}` (expected error, warning or info)")),
        }
    }
}

/// How far a fix can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Shown to the user, never applied.
    #[serde(rename = "display-only")]
    DisplayOnly,
    /// Needs a human: applied only with `--unsafe-fixes`.
    Unsafe,
    /// Meaning-preserving: applied by `mtlint fix`.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::DisplayOnly => "display-only",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        }
    }
}

/// One replacement: an empty `replacement` deletes, an empty span inserts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

impl Edit {
    pub fn replace(span: Span, replacement: impl Into<String>) -> Self {
        Edit {
            span,
            replacement: replacement.into(),
        }
    }

    pub fn delete(span: Span) -> Self {
        Edit {
            span,
            replacement: String::new(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit {
            span: Span::empty(at),
            replacement: text.into(),
        }
    }
}

/// A set of edits applied together or not at all (both quotes of a pair, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

impl Fix {
    pub fn new(applicability: Applicability, mut edits: Vec<Edit>) -> Self {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        Fix { edits, applicability }
    }

    /// The smallest span covering every edit.
    pub fn span(&self) -> Span {
        let start = self.edits.iter().map(|e| e.span.start).min().unwrap_or(0);
        let end = self.edits.iter().map(|e| e.span.end).max().unwrap_or(0);
        Span::new(start, end)
    }

    /// The text of `span` after this fix's edits inside it are applied.
    pub fn preview(&self, text: &str, span: Span) -> String {
        let mut out = String::new();
        let mut pos = span.start;
        for e in &self.edits {
            if e.span.start < pos || e.span.end > span.end {
                continue;
            }
            out.push_str(&text[pos..e.span.start]);
            out.push_str(&e.replacement);
            pos = e.span.end;
        }
        out.push_str(&text[pos..span.end]);
        out
    }
}

/// A secondary place a diagnostic points at, such as the opening quote of an unbalanced pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// A rule's identity and metadata, shared by all its diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMeta {
    /// `pack/name`.
    pub id: String,
    pub severity: Severity,
    pub category: String,
}

/// Another rule's finding of the same defect on the same span, kept with the finding that
/// reports it (one defect, one finding; the engine merges them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub rule: Arc<RuleMeta>,
    pub message: String,
}

/// Related findings whose messages are rendered only when a format prints them: a group of
/// rules that share one scan and found the same defect (10,000 rules of one kind may all fire
/// on one sentence) is held as the rules' indices, not as 10,000 messages.
pub trait DeferredRelated: Send + Sync {
    /// How many entries [`DeferredRelated::render_into`] adds.
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Appends the entries, in any order.
    fn render_into(&self, out: &mut Vec<Related>);
}

/// The `related` entries of a finding: listed ones and deferred groups, read in rule-id order.
///
/// Most findings have none: the lists are boxed, so an empty one is a null pointer (8 bytes of
/// each finding instead of 48; a large file holds hundreds of thousands of findings).
#[derive(Clone, Default)]
pub struct RelatedList(Option<Box<Lists>>);

#[derive(Clone, Default)]
struct Lists {
    listed: Vec<Related>,
    deferred: Vec<Arc<dyn DeferredRelated>>,
}

impl RelatedList {
    fn lists(&mut self) -> &mut Lists {
        self.0.get_or_insert_with(Box::default)
    }

    pub fn push(&mut self, related: Related) {
        self.lists().listed.push(related);
    }

    /// Adds a group whose messages are rendered when read.
    pub fn defer(&mut self, group: Arc<dyn DeferredRelated>) {
        self.lists().deferred.push(group);
    }

    /// Moves all of `other`'s entries into this list.
    pub fn append(&mut self, other: RelatedList) {
        let Some(other) = other.0 else { return };
        match &mut self.0 {
            None => self.0 = Some(other),
            Some(lists) => {
                lists.listed.extend(other.listed);
                lists.deferred.extend(other.deferred);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |l| {
            l.listed.len() + l.deferred.iter().map(|d| d.len()).sum::<usize>()
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0
            .as_ref()
            .is_none_or(|l| l.listed.is_empty() && l.deferred.iter().all(|d| d.is_empty()))
    }

    /// Every entry, ordered by rule id (entries of one rule in the order they were added).
    pub fn to_vec(&self) -> Vec<Related> {
        let Some(lists) = &self.0 else {
            return Vec::new();
        };
        let mut all = lists.listed.clone();
        for group in &lists.deferred {
            group.render_into(&mut all);
        }
        all.sort_by(|a, b| a.rule.id.cmp(&b.rule.id));
        all
    }
}

impl fmt::Debug for RelatedList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.to_vec()).finish()
    }
}

impl PartialEq for RelatedList {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.to_vec() == other.to_vec()
    }
}

impl Eq for RelatedList {}

impl From<Vec<Related>> for RelatedList {
    fn from(listed: Vec<Related>) -> Self {
        if listed.is_empty() {
            return RelatedList(None);
        }
        RelatedList(Some(Box::new(Lists {
            listed,
            deferred: Vec::new(),
        })))
    }
}

/// One finding: the rule that made it, where, what it says, and the fix it suggests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: Arc<RuleMeta>,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub labels: Vec<Label>,
    pub fix: Option<Fix>,
    /// The same defect as other rules saw it (their findings were merged into this one).
    pub related: RelatedList,
}

impl Diagnostic {
    /// Moves a diagnostic found in a part of a text that starts at `offset` to the whole
    /// text's coordinates.
    pub fn shift(&mut self, offset: usize) {
        self.span = self.span.shifted(offset);
        for label in &mut self.labels {
            label.span = label.span.shifted(offset);
        }
        for edit in self.fix.iter_mut().flat_map(|f| &mut f.edits) {
            edit.span = edit.span.shifted(offset);
        }
    }

    pub fn rule_id(&self) -> &str {
        &self.rule.id
    }

    pub fn category(&self) -> &str {
        &self.rule.category
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    /// A large file holds hundreds of thousands of findings: what each costs inline is
    /// watched (a `RelatedList` of two vectors made every finding 40 bytes larger).
    #[test]
    fn a_finding_stays_small() {
        assert_eq!(std::mem::size_of::<RelatedList>(), 8);
        assert!(
            std::mem::size_of::<Diagnostic>() <= 120,
            "{}",
            std::mem::size_of::<Diagnostic>()
        );
    }
}
