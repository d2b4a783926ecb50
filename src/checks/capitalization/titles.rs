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
use crate::segment::words::{cut_at_or_after, words_from};
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
    /// Every word of every title, as written.
    words: Vec<String>,
    /// The most words a title has.
    longest_words: usize,
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
        let mut words: Vec<String> = titles
            .iter()
            .flat_map(|t| t.split_whitespace())
            .map(str::to_string)
            .collect();
        words.sort();
        words.dedup();
        let longest_words = titles.iter().map(|t| t.split_whitespace().count()).max().unwrap_or(0);
        Titles {
            by_first,
            longest_first,
            first_filter,
            lower_words,
            longest_lower,
            words,
            longest_words,
        }
    }
}

impl Titles {
    /// The titles whose first word is `w`, compared without case and without allocating.
    fn starting_with(&self, w: &str) -> Option<&Vec<(Vec<String>, String)>> {
        let mut buf = [0u8; 32];
        if w.len() > self.longest_first || w.len() > buf.len() || !self.first_filter.admits(w) {
            return None;
        }
        buf[..w.len()].copy_from_slice(w.as_bytes());
        buf[..w.len()].make_ascii_lowercase();
        std::str::from_utf8(&buf[..w.len()])
            .ok()
            .and_then(|l| self.by_first.get(l))
    }

    /// True when `w` is a title of one word.
    fn is_title(&self, w: &str) -> bool {
        self.starting_with(w)
            .is_some_and(|v| v.iter().any(|(words, _)| words.len() == 1))
    }

    /// True when `w` is some title's word, in any case: a title may go on over it.
    fn is_title_word(&self, w: &str) -> bool {
        self.words.iter().any(|t| t.eq_ignore_ascii_case(w))
    }
}

// Not inlined into the kind's `check`, so that a profile shows each sub-check apart.
#[inline(never)]
pub fn title_before_name(doc: &Document, rule: RuleIdx, titles: &Titles, sink: &mut Sink<'_>) {
    let starts_sentence = |at: usize| doc.starts_sentence(at);
    find_titles(
        &doc.text,
        || doc.sentences(),
        starts_sentence,
        titles,
        |span, problem, title| {
            super::suggest(rule, span, problem, title, sink);
        },
    );
}

/// What [`title_before_name`] reports, given to `report` as (span, problem, title): the
/// titles in `text` (whose sentences `sentences` gives, asked for only when needed) read as
/// each sentence's words from its start find them, where `starts_sentence` says which
/// offsets start a sentence.
fn find_titles<'s>(
    text: &str,
    sentences: impl Fn() -> &'s [Span],
    starts_sentence: impl Fn(usize) -> bool,
    titles: &Titles,
    mut report: impl FnMut(Span, &'static str, &str),
) {
    let Some(lower_words) = &titles.lower_words else {
        return;
    };
    // A title is reported only when one of its words is in lower case (before a name, or
    // beside a capitalised one): only the places of such words are read, word by word from a
    // little before them (see [`Window`]). The sentences are asked for at the first match only
    // (a document may have none).
    let found = title_words_alone(text, &sentences, lower_words, titles.longest_lower);
    if found.is_empty() {
        return;
    }
    let sentences = sentences();
    let mut spans: Vec<Span> = Vec::new();
    // The sentence read last, and where its reading of titles stopped: the next word it would
    // read.
    let mut read: Option<(usize, usize)> = None;
    for (i, at) in found {
        let sentence = sentences[i];
        let resume = match read {
            Some((j, resume)) if j == i => resume,
            _ => sentence.start,
        };
        if at < resume {
            // Read already, or inside a title read already.
            continue;
        }
        let stop = match Window::around(text, sentence, at, titles, &mut spans) {
            Some(Window { first, word }) => {
                let reading = Reading {
                    text,
                    spans: &spans,
                    until: spans[word].start,
                    report_from: resume,
                };
                let stop = reading.read(first, titles, &starts_sentence, &mut report);
                spans.get(stop).map_or(sentence.end, |s| s.start)
            }
            // No word of a title there (`party's`): nothing read.
            None => resume,
        };
        read = Some((i, stop));
    }
}

/// Where [`read_titles`] may start to read the words of a sentence before a title's word in
/// lower case, and still read as it would from the sentence's start: the words of the sentence
/// from a cut before that word on, in `spans` (as [`words`] of the whole sentence gives them),
/// `word` that word's index there, and `first` the index of a word the reading from the
/// sentence's start reads (no title it finds goes on over it), with the word before it in
/// `spans` unless it is the sentence's first.
struct Window {
    first: usize,
    word: usize,
}

impl Window {
    /// The window around the word at `at` in `sentence`, or `None` when no word of [`words`]
    /// starts there. `spans` holds the words read, enough after the word for every test of a
    /// title starting at or before it.
    fn around(text: &str, sentence: Span, at: usize, titles: &Titles, spans: &mut Vec<Span>) -> Option<Window> {
        let s = sentence.text(text);
        let rel = at - sentence.start;
        // Words after the title's word that a title starting at or before it reads: its other
        // words, and the two of a name and one more after them.
        let after = titles.longest_words + 3;
        // Bytes read before the word at first: most often the word before it is no title's
        // word, and it is all that is needed.
        let mut back = 24;
        loop {
            let from = if back >= rel { 0 } else { cut_at_or_after(s, rel - back) };
            back *= 2;
            if from > rel {
                continue;
            }
            spans.clear();
            let mut word = None;
            for w in words_from(s, from) {
                let w = Span::new(w.start + sentence.start, w.end + sentence.start);
                if word.is_none() {
                    if w.end > at {
                        if w.start != at {
                            // A longer word holds the title's word, or it is no word.
                            return None;
                        }
                        word = Some(spans.len());
                    }
                } else if spans.len() >= word.unwrap_or(0) + after {
                    break;
                }
                spans.push(w);
            }
            let word = word?;
            // Back over the words a title may go on over: a title's word joined to the next
            // by one space.
            let mut first = word;
            while first > 0 && joined(text, spans, first - 1) && titles.is_title_word(spans[first - 1].text(text)) {
                first -= 1;
            }
            if first > 0 || from == 0 {
                return Some(Window { first, word });
            }
        }
    }
}

/// Words `k` and `k + 1` of `spans` are separated by one space.
fn joined(text: &str, spans: &[Span], k: usize) -> bool {
    k + 1 < spans.len() && &text[spans[k].end..spans[k + 1].start] == " "
}

/// A reading of the titles among `spans`, the words of a sentence or a [`Window`] of them,
/// until it passes the word that starts at `until`, reporting those that start at
/// `report_from` or later.
struct Reading<'a> {
    text: &'a str,
    spans: &'a [Span],
    until: usize,
    report_from: usize,
}

impl Reading<'_> {
    /// Reads from word `k` (one the reading from the sentence's start reads); returns the
    /// index of the next word it would read.
    fn read(
        &self,
        mut k: usize,
        titles: &Titles,
        starts_sentence: impl Fn(usize) -> bool,
        mut report: impl FnMut(Span, &'static str, &str),
    ) -> usize {
        let (text, spans) = (self.text, self.spans);
        let word = |k: usize| spans[k].text(text);
        let joined = |k: usize| joined(text, spans, k);
        while k < spans.len() && spans[k].start <= self.until {
            let Some(candidates) = titles.starting_with(word(k)) else {
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
            if spans[k].start < self.report_from {
                // Reported already.
                k += len;
                continue;
            }
            let found: Vec<&str> = (k..k + len).map(word).collect();
            let span = Span::new(spans[k].start, spans[k + len - 1].end);
            let at_start = starts_sentence(span.start);
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
                && !titles.is_title(word(next))
                && (next + 2 >= spans.len() || !joined(next + 1) || !is_capitalised(word(next + 2)));
            if (mixed && !at_start) || before_name {
                let problem = if before_name {
                    "a title before a name is capitalised"
                } else {
                    "a title is capitalised in one word and not in another"
                };
                report(span, problem, title);
            }
            k += len;
        }
        k
    }
}

/// The places of the matches of `words` (the titles' words in lower case, leftmost-longest and
/// standard, at most `longest` bytes) that are words of their own in their sentence (no ASCII
/// letter beside them within it), with their sentence's index (`sentences` gives them all),
/// in order, each once. Every word of a sentence in lower case that is a title's word is such
/// a match.
///
/// The leftmost-longest search passes over the matches that start inside one it finds: when
/// that one has a letter beside it (`vice` in `service`), they are looked for in its place.
fn title_words_alone<'s>(
    text: &str,
    sentences: &impl Fn() -> &'s [Span],
    (words, every): &(AhoCorasick, AhoCorasick),
    longest: usize,
) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut asked: Option<&[Span]> = None;
    // Notes the match at `start..end` when it is a word of its own in its sentence; says
    // whether it is.
    let mut note = |start: usize, end: usize| {
        let sentences = *asked.get_or_insert_with(sentences);
        let i = sentences.partition_point(|s| s.end <= start);
        let Some(sentence) = sentences.get(i) else {
            return false;
        };
        if start < sentence.start || end > sentence.end {
            return false;
        }
        let alone = (start == sentence.start || !b[start - 1].is_ascii_alphabetic())
            && (end == sentence.end || !b[end].is_ascii_alphabetic());
        if alone {
            found.push((i, start));
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
    found.sort_unstable_by_key(|&(_, start)| start);
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::words::words;

    /// The sentences (their indices, each once) holding a match of [`title_words_alone`].
    fn sentences_holding(
        text: &str,
        sentences: &[Span],
        lower_words: &(AhoCorasick, AhoCorasick),
        longest: usize,
    ) -> Vec<usize> {
        let mut held: Vec<usize> = title_words_alone(text, &|| sentences, lower_words, longest)
            .into_iter()
            .map(|(i, _)| i)
            .collect();
        held.dedup();
        held
    }

    /// What reading every sentence's words from its start reports: what [`find_titles`]
    /// reports reading only around the titles' words in lower case.
    fn whole_sentences(text: &str, sentences: &[Span], titles: &Titles) -> Vec<(Span, &'static str, String)> {
        let starts_sentence = |at: usize| sentences.iter().any(|s| s.start == at);
        let mut out = Vec::new();
        for &s in sentences {
            let spans: Vec<Span> = words(s.text(text))
                .map(|w| Span::new(w.start + s.start, w.end + s.start))
                .collect();
            let reading = Reading {
                text,
                spans: &spans,
                until: usize::MAX,
                report_from: 0,
            };
            reading.read(0, titles, starts_sentence, |span, problem, title| {
                out.push((span, problem, title.to_string()))
            });
        }
        out
    }

    #[test]
    fn reading_around_title_words_finds_what_whole_sentences_do() {
        let list = [
            "President",
            "Vice President",
            "Party Secretary",
            "Secretary",
            "Deputy Party Secretary",
            "Mayor",
            "Dean",
            "Vice",
        ];
        let titles = Titles::new(&list.map(String::from));
        let vocabulary = [
            "president",
            "President",
            "vice",
            "Vice",
            "VICE",
            "party",
            "Party",
            "secretary",
            "Secretary",
            "deputy",
            "Deputy",
            "mayor",
            "Mayor",
            "dean",
            "Hao",
            "Peng",
            "Luo",
            "Chen",
            "Jun",
            "the",
            "hospital",
            "of",
            "service",
            "party's",
            "x2",
            "association",
            "a",
            "and",
            "Deans",
            "president’s",
            "café",
        ];
        let gaps = [" ", " ", " ", " ", " ", ", ", ". ", "  ", "\n", "-", "'", " (", "é "];
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let mut checked = 0;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..next(120) {
                text.push_str(vocabulary[next(vocabulary.len())]);
                // Mostly single spaces, so that titles and names join.
                let gap = if next(3) == 0 { gaps[next(gaps.len())] } else { " " };
                text.push_str(gap);
            }
            let mut sentences = Vec::new();
            let mut start = 0;
            for (i, _) in text.match_indices(['.', '\n']) {
                sentences.push(Span::new(start, i + 1));
                start = i + 1;
            }
            sentences.push(Span::new(start, text.len()));
            let starts_sentence = |at: usize| sentences.iter().any(|s| s.start == at);
            let mut found = Vec::new();
            find_titles(
                &text,
                || &sentences[..],
                starts_sentence,
                &titles,
                |span, problem, title| found.push((span, problem, title.to_string())),
            );
            let want = whole_sentences(&text, &sentences, &titles);
            checked += want.len();
            assert_eq!(found, want, "{text}");
        }
        assert!(checked > 1000, "{checked}");
    }

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
                sentences_holding(text, sentences, lower_words, titles.longest_lower),
                word_by_word(text, sentences, &list)
            );
        }
        assert_eq!(
            sentences_holding(text, &sentences, lower_words, titles.longest_lower),
            [0, 5, 6, 7]
        );
    }
}
