//! The one preview of a fix: its edits as deletions and insertions with a little unchanged
//! text of the same line around them. The HTML and Markdown reports and `fix --interactive`
//! show fixes this way.

use crate::diagnostic::Fix;
use crate::document::Document;

/// A piece of a fix shown as an inline diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Unchanged text around or between the edits.
    Same(String),
    /// Text the fix deletes.
    Del(String),
    /// Text the fix inserts.
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
pub fn diff_pieces(doc: &Document, fix: &Fix) -> Vec<Piece> {
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
