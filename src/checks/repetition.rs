//! `repetition`: the same word twice in a row ("the the"); with `check = "phrases"`, longer
//! echoes: a phrase twice in a row, a word repeated after commas or joined to itself by
//! "and", a paragraph written twice.

use std::collections::HashSet;

use super::{Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::segment::blocks;
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
        let words = self.rules.iter().any(|r| !r.phrases && sink.is_active(r.idx));
        if echoes.is_empty() && !words {
            return;
        }
        // One pass over the words for both sub-checks: a doubled word is one that may be the
        // same as the word before it, as the phrases' window knows. Findings are reported after
        // the pass, each sub-check's in the order its own pass would give them.
        let text = &doc.text;
        let mut doubled = Vec::new();
        let mut window = phrases::Window::new();
        for_each_word_ascii(text, |word, ascii| {
            let near = window.push(text, word, ascii);
            if near == 0 {
                return;
            }
            if words && near & 0b10 != 0 {
                self.doubled_word(doc, window.before_last(), word, &mut doubled);
            }
            if !echoes.is_empty() {
                let lengths = window.phrase_lengths();
                for e in &mut echoes {
                    e.look(text, &window, near, lengths);
                }
            }
        });
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

/// Calls `f` with each word of `text` in order: runs of letters, digits, apostrophes (' and ’)
/// and hyphens. ASCII text is cut 64 bytes at a time with bit masks.
#[cfg(test)]
fn for_each_word(text: &str, mut f: impl FnMut(Span)) {
    for_each_word_ascii(text, |word, _| f(word));
}

/// [`for_each_word`], with whether the word is all ASCII (known from the scan, not read again).
fn for_each_word_ascii(text: &str, mut f: impl FnMut(Span, bool)) {
    let mut word_start: Option<usize> = None;
    let mut word_ascii = true;
    for (at, piece) in blocks::pieces(text) {
        match piece {
            blocks::Piece::Ascii(block) => {
                let word = blocks::mask(block, is_ascii_word_byte);
                // Bit j of `before`: byte j - 1 is a word byte (for j = 0, a word is open).
                let before = (word << 1) | u64::from(word_start.is_some());
                let starts = word & !before;
                let ends = !word & before;
                let mut edges = starts | ends;
                while edges != 0 {
                    let j = edges.trailing_zeros() as usize;
                    edges &= edges - 1;
                    if starts >> j & 1 != 0 {
                        word_start = Some(at + j);
                        word_ascii = true;
                    } else if let Some(s) = word_start.take() {
                        f(Span::new(s, at + j), word_ascii);
                    }
                }
            }
            blocks::Piece::Other(part) => {
                for (i, c) in part.char_indices() {
                    let in_word = if c.is_ascii() {
                        is_ascii_word_byte(c as u8)
                    } else {
                        c.is_alphanumeric() || c == '’'
                    };
                    if in_word {
                        if word_start.is_none() {
                            word_start = Some(at + i);
                            word_ascii = true;
                        }
                        word_ascii &= c.is_ascii();
                    } else if let Some(s) = word_start.take() {
                        f(Span::new(s, at + i), word_ascii);
                    }
                }
            }
        }
    }
    if let Some(s) = word_start {
        f(Span::new(s, text.len()), word_ascii);
    }
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
        for text in [
            long.clone(),
            format!("{long}Élan élan café"),
            "a".repeat(130),
            String::new(),
        ] {
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
            for_each_word_ascii(&text, |w, ascii| {
                assert_eq!(ascii, w.text(&text).is_ascii());
                got.push(w);
            });
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
