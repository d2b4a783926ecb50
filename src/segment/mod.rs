//! Paragraphs and sentences: the units quote balance and sentence length are judged in.

use crate::span::Span;

pub mod blocks;
mod sentences;
pub mod words;

pub use sentences::{sentences, SentenceRules};

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// True when a line starts a list item (`1. `, `2, `, `3) `, `- `, `• `, `一、`).
pub fn is_list_item(line: &str) -> bool {
    let t = line.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &t[digits..];
        return rest.starts_with(". ") || rest.starts_with(", ") || rest.starts_with(") ") || rest.starts_with('、');
    }
    t.starts_with("- ") || t.starts_with("* ") || t.starts_with("• ")
}

/// Splits `text[body..]` into paragraphs. A blank line always ends one. A line also ends one,
/// unless the document is hard-wrapped (no line longer than 100 characters): machine
/// translations put each paragraph on one line, hand-edited drafts wrap them.
pub fn paragraphs(text: &str, body: usize) -> Vec<Span> {
    paragraphs_wrapped(text, body, is_hard_wrapped(text, body))
}

/// True when `text[body..]` is hard-wrapped: three lines or more, none longer than 100
/// characters.
pub fn is_hard_wrapped(text: &str, body: usize) -> bool {
    let mut lines = 0;
    for line in line_spans(text, body) {
        if line.len() > 100 && line.text(text).chars().count() > 100 {
            return false;
        }
        lines += 1;
    }
    lines >= 3
}

/// [`paragraphs`], with whether the document is hard-wrapped decided by the caller (a part of
/// a document is split the way the whole document is).
pub fn paragraphs_wrapped(text: &str, body: usize, wrapped: bool) -> Vec<Span> {
    let mut out = Vec::new();
    let mut current: Option<Span> = None;
    for line in line_spans(text, body) {
        let s = line.text(text);
        if is_blank(s) {
            out.extend(current.take());
            continue;
        }
        let trimmed = trim_span(text, line);
        match current {
            Some(cur) if wrapped && !is_list_item(s) => current = Some(Span::new(cur.start, trimmed.end)),
            _ => {
                out.extend(current.take());
                current = Some(trimmed);
            }
        }
    }
    out.extend(current);
    out
}

/// Lines of `text[body..]` without their terminators.
pub fn line_spans(text: &str, body: usize) -> impl Iterator<Item = Span> + '_ {
    let mut pos = body;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let end = memchr::memchr(b'\n', &text.as_bytes()[pos..]).map_or(text.len(), |i| pos + i);
        pos = end + 1;
        let content_end = if end > start && text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        Some(Span::new(start, content_end))
    })
}

pub(crate) fn trim_span(text: &str, span: Span) -> Span {
    let s = span.text(text);
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead == s.len() {
        return Span::empty(span.start);
    }
    Span::new(span.start + lead, span.end - trail)
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF | 0x20000..=0x2FFFF)
}

/// Counts words: runs of non-space characters holding a letter or digit; each CJK character
/// counts as one word.
pub fn count_words(s: &str) -> usize {
    let mut counter = WordCounter::default();
    counter.feed(s);
    counter.count()
}

/// An upper bound of [`count_words`] found without decoding: every word but the last ends at
/// a space or a CJK character, and a CJK character is a word itself, so there is at most one
/// more word than ASCII white space bytes plus twice the non-ASCII characters. Most
/// sentences are short enough that this settles them.
pub fn max_words(s: &str) -> usize {
    // Summed in `u8` lanes over chunks too short to overflow them, so the loop vectorises.
    let separators: usize = s
        .as_bytes()
        .chunks(127)
        .map(|chunk| {
            let sum = chunk.iter().fold(0u8, |sum, &b| {
                sum + u8::from(blocks::is_space(b)) + 2 * u8::from(b >= 0xc0)
            });
            usize::from(sum)
        })
        .sum();
    1 + separators
}

/// Counts the words of a text fed to it piece by piece (cut at character boundaries), as
/// [`count_words`] counts them: after each piece, `count` is the count of all the text so far,
/// so one pass answers the counts of several heads of a sentence. A word is counted at its
/// first letter or digit.
#[derive(Debug, Clone, Copy, Default)]
pub struct WordCounter {
    count: usize,
    /// The word being read has a letter or digit (and is counted already).
    counted: bool,
}

impl WordCounter {
    pub fn count(&self) -> usize {
        self.count
    }

    /// True when the text fed so far ends inside a word that is counted already.
    pub fn in_counted_word(&self) -> bool {
        self.counted
    }

    pub fn feed(&mut self, s: &str) {
        for (_, piece) in blocks::pieces(s) {
            match piece {
                blocks::Piece::Ascii(block) => self.feed_ascii_block(block),
                blocks::Piece::Other(part) => part.chars().for_each(|c| self.feed_char(c)),
            }
        }
    }

    fn feed_char(&mut self, c: char) {
        match char_class(c) {
            Class::Alnum => {
                self.count += usize::from(!self.counted);
                self.counted = true;
            }
            Class::Other => {}
            Class::Space => self.counted = false,
            Class::Cjk => {
                self.count += 1;
                self.counted = false;
            }
        }
    }

    /// Counts the words of an ASCII block at once: a word starts at each letter or digit
    /// that follows a space with no other letter or digit between. Adding the bits after
    /// each space to the bits of the bytes that are neither carries each one up to the next
    /// space, letter or digit; those that land on a letter or digit are word starts, and one
    /// that carries out of the block is still looking for one.
    fn feed_ascii_block(&mut self, block: &[u8; blocks::BLOCK]) {
        let space = blocks::mask(block, blocks::is_space);
        let alnum = blocks::mask(block, blocks::is_alnum);
        let neither = !(space | alnum);
        let after_space = (space << 1) | u64::from(!self.counted);
        let (reached, looking) = neither.overflowing_add(after_space);
        self.count += (reached & alnum).count_ones() as usize;
        // Still looking for a letter or digit: the carry left the block, or it ends in a space.
        self.counted = !(looking || space >> 63 != 0);
    }
}

/// True when the word that `s` begins in (up to the next space or CJK character) has a letter
/// or digit in `s`.
pub fn word_goes_on(s: &str) -> bool {
    for c in s.chars() {
        match char_class(c) {
            Class::Alnum => return true,
            Class::Other => {}
            Class::Space | Class::Cjk => return false,
        }
    }
    false
}

fn char_class(c: char) -> Class {
    if c.is_ascii() {
        ASCII_CLASS[c as usize]
    } else if is_cjk(c) {
        Class::Cjk
    } else if c.is_whitespace() {
        Class::Space
    } else if c.is_alphanumeric() {
        Class::Alnum
    } else {
        Class::Other
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Space,
    Alnum,
    Cjk,
    Other,
}

const ASCII_CLASS: [Class; 128] = {
    let mut t = [Class::Other; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() {
            Class::Alnum
        } else if c.is_ascii_whitespace() || c == 0x0b {
            Class::Space
        } else {
            Class::Other
        };
        b += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<&str> {
        split_in("en", s)
    }

    fn split_in<'a>(lang: &str, s: &'a str) -> Vec<&'a str> {
        sentences(s, Span::new(0, s.len()), SentenceRules::for_language(lang))
            .into_iter()
            .map(|sp| sp.text(s))
            .collect()
    }

    #[test]
    fn german_ordinals_do_not_end_sentences() {
        assert_eq!(
            split_in(
                "de",
                "Am 8. Oktober wurde die 12. Internationale Messe eröffnet. Sie dauert bis 14. Oktober."
            ),
            [
                "Am 8. Oktober wurde die 12. Internationale Messe eröffnet.",
                "Sie dauert bis 14. Oktober."
            ]
        );
        assert_eq!(
            split("It rose in 2023. The fair grew."),
            ["It rose in 2023.", "The fair grew."]
        );
        assert_eq!(split("They won 3. The fair grew."), ["They won 3.", "The fair grew."]);
    }

    /// Every prefix of text dense in multi-byte characters next to each rule's trigger splits
    /// without a panic, in each language with sentence data and in one without.
    #[test]
    fn no_prefix_of_mixed_text_panics() {
        let text = "“assurez”. « Oui. » ü. 3. Oktober • 1. a ⁃2.) é.É z. B. U.S. Then… . . . ”.。x.；Ab.Cd  ";
        for lang in ["en", "fr", "de", "zh", "xx"] {
            for (i, _) in text.char_indices() {
                for s in [&text[..i], &text[i..]] {
                    for sp in sentences(s, Span::new(0, s.len()), SentenceRules::for_language(lang)) {
                        assert!(s.is_char_boundary(sp.start) && s.is_char_boundary(sp.end));
                    }
                }
            }
        }
    }

    #[test]
    fn multibyte_delimiters_before_a_full_stop_do_not_panic() {
        assert_eq!(
            split("in the village\u{a0}hall. Next one."),
            ["in the village\u{a0}hall.", "Next one."]
        );
        assert_eq!(
            split("He said “Dr. Li came. Then left."),
            ["He said “Dr. Li came.", "Then left."]
        );
    }

    #[test]
    fn abbreviations_and_decimals_do_not_end_sentences() {
        assert_eq!(
            split("Dr. Chen met officials from the U.S. and the EU. Output rose 3.5 percent. Next year?"),
            vec![
                "Dr. Chen met officials from the U.S. and the EU.",
                "Output rose 3.5 percent.",
                "Next year?"
            ]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            split("\"We are ready.\" Wu says. It works."),
            vec!["\"We are ready.\"", "Wu says.", "It works."]
        );
    }

    #[test]
    fn ascii_and_other_ends_mix() {
        assert_eq!(
            split("Wait… “Yes!” 好。Then? No… ok. Done；再见"),
            vec!["Wait…", "“Yes!”", "好。", "Then?", "No… ok.", "Done；", "再见"]
        );
    }

    #[test]
    fn cjk_sentence_ends_need_no_space() {
        assert_eq!(
            split("今年增长。我们招聘了人员！好吗？"),
            vec!["今年增长。", "我们招聘了人员！", "好吗？"]
        );
    }

    #[test]
    fn paragraphs_are_lines_unless_wrapped() {
        let long = "a ".repeat(60);
        let text = format!("{long}\n{long}\n\n{long}");
        assert_eq!(paragraphs(&text, 0).len(), 3);
        let wrapped = "One line of a wrapped\nparagraph goes on here.\n\n1. item\n2. item";
        let paras: Vec<_> = paragraphs(wrapped, 0).into_iter().map(|s| s.text(wrapped)).collect();
        assert_eq!(
            paras,
            vec!["One line of a wrapped\nparagraph goes on here.", "1. item", "2. item"]
        );
    }

    #[test]
    fn word_counts() {
        assert_eq!(count_words("R & D centre, 3.5 percent"), 5);
        assert_eq!(count_words("今年 Rust 语言"), 5);
    }

    #[test]
    fn word_counts_fed_in_pieces_match_counting_each_head() {
        let long = "R & D centre, 3.5 percent; and so on -- the end. ".repeat(7);
        let mixed = format!("{long}今年 Rust 语言, a-b -- c “Quoted” words\u{a0}here {long}");
        for s in [long.as_str(), mixed.as_str(), "", " x ", "--"] {
            assert!(max_words(s) >= count_words(s));
            let mut counter = WordCounter::default();
            let mut prev = 0;
            for (k, _) in s.char_indices().skip(1).step_by(3).chain([(s.len(), ' ')]) {
                counter.feed(&s[prev..k]);
                prev = k;
                assert_eq!(counter.count(), count_words(&s[..k]), "{s:?} before {k}");
                let tail = count_words(&s[k..]);
                let straddles = usize::from(counter.in_counted_word() && word_goes_on(&s[k..]));
                assert_eq!(count_words(s) - counter.count() + straddles, tail, "{s:?} after {k}");
            }
        }
    }
}
