//! Hanyu Pinyin syllables: whether a word is made of them, and how it splits into them.
//! The table is the public standard's, kept as data in `data/pinyin-syllables.txt`.

use std::sync::OnceLock;

/// The longest syllable (`zhuang`), in letters.
const MAX_SYLLABLE: usize = 6;

/// The syllable table in the forms the lookups want.
struct Table {
    /// The syllables, each packed into a `u64` (its bytes, big-end first), in an open-address
    /// table of [`SLOTS`] slots (0 for an empty one) placed by [`slot`]: a lookup is a
    /// multiplication and a probe or two, with no allocation in the hot loop.
    packed: Box<[u64; SLOTS]>,
    /// For each letter, a bit for each letter that may follow it in a word made of syllables
    /// (bit 0 for `a`): the pairs inside a syllable, and a syllable's last letter followed by
    /// the first letter of a syllable that does not start with a vowel (one that does needs an
    /// apostrophe before it). A word with any other pair of letters splits no way, and most
    /// English words have one, so [`split`] rejects them before its search.
    next: [u32; 26],
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let list: Vec<&[u8]> = include_str!("data/pinyin-syllables.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace)
            .map(str::as_bytes)
            .collect();
        let mut packed = Box::new([0u64; SLOTS]);
        for s in &list {
            let key = pack(s);
            let mut at = slot(key);
            while packed[at] != 0 && packed[at] != key {
                at = (at + 1) % SLOTS;
            }
            packed[at] = key;
        }
        let letter = |c: u8| usize::from(c.to_ascii_lowercase().wrapping_sub(b'a')).min(26);
        let mut next = [0u32; 26];
        let (mut lasts, mut firsts) = (0u32, 0u32);
        for s in &list {
            for pair in s.windows(2) {
                let (x, y) = (letter(pair[0]), letter(pair[1]));
                if x < 26 && y < 26 {
                    next[x] |= 1 << y;
                }
            }
            if let (Some(&f), Some(&l)) = (s.first(), s.last()) {
                if letter(l) < 26 {
                    lasts |= 1 << letter(l);
                }
                if letter(f) < 26 && !matches!(f, b'a' | b'e' | b'o') {
                    firsts |= 1 << letter(f);
                }
            }
        }
        for (x, follow) in next.iter_mut().enumerate() {
            if lasts & (1 << x) != 0 {
                *follow |= firsts;
            }
        }
        Table { packed, next }
    })
}

/// Slots of the syllable table: a power of two, over twice the number of syllables.
const SLOTS: usize = 1024;

/// The first slot a packed syllable is looked for in (Fibonacci hashing).
fn slot(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SLOTS.trailing_zeros())) as usize
}

fn pack(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

/// True when `key` is a packed syllable of the table.
fn is_packed_syllable(key: u64) -> bool {
    let packed = &table().packed;
    let mut at = slot(key);
    loop {
        match packed[at] {
            0 => return false,
            k if k == key => return true,
            _ => at = (at + 1) % SLOTS,
        }
    }
}

fn is_syllable_bytes(s: &[u8]) -> bool {
    s.len() <= MAX_SYLLABLE && is_packed_syllable(pack(s))
}

pub fn is_syllable(s: &str) -> bool {
    is_syllable_bytes(s.as_bytes())
}

/// [`is_syllable`] of `s` in lower case (ASCII letters lowered), without allocating.
pub fn is_syllable_ignore_case(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() <= MAX_SYLLABLE
        && is_packed_syllable(
            b.iter()
                .fold(0u64, |acc, &c| (acc << 8) | u64::from(c.to_ascii_lowercase())),
        )
}

/// The longest word [`split`] looks at, in bytes.
const MAX_WORD: usize = 48;

/// What the search of [`split`] found: the number of ways (capped at 2), and for each
/// position the fewest syllables of the rest of the word with the cut after the first.
struct Splits {
    ways: usize,
    best: [Option<(u8, u8)>; MAX_WORD + 1],
    lower: [u8; MAX_WORD],
    len: usize,
}

/// The search behind [`split`] and [`syllable_count`]; `None` when `word` splits no way.
fn splits(word: &str) -> Option<Splits> {
    let n = word.len();
    let w = word.as_bytes();
    if n == 0 || n > MAX_WORD {
        return None;
    }
    // Every syllable ends in a vowel, n, ng or er: most English words fail here, cheaply.
    let ends_well = match w[n - 1].to_ascii_lowercase() {
        b'a' | b'e' | b'i' | b'o' | b'u' | b'v' | b'n' => true,
        b'g' => n > 1 && w[n - 2].eq_ignore_ascii_case(&b'n'),
        b'r' => n > 1 && w[n - 2].eq_ignore_ascii_case(&b'e'),
        _ => false,
    };
    if !ends_well {
        return None;
    }
    // Lowered, checking on the way that the word is letters and apostrophes, and that each
    // pair of letters may stand side by side in pinyin.
    let next = &table().next;
    let mut lower = [0u8; MAX_WORD];
    let mut prev = 26usize;
    for (l, &c) in lower.iter_mut().zip(w) {
        let c = c.to_ascii_lowercase();
        *l = c;
        if c == b'\'' {
            prev = 26;
            continue;
        }
        if !c.is_ascii_lowercase() {
            return None;
        }
        let x = usize::from(c - b'a');
        if prev < 26 && next[prev] & (1 << x) == 0 {
            return None;
        }
        prev = x;
    }
    let b = &lower[..n];
    if !(1..=MAX_SYLLABLE.min(n)).any(|l| is_syllable_bytes(&b[..l])) {
        return None;
    }
    // ways[i]: number of splits of b[i..] (capped), best[i]: (syllables, next cut).
    let mut ways = [0u8; MAX_WORD + 1];
    let mut best = [None::<(u8, u8)>; MAX_WORD + 1];
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
    Some(Splits {
        ways: ways[0] as usize,
        best,
        lower,
        len: n,
    })
}

/// How `word` (ASCII letters, any case; `'` marks a syllable boundary as in "Xi'an") splits
/// into pinyin syllables: `None` when it does not, else the number of ways (capped at 2) and
/// the split with the fewest syllables, as byte ranges of `word`.
pub fn split(word: &str) -> Option<(usize, Vec<std::ops::Range<usize>>)> {
    let s = splits(word)?;
    let mut cuts = Vec::new();
    let mut i = 0;
    while i < s.len {
        let (_, next) = s.best[i]?;
        if s.lower[i] != b'\'' {
            cuts.push(i..next as usize);
        }
        i = next as usize;
    }
    Some((s.ways, cuts))
}

/// The number of syllables of a pinyin word (its shortest split), or `None`.
pub fn syllable_count(word: &str) -> Option<usize> {
    let s = splits(word)?;
    s.best[0].map(|(count, _)| usize::from(count))
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
