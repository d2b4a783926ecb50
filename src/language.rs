//! Guessing the language of a document when neither config nor `--lang` names it.
//!
//! The engine itself knows no language; this only picks which rule packs apply. It looks at
//! the scripts in use first (Han, kana, Hangul, Cyrillic) and, for Latin-script text, at the
//! most frequent function words of the languages the shipped packs target.

use crate::segment::blocks;

/// The languages [`detect`] can return, so a document may be in one of them whatever the packs.
pub const DETECTED: &[&str] = &["de", "en", "es", "fr", "ja", "ko", "ru", "zh"];

/// ISO 639-2 three-letter codes (bibliographic and terminologic) of the detected languages,
/// with their two-letter codes: BCP 47 prefers the two-letter code, but locale files and
/// translation tools write either.
const THREE_LETTER: &[(&str, &str)] = &[
    ("chi", "zh"),
    ("deu", "de"),
    ("eng", "en"),
    ("fra", "fr"),
    ("fre", "fr"),
    ("ger", "de"),
    ("jpn", "ja"),
    ("kor", "ko"),
    ("rus", "ru"),
    ("spa", "es"),
    ("zho", "zh"),
];

/// Why a string is not a language tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{tag}` is not a language tag: write a BCP 47 or POSIX tag such as `en`, `en-US`, `zh-Hans` or `de_DE.UTF-8`")]
pub struct BadTag {
    pub tag: String,
}

/// The primary language of a BCP 47 tag (`en-US`, `zh-Hans-CN`, `EN`) or a POSIX locale
/// (`en_GB`, `de_DE.UTF-8`, `sr_RS@latin`), lowercased: the language the rule packs are keyed
/// by. Three-letter codes of the detected languages become their two-letter codes (`eng` →
/// `en`). A primary subtag must be two or three ASCII letters, so a language's name
/// (`english`), an empty string or `C` is not a tag.
pub fn primary(tag: &str) -> Result<String, BadTag> {
    let bad = || BadTag { tag: tag.to_string() };
    let trimmed = tag.trim();
    // POSIX: language[_territory][.codeset][@modifier]; BCP 47: language[-script][-region]…
    let head = trimmed.split(['.', '@']).next().unwrap_or("");
    let first = head.split(['-', '_']).next().unwrap_or("");
    if !(2..=3).contains(&first.len()) || !first.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(bad());
    }
    let rest = &head[first.len()..];
    // Every further subtag is letters and digits, one to eight of them ("en-" is not a tag).
    let subtags_ok = rest.is_empty()
        || rest[1..]
            .split(['-', '_'])
            .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()));
    if !subtags_ok {
        return Err(bad());
    }
    let lower = first.to_ascii_lowercase();
    Ok(THREE_LETTER
        .iter()
        .find(|(three, _)| *three == lower)
        .map_or(lower, |(_, two)| (*two).to_string()))
}

/// The error for a language that is a well-formed tag but that nothing knows: no rule pack
/// targets it and detection never returns it, so no language rule would run.
pub fn unknown(what: &str, given: &str, known: &[String]) -> String {
    format!(
        "{what} `{given}` is not a known language; known languages are {} \
         (those of the rule packs and those detection recognises)",
        known.join(", ")
    )
}

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
#[derive(Default, Debug, PartialEq)]
struct Scripts {
    han: usize,
    kana: usize,
    hangul: usize,
    cyrillic: usize,
    latin: usize,
}

/// Detects the language of `text`, returning a BCP 47 primary tag (`en`, `fr`, `de`, `zh`, …).
///
/// Letters are counted by script and the words (runs of letters) of up to six bytes scored
/// against each language's stop words, over a sample: the whole text when it is short, else
/// [`WINDOWS`] windows of [`WINDOW`] bytes spread over it (start, middle, end), so a long
/// text costs no more than a short one and a text that changes language part-way is seen in
/// all its parts. ASCII is classified byte by byte without decoding.
pub fn detect(text: &str) -> &'static str {
    let mut tally = Tally::default();
    for window in sample(text) {
        tally.add(window);
    }
    tally.verdict()
}

/// Bytes in one window of the sample: a few hundred words of prose.
const WINDOW: usize = 2048;
/// Windows in the sample of a long text.
const WINDOWS: usize = 3;

/// The parts of `text` that detection reads: all of it when it is at most `WINDOWS` windows
/// long, else that many windows at even steps from the start to the end. Each window is cut
/// at white space (when there is some near its edges) so no word is read in part.
fn sample(text: &str) -> impl Iterator<Item = &str> {
    let whole = text.len() <= WINDOW * WINDOWS;
    let count = if whole { 1 } else { WINDOWS };
    let step = (text.len().saturating_sub(WINDOW)) / (WINDOWS - 1);
    (0..count).map(move |k| {
        if whole {
            return text;
        }
        let bytes = text.as_bytes();
        let near_space = |from: usize, to: usize| bytes[from..to].iter().position(u8::is_ascii_whitespace);
        let mut start = k * step;
        let mut end = start + WINDOW;
        if start > 0 {
            // Past the end of the word the window opens in.
            start = near_space(start, (start + 64).min(end)).map_or(start, |i| start + i);
        }
        if end < text.len() {
            end = bytes[(end - 64).max(start)..end]
                .iter()
                .rposition(u8::is_ascii_whitespace)
                .map_or(end, |i| (end - 64).max(start) + i);
        }
        while !text.is_char_boundary(start) {
            start += 1;
        }
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        &text[start..end.max(start)]
    })
}

/// What detection has counted so far.
#[derive(Default, Debug, PartialEq)]
struct Tally {
    scripts: Scripts,
    scores: [usize; STOPWORDS.len()],
}

impl Tally {
    fn score(&mut self, word: &str) {
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
        self.count(key.map_or(0, |k| stopwords().languages(k)));
    }

    /// Scores the word of ASCII letters `bytes[start..end]`, as [`Tally::score`] does, without
    /// a loop: the eight bytes from its start read as one number, the bytes after it masked off.
    #[inline]
    fn score_ascii(&mut self, table: &StopwordTable, bytes: &[u8], start: usize, end: usize) {
        let len = end - start;
        if len > 6 {
            return;
        }
        // Too near the end to read eight bytes: packed byte by byte.
        let key = blocks::folded_head(bytes, start, len).or_else(|| pack(bytes[start..end].iter().map(|b| b | 0x20)));
        self.count(key.map_or(0, |k| table.languages(k)));
    }

    /// Adds a word found in the stop-word lists of the languages `langs` (a bit set).
    #[inline]
    fn count(&mut self, langs: u8) {
        if langs != 0 {
            for (l, s) in self.scores.iter_mut().enumerate() {
                *s += usize::from(langs & (1 << l) != 0);
            }
        }
    }

    /// Counts the letters and scores the words (runs of letters) of `sample`. ASCII text is
    /// read 64 bytes at a time as bit masks: letters are counted with one `popcount` and the
    /// words found from the mask's edges; other text is decoded character by character.
    fn add(&mut self, sample: &str) {
        let table = stopwords();
        let bytes = sample.as_bytes();
        // Where the word being read started, if one is open.
        let mut word: Option<usize> = None;
        // The open word started in an ASCII block, so it is all ASCII letters.
        let mut ascii_word = false;
        for (at, piece) in blocks::pieces(sample) {
            match piece {
                blocks::Piece::Ascii(block) => {
                    let letters = blocks::mask(block, |b| b.is_ascii_alphabetic());
                    self.scripts.latin += letters.count_ones() as usize;
                    // Bit j of `before`: byte j - 1 is a letter (for j = 0: a word is open).
                    let before = (letters << 1) | u64::from(word.is_some());
                    let starts = letters & !before;
                    let mut edges = starts | (!letters & before);
                    while edges != 0 {
                        let j = edges.trailing_zeros() as usize;
                        edges &= edges - 1;
                        if starts >> j & 1 != 0 {
                            word = Some(at + j);
                            ascii_word = true;
                        } else if let Some(s) = word.take() {
                            match ascii_word {
                                true => self.score_ascii(table, bytes, s, at + j),
                                false => self.score(&sample[s..at + j]),
                            }
                        }
                    }
                }
                blocks::Piece::Other(part) => {
                    for (i, c) in part.char_indices() {
                        let scripts = &mut self.scripts;
                        match c as u32 {
                            0x3040..=0x30FF => scripts.kana += 1,
                            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF => scripts.han += 1,
                            0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => scripts.hangul += 1,
                            0x0400..=0x04FF => scripts.cyrillic += 1,
                            _ if c.is_alphabetic() => scripts.latin += 1,
                            _ => {}
                        }
                        if c.is_alphabetic() {
                            if word.is_none() {
                                word = Some(at + i);
                            }
                            // A word can go on into the next ASCII block; if it has other
                            // letters, it is not scored as ASCII there.
                            ascii_word &= c.is_ascii();
                        } else if let Some(s) = word.take() {
                            self.score(&sample[s..at + i]);
                        }
                    }
                }
            }
        }
        if let Some(s) = word {
            self.score(&sample[s..]);
        }
    }

    fn verdict(&self) -> &'static str {
        let Scripts {
            han,
            kana,
            hangul,
            cyrillic,
            latin,
        } = self.scripts;
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
        let (best, score) = self
            .scores
            .iter()
            .enumerate()
            .max_by_key(|&(i, s)| (*s, std::cmp::Reverse(i)))
            .unwrap_or((0, &0));
        if *score == 0 {
            return "en";
        }
        STOPWORDS[best].0
    }
}

#[cfg(test)]
mod tests {
    use super::{detect, pack, primary, sample, stopwords, Tally, STOPWORDS, WINDOW, WINDOWS};

    #[test]
    fn tags_reduce_to_their_primary_language() {
        for (tag, lang) in [
            ("en", "en"),
            ("EN", "en"),
            ("en-US", "en"),
            ("en_GB", "en"),
            ("en-Latn-US", "en"),
            ("zh-CN", "zh"),
            ("zh-Hans", "zh"),
            ("zh-Hans-CN", "zh"),
            ("zh_TW.Big5", "zh"),
            ("fr-FR", "fr"),
            ("de_DE.UTF-8", "de"),
            ("sr_RS@latin", "sr"),
            (" fr ", "fr"),
            ("eng", "en"),
            ("ger", "de"),
            ("fil-PH", "fil"),
        ] {
            assert_eq!(primary(tag).as_deref(), Ok(lang), "{tag}");
        }
        for bad in [
            "english",
            "e",
            "",
            "C",
            "en-",
            "en--US",
            "12",
            "en US",
            "zh-Hans-CN-extremelylong",
            "français",
        ] {
            assert!(primary(bad).is_err(), "{bad}");
        }
    }

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

    #[test]
    fn a_long_text_is_read_in_windows_over_all_its_parts() {
        let short = "word ".repeat(WINDOW * WINDOWS / 5);
        assert_eq!(sample(&short).collect::<Vec<_>>(), [short.as_str()]);

        let long = "abcdefg ".repeat(5000) + "Ende";
        let windows: Vec<&str> = sample(&long).collect();
        assert_eq!(windows.len(), WINDOWS);
        let at = |w: &str| w.as_ptr() as usize - long.as_ptr() as usize;
        assert_eq!(at(windows[0]), 0);
        assert!(at(windows[1]) > long.len() / 2 - WINDOW && at(windows[1]) < long.len() / 2);
        assert!(windows[2].ends_with("Ende"));
        for w in &windows {
            assert!(w.len() <= WINDOW && w.len() > WINDOW - 80, "{}", w.len());
            // No word is cut: each window starts and ends at white space or the text's ends.
            assert!(at(w) == 0 || w.starts_with(' '));
            let after = at(w) + w.len();
            assert!(after == long.len() || long.as_bytes()[after] == b' ');
        }

        // An English preamble does not outweigh a French article, nor a French one an
        // English article it comes after.
        let french = "Les entreprises de la région ont enregistré une hausse de leurs commandes. ".repeat(150);
        let english = "The town of Guzhen is known for its lighting industry and its lamps. ".repeat(40);
        assert_eq!(detect(&(english.clone() + &french)), "fr");
        assert_eq!(detect(&(french[..2000].to_string() + &english.repeat(4))), "en");
        // Multi-byte text with no spaces is cut at character boundaries.
        assert_eq!(
            detect(&"今年第三季度中山市灯饰企业的出口订单同比增长".repeat(200)),
            "zh"
        );
    }

    /// The tally read character by character: words are the runs of alphabetic characters.
    fn reference(sample: &str) -> Tally {
        let mut t = Tally::default();
        let mut start = None;
        for (i, c) in sample.char_indices() {
            match c as u32 {
                0x3040..=0x30FF => t.scripts.kana += 1,
                0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF => t.scripts.han += 1,
                0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => t.scripts.hangul += 1,
                0x0400..=0x04FF => t.scripts.cyrillic += 1,
                _ if c.is_alphabetic() => t.scripts.latin += 1,
                _ => {}
            }
            match (c.is_alphabetic(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    t.score(&sample[s..i]);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            t.score(&sample[s..]);
        }
        t
    }

    #[test]
    fn the_block_scan_counts_as_reading_every_character() {
        let pieces = [
            "the ",
            "and",
            " ",
            "Les ",
            "für ",
            "die",
            "de",
            "la",
            "que ",
            "y",
            "más",
            "中文",
            "カナ",
            "한국",
            "Привет",
            "é",
            "1",
            "-",
            "'",
            "\n",
            "x",
            "ÄND",
            "THE",
        ];
        let mut next = crate::testing::picker(0x9e37_79b9_7f4a_7c15_u64);
        // A word that starts in ASCII, takes a non-ASCII letter and ends in the next block.
        let straddling = format!("{}für{}", "é".to_string() + &" ".repeat(60), " ".repeat(70));
        let mut tally = Tally::default();
        tally.add(&straddling);
        assert_eq!(tally, reference(&straddling));
        assert_eq!(tally.scores[2], 1, "für is German");
        let ascii: Vec<&str> = pieces.iter().copied().filter(|p| p.is_ascii()).collect();
        for k in 0..6_000 {
            // Long enough to hold whole 64-byte ASCII blocks, and words across their edges;
            // every other text all ASCII, so that most of it is read as blocks.
            let from = if k % 2 == 0 { &ascii[..] } else { &pieces[..] };
            let text: String = (0..next(120)).map(|_| from[next(from.len())]).collect();
            let mut tally = Tally::default();
            tally.add(&text);
            assert_eq!(tally, reference(&text), "{text:?}");
        }
    }
}
