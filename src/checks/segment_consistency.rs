//! `segment-consistency`: the same source translated differently in one file, and the same
//! target used for different sources.
//!
//! The most frequent translation of a source is taken as the file's choice (the first one on a
//! tie); every other one is flagged, pointing at a segment that uses the choice.

use std::collections::HashMap;

use super::{Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::{Applicability, Label};
use crate::document::Document;
use crate::formats::Segment;
use crate::model::{parse_params, Kind, KindParams, RuleDef};

super::sub_checks! {
    /// The `segment-consistency` sub-checks.
    Sub {
        Source = "source",
        Target = "target",
    }
}

/// The `segment-consistency` kind.
pub static KIND: Kind = Kind {
    name: "segment-consistency",
    category: "terminology/inconsistent",
    message: "{problem}",
    doc: include_str!("segment_consistency.md"),
    sees_protected: false,
    reads_source: true,
    parse: parse_params::<SegmentConsistencyParams>,
};

/// Compiles every `segment-consistency` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(SegmentConsistencyCheck::new(rules)))
}

/// A `segment-consistency` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SegmentConsistencyParams {
    pub check: Option<Sub>,
}

impl KindParams for SegmentConsistencyParams {
    fn fixes(&self) -> Option<Applicability> {
        None
    }
}

/// All `segment-consistency` rules: each rule's sub-check (same source, or same target).
pub struct SegmentConsistencyCheck {
    rules: Vec<(RuleIdx, Option<String>)>,
}

impl SegmentConsistencyCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Self {
        SegmentConsistencyCheck {
            rules: rules
                .iter()
                .map(|(i, d)| (*i, d.params::<SegmentConsistencyParams>()))
                .map(|(i, d)| (i, d.check.map(|c| c.name().to_string())))
                .collect(),
        }
    }
}

fn key(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn short(s: &str) -> String {
    if s.chars().count() <= 50 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(49).collect::<String>())
    }
}

/// Groups segments by `by`; within each group, flags the segments whose `other` differs from
/// the group's most frequent one.
fn inconsistent(
    segments: &[Segment],
    by: impl Fn(&Segment) -> String,
    other: impl Fn(&Segment) -> String,
) -> Vec<(&Segment, &Segment)> {
    let mut groups: HashMap<String, Vec<&Segment>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for s in segments {
        if s.target.is_none() || s.target_text.trim().is_empty() || s.source.trim().is_empty() {
            continue;
        }
        let k = by(s);
        if !groups.contains_key(&k) {
            order.push(k.clone());
        }
        groups.entry(k).or_default().push(s);
    }
    let mut out = Vec::new();
    for k in order {
        let group = &groups[&k];
        let mut counts: Vec<(String, usize, &Segment)> = Vec::new();
        for s in group {
            let o = other(s);
            match counts.iter_mut().find(|(x, _, _)| *x == o) {
                Some((_, n, _)) => *n += 1,
                None => counts.push((o, 1, s)),
            }
        }
        if counts.len() < 2 {
            continue;
        }
        let best = counts
            .iter()
            .enumerate()
            .max_by(|a, b| a.1 .1.cmp(&b.1 .1).then(b.0.cmp(&a.0)))
            .map(|(_, c)| c.0.clone())
            .unwrap_or_default();
        let chosen = group.iter().find(|s| other(s) == best).copied();
        for s in group {
            if other(s) != best {
                if let Some(c) = chosen {
                    out.push((*s, c));
                }
            }
        }
    }
    out
}

impl Check for SegmentConsistencyCheck {
    /// Compares each finding with the rest of the document.
    fn document_wide(&self, _rule: RuleIdx) -> bool {
        true
    }

    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        if doc.segments.len() < 2 {
            return;
        }
        for (rule, check) in &self.rules {
            if !sink.is_active(*rule) {
                continue;
            }
            let wants = |c: &str| check.as_deref().is_none_or(|x| x == c);
            let idx = doc.line_index();
            if wants("source") {
                for (seg, chosen) in inconsistent(&doc.segments, |s| key(&s.source), |s| key(&s.target_text)) {
                    let line = idx.line_col(&doc.text, chosen.anchor().start).line;
                    let problem = format!(
                        "\"{}\" is translated differently elsewhere: \"{}\" (line {line})",
                        short(&seg.source),
                        short(&chosen.target_text)
                    );
                    let label = Label {
                        span: chosen.anchor(),
                        message: "the translation used most in this file".into(),
                    };
                    sink.push(*rule, seg.anchor(), &[("problem", &problem)], None, vec![label]);
                }
            }
            if wants("target") {
                for (seg, chosen) in inconsistent(&doc.segments, |s| key(&s.target_text), |s| key(&s.source)) {
                    let line = idx.line_col(&doc.text, chosen.anchor().start).line;
                    let problem = format!(
                        "the same translation is used for a different source \"{}\" (line {line})",
                        short(&chosen.source)
                    );
                    let label = Label {
                        span: chosen.anchor(),
                        message: "the same translation, for another source".into(),
                    };
                    sink.push(*rule, seg.anchor(), &[("problem", &problem)], None, vec![label]);
                }
            }
        }
    }
}
