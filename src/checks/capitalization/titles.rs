//! `title-before-name`: a formal title written in lower case right before a personal name
//! (`governor Hao Peng`, `secretary Luo Huining`), and a title whose words are capitalised
//! inconsistently (`vice President`, `deputy Director`). Style guides capitalise a formal
//! title that precedes a name as part of it (Chicago Manual of Style 8.21); machine
//! translation of Chinese, which has no capitals, leaves it in lower case. The titles are the
//! rule's `terms`, each as it is written before a name.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};

use super::super::{RuleIdx, Sink};
use super::by_shape::KeyFilter;
use crate::document::Document;
use crate::segment::words::words;
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
    /// Finds the titles' words in lower case (`president`, `vice`), so that only sentences
    /// holding one are read: a title is reported only when one of its words is in lower case.
    /// The first finds the longest at the leftmost place, quickly; the second every one, in the
    /// few places where the first may pass over one.
    lower_words: Option<(AhoCorasick, AhoCorasick)>,
    /// The longest of those words, in bytes.
    longest_lower: usize,
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
        // Only the words that can be written in lower case: ASCII letters.
        let mut lower: Vec<String> = by_first
            .values()
            .flatten()
            .flat_map(|(words, _)| words.iter())
            .filter(|w| w.bytes().all(|b| b.is_ascii_alphabetic()))
            .map(|w| w.to_ascii_lowercase())
            .collect();
        lower.sort();
        lower.dedup();
        let longest_lower = lower.iter().map(String::len).max().unwrap_or(0);
        let build = |kind| {
            AhoCorasick::builder()
                .match_kind(kind)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&lower)
                .ok()
        };
        let lower_words = (!lower.is_empty())
            .then(|| build(MatchKind::LeftmostLongest).zip(build(MatchKind::Standard)))
            .flatten();
        Titles {
            by_first,
            longest_first,
            first_filter,
            lower_words,
            longest_lower,
        }
    }
}

// Not inlined into the kind's `check`, so that a profile shows each sub-check apart.
#[inline(never)]
pub fn title_before_name(doc: &Document, rule: RuleIdx, titles: &Titles, sink: &mut Sink<'_>) {
    let text = doc.text.as_str();
    let Some(lower_words) = &titles.lower_words else {
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
    // A title is reported only when one of its words is in lower case (before a name, or
    // beside a capitalised one): only the sentences holding such a word are read word by word.
    // The sentences are asked for at the first match only (a document may have none).
    let wanted = sentences_holding(text, || doc.sentences(), lower_words, titles.longest_lower);
    if wanted.is_empty() {
        return;
    }
    let sentences = doc.sentences();
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

/// The indices of the sentences (in order, each once; `sentences` gives them all) that hold a
/// match of `words` (the
/// titles' words in lower case, leftmost-longest and standard, at most `longest` bytes) as a
/// word of their own: no ASCII letter beside it within the sentence. Every word of a sentence in
/// lower case that is a title's word is such a match.
///
/// The leftmost-longest search passes over the matches that start inside one it finds: when
/// that one has a letter beside it (`vice` in `service`), they are looked for in its place.
fn sentences_holding<'s>(
    text: &str,
    sentences: impl Fn() -> &'s [Span],
    (words, every): &(AhoCorasick, AhoCorasick),
    longest: usize,
) -> Vec<usize> {
    let b = text.as_bytes();
    let mut wanted: Vec<usize> = Vec::new();
    let mut asked: Option<&[Span]> = None;
    // Notes the sentence of the match at `start..end` when it is a word of its own there;
    // says whether it is.
    let mut note = |start: usize, end: usize| {
        let sentences = *asked.get_or_insert_with(&sentences);
        let i = sentences.partition_point(|s| s.end <= start);
        let Some(sentence) = sentences.get(i) else {
            return false;
        };
        if start < sentence.start || end > sentence.end {
            return false;
        }
        let alone = (start == sentence.start || !b[start - 1].is_ascii_alphabetic())
            && (end == sentence.end || !b[end].is_ascii_alphabetic());
        if alone && wanted.last() != Some(&i) {
            wanted.push(i);
        }
        alone
    };
    for m in words.find_iter(text) {
        if note(m.start(), m.end()) {
            continue;
        }
        let window = Input::new(text).range(m.start()..(m.end() + longest).min(text.len()));
        for o in every.find_overlapping_iter(window) {
            if o.start() < m.end() && o.range() != m.range() {
                note(o.start(), o.end());
            }
        }
    }
    // Overlapping matches come by their ends, not their starts.
    wanted.sort_unstable();
    wanted.dedup();
    wanted
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sentences holding a title's word in lower case, as reading every sentence's words
    /// finds them.
    fn word_by_word(text: &str, sentences: &[Span], titles: &[&str]) -> Vec<usize> {
        let lower: Vec<String> = titles
            .iter()
            .flat_map(|t| t.split_whitespace())
            .map(|w| w.to_ascii_lowercase())
            .collect();
        (0..sentences.len())
            .filter(|&i| {
                let sentence = sentences[i].text(text);
                sentence
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .any(|w| lower.iter().any(|l| l == w))
            })
            .collect()
    }

    #[test]
    fn sentences_with_a_title_word_in_lower_case() {
        let list = ["Mayor", "Vice President", "Dean", "President", "Ice", "Presidents"];
        let titles = Titles::new(&list.map(String::from));
        let lower_words = titles.lower_words.as_ref().unwrap();
        let text = "The Mayor met the mayor. Deans and VICE deans.\nNo title here. Mayormayor. x mayor \
                    vice President. Service and presidents. president";
        let mut ends: Vec<usize> = text.match_indices(['.', '\n']).map(|(i, _)| i + 1).collect();
        ends.push(text.len());
        let mut sentences = Vec::new();
        let mut start = 0;
        for end in ends {
            sentences.push(Span::new(start, end));
            start = end;
        }
        // Sentence ends inside words too, and text between sentences.
        let glued: Vec<Span> = (0..text.len() / 7)
            .map(|k| Span::new(k * 7, (k * 7 + 6).min(text.len())))
            .collect();
        for sentences in [&sentences[..], &glued[..]] {
            assert_eq!(
                sentences_holding(text, || sentences, lower_words, titles.longest_lower),
                word_by_word(text, sentences, &list)
            );
        }
        assert_eq!(
            sentences_holding(text, || &sentences[..], lower_words, titles.longest_lower),
            [0, 5, 6, 7]
        );
    }
}
