//! `unicode`: normalisation, invisible and control characters, stray no-break spaces and
//! mojibake.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

mod entity;
mod mojibake;

use super::matchers::{non_ascii_runs, CharSet};
use super::{group_rules, Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::formats::InputFormat;
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::span::Span;

super::sub_checks! {
    /// The `unicode` sub-checks.
    Sub {
        Nfc = "nfc",
        Invisible = "invisible",
        Control = "control",
        Nbsp = "nbsp",
        Mojibake = "mojibake",
        Entity = "entity",
    }
}
const DEFAULT_INVISIBLE: &str =
    "\u{200b}\u{2060}\u{feff}\u{00ad}\u{200e}\u{200f}\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}\u{2066}\u{2067}\u{2068}\u{2069}\u{061c}";
const DEFAULT_NBSP: &str = "\u{a0}\u{202f}";

/// The `unicode` kind.
pub static KIND: Kind = Kind {
    name: "unicode",
    category: "fluency/character-encoding",
    message: "{problem}",
    doc: include_str!("unicode.md"),
    sees_protected: true,
    reads_source: false,
    parse: parse_params::<UnicodeParams>,
};

/// Compiles every `unicode` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(UnicodeCheck::new(rules)))
}

/// A `unicode` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UnicodeParams {
    pub check: Option<Sub>,
    pub chars: Option<String>,
}

impl KindParams for UnicodeParams {
    fn fixes(&self) -> Option<Applicability> {
        Some(Applicability::Safe)
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        validate(self)
    }
}

fn validate(def: &UnicodeParams) -> Result<(), (&'static str, String)> {
    match def.check {
        Some(_) => Ok(()),
        None => Err((
            "check",
            "a unicode rule needs `check` (one of: nfc, invisible, control, nbsp, mojibake, entity)".into(),
        )),
    }
}

/// The `unicode` rules with one sub-check and one set of `chars`: one scan finds for all.
struct UniRule {
    rules: Vec<RuleIdx>,
    check: String,
    /// For `invisible` and `nbsp`: the characters to find.
    scan: CharSet,
}

/// All `unicode` rules, grouped by sub-check and the characters it scans for.
pub struct UnicodeCheck {
    rules: Vec<UniRule>,
    /// Some rule can fire in ASCII text (`control`, or `invisible`/`nbsp` with ASCII
    /// `chars`); without one, ASCII documents are passed over.
    reads_ascii: bool,
}

impl UnicodeCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Self {
        let groups = group_rules(rules.iter().map(|(i, d)| {
            let d: &UnicodeParams = d.params();
            let check = d.check.map_or("", Sub::name);
            let default = match check {
                "invisible" => DEFAULT_INVISIBLE,
                "nbsp" => DEFAULT_NBSP,
                _ => "",
            };
            ((check, d.chars.as_deref().unwrap_or(default)), *i)
        }));
        let mut reads_ascii = false;
        let rules = groups
            .into_iter()
            .map(|((check, chars), rules)| {
                reads_ascii |= check == "control" || check == "entity" || chars.chars().any(|c| c.is_ascii());
                UniRule {
                    rules,
                    scan: CharSet::new(chars.chars()),
                    check: check.to_string(),
                }
            })
            .collect();
        UnicodeCheck { rules, reads_ascii }
    }
}

impl Check for UnicodeCheck {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        if !self.reads_ascii && doc.text.is_ascii() {
            return;
        }
        for r in &self.rules {
            if !sink.any_active(&r.rules) {
                continue;
            }
            match r.check.as_str() {
                "nfc" => nfc(doc, r, sink),
                "invisible" => invisible(doc, r, sink),
                "control" => control(doc, r, sink),
                "nbsp" => nbsp(doc, r, sink),
                "mojibake" => mojibake(doc, r, sink),
                "entity" => entity(doc, r, sink),
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
                sink.fix_each(
                    &r.rules,
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
        sink.fix_each(
            &r.rules,
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
        sink.fix_each(
            &r.rules,
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
        sink.fix_each(
            &r.rules,
            span,
            &[("problem", &problem)],
            vec![Edit::replace(span, " ")],
            Applicability::Safe,
        );
    }
}

/// Text decoded with the wrong codec (see [`mojibake`](self::mojibake)): repaired when the
/// repair is certain, else flagged with the repair as an unsafe fix. A lone `Ã` or `Â` whose
/// next byte was lost is flagged on its own.
fn mojibake(doc: &Document, r: &UniRule, sink: &mut Sink<'_>) {
    let text = &doc.text;
    let body = &text[doc.body..];
    for run in non_ascii_runs(body) {
        let run = doc.body + run.start..doc.body + run.end;
        let repairs = mojibake::repairs_in_run(text, run.clone());
        for m in &repairs {
            let span = Span::new(m.start, m.end);
            // Chinese writes a dash as two (——); other languages as one.
            let fixed = if m.fixed == "——" && doc.language != "zh" {
                "—"
            } else {
                m.fixed.as_str()
            };
            let layers = if m.layers > 1 {
                format!(", {} times", m.layers)
            } else {
                String::new()
            };
            let problem = format!(
                "mojibake \"{}\" for \"{}\" ({}{layers})",
                span.text(text),
                fixed,
                m.misreading.describe()
            );
            let applicability = if m.certain {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
            sink.fix_each(
                &r.rules,
                span,
                &[("problem", &problem)],
                vec![Edit::replace(span, fixed)],
                applicability,
            );
        }
        for (i, c) in text[run.clone()].char_indices() {
            let at = run.start + i;
            if repairs.iter().any(|m| m.start <= at && at < m.end) {
                continue;
            }
            let Some(suggested) = mojibake::stray_lead(text, at, c) else {
                continue;
            };
            let span = Span::new(at, at + c.len_utf8());
            let problem = format!("a stray \"{c}\": the rest of a character lost in an encoding mix-up");
            match suggested {
                Some(fixed) => sink.fix_each(
                    &r.rules,
                    span,
                    &[("problem", &problem)],
                    vec![Edit::replace(span, fixed)],
                    Applicability::Unsafe,
                ),
                None => sink.flag_each(&r.rules, span, &[("problem", &problem)]),
            }
        }
    }
}

/// HTML character references in plain text (`&nbsp;`, `&amp;`, `country & apos; s`). In
/// Markdown they are markup, except white space opening a paragraph (scraped indentation); in
/// XML formats they are how the file writes text.
fn entity(doc: &Document, r: &UniRule, sink: &mut Sink<'_>) {
    let indent_only = match doc.format {
        InputFormat::Markdown => true,
        InputFormat::Xliff | InputFormat::Tmx => return,
        _ => false,
    };
    for res in entity::residues(&doc.text, doc.body, doc.text.len(), indent_only) {
        let span = Span::new(res.start, res.end);
        let problem = format!("HTML character reference \"{}\" left in the text", res.written);
        let applicability = if res.certain {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        };
        sink.fix_each(
            &r.rules,
            span,
            &[("problem", &problem)],
            vec![Edit::replace(span, res.replacement)],
            applicability,
        );
    }
}
