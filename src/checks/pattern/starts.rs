//! Where pattern matches can start, found for all rules in one scan.
//!
//! Most rules' matches begin with one of a few literals (`in January`, `both hands`, `mirror`).
//! One Aho-Corasick automaton over all those literals finds every place any rule can match in a
//! single pass; each rule then runs its own regex only there, anchored. Scanning the text once
//! per rule with each rule's regex cost a pass over the document per rule.
//!
//! ShortStrings are matched case-insensitively (ASCII only) on a lowercased copy of the text, so a
//! case-insensitive rule needs one literal per word instead of one per capitalisation. For a
//! case-sensitive rule this finds more places than it can match, never fewer: the anchored
//! regex decides.

use super::super::matchers::ShortStrings;
use regex_syntax::hir::literal::{rank, ExtractKind, Extractor};
use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind};

/// A rule's start literals are worth scanning for only if none is shorter than this: shorter
/// ones (a digit, `a `) occur so often that the anchored searches cost more than a scan.
const MIN_LITERAL_LEN: usize = 3;

/// The literals every match of `hir` starts with, ASCII letters lowercased and none a prefix of
/// another; `None` when there is no short list of them (`\w+ly`) or one is too short to be
/// worth looking for.
pub fn start_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let mut seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        // Wide enough for `[A-Z]`; a set of hundreds of literals is no better than a scan.
        .limit_class(32)
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

/// How many bytes of each literal are looked for: Teddy compares at most four at a time, and
/// four rare bytes are rare enough.
const WINDOW: usize = 4;
/// A window may be this short if it holds a byte ranked rarer than `RARE_RANK`.
const SHORT_WINDOW: usize = 3;
const RARE_RANK: u8 = 200;

/// The start literals of many rules, searched for together.
///
/// What is searched for is not the literals' beginnings but a few bytes of them chosen to be
/// few and rare (`rain` in `the train runs`; `mirr` for `mirror`, `"mirror` and `“mirror`):
/// Teddy checks the first bytes of every literal at each position, slower the more literals
/// there are, and a literal beginning `the ` would stop it at every other word.
pub struct Starts {
    /// Over the windows of all literals, none a prefix of another, so at most one matches at
    /// any position and a leftmost search restarted one byte after each hit finds them all.
    finder: ShortStrings,
    /// Window → the rules (indices the caller chose) whose matches can start so many bytes
    /// before it.
    owners: Vec<Vec<(usize, usize)>>,
}

/// Windows that together cover `lits` (each literal contains one), each with where it sits in
/// the literals it covers: few windows, as Teddy slows down with every one it looks for, and
/// among as few, the rarest. Picked greedily: the window in the most uncovered literals first.
/// Windows are `WINDOW` bytes, or shorter with a rare byte (` & ` covers `A & ` to `Z & `; `in `
/// would stop the search at every other line).
fn cover(lits: &[Vec<u8>]) -> Vec<(&[u8], usize)> {
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
        let mut candidates: Vec<&[u8]> = uncovered.iter().flat_map(|l| windows_of(l)).map(|(_, w)| w).collect();
        candidates.sort_unstable();
        candidates.dedup();
        let covers = |w: &[u8], lit: &[u8]| windows_of(lit).any(|(_, x)| x == w);
        let best = candidates
            .into_iter()
            .max_by_key(|&w| {
                let n = uncovered.iter().filter(|l| covers(w, l)).count();
                (n, std::cmp::Reverse(rarity(w)))
            })
            .expect("an uncovered literal has a window");
        uncovered.retain(|lit| match windows_of(lit).find(|&(_, x)| x == best) {
            Some((k, _)) => {
                out.push((best, k));
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
        let mut all: Vec<(&[u8], (usize, usize))> = rules
            .iter()
            .flat_map(|(rule, lits)| cover(lits).into_iter().map(move |(w, offset)| (w, (*rule, offset))))
            .collect();
        if all.is_empty() {
            return None;
        }
        all.sort_unstable();
        all.dedup();
        // Sorted, a window comes right after the shortest window it extends (if any); a longer
        // window is replaced by that one, which occurs wherever it does.
        let mut windows: Vec<&[u8]> = Vec::new();
        let mut owners: Vec<Vec<(usize, usize)>> = Vec::new();
        for (window, owner) in all {
            match (windows.last(), owners.last_mut()) {
                (Some(root), Some(o)) if window.starts_with(root) => {
                    if !o.contains(&owner) {
                        o.push(owner);
                    }
                }
                _ => {
                    windows.push(window);
                    owners.push(vec![owner]);
                }
            }
        }
        // With more windows than Teddy takes this gets slow, but stays right.
        let finder = ShortStrings::new(&windows).ok()?;
        Some(Starts { finder, owners })
    }

    /// For each of `rules` (as many as the caller has), the offsets in `text` where its
    /// matches can start, ascending. The windows are matched against `text` with ASCII letters
    /// lower-cased, a block at a time: a copy of a whole large document is not needed.
    pub fn find(&self, text: &str, rules: usize) -> Vec<Vec<usize>> {
        const BLOCK: usize = 64 * 1024;
        let mut starts = vec![Vec::new(); rules];
        let bytes = text.as_bytes();
        let mut lowered = Vec::with_capacity(BLOCK.min(bytes.len()) + WINDOW);
        let mut block = 0;
        while block < bytes.len() {
            // The block, and the bytes a window starting in it can reach beyond it.
            let end = (block + BLOCK).min(bytes.len());
            lowered.clear();
            lowered.extend(
                bytes[block..(end + WINDOW - 1).min(bytes.len())]
                    .iter()
                    .map(u8::to_ascii_lowercase),
            );
            let mut at = 0;
            while let Some((window, found)) = self.finder.find(&lowered, at) {
                if block + found >= end {
                    break;
                }
                let found_at = block + found;
                for &(rule, offset) in &self.owners[window] {
                    if let Some(start) = found_at.checked_sub(offset).filter(|&s| text.is_char_boundary(s)) {
                        starts[rule].push(start);
                    }
                }
                at = found + 1;
            }
            block = end;
        }
        // Windows at different offsets of a rule's literals find its starts out of order.
        for s in &mut starts {
            s.sort_unstable();
            s.dedup();
        }
        starts
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
        assert_eq!(found, vec![vec![1, 6], vec![1, 2, 6, 7, 10, 13, 15], vec![18]]);
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
