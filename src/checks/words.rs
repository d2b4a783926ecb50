//! The words of a document as the word-level checks read them ([`crate::segment::words::words`]:
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
//! answers live in a `Vec` of that length; [`WordTable::distinct_words`] gives the ids by
//! text, for words read apart (a sentence read on its own, say); and [`SentenceStarts`] answers
//! [`Document::starts_sentence`] for words read in order without a search.

pub use crate::segment::words::*;

use crate::document::Document;
use crate::span::Span;

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
    use std::collections::HashMap;

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
        let want: Vec<Span> = crate::segment::words::words(&text).collect();
        for stretch in [1, 7, 100, 5000] {
            let mut got = Vec::new();
            let mut at = 0;
            while at < text.len() {
                let to = cut_at_or_after(&text, at + stretch);
                let table = WordTable::build(&text, at, to);
                let ids: HashMap<&str, u32> = table.distinct_words(&text).collect();
                assert_eq!(ids.len(), table.distinct());
                for i in 0..table.len() {
                    let (span, id) = (table.span(i), table.id(i));
                    assert_eq!(ids[span.text(&text)], id);
                    assert_eq!(table.shape(id), shape(span.text(&text)));
                    got.push(span);
                }
                at = to;
            }
            assert_eq!(got, want, "stretch {stretch}");
        }
    }

    #[test]
    fn long_runs_of_letters_are_read_as_by_the_whole_scan() {
        // Runs of letters of every length up to several blocks, at every offset in a block,
        // some joined by apostrophes or glued to a digit: a run that crosses blocks is read
        // by blocks past its first bytes, and the blocks it covers are skipped.
        for lead in 0..70 {
            for len in [1, 15, 16, 17, 40, 63, 64, 65, 100, 127, 128, 129, 191, 192, 200, 500] {
                let run = "ab".repeat(len).split_off(len);
                for tail in ["", " end", "'s more", "’t x", "7 x", "’"] {
                    let text = format!("{}{run}{tail} and {run}", " ".repeat(lead));
                    let want: Vec<Span> = crate::segment::words::words(&text).collect();
                    let table = WordTable::build(&text, 0, text.len());
                    let got: Vec<Span> = (0..table.len()).map(|i| table.span(i)).collect();
                    assert_eq!(got, want, "lead {lead}, run of {len}, tail {tail:?}");
                }
            }
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
                let alone: Vec<Span> = crate::segment::words::words(span.text(&text))
                    .map(|s| Span::new(s.start + start, s.end + start))
                    .collect();
                let whole: Vec<Span> = table.starting_in(span).map(|i| table.span(i)).collect();
                assert_eq!(alone, whole, "{:?} {:?}", span.text(&text), &b[start..end]);
            }
        }
    }

    #[test]
    fn quiet_bytes_are_the_listed_ones() {
        for c in 0..=255u8 {
            let listed = c.is_ascii() && !c.is_ascii_alphanumeric() && !b"'._@/\\#$%&=<>{}|~^`*+".contains(&c);
            assert_eq!(is_quiet(c), listed, "{c}");
        }
    }

    #[test]
    fn word_keys_are_the_tables() {
        let text = sample();
        let table = WordTable::build(&text, 0, text.len());
        for (word, id) in table.distinct_words(&text) {
            assert_eq!(word_key(word), table.key(id), "{word:?}");
        }
    }

    #[test]
    fn remembered_answers_are_kept() {
        let (a, b) = (new_asker(), new_asker());
        // Past the table's first size, and past the number of answers kept, when it starts
        // afresh.
        for k in 0..300_000u128 {
            let want = (k % 251) as u8;
            assert_eq!(remembered(a, Some(k), || want), want, "{k}");
            assert_eq!(remembered(b, Some(k), || !want), !want, "{k}");
            assert_eq!(remembered(a, Some(k), || unreachable!()), want, "{k}");
            assert_eq!(remembered(b, Some(k), || unreachable!()), !want, "{k}");
        }
        assert_eq!(remembered(a, None, || 7), 7);
        assert_eq!(remembered(a, None, || 8), 8);
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
