//! Where pattern matches can start, found for all rules in one scan.
//!
//! Most rules' matches begin with one of a few literals (`in January`, `both hands`, `mirror`).
//! One Aho-Corasick automaton over all those literals finds every place any rule can match in a
//! single pass; each rule then runs its own regex only there, anchored. Scanning the text once
//! per rule with each rule's regex cost a pass over the document per rule.
//!
//! The literals are matched ignoring ASCII case, so a case-insensitive rule needs one literal
//! per word instead of one per capitalisation. For a case-sensitive rule this finds more places
//! than it can match, never fewer: the anchored regex decides.

use aho_corasick::automaton::Automaton;
use aho_corasick::automaton::StateID;
use aho_corasick::{Anchored, MatchKind};
use regex_syntax::hir::literal::{rank, ExtractKind, Extractor};
use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind};

/// A rule's start literals are worth scanning for only if none is shorter than this: shorter
/// ones (a digit, `a `) occur so often that the anchored searches cost more than a scan.
const MIN_LITERAL_LEN: usize = 3;

/// The most characters a class may have for its characters to be start literals: wide enough
/// for `[A-Z]`; a set of hundreds of literals is no better than a scan.
const LIMIT_CLASS: usize = 32;

/// The literals every match of `hir` starts with, ASCII letters lowercased and none a prefix of
/// another; `None` when there is no short list of them (`\w+ly`) or one is too short to be
/// worth looking for.
pub fn start_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let mut seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        .limit_class(LIMIT_CLASS)
        .limit_literal_len(16)
        .limit_total(64)
        .extract(&fold_ascii_case(hir));
    seq.dedup();
    let mut lits: Vec<Vec<u8>> = seq.literals()?.iter().map(|l| l.as_bytes().to_vec()).collect();
    if lits.is_empty() || lits.iter().any(|l| l.len() < MIN_LITERAL_LEN) {
        return None;
    }
    lits.sort_unstable();
    // A literal that extends a shorter one adds no start the shorter one does not find.
    lits.dedup_by(|longer, shorter| longer.starts_with(shorter));
    Some(lits)
}

/// `hir` with every uppercase ASCII letter replaced by its lowercase: it matches the ASCII
/// lowercasing of every text `hir` matches. Non-ASCII letters are left alone, so the Kelvin
/// sign a case-insensitive `k` matches stays a literal of its own.
fn fold_ascii_case(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Literal(lit) => Hir::literal(lit.0.to_ascii_lowercase()),
        // Folding leaves a class without `A`–`Z` as it is, and cannot bring a class of more
        // than `LIMIT_CLASS` + 26 characters within the extractor's limit: either way the
        // literals are those of the class unfolded. (Building the folded `\p{Ll}`s and `\p{L}`s
        // of the shipped packs took a fifth of compiling them.)
        HirKind::Class(Class::Unicode(class))
            if !class.iter().any(|r| r.start() <= 'Z' && r.end() >= 'A')
                || class.iter().map(|r| r.len()).sum::<usize>() > LIMIT_CLASS + 26 =>
        {
            hir.clone()
        }
        HirKind::Class(Class::Unicode(class)) => {
            let mut ranges = Vec::new();
            for r in class.iter() {
                let (lo, hi) = (r.start(), r.end());
                ranges.push(ClassUnicodeRange::new(lo, hi));
                let (ulo, uhi) = (lo.max('A'), hi.min('Z'));
                if ulo <= uhi {
                    ranges.push(ClassUnicodeRange::new(
                        ulo.to_ascii_lowercase(),
                        uhi.to_ascii_lowercase(),
                    ));
                }
            }
            let mut folded = ClassUnicode::new(ranges);
            // Uppercase letters the class no longer needs are dropped, so `[Mm]` is one letter.
            folded.difference(&ClassUnicode::new([ClassUnicodeRange::new('A', 'Z')]));
            Hir::class(Class::Unicode(folded))
        }
        HirKind::Class(Class::Bytes(class)) => {
            let mut ranges = Vec::new();
            for r in class.iter() {
                let (lo, hi) = (r.start(), r.end());
                ranges.push(ClassBytesRange::new(lo, hi));
                let (ulo, uhi) = (lo.max(b'A'), hi.min(b'Z'));
                if ulo <= uhi {
                    ranges.push(ClassBytesRange::new(ulo.to_ascii_lowercase(), uhi.to_ascii_lowercase()));
                }
            }
            let mut folded = ClassBytes::new(ranges);
            folded.difference(&ClassBytes::new([ClassBytesRange::new(b'A', b'Z')]));
            Hir::class(Class::Bytes(folded))
        }
        HirKind::Empty | HirKind::Look(_) => hir.clone(),
        HirKind::Repetition(rep) => {
            let mut rep = rep.clone();
            rep.sub = Box::new(fold_ascii_case(&rep.sub));
            Hir::repetition(rep)
        }
        HirKind::Capture(cap) => {
            let mut cap = cap.clone();
            cap.sub = Box::new(fold_ascii_case(&cap.sub));
            Hir::capture(cap)
        }
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(fold_ascii_case).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(fold_ascii_case).collect()),
    }
}

/// How many bytes of each literal are looked for: four rare bytes are rare enough, and short
/// windows keep the automaton small.
const WINDOW: usize = 4;
/// A window may be this short if it holds a byte ranked rarer than `RARE_RANK`.
const SHORT_WINDOW: usize = 3;
const RARE_RANK: u8 = 200;

/// The start literals of many rules, searched for together.
///
/// What is searched for is not the literals' beginnings but a few bytes of them chosen to be
/// few and rare (`rain` in `the train runs`; `mirr` for `mirror`, `"mirror` and `“mirror`): a
/// literal beginning `the ` would report a place at every other word.
///
/// The windows are found by a DFA that reads each byte of the text once, at a cost that does
/// not grow with the number of windows. A Teddy (SIMD) scan did this before: with seventy
/// windows its buckets share so many byte fingerprints that it stopped to compare literals
/// every few bytes, and cost nearly three times as much as the DFA.
pub struct Starts {
    /// Over the windows of all literals, none a prefix of another, matched ignoring ASCII
    /// case; an overlapping search reports every place each window occurs.
    finder: aho_corasick::dfa::DFA,
    /// Window → the rules whose matches can start some bytes before it.
    owners: Vec<Vec<Owner>>,
}

/// A rule whose matches may start `offset` bytes before where a window is found: where one of
/// `literals` (those that hold the window there) begins. A window is a few bytes of a literal
/// (`in j` of `in january`), and most places it occurs begin none of them: comparing the
/// literals there costs less than the anchored search of the rule's regex each place got.
struct Owner {
    /// The caller's index of the rule.
    rule: usize,
    offset: usize,
    literals: Vec<Literal>,
}

impl Owner {
    /// Whether one of the literals begins at `start` in `bytes`, ignoring ASCII case.
    fn begins_at(&self, bytes: &[u8], start: usize) -> bool {
        let rest = &bytes[start..];
        let head = rest.first_chunk::<8>().map(|b| u64::from_le_bytes(*b));
        self.literals.iter().any(|lit| lit.begins(rest, head))
    }
}

/// A start literal, with its first eight bytes (or fewer) as one number so that a place is
/// compared with them at once: most places a window finds differ from the literal there.
struct Literal {
    /// The literal, ASCII letters lowercased.
    bytes: Box<[u8]>,
    /// The first bytes, little-endian, zero past the literal's end.
    head: u64,
    /// 0x20 in each of those bytes that is an ASCII letter. Or-ed into the text's bytes, it
    /// lowercases an ASCII letter, and a byte it changes into a lowercase letter was that
    /// letter's capital: so `text | fold == head` is a comparison that ignores ASCII case.
    fold: u64,
    /// 0xff in each of those bytes.
    keep: u64,
}

impl Literal {
    fn new(lit: &[u8]) -> Literal {
        let bytes: Box<[u8]> = lit.to_ascii_lowercase().into();
        let (mut head, mut fold, mut keep) = (0u64, 0u64, 0u64);
        for (i, &b) in bytes.iter().take(8).enumerate() {
            head |= u64::from(b) << (8 * i);
            if b.is_ascii_alphabetic() {
                fold |= 0x20 << (8 * i);
            }
            keep |= 0xff << (8 * i);
        }
        Literal {
            bytes,
            head,
            fold,
            keep,
        }
    }

    /// Whether `rest` begins with the literal, ignoring ASCII case; `head` is its first eight
    /// bytes as a little-endian number, `None` if it has fewer.
    fn begins(&self, rest: &[u8], head: Option<u64>) -> bool {
        match head {
            Some(h) => {
                (h | self.fold) & self.keep == self.head
                    && (self.bytes.len() <= 8
                        || rest
                            .get(8..self.bytes.len())
                            .is_some_and(|b| b.eq_ignore_ascii_case(&self.bytes[8..])))
            }
            None => rest
                .get(..self.bytes.len())
                .is_some_and(|b| b.eq_ignore_ascii_case(&self.bytes)),
        }
    }
}

/// Windows that together cover `lits` (each literal contains one), each with where it sits in
/// the literals it covers: few windows, as Teddy slows down with every one it looks for, and
/// among as few, the rarest. Picked greedily: the window in the most uncovered literals first.
/// Windows are `WINDOW` bytes, or shorter with a rare byte (` & ` covers `A & ` to `Z & `; `in `
/// would stop the search at every other line).
fn cover(lits: &[Vec<u8>]) -> Vec<(&[u8], usize, &[u8])> {
    fn windows_of(lit: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
        let full = lit.len().min(WINDOW);
        (SHORT_WINDOW.min(full)..=full)
            .flat_map(move |w| (0..=lit.len() - w).map(move |k| (k, &lit[k..k + w])))
            .filter(move |(_, w)| w.len() == full || w.iter().any(|&b| rank(b) < RARE_RANK))
    }
    let rarity = |w: &[u8]| w.iter().map(|&b| usize::from(rank(b))).sum::<usize>();
    let mut uncovered: Vec<&[u8]> = lits.iter().map(Vec::as_slice).collect();
    let mut out = Vec::new();
    while !uncovered.is_empty() {
        // Each window with the number of uncovered literals that hold it, counted in one pass
        // over their windows: comparing every window with every literal's windows cost more
        // than compiling the rest of the shipped packs.
        // (A fast hash: the candidates are sorted below, so the map's order does not matter.)
        let mut holding: std::collections::HashMap<&[u8], usize, foldhash::fast::FixedState> =
            std::collections::HashMap::default();
        let mut own: Vec<&[u8]> = Vec::new();
        for lit in &uncovered {
            own.clear();
            own.extend(windows_of(lit).map(|(_, w)| w));
            own.sort_unstable();
            own.dedup();
            for &w in &own {
                *holding.entry(w).or_default() += 1;
            }
        }
        let mut candidates: Vec<(&[u8], usize)> = holding.into_iter().collect();
        candidates.sort_unstable();
        // Of equals, the last in byte order.
        let best = candidates
            .into_iter()
            .max_by_key(|&(w, n)| (n, std::cmp::Reverse(rarity(w))))
            .map(|(w, _)| w)
            .expect("an uncovered literal has a window");
        uncovered.retain(|lit| match windows_of(lit).find(|&(_, x)| x == best) {
            Some((k, _)) => {
                out.push((best, k, *lit));
                false
            }
            None => true,
        });
    }
    out
}

impl Starts {
    /// `rules` pairs a caller's rule index with its start literals. `None` if there are none.
    pub fn new(rules: &[(usize, Vec<Vec<u8>>)]) -> Option<Starts> {
        let mut all: Vec<(&[u8], usize, usize, &[u8])> = rules
            .iter()
            .flat_map(|(rule, lits)| {
                cover(lits)
                    .into_iter()
                    .map(move |(w, offset, lit)| (w, *rule, offset, lit))
            })
            .collect();
        if all.is_empty() {
            return None;
        }
        all.sort_unstable();
        all.dedup();
        // Sorted, a window comes right after the shortest window it extends (if any); a longer
        // window is replaced by that one, which occurs wherever it does.
        let mut windows: Vec<&[u8]> = Vec::new();
        let mut owners: Vec<Vec<Owner>> = Vec::new();
        for (window, rule, offset, lit) in all {
            let o = match (windows.last(), owners.last_mut()) {
                (Some(root), Some(o)) if window.starts_with(root) => o,
                _ => {
                    windows.push(window);
                    owners.push(Vec::new());
                    owners.last_mut().expect("just pushed")
                }
            };
            match o.iter_mut().find(|o| o.rule == rule && o.offset == offset) {
                Some(owner) => owner.literals.push(Literal::new(lit)),
                None => o.push(Owner {
                    rule,
                    offset,
                    literals: vec![Literal::new(lit)],
                }),
            }
        }
        // The windows are lowercase (non-ASCII bytes as they are): matching them ignoring ASCII
        // case is matching them against the text with its ASCII letters lowercased.
        let finder = aho_corasick::dfa::DFA::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            // The scan below walks the automaton itself, without a prefilter.
            .prefilter(false)
            .build(&windows)
            .ok()?;
        Some(Starts { finder, owners })
    }

    /// For each of `rules` (as many as the caller has), the offsets in `text` where its
    /// matches can start, ascending.
    pub fn find(&self, text: &str, rules: usize) -> Vec<Vec<usize>> {
        let mut starts = vec![Vec::new(); rules];
        // The automaton walked byte by byte, every window that ends at a byte read from its
        // match state: the overlapping search reports the same windows, but keeps its place
        // in memory between bytes and returns at each one, which cost three times as much.
        let dfa = &self.finder;
        let Ok(mut sid) = dfa.start_state(Anchored::No) else {
            return starts;
        };
        let bytes = text.as_bytes();
        let mut at = 0;
        while let Some(end) = self.to_special(&mut sid, bytes, at) {
            at = end;
            if dfa.is_dead(sid) {
                break;
            }
            for i in 0..dfa.match_len(sid) {
                let window = dfa.match_pattern(sid, i);
                let found_at = end - dfa.pattern_len(window);
                for owner in &self.owners[window.as_usize()] {
                    if let Some(start) = found_at
                        .checked_sub(owner.offset)
                        .filter(|&s| text.is_char_boundary(s) && owner.begins_at(bytes, s))
                    {
                        starts[owner.rule].push(start);
                    }
                }
            }
        }
        // Windows at different offsets of a rule's literals find its starts out of order.
        for s in &mut starts {
            s.sort_unstable();
            s.dedup();
        }
        starts
    }
}

impl Starts {
    /// Walks the automaton from `sid` through `bytes[at..]` to the first special state (a
    /// match or the dead state), leaving it in `sid`, and returns the offset just past the byte
    /// that led to it; `None` at the end of the text. Apart from the rest of the search so
    /// that the loop nearly every byte takes keeps its few values in registers.
    #[inline(never)]
    fn to_special(&self, sid: &mut StateID, bytes: &[u8], at: usize) -> Option<usize> {
        let dfa = &self.finder;
        let mut current = *sid;
        let mut rest = bytes[at..].iter();
        while let Some(&byte) = rest.next() {
            current = dfa.next_state(Anchored::No, current, byte);
            if dfa.is_special(current) {
                *sid = current;
                return Some(bytes.len() - rest.len());
            }
        }
        *sid = current;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literals(pattern: &str, case_insensitive: bool) -> Option<Vec<String>> {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(case_insensitive)
            .build()
            .parse(pattern)
            .unwrap();
        start_literals(&hir).map(|ls| ls.into_iter().map(|l| String::from_utf8(l).unwrap()).collect())
    }

    #[test]
    fn literals_are_folded_and_prefix_free() {
        assert_eq!(
            literals(r"\b[Tt]he (?:train|trains) run", false).unwrap(),
            vec!["the train run", "the trains run"]
        );
        assert_eq!(literals(r"\b[Tt]he train(?:s|)\b", false).unwrap(), vec!["the train"]);
        assert_eq!(
            literals(r"\bboth hands", true).unwrap(),
            vec!["both hands", "both hand\u{17f}"]
        );
        // The Kelvin sign is a case variant of k.
        assert_eq!(literals(r"keep", true).unwrap(), vec!["keep", "\u{212a}eep"]);
        assert_eq!(literals(r":(?:…|\.\.\.)", false).unwrap(), vec![":...", ":…"]);
        assert_eq!(literals(r"\w+ly", false), None);
        assert_eq!(literals(r"\d+ percent", false), None);
        assert_eq!(literals(r"a|b", false), None);
    }

    #[test]
    fn every_start_is_found_once() {
        let rules = vec![
            (0, vec![b"ab".to_vec(), b"abc".to_vec()]),
            (1, vec![b"abcd".to_vec(), b"bc".to_vec(), b"xxbc".to_vec()]),
            // Looked for by its rarest bytes, `e zq`, two bytes in.
            (2, vec![b"the zq".to_vec()]),
        ];
        let starts = Starts::new(&rules).unwrap();
        let text = "xabcd abc bc xxbc the zq";
        let found = starts.find(text, 3);
        // Only where a literal begins: not at 6, where rule 1's window `bc` is found inside
        // `abc` but none of its literals begins.
        assert_eq!(found, vec![vec![1, 6], vec![1, 2, 7, 10, 13, 15], vec![18]]);
    }

    /// Comparing eight bytes at once is `eq_ignore_ascii_case`, also next to the bytes that
    /// differ from a letter by 0x20 alone (`@` and a backtick, `[` and `{`) and beyond ASCII.
    #[test]
    fn literals_are_compared_ignoring_ascii_case() {
        let lits: [&[u8]; 6] = [
            b"in j",
            b"mirror ind",
            b"a[b@",
            b"x`{y",
            "\u{e9} a".as_bytes(),
            b"in january 1",
        ];
        let texts: [&[u8]; 12] = [
            b"In J",
            b"IN Jxxxxxxxxx",
            b"in jANUARY 1, 2020",
            b"in january",
            b"MIRROR INDUSTRY",
            b"mirror Ind",
            b"A{B`xxxxxx",
            b"a[b@xxxxxx",
            b"X@[Yxxxxxx",
            b"x`{yxxxxxx",
            "\u{c9} a xxxxxx".as_bytes(),
            "\u{e9} A xxxxxx".as_bytes(),
        ];
        for lit in lits {
            let literal = Literal::new(lit);
            for text in texts {
                let head = text.first_chunk::<8>().map(|b| u64::from_le_bytes(*b));
                let expected = text.get(..lit.len()).is_some_and(|b| b.eq_ignore_ascii_case(lit));
                assert_eq!(literal.begins(text, head), expected, "{lit:?} at {text:?}");
            }
        }
    }

    #[test]
    fn starts_across_blocks_are_found_once_in_any_case() {
        let starts = Starts::new(&[(0, vec![b"the zq".to_vec()])]).unwrap();
        // Occurrences on both sides of the 64 KB block boundary and one whose window (`e zq`,
        // two bytes in) runs across it, in capitals.
        let block = 64 * 1024;
        let text = format!("The Zq {}THE ZQ the zq ", "x".repeat(block - 4 - 7));
        let expected = vec![0, block - 4, block - 4 + 7];
        assert_eq!(starts.find(&text, 1), vec![expected]);
    }
}
