//! Review reports of a whole batch, for editors (`html`) and pull-request comments
//! (`markdown`): totals, a quality score per document and for the batch, and every finding.
//!
//! Unlike `check`'s formats, a report holds the whole batch: it needs every document's text
//! and sorts documents worst first.

pub mod html;
pub mod markdown;
mod score;

use std::collections::BTreeMap;

pub use score::{mqm_severity, weight, Band, Score};

use crate::diagnostic::Severity;
use crate::document::Document;
pub use crate::output::preview::{diff_pieces, Piece};
pub use crate::output::Counts;
use crate::output::{FileReport, RuleCatalog};

/// One checked document with its score.
pub struct Entry<'a> {
    pub report: &'a FileReport,
    pub doc: &'a Document,
    pub score: Score,
    pub counts: Counts,
}

/// How often a rule fired over the batch.
pub struct RuleCount<'a> {
    pub id: &'a str,
    pub severity: Severity,
    pub category: &'a str,
    pub count: usize,
    pub summary: String,
}

/// A batch of file reports, summarised.
pub struct Batch<'a> {
    /// Checked documents, worst first.
    pub entries: Vec<Entry<'a>>,
    /// Files that could not be checked.
    pub failed: Vec<&'a FileReport>,
    pub score: Score,
    pub counts: Counts,
    /// Findings by MQM category, most frequent first.
    pub by_category: Vec<(&'a str, usize)>,
    /// Findings by rule, most frequent first.
    pub by_rule: Vec<RuleCount<'a>>,
    pub fixable: usize,
    pub catalog: &'a RuleCatalog,
}

impl<'a> Batch<'a> {
    pub fn new(reports: &'a [FileReport], catalog: &'a RuleCatalog) -> Self {
        let mut entries = Vec::new();
        let mut failed = Vec::new();
        let mut score = Score::default();
        let mut counts = Counts::default();
        let mut by_category: BTreeMap<&str, usize> = BTreeMap::new();
        let mut by_rule: BTreeMap<&str, RuleCount> = BTreeMap::new();
        let mut fixable = 0;
        for report in reports {
            let Some(doc) = report.document() else {
                failed.push(report);
                continue;
            };
            let mut s = Score {
                words: html::target_words(doc),
                penalty: 0,
            };
            let mut c = Counts::default();
            for d in report.diagnostics() {
                s.add_finding(d.severity);
                c.add(d.severity);
                *by_category.entry(d.category()).or_default() += 1;
                by_rule
                    .entry(d.rule_id())
                    .or_insert_with(|| RuleCount {
                        id: d.rule_id(),
                        severity: d.severity,
                        category: d.category(),
                        count: 0,
                        summary: catalog.get(d.rule_id()).map(|r| r.summary.clone()).unwrap_or_default(),
                    })
                    .count += 1;
                fixable += usize::from(d.fix.is_some());
            }
            score.add(s);
            counts.errors += c.errors;
            counts.warnings += c.warnings;
            counts.infos += c.infos;
            entries.push(Entry {
                report,
                doc,
                score: s,
                counts: c,
            });
        }
        // Worst first: lowest score, then most penalty points, then by path for a stable order.
        entries.sort_by(|a, b| {
            a.score
                .quality()
                .total_cmp(&b.score.quality())
                .then(b.score.penalty.cmp(&a.score.penalty))
                .then(a.report.path.cmp(&b.report.path))
        });
        let mut by_category: Vec<_> = by_category.into_iter().collect();
        by_category.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut by_rule: Vec<_> = by_rule.into_values().collect();
        by_rule.sort_by(|a, b| b.count.cmp(&a.count).then(a.id.cmp(b.id)));
        Batch {
            entries,
            failed,
            score,
            counts,
            by_category,
            by_rule,
            fixable,
            catalog,
        }
    }

    pub fn files(&self) -> usize {
        self.entries.len() + self.failed.len()
    }
}

/// `n` and the noun, plural when `n` is not 1.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), crate::sanitize::noun(n, one, many))
}

/// `n` with thousands separated by commas: `12,345`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Shows what an edit deletes or inserts when it is invisible: control and zero-width
/// characters by code point, and spaces as `␣` when the text is only spacing.
pub fn visible(s: &str) -> String {
    let spacing = s.chars().all(|c| c == ' ' || c == '\t' || c == '\n');
    let mut out = String::new();
    for c in s.chars() {
        match c {
            ' ' if spacing => out.push('\u{2423}'),
            '\n' => out.push('\u{21b5}'),
            '\t' if spacing => out.push('\u{21e5}'),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{a0}' | '\u{202f}' | '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
                ) =>
            {
                out.push_str(&format!("\u{27e8}U+{:04X}\u{27e9}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}
