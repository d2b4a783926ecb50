//! `repetition`: the same word twice in a row ("the the").

use super::{Check, RuleIdx, Sink};
use crate::config::rulefile::RuleDef;
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::span::Span;

pub struct RepetitionCheck {
    rules: Vec<(RuleIdx, Vec<String>)>,
}

impl RepetitionCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Self {
        RepetitionCheck {
            rules: rules
                .iter()
                .map(|(i, d)| (*i, d.allow.iter().map(|a| a.to_lowercase()).collect()))
                .collect(),
        }
    }
}

impl Check for RepetitionCheck {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        if !self.rules.iter().any(|(r, _)| sink.is_active(*r)) {
            return;
        }
        let text = &doc.text;
        let mut prev: Option<Span> = None;
        let mut word_start: Option<usize> = None;
        let check_pair = |prev: Option<Span>, word: Span, sink: &mut Sink<'_>| {
            let Some(p) = prev else { return };
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
            // "The the" at a sentence start is a repetition; "Lighting lighting" mid-sentence is
            // a name followed by a word, which only a human can untangle.
            if a != b && !doc.starts_sentence(p.start) {
                return;
            }
            if !a.chars().any(char::is_alphabetic) || a.chars().any(crate::segment::is_cjk) {
                return;
            }
            // Capitalised twice mid-sentence is a name ("the pianist Lang Lang"), not a slip.
            let capital = |w: &str| w.starts_with(char::is_uppercase);
            if capital(a) && capital(b) && !doc.starts_sentence(p.start) {
                return;
            }
            let lower = a.to_lowercase();
            for (rule, allow) in &self.rules {
                if allow.contains(&lower) {
                    continue;
                }
                let span = Span::new(p.start, word.end);
                sink.fix(
                    *rule,
                    span,
                    &[("word", a)],
                    vec![Edit::delete(Span::new(p.end, word.end))],
                    Applicability::Safe,
                );
            }
        };
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let (in_word, len) = if b.is_ascii() {
                (b.is_ascii_alphanumeric() || b == b'\'' || b == b'-', 1)
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                (c.is_alphanumeric() || c == '’', c.len_utf8())
            };
            if in_word {
                if word_start.is_none() {
                    word_start = Some(i);
                }
            } else if let Some(s) = word_start.take() {
                let word = Span::new(s, i);
                check_pair(prev, word, sink);
                prev = Some(word);
            }
            i += len;
        }
        if let Some(s) = word_start {
            check_pair(prev, Span::new(s, text.len()), sink);
        }
    }
}
