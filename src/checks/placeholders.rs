//! `placeholders`: placeholders (`{0}`, `%s`, `%(name)s`) and inline tags (`<g id="1">`,
//! XLIFF `<ph>`/`<x>`, HTML tags in TSV and PO) of the source missing, added or reordered in
//! the target.
//!
//! Markup codes come from the file's parser; placeholders are found with the rule's `pattern`
//! (a default covers printf, .NET/ICU and Python styles, and HTML-like tags in plain-text
//! formats). Order is checked only where it carries meaning: placeholders without an index
//! (`%s`, `%d`), whose order is the order of the arguments, and markup codes.

use std::collections::HashMap;

use regex::Regex;

use super::{build_regex, Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::Applicability;
use crate::document::Document;
use crate::formats::{Code, InputFormat, Segment};
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::span::Span;

pub const DEFAULT_PATTERN: &str = r"%(?:[0-9]+\$)?[-+ #0]*[0-9]*(?:\.[0-9]+)?[sdifuxXeEgGcp@]|%\([A-Za-z_][A-Za-z0-9_]*\)[sdif]|\{\{?[A-Za-z0-9_.]*\}\}?|</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>";

super::sub_checks! {
    /// The `placeholders` sub-checks.
    Sub {
        Missing = "missing",
        Added = "added",
        Order = "order",
    }
}

/// The `placeholders` kind.
pub static KIND: Kind = Kind {
    name: "placeholders",
    category: "design/markup",
    message: "{problem}",
    doc: include_str!("placeholders.md"),
    sees_protected: true,
    reads_source: true,
    parse: parse_params::<PlaceholdersParams>,
};

/// Compiles every `placeholders` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(PlaceholdersCheck::new(rules)?))
}

/// A `placeholders` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlaceholdersParams {
    pub check: Option<Sub>,
    pub pattern: Option<String>,
}

impl KindParams for PlaceholdersParams {
    fn fixes(&self) -> Option<Applicability> {
        None
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        validate(self)
    }
}

fn validate(def: &PlaceholdersParams) -> Result<(), (&'static str, String)> {
    if let Some(p) = &def.pattern {
        build_regex(p, false).map_err(|e| ("pattern", e.to_string()))?;
    }
    Ok(())
}

struct RuleSet {
    rule: RuleIdx,
    check: Option<String>,
    pattern: Regex,
}

/// All `placeholders` rules: each rule's sub-check and placeholder pattern.
pub struct PlaceholdersCheck {
    rules: Vec<RuleSet>,
}

impl PlaceholdersCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Result<Self, CompileError> {
        let mut out = Vec::new();
        for &(rule, def) in rules {
            let id = &def.id;
            let def: &PlaceholdersParams = def.params();
            out.push(RuleSet {
                rule,
                check: def.check.map(|c| c.name().to_string()),
                pattern: build_regex(def.pattern.as_deref().unwrap_or(DEFAULT_PATTERN), false).map_err(|source| {
                    CompileError::Regex {
                        rule: id.clone(),
                        source,
                    }
                })?,
            });
        }
        Ok(PlaceholdersCheck { rules: out })
    }
}

/// Placeholders in `span` of the file, and the file's markup codes, in order. Pattern hits
/// that overlap parsed markup (an XLIFF tag) are that markup, already counted.
fn codes(doc: &Document, span: Span, markup: &[Code], pattern: &Regex) -> Vec<Code> {
    let raw = span.text(&doc.text);
    let mut out: Vec<Code> = markup.to_vec();
    for m in pattern.find_iter(raw) {
        let s = Span::new(m.start(), m.end()).shifted(span.start);
        let xml = matches!(doc.format, InputFormat::Xliff | InputFormat::Tmx);
        if xml && doc.overlaps_inline_markup(s) {
            continue;
        }
        if markup.iter().any(|c| c.span.overlaps(s)) {
            continue;
        }
        out.push(Code {
            key: m.as_str().to_string(),
            span: s,
        });
    }
    out.sort_by_key(|c| c.span.start);
    out
}

/// Whether a code's position matters: markup, and printf placeholders with no argument index.
fn ordered(key: &str) -> bool {
    (key.starts_with('%') && !key.contains('$') && !key.contains('(')) || key.starts_with('<')
}

impl Check for PlaceholdersCheck {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        for seg in &doc.segments {
            let Some(target) = seg.target else { continue };
            if seg.target_text.trim().is_empty() {
                continue;
            }
            for r in &self.rules {
                if sink.is_active(r.rule) {
                    check_segment(doc, seg, target, r, sink);
                }
            }
        }
    }
}

fn check_segment(doc: &Document, seg: &Segment, target: Span, r: &RuleSet, sink: &mut Sink<'_>) {
    let source = codes(doc, seg.source_span, &seg.source_codes, &r.pattern);
    let target_codes = codes(doc, target, &seg.target_codes, &r.pattern);
    if source.is_empty() && target_codes.is_empty() {
        return;
    }
    let wants = |c: &str| r.check.as_deref().is_none_or(|x| x == c);
    let mut left: HashMap<&str, usize> = HashMap::new();
    for c in &source {
        *left.entry(c.key.as_str()).or_default() += 1;
    }
    let mut added = Vec::new();
    for c in &target_codes {
        match left.get_mut(c.key.as_str()) {
            Some(n) if *n > 0 => *n -= 1,
            _ => added.push(c),
        }
    }
    let mut missing: Vec<&str> = Vec::new();
    for c in &source {
        if let Some(n) = left.get_mut(c.key.as_str()) {
            if *n > 0 {
                *n -= 1;
                missing.push(&c.key);
            }
        }
    }
    if wants("missing") {
        for key in &missing {
            let problem = format!("{key} of the source is missing in the translation");
            sink.push_unmasked(r.rule, target, &[("problem", &problem)], None, Vec::new());
        }
    }
    if wants("added") {
        for c in &added {
            let problem = format!("{} is not in the source", c.key);
            sink.push_unmasked(r.rule, c.span, &[("problem", &problem)], None, Vec::new());
        }
    }
    if wants("order") && missing.is_empty() && added.is_empty() {
        let src: Vec<&str> = source.iter().map(|c| c.key.as_str()).filter(|k| ordered(k)).collect();
        let trg: Vec<&Code> = target_codes.iter().filter(|c| ordered(&c.key)).collect();
        if let Some(i) = src.iter().zip(&trg).position(|(a, b)| *a != b.key) {
            let c = trg[i];
            let problem = format!("{} is out of order: the source has {} here", c.key, src[i]);
            sink.push_unmasked(r.rule, c.span, &[("problem", &problem)], None, Vec::new());
        }
    }
}
