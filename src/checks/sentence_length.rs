//! `sentence-length`: run-on sentences, with a split point offered where a clause boundary
//! makes one clear.

use std::collections::HashSet;

use super::{capitalize, group_rules, Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::segment::{count_words, max_words, word_goes_on, WordCounter};
use crate::span::Span;

pub const DEFAULT_MAX_WORDS: usize = 45;
/// Each part of a split sentence keeps at least this many words.
const MIN_PART: usize = 8;
/// A stretch between two commas this long (in words) is a clause or a predicate, not an item
/// of a list.
const CLAUSE_WORDS: usize = 4;
/// A stretch this short before the first comma is an introduction ("Secondly,", "In 2020,").
const INTRO_WORDS: usize = 2;

/// The `sentence-length` kind.
pub static KIND: Kind = Kind {
    name: "sentence-length",
    category: "style/awkward",
    message: "sentence of {words} words (limit {max}): split it",
    doc: include_str!("sentence_length.md"),
    sees_protected: false,
    reads_source: false,
    parse: parse_params::<SentenceLengthParams>,
};

/// Compiles every `sentence-length` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(SentenceLengthCheck::new(rules)))
}

/// A `sentence-length` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SentenceLengthParams {
    pub max_words: Option<usize>,
    /// How many comma splices a long sentence needs to be flagged (0: length alone).
    pub min_splices: Option<usize>,
    /// Words that begin a clause with its subject ("the", "it", "they").
    pub subjects: Vec<String>,
    /// Words that join a clause or phrase to the one before ("and", "which", "because").
    pub joins: Vec<String>,
    /// Words that begin an introductory phrase before the main clause ("in", "after").
    pub openers: Vec<String>,
}

impl KindParams for SentenceLengthParams {
    fn fixes(&self) -> Option<Applicability> {
        Some(Applicability::Unsafe)
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        validate(self)
    }
}

fn validate(def: &SentenceLengthParams) -> Result<(), (&'static str, String)> {
    if def.max_words == Some(0) {
        return Err(("max_words", "`max_words` must be at least 1".into()));
    }
    if def.min_splices.is_some_and(|n| n > 0) && def.subjects.is_empty() {
        return Err((
            "min_splices",
            "`min_splices` needs `subjects` (and usually `joins` and `openers`) to tell a splice".into(),
        ));
    }
    Ok(())
}

/// A rule's words that show how the stretches between commas are joined, lowercased.
#[derive(Debug, Default)]
struct Clauses {
    subjects: HashSet<String>,
    joins: HashSet<String>,
    openers: HashSet<String>,
}

impl Clauses {
    fn new(def: &SentenceLengthParams) -> Self {
        let set = |words: &[String]| words.iter().map(|w| w.to_lowercase()).collect();
        Clauses {
            subjects: set(&def.subjects),
            joins: set(&def.joins),
            openers: set(&def.openers),
        }
    }

    /// The comma splices of a sentence: stretches after a comma that restart a clause with
    /// its subject once the main clause has begun ("…, the technology is mature, the market
    /// …"), or that are clause-long, follow a clause-long stretch and begin with no joining
    /// word ("…to expand demand, strengthen support for…"). A list's items are short; a
    /// subordinate or relative clause begins with a joining word; an introduction ("In 2020,
    /// the plant…") comes before the main clause: none of them is a splice.
    fn splices(&self, s: &str) -> usize {
        let mut count = 0;
        let mut main = false;
        let mut prev_len = 0;
        // The first word lowercased, in one buffer for all stretches.
        let mut first = String::new();
        for (k, stretch) in comma_stretches(s).enumerate() {
            let Some((word, len)) = first_word(stretch) else {
                prev_len = 0;
                continue;
            };
            if word.is_ascii() {
                first.clear();
                first.push_str(word);
                first.make_ascii_lowercase();
            } else {
                first = word.to_lowercase();
            }
            let first = first.as_str();
            let intro = len <= INTRO_WORDS || self.openers.contains(first);
            let joined = self.joins.contains(first);
            if k > 0 {
                if self.subjects.contains(first) {
                    count += usize::from(main);
                } else if len >= CLAUSE_WORDS && prev_len >= CLAUSE_WORDS && !joined {
                    count += 1;
                }
            }
            main |= !intro && !joined;
            prev_len = len;
        }
        count
    }
}

/// The first word of a stretch and how many words it has, counted up to [`CLAUSE_WORDS`]
/// (more tells [`Clauses::splices`] nothing); `None` when it has none. A word is a run of
/// letters, apostrophes and hyphens with a letter in it. ASCII is read byte by byte; only other
/// characters are decoded.
fn first_word(stretch: &str) -> Option<(&str, usize)> {
    let bytes = stretch.as_bytes();
    let mut first: Option<&str> = None;
    let mut count = 0;
    // Where the run being read starts, and whether it has a letter.
    let mut run: Option<usize> = None;
    let mut letter = false;
    let mut i = 0;
    while i <= bytes.len() {
        let (in_word, is_letter, len) = match bytes.get(i) {
            None => (false, false, 1),
            Some(&b) if b < 0x80 => (
                b.is_ascii_alphabetic() || b == b'\'' || b == b'-',
                b.is_ascii_alphabetic(),
                1,
            ),
            Some(_) => {
                let c = stretch[i..].chars().next().unwrap_or(' ');
                (c.is_alphabetic() || c == '’', c.is_alphabetic(), c.len_utf8())
            }
        };
        if in_word {
            if run.is_none() {
                run = Some(i);
                letter = false;
            }
            letter |= is_letter;
        } else if let Some(start) = run.take() {
            if letter {
                count += 1;
                first.get_or_insert(&stretch[start..i]);
                if count == CLAUSE_WORDS {
                    break;
                }
            }
        }
        i += len;
    }
    first.map(|f| (f, count))
}

/// The stretches of a sentence between commas and semicolons (not the comma of `200,000`).
/// The cuts are found with `memchr` on the bytes of `,`, `;` and the lead byte of `，` and `；`.
fn comma_stretches(s: &str) -> impl Iterator<Item = &str> {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut cuts = memchr::memchr3_iter(b',', b';', 0xEF, bytes).filter_map(move |i| match bytes[i] {
        b',' => (!(i > 0 && bytes[i - 1].is_ascii_digit() && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
            .then_some((i, 1)),
        b';' => Some((i, 1)),
        // `，` (U+FF0C) and `；` (U+FF1B).
        _ => matches!(bytes.get(i + 1..i + 3), Some([0xBC, 0x8C] | [0xBC, 0x9B])).then_some((i, 3)),
    });
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        match cuts.next() {
            Some((i, len)) => {
                let part = &s[start..i];
                start = i + len;
                Some(part)
            }
            None => {
                done = true;
                Some(&s[start..])
            }
        }
    })
}

/// A rule's limits.
struct Limit {
    idx: RuleIdx,
    max: usize,
    min_splices: usize,
}

/// The rules with the same clause words: a sentence's splices and split point are worked out
/// once for all of them, then held against each rule's limits.
struct Group {
    clauses: Clauses,
    /// Shortest `max` first.
    limits: Vec<Limit>,
}

/// All `sentence-length` rules, grouped by the words that tell their clauses apart.
pub struct SentenceLengthCheck {
    groups: Vec<Group>,
}

impl SentenceLengthCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Self {
        let groups = group_rules(rules.iter().map(|&(i, d)| {
            let d = RuleDef::params::<SentenceLengthParams>(d);
            ((&d.subjects, &d.joins, &d.openers), i)
        }));
        let by_idx: std::collections::HashMap<RuleIdx, &RuleDef> = rules.iter().copied().collect();
        SentenceLengthCheck {
            groups: groups
                .into_iter()
                .map(|(_, members)| {
                    let mut limits: Vec<Limit> = members
                        .iter()
                        .map(|i| {
                            let d = RuleDef::params::<SentenceLengthParams>(by_idx[i]);
                            Limit {
                                idx: *i,
                                max: d.max_words.unwrap_or(DEFAULT_MAX_WORDS),
                                min_splices: d.min_splices.unwrap_or(0),
                            }
                        })
                        .collect();
                    limits.sort_by_key(|l| l.max);
                    Group {
                        clauses: Clauses::new(RuleDef::params::<SentenceLengthParams>(by_idx[&members[0]])),
                        limits,
                    }
                })
                .collect(),
        }
    }
}

/// A rule's own message argument: its `max`.
fn max_arg(def: &RuleDef) -> Vec<(&'static str, String)> {
    let max = RuleDef::params::<SentenceLengthParams>(def)
        .max_words
        .unwrap_or(DEFAULT_MAX_WORDS);
    vec![("max", max.to_string())]
}

/// The words of `sentence`, inline tags (XLIFF `<x/>`, `<g>`, HTML in Markdown) not counted:
/// each tag counts as a space. Code spans and entities stand for words and still count.
fn count_words_outside_markup(doc: &Document, sentence: Span) -> usize {
    let text = &doc.text;
    let first = doc.inline_masked.partition_point(|m| m.end <= sentence.start);
    let inside = doc.inline_masked[first..]
        .iter()
        .take_while(|m| m.start < sentence.end)
        .filter(|m| text[m.start..].starts_with('<'));
    let mut shown = String::with_capacity(sentence.len());
    let mut at = sentence.start;
    for m in inside {
        let (start, end) = (m.start.clamp(at, sentence.end), m.end.clamp(at, sentence.end));
        shown.push_str(&text[at..start]);
        shown.push(' ');
        at = end;
    }
    if at == sentence.start {
        return count_words(sentence.text(text));
    }
    shown.push_str(&text[at..sentence.end]);
    count_words(&shown)
}

impl Check for SentenceLengthCheck {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        let text = &doc.text;
        let Some(shortest) = self
            .groups
            .iter()
            .flat_map(|g| &g.limits)
            .filter(|l| sink.is_active(l.idx))
            .map(|l| l.max)
            .min()
        else {
            return;
        };
        let mut fired = Vec::new();
        for &sentence in doc.sentences() {
            let s = sentence.text(text);
            // A word and the space after it take two bytes at least; short sentences need no scan.
            if s.len().div_ceil(2) <= shortest || max_words(s) <= shortest {
                continue;
            }
            let words = count_words_outside_markup(doc, sentence);
            let words_arg = words.to_string();
            for group in &self.groups {
                let over = &group.limits[..group.limits.partition_point(|l| l.max < words)];
                // Worked out once the first rule needs it.
                let mut splices: Option<usize> = None;
                fired.clear();
                for limit in over {
                    if !sink.is_active(limit.idx) {
                        continue;
                    }
                    if *splices.get_or_insert_with(|| group.clauses.splices(s)) >= limit.min_splices {
                        fired.push(limit.idx);
                    }
                }
                let Some(splices) = splices.filter(|_| !fired.is_empty()) else {
                    continue;
                };
                let splices_arg = splices.to_string();
                let args = [("words", words_arg.as_str()), ("splices", splices_arg.as_str())];
                let fix = split_point(text, sentence, words, &group.clauses.subjects)
                    .map(|edit| (vec![edit], Applicability::Unsafe));
                sink.push_group(&fired, Some(max_arg), sentence, &args, fix, Vec::new());
            }
        }
    }
}

/// The clause boundary nearest the middle of the sentence: a semicolon, or ", and" / ", but"
/// followed by a new subject. Returns the edit that ends the sentence there.
fn split_point(text: &str, sentence: Span, total: usize, subjects: &HashSet<String>) -> Option<Edit> {
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
            if subjects.contains(&next.to_lowercase()) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn clauses() -> Clauses {
        let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<HashSet<_>>();
        Clauses {
            subjects: words("the it they we"),
            joins: words("and but which who because that"),
            openers: words("in on after when"),
        }
    }

    #[test]
    fn comma_chains_count_splices_and_well_formed_sentences_none() {
        let c = clauses();
        // Subjects restarting after the main clause, and bare predicates.
        let chain = "The fair opened on Monday in the new hall, the buyers came from twenty countries, \
                     it was the largest show so far, sign many new orders for the coming season";
        assert_eq!(c.splices(chain), 3);
        // An introduction, a relative clause, a list and a joined clause: no splice.
        let fine = "In 2020, the plant, which makes lamps, sold cables, fuses, switches and plugs, \
                    and it hired staff because the orders grew";
        assert_eq!(c.splices(fine), 0);
        // A thousands separator is not a comma between stretches.
        assert_eq!(comma_stretches("it cost 200,000 yuan, then").count(), 2);
        assert_eq!(comma_stretches("").count(), 1);
    }
}
