//! Echoes longer than one doubled word, as machine translation writes them: a phrase twice in
//! a row (`of the town of the town`), a word repeated after commas (`Fujian, Fujian, Fujian`)
//! or joined to itself (`benevolence and benevolence`), a paragraph written twice in a row.
//!
//! All fixes are unsafe but the phrase of three words or more written twice in a row: lists,
//! emphasis ("very, very"), lyrics and headings repeat on purpose.

use std::collections::HashSet;

#[cfg(test)]
use super::for_each_word;
use super::Words;
use crate::checks::{RuleIdx, Sink};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::span::Span;

/// The longest phrase looked for, in words.
const MAX_PHRASE: usize = 6;
/// Words remembered before a word: enough for two copies of the longest phrase.
const WINDOW: usize = 2 * MAX_PHRASE;

/// Words a [`Window`] reads at a time, after the `WINDOW` it keeps from before.
const BATCH: usize = 64;
/// Words a [`Window`] holds.
const HELD: usize = WINDOW + BATCH;

/// The words of a text read a batch at a time, with their [`Shape`]s and `near` bits, and the
/// `WINDOW` words before the batch. A word costs a few stores; the `near` bits of a batch are
/// worked out at once, in a loop over arrays that the compiler vectorises, and only the words
/// with some (a sixth of them in English) are looked at one by one.
pub(super) struct Window {
    spans: [Span; HELD],
    shapes: [Shape; HELD],
    /// Per word, bit `d`: the word `d` words back may be the same as this one.
    near: [u32; HELD],
    len: usize,
}

impl Window {
    pub(super) fn new() -> Self {
        Window {
            spans: [Span::new(0, 0); HELD],
            shapes: [Shape::ANY; HELD],
            near: [0; HELD],
            len: 0,
        }
    }

    /// Reads the next batch of `words`: returns where its first word is held, and bit `k` set
    /// for its `k`-th word when that word's `near` bits are not 0; `None` when the words are
    /// all read. The words of the batch before are dropped but the last `WINDOW`. Not inlined:
    /// its loops keep their state in registers, as they would not in the check's.
    #[inline(never)]
    pub(super) fn read(&mut self, text: &str, words: &mut Words) -> Option<(usize, u64)> {
        if self.len > WINDOW {
            let keep = self.len - WINDOW;
            self.spans.copy_within(keep..self.len, 0);
            self.shapes.copy_within(keep..self.len, 0);
            self.near.copy_within(keep..self.len, 0);
            self.len = WINDOW;
        }
        let from = self.len;
        // At most `BATCH` words, one bit each of the mask returned.
        let to = HELD.min(from + BATCH);
        let read = words.fill(&mut self.spans[from..to], &mut self.shapes[from..to], |word, ascii| {
            Shape::of_known(text, word, ascii)
        });
        if read == 0 {
            return None;
        }
        self.len += read;
        // Bit `d` of a word's `near`: the word `d` back may be the same. Every echo, and
        // every doubled word, ends with a word that is the same as one of the `MAX_PHRASE`
        // before it: where none may be, there is none, and most words stop there. The first
        // words of the text have fewer before them. The loop over the others vectorises.
        let full = from.max(MAX_PHRASE).min(self.len);
        for i in from..full {
            let shape = self.shapes[i];
            self.near[i] = (1..=i).fold(0, |near, d| {
                near | u32::from(self.shapes[i - d].may_be_same(shape)) << d
            });
        }
        let shapes = &self.shapes[..self.len];
        for (i, near) in self.near[..self.len].iter_mut().enumerate().skip(full) {
            let before = &shapes[i - MAX_PHRASE..i];
            *near = (1..=MAX_PHRASE).fold(0, |near, d| {
                near | u32::from(before[MAX_PHRASE - d].may_be_same(shapes[i])) << d
            });
        }
        let hits = self.near[from..self.len]
            .iter()
            .enumerate()
            .fold(0u64, |hits, (k, &near)| hits | u64::from(near != 0) << k);
        Some((from, hits))
    }

    /// The `near` bits of the word held at `i`.
    pub(super) fn near(&self, i: usize) -> u32 {
        self.near[i]
    }

    /// The word held at `i`.
    pub(super) fn span(&self, i: usize) -> Span {
        self.spans[i]
    }

    /// Bit `n` set for each length `n` of phrase that may be written twice in a row up to the
    /// word held at `i`: each of the last `n` words may be the same as the word `n` before it.
    /// Most words that may be the same as one a few back ("the … the") are not the end of such
    /// a run, and stop here.
    #[inline]
    pub(super) fn phrase_lengths(&self, i: usize) -> u32 {
        let k = i + 1;
        let mut all = self.near[k - 1];
        let mut lengths = 0;
        for n in 2..=MAX_PHRASE.min(k / 2) {
            all &= self.near[k - n];
            if all >> n == 0 {
                break;
            }
            lengths |= all & 1 << n;
        }
        lengths
    }

    /// The `WINDOW` words up to the one held at `i`, and their shapes.
    fn recent(&self, i: usize) -> (&[Span], &[Shape]) {
        let from = (i + 1).saturating_sub(WINDOW);
        (&self.spans[from..=i], &self.shapes[from..=i])
    }
}

/// One `check = "phrases"` rule's search: the echoes found, reported after the scan.
pub(super) struct Echoes<'a, 't> {
    rule: RuleIdx,
    allow: &'a HashSet<String>,
    /// Where the last echo ended: echoes overlapping it are the same echo.
    reported_to: usize,
    found: Vec<Echo<'t>>,
}

impl<'a, 't> Echoes<'a, 't> {
    pub(super) fn new(rule: RuleIdx, allow: &'a HashSet<String>) -> Self {
        Echoes {
            rule,
            allow,
            reported_to: 0,
            found: Vec::new(),
        }
    }

    /// Looks for an echo ending with the word held at `i` in `window`, whose `near` bits are
    /// not 0, and whose [`Window::phrase_lengths`] are `lengths`.
    pub(super) fn look(&mut self, text: &'t str, window: &Window, i: usize, near: u32, lengths: u32) {
        let (recent, shapes) = window.recent(i);
        if recent[recent.len() - 1].start < self.reported_to {
            return;
        }
        let mut found = None;
        if lengths != 0 {
            found = echoed_phrase(text, recent, shapes, self.allow, lengths);
        }
        // A word joined to itself is the same as the word one or two back.
        if found.is_none() && near & 0b110 != 0 {
            found = joined_to_itself(text, recent, self.allow);
        }
        if let Some(found) = found {
            self.reported_to = found.span.end;
            self.found.push(found);
        }
    }

    /// Reports the echoes found, then the paragraphs written twice.
    pub(super) fn report(self, doc: &Document, sink: &mut Sink<'_>) {
        for found in self.found {
            sink.fix(
                self.rule,
                found.span,
                &[("word", found.phrase)],
                vec![Edit::delete(found.delete)],
                found.applicability,
            );
        }
        repeated_paragraphs(self.rule, doc, sink);
    }
}

/// A repetition found: what the finding covers, the words its message quotes, and what its
/// fix deletes.
pub(super) struct Echo<'t> {
    pub(super) span: Span,
    pub(super) phrase: &'t str,
    pub(super) delete: Span,
    pub(super) applicability: Applicability,
}

/// What of a word [`same`] always compares, packed in a number: for an ASCII word its length
/// and its first and last bytes, case folded; for another word nothing (it may be the same as
/// any word, as lowercasing may change its length). Two words that are the same have equal
/// shapes, or one of them is not ASCII.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Shape(u32);

impl Shape {
    /// The shape of a word that is not ASCII.
    const ANY: Shape = Shape(u32::MAX);

    #[cfg(test)]
    fn of(text: &str, word: Span) -> Shape {
        Self::of_known(text, word, word.text(text).is_ascii())
    }

    /// [`Shape::of`] a word known to be all ASCII or not (`ascii`). An ASCII word's bytes
    /// (letters, digits, `'` and `-`) are lowercased by setting bit 5, as the others have it.
    #[inline]
    fn of_known(text: &str, word: Span, ascii: bool) -> Shape {
        let bytes = &text.as_bytes()[word.start..word.end];
        match (bytes.first(), bytes.last()) {
            (Some(&first), Some(&last)) if ascii && bytes.len() < 1 << 16 => {
                Shape((bytes.len() as u32) << 16 | u32::from(first | 0x20) << 8 | u32::from(last | 0x20))
            }
            _ => Shape::ANY,
        }
    }

    /// False when the words cannot be the [`same`].
    fn may_be_same(self, other: Shape) -> bool {
        self == other || self == Shape::ANY || other == Shape::ANY
    }
}

fn same(text: &str, a: Span, b: Span) -> bool {
    let (x, y) = (text.as_bytes()[a.start], text.as_bytes()[b.start]);
    // Most words differ in their first letter: when both are ASCII that settles it.
    if x.is_ascii() && y.is_ascii() && !x.eq_ignore_ascii_case(&y) {
        return false;
    }
    let (a, b) = (a.text(text), b.text(text));
    a.eq_ignore_ascii_case(b) || (!(a.is_ascii() && b.is_ascii()) && a.to_lowercase() == b.to_lowercase())
}

fn gap(text: &str, a: Span, b: Span) -> &str {
    &text[a.end..b.start]
}

fn is_space(gap: &str) -> bool {
    !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\t')
}

/// A phrase of two to six words written twice in a row with spaces only between its words:
/// `the development of the development of`. The doubled single word is the words rule's.
/// `shapes` are the words' [`Shape`]s, compared before the words themselves; bit `n` of
/// `near` is clear when the last word cannot be the same as the word `n` before it, so that no
/// phrase of `n` words ends there.
fn echoed_phrase<'t>(
    text: &'t str,
    recent: &[Span],
    shapes: &[Shape],
    allow: &HashSet<String>,
    near: u32,
) -> Option<Echo<'t>> {
    let end = recent.len();
    for n in 2..=MAX_PHRASE.min(end / 2) {
        if near & (1 << n) == 0 {
            continue;
        }
        let (first, second) = (&recent[end - 2 * n..end - n], &recent[end - n..]);
        let may_be_same = shapes[end - 2 * n..end - n]
            .iter()
            .zip(&shapes[end - n..])
            .all(|(&a, &b)| a.may_be_same(b));
        if !may_be_same || !first.iter().zip(second).all(|(&a, &b)| same(text, a, b)) {
            continue;
        }
        let all = &recent[end - 2 * n..];
        if !all.windows(2).all(|w| is_space(gap(text, w[0], w[1]))) {
            continue;
        }
        // `very very very` is the words rule's; a phrase needs two different words, one of
        // them with three letters or more, and no digits (`1 2 1 2`).
        let words: HashSet<String> = first.iter().map(|w| w.text(text).to_lowercase()).collect();
        let letters = |w: &Span| w.text(text).chars().all(char::is_alphabetic);
        if words.len() < 2 || !first.iter().all(letters) || !first.iter().any(|w| w.len() >= 3) {
            continue;
        }
        // `and more and more` is the emphasis `more and more`.
        if words.iter().any(|w| allow.contains(w)) {
            continue;
        }
        let phrase = &text[first[0].start..first[n - 1].end];
        return Some(Echo {
            span: Span::new(first[0].start, second[n - 1].end),
            phrase,
            delete: Span::new(first[n - 1].end, second[n - 1].end),
            applicability: if n >= 3 {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            },
        });
    }
    None
}

/// One word after itself with a comma between (`Fujian, Fujian, Fujian`, `prepare, prepare`)
/// or joined to itself by "and" (`benevolence and benevolence`). Emphasis (`very, very`,
/// `more and more`, the rule's `allow`), comparatives (`closer and closer`) and plurals of
/// amount (`miles and miles`) are English.
fn joined_to_itself<'t>(text: &'t str, recent: &[Span], allow: &HashSet<String>) -> Option<Echo<'t>> {
    let fits = |w: Span| {
        let word = w.text(text);
        word.chars().all(char::is_alphabetic) && word.chars().count() >= 3 && !allow.contains(&word.to_lowercase())
    };
    if let [.., a, b] = recent {
        let (a, b) = (*a, *b);
        if same(text, a, b) && fits(a) && is_comma(gap(text, a, b)) && !continues_run(text, b) {
            // Take the whole run: `Fujian, Fujian, Fujian`.
            let mut first = a;
            let mut copies = 2;
            for &w in recent[..recent.len() - 2].iter().rev() {
                if !(same(text, w, a) && is_comma(gap(text, w, first))) {
                    break;
                }
                first = w;
                copies += 1;
            }
            // Two copies only when the run ends there (`prepare, prepare, commit`), not when
            // the second starts a new phrase (`in business, business people`).
            if copies >= 3 || ends_phrase(text, b) {
                return Some(Echo {
                    span: Span::new(first.start, b.end),
                    phrase: a.text(text),
                    delete: Span::new(first.end, b.end),
                    applicability: Applicability::Unsafe,
                });
            }
        }
    }
    let [.., a, and, b] = recent else { return None };
    let (a, b) = (*a, *b);
    let joined =
        and.text(text).eq_ignore_ascii_case("and") && is_space(gap(text, a, *and)) && is_space(gap(text, *and, b));
    if !(joined && same(text, a, b)) {
        return None;
    }
    let word = a.text(text);
    let lower = word.to_lowercase();
    let plural = lower.ends_with('s') && !lower.ends_with("ss");
    let emphasis = lower.ends_with("er") || plural || word.starts_with(char::is_uppercase);
    // `task and task scheduling` joins two phrases that share a word.
    (fits(a) && !emphasis && ends_phrase(text, b)).then(|| Echo {
        span: Span::new(a.start, b.end),
        phrase: word,
        delete: Span::new(a.end, b.end),
        applicability: Applicability::Unsafe,
    })
}

/// True when `, word` follows `word` again: the run goes on and is reported at its end.
fn continues_run(text: &str, word: Span) -> bool {
    let after = text[word.end..].trim_start_matches([' ', '\t']);
    let Some(after) = after.strip_prefix([',', '，']) else {
        return false;
    };
    let after = after.trim_start_matches([' ', '\t']);
    let w = word.text(text);
    after.len() >= w.len()
        && after.is_char_boundary(w.len())
        && after[..w.len()].eq_ignore_ascii_case(w)
        && !after[w.len()..].starts_with(char::is_alphanumeric)
}

/// True when punctuation or the end of the line follows `word`.
fn ends_phrase(text: &str, word: Span) -> bool {
    let after = text[word.end..].trim_start_matches([' ', '\t']);
    after.is_empty() || after.starts_with([',', '.', ';', ':', ')', '\n', '\r', '，', '。', '；', '!', '?'])
}

fn is_comma(gap: &str) -> bool {
    let t = gap.trim_matches([' ', '\t']);
    t == "," || t == "，"
}

/// A title-like paragraph (three words or more, no sentence end) identical to the one before
/// it: a headline scraped twice. The second copy goes, with the break before it.
fn repeated_paragraphs(rule: RuleIdx, doc: &Document, sink: &mut Sink<'_>) {
    let text = &doc.text;
    for pair in doc.paragraphs().windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (ta, tb) = (a.text(text).trim(), b.text(text).trim());
        if ta != tb
            || ta
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphabetic))
                .count()
                < 3
        {
            continue;
        }
        // A title scraped twice ends no sentence; sentences said twice may be a refrain.
        if ta.ends_with(['.', '!', '?', '。', '！', '？', '"', '”', ':']) {
            continue;
        }
        let lead = b.text(text).len() - b.text(text).trim_start().len();
        let span = Span::new(b.start + lead, b.start + lead + tb.len());
        let first_end = a.start + (a.text(text).len() - a.text(text).trim_start().len()) + ta.len();
        sink.fix(
            rule,
            span,
            &[("word", ta)],
            vec![Edit::delete(Span::new(first_end, span.end))],
            Applicability::Unsafe,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Span> {
        let mut v = Vec::new();
        for_each_word(text, |w| v.push(w));
        v
    }

    fn echo(text: &str) -> Option<String> {
        let w = words(text);
        let allow = ["more"].map(String::from).into();
        let shapes: Vec<Shape> = w.iter().map(|&x| Shape::of(text, x)).collect();
        echoed_phrase(text, &w, &shapes, &allow, u32::MAX).map(|e| e.span.text(text).to_string())
    }

    fn joined(text: &str) -> Option<String> {
        let w = words(text);
        let allow = ["very", "more", "again", "over"].map(String::from).into();
        joined_to_itself(text, &w, &allow).map(|e| e.span.text(text).to_string())
    }

    #[test]
    fn the_window_finds_the_shapes_a_comparison_of_each_finds() {
        let words = ["the", "The", "town", "of", "Guzhen", "café", "Café", "it’s", "a", "x"];
        let mut text = String::new();
        let mut seed = 7u64;
        for _ in 0..400 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            text += words[(seed >> 33) as usize % words.len()];
            text.push(' ');
        }
        let mut window = Window::new();
        let mut all: Vec<Shape> = Vec::new();
        let mut words = Words::new(&text);
        while let Some((from, hits)) = window.read(&text, &mut words) {
            for i in from..window.len {
                let word = window.span(i);
                let shape = Shape::of(&text, word);
                let g = all.len();
                let want =
                    (1..=MAX_PHRASE.min(g)).fold(0u32, |near, d| near | u32::from(all[g - d].may_be_same(shape)) << d);
                assert_eq!(window.near(i), want, "word {g}");
                assert_eq!(hits >> (i - from) & 1 == 1, want != 0);
                all.push(shape);
            }
        }
        assert_eq!(all.len(), 400);
    }

    #[test]
    fn phrases_twice_in_a_row() {
        assert_eq!(
            echo("the growth of the town of the town").as_deref(),
            Some("of the town of the town")
        );
        assert_eq!(echo("in Huzhou in Huzhou").as_deref(), Some("in Huzhou in Huzhou"));
        assert_eq!(echo("very very very"), None);
        assert_eq!(echo("one two, one two"), None);
        assert_eq!(echo("1 2 1 2"), None);
        assert_eq!(echo("a b a b"), None);
        assert_eq!(echo("and more and more"), None);
    }

    #[test]
    fn words_joined_to_themselves() {
        assert_eq!(
            joined("Fujian, Fujian, Fujian").as_deref(),
            Some("Fujian, Fujian, Fujian")
        );
        assert_eq!(joined("we prepare, prepare").as_deref(), Some("prepare, prepare"));
        assert_eq!(joined("in business, business people"), None);
        assert_eq!(
            joined("with kindness and kindness.").as_deref(),
            Some("kindness and kindness")
        );
        assert_eq!(joined("task and task scheduling"), None);
        for ok in [
            "very, very",
            "more and more",
            "closer and closer",
            "miles and miles",
            "Johnson and Johnson",
            "no, no",
            "again and again",
        ] {
            assert_eq!(joined(ok), None, "{ok}");
        }
    }
}
