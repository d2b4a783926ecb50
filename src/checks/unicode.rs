//! `unicode`: normalisation, invisible and control characters, stray no-break spaces and
//! mojibake.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::{Check, RuleIdx, Sink};
use crate::config::rulefile::RuleDef;
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::span::Span;

const CHECKS: &[&str] = &["nfc", "invisible", "control", "nbsp", "mojibake"];
const DEFAULT_INVISIBLE: &str =
    "\u{200b}\u{2060}\u{feff}\u{00ad}\u{200e}\u{200f}\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}";

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
    chars: Option<String>,
}

pub struct UnicodeCheck {
    rules: Vec<UniRule>,
}

impl UnicodeCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Result<Self, String> {
        Ok(UnicodeCheck {
            rules: rules
                .iter()
                .map(|(i, d)| UniRule {
                    rule: *i,
                    check: d.check.clone().unwrap_or_default(),
                    chars: d.chars.clone(),
                })
                .collect(),
        })
    }
}

impl Check for UnicodeCheck {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        if doc.text.is_ascii() && self.rules.iter().all(|r| r.check != "control") {
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
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
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
    let chars = r.chars.as_deref().unwrap_or(DEFAULT_INVISIBLE);
    for (i, c) in doc.text.char_indices() {
        if i < doc.body || !chars.contains(c) {
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

fn control(doc: &Document, r: &UniRule, sink: &mut Sink<'_>) {
    for (i, c) in doc.text.char_indices() {
        let is_control = (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) && !(0x80..=0x9f).contains(&(c as u32));
        if !is_control {
            continue;
        }
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
    let chars = r.chars.as_deref().unwrap_or("\u{a0}\u{202f}");
    for (i, c) in doc.text.char_indices() {
        if !chars.contains(c) {
            continue;
        }
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
    // Walks the characters with a look-ahead copy of the iterator instead of collecting them:
    // a Vec of (offset, char) would take 16 bytes of memory per character of the file.
    let mut iter = text.char_indices();
    while let Some((start, c)) = iter.next() {
        let lead = match cp1252_byte(c) {
            Some(b @ 0xC2..=0xF4) => b,
            _ => continue,
        };
        let need = match lead {
            0xC2..=0xDF => 1,
            0xE0..=0xEF => 2,
            _ => 3,
        };
        let mut bytes = vec![lead];
        let mut ahead = iter.clone();
        let mut end = start + c.len_utf8();
        for _ in 0..need {
            match ahead.next().and_then(|(i, d)| Some((i, d, cp1252_byte(d)?))) {
                Some((i, d, b @ 0x80..=0xBF)) => {
                    bytes.push(b);
                    end = i + d.len_utf8();
                }
                _ => break,
            }
        }
        let decoded = (bytes.len() == need + 1)
            .then(|| std::str::from_utf8(&bytes).ok())
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
            iter = ahead;
        }
    }
}
