//! Guessing the language of a document when neither config nor `--lang` names it.
//!
//! The engine itself knows no language; this only picks which rule packs apply. It looks at
//! the scripts in use first (Han, kana, Hangul, Cyrillic) and, for Latin-script text, at the
//! most frequent function words of the languages the shipped packs target.

const SAMPLE: usize = 64 * 1024;

const STOPWORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "of", "to", "is", "that", "for", "with", "was", "on", "are", "this", "by", "it", "from",
            "has",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "des", "et", "est", "une", "du", "que", "pour", "dans", "au", "sur", "aux", "pas",
            "qui", "ont", "ses", "leur", "avec",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "das", "und", "ist", "den", "nicht", "mit", "von", "zu", "sich", "auf", "ein", "eine", "dem",
            "des", "im", "für", "wir", "haben",
        ],
    ),
    (
        "es",
        &[
            "el", "los", "las", "y", "es", "una", "por", "con", "para", "del", "que", "se", "como", "más",
        ],
    ),
];

/// A word of up to eight bytes as one number, for cheap comparison.
fn pack(bytes: impl Iterator<Item = u8>) -> Option<u64> {
    let mut key = 0u64;
    for (i, b) in bytes.enumerate() {
        if i == 8 {
            return None;
        }
        key |= u64::from(b) << (8 * i);
    }
    Some(key)
}

/// Stop words packed by `pack`, in an open-addressing table keyed by the packed word, each
/// with the bit set of the languages (indices into `STOPWORDS`) that list it. A lookup is a
/// multiply, a shift and usually one comparison: it runs for every short word of the sample.
struct StopwordTable {
    slots: [(u64, u8); TABLE_SLOTS],
}

const TABLE_SLOTS: usize = 256;

impl StopwordTable {
    fn slot(key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize
    }

    fn build() -> Self {
        let mut slots = [(0u64, 0u8); TABLE_SLOTS];
        for (l, (_, words)) in STOPWORDS.iter().enumerate() {
            for w in *words {
                let Some(key) = pack(w.bytes()) else { continue };
                // Key 0 (the empty word) marks a free slot; stop words are never empty.
                let mut i = Self::slot(key);
                while slots[i].0 != 0 && slots[i].0 != key {
                    i = (i + 1) % TABLE_SLOTS;
                }
                slots[i].0 = key;
                slots[i].1 |= 1 << l;
            }
        }
        StopwordTable { slots }
    }

    /// The languages listing the packed word `key`, as a bit set (0: none).
    fn languages(&self, key: u64) -> u8 {
        let mut i = Self::slot(key);
        loop {
            match self.slots[i] {
                (0, _) => return 0,
                (k, langs) if k == key => return langs,
                _ => i = (i + 1) % TABLE_SLOTS,
            }
        }
    }
}

fn stopwords() -> &'static StopwordTable {
    static TABLE: std::sync::OnceLock<StopwordTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(StopwordTable::build)
}

/// Counts of letters by script over the sample.
#[derive(Default)]
struct Scripts {
    han: usize,
    kana: usize,
    hangul: usize,
    cyrillic: usize,
    latin: usize,
}

/// Detects the language of `text`, returning a BCP 47 primary tag (`en`, `fr`, `de`, `zh`, …).
///
/// One pass over the first `SAMPLE` characters counts letters by script and scores the
/// words (runs of letters) of up to six bytes against each language's stop words. ASCII is
/// classified byte by byte without decoding; only other characters are decoded.
pub fn detect(text: &str) -> &'static str {
    // A text of at most SAMPLE bytes has at most SAMPLE characters: no need to count them.
    let sample = match text.len() > SAMPLE {
        true => text.char_indices().nth(SAMPLE).map_or(text, |(i, _)| &text[..i]),
        false => text,
    };
    let table = stopwords();
    let mut scripts = Scripts::default();
    let mut scores = [0usize; STOPWORDS.len()];
    let mut score = |word: &str| {
        if word.is_empty() || word.len() > 6 {
            return;
        }
        let key = if word.is_ascii() {
            // ASCII letters only: setting bit 5 lowercases them.
            let mut key = 0u64;
            for (k, b) in word.bytes().enumerate() {
                key |= u64::from(b | 0x20) << (8 * k);
            }
            Some(key)
        } else {
            pack(word.to_lowercase().bytes())
        };
        let langs = key.map_or(0, |k| table.languages(k));
        if langs != 0 {
            for (l, s) in scores.iter_mut().enumerate() {
                *s += usize::from(langs & (1 << l) != 0);
            }
        }
    };
    let bytes = sample.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphabetic() {
            // The rest of an ASCII run of letters, in one tight loop.
            let run = bytes[i..]
                .iter()
                .position(|b| !b.is_ascii_alphabetic())
                .unwrap_or(bytes.len() - i);
            scripts.latin += run;
            i += run;
            continue;
        }
        if b.is_ascii() {
            if start < i {
                score(&sample[start..i]);
            }
            start = i + 1;
            i += 1;
            continue;
        }
        let c = sample[i..].chars().next().unwrap_or(' ');
        let len = c.len_utf8();
        match c as u32 {
            0x3040..=0x30FF => scripts.kana += 1,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF => scripts.han += 1,
            0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => scripts.hangul += 1,
            0x0400..=0x04FF => scripts.cyrillic += 1,
            _ if c.is_alphabetic() => scripts.latin += 1,
            _ => {}
        }
        if !c.is_alphabetic() {
            score(&sample[start..i]);
            start = i + len;
        }
        i += len;
    }
    score(&sample[start..]);
    let Scripts {
        han,
        kana,
        hangul,
        cyrillic,
        latin,
    } = scripts;
    // A CJK character carries about as much as a Latin word of five letters.
    let cjk = han + kana + hangul;
    if cjk * 5 > latin {
        if kana * 10 > cjk {
            return "ja";
        }
        if hangul > han {
            return "ko";
        }
        return "zh";
    }
    if cyrillic > latin {
        return "ru";
    }
    let (best, score) = scores
        .iter()
        .enumerate()
        .max_by_key(|&(i, s)| (*s, std::cmp::Reverse(i)))
        .unwrap_or((0, &0));
    if *score == 0 {
        return "en";
    }
    STOPWORDS[best].0
}

#[cfg(test)]
mod tests {
    use super::{detect, pack, stopwords, STOPWORDS};

    #[test]
    fn detects_the_shipped_targets() {
        assert_eq!(detect("The town of Guzhen is known for its lighting industry."), "en");
        assert_eq!(
            detect("Les entreprises de la région ont enregistré une hausse de leurs commandes."),
            "fr"
        );
        assert_eq!(
            detect("Die Unternehmen der Region meldeten ein Auftragsplus und sind zufrieden."),
            "de"
        );
        assert_eq!(
            detect("今年第三季度，中山市灯饰企业的出口订单同比增长 12%。基于 Rust 语言。"),
            "zh"
        );
        assert_eq!(
            detect("Party members in the ancient town 古镇 of Guzhen worked hard."),
            "en"
        );
        assert_eq!(detect(""), "en");
    }

    #[test]
    fn the_stopword_table_finds_every_stop_word_and_nothing_else() {
        let table = stopwords();
        for (l, (_, words)) in STOPWORDS.iter().enumerate() {
            for w in *words {
                let langs = table.languages(pack(w.bytes()).unwrap());
                assert!(langs & (1 << l) != 0, "{w}");
            }
        }
        // "que" is both French and Spanish; "die" only German.
        assert_eq!(table.languages(pack("que".bytes()).unwrap()), 0b1010);
        assert_eq!(table.languages(pack("die".bytes()).unwrap()), 0b0100);
        for w in ["town", "guzhen", "a", "xyz", "thé"] {
            assert_eq!(table.languages(pack(w.bytes()).unwrap()), 0, "{w}");
        }
    }
}
