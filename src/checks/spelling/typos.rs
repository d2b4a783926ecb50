//! The typos project's misspellings and their corrections, as `build.rs` writes them from the
//! `typos-dict` crate: the misspellings in lower case, sorted, and their corrections, each
//! list joined by NULs, all in flat bytes with the end of each entry. Nothing to relocate or
//! build at start-up; a lookup is a bisection over some 60,000 entries (the spelling check
//! keeps its answers per word, so each distinct word is looked up once per thread).

static KEYS: &str = include_str!(concat!(env!("OUT_DIR"), "/typos-keys.txt"));
static KEY_ENDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/typos-keys.ends"));
static CORRECTIONS: &str = include_str!(concat!(env!("OUT_DIR"), "/typos-corrections.txt"));
static CORRECTION_ENDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/typos-corrections.ends"));

/// Longest word looked up: the list's longest misspelling is far shorter.
const MAX_LEN: usize = 64;

/// The corrections of one misspelling, in the list's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Corrections(&'static str);

impl Corrections {
    pub fn iter(self) -> impl Iterator<Item = &'static str> {
        self.0.split('\0')
    }

    pub fn is_empty(self) -> bool {
        self.0.is_empty()
    }
}

/// Entry `i` of a table: its text in `text`, ending where `ends` says.
fn entry(text: &'static str, ends: &[u8], i: usize) -> &'static str {
    let end = |i: usize| {
        let b = &ends[i * 4..i * 4 + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize
    };
    let start = if i == 0 { 0 } else { end(i - 1) };
    &text[start..end(i)]
}

/// The corrections of `word` when the list has it as a misspelling, its case ignored.
///
/// The word and the misspellings are compared in lower case (`str::to_lowercase`; the
/// crate's own lookup folds case by Unicode's rules, which differ only for a few letters
/// outside ASCII that the list's misspellings do not hold).
pub fn find(word: &str) -> Option<Corrections> {
    if word.len() > MAX_LEN {
        return None;
    }
    if !word.is_ascii() {
        return search(word.to_lowercase().as_bytes());
    }
    let mut lower = [0u8; MAX_LEN];
    let lower = &mut lower[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    search(lower)
}

/// The corrections of the misspelling `lower` (in lower case), by bisection.
fn search(lower: &[u8]) -> Option<Corrections> {
    let n = KEY_ENDS.len() / 4;
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match entry(KEYS, KEY_ENDS, mid).as_bytes().cmp(lower) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some(Corrections(entry(CORRECTIONS, CORRECTION_ENDS, mid))),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_misspellings_in_any_case() {
        let c = |w| find(w).map(|c| c.iter().collect::<Vec<_>>());
        assert_eq!(c("unfortunatly"), Some(vec!["unfortunately"]));
        assert_eq!(c("Unfortunatly"), Some(vec!["unfortunately"]));
        assert_eq!(c("UNFORTUNATLY"), Some(vec!["unfortunately"]));
        assert_eq!(c("unfortunately"), None);
        assert_eq!(c("unfortunatly’"), None);
        // A homoglyph: `с` is Cyrillic.
        assert_eq!(c("Сontain"), Some(vec!["contain"]));
        assert_eq!(c(""), None);
    }

    #[test]
    fn every_entry_is_found_and_the_keys_are_sorted() {
        let n = KEY_ENDS.len() / 4;
        assert!(n > 10_000, "the list has {n} entries");
        assert_eq!(CORRECTION_ENDS.len() / 4, n);
        let mut last = "";
        for i in 0..n {
            let key = entry(KEYS, KEY_ENDS, i);
            assert!(key > last, "{key:?} after {last:?}");
            assert_eq!(find(key), Some(Corrections(entry(CORRECTIONS, CORRECTION_ENDS, i))));
            last = key;
        }
    }
}
