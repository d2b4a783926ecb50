//! The fix engine: choose non-overlapping fixes, apply them, repeat to a fixed point.

use std::collections::BTreeMap;

use crate::diagnostic::{Applicability, Diagnostic, Fix};
use crate::document::Document;
use crate::engine::Engine;
use crate::span::Span;

/// Passes of lint → fix before a rule is reported as not converging.
pub const MAX_PASSES: usize = 10;

/// Picks the fixes to apply in one pass: at or above `min`, never two overlapping. Earlier
/// fixes win; at the same place the rule id decides, so the choice is deterministic. A fix
/// whose edits are paired (both quotes) is taken whole or not at all.
pub fn select<'a>(
    diags: &'a [Diagnostic],
    min: Applicability,
    filter: &dyn Fn(&Diagnostic) -> bool,
) -> Vec<(&'a Diagnostic, &'a Fix)> {
    let mut candidates: Vec<(&Diagnostic, &Fix)> = diags
        .iter()
        .filter(|d| filter(d))
        .filter_map(|d| {
            d.fix
                .as_ref()
                .filter(|f| f.applicability >= min && f.applicability != Applicability::DisplayOnly)
                .map(|f| (d, f))
        })
        .collect();
    candidates.sort_by(|a, b| {
        (a.1.span().start, a.1.span().end, a.0.rule_id()).cmp(&(b.1.span().start, b.1.span().end, b.0.rule_id()))
    });
    let mut taken: Vec<Span> = Vec::new();
    let mut chosen = Vec::new();
    for (d, f) in candidates {
        let clash = f.edits.iter().any(|e| {
            taken
                .iter()
                .any(|t| t.overlaps(e.span) || (t.is_empty() && e.span.is_empty() && t.start == e.span.start))
        }) || f.edits.windows(2).any(|w| w[0].span.overlaps(w[1].span));
        if clash {
            continue;
        }
        taken.extend(f.edits.iter().map(|e| e.span));
        chosen.push((d, f));
    }
    chosen
}

/// Applies the chosen fixes' edits to `text`.
pub fn apply(text: &str, fixes: &[(&Diagnostic, &Fix)]) -> String {
    let mut edits: Vec<_> = fixes.iter().flat_map(|(_, f)| f.edits.iter()).collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in edits {
        out.push_str(&text[pos..e.span.start]);
        out.push_str(&e.replacement);
        pos = e.span.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// What fixing one document did.
#[derive(Debug)]
pub struct FixOutcome {
    /// The document after every pass (its text is the fixed text).
    pub document: Document,
    /// Fixes applied, per rule id.
    pub applied: BTreeMap<String, usize>,
    /// Diagnostics left after the last pass.
    pub remaining: Vec<Diagnostic>,
    /// Rules still producing fixes after `MAX_PASSES` passes.
    pub not_converged: Vec<String>,
}

impl FixOutcome {
    pub fn total_applied(&self) -> usize {
        self.applied.values().sum()
    }
}

/// Lints and fixes `doc` until nothing more applies (at most `MAX_PASSES` passes).
pub fn fix_document(
    engine: &Engine,
    doc: Document,
    min: Applicability,
    filter: &dyn Fn(&Diagnostic) -> bool,
) -> FixOutcome {
    let mut doc = doc;
    let mut applied: BTreeMap<String, usize> = BTreeMap::new();
    let mut diags = engine.check(&doc);
    for _ in 0..MAX_PASSES {
        let chosen = select(&diags, min, filter);
        if chosen.is_empty() {
            return FixOutcome {
                document: doc,
                applied,
                remaining: diags,
                not_converged: Vec::new(),
            };
        }
        for (d, _) in &chosen {
            *applied.entry(d.rule_id().to_string()).or_default() += 1;
        }
        let text = apply(&doc.text, &chosen);
        doc = doc.with_text(text);
        diags = engine.check(&doc);
    }
    let mut not_converged: Vec<String> = select(&diags, min, filter)
        .iter()
        .map(|(d, _)| d.rule_id().to_string())
        .collect();
    not_converged.dedup();
    FixOutcome {
        document: doc,
        applied,
        remaining: diags,
        not_converged,
    }
}
