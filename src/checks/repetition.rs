//! `repetition`: the same word twice in a row ("the the"); with `check = "phrases"`, longer
//! echoes: a phrase twice in a row, a word repeated after commas or joined to itself by
//! "and", a paragraph written twice.

use std::collections::HashSet;

use super::{Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::segment::blocks::{self, BLOCK};
use crate::span::Span;

super::sub_checks! {
    /// The `repetition` sub-checks.
    Sub {
        Words = "words",
        Phrases = "phrases",
    }
}

/// The `repetition` kind.
pub static KIND: Kind = Kind {
    name: "repetition",
    category: "fluency/grammar",
    message: "repeated word \"{word}\"",
    doc: include_str!("repetition.md"),
    sees_protected: false,
    reads_source: false,
    parse: parse_params::<RepetitionParams>,
};

/// Compiles every `repetition` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(RepetitionCheck::new(rules)))
}

/// A `repetition` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RepetitionParams {
    pub check: Option<Sub>,
    pub allow: Vec<String>,
    /// Doubled words that are correct: lexicalised ("bye bye") or grammatical ("that that").
    pub doubles: Vec<String>,
}

impl KindParams for RepetitionParams {
    fn fixes(&self) -> Option<Applicability> {
        Some(Applicability::Safe)
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        validate(self)
    }
}

/// Checks the `doubles` entries: each is one word twice (`bye bye`), or that after a comma
/// (`, die die`).
fn validate(def: &RepetitionParams) -> Result<(), (&'static str, String)> {
    for entry in &def.doubles {
        if Double::parse(entry).is_none() {
            return Err((
                "doubles",
                format!("`{entry}` is not one word written twice (`bye bye`, or `, die die` after a comma)"),
            ));
        }
    }
    Ok(())
}

/// A correct double: the word (lowercased), and whether it is correct only after a comma.
struct Double {
    word: String,
    after_comma: bool,
}

impl Double {
    fn parse(entry: &str) -> Option<Double> {
        let t = entry.trim();
        let (after_comma, t) = match t.strip_prefix(',') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, t),
        };
        let mut words = t.split_whitespace();
        let (a, b) = (words.next()?, words.next()?);
        let (a, b) = (a.to_lowercase(), b.to_lowercase());
        (a == b && words.next().is_none()).then_some(Double { word: a, after_comma })
    }
}

struct Rule {
    idx: RuleIdx,
    /// `check = "phrases"`: this rule looks for echoed phrases, not doubled words.
    phrases: bool,
    /// Words whose doubling is never flagged (the older `allow` list).
    allow: HashSet<String>,
    /// Doubles that are always correct.
    doubles: HashSet<String>,
    /// Doubles correct after a comma (a relative pronoun, then an article); elsewhere they may
    /// be correct too, so their fix is never safe.
    after_comma: HashSet<String>,
}

/// All `repetition` rules: each rule's sub-check, allowed repetitions and correct doubled words.
pub struct RepetitionCheck {
    rules: Vec<Rule>,
}

impl RepetitionCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Self {
        RepetitionCheck {
            rules: rules
                .iter()
                .map(|(i, d)| {
                    let d: &RepetitionParams = d.params();
                    let mut rule = Rule {
                        idx: *i,
                        phrases: d.check == Some(Sub::Phrases),
                        allow: d.allow.iter().map(|a| a.to_lowercase()).collect(),
                        doubles: HashSet::new(),
                        after_comma: HashSet::new(),
                    };
                    for double in d.doubles.iter().filter_map(|e| Double::parse(e)) {
                        match double.after_comma {
                            true => rule.after_comma.insert(double.word),
                            false => rule.doubles.insert(double.word),
                        };
                    }
                    rule
                })
                .collect(),
        }
    }
}

/// True when the word at `span` is one letter in a run of single letters spaced out
/// (`S T O P`, `T T`): letters, not words.
fn spaced_letters(text: &str, first: Span, second: Span) -> bool {
    let letter = |s: &str| {
        let mut c = s.chars();
        matches!((c.next(), c.next()), (Some(x), None) if x.is_alphabetic())
    };
    if !letter(first.text(text)) {
        return false;
    }
    let before = text[..first.start].strip_suffix(' ').map(|h| {
        let w = h.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        letter(w)
    });
    let after = text[second.end..].strip_prefix(' ').map(|t| {
        let w = t.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        letter(w)
    });
    before == Some(true) || after == Some(true)
}

impl Check for RepetitionCheck {
    /// The phrases sub-check finds a headline written twice in a row, across the empty line
    /// where a large document may be cut into parts.
    fn document_wide(&self, rule: RuleIdx) -> bool {
        self.rules.iter().any(|r| r.idx == rule && r.phrases)
    }

    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        let mut echoes: Vec<phrases::Echoes> = self
            .rules
            .iter()
            .filter(|r| r.phrases && sink.is_active(r.idx))
            .map(|r| phrases::Echoes::new(r.idx, &r.allow))
            .collect();
        let words_rule = self.rules.iter().any(|r| !r.phrases && sink.is_active(r.idx));
        if echoes.is_empty() && !words_rule {
            return;
        }
        // One pass over the words for both sub-checks: a doubled word is one that may be the
        // same as the word before it, as the phrases' window knows. Findings are reported after
        // the pass, each sub-check's in the order its own pass would give them.
        let text = &doc.text;
        let mut doubled = Vec::new();
        let mut window = phrases::Window::new();
        let mut words = Words::new(text);
        while let Some((from, mut hits)) = window.read(text, &mut words) {
            // The words that may be the same as one a few back, which every finding ends with.
            while hits != 0 {
                let i = from + hits.trailing_zeros() as usize;
                hits &= hits - 1;
                let near = window.near(i);
                if words_rule && near & 0b10 != 0 {
                    self.doubled_word(doc, window.span(i - 1), window.span(i), &mut doubled);
                }
                if !echoes.is_empty() {
                    let lengths = window.phrase_lengths(i);
                    for e in &mut echoes {
                        e.look(text, &window, i, near, lengths);
                    }
                }
            }
        }
        for e in echoes {
            e.report(doc, sink);
        }
        for (rule, found) in doubled {
            sink.fix(
                rule,
                found.span,
                &[("word", found.phrase)],
                vec![Edit::delete(found.delete)],
                found.applicability,
            );
        }
    }
}

impl RepetitionCheck {
    /// The words rules' findings for `word` after `p`, when it is the same word with spaces
    /// between.
    fn doubled_word<'t>(&self, doc: &'t Document, p: Span, word: Span, out: &mut Vec<(RuleIdx, phrases::Echo<'t>)>) {
        let text = &doc.text;
        let gap = &text[p.end..word.start];
        if gap.is_empty() || !gap.chars().all(|c| c == ' ' || c == '\t') {
            return;
        }
        let (a, b) = (p.text(text), word.text(text));
        // For ASCII words the ASCII comparison is the whole answer; only others need
        // Unicode lowercasing.
        let same =
            a.eq_ignore_ascii_case(b) || (!(a.is_ascii() && b.is_ascii()) && a.to_lowercase() == b.to_lowercase());
        if !same {
            return;
        }
        if !a.chars().any(char::is_alphabetic) || a.chars().any(crate::segment::is_cjk) {
            return;
        }
        // "The the" at a sentence start is a plain slip. Mid-sentence, "Team team" may be
        // a name followed by a word and "Poverty Poverty" a title's slip: only a person
        // can untangle them, so their fix is unsafe. Capitalised twice as one Chinese
        // syllable ("the pianist Lang Lang") is a name.
        let capital = |w: &str| w.starts_with(char::is_uppercase);
        let mut doubtful = false;
        if (a != b || capital(a)) && !doc.starts_sentence(p.start) {
            if capital(a) && capital(b) && super::pinyin::is_syllable(&a.to_ascii_lowercase()) {
                return;
            }
            doubtful = true;
        }
        if spaced_letters(text, p, word) {
            return;
        }
        let lower = a.to_lowercase();
        let after_comma = text[..p.start].trim_end().ends_with([',', '，']);
        for rule in self.rules.iter().filter(|r| !r.phrases) {
            if rule.allow.contains(&lower) || rule.doubles.contains(&lower) {
                continue;
            }
            let applicability = if doubtful {
                Applicability::Unsafe
            } else if rule.after_comma.contains(&lower) {
                if after_comma {
                    continue;
                }
                Applicability::Unsafe
            } else {
                Applicability::Safe
            };
            // Mid-sentence, a capitalised word before its lower-case double ("the village
            // Team team") is the slip: the common word in lower case is kept.
            let delete = if doubtful && capital(a) && !capital(b) {
                Span::new(p.start, word.start)
            } else {
                Span::new(p.end, word.end)
            };
            let found = phrases::Echo {
                span: Span::new(p.start, word.end),
                phrase: a,
                delete,
                applicability,
            };
            out.push((rule.idx, found));
        }
    }
}

mod phrases;

/// Calls `f` with each word of `text` in order (see [`Words`]).
#[cfg(test)]
fn for_each_word(text: &str, mut f: impl FnMut(Span)) {
    let mut words = Words::new(text);
    let mut span = [Span::new(0, 0)];
    while words.fill(&mut span, &mut [()], |_, _| ()) == 1 {
        f(span[0]);
    }
}

/// The words of a text in order, each with whether it is all ASCII: runs of letters, digits,
/// apostrophes (' and ’) and hyphens. The text is read 64 bytes at a time as bit masks of its
/// word bytes (and, for a block that is not all ASCII, of its bytes that are not ASCII), and
/// the words are read a batch at a time ([`Words::fill`]): the loop over a block's words then
/// keeps its state in registers, and costs a few instructions a word.
struct Words<'t> {
    text: &'t str,
    /// Offset of the block whose words are being read.
    at: usize,
    /// The block's word starts and ends not read yet: they alternate, an end first when a
    /// word goes on from the block before.
    starts: u64,
    ends: u64,
    /// The block's bytes that are not ASCII.
    high: u64,
    /// A word started (at `word_start`) and has not ended yet.
    in_word: bool,
    word_start: usize,
    /// 1 + where the last byte that is not ASCII before this block is (0: none).
    high_before: usize,
}

impl<'t> Words<'t> {
    fn new(text: &'t str) -> Self {
        let mut words = Words {
            text,
            at: 0,
            starts: 0,
            ends: 0,
            high: 0,
            in_word: false,
            word_start: 0,
            high_before: 0,
        };
        words.read_block(0);
        words
    }

    /// Reads the block at `at` (past the text's end: NUL bytes, no word), after the one
    /// before it.
    #[inline]
    fn read_block(&mut self, at: usize) {
        let bytes = self.text.as_bytes();
        if self.high != 0 {
            self.high_before = self.at + BLOCK - self.high.leading_zeros() as usize;
        }
        let (word, high) = match blocks::ascii_block(bytes, at) {
            Some(block) => (blocks::mask(block, is_ascii_word_byte), 0),
            None => other_block(self.text, at),
        };
        // Bit j of `before`: byte j - 1 is a word byte (for j = 0, a word is open).
        let before = (word << 1) | u64::from(self.in_word);
        self.at = at;
        self.starts = word & !before;
        self.ends = !word & before;
        self.high = high;
    }

    /// Reads the next words into `spans`, and `of(word, all ASCII)` of each into `facts`,
    /// until either is full or the words end; returns how many were read.
    #[inline]
    fn fill<F>(&mut self, spans: &mut [Span], facts: &mut [F], of: impl Fn(Span, bool) -> F) -> usize {
        let n = spans.len().min(facts.len());
        let mut k = 0;
        while k < n {
            let (at, high, high_before) = (self.at, self.high, self.high_before);
            let (mut starts, mut ends) = (self.starts, self.ends);
            let (mut in_word, mut word_start) = (self.in_word, self.word_start);
            while k < n {
                if !in_word {
                    if starts == 0 {
                        break;
                    }
                    word_start = at + starts.trailing_zeros() as usize;
                    starts &= starts - 1;
                    in_word = true;
                }
                if ends == 0 {
                    break;
                }
                let j = ends.trailing_zeros() as usize;
                ends &= ends - 1;
                in_word = false;
                // The last byte that is not ASCII before the word's end, if any, tells
                // whether the word is all ASCII.
                let high_end = match high {
                    0 => high_before,
                    _ => match high & ((1 << j) - 1) {
                        0 => high_before,
                        below => at + BLOCK - below.leading_zeros() as usize,
                    },
                };
                let word = Span::new(word_start, at + j);
                spans[k] = word;
                facts[k] = of(word, high_end <= word_start);
                k += 1;
            }
            (self.starts, self.ends, self.in_word, self.word_start) = (starts, ends, in_word, word_start);
            if k == n {
                break;
            }
            // A word open at the text's end ends in the NUL bytes after it: in this block, or,
            // where the text ends with the block, in the next.
            if at + BLOCK >= self.text.len() && !in_word {
                break;
            }
            self.read_block(at + BLOCK);
        }
        k
    }
}

#[cfg(test)]
impl Iterator for Words<'_> {
    type Item = (Span, bool);

    fn next(&mut self) -> Option<(Span, bool)> {
        let (mut span, mut ascii) = ([Span::new(0, 0)], [false]);
        (self.fill(&mut span, &mut ascii, |_, a| a) == 1).then_some((span[0], ascii[0]))
    }
}

/// The word mask and the mask of bytes that are not ASCII of the 64 bytes at `at`, which are
/// not all ASCII (or not all there: past the text's end, NUL bytes). Each byte of a character
/// takes the character's class, so a word's edges fall on character boundaries; a character
/// that began in the block before is read again from its start.
#[cold]
fn other_block(text: &str, at: usize) -> (u64, u64) {
    let end = (at + BLOCK).min(text.len());
    let mut i = at.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    let (mut word, mut high) = (0u64, 0u64);
    for (k, c) in text[i..].char_indices() {
        let from = i + k;
        if from >= end {
            break;
        }
        let in_word = if c.is_ascii() {
            is_ascii_word_byte(c as u8)
        } else {
            c.is_alphanumeric() || c == '’'
        };
        for b in from.max(at)..(from + c.len_utf8()).min(end) {
            word |= u64::from(in_word) << (b - at);
            high |= u64::from(!c.is_ascii()) << (b - at);
        }
    }
    (word, high)
}

fn is_ascii_word_byte(b: u8) -> bool {
    blocks::is_alnum(b) || b == b'\'' || b == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_cut_as_character_by_character() {
        let long = "the the Lang Lang well-being, don't “stop” it’s a-b -- x ".repeat(5);
        let mut texts = vec![
            long.clone(),
            format!("{long}Élan élan café"),
            "a".repeat(130),
            "a".repeat(128),
            "a b ".repeat(16),
            String::new(),
        ];
        // Characters that are not ASCII across the edges of the 64-byte blocks, words that
        // end with the text, and a block of ASCII after one that is not.
        for k in 58..70 {
            let head = "x".repeat(k);
            texts.push(format!("{head}é’s café-bar ü 1 «a» {}", "ab ".repeat(30)));
            texts.push(format!("{head} 中文 x{}é", "cd-".repeat(k)));
        }
        for text in texts {
            let mut want = Vec::new();
            let mut start = None;
            for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
                if c.is_ascii_alphanumeric()
                    || c == '\''
                    || c == '-'
                    || (!c.is_ascii() && (c.is_alphanumeric() || c == '’'))
                {
                    start.get_or_insert(i);
                } else if let Some(s) = start.take() {
                    want.push(Span::new(s, i));
                }
            }
            let mut got = Vec::new();
            for (w, ascii) in Words::new(&text) {
                assert_eq!(ascii, w.text(&text).is_ascii());
                got.push(w);
            }
            assert_eq!(got, want);
        }
    }
}

#[cfg(test)]
mod double_tests {
    use super::*;

    #[test]
    fn doubles_are_one_word_twice() {
        let d = Double::parse(", Die die").unwrap();
        assert_eq!((d.word.as_str(), d.after_comma), ("die", true));
        assert!(!Double::parse("bye bye").unwrap().after_comma);
        assert!(Double::parse("bye").is_none());
        assert!(Double::parse("bye now").is_none());
        assert!(Double::parse("so so so").is_none());
    }

    #[test]
    fn spaced_out_letters_are_not_words() {
        let text = "read S T O O P here; an a a slip";
        let o = text.find("O O").unwrap();
        assert!(spaced_letters(text, Span::new(o, o + 1), Span::new(o + 2, o + 3)));
        let a = text.find("a a").unwrap();
        assert!(!spaced_letters(text, Span::new(a, a + 1), Span::new(a + 2, a + 3)));
    }
}
