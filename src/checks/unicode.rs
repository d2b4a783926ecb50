//! `unicode`: normalisation, invisible and control characters, stray no-break spaces and
//! mojibake.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::charset::{next_non_ascii, non_ascii_runs, CharSet};
use super::{Check, RuleIdx, Sink};
use crate::config::rulefile::RuleDef;
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::span::Span;

const CHECKS: &[&str] = &["nfc", "invisible", "control", "nbsp", "mojibake"];
const DEFAULT_INVISIBLE: &str =
    "\u{200b}\u{2060}\u{feff}\u{00ad}\u{200e}\u{200f}\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}";
const DEFAULT_NBSP: &str = "\u{a0}\u{202f}";

pub fn validate(def: &RuleDef) -> Result<(), (&'static str, String)> {
    match def.check.as_deref() {
        Some(c) if CHECKS.contains(&c) => Ok(()),
        Some(c) => Err((
            "check",
            format!("unknown unicode check `{c}` (one of: {})", CHECKS.join(", ")),
        )),
        None => Err((
            "check",
            format!("a unicode rule needs `check` (one of: {})", CHECKS.join(", ")),
        )),
    }
}

struct UniRule {
    rule: RuleIdx,
    check: String,
    /// For `invisible` and `nbsp`: the characters to find.
    scan: CharSet,
}

pub struct UnicodeCheck {
    rules: Vec<UniRule>,
    /// Some rule can fire in ASCII text (`control`, or `invisible`/`nbsp` with ASCII
    /// `chars`); without one, ASCII documents are passed over.
    reads_ascii: bool,
}

impl UnicodeCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Result<Self, String> {
        let mut reads_ascii = false;
        let rules = rules
            .iter()
            .map(|(i, d)| {
                let check = d.check.clone().unwrap_or_default();
                let default = match check.as_str() {
                    "invisible" => DEFAULT_INVISIBLE,
                    "nbsp" => DEFAULT_NBSP,
                    _ => "",
                };
                let chars = d.chars.as_deref().unwrap_or(default);
                reads_ascii |= check == "control" || chars.chars().any(|c| c.is_ascii());
                UniRule {
                    rule: *i,
                    scan: CharSet::new(chars.chars()),
                    check,
                }
            })
            .collect();
        Ok(UnicodeCheck { rules, reads_ascii })
    }
}

impl Check for UnicodeCheck {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        if !self.reads_ascii && doc.text.is_ascii() {
            return;
        }
        for r in &self.rules {
            if !sink.is_active(r.rule) {
                continue;
            }
            match r.check.as_str() {
                "nfc" => nfc(doc, r, sink),
                "invisible" => invisible(doc, r, sink),
                "control" => control(doc, r, sink),
                "nbsp" => nbsp(doc, r, sink),
                "mojibake" => mojibake(doc, r, sink),
                _ => {}
            }
        }
    }
}

fn nfc(doc: &Document, r: &UniRule, sink: &mut Sink<'_>) {
    let text = &doc.text[doc.body..];
    // ASCII is normalised and resets the quick check's state, so the text passes it when
    // each run of non-ASCII characters does.
    if non_ascii_runs(text).all(|run| is_nfc_quick(text[run].chars()) == IsNormalized::Yes) {
        return;
    }
    let mut start = 0;
    for word in text.split_inclusive(char::is_whitespace) {
        let w = word.trim_end();
        if !w.is_ascii() && is_nfc_quick(w.chars()) != IsNormalized::Yes {
            let fixed: String = w.nfc().collect();
            if fixed != w {
                let span = Span::new(doc.body + start, doc.body + start + w.len());
                sink.fix(
                    r.rule,
                    span,
                    &[("problem", "text is not in Unicode NFC form (decomposed accents)")],
                    vec![Edit::replace(span, fixed)],
                    Applicability::Safe,
                );
            }
        }
        start += word.len();
    }
}

fn invisible(doc: &Document, r: &UniRule, sink: &mut Sink<'_>) {
    for (i, c) in r.scan.find_iter(&doc.text) {
        if i < doc.body {
            continue;
        }
        let span = Span::new(i, i + c.len_utf8());
        let problem = format!("invisible character U+{:04X}", c as u32);
        sink.fix(
            r.rule,
            span,
            &[("problem", &problem)],
            vec![Edit::delete(span)],
            Applicability::Safe,
        );
    }
}

/// Control characters other than tab and line breaks. The C1 block (U+0080–U+009F) is left to
/// `mojibake`, so every one of them is an ASCII byte.
fn control(doc: &Document, r: &UniRule, sink: &mut Sink<'_>) {
    let is_control = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f;
    let bytes = doc.text.as_bytes();
    // Blocks without a control byte, nearly all of them, are passed over: the test of a
    // whole block, without branches, compiles to vector instructions.
    const BLOCK: usize = 64;
    let suspects = bytes
        .chunks(BLOCK)
        .enumerate()
        .filter(|(_, block)| block.iter().fold(false, |any, &b| any | is_control(b)))
        .flat_map(|(k, block)| k * BLOCK..k * BLOCK + block.len());
    for i in suspects.filter(|&i| is_control(bytes[i])) {
        let c = bytes[i] as char;
        let span = Span::new(i, i + c.len_utf8());
        let problem = format!("control character U+{:04X}", c as u32);
        sink.fix(
            r.rule,
            span,
            &[("problem", &problem)],
            vec![Edit::delete(span)],
            Applicability::Safe,
        );
    }
}

fn nbsp(doc: &Document, r: &UniRule, sink: &mut Sink<'_>) {
    for (i, c) in r.scan.find_iter(&doc.text) {
        let span = Span::new(i, i + c.len_utf8());
        let problem = format!("no-break space U+{:04X} where a normal space belongs", c as u32);
        sink.fix(
            r.rule,
            span,
            &[("problem", &problem)],
            vec![Edit::replace(span, " ")],
            Applicability::Safe,
        );
    }
}

/// The Windows-1252 byte a character stands for, when text was decoded with the wrong
/// codec: Latin-1 letters map to themselves, the 0x80–0x9F block to its CP1252 symbols.
fn cp1252_byte(c: char) -> Option<u8> {
    let cp = c as u32;
    if (0xA0..=0xFF).contains(&cp) || (0x80..=0x9F).contains(&cp) {
        return Some(cp as u8);
    }
    Some(match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

/// `â€™` for ’, `Ã©` for é: UTF-8 bytes decoded as Windows-1252. A run of characters whose
/// CP1252 bytes form valid multi-byte UTF-8 is decoded back.
fn mojibake(doc: &Document, r: &UniRule, sink: &mut Sink<'_>) {
    let text = &doc.text;
    let bytes = text.as_bytes();
    // Every character with a CP1252 byte is non-ASCII: skip the ASCII between them.
    let mut at = 0;
    while let Some(start) = next_non_ascii(bytes, at) {
        let mut chars = text[start..].chars();
        let Some(c) = chars.next() else { break };
        at = start + c.len_utf8();
        let lead = match cp1252_byte(c) {
            Some(b @ 0xC2..=0xF4) => b,
            _ => continue,
        };
        let need = match lead {
            0xC2..=0xDF => 1,
            0xE0..=0xEF => 2,
            _ => 3,
        };
        let mut utf8 = vec![lead];
        let mut end = at;
        for d in chars.take(need) {
            match cp1252_byte(d) {
                Some(b @ 0x80..=0xBF) => {
                    utf8.push(b);
                    end += d.len_utf8();
                }
                _ => break,
            }
        }
        let decoded = (utf8.len() == need + 1)
            .then(|| std::str::from_utf8(&utf8).ok())
            .flatten();
        if let Some(s) = decoded.filter(|s| !s.is_ascii()) {
            let span = Span::new(start, end);
            let problem = format!(
                "mojibake \"{}\" for \"{s}\" (UTF-8 read as Windows-1252)",
                span.text(text)
            );
            sink.fix(
                r.rule,
                span,
                &[("problem", &problem)],
                vec![Edit::replace(span, s)],
                Applicability::Safe,
            );
            at = end;
        }
    }
}
