//! `sentence-length`: run-on sentences, with a split point offered where a clause boundary
//! makes one clear.

use super::{capitalize, Check, RuleIdx, Sink};
use crate::config::rulefile::RuleDef;
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::segment::{count_words, max_words, word_goes_on, WordCounter};
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
        let shortest = self
            .rules
            .iter()
            .filter(|&&(r, _)| sink.is_active(r))
            .map(|&(_, max)| max)
            .min()
            .unwrap_or(usize::MAX);
        for &sentence in doc.sentences() {
            let s = sentence.text(text);
            // A word and the space after it take two bytes at least; short sentences need no scan.
            if s.len().div_ceil(2) <= shortest || max_words(s) <= shortest {
                continue;
            }
            let words = count_words(s);
            // Where to split does not depend on the rule: found once, for the first that fires.
            let mut split = None;
            for &(rule, max) in &self.rules {
                if words <= max || !sink.is_active(rule) {
                    continue;
                }
                let args = [("words", words.to_string()), ("max", max.to_string())];
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                match split.get_or_insert_with(|| split_point(text, sentence, words)) {
                    Some(edit) => sink.fix(rule, sentence, &args, vec![edit.clone()], Applicability::Unsafe),
                    None => sink.flag(rule, sentence, &args),
                }
            }
        }
    }
}

/// The clause boundary nearest the middle of the sentence: a semicolon, or ", and" / ", but"
/// followed by a new subject. Returns the edit that ends the sentence there.
fn split_point(text: &str, sentence: Span, total: usize) -> Option<Edit> {
    let s = sentence.text(text);
    // Candidate (cut, resume) offsets, in the order they are weighed (ties go to the first):
    // semicolons, then ", and", then ", but", each in text order.
    let mut candidates: Vec<(usize, usize)> = Vec::new();
    let mut conjunctions: [Vec<(usize, usize)>; 2] = Default::default();
    for i in memchr::memchr2_iter(b';', b',', s.as_bytes()) {
        let rest = &s[i..];
        if rest.starts_with("; ") {
            candidates.push((i, i + 2));
            continue;
        }
        for (conj, found) in [", and ", ", but "].into_iter().zip(&mut conjunctions) {
            if !rest.starts_with(conj) {
                continue;
            }
            let next: String = rest[conj.len()..].chars().take_while(|c| c.is_alphabetic()).collect();
            if CLAUSE_SUBJECTS.contains(&next.to_lowercase().as_str()) {
                let resume = if conj == ", but " { i + 2 } else { i + conj.len() };
                found.push((i, resume));
            }
        }
    }
    candidates.extend(conjunctions.into_iter().flatten());
    if candidates.is_empty() {
        return None;
    }
    // The words before each offset, counted in one pass over the sentence rather than once per
    // candidate (run-on sentences have many): (offset, words before, ends inside a counted word).
    let mut offsets: Vec<usize> = candidates.iter().flat_map(|&(c, r)| [c, r]).collect();
    offsets.sort_unstable();
    offsets.dedup();
    let mut counter = WordCounter::default();
    let mut fed = 0;
    let heads: Vec<(usize, usize, bool)> = offsets
        .into_iter()
        .map(|at| {
            counter.feed(&s[fed..at]);
            fed = at;
            (at, counter.count(), counter.in_counted_word())
        })
        .collect();
    let head_at = |at: usize| heads[heads.partition_point(|h| h.0 < at)];
    let mut best: Option<(usize, Edit)> = None;
    for (cut, resume) in candidates {
        let hw = head_at(cut).1;
        // The tail holds the words not before `resume`, and the one `resume` cuts if its
        // part in the tail has a letter or digit too.
        let (_, before, inside) = head_at(resume);
        let tw = total - before + usize::from(inside && word_goes_on(&s[resume..]));
        if hw < MIN_PART || tw < MIN_PART {
            continue;
        }
        let tail = &s[resume..];
        let first: String = tail.chars().take_while(|c| c.is_alphanumeric()).collect();
        if first.is_empty() {
            continue;
        }
        let edit = Edit::replace(
            Span::new(sentence.start + cut, sentence.start + resume + first.len()),
            format!(". {}", capitalize(&first)),
        );
        let distance = hw.abs_diff(total / 2);
        if best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, edit));
        }
    }
    best.map(|(_, e)| e)
}
