//! Where the sentences of a paragraph end.
//!
//! A full stop, question or exclamation mark (or a run of them, with the closing quotes and
//! brackets after it) ends a sentence when a sentence start follows after a space. A full stop
//! after an abbreviation ends one only where the next word is one that starts sentences (the
//! heuristic Punkt learns from corpora, here given per language). CJK ends (。！？；) need no
//! space, and one glued to a Latin full stop (`.。`) still ends the sentence. List markers
//! (`1.`, `2.)`, `b)`, `• 9.`) start a sentence without ending one.
//!
//! The engine knows no language: abbreviations, sentence starters and ordinal cues come from
//! the `[pack.sentences]` tables of the shipped packs.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use super::{is_cjk, trim_span};
use crate::model::SentenceDef;
use crate::span::Span;

/// One language's sentence-splitting data, lowercased for lookup.
#[derive(Debug, Default)]
pub struct SentenceRules {
    titles: HashSet<String>,
    abbreviations: HashSet<String>,
    before_numbers: HashSet<String>,
    starters: HashSet<String>,
    before_ordinal: HashSet<String>,
    after_ordinal: HashSet<String>,
}

impl SentenceRules {
    /// Merges the tables of several packs.
    pub fn new<'a>(defs: impl IntoIterator<Item = &'a SentenceDef>) -> Self {
        let mut r = SentenceRules::default();
        let add = |set: &mut HashSet<String>, words: &[String]| {
            set.extend(words.iter().map(|w| normalise(w.trim().trim_end_matches('.'))));
        };
        for d in defs {
            add(&mut r.titles, &d.titles);
            add(&mut r.abbreviations, &d.abbreviations);
            add(&mut r.before_numbers, &d.before_numbers);
            add(&mut r.starters, &d.starters);
            add(&mut r.before_ordinal, &d.before_ordinal);
            add(&mut r.after_ordinal, &d.after_ordinal);
        }
        r
    }

    /// The shipped packs' data for `lang` (a primary language tag); empty for a language no
    /// shipped pack describes, where only the language-neutral rules apply.
    pub fn for_language(lang: &str) -> &'static SentenceRules {
        static BY_LANGUAGE: LazyLock<HashMap<&'static str, SentenceRules>> = LazyLock::new(|| {
            crate::packs::languages()
                .map(|lang| (lang, SentenceRules::new(&crate::packs::language_data(lang).sentences)))
                .collect()
        });
        static NONE: LazyLock<SentenceRules> = LazyLock::new(SentenceRules::default);
        BY_LANGUAGE.get(lang).unwrap_or(&NONE)
    }

    fn has(set: &HashSet<String>, word: &str) -> bool {
        !set.is_empty() && !word.is_empty() && set.contains(&normalise(word))
    }
}

/// Lowercased, with the typographic apostrophe as the ASCII one.
fn normalise(word: &str) -> String {
    word.to_lowercase().replace('’', "'")
}

fn is_cjk_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；')
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | ')' | ']' | '»' | '«' | '‹' | '›' | '」' | '』' | '）' | '“'
    )
}

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '«' | '„' | '(' | '[' | '¿' | '¡' | '「' | '『' | '（'
    )
}

fn is_sentence_start(c: char) -> bool {
    c.is_uppercase() || c.is_ascii_digit() || is_opening(c) || is_cjk(c)
}

/// Bullets that mark list items inside a paragraph.
fn is_bullet(c: char) -> bool {
    matches!(c, '•' | '⁃' | '▪' | '◦' | '‣' | '●' | '■')
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…') || is_cjk_end(c)
}

/// The word before a full stop at byte `dot` (back to the previous space or opening mark).
fn word_before(text: &str, from: usize, dot: usize) -> &str {
    let head = &text[from..dot];
    // Step over the delimiter by its own width: a no-break space or “ is more than one byte.
    let start = head
        .char_indices()
        .rfind(|&(_, c)| c.is_whitespace() || (is_opening(c) && c != '\''))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &head[start..]
}

/// The first word of `s` after any opening quotes or brackets: letters, with an elided
/// article's apostrophe kept (`l'`, `L’`).
fn first_word(s: &str) -> &str {
    let s = s.trim_start_matches(is_opening);
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if c.is_alphabetic() {
            end = i + c.len_utf8();
        } else if c == '\'' || c == '’' {
            return &s[..i + c.len_utf8()];
        } else {
            break;
        }
    }
    &s[..end]
}

/// How the word before a full stop bears on whether the sentence ends there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Before {
    /// An ordinary word or number: the full stop ends the sentence.
    Word,
    /// A title (`Dr.`): the sentence goes on.
    Title,
    /// An abbreviation, initial or initialism: the sentence ends only before a starter.
    Abbreviation,
    /// An abbreviation of a word before a number (`No.`): ends unless a number follows.
    Number,
}

fn classify(rules: &SentenceRules, word: &str) -> Before {
    let w = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    if w.is_empty() {
        return Before::Word;
    }
    if SentenceRules::has(&rules.titles, w) {
        return Before::Title;
    }
    if SentenceRules::has(&rules.before_numbers, w) {
        return Before::Number;
    }
    if SentenceRules::has(&rules.abbreviations, w) || is_initials(w) {
        return Before::Abbreviation;
    }
    Before::Word
}

/// An initial (`J`) or a dotted initialism (`U.S`, `e.g`, `p.m`, `Ph.D`): letters in groups of
/// one or two between full stops.
fn is_initials(w: &str) -> bool {
    let mut groups = 0;
    for part in w.split('.') {
        let letters = part.chars().count();
        if !(1..=2).contains(&letters) || !part.chars().all(char::is_alphabetic) {
            return false;
        }
        groups += 1;
    }
    groups == 1 && w.chars().count() == 1 || groups >= 2
}

/// True when `head` (the sentence so far, up to a full stop) ends with an ordinal: a number of
/// one to three digits after a word the language puts before ordinals, or before one it puts
/// after them (German `am 8. Oktober`, `die 12. Internationale Messe`).
fn is_ordinal(rules: &SentenceRules, head: &str, next: &str) -> bool {
    if rules.before_ordinal.is_empty() && rules.after_ordinal.is_empty() {
        return false;
    }
    let digits = head.bytes().rev().take_while(u8::is_ascii_digit).count();
    if !(1..=3).contains(&digits) {
        return false;
    }
    let before = &head[..head.len() - digits];
    if !before.is_empty() && !before.ends_with(char::is_whitespace) {
        return false;
    }
    let prev = before.split_whitespace().next_back().unwrap_or("");
    SentenceRules::has(&rules.before_ordinal, prev) || SentenceRules::has(&rules.after_ordinal, first_word(next))
}

/// A list marker: one to three digits or one letter, then `.`, `)` or `.)`; with the byte
/// length of the marker and its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Marker {
    value: MarkerValue,
    delimiter: &'static str,
    len: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MarkerValue {
    Number(u32),
    Letter(u8),
}

impl MarkerValue {
    fn next(self) -> Option<MarkerValue> {
        match self {
            MarkerValue::Number(n) => Some(MarkerValue::Number(n + 1)),
            MarkerValue::Letter(b'z' | b'Z') => None,
            MarkerValue::Letter(b) => Some(MarkerValue::Letter(b + 1)),
        }
    }

    fn write(self, out: &mut String) {
        match self {
            MarkerValue::Number(n) => out.push_str(&n.to_string()),
            MarkerValue::Letter(b) => out.push(char::from(b)),
        }
    }
}

/// The list marker `s` starts with, if a space or the end follows it.
fn marker_at(s: &str) -> Option<Marker> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let (value, rest) = match digits {
        1..=3 => (MarkerValue::Number(s[..digits].parse().ok()?), &s[digits..]),
        0 => {
            let b = *s.as_bytes().first()?;
            if !b.is_ascii_alphabetic() {
                return None;
            }
            (MarkerValue::Letter(b), &s[1..])
        }
        _ => return None,
    };
    let delimiter = [".)", ")", "."].into_iter().find(|d| rest.starts_with(d))?;
    let len = s.len() - rest.len() + delimiter.len();
    let followed = s[len..].chars().next().is_none_or(char::is_whitespace);
    followed.then_some(Marker { value, delimiter, len })
}

/// Where a paragraph that is a run-in list (`1.) one 2.) two`, `a. one b. two`,
/// `• one • two`) is cut: before each item after the first, in order.
fn list_cuts(p: &str) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut head = p.trim_start();
    let lead = p.len() - head.len();
    let bullet = head.chars().next().filter(|&c| is_bullet(c));
    if let Some(b) = bullet {
        head = head[b.len_utf8()..].trim_start();
    }
    let first = marker_at(head).filter(|m| match m.value {
        MarkerValue::Letter(b) => matches!(b, b'a' | b'A'),
        MarkerValue::Number(_) => true,
    });
    match (bullet, first) {
        (_, Some(m)) => {
            let mut value = m.value;
            let mut from = lead;
            let mut token = String::new();
            while let Some(next) = value.next() {
                token.clear();
                next.write(&mut token);
                token.push_str(m.delimiter);
                let Some(at) = find_item(p, from, &token, bullet) else {
                    break;
                };
                cuts.push(at);
                from = at + p[at..].chars().next().map_or(1, char::len_utf8);
                value = next;
            }
        }
        (Some(b), None) => {
            for (i, c) in p.char_indices().skip(1) {
                if c == b
                    && p[..i].ends_with(char::is_whitespace)
                    && p[i + c.len_utf8()..].starts_with(char::is_whitespace)
                {
                    cuts.push(i);
                }
            }
        }
        (None, None) => {}
    }
    cuts
}

/// The offset where the item marked `token` starts after `from`: the marker (or the bullet
/// before it) after a space, with a space after it.
fn find_item(p: &str, from: usize, token: &str, bullet: Option<char>) -> Option<usize> {
    let mut search = from;
    while let Some(i) = p[search..].find(token).map(|i| search + i) {
        search = i + 1;
        if marker_at(&p[i..]).is_none_or(|m| m.len != token.len()) {
            continue;
        }
        let before = p[..i].trim_end();
        let item = match bullet {
            Some(b) => before.strip_suffix(b).map(|_| before.len() - b.len_utf8()),
            None => (before.len() < i).then_some(i),
        };
        if let Some(at) = item {
            if at > from && p[..at].ends_with(char::is_whitespace) {
                return Some(at);
            }
        }
    }
    None
}

/// True when the sentence so far is a list marker alone (`1`, `• 9`, `b`).
fn is_marker_head(head: &str) -> bool {
    let h = head.trim();
    let h = h.strip_prefix(is_bullet).unwrap_or(h).trim_start();
    !h.is_empty()
        && (h.len() <= 3 && h.bytes().all(|b| b.is_ascii_digit())
            || h.len() == 1 && h.as_bytes()[0].is_ascii_alphabetic())
}

/// How many full stops the spaced ellipsis (`. . .`) ending at the full stop at `dot` has.
fn spaced_dots(p: &str, dot: usize) -> usize {
    let mut n = 1;
    let mut at = dot;
    while at >= 2 && p.as_bytes()[at - 2..at] == *b". " {
        n += 1;
        at -= 2;
    }
    n
}

/// Where the sentence-ending characters of a paragraph are, found with `memchr`: the ASCII
/// ones (. ! ?) and the others (… 。 ！ ？ ；), whose first bytes are E2, E3 or EF. The next
/// of each kind is kept, so each part of the text is searched once.
struct Terminals<'a> {
    text: &'a str,
    ascii: Option<usize>,
    other: Option<usize>,
}

impl<'a> Terminals<'a> {
    fn new(text: &'a str) -> Self {
        Terminals {
            text,
            ascii: Self::find_ascii(text, 0),
            other: Self::find_other(text, 0),
        }
    }

    /// The offset of the first terminal character at `from` or later.
    fn next(&mut self, from: usize) -> Option<usize> {
        if self.ascii.is_some_and(|i| i < from) {
            self.ascii = Self::find_ascii(self.text, from);
        }
        if self.other.is_some_and(|i| i < from) {
            self.other = Self::find_other(self.text, from);
        }
        match (self.ascii, self.other) {
            (Some(a), Some(o)) => Some(a.min(o)),
            (a, o) => a.or(o),
        }
    }

    fn find_ascii(text: &str, from: usize) -> Option<usize> {
        memchr::memchr3(b'.', b'!', b'?', &text.as_bytes()[from..]).map(|i| from + i)
    }

    fn find_other(text: &str, from: usize) -> Option<usize> {
        let mut at = from;
        while let Some(i) = memchr::memchr3(0xe2, 0xe3, 0xef, &text.as_bytes()[at..]) {
            let i = at + i;
            if text[i..].chars().next().is_some_and(is_terminal) {
                return Some(i);
            }
            at = i + 1;
        }
        None
    }
}

/// Splits a paragraph into sentences with the sentence data of a language.
pub fn sentences(text: &str, para: Span, rules: &SentenceRules) -> Vec<Span> {
    let mut out = Vec::new();
    let p = para.text(text);
    let mut start = 0usize;
    let lists = list_cuts(p);
    let mut lists = lists.iter().copied().peekable();
    let mut terminals = Terminals::new(p);
    let mut pos = 0;
    while let Some(i) = terminals.next(pos) {
        while let Some(cut) = lists.next_if(|&c| c <= i) {
            push_trimmed(&mut out, text, para.start, start, cut);
            start = cut;
        }
        let c = p[i..].chars().next().unwrap_or('.');
        // Take the rest of a run of terminators and closing quotes or brackets.
        let mut end = i + c.len_utf8();
        let mut cjk = is_cjk_end(c);
        let mut chars = p[end..].chars().peekable();
        while let Some(d) = chars.next() {
            if is_terminal(d) || is_closing(d) {
                cjk |= is_cjk_end(d);
                end += d.len_utf8();
            } else if d.is_whitespace() && chars.peek().is_some_and(|&g| matches!(g, '»' | '›')) {
                // A French closing guillemet stands after a (no-break) space.
                end += d.len_utf8();
            } else {
                break;
            }
        }
        end += footnotes(&p[end..]);
        pos = end;
        if cjk || ends_here(p, start, i, end, c, rules) {
            push_trimmed(&mut out, text, para.start, start, end);
            start = end;
        }
    }
    for cut in lists {
        push_trimmed(&mut out, text, para.start, start, cut);
        start = cut;
    }
    push_trimmed(&mut out, text, para.start, start, p.len());
    out
}

/// The length of the footnote marks (`[1]`, `[12][13]`) at the start of `s`.
fn footnotes(s: &str) -> usize {
    let mut len = 0;
    while let Some(rest) = s[len..].strip_prefix('[') {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=3).contains(&digits) || rest.as_bytes().get(digits) != Some(&b']') {
            break;
        }
        len += digits + 2;
    }
    len
}

/// Whether the run of terminators and closing marks `p[i..end]`, whose first is `c`, ends the
/// sentence that began at `start`.
fn ends_here(p: &str, start: usize, i: usize, end: usize, c: char, rules: &SentenceRules) -> bool {
    let rest = &p[end..];
    // Markdown emphasis or code around the next sentence's first word (`*Signed* and …`).
    let after = rest.trim_start().trim_start_matches(['*', '_', '`']);
    let Some(n) = after.chars().next() else {
        return true;
    };
    if after.len() == rest.len() {
        return glued_end(p, start, i, end, c, rules);
    }
    if !is_sentence_start(n) {
        return false;
    }
    // A mark after a closing bracket or quote ends the sentence whatever came before
    // (`(cookies, etc.). Then`).
    if c != '.' || p[i + 1..end].contains(['.', '!', '?']) {
        return true;
    }
    if end == i + 1 && spaced_dots(p, i) == 3 {
        // `. . .` leaves words out inside a sentence; a fourth full stop ends it.
        return false;
    }
    let head = &p[start..i];
    if is_marker_head(head) || is_ordinal(rules, head, after) {
        return false;
    }
    let starter = || SentenceRules::has(&rules.starters, first_word(after));
    match classify(rules, word_before(p, start, i)) {
        Before::Word => true,
        Before::Title => false,
        Before::Number => !n.is_ascii_digit() && (starter() || !n.is_uppercase()),
        Before::Abbreviation => !n.is_ascii_digit() && starter(),
    }
}

/// A full stop, question or exclamation mark with no space before the next sentence, as
/// machine translation leaves them (`abroad.Just like`): it ends the sentence when one mark
/// stands between a word of two letters or more and a capitalised word.
fn glued_end(p: &str, start: usize, i: usize, end: usize, c: char, rules: &SentenceRules) -> bool {
    if end != i + c.len_utf8() || !matches!(c, '.' | '!' | '?') {
        return false;
    }
    let mut next = p[end..].chars();
    let (Some(a), Some(b)) = (next.next(), next.next()) else {
        return false;
    };
    if !(a.is_uppercase() && b.is_lowercase()) {
        return false;
    }
    // The letters before the mark, which must not belong to an address or a file name.
    let head = &p[start..i];
    let letters = head.chars().rev().take_while(|c| c.is_alphabetic()).count();
    let word_at = head
        .char_indices()
        .rev()
        .nth(letters.saturating_sub(1))
        .map_or(0, |(k, _)| k);
    let word = &head[word_at..];
    let joined = head[..word_at]
        .chars()
        .next_back()
        .is_some_and(|c| matches!(c, '.' | '@' | '/' | '\\' | '_'));
    letters >= 2
        && !joined
        && word.chars().last().is_some_and(char::is_lowercase)
        && classify(rules, word) == Before::Word
}

fn push_trimmed(out: &mut Vec<Span>, text: &str, base: usize, start: usize, end: usize) {
    let span = trim_span(text, Span::new(base + start, base + end));
    if !span.is_empty() {
        out.push(span);
    }
}
