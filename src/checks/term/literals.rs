//! A set of literal terms matched ignoring ASCII case, leftmost-longest: the automaton of the
//! `term`, `consistency` and `capitalization` kinds, with a prefilter that makes it cheap on
//! text where the terms are rare.
//!
//! Aho-Corasick's own prefilters give up on ASCII case folding (a few common letters are all
//! they can look for), so the automaton walks every byte. Here a Teddy searcher (SIMD, from
//! the same crate) finds where the first three or four bytes of some term occur, in any case, and the
//! automaton only runs, anchored, from there.

use aho_corasick::packed;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, BuildError, Input, Match, MatchKind, StartKind};

/// Teddy looks at up to four bytes of each pattern.
const MAX_PREFIX: usize = 4;
/// Starts shorter than this occur so often in text (every "th", every "co") that checking
/// each candidate costs more than running the automaton over the whole text: a glossary
/// whose three-byte starts do not fit one searcher goes without the prefilter.
const MIN_PREFIX: usize = 3;
/// The most patterns one Teddy searcher takes (the builder's limit).
const MAX_VARIANTS: usize = 128;

pub struct Literals {
    automaton: AhoCorasick,
    /// Every case variant of the terms' first bytes; `None` when Teddy cannot be used (no
    /// SIMD, too many variants, an empty term): then the automaton scans alone.
    starts: Option<packed::Searcher>,
}

impl Literals {
    pub fn new<P: AsRef<[u8]>>(patterns: &[P]) -> Result<Self, BuildError> {
        let starts = starts_searcher(patterns);
        // With the prefilter, the automaton only runs anchored: building the unanchored start
        // as well would double the work of compiling it.
        let start_kind = if starts.is_some() {
            StartKind::Anchored
        } else {
            StartKind::Unanchored
        };
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(start_kind)
            .build(patterns)?;
        Ok(Literals { automaton, starts })
    }

    /// The leftmost-longest match that starts at `from` or later: the same as the automaton's
    /// unanchored search of `text[from..]`.
    pub fn find_from(&self, text: &str, from: usize) -> Option<Match> {
        let Some(starts) = &self.starts else {
            return self.automaton.find(Input::new(text).range(from..));
        };
        let mut at = from;
        // A match starts where some term's first bytes do; the first place where one of the
        // terms matches in full is the leftmost match, and the automaton there picks the longest.
        while at < text.len() {
            let candidate = starts.find_in(text, aho_corasick::Span::from(at..text.len()))?.start();
            let anchored = Input::new(text).range(candidate..).anchored(Anchored::Yes);
            if let Some(m) = self.automaton.find(anchored) {
                return Some(m);
            }
            at = candidate + 1;
        }
        None
    }

    /// Successive non-overlapping leftmost-longest matches, as the automaton's `find_iter`.
    pub fn find_iter<'a>(&'a self, text: &'a str) -> Box<dyn Iterator<Item = Match> + 'a> {
        if self.starts.is_none() {
            return Box::new(self.automaton.find_iter(text));
        }
        let mut from = 0;
        Box::new(std::iter::from_fn(move || {
            // No term is empty when there is a prefilter, so each match moves the search on.
            let m = self.find_from(text, from)?;
            from = m.end();
            Some(m)
        }))
    }
}

/// A Teddy searcher for the first bytes of the patterns in every ASCII case: as many bytes (up
/// to four) as keep the variants within what one searcher takes.
fn starts_searcher<P: AsRef<[u8]>>(patterns: &[P]) -> Option<packed::Searcher> {
    let shortest = patterns.iter().map(|p| p.as_ref().len()).min()?;
    let variants = (MIN_PREFIX..=shortest.min(MAX_PREFIX))
        .rev()
        .map(|len| case_variants(patterns, len))
        .find(|v| v.len() <= MAX_VARIANTS)?;
    packed::Config::new()
        .match_kind(packed::MatchKind::LeftmostFirst)
        // Beyond Teddy's usual 64 patterns: the case variants of one start share a bucket.
        .heuristic_pattern_limits(false)
        .builder()
        .extend(variants)
        .build()
}

/// The first `len` bytes of the patterns, deduplicated, in every ASCII case. Teddy puts
/// patterns whose bytes have the same low nibbles (the case variants of one start) in one
/// bucket, and picks a new start's bucket from its index: so the starts come first, each
/// in one case, and the other cases after, to give each start a bucket of its own.
fn case_variants<P: AsRef<[u8]>>(patterns: &[P], len: usize) -> Vec<Vec<u8>> {
    // In pattern order (the bucket choice depends on it), each start once; a glossary of
    // thousands of entries has thousands of starts, so duplicates are found by hashing. More
    // starts than a searcher takes end the count early: the caller then does without.
    let mut starts: Vec<Vec<u8>> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in patterns {
        let start = p.as_ref()[..len].to_ascii_lowercase();
        if seen.insert(start.clone()) {
            starts.push(start);
            if starts.len() > MAX_VARIANTS {
                return starts;
            }
        }
    }
    let forms: Vec<Vec<Vec<u8>>> = starts
        .into_iter()
        .map(|start| {
            let mut forms = vec![start];
            for i in 0..len {
                if forms[0][i].is_ascii_alphabetic() {
                    for j in 0..forms.len() {
                        let mut upper = forms[j].clone();
                        upper[i] = upper[i].to_ascii_uppercase();
                        forms.push(upper);
                    }
                }
            }
            forms
        })
        .collect();
    let most = forms.iter().map(Vec::len).max().unwrap_or(0);
    (0..most)
        .flat_map(|k| forms.iter().filter_map(move |f| f.get(k).cloned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(matches: impl Iterator<Item = Match>) -> Vec<(usize, usize, usize)> {
        matches.map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect()
    }

    fn plain(patterns: &[&str]) -> AhoCorasick {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns)
            .unwrap()
    }

    #[test]
    fn matches_as_the_automaton_alone() {
        let patterns = [
            "Party",
            "party building",
            "Chamber of Commerce",
            "old town",
            "古镇",
            "Old",
        ];
        let literals = Literals::new(&patterns).unwrap();
        assert!(literals.starts.is_some());
        let plain = plain(&patterns);
        let text = "The PARTY Building of the chamber OF commerce in the oLd town of 古镇; \
                    partying, Old Towns, departy.";
        let want = all(plain.find_iter(text));
        assert!(want.len() >= 5);
        assert_eq!(all(literals.find_iter(text)), want);
        for from in 0..text.len() {
            assert_eq!(
                literals.find_from(text, from),
                plain.find(Input::new(text).range(from..)),
                "from {from}"
            );
        }
    }

    #[test]
    fn many_terms_use_shorter_starts_or_none() {
        let words = [
            "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo",
            "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform", "victor",
            "whiskey", "x-ray", "yankee", "zulu", "Zürich", "zurück",
        ];
        let text = "ALPHA bravo Charlie x-Ray zürich ZULU yankeE whiskey-victor \
                    uniformtango sierra romeo quebec papa oscar November mikE lima kilo";
        for n in [words.len(), 12, 4] {
            let literals = Literals::new(&words[..n]).unwrap();
            assert_eq!(
                all(literals.find_iter(text)),
                all(plain(&words[..n]).find_iter(text)),
                "{n} terms"
            );
        }
    }

    #[test]
    fn short_or_empty_terms_fall_back_to_the_automaton() {
        let literals = Literals::new(&["a", "bc"]).unwrap();
        assert_eq!(all(literals.find_iter("A bc")), [(0, 1, 0), (2, 4, 1)]);
        let literals = Literals::new(&["", "x"]).unwrap();
        assert!(literals.starts.is_none());
        assert_eq!(all(literals.find_iter("x y")), all(plain(&["", "x"]).find_iter("x y")));
    }
}
