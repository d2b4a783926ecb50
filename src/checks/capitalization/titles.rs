//! `title-before-name`: a formal title written in lower case right before a personal name
//! (`governor Hao Peng`, `secretary Luo Huining`), and a title whose words are capitalised
//! inconsistently (`vice President`, `deputy Director`). Style guides capitalise a formal
//! title that precedes a name as part of it (Chicago Manual of Style 8.21); machine
//! translation of Chinese, which has no capitals, leaves it in lower case. The titles are the
//! rule's `terms`, each as it is written before a name.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input};

use super::super::spelling::words;
use super::super::{RuleIdx, Sink};
use super::by_shape::KeyFilter;
use crate::document::Document;
use crate::span::Span;

/// Maps keyed by a title's first word in lower case, read for each word of some sentences: a
/// fast hash.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

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
    /// The lengths and first letters of the first words: most words are not looked up.
    first_filter: KeyFilter,
    /// Finds the titles' first words, so that only sentences holding one are read.
    first_words: Option<AhoCorasick>,
}

impl Titles {
    pub fn new(titles: &[String]) -> Self {
        let mut by_first: HashMap<String, Vec<(Vec<String>, String)>> = HashMap::default();
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
        let mut first_filter = KeyFilter::default();
        for first in by_first.keys() {
            first_filter.add(first);
        }
        // A DFA: it reads the whole text of every document, and is built once. No prefilter:
        // the first words start with many letters, in either case, and one that stops at each
        // of them costs more than the DFA's reading of every byte.
        let first_words = (!by_first.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .kind(Some(AhoCorasickKind::DFA))
                    .prefilter(false)
                    .build(by_first.keys())
                    .ok()
            })
            .flatten();
        Titles {
            by_first,
            longest_first,
            first_filter,
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
        if w.len() > longest_first || w.len() > buf.len() || !titles.first_filter.admits(w) {
            return None;
        }
        buf[..w.len()].copy_from_slice(w.as_bytes());
        buf[..w.len()].make_ascii_lowercase();
        std::str::from_utf8(&buf[..w.len()]).ok().and_then(|l| by_first.get(l))
    };
    let is_title = |w: &str| starting_with(w).is_some_and(|v| v.iter().any(|(words, _)| words.len() == 1));
    // Only sentences holding a title's first word are read word by word.
    let Some(first) = first_words.find(text) else {
        return;
    };
    let sentences = doc.sentences();
    let wanted = sentences_holding(text, sentences, first_words, first);
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
                super::suggest(rule, span, problem, title, sink);
            }
            k += len;
        }
    }
}

/// The indices of the sentences (in order, each once) where the matches of `first_words`
/// start, from the match `first` on; a match between sentences counts for the next one.
///
/// Every match that starts before the end of the sentence of a match counts for that
/// sentence, so the search goes on from that end; unless a match may run across it (no
/// whitespace on either side of it, which no first word holds), and then from the match's end,
/// as a search for all the matches would.
fn sentences_holding(
    text: &str,
    sentences: &[Span],
    first_words: &AhoCorasick,
    first: aho_corasick::Match,
) -> Vec<usize> {
    let b = text.as_bytes();
    let mut wanted: Vec<usize> = Vec::new();
    let mut next = Some(first);
    while let Some(m) = next {
        let i = sentences.partition_point(|s| s.end <= m.start());
        let Some(sentence) = sentences.get(i) else {
            break;
        };
        if wanted.last() != Some(&i) {
            wanted.push(i);
        }
        let end = sentence.end;
        let apart = end >= b.len() || b[end - 1].is_ascii_whitespace() || b[end].is_ascii_whitespace();
        let from = if apart { end.max(m.end()) } else { m.end() };
        next = first_words.find(Input::new(text).range(from..));
    }
    wanted
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sentences where the matches start, as reading every match finds them.
    fn all_matches(text: &str, sentences: &[Span], first_words: &AhoCorasick) -> Vec<usize> {
        let mut wanted: Vec<usize> = first_words
            .find_iter(text)
            .map(|m| sentences.partition_point(|s| s.end <= m.start()))
            .filter(|&i| i < sentences.len())
            .collect();
        wanted.dedup();
        wanted
    }

    #[test]
    fn sentences_with_a_first_word() {
        let titles = Titles::new(&["Mayor".to_string(), "Vice President".to_string(), "Dean".to_string()]);
        let first_words = titles.first_words.as_ref().unwrap();
        let text = "The mayor met the mayor. Deans and VICE deans.\nNo title here. Mayormayor. x mayor";
        let mut ends: Vec<usize> = text.match_indices(['.', '\n']).map(|(i, _)| i + 1).collect();
        ends.push(text.len());
        let mut sentences = Vec::new();
        let mut start = 0;
        for end in ends {
            sentences.push(Span::new(start, end));
            start = end;
        }
        // Sentence ends inside words too, where a match may run across one.
        let glued: Vec<Span> = (0..text.len() / 7)
            .map(|k| Span::new(k * 7, (k * 7 + 7).min(text.len())))
            .collect();
        for sentences in [&sentences[..], &glued[..]] {
            let first = first_words.find(text).unwrap();
            assert_eq!(
                sentences_holding(text, sentences, first_words, first),
                all_matches(text, sentences, first_words)
            );
        }
        assert_eq!(
            sentences_holding(text, &sentences, first_words, first_words.find(text).unwrap()),
            [0, 1, 4, 5]
        );
    }
}
