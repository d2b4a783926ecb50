//! `title-before-name`: a formal title written in lower case right before a personal name
//! (`governor Hao Peng`, `secretary Luo Huining`), and a title whose words are capitalised
//! inconsistently (`vice President`, `deputy Director`). Style guides capitalise a formal
//! title that precedes a name as part of it (Chicago Manual of Style 8.21); machine
//! translation of Chinese, which has no capitals, leaves it in lower case. The titles are the
//! rule's `terms`, each as it is written before a name.

use std::collections::HashMap;

use aho_corasick::AhoCorasick;

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

/// A `title-before-name` rule's titles, indexed once when the rule is compiled.
pub struct Titles {
    /// The titles by their first word, lower-cased, longest first: (words, title).
    by_first: HashMap<String, Vec<(Vec<String>, String)>>,
    /// The longest first word, in bytes.
    longest_first: usize,
    /// Finds the titles' first words, so that only sentences holding one are read.
    first_words: Option<AhoCorasick>,
}

impl Titles {
    pub fn new(titles: &[String]) -> Self {
        let mut by_first: HashMap<String, Vec<(Vec<String>, String)>> = HashMap::new();
        for t in titles {
            let words: Vec<String> = t.split_whitespace().map(str::to_string).collect();
            if let Some(first) = words.first() {
                by_first
                    .entry(first.to_ascii_lowercase())
                    .or_default()
                    .push((words, t.clone()));
            }
        }
        for v in by_first.values_mut() {
            v.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        }
        let longest_first = by_first.keys().map(String::len).max().unwrap_or(0);
        let first_words = (!by_first.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(by_first.keys())
                    .ok()
            })
            .flatten();
        Titles {
            by_first,
            longest_first,
            first_words,
        }
    }
}

pub fn title_before_name(doc: &Document, rule: RuleIdx, titles: &Titles, sink: &mut Sink<'_>) {
    let text = doc.text.as_str();
    let Some(first_words) = &titles.first_words else {
        return;
    };
    let (by_first, longest_first) = (&titles.by_first, titles.longest_first);
    // The titles whose first word is `w`, compared without case and without allocating.
    let starting_with = |w: &str| {
        let mut buf = [0u8; 32];
        if w.len() > longest_first || w.len() > buf.len() {
            return None;
        }
        buf[..w.len()].copy_from_slice(w.as_bytes());
        buf[..w.len()].make_ascii_lowercase();
        std::str::from_utf8(&buf[..w.len()]).ok().and_then(|l| by_first.get(l))
    };
    let is_title = |w: &str| starting_with(w).is_some_and(|v| v.iter().any(|(words, _)| words.len() == 1));
    // Only sentences holding a title's first word are read word by word.
    let sentences = doc.sentences();
    let mut wanted: Vec<usize> = first_words
        .find_iter(text)
        .map(|m| sentences.partition_point(|s| s.end <= m.start()))
        .filter(|&i| i < sentences.len())
        .collect();
    wanted.dedup();
    let mut spans: Vec<Span> = Vec::new();
    for sentence in wanted.into_iter().map(|i| sentences[i]) {
        spans.clear();
        spans.extend(words(sentence.text(text)).map(|s| Span::new(s.start + sentence.start, s.end + sentence.start)));
        let word = |k: usize| spans[k].text(text);
        // Words k and k + 1 are separated by one space.
        let joined = |k: usize| k + 1 < spans.len() && &text[spans[k].end..spans[k + 1].start] == " ";
        let mut k = 0;
        while k < spans.len() {
            let candidates = starting_with(word(k));
            let Some(candidates) = candidates else {
                k += 1;
                continue;
            };
            let hit = candidates.iter().find(|(words, _)| {
                k + words.len() <= spans.len()
                    && (k..k + words.len() - 1).all(joined)
                    && words
                        .iter()
                        .enumerate()
                        .all(|(i, t)| word(k + i).eq_ignore_ascii_case(t))
            });
            let Some((title_words, title)) = hit else {
                k += 1;
                continue;
            };
            let len = title_words.len();
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
                && !is_title(word(next))
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
                    &[("problem", problem), ("canonical", title.as_str())],
                    vec![Edit::replace(span, title.to_string())],
                    Applicability::Unsafe,
                );
            }
            k += len;
        }
    }
}
