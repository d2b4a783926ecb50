//! `title-before-name`: a formal title written in lower case right before a personal name
//! (`governor Hao Peng`, `secretary Luo Huining`), and a title whose words are capitalised
//! inconsistently (`vice President`, `deputy Director`). Style guides capitalise a formal
//! title that precedes a name as part of it (Chicago Manual of Style 8.21); machine
//! translation of Chinese, which has no capitals, leaves it in lower case. The titles are the
//! rule's `terms`, each as it is written before a name.

use std::collections::HashMap;

use super::super::spelling::words;
use super::super::{RuleIdx, Sink};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::span::Span;

fn is_lower(w: &str) -> bool {
    w.bytes().all(|b| b.is_ascii_lowercase())
}

fn is_capitalised(w: &str) -> bool {
    let mut b = w.bytes();
    b.next().is_some_and(|c| c.is_ascii_uppercase()) && b.all(|c| c.is_ascii_lowercase())
}

pub fn title_before_name(doc: &Document, rule: RuleIdx, titles: &[String], sink: &mut Sink<'_>) {
    let text = doc.text.as_str();
    // Lower-cased title, as words → the title as written before a name.
    let by_words: HashMap<Vec<String>, &str> = titles
        .iter()
        .map(|t| (t.split_whitespace().map(str::to_ascii_lowercase).collect(), t.as_str()))
        .collect();
    let longest = by_words.keys().map(Vec::len).max().unwrap_or(0);
    if longest == 0 {
        return;
    }
    for &sentence in doc.sentences() {
        let spans: Vec<Span> = words(sentence.text(text))
            .map(|s| Span::new(s.start + sentence.start, s.end + sentence.start))
            .collect();
        let word = |k: usize| spans[k].text(text);
        // Words k and k + 1 are separated by one space.
        let joined = |k: usize| k + 1 < spans.len() && &text[spans[k].end..spans[k + 1].start] == " ";
        let mut k = 0;
        while k < spans.len() {
            let mut hit = None;
            for len in (1..=longest.min(spans.len() - k)).rev() {
                if !(k..k + len - 1).all(joined) {
                    continue;
                }
                let key: Vec<String> = (k..k + len).map(|i| word(i).to_ascii_lowercase()).collect();
                if let Some(&title) = by_words.get(&key) {
                    hit = Some((len, title));
                    break;
                }
            }
            let Some((len, title)) = hit else {
                k += 1;
                continue;
            };
            let found: Vec<&str> = (k..k + len).map(word).collect();
            let span = Span::new(spans[k].start, spans[k + len - 1].end);
            let at_start = doc.starts_sentence(span.start);
            // Capitalised inconsistently: some words as in the title, some in lower case.
            let mixed = len > 1
                && found.iter().any(|w| is_lower(w))
                && found
                    .iter()
                    .zip(title.split_whitespace())
                    .any(|(f, t)| *f == t && !is_lower(t));
            // In lower case before a name of two capitalised words ("Hao Peng"), which are
            // not themselves a title.
            let next = k + len;
            // After a noun the title describes ("the hospital president Chen Jun", "the
            // association chairman Zhu") it may stay in lower case; after punctuation or a
            // short function word ("of", "and", "by") it is part of the name.
            let described = k > 0 && joined(k - 1) && word(k - 1).len() > 3 && is_lower(word(k - 1));
            let before_name = found.iter().all(|w| is_lower(w))
                && !at_start
                && !described
                && joined(next - 1)
                && next + 1 < spans.len()
                && joined(next)
                && is_capitalised(word(next))
                && is_capitalised(word(next + 1))
                && !by_words.contains_key(&vec![word(next).to_ascii_lowercase()])
                && (next + 2 >= spans.len() || !joined(next + 1) || !is_capitalised(word(next + 2)));
            if (mixed && !at_start) || before_name {
                let problem = if before_name {
                    "a title before a name is capitalised"
                } else {
                    "a title is capitalised in one word and not in another"
                };
                sink.fix(
                    rule,
                    span,
                    &[("problem", problem), ("canonical", title)],
                    vec![Edit::replace(span, title.to_string())],
                    Applicability::Unsafe,
                );
            }
            k += len;
        }
    }
}
