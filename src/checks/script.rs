//! `script`: characters of a script the target language does not use.

use super::matchers::next_non_ascii;
use super::{Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::Applicability;
use crate::document::Document;
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::span::Span;

/// Script name → code point ranges.
const SCRIPTS: &[(&str, &[(u32, u32)])] = &[
    (
        "Han",
        &[(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF)],
    ),
    ("Hiragana", &[(0x3040, 0x309F)]),
    ("Katakana", &[(0x30A0, 0x30FF), (0x31F0, 0x31FF)]),
    ("Hangul", &[(0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF)]),
    ("Cyrillic", &[(0x0400, 0x04FF), (0x0500, 0x052F)]),
    ("Greek", &[(0x0370, 0x03FF)]),
    ("Arabic", &[(0x0600, 0x06FF), (0x0750, 0x077F)]),
    ("Hebrew", &[(0x0590, 0x05FF)]),
    ("Thai", &[(0x0E00, 0x0E7F)]),
    ("Devanagari", &[(0x0900, 0x097F)]),
];

/// CJK punctuation that belongs to a run of Han text around it.
fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20 | 0x2018..=0x201D)
}

/// The `script` kind.
pub static KIND: Kind = Kind {
    name: "script",
    category: "accuracy/untranslated",
    message: "untranslated {script} text \"{match}\"",
    doc: include_str!("script.md"),
    sees_protected: false,
    reads_source: false,
    parse: parse_params::<ScriptParams>,
};

/// Compiles every `script` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(ScriptCheck::new(rules)))
}

/// A `script` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScriptParams {
    pub scripts: Vec<String>,
}

impl KindParams for ScriptParams {
    fn fixes(&self) -> Option<Applicability> {
        None
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        validate(self)
    }
}

fn validate(def: &ScriptParams) -> Result<(), (&'static str, String)> {
    if def.scripts.is_empty() {
        return Err(("scripts", "a script rule needs `scripts` (the scripts to flag)".into()));
    }
    for s in &def.scripts {
        if !SCRIPTS.iter().any(|(n, _)| n == s) {
            let names: Vec<&str> = SCRIPTS.iter().map(|(n, _)| *n).collect();
            return Err(("scripts", format!("unknown script `{s}` (known: {})", names.join(", "))));
        }
    }
    Ok(())
}

/// All `script` rules: each rule's scripts to flag.
pub struct ScriptCheck {
    /// For each rule, the scripts it flags (indices into SCRIPTS).
    rules: Vec<(RuleIdx, Vec<usize>)>,
}

impl ScriptCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Self {
        ScriptCheck {
            rules: rules
                .iter()
                .map(|(i, d)| (i, d.params::<ScriptParams>()))
                .map(|(i, d)| {
                    (
                        *i,
                        d.scripts
                            .iter()
                            .filter_map(|s| SCRIPTS.iter().position(|(n, _)| n == s))
                            .collect(),
                    )
                })
                .collect(),
        }
    }
}

fn script_of(c: char) -> Option<usize> {
    let cp = c as u32;
    if cp < 0x370 {
        return None;
    }
    SCRIPTS
        .iter()
        .position(|(_, ranges)| ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&cp)))
}

impl Check for ScriptCheck {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        let text = &doc.text;
        if text.is_ascii() {
            return;
        }
        // Runs of one script; spaces and CJK punctuation inside a run belong to it.
        let mut runs: Vec<(usize, Span)> = Vec::new();
        let mut current: Option<(usize, usize, usize)> = None; // (script, start, end)
        let bytes = text.as_bytes();
        let mut pos = 0;
        while pos < text.len() {
            if current.is_none() {
                // Outside a run, ASCII (which has no script here) changes nothing: skip it.
                match next_non_ascii(bytes, pos) {
                    Some(k) => pos = k,
                    None => break,
                }
            }
            let Some(c) = text[pos..].chars().next() else { break };
            let i = pos;
            pos += c.len_utf8();
            match script_of(c) {
                Some(s) => match current {
                    Some((cs, start, _)) if cs == s || (is_kana_han(cs, s)) => {
                        current = Some((cs, start, i + c.len_utf8()))
                    }
                    _ => {
                        if let Some((cs, start, end)) = current.take() {
                            runs.push((cs, Span::new(start, end)));
                        }
                        current = Some((s, i, i + c.len_utf8()));
                    }
                },
                None => {
                    let joins = c == ' ' || is_cjk_punct(c);
                    if let Some((cs, start, end)) = current {
                        if !(joins && i - end <= 3) {
                            runs.push((cs, Span::new(start, end)));
                            current = None;
                        }
                    }
                }
            }
        }
        if let Some((cs, start, end)) = current {
            runs.push((cs, Span::new(start, end)));
        }
        for (script, span) in runs {
            if is_gloss_or_mention(text, span) {
                continue;
            }
            for (rule, scripts) in &self.rules {
                if scripts.contains(&script) {
                    sink.flag(*rule, span, &[("script", SCRIPTS[script].0)]);
                }
            }
        }
    }
}

/// Japanese mixes Han and kana in one run.
/// True when the run is given beside its English, not left untranslated: wrapped in quotes as a
/// quoted example (`"Здравствуйте"`), or inside parentheses that follow Latin text, as the
/// original of a name or term (`Wang Xizhi (王羲之, 303–361)`, `no. 3 (Longbao tie 龍保帖)`).
fn is_gloss_or_mention(text: &str, span: Span) -> bool {
    let before = &text[..span.start];
    let after = &text[span.end..];
    let opening = before.chars().next_back();
    let closing = after.chars().next();
    let quoted = matches!(
        (opening, closing),
        (Some('"'), Some('"')) | (Some('\''), Some('\'')) | (Some('“'), Some('”')) | (Some('‘'), Some('’'))
    );
    if quoted {
        return true;
    }
    // The innermost parenthesis still open before the run, on the same line.
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let mut depth = 0usize;
    for (i, c) in line.char_indices().rev() {
        match c {
            ')' | '）' => depth += 1,
            '(' | '（' if depth > 0 => depth -= 1,
            '(' | '（' => {
                let prev = line[..i].trim_end().chars().next_back();
                return prev.is_some_and(|p| p.is_ascii_alphanumeric() || p.is_alphabetic() && script_of(p).is_none());
            }
            _ => {}
        }
    }
    false
}

fn is_kana_han(a: usize, b: usize) -> bool {
    let (h, k1, k2) = (0, 1, 2);
    [a, b].iter().all(|s| *s == h || *s == k1 || *s == k2)
}
