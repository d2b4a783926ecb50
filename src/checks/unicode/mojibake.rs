//! Mojibake: text whose bytes were decoded with the wrong codec, found by whether the text
//! *repaired* is plausible rather than by characters that also occur in correct text.
//!
//! A suspicious run of characters is turned back into the bytes the wrong codec read
//! (Windows-1252 / Latin-1, Mac OS Roman), and those bytes are decoded as UTF-8, or as GBK
//! for Chinese text read as Latin-1. The run is mojibake only when that round trip is exact
//! (every character has a byte, the bytes are valid in the right codec) and the result is
//! something people write: letters of one script not glued to letters of another, common
//! punctuation. `Zoë’s`, `3×4` or `„Öl“` never pass: their bytes are not valid UTF-8, or
//! decode to control characters, modifier letters or a lone Chinese character inside a Latin
//! word. The same idea as ftfy's "badness" (a repair must make the text less weird), weighed
//! here by classes of the repaired characters.

use std::collections::HashMap;
use std::sync::OnceLock;

use encoding_rs::{Encoding, GBK, MACINTOSH, WINDOWS_1252};

/// How the text was misread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Misreading {
    /// UTF-8 bytes decoded as Windows-1252 (or Latin-1): `â€™` for ’, `Ð¿` for п.
    Cp1252,
    /// UTF-8 bytes decoded as Mac OS Roman: `caf√©` for café, `‚Äô` for ’.
    MacRoman,
    /// GBK bytes decoded as Latin-1: `¡°` for “, `¡ª¡ª` for ——.
    GbkAsLatin1,
}

impl Misreading {
    pub fn describe(self) -> &'static str {
        match self {
            Misreading::Cp1252 => "UTF-8 read as Windows-1252",
            Misreading::MacRoman => "UTF-8 read as Mac OS Roman",
            Misreading::GbkAsLatin1 => "GBK read as Latin-1",
        }
    }
}

/// A run of mojibake and its repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// Byte range of the mojibake in the searched text.
    pub start: usize,
    pub end: usize,
    pub fixed: String,
    pub misreading: Misreading,
    /// How many times the text was misread (2: UTF-8 read as Windows-1252 twice).
    pub layers: u8,
    /// The repair can be applied without a human: nothing else the bytes could mean.
    pub certain: bool,
}

/// A character's byte in a single-byte codec, for the upper half of the code page.
struct CodePage(HashMap<char, u8>);

impl CodePage {
    fn new(encoding: &'static Encoding, latin1_controls: bool) -> Self {
        let mut map = HashMap::new();
        for b in 0x80u8..=0xFF {
            let byte = [b];
            let (decoded, _) = encoding.decode_without_bom_handling(&byte);
            if let Some(c) = decoded.chars().next().filter(|&c| c != '\u{FFFD}') {
                map.insert(c, b);
            }
        }
        if latin1_controls {
            // Text read as Latin-1 rather than Windows-1252 keeps 0x80–0x9F as C1 controls.
            for b in 0x80u8..=0x9F {
                map.entry(char::from(b)).or_insert(b);
            }
        }
        CodePage(map)
    }

    fn byte(&self, c: char) -> Option<u8> {
        self.0.get(&c).copied()
    }
}

fn cp1252() -> &'static CodePage {
    static PAGE: OnceLock<CodePage> = OnceLock::new();
    PAGE.get_or_init(|| CodePage::new(WINDOWS_1252, true))
}

fn mac_roman() -> &'static CodePage {
    static PAGE: OnceLock<CodePage> = OnceLock::new();
    PAGE.get_or_init(|| CodePage::new(MACINTOSH, false))
}

/// What a repaired character is, for judging whether the repair is plausible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// A Latin letter people write (accented letters of European languages, pinyin tones,
    /// Vietnamese).
    Latin,
    /// Punctuation and symbols common in running text.
    Symbol,
    /// A letter of Greek or Cyrillic.
    Alphabet,
    /// A Chinese character, kana or Hangul.
    Cjk,
    /// Anything else: controls, modifier letters, rare scripts, private use.
    Other,
}

fn class(c: char) -> Class {
    match c as u32 {
        0xD7 | 0xF7 => Class::Symbol,
        0xC0..=0x17F | 0x1A0 | 0x1A1 | 0x1AF | 0x1B0 | 0x1CD..=0x1DC | 0x218..=0x21B | 0x1E00..=0x1EFF => Class::Latin,
        0xA0..=0xBF
        | 0x2010..=0x2027
        | 0x2030..=0x203A
        | 0x20AC
        | 0x2116
        | 0x2122
        | 0x2190..=0x2193
        | 0x2605
        | 0x2606
        | 0x2713
        | 0x2714
        | 0x3001
        | 0x3002
        | 0x3008..=0x3011
        | 0x3014
        | 0x3015
        | 0xFF01..=0xFF5E
        | 0xFEFF
        | 0x1F300..=0x1FAFF => Class::Symbol,
        0x386 | 0x388..=0x38A | 0x38C | 0x38E..=0x3A1 | 0x3A3..=0x3CE => Class::Alphabet,
        0x401
        | 0x404
        | 0x406
        | 0x407
        | 0x40E
        | 0x410..=0x44F
        | 0x451
        | 0x454
        | 0x456
        | 0x457
        | 0x45E
        | 0x490
        | 0x491 => Class::Alphabet,
        0x3041..=0x3096 | 0x30A1..=0x30FA | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3 => Class::Cjk,
        _ => Class::Other,
    }
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || class(c) == Class::Latin
}

/// A repair judged with the characters around it.
struct Verdict {
    plausible: bool,
    /// Letters of another script than Latin among the repaired characters.
    foreign: usize,
}

fn judge(fixed: &str, before: Option<char>, after: Option<char>) -> Verdict {
    let mut foreign = 0;
    let mut cjk = 0;
    for c in fixed.chars() {
        match class(c) {
            Class::Other => {
                return Verdict {
                    plausible: false,
                    foreign: 0,
                }
            }
            Class::Alphabet => foreign += 1,
            Class::Cjk => {
                foreign += 1;
                cjk += 1;
            }
            _ => {}
        }
    }
    let is_foreign = |c: char| matches!(class(c), Class::Alphabet | Class::Cjk);
    let seq: Vec<char> = before.into_iter().chain(fixed.chars()).chain(after).collect();
    let mut glued = false;
    for w in seq.windows(2) {
        let (x, y) = (w[0], w[1]);
        if (is_latin_letter(x) && is_foreign(y)) || (is_foreign(x) && is_latin_letter(y)) {
            glued = true;
        }
    }
    // Chinese glued to Latin letters is ordinary in Chinese text (`使用Rust`), but one
    // character is what a misread accented letter would give (`caf` + 瞔): want more.
    let plausible = !glued || (cjk >= 2 && cjk == foreign);
    Verdict { plausible, foreign }
}

/// The character UTF-8 encodes in the bytes that `chars` (starting at the first) stand for
/// in `page`, with the number of characters it took.
fn utf8_at(chars: &[(usize, char)], page: &CodePage) -> Option<(usize, char)> {
    let lead = page.byte(chars.first()?.1)?;
    let need = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let mut buf = [lead, 0, 0, 0];
    for (slot, &(_, c)) in buf[1..need].iter_mut().zip(chars.get(1..need)?) {
        let b = page.byte(c)?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        *slot = b;
    }
    let c = std::str::from_utf8(&buf[..need]).ok()?.chars().next()?;
    Some((need, c))
}

/// The maximal stretches of `chars` that decode as UTF-8 through `page`: char index range
/// and the decoded text.
fn utf8_stretches(chars: &[(usize, char)], page: &CodePage) -> Vec<(usize, usize, String)> {
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match utf8_at(&chars[i..], page) {
            Some((n, c)) => {
                match out.last_mut() {
                    Some(last) if last.1 == i => {
                        last.1 = i + n;
                        last.2.push(c);
                    }
                    _ => out.push((i, i + n, c.to_string())),
                }
                i += n;
            }
            None => i += 1,
        }
    }
    out
}

/// `text` decoded once more, when all of it is UTF-8 misread through `page`.
fn decode_whole(text: &str, page: &CodePage) -> Option<String> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    match utf8_stretches(&chars, page).as_slice() {
        [(0, end, fixed)] if *end == chars.len() => Some(fixed.clone()),
        _ => None,
    }
}

/// GBK punctuation that Chinese text carries into translations: the marks worth repairing
/// on their own (a lone `¡¡` is Spanish, not an ideographic space).
const GBK_PUNCT: &str = "“”‘’—…、。《》，：；！？（）";

/// Repairs of mojibake in `text` (a run of non-ASCII characters and the text around it):
/// byte offsets relative to `text`, in order, never overlapping. `run` is the byte range of
/// the non-ASCII run inside `text`.
pub fn repairs_in_run(text: &str, run: std::ops::Range<usize>) -> Vec<Repair> {
    let chars: Vec<(usize, char)> = text[run.clone()]
        .char_indices()
        .map(|(i, c)| (run.start + i, c))
        .collect();
    let before_run = text[..run.start].chars().next_back();
    let after_run = text[run.end..].chars().next();
    let at = |i: usize| chars.get(i).map(|&(o, _)| o).unwrap_or(run.end);
    let neighbours = |s: usize, e: usize| {
        let before = if s == 0 { before_run } else { Some(chars[s - 1].1) };
        let after = chars.get(e).map(|c| c.1).or(after_run);
        (before, after)
    };
    let mut taken = vec![false; chars.len()];
    let mut out = Vec::new();

    for (misreading, page) in [(Misreading::Cp1252, cp1252()), (Misreading::MacRoman, mac_roman())] {
        for (s, e, first) in utf8_stretches(&chars, page) {
            if taken[s..e].iter().any(|&t| t) || first.is_ascii() {
                continue;
            }
            let (before, after) = neighbours(s, e);
            // Misread more than once: peel the layers while each stays whole.
            let mut fixed = first;
            let mut layers = 1u8;
            while layers < 3 {
                match decode_whole(&fixed, page) {
                    Some(next) if judge(&next, before, after).plausible => {
                        fixed = next;
                        layers += 1;
                    }
                    _ => break,
                }
            }
            let v = judge(&fixed, before, after);
            if !v.plausible {
                continue;
            }
            // Mac Roman symbols (√, ∂, ≈, ±) are real in formulas: its repairs are taken only
            // for the punctuation of `‚Äô` or for letters continuing a word (`caf√©`).
            if misreading == Misreading::MacRoman {
                let punctuation = |c: char| (0x2010..=0x2027).contains(&(c as u32)) || c == '€' || c == '™';
                let word_goes_on = before.is_some_and(char::is_alphabetic) || fixed.starts_with(punctuation);
                if !(word_goes_on && fixed.chars().all(|c| punctuation(c) || class(c) == Class::Latin)) {
                    continue;
                }
            }
            // One misread Cyrillic or Greek letter inside other text could be an accident of
            // two symbols; a word of them, or a one-letter word, is not.
            let alone = !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
            let certain = v.foreign != 1 || alone;
            let fixed = if fixed == "\u{FEFF}" { String::new() } else { fixed };
            taken[s..e].iter_mut().for_each(|t| *t = true);
            out.push(Repair {
                start: at(s),
                end: at(e),
                fixed,
                misreading,
                layers,
                certain,
            });
        }
    }

    // GBK read as Latin-1: pairs of characters in 0xA1–0xFE, the GB2312 area.
    let page = cp1252();
    let mut i = 0;
    while i < chars.len() {
        let in_area = |k: usize| !taken[k] && page.byte(chars[k].1).is_some_and(|b| b >= 0xA1 && b != 0xFF);
        if !in_area(i) {
            i += 1;
            continue;
        }
        let s = i;
        while i < chars.len() && in_area(i) {
            i += 1;
        }
        let e = i;
        if (e - s) % 2 == 1 {
            continue;
        }
        let bytes: Vec<u8> = chars[s..e].iter().filter_map(|&(_, c)| page.byte(c)).collect();
        let gb2312 = bytes
            .chunks(2)
            .all(|p| matches!(p[0], 0xA1..=0xA9 | 0xB0..=0xF7) && (0xA1..=0xFE).contains(&p[1]));
        if !gb2312 {
            continue;
        }
        let Some(fixed) = GBK.decode_without_bom_handling_and_without_replacement(&bytes) else {
            continue;
        };
        let hanzi = fixed.chars().filter(|&c| class(c) == Class::Cjk).count();
        if !fixed.chars().all(|c| GBK_PUNCT.contains(c) || class(c) == Class::Cjk) {
            continue;
        }
        let (before, after) = neighbours(s, e);
        let glued = before.is_some_and(is_latin_letter) || after.is_some_and(is_latin_letter);
        let plausible = hanzi == 0 || (hanzi >= 2 && (!glued || hanzi >= 3));
        if !plausible {
            continue;
        }
        out.push(Repair {
            start: at(s),
            end: at(e),
            fixed: fixed.into_owned(),
            misreading: Misreading::GbkAsLatin1,
            layers: 1,
            certain: !glued || hanzi == 0,
        });
    }
    out.sort_by_key(|r| r.start);
    out
}

/// A lone `Ã` or `Â` left where the byte after it was lost (`voilÃ ` for voilà when the
/// no-break space became a space, `10Â km`): the letter of an all-capitals word (`SÃO`,
/// `IRMÃ`) is left alone. Returns the replacement to suggest, if one is known.
pub fn stray_lead(text: &str, at: usize, c: char) -> Option<Option<&'static str>> {
    if c != 'Ã' && c != 'Â' {
        return None;
    }
    let before = text[..at].chars().next_back();
    let after = text[at + c.len_utf8()..].chars().next();
    let lower_before = before.is_some_and(char::is_lowercase);
    let upper_before = before.is_some_and(char::is_uppercase);
    let letter_after = after.is_some_and(char::is_alphabetic);
    if !(lower_before || (!letter_after && !upper_before)) {
        return None;
    }
    // `Ã` + no-break space is à; `Â` + no-break space is the no-break space itself.
    let space_after = after.is_some_and(char::is_whitespace);
    Some(match (c, space_after) {
        ('Ã', true) if lower_before => Some("à"),
        ('Â', true) => Some(""),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repairs(text: &str) -> Vec<(String, String, Misreading)> {
        crate::checks::matchers::non_ascii_runs(text)
            .flat_map(|run| repairs_in_run(text, run))
            .map(|r| (text[r.start..r.end].to_string(), r.fixed, r.misreading))
            .collect()
    }

    #[test]
    fn correct_text_has_no_repair() {
        for text in [
            "a 3×4 grid",
            "costs £20",
            "Zoë’s café",
            "(“+” and “−” keys)",
            "naïve",
            "São Paulo and SÃO PAULO",
            "½ cup",
            "20 °C",
            "Ångström",
            "¿Qué? ¡¡Olé!!",
            "„Öl“, „Äußerst“ und »Größe«",
            "L’été à Noël, « déjà » vu, cœur",
            "Þórður and Ærø",
            "x = √±y and ∂f/∂x ≈ 0",
            "ΑΒΓ and Привет",
            "中文文本，“引号”。",
        ] {
            assert_eq!(repairs(text), vec![], "{text}");
        }
    }

    #[test]
    fn layers_and_codecs() {
        let r = repairs("it\u{e2}\u{20ac}\u{2122}s");
        assert_eq!(r, vec![("â€™".into(), "’".into(), Misreading::Cp1252)]);
        let r = repairs("caf√©");
        assert_eq!(r, vec![("√©".into(), "é".into(), Misreading::MacRoman)]);
        let r = repairs("said ¡°yes¡±");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].1, "“");
        assert_eq!(r[1].1, "”");
    }

    #[test]
    fn stray_leads() {
        assert_eq!(stray_lead("voilÃ  tout", 4, 'Ã'), Some(Some("à")));
        assert_eq!(stray_lead("10Â km", 2, 'Â'), Some(Some("")));
        assert_eq!(stray_lead("SÃO PAULO", 1, 'Ã'), None);
        assert_eq!(stray_lead("IRMÃ", 3, 'Ã'), None);
        assert_eq!(stray_lead("Âge", 0, 'Â'), None);
    }
}
