//! Page chrome judged by a line's shape and its neighbours rather than by a list of phrases:
//! breadcrumb trails, lines of label–value metadata, widget and menu lines, image file names.
//!
//! The words come from the rule (`labels`, `widgets`, `menu`, `crumbs`); this module knows
//! only shapes. A line is taken whole or not at all, and never when it holds running prose.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::BoilerplateParams;
use super::{line_removal, prose_start};
use crate::checks::{RuleIdx, Sink};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::formats::InputFormat;
use crate::span::Span;

/// The longest line judged, in bytes: chrome is short.
const MAX_LINE: usize = 200;
/// The most words a breadcrumb step or a widget line may hold.
const MAX_CELL_WORDS: usize = 8;
const MAX_WIDGET_WORDS: usize = 10;

/// A rule's words, lower-cased, each phrase split into words.
pub struct Vocabulary {
    labels: Vec<Vec<String>>,
    widgets: Vec<Vec<String>>,
    menu: HashSet<String>,
    crumbs: Vec<Vec<String>>,
}

impl Vocabulary {
    pub fn is_set(def: &BoilerplateParams) -> bool {
        !(def.labels.is_empty() && def.widgets.is_empty() && def.menu.is_empty() && def.crumbs.is_empty())
    }

    pub fn validate(def: &BoilerplateParams) -> Result<(), (&'static str, String)> {
        for (name, list) in [
            ("labels", &def.labels),
            ("widgets", &def.widgets),
            ("menu", &def.menu),
            ("crumbs", &def.crumbs),
        ] {
            if let Some(bad) = list.iter().find(|w| words(w).next().is_none()) {
                return Err((name, format!("{bad:?} holds no word")));
            }
        }
        if let Some(bad) = def.menu.iter().find(|w| words(w).count() > 1) {
            return Err(("menu", format!("{bad:?}: `menu` takes single words")));
        }
        Ok(())
    }

    pub fn new(def: &BoilerplateParams) -> Self {
        let phrases = |list: &[String]| {
            let mut v: Vec<Vec<String>> = list
                .iter()
                .map(|p| words(p).map(|(_, w)| w.to_lowercase()).collect())
                .collect();
            // Longest first, so `editor in charge` wins over `editor`.
            v.sort_by_key(|p| std::cmp::Reverse(p.len()));
            v
        };
        Vocabulary {
            labels: phrases(&def.labels),
            widgets: phrases(&def.widgets),
            menu: def.menu.iter().map(|w| w.to_lowercase()).collect(),
            crumbs: phrases(&def.crumbs),
        }
    }
}

/// What a line of chrome is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    Breadcrumb,
    Metadata,
    /// Share, print and font-size widgets, chat boxes, site menus; `strong` when it holds a
    /// word that only widgets hold.
    Widget {
        strong: bool,
    },
    FileName,
}

impl Shape {
    fn what(self) -> &'static str {
        match self {
            Shape::Breadcrumb => "breadcrumb navigation",
            Shape::Metadata => "page metadata",
            Shape::Widget { .. } => "a page widget or menu",
            Shape::FileName => "an image file name",
        }
    }
}

pub fn check(vocabulary: &Vocabulary, rule: RuleIdx, doc: &Document, taken: &[usize], sink: &mut Sink<'_>) {
    let text = &doc.text;
    let markdown = doc.format == InputFormat::Markdown;
    // Every non-empty line with its shape: `Some` for chrome (including lines the patterns
    // took), `None` for the rest.
    let mut lines: Vec<(Span, Option<Shape>)> = Vec::new();
    for line in doc.lines() {
        let content = line.text(text).trim();
        if content.is_empty() {
            continue;
        }
        let shape = if taken.binary_search(&line.start).is_ok() {
            Some(Shape::Widget { strong: true })
        } else if markdown && content.starts_with(['#', '|', '>', '-', '*', '+', '`', '<', '!', '[']) {
            None
        } else {
            classify(vocabulary, content)
        };
        lines.push((line, shape));
    }
    for (i, &(line, shape)) in lines.iter().enumerate() {
        let Some(shape) = shape else { continue };
        if taken.binary_search(&line.start).is_ok() {
            continue;
        }
        let content = line.text(text).trim();
        let applicability = match shape {
            Shape::Widget { strong: false } => {
                // A line of menu words is a heading as often as a menu: chrome only at the
                // edge of the text or beside other chrome, and the deletion is for a person
                // to confirm.
                let beside_chrome = |j: Option<usize>| j.and_then(|j| lines.get(j)).is_none_or(|(_, s)| s.is_some());
                if !(beside_chrome(i.checked_sub(1)) || beside_chrome(Some(i + 1))) {
                    continue;
                }
                Applicability::Unsafe
            }
            _ => Applicability::Safe,
        };
        let note = match shape {
            Shape::Metadata => DATE
                .find(content)
                .map(|d| format!(" (the article's date, {}, goes with it)", d.as_str()))
                .unwrap_or_default(),
            _ => String::new(),
        };
        let (trimmed, removal) = line_removal(doc, line);
        sink.fix(
            rule,
            trimmed,
            &[("what", shape.what()), ("note", &note)],
            vec![Edit::delete(removal)],
            applicability,
        );
    }
}

static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}").expect("a valid regex"));

static LONG_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b")
        .expect("a valid regex")
});

static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\d{1,3}|[a-zA-Z])[.)、]").expect("a valid regex"));

/// True for an image's file name alone (`image.png`, `微信图片_2021(1).JPG`): up to 80 word
/// characters, hyphens, dots and brackets, and an image extension. Written out rather than as
/// the regex `^[\w\-.()（）]{1,80}\.(?:png|…)$`, whose eighty copies of Unicode's `\w` took
/// longer to compile than checking a small file.
fn is_image_file_name(content: &str) -> bool {
    const EXTENSIONS: [&str; 9] = ["png", "jpg", "jpeg", "gif", "webp", "bmp", "svg", "tif", "tiff"];
    let Some((name, extension)) = content.rsplit_once('.') else {
        return false;
    };
    EXTENSIONS.iter().any(|e| extension.eq_ignore_ascii_case(e))
        && (1..=80).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| regex_syntax::is_word_character(c) || matches!(c, '-' | '.' | '(' | ')' | '（' | '）'))
}

fn classify(vocabulary: &Vocabulary, content: &str) -> Option<Shape> {
    if content.len() > MAX_LINE {
        return None;
    }
    // A sentence of more than a few words is text: no shape below ends like one. Most lines
    // of an article leave here, before any case folding or matching.
    if content.ends_with(['.', '!', '?', '。', '！', '？']) && content.split_whitespace().nth(MAX_CELL_WORDS).is_some()
    {
        return None;
    }
    if is_image_file_name(content) {
        return Some(Shape::FileName);
    }
    if is_breadcrumb(vocabulary, content) {
        return Some(Shape::Breadcrumb);
    }
    if prose_start(content).is_some() {
        return None;
    }
    if is_metadata(vocabulary, content) {
        return Some(Shape::Metadata);
    }
    widget(vocabulary, content)
}

/// Separators of breadcrumb steps and menu items.
fn is_step_separator(c: char) -> bool {
    matches!(c, '>' | '»' | '›' | '→' | '|' | '/' | '＞' | '》' | '｜')
}

/// `Home > News > Hospital news`, `Your current position: Home > General information`,
/// `You are here: Home | News`: a crumb start, then steps after a colon or a separator, each a
/// few words that end no sentence.
fn is_breadcrumb(vocabulary: &Vocabulary, content: &str) -> bool {
    let lower = content.to_lowercase();
    let Some(after) = vocabulary.crumbs.iter().find_map(|c| starts_with_phrase(&lower, c)) else {
        return false;
    };
    let rest = &lower[after..];
    let label = rest.trim_start().starts_with([':', '：']);
    let separators = rest.chars().filter(|&c| is_step_separator(c)).count();
    if !label && separators == 0 {
        return false;
    }
    let steps = rest
        .trim_start()
        .trim_start_matches([':', '：'])
        .split(is_step_separator)
        .map(str::trim)
        .collect::<Vec<_>>();
    let short = steps
        .iter()
        .all(|s| words(s).count() <= MAX_CELL_WORDS && !s.ends_with(['.', '!', '?', '。', ',', ';']));
    // After a bare `Home`, a separator must follow at once: `Home > News`, not `Home is …`.
    let direct = label || rest.trim_start().starts_with(is_step_separator);
    short && direct && steps.iter().any(|s| !s.is_empty())
}

/// Byte offset after `phrase` when `lower` starts with it as whole words.
fn starts_with_phrase(lower: &str, phrase: &[String]) -> Option<usize> {
    let mut at = 0;
    for (k, word) in phrase.iter().enumerate() {
        let rest = &lower[at..];
        let trimmed = rest.trim_start();
        if k > 0 && trimmed.len() == rest.len() {
            return None;
        }
        at += rest.len() - trimmed.len();
        if !lower[at..].starts_with(word.as_str()) {
            return None;
        }
        at += word.len();
    }
    let next = lower[at..].chars().next();
    // Glued steps (`location:HomeCompany`) are fine; a longer word (`homes`) is not.
    let ends_word = !next.is_some_and(char::is_alphanumeric) || phrase.last().is_some_and(|w| !w.is_ascii());
    ends_word.then_some(at)
}

/// `Click:38 Time:2021-04-01`, `Hits: 554 Time: 2022-07-01`, `[Source: Xinhua] [Editor in
/// charge: Li Xufeng]`, `by:Sehon 2020-10-01`: two metadata labels, or one at the start whose
/// value is empty, a number or a date.
fn is_metadata(vocabulary: &Vocabulary, content: &str) -> bool {
    let lower = content.to_lowercase();
    let mut found = Vec::new();
    let mut prev_alpha = false;
    for (at, c) in lower.char_indices() {
        let starts_word = c.is_alphabetic() && !prev_alpha;
        prev_alpha = c.is_alphabetic();
        if !starts_word {
            continue;
        }
        let Some((label, end)) = vocabulary
            .labels
            .iter()
            .enumerate()
            .find_map(|(n, l)| starts_with_phrase(&lower[at..], l).map(|e| (n, at + e)))
        else {
            continue;
        };
        let colon = lower[end..].trim_start();
        if colon.starts_with([':', '：']) {
            let value_start = end + (lower[end..].len() - colon.len()) + colon.chars().next().map_or(0, char::len_utf8);
            found.push((at, label, value_start));
        }
    }
    let distinct: HashSet<usize> = found.iter().map(|&(_, l, _)| l).collect();
    if distinct.len() >= 2 {
        return true;
    }
    let Some(&(at, _, value_start)) = found.first() else {
        return false;
    };
    let lead = lower[..at].trim_matches(|c: char| c.is_whitespace() || matches!(c, '[' | '【' | '('));
    let value = lower[value_start..].trim();
    lead.is_empty()
        && (value.is_empty()
            || value
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_whitespace() || c == ',')
            || DATE.is_match(value) && words(value).filter(|(_, w)| w.chars().any(char::is_alphabetic)).count() <= 3)
}

/// A short line of nothing but widget and menu words (and numbers): `Chat Online`, `Adjust
/// font size:`, `Home Latest News`, `0 Comment(s) Print E-mail`.
fn widget(vocabulary: &Vocabulary, content: &str) -> Option<Shape> {
    // A sentence (`Register online.`) or a list item (`1. Register online`) is text.
    if content.ends_with(['.', '!', '?', '。', '！', '？']) || LIST_ITEM.is_match(content) {
        return None;
    }
    // A byline's date (`Xinhua, May 04, 2021`) is neither a widget word nor prose.
    let content = &*LONG_DATE.replace_all(content, " ");
    let known_word =
        |w: &str| vocabulary.menu.contains(w) || vocabulary.widgets.iter().any(|p| p.len() == 1 && p[0] == w);
    let tokens: Vec<String> = words(content)
        .flat_map(|(_, w)| {
            let lower = w.to_lowercase();
            if known_word(&lower) {
                vec![lower]
            } else {
                split_glued(w).into_iter().map(str::to_lowercase).collect()
            }
        })
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    if tokens.len() < 2 || tokens.len() > MAX_WIDGET_WORDS {
        return None;
    }
    let (mut strong, mut menu, mut other) = (0, 0, 0);
    let mut i = 0;
    while i < tokens.len() {
        if let Some(w) = vocabulary
            .widgets
            .iter()
            .find(|w| tokens[i..].starts_with(w.as_slice()))
        {
            strong += 1;
            i += w.len();
            continue;
        }
        if vocabulary.menu.contains(&tokens[i]) {
            menu += 1;
        } else {
            other += 1;
        }
        i += 1;
    }
    let known = strong + menu;
    // One stray word (a site name, `inputting…`) among three known ones still makes a widget.
    let fits = other == 0 || other == 1 && known >= 3;
    (fits && known >= 1).then_some(Shape::Widget { strong: strong > 0 })
}

/// Words: runs of letters, digits and the joiners of `e-mail`, `comment(s)`, `news&events`.
fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '\'' | '’' | '&' | '(' | ')');
    let mut rest = s;
    let mut offset = 0;
    std::iter::from_fn(move || {
        let start = rest.find(|c: char| c.is_alphanumeric())?;
        let len = rest[start..].find(|c: char| !is_word(c)).unwrap_or(rest.len() - start);
        let at = offset + start;
        let word = &rest[start..start + len];
        offset += start + len;
        rest = &rest[start + len..];
        Some((at, word.trim_end_matches(['-', '\'', '’', '&', '('])))
    })
}

/// Splits words glued by scraping at a change to upper case: `HomeCompany` → `Home`,
/// `Company`; `Comment(s)Print` → `Comment(s)`, `Print`. `iPhone`, `WeChat` (a first part of
/// fewer than three letters) and all-capital words stay whole.
fn split_glued(word: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    for (at, c) in word.char_indices() {
        if c.is_uppercase() && at - start > 2 && prev.is_some_and(|p| p.is_lowercase() || p == ')') {
            parts.push(&word[start..at]);
            start = at;
        }
        prev = Some(c);
    }
    parts.push(&word[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let def: BoilerplateParams = toml::from_str(
            r#"
            labels = ["time", "source", "hits", "editor in charge", "editor", "by", "font"]
            widgets = ["share", "chat online", "font size", "print", "e-mail", "comment(s)"]
            menu = ["home", "latest", "news", "large", "medium", "small", "contact", "us"]
            crumbs = ["home", "your current position", "you are here"]
            "#,
        )
        .unwrap();
        Vocabulary::new(&def)
    }

    #[test]
    fn image_file_names() {
        for name in ["image.png", "IMG_2041.JPG", "微信图片_20210312(1).jpeg", "a.b-c.tiff"] {
            assert!(is_image_file_name(name), "{name}");
        }
        let long = format!("{}.png", "x".repeat(81));
        for text in [
            "image.pngs",
            ".png",
            "see image.png",
            "a/b.png",
            long.as_str(),
            "report.pdf",
        ] {
            assert!(!is_image_file_name(text), "{text}");
        }
    }

    #[test]
    fn shapes_of_chrome() {
        let v = vocabulary();
        for (line, shape) in [
            ("Home > News Center > Hospital News", Shape::Breadcrumb),
            ("Your current position: Home > General Information", Shape::Breadcrumb),
            (
                "You are here:Home | News&Events | Fairs info | Content",
                Shape::Breadcrumb,
            ),
            ("Hits: 554 Time: 2022-07-01", Shape::Metadata),
            (
                "2023-02-11 [Source: Xinhua] [Editor in charge: Li Xufeng] Font: [Large Medium Small]",
                Shape::Metadata,
            ),
            ("by:Sehon     2020-10-01", Shape::Metadata),
            ("Chat Online", Shape::Widget { strong: true }),
            (
                "0 Comment(s)Print E-mail Xinhua, May 04, 2021",
                Shape::Widget { strong: true },
            ),
            ("Home Latest News", Shape::Widget { strong: false }),
            ("Large Medium Small |", Shape::Widget { strong: false }),
            ("image.png", Shape::FileName),
        ] {
            assert_eq!(classify(&v, line), Some(shape), "{line}");
        }
    }

    #[test]
    fn prose_and_headings_are_not_chrome() {
        let v = vocabulary();
        for line in [
            "Home is where the lighting industry began.",
            "Homes > 2,000 were built.",
            "Source: the members held different views on the plan.",
            "By: a committee of five",
            "Time: we have little of it left",
            "Editor: Zhang Wei",
            "Latest news",
            "The news is good",
            "Share prices rose at home and abroad.",
            "See image.png for the plan.",
            "Settings > Privacy > Location",
            "1. Register online",
            "Register online.",
        ] {
            assert_eq!(
                classify(&v, line).filter(|s| *s != Shape::Widget { strong: false }),
                None,
                "{line}"
            );
        }
        // Menu words alone are a widget only in context (see `check`), never on their own.
        assert_eq!(classify(&v, "Latest news"), Some(Shape::Widget { strong: false }));
    }

    #[test]
    fn glued_words_split_at_a_new_capital() {
        assert_eq!(split_glued("HomeCompany"), ["Home", "Company"]);
        assert_eq!(split_glued("Comment(s)Print"), ["Comment(s)", "Print"]);
        assert_eq!(split_glued("iPhone"), ["iPhone"]);
        assert_eq!(split_glued("WeChat"), ["WeChat"]);
        assert_eq!(split_glued("NASA"), ["NASA"]);
    }
}
