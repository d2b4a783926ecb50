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

/// Stop words packed by `pack`, sorted, each with the bit set of the languages (indices into
/// `STOPWORDS`) that list it.
fn stopword_index() -> &'static [(u64, u8)] {
    static INDEX: std::sync::OnceLock<Vec<(u64, u8)>> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: Vec<(u64, u8)> = Vec::new();
        for (l, (_, words)) in STOPWORDS.iter().enumerate() {
            for w in *words {
                let Some(key) = pack(w.bytes()) else { continue };
                match index.iter_mut().find(|(k, _)| *k == key) {
                    Some(e) => e.1 |= 1 << l,
                    None => index.push((key, 1 << l)),
                }
            }
        }
        index.sort();
        index
    })
}

/// Detects the language of `text`, returning a BCP 47 primary tag (`en`, `fr`, `de`, `zh`, …).
pub fn detect(text: &str) -> &'static str {
    let sample = match text.char_indices().nth(SAMPLE) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    let (mut han, mut kana, mut hangul, mut cyrillic, mut latin) = (0usize, 0usize, 0usize, 0usize, 0usize);
    // ASCII letters are counted a run at a time; only other characters are decoded.
    let mut rest = sample;
    while !rest.is_empty() {
        let ascii = rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        latin += rest.as_bytes()[..ascii]
            .iter()
            .filter(|b| b.is_ascii_alphabetic())
            .count();
        rest = &rest[ascii..];
        let Some(c) = rest.chars().next() else { break };
        rest = &rest[c.len_utf8()..];
        match c as u32 {
            0x3040..=0x30FF => kana += 1,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF => han += 1,
            0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => hangul += 1,
            0x0400..=0x04FF => cyrillic += 1,
            _ if c.is_alphabetic() => latin += 1,
            _ => {}
        }
    }
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
    let mut scores = [0usize; STOPWORDS.len()];
    let index = stopword_index();
    let mut score = |word: &str| {
        if word.is_empty() || word.len() > 6 {
            return;
        }
        let key = if word.is_ascii() {
            pack(word.bytes().map(|b| b.to_ascii_lowercase()))
        } else {
            pack(word.to_lowercase().bytes())
        };
        if let Some(Ok(i)) = key.map(|k| index.binary_search_by_key(&k, |e| e.0)) {
            for (l, s) in scores.iter_mut().enumerate() {
                *s += usize::from(index[i].1 & (1 << l) != 0);
            }
        }
    };
    // Words are runs of letters; ASCII is classified without decoding.
    let bytes = sample.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let (letter, len) = if bytes[i].is_ascii() {
            (bytes[i].is_ascii_alphabetic(), 1)
        } else {
            let c = sample[i..].chars().next().unwrap_or(' ');
            (c.is_alphabetic(), c.len_utf8())
        };
        if !letter {
            score(&sample[start..i]);
            start = i + len;
        }
        i += len;
    }
    score(&sample[start..]);
    let (best, score) = scores
        .iter()
        .enumerate()
        .max_by_key(|&(i, s)| (*s, std::cmp::Reverse(i)))
        .unwrap();
    if *score == 0 {
        return "en";
    }
    STOPWORDS[best].0
}

#[cfg(test)]
mod tests {
    use super::detect;

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
}
