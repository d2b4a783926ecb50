//! `numbers`: a number of the source missing or different in its target.
//!
//! Numbers are compared by value, as multisets: digit grouping (`1,000`), full-width digits,
//! multipliers (`3.5万` = `35,000` = `35 thousand`) and the order and padding of date parts
//! (`2017-8-3`, `2017年8月3日`, `3 August 2017`) do not matter. Chinese numerals and number or
//! month words ("three", "March") may stand in for a number but are never reported themselves.

use std::sync::LazyLock;

use regex::Regex;

use super::{Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::formats::Segment;
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::packs::LanguageData;
use crate::span::Span;

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<date>[0-9]{4}[./][0-9]{1,2}[./][0-9]{1,2}\b)
        | (?P<num>
            [0-9０-９]{1,3}(?:[,，\u{a0}\u{202f}\u{2009}][0-9０-９]{3})+(?:[.．][0-9０-９]+)?
          | [0-9０-９]+(?:[.．][0-9０-９]+)?
          | [0-9]+,[0-9]{1,2}\b
          )
          (?P<mult>\s?(?:百万|千万|万|亿|\p{Latin}+\b))?
        ",
    )
    .expect("valid regex")
});

/// Placeholders hold digits that are not numbers (`{0}`, `%1$s`).
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{[^{}\s]*\}|%[0-9]+\$[a-zA-Z]|<[^<>]*>|&#?[0-9a-zA-Z]+;").expect("valid regex"));

/// Whole Latin-script words, looked up in the language's number and month words, and runs of
/// Chinese numerals.
static WORDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\p{Latin}+\b|[零〇一二两三四五六七八九十百千万亿]+").expect("valid regex"));

fn word_value(language: &LanguageData, w: &str) -> Option<f64> {
    let lower = w.to_lowercase();
    if let Some(v) = language.number_word(&lower) {
        return Some(v);
    }
    // Month names count only capitalised: "may" and "march" are also everyday words.
    if let Some(v) = language.month(&lower) {
        return w.starts_with(char::is_uppercase).then_some(v);
    }
    chinese_value(w)
}

/// Value of a Chinese numeral such as 三, 十二, 一百二十, 两千.
fn chinese_value(s: &str) -> Option<f64> {
    let mut total = 0f64;
    let mut section = 0f64;
    let mut digit: Option<f64> = None;
    for c in s.chars() {
        let d = match c {
            '零' | '〇' => Some(0.0),
            '一' => Some(1.0),
            '二' | '两' => Some(2.0),
            '三' => Some(3.0),
            '四' => Some(4.0),
            '五' => Some(5.0),
            '六' => Some(6.0),
            '七' => Some(7.0),
            '八' => Some(8.0),
            '九' => Some(9.0),
            _ => None,
        };
        if let Some(d) = d {
            digit = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10.0,
            '百' => 100.0,
            '千' => 1000.0,
            '万' => 1e4,
            '亿' => 1e8,
            _ => return None,
        };
        if unit >= 1e4 {
            total = (total + section + digit.unwrap_or(0.0)) * unit;
            section = 0.0;
        } else {
            section += digit.unwrap_or(1.0) * unit;
        }
        digit = None;
    }
    Some(total + section + digit.unwrap_or(0.0))
}

fn ascii_digits(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' => Some('.'),
            ',' | '，' | '\u{a0}' | '\u{202f}' | '\u{2009}' => None,
            c => Some(c),
        })
        .collect()
}

/// The factor of a multiplier after a number: a Chinese one, or a word of the language's.
fn multiplier(language: &LanguageData, m: &str) -> Option<f64> {
    match m.trim() {
        "万" => Some(1e4),
        "亿" => Some(1e8),
        "百万" => Some(1e6),
        "千万" => Some(1e7),
        word => language.multiplier(word),
    }
}

/// A number found in a text: its value, where it is (relative to the text), and whether it
/// was written in digits (hard) or words (soft).
#[derive(Debug, Clone)]
struct Num {
    value: f64,
    span: Span,
    hard: bool,
}

fn numbers(language: &LanguageData, text: &str, skip: &dyn Fn(Span) -> bool) -> Vec<Num> {
    let mut blank: Vec<Span> = PLACEHOLDER
        .find_iter(text)
        .map(|m| Span::new(m.start(), m.end()))
        .collect();
    blank.sort();
    let hidden = |s: Span| skip(s) || blank.iter().any(|b| b.overlaps(s));
    let mut out = Vec::new();
    for c in NUMBER.captures_iter(text) {
        let Some(all) = c.get(0) else { continue };
        // A word after the number that is no multiplier is not part of it.
        let mult = c.name("mult").and_then(|m| multiplier(language, m.as_str()));
        let end = match (mult, c.name("num")) {
            (None, Some(n)) => n.end(),
            _ => all.end(),
        };
        let span = Span::new(all.start(), end);
        if hidden(span) {
            continue;
        }
        if let Some(d) = c.name("date") {
            let mut pos = d.start();
            for part in d.as_str().split(['.', '/']) {
                if let Ok(v) = part.parse::<u32>() {
                    out.push(Num {
                        value: f64::from(v),
                        span: Span::new(pos, pos + part.len()),
                        hard: true,
                    });
                }
                pos += part.len() + 1;
            }
            continue;
        }
        let Some(n) = c.name("num") else { continue };
        let digits = ascii_digits(n.as_str()).replace(',', ".");
        let Ok(v) = digits.parse::<f64>() else { continue };
        let mult = mult.unwrap_or(1.0);
        out.push(Num {
            value: v * mult,
            span,
            hard: true,
        });
    }
    for m in WORDS.find_iter(text) {
        let span = Span::new(m.start(), m.end());
        if hidden(span) || out.iter().any(|n| n.span.overlaps(span)) {
            continue;
        }
        if let Some(v) = word_value(language, m.as_str()) {
            out.push(Num {
                value: v,
                span,
                hard: false,
            });
        }
    }
    out
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn show(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// The `numbers` kind.
pub static KIND: Kind = Kind {
    name: "numbers",
    category: "accuracy/mistranslation",
    message: "{problem}",
    doc: include_str!("numbers.md"),
    sees_protected: true,
    reads_source: true,
    parse: parse_params::<NumbersParams>,
};

/// Compiles every `numbers` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(NumbersCheck::new(rules)))
}

/// A `numbers` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NumbersParams {
    pub allow: Vec<String>,
}

impl KindParams for NumbersParams {
    fn fixes(&self) -> Option<Applicability> {
        Some(Applicability::Unsafe)
    }
}

/// All `numbers` rules: each rule's numbers that may differ between source and target.
pub struct NumbersCheck {
    rules: Vec<(RuleIdx, Vec<String>)>,
}

impl NumbersCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Self {
        NumbersCheck {
            rules: rules
                .iter()
                .map(|(i, d)| (*i, d.params::<NumbersParams>().allow.clone()))
                .collect(),
        }
    }
}

impl Check for NumbersCheck {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        // The target language's number words, read on both sides: a source may quote them.
        let language = crate::packs::language_data(&doc.language);
        for seg in &doc.segments {
            let Some(target) = seg.target else { continue };
            if seg.target_text.trim().is_empty() {
                continue;
            }
            for (rule, allow) in &self.rules {
                if sink.is_active(*rule) {
                    check_segment(doc, language, seg, target, *rule, allow, sink);
                }
            }
        }
    }
}

fn check_segment(
    doc: &Document,
    language: &LanguageData,
    seg: &Segment,
    target: Span,
    rule: RuleIdx,
    allow: &[String],
    sink: &mut Sink<'_>,
) {
    let allowed = |n: &Num, text: &str| allow.iter().any(|a| a == n.span.text(text));
    let source_text = &seg.source;
    let mut source: Vec<Num> = numbers(language, source_text, &|_| false)
        .into_iter()
        .filter(|n| !allowed(n, source_text))
        .collect();
    let raw = target.text(&doc.text);
    let mut targets: Vec<Num> = numbers(language, raw, &|s| doc.blocks_edit(s.shifted(target.start)))
        .into_iter()
        .filter(|n| !allowed(n, raw))
        .collect();
    // Match digits with digits first, then let words stand in on either side.
    for pass in 0..3 {
        let mut i = 0;
        while i < source.len() {
            let s = &source[i];
            let found = targets.iter().position(|t| {
                same(s.value, t.value)
                    && match pass {
                        0 => s.hard && t.hard,
                        1 => s.hard,
                        _ => t.hard,
                    }
            });
            match found {
                Some(j) if pass < 2 || !s.hard => {
                    targets.remove(j);
                    source.remove(i);
                }
                _ => i += 1,
            }
        }
    }
    let missing: Vec<&Num> = source.iter().filter(|n| n.hard).collect();
    let extra: Vec<&Num> = targets.iter().filter(|n| n.hard).collect();
    if let ([m], [e]) = (missing.as_slice(), extra.as_slice()) {
        let span = e.span.shifted(target.start);
        let written = m.span.text(source_text);
        let problem = format!("\"{}\" does not match {} in the source", e.span.text(raw), written);
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if digits_only(written) && digits_only(e.span.text(raw)) {
            let edit = Edit::replace(span, written);
            sink.fix(rule, span, &[("problem", &problem)], vec![edit], Applicability::Unsafe);
        } else {
            sink.flag(rule, span, &[("problem", &problem)]);
        }
        return;
    }
    for m in &missing {
        let problem = format!(
            "the number {} of the source is missing in the translation",
            m.span.text(source_text)
        );
        sink.push_unmasked(rule, seg.anchor(), &[("problem", &problem)], None, Vec::new());
    }
    for e in &extra {
        let problem = format!("the number {} is not in the source", show(e.value));
        sink.flag(rule, e.span.shifted(target.start), &[("problem", &problem)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(s: &str) -> Vec<(String, bool)> {
        numbers(crate::packs::language_data("en"), s, &|_| false)
            .into_iter()
            .map(|n| (show(n.value), n.hard))
            .collect()
    }

    #[test]
    fn values_are_normalised() {
        assert_eq!(
            values("1,000 and 3.5万"),
            [("1000".into(), true), ("35000".into(), true)]
        );
        assert_eq!(values("３５ million"), [("35000000".into(), true)]);
        assert_eq!(
            values("2017.8.3"),
            [("2017".into(), true), ("8".into(), true), ("3".into(), true)]
        );
        assert_eq!(values("{0} %1$s"), Vec::<(String, bool)>::new());
        assert_eq!(values("三家"), [("3".into(), false)]);
        assert_eq!(values("On 8 March"), [("8".into(), true), ("3".into(), false)]);
        assert_eq!(values("it may march"), Vec::<(String, bool)>::new());
        assert_eq!(chinese_value("一百二十"), Some(120.0));
        assert_eq!(chinese_value("两千万"), Some(2e7));
    }

    /// Number words are the language's: a word after a number that is no multiplier stays
    /// out of its span, and a language without number words reads digits only.
    #[test]
    fn words_come_from_the_language() {
        let en = crate::packs::language_data("en");
        let spans: Vec<Span> = numbers(en, "5 people, 2 Million and five", &|_| false)
            .iter()
            .map(|n| n.span)
            .collect();
        assert_eq!(spans, [Span::new(0, 1), Span::new(10, 11), Span::new(24, 28)]);
        let none = crate::packs::language_data("it");
        let found: Vec<f64> = numbers(none, "5 million, three, March", &|_| false)
            .iter()
            .map(|n| n.value)
            .collect();
        assert_eq!(found, [5.0]);
    }
}
