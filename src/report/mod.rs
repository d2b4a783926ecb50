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
use crate::output::{FileReport, RuleCatalog};

/// Findings counted by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    pub fn of(&self, s: Severity) -> usize {
        match s {
            Severity::Error => self.errors,
            Severity::Warning => self.warnings,
            Severity::Info => self.infos,
        }
    }
}

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

/// A piece of a fix shown as an inline diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Same(String),
    Del(String),
    Ins(String),
}

/// Characters of unchanged text shown on each side of a fix.
const CONTEXT: usize = 30;

fn tail_chars(s: &str, n: usize) -> String {
    let count = s.chars().count();
    if count <= n {
        return s.to_string();
    }
    let skip: String = s.chars().skip(count - n).collect();
    format!("\u{2026}{skip}")
}

fn head_chars(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let head: String = s.chars().take(n).collect();
    format!("{head}\u{2026}")
}

/// Unchanged text between edits, its middle cut when long.
fn middle(s: &str) -> String {
    let count = s.chars().count();
    if count <= 2 * CONTEXT {
        return s.to_string();
    }
    let head: String = s.chars().take(CONTEXT).collect();
    let tail: String = s.chars().skip(count - CONTEXT).collect();
    format!("{head} \u{2026} {tail}")
}

/// The text of `at`'s line (not before `body`) before `at`, at most its last `n` characters:
/// a bounded window, so a long line with many fixes costs no more than a short one.
fn line_before(text: &str, body: usize, at: usize, n: usize) -> &str {
    let mut from = at;
    for (i, c) in text[body.min(at)..at].char_indices().rev().take(n) {
        if c == '\n' {
            break;
        }
        from = body.min(at) + i;
    }
    &text[from..at]
}

/// The text of `at`'s line after `at`, at most its first `n` characters.
fn line_after(text: &str, at: usize, n: usize) -> &str {
    let rest = &text[at..];
    let end = rest
        .char_indices()
        .take(n)
        .find(|&(_, c)| c == '\n' || c == '\r')
        .map(|(i, _)| i)
        .or_else(|| rest.char_indices().nth(n).map(|(i, _)| i))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The fix's edits as deletions and insertions, with some unchanged text of the same line
/// around them.
pub fn diff_pieces(doc: &Document, fix: &crate::diagnostic::Fix) -> Vec<Piece> {
    let text = &doc.text;
    let span = fix.span();
    let mut pieces = Vec::new();
    let before = tail_chars(line_before(text, doc.body, span.start, CONTEXT + 1), CONTEXT);
    if !before.is_empty() {
        pieces.push(Piece::Same(before));
    }
    let mut pos = span.start;
    for e in &fix.edits {
        if e.span.start < pos {
            continue;
        }
        if e.span.start > pos {
            pieces.push(Piece::Same(middle(&text[pos..e.span.start])));
        }
        if !e.span.is_empty() {
            pieces.push(Piece::Del(text[e.span.start..e.span.end].to_string()));
        }
        if !e.replacement.is_empty() {
            pieces.push(Piece::Ins(e.replacement.clone()));
        }
        pos = e.span.end;
    }
    // A fix that takes a whole line with its line break has no "after" on its own line.
    let after = if text[..span.end].ends_with('\n') {
        String::new()
    } else {
        head_chars(line_after(text, pos.max(span.end), CONTEXT + 1), CONTEXT)
    };
    if !after.is_empty() {
        pieces.push(Piece::Same(after));
    }
    pieces
}
