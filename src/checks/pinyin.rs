//! Hanyu Pinyin syllables: whether a word is made of them, and how it splits into them.
//! The table is the public standard's, kept as data in `data/pinyin-syllables.txt`.

use std::collections::HashSet;
use std::sync::OnceLock;

/// The longest syllable (`zhuang`), in letters.
const MAX_SYLLABLE: usize = 6;

fn syllables() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        include_str!("data/pinyin-syllables.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace)
            .collect()
    })
}

pub fn is_syllable(s: &str) -> bool {
    syllables().contains(s)
}

/// How `word` (ASCII letters, any case; `'` marks a syllable boundary as in "Xi'an") splits
/// into pinyin syllables: `None` when it does not, else the number of ways (capped at 2) and
/// the split with the fewest syllables, as byte ranges of `word`.
pub fn split(word: &str) -> Option<(usize, Vec<std::ops::Range<usize>>)> {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_alphabetic() || b == b'\'') {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let b = lower.as_bytes();
    let n = b.len();
    // ways[i]: number of splits of lower[i..] (capped), best[i]: (syllables, next cut).
    let mut ways = vec![0usize; n + 1];
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    ways[n] = 1;
    best[n] = Some((0, n));
    for i in (0..n).rev() {
        if b[i] == b'\'' {
            if i > 0 && i + 1 < n && b[i - 1] != b'\'' {
                ways[i] = ways[i + 1];
                best[i] = best[i + 1].map(|(c, _)| (c, i + 1));
            }
            continue;
        }
        for len in 1..=MAX_SYLLABLE.min(n - i) {
            let end = i + len;
            // A syllable starting with a vowel follows another only after an apostrophe
            // (Xi'an, not Xian), as the standard writes it.
            let vowel_start = matches!(b[i], b'a' | b'e' | b'o');
            if ways[end] == 0 || !is_syllable(&lower[i..end]) || (vowel_start && i > 0 && b[i - 1] != b'\'') {
                continue;
            }
            ways[i] = (ways[i] + ways[end]).min(2);
            let count = best[end].map_or(0, |(c, _)| c) + 1;
            if best[i].is_none_or(|(c, _)| count < c) {
                best[i] = Some((count, end));
            }
        }
    }
    if ways[0] == 0 {
        return None;
    }
    let mut cuts = Vec::new();
    let mut i = 0;
    while i < n {
        let (_, next) = best[i]?;
        if b[i] != b'\'' {
            cuts.push(i..next);
        }
        i = next;
    }
    Some((ways[0], cuts))
}

/// The number of syllables of a pinyin word (its shortest split), or `None`.
pub fn syllable_count(word: &str) -> Option<usize> {
    split(word).map(|(_, cuts)| cuts.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(word: &str) -> Vec<&str> {
        split(word).unwrap().1.into_iter().map(|r| &word[r]).collect()
    }

    #[test]
    fn splits_names() {
        assert_eq!(parts("Gonghaijie"), ["Gong", "hai", "jie"]);
        assert_eq!(parts("guangdong"), ["guang", "dong"]);
        assert_eq!(parts("Xi'an"), ["Xi", "an"]);
        assert_eq!(split("Gonghaijie").unwrap().0, 1);
    }

    #[test]
    fn ambiguity_is_counted() {
        // fangan = fang + an (written fang'an) or fan + gan
        assert_eq!(split("fangan").map(|s| s.0), Some(1));
        assert_eq!(split("Xi'an").unwrap().0, 1);
        assert_eq!(parts("xian"), ["xian"]);
        assert_eq!(parts("shangang"), ["shan", "gang"]);
    }

    #[test]
    fn non_pinyin_words() {
        for w in ["mysql", "kubernetes", "strength", "", "a-b", "Beijing2"] {
            assert!(split(w).is_none(), "{w}");
        }
    }
}
