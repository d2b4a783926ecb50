//! The words of a document as the word-level checks read them ([`super::spelling::words`]:
//! ASCII letters with inner apostrophes, not glued to code or numbers), read once and kept as
//! a compact table that `romanization` and `spelling` share (and `capitalization` could).
//!
//! Each word is its start and an id: words written alike (byte for byte) share the id, so a
//! check works out what it asks of a word (is it pinyin, does the dictionary know it, is it a
//! known misspelling) once per distinct word of the document, kept in a vector indexed by the
//! id, instead of once per occurrence, and reads the word's case from one byte of the table.
//!
//! A document of up to [`WHOLE`] bytes keeps its table ([`Document::word_table`]); a larger
//! one is read in stretches of about [`STRETCH`] bytes, each with its own table, built as they
//! are read and dropped after ([`for_each_table`]), so that memory stays a small part of the
//! text's size. The stretches are cut where no word can cross (see [`cut_at_or_after`]), and
//! each is read with the whole text around it, so the words are those of one scan of the text.
//!
//! For another check adopting the table: ids are dense (`0..table.distinct()`), so per-word
//! answers live in a `Vec` of that length; [`WordTable::id_of`] finds the id of a word read
//! apart (a sentence read on its own, say), and [`SentenceStarts`] answers
//! [`Document::starts_sentence`] for words read in order without a search.

use std::collections::HashMap;

use crate::document::Document;
use crate::span::Span;

/// Maps with a fast hash: every word of a document is looked up once.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// A document of up to this many bytes keeps its table.
pub const WHOLE: usize = 4 << 20;
/// The length a larger document is read in, in bytes, each stretch with its own table.
pub const STRETCH: usize = 1 << 20;

/// A word with no ASCII capital letter.
pub const LOWER: u8 = 1;
/// A word with one capital letter, its first.
pub const CAPITALISED: u8 = 2;
/// A word whose first letter is a capital.
pub const FIRST_UPPER: u8 = 4;
/// A word with a capital after its first letter (`PBFT`, `iPhone`, `ZhangHaiCong`).
pub const INNER_UPPER: u8 = 8;
/// A word with a curly apostrophe (its only possible byte that is not ASCII).
pub const CURLY: u8 = 16;
/// A word with a straight apostrophe.
pub const APOSTROPHE: u8 = 32;

/// The case and apostrophe bits of `word`: [`LOWER`], [`CAPITALISED`], [`FIRST_UPPER`],
/// [`INNER_UPPER`], [`CURLY`], [`APOSTROPHE`].
pub fn shape(word: &str) -> u8 {
    let b = word.as_bytes();
    let first_upper = b.first().is_some_and(u8::is_ascii_uppercase);
    let inner_upper = b.iter().skip(1).any(u8::is_ascii_uppercase);
    let mut shape = 0;
    if !first_upper && !inner_upper {
        shape |= LOWER;
    }
    if first_upper {
        shape |= FIRST_UPPER;
        if !inner_upper {
            shape |= CAPITALISED;
        }
    }
    if inner_upper {
        shape |= INNER_UPPER;
    }
    if !word.is_ascii() {
        shape |= CURLY;
    }
    if b.contains(&b'\'') {
        shape |= APOSTROPHE;
    }
    shape
}

/// One occurrence of a word: its start (from the table's base) and its id.
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    start: u32,
    id: u32,
}

/// One distinct word: where it first occurs (from the table's base), its length and
/// [`shape`].
#[derive(Debug, Clone, Copy)]
struct Distinct {
    start: u32,
    len: u32,
    shape: u8,
}

/// The words of a stretch of a text, in order, each with the id of its text. See the module's
/// documentation.
#[derive(Debug, Default)]
pub struct WordTable {
    /// Where the stretch starts and ends in the text: every word lies inside.
    base: usize,
    end: usize,
    words: Vec<Occurrence>,
    distinct: Vec<Distinct>,
    /// The ids of words of up to 15 bytes, keyed by their bytes and length packed into one
    /// integer (no string to allocate or compare); longer words by their text.
    short: FastMap<u128, u32>,
    long: FastMap<Box<str>, u32>,
}

/// `len` bytes (at most 15) at `start` and the length, packed into one integer.
#[inline]
fn packed(bytes: &[u8], start: usize, len: usize) -> u128 {
    let low = match bytes.get(start..start + 16) {
        Some(sixteen) => {
            let all = u128::from_le_bytes(sixteen.try_into().unwrap_or_default());
            all & ((1u128 << (8 * len)) - 1)
        }
        None => {
            let mut buf = [0u8; 16];
            buf[..len].copy_from_slice(&bytes[start..start + len]);
            u128::from_le_bytes(buf)
        }
    };
    low | (len as u128) << 120
}

impl WordTable {
    /// The table of the words of `text` that start in `from..to`, read with the whole text
    /// around them; `from` and `to` must be cuts ([`cut_at_or_after`], or the text's ends).
    pub fn build(text: &str, from: usize, to: usize) -> WordTable {
        let bytes = text.as_bytes();
        let mut table = WordTable {
            base: from,
            end: to,
            ..WordTable::default()
        };
        // Offsets from the base fit in 32 bits: a stretch is cut short of 4 GiB.
        let rel = |at: usize| (at - from) as u32;
        for span in super::spelling::words_from(text, from) {
            if span.start >= to {
                break;
            }
            let len = span.len();
            let next = table.distinct.len() as u32;
            let id = if len <= 15 {
                *table.short.entry(packed(bytes, span.start, len)).or_insert(next)
            } else {
                *table.long.entry(Box::from(span.text(text))).or_insert(next)
            };
            if id == next {
                table.distinct.push(Distinct {
                    start: rel(span.start),
                    len: len as u32,
                    shape: shape(span.text(text)),
                });
            }
            table.words.push(Occurrence {
                start: rel(span.start),
                id,
            });
        }
        table
    }

    /// Where the table's stretch of the text starts and ends.
    pub fn stretch(&self) -> Span {
        Span::new(self.base, self.end)
    }

    /// The number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// The number of distinct words: ids run from 0 to this.
    pub fn distinct(&self) -> usize {
        self.distinct.len()
    }

    /// The span of word `i`.
    #[inline]
    pub fn span(&self, i: usize) -> Span {
        let w = self.words[i];
        let start = self.base + w.start as usize;
        Span::new(start, start + self.distinct[w.id as usize].len as usize)
    }

    /// The id of word `i`.
    #[inline]
    pub fn id(&self, i: usize) -> u32 {
        self.words[i].id
    }

    /// The [`shape`] of the word with id `id`.
    #[inline]
    pub fn shape(&self, id: u32) -> u8 {
        self.distinct[id as usize].shape
    }

    /// The text of the word with id `id`; `text` is the text the table was built from.
    pub fn text_of<'t>(&self, text: &'t str, id: u32) -> &'t str {
        let d = self.distinct[id as usize];
        let start = self.base + d.start as usize;
        &text[start..start + d.len as usize]
    }

    /// The words in order, as (span, id).
    pub fn iter(&self) -> impl Iterator<Item = (Span, u32)> + '_ {
        (0..self.words.len()).map(|i| (self.span(i), self.words[i].id))
    }

    /// The indices of the words that start in `span`.
    pub fn starting_in(&self, span: Span) -> std::ops::Range<usize> {
        let at = |offset: usize| {
            let rel = offset.saturating_sub(self.base).min(u32::MAX as usize) as u32;
            self.words.partition_point(|w| w.start < rel)
        };
        at(span.start)..at(span.end)
    }

    /// The id of `word`, when the table holds it.
    pub fn id_of(&self, word: &str) -> Option<u32> {
        if word.len() <= 15 {
            self.short.get(&packed(word.as_bytes(), 0, word.len())).copied()
        } else {
            self.long.get(word).copied()
        }
    }
}

/// The first place at or after `at` where a stretch of `text` may be cut: the end, or an
/// ASCII byte that is neither a letter nor an apostrophe. No word holds such a byte (a word
/// is letters joined by apostrophes), so no word crosses the cut, and the scan of the words
/// passes there between two words: a scan started there reads what the whole scan reads.
pub fn cut_at_or_after(text: &str, at: usize) -> usize {
    let b = text.as_bytes();
    let mut c = at.min(b.len());
    while c < b.len() && !(b[c].is_ascii() && !b[c].is_ascii_alphabetic() && b[c] != b'\'') {
        c += 1;
    }
    c
}

/// Calls `f` with the tables of `doc`'s words in order: the document's own table when it has
/// [`WHOLE`] bytes or fewer, else one table for each stretch of about [`STRETCH`] bytes, built
/// for the call and dropped after it.
pub fn for_each_table(doc: &Document, mut f: impl FnMut(&WordTable)) {
    let text = doc.text.as_str();
    if text.len() <= WHOLE {
        f(doc.word_table());
        return;
    }
    let mut at = 0;
    while at < text.len() {
        // A stretch must stay under 4 GiB for its 32-bit offsets.
        let to = cut_at_or_after(text, at + STRETCH).min(at + (u32::MAX as usize >> 1));
        f(&WordTable::build(text, at, to));
        at = to;
    }
}

/// True when a sentence starting or ending beside byte `c` reads the same words alone as in
/// the whole text: an ASCII byte that is no letter, digit, apostrophe, dot nor one of the code
/// characters that glue a word to code (see [`super::spelling::words`]).
pub fn is_quiet(c: u8) -> bool {
    c.is_ascii() && !c.is_ascii_alphanumeric() && !b"'._@/\\#$%&=<>{}|~^`*+".contains(&c)
}

/// True when the words of `text[span]` read on their own are the words of the whole text
/// that start in `span`: the bytes just inside or outside each of its ends are quiet
/// ([`is_quiet`]), so that no word crosses an end and the tests on the characters beside a
/// word see the same there.
pub fn reads_alone_as_in_whole(text: &str, span: Span) -> bool {
    let b = text.as_bytes();
    let start_ok = span.start == 0
        || is_quiet(b[span.start - 1])
        || b.get(span.start).is_some_and(|&c| is_quiet(c) && span.start < span.end);
    let end_ok = span.end == b.len() || is_quiet(b[span.end]) || (span.end > span.start && is_quiet(b[span.end - 1]));
    start_ok && end_ok
}

/// Answers [`Document::starts_sentence`] for offsets asked in increasing order, walking the
/// sentences once instead of searching them at each question.
pub struct SentenceStarts<'d> {
    text: &'d str,
    sentences: &'d [Span],
    next: usize,
}

impl<'d> SentenceStarts<'d> {
    pub fn new(doc: &'d Document) -> Self {
        SentenceStarts {
            text: &doc.text,
            sentences: doc.sentences(),
            next: 0,
        }
    }

    /// [`Document::starts_sentence`] of `offset`, which is no smaller than any asked before.
    pub fn starts_sentence(&mut self, offset: usize) -> bool {
        while self.sentences.get(self.next).is_some_and(|s| s.end <= offset) {
            self.next += 1;
        }
        match self.sentences.get(self.next).filter(|s| s.start <= offset) {
            Some(s) => self.text[s.start..offset].chars().all(|c| !c.is_alphanumeric()),
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> String {
        let mut t = String::new();
        let pieces = [
            "The ",
            "the ",
            "Xi'an ",
            "town’s ",
            "file.txt ",
            "e.g. ",
            "a_b ",
            "中文",
            "well-known ",
            "x@y.z ",
            "Zhang ",
            "guangdong ",
            "\n\n",
            "13year ",
            "ab’ ",
            "it. ",
            "Élan ",
            "THE ",
            "iPhone ",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..3000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            t.push_str(pieces[(seed % pieces.len() as u64) as usize]);
        }
        t
    }

    #[test]
    fn stretches_read_the_words_of_the_whole_scan() {
        let text = sample();
        let want: Vec<Span> = super::super::spelling::words(&text).collect();
        for stretch in [1, 7, 100, 5000] {
            let mut got = Vec::new();
            let mut at = 0;
            while at < text.len() {
                let to = cut_at_or_after(&text, at + stretch);
                let table = WordTable::build(&text, at, to);
                for (span, id) in table.iter() {
                    assert_eq!(table.text_of(&text, id), span.text(&text));
                    assert_eq!(table.shape(id), shape(span.text(&text)));
                    assert_eq!(table.id_of(span.text(&text)), Some(id));
                    got.push(span);
                }
                at = to;
            }
            assert_eq!(got, want, "stretch {stretch}");
        }
    }

    #[test]
    fn quiet_ends_read_alone_as_in_the_whole() {
        let text = sample();
        let table = WordTable::build(&text, 0, text.len());
        let b = text.as_bytes();
        for start in (0..text.len()).step_by(7).filter(|&s| text.is_char_boundary(s)) {
            for end in [start + 1, start + 13, start + 40] {
                if end > text.len() || !text.is_char_boundary(end) {
                    continue;
                }
                let span = Span::new(start, end);
                if !reads_alone_as_in_whole(&text, span) {
                    continue;
                }
                let alone: Vec<Span> = super::super::spelling::words(span.text(&text))
                    .map(|s| Span::new(s.start + start, s.end + start))
                    .collect();
                let whole: Vec<Span> = table.starting_in(span).map(|i| table.span(i)).collect();
                assert_eq!(alone, whole, "{:?} {:?}", span.text(&text), &b[start..end]);
            }
        }
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("town"), LOWER);
        assert_eq!(shape("Town"), CAPITALISED | FIRST_UPPER);
        assert_eq!(shape("PBFT"), FIRST_UPPER | INNER_UPPER);
        assert_eq!(shape("iPhone"), INNER_UPPER);
        assert_eq!(shape("town’s"), LOWER | CURLY);
        assert_eq!(shape("Xi'an"), CAPITALISED | FIRST_UPPER | APOSTROPHE);
    }
}
