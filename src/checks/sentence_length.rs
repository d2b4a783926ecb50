//! `sentence-length`: run-on sentences, with a split point offered where a clause boundary
//! makes one clear.

use super::{capitalize, Check, RuleIdx, Sink};
use crate::config::rulefile::RuleDef;
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::segment::count_words;
use crate::span::Span;

pub const DEFAULT_MAX_WORDS: usize = 45;
/// Each part of a split sentence keeps at least this many words.
const MIN_PART: usize = 8;
/// Words that, after ", and ", start an independent clause.
const CLAUSE_SUBJECTS: &[&str] = &[
    "the", "this", "these", "those", "it", "its", "we", "they", "he", "she", "there", "our", "their", "his", "her",
    "i", "you",
];

pub fn validate(def: &RuleDef) -> Result<(), (&'static str, String)> {
    if def.max_words == Some(0) {
        return Err(("max_words", "`max_words` must be at least 1".into()));
    }
    Ok(())
}

pub struct SentenceLengthCheck {
    rules: Vec<(RuleIdx, usize)>,
}

impl SentenceLengthCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Self {
        SentenceLengthCheck {
            rules: rules
                .iter()
                .map(|(i, d)| (*i, d.max_words.unwrap_or(DEFAULT_MAX_WORDS)))
                .collect(),
        }
    }
}

impl Check for SentenceLengthCheck {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        if !self.rules.iter().any(|&(r, _)| sink.is_active(r)) {
            return;
        }
        let text = &doc.text;
        for &sentence in doc.sentences() {
            let words = count_words(sentence.text(text));
            for &(rule, max) in &self.rules {
                if words <= max || !sink.is_active(rule) {
                    continue;
                }
                let args = [("words", words.to_string()), ("max", max.to_string())];
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                match split_point(text, sentence) {
                    Some(edit) => sink.fix(rule, sentence, &args, vec![edit], Applicability::Unsafe),
                    None => sink.flag(rule, sentence, &args),
                }
            }
        }
    }
}

/// The clause boundary nearest the middle of the sentence: a semicolon, or ", and" / ", but"
/// followed by a new subject. Returns the edit that ends the sentence there.
fn split_point(text: &str, sentence: Span) -> Option<Edit> {
    let s = sentence.text(text);
    let total = count_words(s);
    let mut best: Option<(usize, Edit)> = None;
    let mut consider = |cut: usize, resume: usize| {
        let (head, tail) = (&s[..cut], &s[resume..]);
        let (hw, tw) = (count_words(head), count_words(tail));
        if hw < MIN_PART || tw < MIN_PART {
            return;
        }
        let first: String = tail.chars().take_while(|c| c.is_alphanumeric()).collect();
        if first.is_empty() {
            return;
        }
        let edit = Edit::replace(
            Span::new(sentence.start + cut, sentence.start + resume + first.len()),
            format!(". {}", capitalize(&first)),
        );
        let distance = hw.abs_diff(total / 2);
        if best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, edit));
        }
    };
    for (i, _) in s.match_indices("; ") {
        consider(i, i + 2);
    }
    for conj in [", and ", ", but "] {
        for (i, _) in s.match_indices(conj) {
            let next: String = s[i + conj.len()..].chars().take_while(|c| c.is_alphabetic()).collect();
            if CLAUSE_SUBJECTS.contains(&next.to_lowercase().as_str()) {
                let resume = if conj == ", but " { i + 2 } else { i + conj.len() };
                consider(i, resume);
            }
        }
    }
    best.map(|(_, e)| e)
}
