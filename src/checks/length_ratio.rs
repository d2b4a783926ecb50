//! `length-ratio`: a target far longer or shorter than its source, against the file's own
//! norm (the median target/source length ratio of its segments), so the check fits any
//! language pair: English runs about three times the characters of Chinese, German longer
//! than English.

use super::{Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::Applicability;
use crate::document::Document;
use crate::model::{parse_params, Kind, KindParams, RuleDef};

/// Segments needed before a file has a norm.
const MIN_SEGMENTS: usize = 5;

/// The `length-ratio` kind.
pub static KIND: Kind = Kind {
    name: "length-ratio",
    category: "accuracy",
    message: "target is {ratio}× the length of its source; this file's norm is {norm}×",
    doc: include_str!("length_ratio.md"),
    sees_protected: false,
    reads_source: true,
    parse: parse_params::<LengthRatioParams>,
};

/// Compiles every `length-ratio` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(LengthRatioCheck::new(rules)))
}

/// A `length-ratio` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LengthRatioParams {
    pub max_ratio: Option<f64>,
    pub min_length: Option<usize>,
}

impl KindParams for LengthRatioParams {
    fn fixes(&self) -> Option<Applicability> {
        None
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        validate(self)
    }
}

fn validate(def: &LengthRatioParams) -> Result<(), (&'static str, String)> {
    match def.max_ratio {
        Some(r) if !(r.is_finite() && r > 1.0) => Err(("max_ratio", format!("`max_ratio` must be above 1, got {r}"))),
        _ => Ok(()),
    }
}

/// All `length-ratio` rules: each rule's ratio limit and the shortest source it judges.
pub struct LengthRatioCheck {
    rules: Vec<(RuleIdx, f64, usize)>,
}

impl LengthRatioCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Self {
        LengthRatioCheck {
            rules: rules
                .iter()
                .map(|(i, d)| (i, d.params::<LengthRatioParams>()))
                .map(|(i, d)| (*i, d.max_ratio.unwrap_or(2.5), d.min_length.unwrap_or(8)))
                .collect(),
        }
    }
}

fn chars(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

impl Check for LengthRatioCheck {
    /// Compares each finding with the rest of the document.
    fn document_wide(&self, _rule: RuleIdx) -> bool {
        true
    }

    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        for &(rule, max_ratio, min_length) in &self.rules {
            if !sink.is_active(rule) {
                continue;
            }
            let measured: Vec<(usize, f64)> = doc
                .segments
                .iter()
                .enumerate()
                .filter(|(_, s)| s.target.is_some() && chars(&s.source) >= min_length && chars(&s.target_text) > 0)
                .map(|(i, s)| (i, chars(&s.target_text) as f64 / chars(&s.source) as f64))
                .collect();
            if measured.len() < MIN_SEGMENTS {
                continue;
            }
            let mut ratios: Vec<f64> = measured.iter().map(|m| m.1).collect();
            ratios.sort_by(f64::total_cmp);
            let norm = ratios[ratios.len() / 2];
            for (i, ratio) in measured {
                if ratio > norm * max_ratio || ratio < norm / max_ratio {
                    let seg = &doc.segments[i];
                    let (r, n) = (format!("{ratio:.1}"), format!("{norm:.1}"));
                    sink.push(rule, seg.anchor(), &[("ratio", &r), ("norm", &n)], None, Vec::new());
                }
            }
        }
    }
}
