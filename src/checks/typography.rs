//! `typography`: spacing and punctuation conventions of the target language.

use std::sync::OnceLock;

use regex::Regex;
use regex_syntax::hir::{Class, HirKind};

use super::matchers::{next_non_ascii, CharSet, ShortStrings};
use super::{group_rules, Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::segment::is_cjk;
use crate::span::Span;

super::sub_checks! {
    /// The `typography` sub-checks.
    Sub {
        DoubleSpace = "double-space",
        SpaceBeforePunctuation = "space-before-punctuation",
        MissingSpaceAfterPunctuation = "missing-space-after-punctuation",
        ListNumbering = "list-numbering",
        FullwidthPunctuation = "fullwidth-punctuation",
        FrenchSpacing = "french-spacing",
        CjkLatinSpacing = "cjk-latin-spacing",
        HalfwidthPunctuation = "halfwidth-punctuation",
    }
}

/// The `typography` kind.
pub static KIND: Kind = Kind {
    name: "typography",
    category: "fluency/punctuation",
    message: "{problem}",
    doc: include_str!("typography.md"),
    sees_protected: false,
    reads_source: false,
    parse: parse_params::<TypographyParams>,
};

/// Compiles every `typography` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(TypographyCheck::new(rules)?))
}

/// A `typography` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TypographyParams {
    pub check: Option<Sub>,
    pub chars: Option<String>,
}

impl KindParams for TypographyParams {
    fn fixes(&self) -> Option<Applicability> {
        Some(Applicability::Safe)
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        validate(self)
    }
}

fn validate(def: &TypographyParams) -> Result<(), (&'static str, String)> {
    match def.check {
        Some(_) => Ok(()),
        None => Err((
            "check",
            "a typography rule needs `check` (one of: double-space, space-before-punctuation, missing-space-after-punctuation, list-numbering, fullwidth-punctuation, french-spacing, cjk-latin-spacing, halfwidth-punctuation)".into(),
        )),
    }
}

/// The `typography` rules with one sub-check and one set of `chars`: one scan finds for all.
struct TypoRule {
    rules: Vec<RuleIdx>,
    check: String,
    /// The `chars` parameter, or the check's default.
    chars: String,
    /// The characters the check scans the text for.
    scan: CharSet,
    /// For `space-before-punctuation`: each of `chars` after a space. A space before a mark is
    /// rarer than the mark, and the pairs are found with a SIMD scan.
    spaced: Option<ShortStrings>,
}

fn default_chars(check: &str) -> &'static str {
    match check {
        "space-before-punctuation" => ",.;:!?",
        "fullwidth-punctuation" => "，。：；（）！？、",
        "french-spacing" => ";:!?»",
        _ => "",
    }
}

/// All `typography` rules, grouped by sub-check and the characters it scans for.
pub struct TypographyCheck {
    rules: Vec<TypoRule>,
}

impl TypographyCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Result<Self, CompileError> {
        let groups = group_rules(rules.iter().map(|(i, d)| {
            let d: &TypographyParams = d.params();
            let check = d.check.map_or("", Sub::name).to_string();
            let chars = d.chars.clone().unwrap_or_else(|| default_chars(&check).to_string());
            ((check, chars), *i)
        }));
        Ok(TypographyCheck {
            rules: groups
                .into_iter()
                .map(|((check, chars), rules)| {
                    let mut scan: Vec<char> = chars.chars().collect();
                    if check == "french-spacing" {
                        scan.push('«');
                    }
                    let spaced = if check == "space-before-punctuation" {
                        let pairs: Vec<String> = CharSet::new(scan.iter().copied())
                            .chars()
                            .iter()
                            .map(|c| format!(" {c}"))
                            .collect();
                        Some(ShortStrings::new(&pairs).map_err(|source| CompileError::Automaton {
                            what: "typography rule",
                            source,
                        })?)
                    } else {
                        None
                    };
                    Ok(TypoRule {
                        rules,
                        scan: CharSet::new(scan),
                        check,
                        chars,
                        spaced,
                    })
                })
                .collect::<Result<_, CompileError>>()?,
        })
    }
}

impl Check for TypographyCheck {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        for r in &self.rules {
            if !sink.any_active(&r.rules) {
                continue;
            }
            match r.check.as_str() {
                "double-space" => double_space(doc, r, sink),
                "space-before-punctuation" => space_before_punctuation(doc, r, sink),
                "missing-space-after-punctuation" => missing_space_after(doc, r, sink),
                "list-numbering" => list_numbering(doc, r, sink),
                "fullwidth-punctuation" => fullwidth_punctuation(doc, r, sink),
                "french-spacing" => french_spacing(doc, r, sink),
                "cjk-latin-spacing" => cjk_latin_spacing(doc, r, sink),
                "halfwidth-punctuation" => halfwidth_punctuation(doc, r, sink),
                _ => {}
            }
        }
    }
}

macro_rules! static_regex {
    ($re:expr) => {{
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| Regex::new($re).expect("valid built-in regex"))
    }};
}

fn double_space(doc: &Document, r: &TypoRule, sink: &mut Sink<'_>) {
    let text = &doc.text;
    // Every match holds two spaces in a row: a text without them (most short ones) needs
    // no regex, compiled on first use.
    if memchr::memmem::find(text.as_bytes(), b"  ").is_none() {
        return;
    }
    let re = static_regex!(r"\S( {2,})\S");
    for caps in re.captures_iter(text) {
        let m = caps.get(1).unwrap();
        let before = &text[..m.start()];
        // Two spaces after a full stop is a typing convention, not a slip; after a list or
        // definition marker at the start of a line (`:   text`, `-   item`) it is markup.
        let line_head = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
        let marker = !line_head.is_empty()
            && line_head.split_whitespace().count() == 1
            && (line_head
                .trim()
                .chars()
                .all(|c| matches!(c, ':' | '-' | '*' | '+' | '>'))
                || line_head
                    .trim()
                    .trim_end_matches(['.', ')'])
                    .chars()
                    .all(|c| c.is_ascii_digit()));
        let sentence_end = before
            .trim_end_matches(['"', '\'', '”', '’', ')'])
            .ends_with(['.', '!', '?'])
            && text[m.end()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic());
        if marker || sentence_end {
            continue;
        }
        let span = Span::new(m.start(), m.end());
        sink.fix_each(
            &r.rules,
            span,
            &[("problem", "more than one space between words")],
            vec![Edit::replace(span, " ")],
            Applicability::Safe,
        );
    }
}

/// True when the white-space-delimited token around `at` is a URL, an e-mail address or a
/// file name, where punctuation follows other rules.
fn in_url(text: &str, at: usize) -> bool {
    // White space may be wider than a byte (no-break spaces): step over the whole character.
    let start = text[..at]
        .rfind(char::is_whitespace)
        .map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
    let end = text[at..].find(char::is_whitespace).map_or(text.len(), |i| at + i);
    let token = &text[start..end];
    token.contains("://") || token.contains('@') || token.starts_with("www.")
}

fn space_before_punctuation(doc: &Document, r: &TypoRule, sink: &mut Sink<'_>) {
    let text = &doc.text;
    let bytes = text.as_bytes();
    let Some(spaced) = &r.spaced else { return };
    // The pairs are a space and distinct characters, so at most one starts at any offset: a
    // search restarted one byte after each finds every mark after a space, in order.
    let mut at = 0;
    while let Some((_, space)) = spaced.find(bytes, at) {
        at = space + 1;
        let i = space + 1;
        let Some(c) = text[i..].chars().next() else { break };
        let mut start = i;
        while start > 0 && bytes[start - 1] == b' ' {
            start -= 1;
        }
        // A space at the start of a line is indentation, not a spacing error.
        let Some(prev) = text[..start].chars().next_back() else {
            continue;
        };
        if prev == '\n' || prev == '\r' || prev.is_whitespace() {
            continue;
        }
        let after = i + c.len_utf8();
        let next = text[after..].chars().next();
        if prev == c || in_url(text, start) {
            continue;
        }
        // "… ." or ". 5": an ellipsis or a decimal is not a stray full stop. But a mark
        // between words with its space on the wrong side (`guests ,from`, `cluster .This`)
        // was typed one place off. A closing quote, bracket or Markdown emphasis marker
        // (`platform ?**`) ends the phrase like a space does.
        if next.is_some_and(|n| !ends_phrase(n)) {
            if wrong_side(text, prev, c, after) {
                let problem = format!("space before \"{c}\" instead of after it");
                sink.fix_each(
                    &r.rules,
                    Span::new(start, after),
                    &[("problem", &problem)],
                    vec![Edit::delete(Span::new(start, i)), Edit::insert(after, " ")],
                    Applicability::Safe,
                );
            }
            continue;
        }
        let span = Span::new(start, i + c.len_utf8());
        let problem = format!("space before \"{c}\"");
        sink.fix_each(
            &r.rules,
            span,
            &[("problem", &problem)],
            vec![Edit::delete(Span::new(start, i))],
            Applicability::Safe,
        );
    }
}

/// True when `c`, right after a punctuation mark, closes the phrase the mark ends: a space,
/// a closing quote or bracket, or a Markdown emphasis marker (`**Why ?**`).
fn ends_phrase(c: char) -> bool {
    c.is_whitespace() || "\"'”’)]»*_".contains(c)
}

/// True when the mark `c` at `after - 1`, with a space before it and a character after,
/// sits between two words with its space on the wrong side: a comma or semicolon between a
/// letter and a letter (or a word and a number), a full stop between a word and a capitalised
/// word (`cluster .This`; not `.NET`, `.5` or `.txt`).
fn wrong_side(text: &str, prev: char, c: char, after: usize) -> bool {
    let mut rest = text[after..].chars();
    let (Some(n1), n2) = (rest.next(), rest.next()) else {
        return false;
    };
    match c {
        ',' | ';' => {
            (prev.is_alphabetic() && (n1.is_alphabetic() || n1.is_ascii_digit()))
                || (prev.is_ascii_digit() && n1.is_alphabetic())
        }
        '.' => prev.is_alphabetic() && n1.is_uppercase() && n2.is_some_and(char::is_lowercase),
        _ => false,
    }
}

fn missing_space_after(doc: &Document, r: &TypoRule, sink: &mut Sink<'_>) {
    let text = &doc.text;
    let bytes = text.as_bytes();
    // `ab,c` (`\p{Ll}{2}([,;])\p{L}`), then `ab.Cd` (`\p{Ll}{2}([.!?])\p{Lu}\p{Ll}`).
    let comma = glued_marks(text, memchr::memchr2_iter(b',', b';', bytes), letter_after);
    let stop = glued_marks(text, memchr::memchr3_iter(b'.', b'!', b'?', bytes), word_after);
    for p in comma.into_iter().chain(stop) {
        if in_url(text, p) {
            continue;
        }
        let mark = &text[p..p + 1];
        let problem = format!("no space after \"{mark}\"");
        let span = Span::new(p, p + 1);
        sink.fix_each(
            &r.rules,
            span,
            &[("problem", &problem)],
            vec![Edit::insert(p + 1, " ")],
            Applicability::Safe,
        );
    }
}

/// The marks (ASCII, at the offsets `marks` gives in order) preceded by two lowercase letters
/// and followed by what `after` accepts (it returns the length): the matches of
/// `\p{Ll}{2}(MARK)AFTER`, leftmost first and not overlapping, as a regex iterator finds them.
/// A match is fixed by its mark, and later marks start later matches, so each mark in turn
/// is a match unless it overlaps the previous one.
fn glued_marks(text: &str, marks: impl Iterator<Item = usize>, after: impl Fn(&str) -> Option<usize>) -> Vec<usize> {
    let cat = categories();
    let mut found = Vec::new();
    let mut end = 0;
    for p in marks {
        // Most marks are followed by a space: look after the mark first.
        let Some(len) = after(&text[p + 1..]) else { continue };
        let mut before = text[..p].chars().rev();
        let (Some(second), Some(first)) = (before.next(), before.next()) else {
            continue;
        };
        if !(cat.is_lower(first) && cat.is_lower(second)) || p - second.len_utf8() - first.len_utf8() < end {
            continue;
        }
        found.push(p);
        end = p + 1 + len;
    }
    found
}

/// The length of the letter `after` starts with.
fn letter_after(after: &str) -> Option<usize> {
    let c = after.chars().next()?;
    categories().is_letter(c).then(|| c.len_utf8())
}

/// The length of the capital and lowercase letter `after` starts with.
fn word_after(after: &str) -> Option<usize> {
    let cat = categories();
    let mut cs = after.chars();
    let (upper, lower) = (cs.next()?, cs.next()?);
    (cat.is_upper(upper) && cat.is_lower(lower)).then(|| upper.len_utf8() + lower.len_utf8())
}

/// The Unicode general categories the checks test letters against, as the regex crate's
/// `\p{Ll}`, `\p{Lu}` and `\p{L}` define them.
struct Categories {
    lower: Vec<(char, char)>,
    upper: Vec<(char, char)>,
    letter: Vec<(char, char)>,
}

fn categories() -> &'static Categories {
    static CATEGORIES: OnceLock<Categories> = OnceLock::new();
    CATEGORIES.get_or_init(|| {
        let ranges = |class: &str| match regex_syntax::parse(class).expect("valid class").into_kind() {
            HirKind::Class(Class::Unicode(c)) => c.iter().map(|r| (r.start(), r.end())).collect(),
            _ => unreachable!("a Unicode class parses to a class"),
        };
        Categories {
            lower: ranges(r"\p{Ll}"),
            upper: ranges(r"\p{Lu}"),
            letter: ranges(r"\p{L}"),
        }
    })
}

fn in_ranges(ranges: &[(char, char)], c: char) -> bool {
    let i = ranges.partition_point(|&(_, hi)| hi < c);
    ranges.get(i).is_some_and(|&(lo, _)| lo <= c)
}

impl Categories {
    fn is_lower(&self, c: char) -> bool {
        if c.is_ascii() {
            c.is_ascii_lowercase()
        } else {
            in_ranges(&self.lower, c)
        }
    }

    fn is_upper(&self, c: char) -> bool {
        if c.is_ascii() {
            c.is_ascii_uppercase()
        } else {
            in_ranges(&self.upper, c)
        }
    }

    fn is_letter(&self, c: char) -> bool {
        if c.is_ascii() {
            c.is_ascii_alphabetic()
        } else {
            in_ranges(&self.letter, c)
        }
    }
}

/// `1, ` at a paragraph start: Chinese list numbering (1、 rendered as "1,").
fn list_numbering(doc: &Document, r: &TypoRule, sink: &mut Sink<'_>) {
    let text = &doc.text;
    // Compiled on first use: most documents have no line that gets as far as the regex.
    let re = || static_regex!(r#"^[ \t]*(\d{1,2}|[一二三四五六七八九十])(, ?|，|、 ?)["“'‘\p{L}]"#);
    for line in doc.lines() {
        let l = line.text(text);
        // The number is `\d`, Unicode digits too: only a line whose first byte after the
        // indentation is an ASCII non-digit can be passed over without the regex.
        match l.bytes().find(|&b| b != b' ' && b != b'\t') {
            Some(b) if b.is_ascii() && !b.is_ascii_digit() => continue,
            None => continue,
            _ => {}
        }
        let Some(caps) = re().captures(l) else { continue };
        let num = caps.get(1).unwrap();
        let sep = caps.get(2).unwrap();
        // A Chinese numeral (一、) numbers a list only with the Chinese enumeration comma.
        let value = match chinese_numeral(num.as_str()) {
            Some(_) if !sep.as_str().starts_with('、') => continue,
            Some(n) => n.to_string(),
            None => num.as_str().to_string(),
        };
        let span = Span::new(line.start + num.start(), line.start + sep.end());
        let fixed = format!("{value}. ");
        let problem = format!("Chinese-style list number \"{}\"", span.text(text).trim_end());
        sink.fix_each(
            &r.rules,
            span,
            &[("problem", &problem)],
            vec![Edit::replace(span, fixed)],
            Applicability::Safe,
        );
    }
}

/// The value of a Chinese numeral from one to ten (`三` → 3), the list numbers of Chinese
/// documents (`一、`, `二、`).
fn chinese_numeral(s: &str) -> Option<u32> {
    let mut chars = s.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return None;
    };
    "一二三四五六七八九十"
        .chars()
        .position(|n| n == c)
        .map(|i| i as u32 + 1)
}

fn ascii_for_fullwidth(c: char) -> Option<&'static str> {
    Some(match c {
        '，' => ",",
        '。' => ".",
        '：' => ":",
        '；' => ";",
        '（' => "(",
        '）' => ")",
        '！' => "!",
        '？' => "?",
        '、' => ",",
        _ => return None,
    })
}

/// Full-width CJK punctuation left in Latin-script text.
fn fullwidth_punctuation(doc: &Document, r: &TypoRule, sink: &mut Sink<'_>) {
    let text = &doc.text;
    for (i, c) in r.scan.find_iter(text) {
        let Some(ascii) = ascii_for_fullwidth(c) else {
            continue;
        };
        let end = i + c.len_utf8();
        let prev = text[..i].chars().next_back();
        let next = text[end..].chars().next();
        // Next to Chinese text it is part of an untranslated passage, which `script` flags.
        if prev.is_some_and(is_cjk) || next.is_some_and(is_cjk) {
            continue;
        }
        let mut replacement = String::new();
        if c == '（' && prev.is_some_and(|p| !p.is_whitespace()) {
            replacement.push(' ');
        }
        replacement.push_str(ascii);
        if c != '（' && next.is_some_and(|n| n.is_alphanumeric()) {
            replacement.push(' ');
        }
        let span = Span::new(i, end);
        let problem = format!("full-width \"{c}\" in Latin-script text");
        sink.fix_each(
            &r.rules,
            span,
            &[("problem", &problem)],
            vec![Edit::replace(span, replacement)],
            Applicability::Safe,
        );
    }
}

fn is_nbsp(c: char) -> bool {
    c == '\u{a0}' || c == '\u{202f}'
}

/// French: a no-break space before ; : ! ? » and after «.
fn french_spacing(doc: &Document, r: &TypoRule, sink: &mut Sink<'_>) {
    let chars = r.chars.as_str();
    let text = &doc.text;
    for (i, c) in r.scan.find_iter(text) {
        let end = i + c.len_utf8();
        if c == '«' {
            if starts_with_space_entity(&text[end..]) {
                continue;
            }
            match text[end..].chars().next() {
                Some(' ') => {
                    let span = Span::new(end, end + 1);
                    sink.fix_each(
                        &r.rules,
                        Span::new(i, end + 1),
                        &[("problem", "« takes a no-break space after it")],
                        vec![Edit::replace(span, "\u{a0}")],
                        Applicability::Safe,
                    );
                }
                Some(n) if !n.is_whitespace() => {
                    sink.fix_each(
                        &r.rules,
                        Span::new(i, end),
                        &[("problem", "« takes a no-break space after it")],
                        vec![Edit::insert(end, "\u{a0}")],
                        Applicability::Safe,
                    );
                }
                _ => {}
            }
            continue;
        }
        if !chars.contains(c) {
            continue;
        }
        let Some(prev) = text[..i].chars().next_back() else {
            continue;
        };
        let next = text[end..].chars().next();
        if is_nbsp(prev) || prev == '\n' || in_url(text, i) || ends_with_space_entity(&text[..i]) {
            continue;
        }
        if c == ';' && ends_entity_name(&text[..i]) {
            continue;
        }
        // 10:30, "?!", "!!": times and repeated marks take no space.
        if prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()) || chars.contains(prev) {
            continue;
        }
        let nb = if c == ':' || c == '»' { "\u{a0}" } else { "\u{202f}" };
        let problem = format!("\"{c}\" takes a no-break space before it in French");
        if prev == ' ' {
            let sp = Span::new(i - 1, i);
            sink.fix_each(
                &r.rules,
                Span::new(i - 1, end),
                &[("problem", &problem)],
                vec![Edit::replace(sp, nb)],
                Applicability::Safe,
            );
        } else {
            // `"Hello, world!"`: a mark that ends a string in straight quotes is likely quoted
            // code or English, where French spacing does not apply.
            let quoted_literal = next.is_some_and(|n| matches!(n, '"' | '`'));
            sink.fix_each(
                &r.rules,
                Span::new(i, end),
                &[("problem", &problem)],
                vec![Edit::insert(i, nb)],
                if quoted_literal {
                    Applicability::Unsafe
                } else {
                    Applicability::Safe
                },
            );
        }
    }
}

/// HTML and XML entities that stand for the spaces French typography asks for, written as
/// entities in Markdown and web sources.
const SPACE_ENTITIES: [&str; 7] = [
    "&nbsp;", "&#160;", "&#xa0;", "&#xA0;", "&#8239;", "&#x202f;", "&thinsp;",
];

/// True when `s` ends with `&name`, `&#123` or `&#x1f`: a `;` after it closes an entity.
fn ends_entity_name(s: &str) -> bool {
    let from = (s.len().saturating_sub(12)..s.len())
        .find(|&k| s.is_char_boundary(k))
        .unwrap_or(s.len());
    let tail = &s[from..];
    let Some(amp) = tail.rfind('&') else { return false };
    let name = &tail[amp + 1..];
    let digits = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"));
    match (digits, name.strip_prefix('#')) {
        (Some(hex), _) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
        (None, Some(dec)) => !dec.is_empty() && dec.chars().all(|c| c.is_ascii_digit()),
        _ => !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()),
    }
}

fn starts_with_space_entity(s: &str) -> bool {
    SPACE_ENTITIES.iter().any(|e| s.starts_with(e))
}

fn ends_with_space_entity(s: &str) -> bool {
    SPACE_ENTITIES.iter().any(|e| s.ends_with(e))
}

/// Chinese: a space between Han characters and Latin words.
fn cjk_latin_spacing(doc: &Document, r: &TypoRule, sink: &mut Sink<'_>) {
    let text = &doc.text;
    let bytes = text.as_bytes();
    let mut report = |span: Span, at: usize| {
        sink.fix_each(
            &r.rules,
            span,
            &[("problem", "no space between Chinese and Latin text")],
            vec![Edit::insert(at, " ")],
            Applicability::Safe,
        );
    };
    // CJK characters are never ASCII: look only at the non-ASCII ones and their neighbours.
    let mut at = 0;
    while let Some(i) = next_non_ascii(bytes, at) {
        let Some(c) = text[i..].chars().next() else { break };
        let end = i + c.len_utf8();
        at = end;
        if !is_cjk(c) {
            continue;
        }
        // A Latin word may hold digits (`ISO22000`, `5G`); a bare number (`126户`) takes no space.
        let before = &bytes[..i];
        let run_before = before.iter().rev().take_while(|b| b.is_ascii_alphanumeric()).count();
        if run_before > 0 && before[i - run_before..].iter().any(u8::is_ascii_alphabetic) {
            report(Span::new(i - 1, end), i);
        }
        let after = &bytes[end..];
        let run_after = after.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if run_after > 0 && after[..run_after].iter().any(u8::is_ascii_alphabetic) {
            report(Span::new(i, end + 1), end);
        }
    }
}

/// Chinese: ASCII punctuation after Han characters.
fn halfwidth_punctuation(doc: &Document, r: &TypoRule, sink: &mut Sink<'_>) {
    let text = &doc.text;
    let re = static_regex!(r"\p{Han}([,;:!?]) ?");
    for caps in re.captures_iter(text) {
        let whole = caps.get(0).unwrap();
        let p = caps.get(1).unwrap();
        let full = match p.as_str() {
            "," => "，",
            ";" => "；",
            ":" => "：",
            "!" => "！",
            _ => "？",
        };
        let span = Span::new(p.start(), whole.end());
        let problem = format!("half-width \"{}\" in Chinese text", p.as_str());
        // Between Chinese on both sides the full-width mark is certain; before Latin text,
        // code or a path (`文件名: src/main.rs`) the ASCII mark is often the author's choice.
        let next = text[whole.end()..].chars().next();
        if !next.is_some_and(|c| crate::segment::is_cjk(c) && !c.is_ascii()) {
            continue;
        }
        sink.fix_each(
            &r.rules,
            span,
            &[("problem", &problem)],
            vec![Edit::replace(span, full)],
            Applicability::Safe,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closing_emphasis_marker_ends_the_phrase() {
        assert!(ends_phrase('*'));
        assert!(ends_phrase('_'));
        assert!(ends_phrase(' '));
        assert!(ends_phrase('”'));
        assert!(!ends_phrase('N'));
        assert!(!ends_phrase('5'));
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(chinese_numeral("一"), Some(1));
        assert_eq!(chinese_numeral("十"), Some(10));
        assert_eq!(chinese_numeral("1"), None);
        assert_eq!(chinese_numeral("一二"), None);
    }

    /// The scan finds the marks the regexes it replaces found, overlaps and letters beyond
    /// ASCII included.
    #[test]
    fn glued_marks_are_the_regex_matches() {
        let texts = [
            "ab,cd,ef;gh, ij,Kl ab.Cd.Ef!Gh?ij no.Ab.Cd",
            "été,été;Été çà.Éc ǅa,b aª,b ab,ǅ ab.ǅa ab.Ǆǆ",
            "x,y ab,,cd ab.C ab.CD ab.\u{301}Cd ab,\u{1F600}",
        ];
        let comma = Regex::new(r"\p{Ll}{2}([,;])\p{L}").unwrap();
        let stop = Regex::new(r"\p{Ll}{2}([.!?])\p{Lu}\p{Ll}").unwrap();
        for text in texts {
            let marks =
                |re: &Regex| -> Vec<usize> { re.captures_iter(text).map(|c| c.get(1).unwrap().start()).collect() };
            let bytes = text.as_bytes();
            let found = glued_marks(text, memchr::memchr2_iter(b',', b';', bytes), letter_after);
            assert_eq!(found, marks(&comma), "{text}");
            let found = glued_marks(text, memchr::memchr3_iter(b'.', b'!', b'?', bytes), word_after);
            assert_eq!(found, marks(&stop), "{text}");
        }
    }
}
