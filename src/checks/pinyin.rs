//! Hanyu Pinyin syllables: whether a word is made of them, and how it splits into them.
//! The table is the public standard's, kept as data in `data/pinyin-syllables.txt`.

use std::sync::OnceLock;

/// The longest syllable (`zhuang`), in letters.
const MAX_SYLLABLE: usize = 6;

/// The syllables, each packed into a `u64` (its bytes, big-end first), sorted: a lookup is a
/// binary search over 400 integers, with no hashing or allocation in the hot loop.
fn syllables() -> &'static [u64] {
    static SET: OnceLock<Vec<u64>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut v: Vec<u64> = include_str!("data/pinyin-syllables.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace)
            .map(|s| pack(s.as_bytes()))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    })
}

fn pack(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

fn is_syllable_bytes(s: &[u8]) -> bool {
    s.len() <= MAX_SYLLABLE && syllables().binary_search(&pack(s)).is_ok()
}

pub fn is_syllable(s: &str) -> bool {
    is_syllable_bytes(s.as_bytes())
}

/// How `word` (ASCII letters, any case; `'` marks a syllable boundary as in "Xi'an") splits
/// into pinyin syllables: `None` when it does not, else the number of ways (capped at 2) and
/// the split with the fewest syllables, as byte ranges of `word`.
pub fn split(word: &str) -> Option<(usize, Vec<std::ops::Range<usize>>)> {
    const MAX: usize = 48;
    let n = word.len();
    if n == 0 || n > MAX || !word.bytes().all(|b| b.is_ascii_alphabetic() || b == b'\'') {
        return None;
    }
    let mut lower = [0u8; MAX];
    for (l, b) in lower.iter_mut().zip(word.bytes()) {
        *l = b.to_ascii_lowercase();
    }
    let b = &lower[..n];
    // Every syllable ends in a vowel, n, ng or er: most English words fail here, cheaply.
    let ends_well = match b[n - 1] {
        b'a' | b'e' | b'i' | b'o' | b'u' | b'v' | b'n' => true,
        b'g' => n > 1 && b[n - 2] == b'n',
        b'r' => n > 1 && b[n - 2] == b'e',
        _ => false,
    };
    if !ends_well || !(1..=MAX_SYLLABLE.min(n)).any(|l| is_syllable_bytes(&b[..l])) {
        return None;
    }
    // ways[i]: number of splits of b[i..] (capped), best[i]: (syllables, next cut).
    let mut ways = [0u8; MAX + 1];
    let mut best = [None::<(u8, u8)>; MAX + 1];
    ways[n] = 1;
    best[n] = Some((0, n as u8));
    for i in (0..n).rev() {
        if b[i] == b'\'' {
            if i > 0 && i + 1 < n && b[i - 1] != b'\'' {
                ways[i] = ways[i + 1];
                best[i] = best[i + 1].map(|(c, _)| (c, i as u8 + 1));
            }
            continue;
        }
        // A syllable starting with a vowel follows another only after an apostrophe
        // (Xi'an, not Xian), as the standard writes it.
        if matches!(b[i], b'a' | b'e' | b'o') && i > 0 && b[i - 1] != b'\'' {
            continue;
        }
        for len in 1..=MAX_SYLLABLE.min(n - i) {
            let end = i + len;
            if ways[end] == 0 || !is_syllable_bytes(&b[i..end]) {
                continue;
            }
            ways[i] = (ways[i] + ways[end]).min(2);
            let count = best[end].map_or(0, |(c, _)| c) + 1;
            if best[i].is_none_or(|(c, _)| count < c) {
                best[i] = Some((count, end as u8));
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
            cuts.push(i..next as usize);
        }
        i = next as usize;
    }
    Some((ways[0] as usize, cuts))
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
