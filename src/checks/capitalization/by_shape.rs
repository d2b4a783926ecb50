//! Capitalisation judged from the document itself, with no term list:
//! - `distinctive-case`: a word the document writes with an inner capital somewhere (`MySQL`,
//!   `RocksDB`, `sendGroup`) written otherwise elsewhere (`mysql`, `Rocksdb`);
//! - `heading-start`: a Markdown heading that starts with a lower-case word (`## motivation`).

use std::collections::HashMap;

use super::super::{RuleIdx, Sink};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::formats::InputFormat;
use crate::span::Span;

/// ASCII words of three letters or more, with their spans; a word glued to `.`, `_`, `-`, `/`,
/// `@`, `\` or a digit is part of an identifier, a file name or a path and is skipped.
fn words(text: &str) -> impl Iterator<Item = Span> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if !bytes[i].is_ascii_alphabetic() {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            let glued =
                |b: u8| b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-' | b'/' | b'@' | b'\\' | b'$' | b'#');
            let before = start.checked_sub(1).map(|k| bytes[k]);
            let after = bytes.get(i).copied();
            // A full stop after a word ends a sentence unless a letter follows it.
            let dot_ends = after == Some(b'.') && bytes.get(i + 1).is_none_or(|b| !b.is_ascii_alphanumeric());
            // Part of a longer word with letters beyond ASCII (`café`).
            let letter_beside = text[..start].chars().next_back().is_some_and(char::is_alphabetic)
                || text[i..].chars().next().is_some_and(char::is_alphabetic);
            if i - start >= 3 && !before.is_some_and(glued) && (dot_ends || !after.is_some_and(glued)) && !letter_beside
            {
                return Some(Span::new(start, i));
            }
        }
        None
    })
}

/// How a word is written: with a capital after its first letter (`MySQL`, `sendGroup`), in
/// capitals (`PBFT`), capitalised (`Json`), or in lower case.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    Inner,
    Upper,
    Capitalised,
    Lower,
}

fn shape(word: &str) -> Shape {
    let b = word.as_bytes();
    if b.iter().all(u8::is_ascii_uppercase) {
        Shape::Upper
    } else if b[1..].iter().any(u8::is_ascii_uppercase) {
        Shape::Inner
    } else if b[0].is_ascii_uppercase() {
        Shape::Capitalised
    } else {
        Shape::Lower
    }
}

pub fn distinctive_case(doc: &Document, rule: RuleIdx, sink: &mut Sink<'_>) {
    let text = &doc.text;
    // First the words written with an inner capital somewhere; then every written form of
    // those words only (a large file holds millions of words, few of them names).
    let mut forms: HashMap<String, Vec<Span>> = HashMap::new();
    for span in words(&text[..]) {
        let w = span.text(text);
        if shape(w) == Shape::Inner {
            forms.entry(w.to_ascii_lowercase()).or_default();
        }
    }
    if forms.is_empty() {
        return;
    }
    for span in words(&text[..]) {
        let w = span.text(text);
        if let Some(spans) = forms.get_mut(w.to_ascii_lowercase().as_str()) {
            spans.push(span);
        }
    }
    for spans in forms.values() {
        if spans.len() < 2 {
            continue;
        }
        // The distinctive form: written with an inner capital, or in capitals (four letters or
        // more, outside shouted lines: `US`/`us`, `WHO`/`who` are different words).
        let mut distinctive: Option<&str> = None;
        let mut ambiguous = false;
        for &s in spans {
            let w = s.text(text);
            // Only an inner capital marks a name: a word in capitals may be an acronym (`PBFT`)
            // or a common word in emphasis, a constant or a headline (`ERROR`, `SEASON`).
            let is_distinctive = shape(w) == Shape::Inner;
            if is_distinctive {
                match distinctive {
                    None => distinctive = Some(w),
                    Some(d) if d != w => ambiguous = true,
                    _ => {}
                }
            }
        }
        let (Some(right), false) = (distinctive, ambiguous) else {
            continue;
        };
        // The distinctive form must be the document's usual one: written at least as often
        // as all its other forms together (`pArty` once beside `Party` twice is a slip).
        let usual = spans.iter().filter(|s| s.text(text) == right).count();
        if usual * 2 < spans.len() {
            continue;
        }
        for &s in spans {
            let w = s.text(text);
            let flagged = match shape(w) {
                Shape::Lower => true,
                // `Json` for `JSON`; a capitalised sentence start of `mysql` is still wrong.
                Shape::Capitalised => true,
                Shape::Upper => false,
                Shape::Inner => w != right,
            };
            if !flagged {
                continue;
            }
            let replacement = right.to_string();
            let problem = format!("written \"{right}\" elsewhere in this document");
            sink.fix(
                rule,
                s,
                &[("problem", &problem), ("canonical", right)],
                vec![Edit::replace(s, replacement)],
                Applicability::Unsafe,
            );
        }
    }
}

pub fn heading_start(doc: &Document, rule: RuleIdx, sink: &mut Sink<'_>) {
    // Markdown headings, and the same `#` lines in plain text converted from Markdown.
    if !matches!(doc.format, InputFormat::Markdown | InputFormat::Text) {
        return;
    }
    let text = &doc.text;
    let mut seen = None;
    for line in doc.lines() {
        // In Markdown the `#` marker is masked, outside the line's prose region: read it from
        // the physical line.
        let from = text[..line.start].rfind('\n').map_or(0, |i| i + 1);
        if seen == Some(from) {
            continue;
        }
        seen = Some(from);
        let l = &text[from..line.end];
        let hashes = l.bytes().take_while(|&b| b == b'#').count();
        if !(1..=6).contains(&hashes) || !l[hashes..].starts_with(' ') {
            continue;
        }
        let title = l[hashes..].trim();
        // A heading that names code (`console.log(…)`, `md_ utils`, `--flag`) keeps its case.
        if title.is_empty() || title.contains(['(', '.', '_', '`', '[', '/', '<', '{', '-', ':', '=']) {
            continue;
        }
        let first = title.split_whitespace().next().unwrap_or("");
        if first.len() < 2 || !first.bytes().all(|b| b.is_ascii_lowercase()) {
            continue;
        }
        let start = from + hashes + l[hashes..].find(first).unwrap_or(0);
        let span = Span::new(start, start + first.len());
        let capital = super::super::capitalize(first);
        sink.fix(
            rule,
            span,
            &[("problem", "heading starts in lower case"), ("canonical", &capital)],
            vec![Edit::replace(span, capital.clone())],
            Applicability::Unsafe,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_skip_identifiers_and_paths() {
        let text = "Use mysql.conf, my-sql and db_name; MySQL runs. pbft/x and Json.";
        let found: Vec<&str> = words(text).map(|s| s.text(text)).collect();
        assert_eq!(found, ["Use", "and", "MySQL", "runs", "and", "Json"]);
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("MySQL"), Shape::Inner);
        assert_eq!(shape("sendGroup"), Shape::Inner);
        assert_eq!(shape("PBFT"), Shape::Upper);
        assert_eq!(shape("Json"), Shape::Capitalised);
        assert_eq!(shape("mysql"), Shape::Lower);
    }
}
