//! Names of several words capitalised two ways in one document, for `distinctive-case`:
//! - a name the document writes in title case (`Children's Future Learning Carnival`) written
//!   elsewhere with a lower-case word before a capitalised one (`children's future learning
//!   Carnival`, `Consumables and vulnerable Parts`);
//! - two capitalised words (`Meteor Shower`) after a lower-case word, which the document writes
//!   in lower case at least three times as often (`meteor shower`).

use super::super::{RuleIdx, Sink};
use super::by_shape::Capitals;
use super::in_sentence::{entry_hash, in_title_line, word_before};
use crate::document::Document;
use crate::packs::LanguageData;
use crate::span::Span;

/// Maps keyed by phrases in lower case: a fast hash.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// At most this many names of three words or more are compared per document: each is looked
/// for in the whole text, and prose has few of them.
const MAX_PHRASES: usize = 64;

/// At most this many pairs of capitalised words are compared per document (each is looked for
/// in the whole text): the first ones met.
const MAX_PAIRS: usize = 16;

/// How a word of a phrase is written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Case {
    /// `Carnival`, `Children's`.
    Capital,
    /// `carnival`, `of`.
    Lower,
    /// Anything else: `LED`, `iPhone`, digits.
    Other,
}

/// A word as the phrase checks read it: ASCII letters with an optional `'s` or `’s`.
#[derive(Clone, Copy, Debug)]
struct Token {
    span: Span,
    case: Case,
}

/// The words of `line`, in order (see [`token_at`]).
#[cfg(test)]
fn tokens(text: &str, line: Span, out: &mut Vec<Token>) {
    out.clear();
    let b = text.as_bytes();
    let mut i = line.start;
    while i < line.end {
        if !b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let t = token_at(text, i);
        i = t.span.end;
        out.push(t);
    }
}

/// The word starting at `start` (an ASCII letter): a word glued to a digit, a letter of
/// another script or code characters is `Case::Other`.
fn token_at(text: &str, start: usize) -> Token {
    let b = text.as_bytes();
    // The word's case is read as its letters are: a capital after its first letter makes it
    // `Case::Other`.
    let mut i = start + 1;
    let mut inner_capital = false;
    while i < b.len() && b[i].is_ascii_alphabetic() {
        inner_capital |= b[i].is_ascii_uppercase();
        i += 1;
    }
    if b[i..].starts_with(b"'s") {
        i += 2;
    } else if b[i..].starts_with("’s".as_bytes()) {
        i += 4;
    }
    let glued = |c: u8| c.is_ascii_alphanumeric() || !c.is_ascii() || matches!(c, b'_' | b'-' | b'/' | b'@' | b'.');
    let before = start.checked_sub(1).map(|k| b[k]);
    let after = b.get(i).copied();
    // A full stop after a word ends it unless more of a name follows (`Node.js`).
    let dot_glued = after == Some(b'.') && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric);
    let case =
        if before.is_some_and(glued) || after.is_some_and(|c| c != b'.' && glued(c)) || dot_glued || inner_capital {
            Case::Other
        } else if b[start].is_ascii_uppercase() {
            Case::Capital
        } else {
            Case::Lower
        };
    Token {
        span: Span::new(start, i),
        case,
    }
}

/// The run of words from the capitalised word at `start`: capitalised words and minor words
/// one space apart, in `out`.
fn run_at(text: &str, start: usize, language: &LanguageData, out: &mut Vec<Token>) {
    out.clear();
    let b = text.as_bytes();
    let mut t = token_at(text, start);
    loop {
        let minor = t.case == Case::Lower && minor_word(language, t.span.text(text));
        if t.case != Case::Capital && !minor {
            break;
        }
        out.push(t);
        let next = t.span.end + 1;
        if b.get(t.span.end) != Some(&b' ') || !b.get(next).is_some_and(u8::is_ascii_alphabetic) {
            break;
        }
        t = token_at(text, next);
    }
}

// Not inlined into the kind's `check`, so that a profile shows each sub-check apart.
#[inline(never)]
pub fn phrase_case(doc: &Document, capitals: &Capitals, rule: RuleIdx, sink: &mut Sink<'_>) {
    let text = &doc.text;
    let language = crate::packs::language_data(&doc.language);
    // Names in title case of three major words or more: lower-case key → the form.
    let mut titles: HashMap<String, Span> = HashMap::default();
    // Two capitalised words after a lower-case word: lower-case key → their spans.
    let mut pairs: HashMap<String, Vec<Span>> = HashMap::default();
    // The capitalised words seen right after a lower-case major word: looked up only when
    // there are titles to compare, which few documents have.
    let mut tails: Vec<Span> = Vec::new();
    let mut run_buf = Vec::new();
    let mut key = String::new();
    let b = text.as_bytes();
    // Whether the line starting at an offset is a heading or a title, for the last line asked.
    let mut title_line: Option<(usize, bool)> = None;
    // Runs start at a capital after a space or a line break (capitals are rarer than spaces,
    // so those are looked for); the bytes of a run read already are not read again.
    let starts = capitals
        .ascii(text)
        .filter(|&i| i == 0 || matches!(b[i - 1], b' ' | b'\n'));
    // The start of the line of the last run read, and how far the text was searched for it.
    let (mut done, mut line_start, mut searched) = (0, 0, 0);
    for start in starts {
        if start < done {
            continue;
        }
        run_at(text, start, language, &mut run_buf);
        if run_buf.is_empty() {
            continue;
        }
        // A capitalised word after a lower-case major word (`learning Carnival`): where a
        // spelling of a name with a lower-case word before a capitalised one may end.
        let before_start = word_before(text, start);
        if let (Some(t), Some((before, " "))) = (run_buf.first(), before_start) {
            if !language.is_minor(before) {
                tails.push(t.span);
            }
        }
        let mut run = &run_buf[..];
        // A run ends on a major word, and starts on one (`The Spring Fair` at a sentence start).
        while run.len() > 1 && run[run.len() - 1].case != Case::Capital {
            run = &run[..run.len() - 1];
        }
        let Some(last) = run.last() else {
            continue;
        };
        done = last.span.end;
        while run.len() > 1 && run[0].case == Case::Capital && minor_word(language, run[0].span.text(text)) {
            run = &run[1..];
        }
        if run.len() < 2 {
            continue;
        }
        // The run, and its parts between minor words: a minor word may join two names
        // (`Night Market on Friday`) as well as belong to one (`Chamber of Commerce`).
        let parts = || std::iter::once(run).chain(run.split(|t| t.case != Case::Capital));
        let majors = |part: &[Token]| part.iter().filter(|t| t.case == Case::Capital).count();
        let before_run = if run[0].span.start == start {
            before_start
        } else {
            word_before(text, run[0].span.start)
        };
        let after_lower = before_run.is_some_and(|(_, gap)| gap == " ");
        let both = |w: &[Token]| w.iter().all(|t| t.case == Case::Capital && t.span.len() >= 3);
        // Most runs hold neither a title nor a pair: their line is not read.
        let may_title = titles.len() < MAX_PHRASES && parts().any(|part| majors(part) >= 3);
        let may_pair = after_lower && run.windows(2).any(both);
        if !may_title && !may_pair {
            continue;
        }
        if let Some(i) = memchr::memrchr(b'\n', &b[searched..start]) {
            line_start = searched + i + 1;
        }
        searched = start;
        let is_title = match title_line {
            Some((at, t)) if at == line_start => t,
            _ => {
                let t = in_title_line(text, line_start);
                title_line = Some((line_start, t));
                t
            }
        };
        if is_title {
            continue;
        }
        for part in parts() {
            if majors(part) >= 3 && titles.len() < MAX_PHRASES {
                let span = Span::new(part[0].span.start, part[part.len() - 1].span.end);
                lower_key(&mut key, span.text(text));
                if !titles.contains_key(key.as_str()) {
                    titles.insert(key.clone(), span);
                }
            }
        }
        if !after_lower {
            continue;
        }
        for w in run.windows(2) {
            if !both(w) {
                continue;
            }
            let span = Span::new(w[0].span.start, w[1].span.end);
            lower_key(&mut key, span.text(text));
            let room = pairs.len() < MAX_PAIRS;
            match pairs.get_mut(key.as_str()) {
                Some(spans) => spans.push(span),
                None if room => {
                    pairs.insert(key.clone(), vec![span]);
                }
                None => {}
            }
        }
    }
    // Only a title with a major word after its first that the text writes after a lower-case
    // major word can have been written with a lower-case word before a capitalised one.
    if !titles.is_empty() {
        let tails: std::collections::HashSet<u64, foldhash::fast::FixedState> = tails
            .iter()
            .map(|t| {
                lower_key(&mut key, t.text(text));
                entry_hash(&key)
            })
            .collect();
        titles.retain(|key, _| {
            key.split(' ')
                .skip(1)
                .any(|w| !language.is_minor(w) && tails.contains(&entry_hash(w)))
        });
    }
    compare(doc, language, &titles, &pairs, rule, sink);
}

/// Writes `phrase` in lower case into `key` (a buffer kept across phrases).
fn lower_key(key: &mut String, phrase: &str) {
    key.clear();
    key.push_str(phrase);
    key.make_ascii_lowercase();
}

/// True when `word` is one of the language's minor words (`of`, `The`), whatever its case;
/// minor words are short, so a longer word is not looked up.
fn minor_word(language: &LanguageData, word: &str) -> bool {
    if word.len() <= 8 && !word.bytes().any(|b| b.is_ascii_uppercase()) {
        // In lower case already, as the words after a name's first mostly are.
        return language.is_minor(word);
    }
    let mut buf = [0u8; 8];
    let Some(lower) = buf.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower).is_ok_and(|l| language.is_minor(l))
}

/// True when the text around `at..end` does not continue the word: no ASCII letter beside it.
fn alone(b: &[u8], at: usize, end: usize) -> bool {
    (at == 0 || !b[at - 1].is_ascii_alphabetic()) && !b.get(end).is_some_and(u8::is_ascii_alphabetic)
}

/// True when `span` is prose: no code, markup or protected span (path, URL) touches it.
fn in_prose(doc: &Document, span: Span) -> bool {
    let protected = doc.protected();
    let i = protected.partition_point(|p| p.end <= span.start);
    !doc.blocks_finding(span) && protected.get(i).is_none_or(|p| p.start >= span.end)
}

/// Looks for every title-case name and capitalised pair in the whole text, then reports:
/// - each title-case name written elsewhere with a lower-case major word before a capitalised
///   one, when the title-case form is written at least as often;
/// - each pair of capitalised words whose lower-case form the document writes in prose at
///   least three times, and three times as often.
fn compare(
    doc: &Document,
    language: &LanguageData,
    titles: &HashMap<String, Span>,
    pairs: &HashMap<String, Vec<Span>>,
    rule: RuleIdx,
    sink: &mut Sink<'_>,
) {
    if titles.is_empty() && pairs.is_empty() {
        return;
    }
    let text = &doc.text;
    let b = text.as_bytes();
    // Titles: looked for case-blind in a lower-case copy of the text (ASCII case changes keep
    // the offsets).
    let lowered = if titles.is_empty() {
        String::new()
    } else {
        text.to_ascii_lowercase()
    };
    for (key, first) in titles {
        let right = first.text(text);
        let (mut usual, mut mixed) = (0, Vec::new());
        for at in memchr::memmem::find_iter(lowered.as_bytes(), key.as_bytes()) {
            let end = at + key.len();
            if !alone(b, at, end) {
                continue;
            }
            let found = &text[at..end];
            if found == right {
                usual += 1;
            } else if lower_before_capital(language, found, right) {
                mixed.push(Span::new(at, end));
            }
        }
        if !mixed.is_empty() && usual >= mixed.len() {
            for span in mixed {
                super::by_shape::written_elsewhere(rule, span, right, sink);
            }
        }
    }
    for (key, spans) in pairs {
        // Code (`docker compose up`) and paths show a command's or a file's name, not how the
        // prose writes the name.
        let lower = memchr::memmem::find_iter(b, key.as_bytes())
            .filter(|&at| alone(b, at, at + key.len()) && in_prose(doc, Span::new(at, at + key.len())))
            .count();
        if lower >= 3 && lower >= 3 * spans.len() {
            for &span in spans {
                super::by_shape::written_elsewhere(rule, span, key, sink);
            }
        }
    }
}

/// True when `found`, the letters of `right` in other capitals, has a major word in lower case
/// that `right` capitalises, before a major word it capitalises as `right` does
/// (`Consumables and vulnerable Parts`).
fn lower_before_capital(language: &LanguageData, found: &str, right: &str) -> bool {
    let mut lowered = false;
    for (f, r) in found.split(' ').zip(right.split(' ')) {
        if language.is_minor(&r.to_ascii_lowercase()) {
            continue;
        }
        let f_capital = f.as_bytes()[0].is_ascii_uppercase();
        if !f_capital {
            lowered = true;
        } else if lowered {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_cases() {
        let text = "the Children's Fair, LED x2 Node.js iPhone of";
        let mut out = Vec::new();
        tokens(text, Span::new(0, text.len()), &mut out);
        let cases: Vec<(&str, Case)> = out.iter().map(|t| (t.span.text(text), t.case)).collect();
        assert_eq!(
            cases,
            [
                ("the", Case::Lower),
                ("Children's", Case::Capital),
                ("Fair", Case::Capital),
                ("LED", Case::Other),
                ("x", Case::Other),
                ("Node", Case::Other),
                ("js", Case::Other),
                ("iPhone", Case::Other),
                ("of", Case::Lower),
            ]
        );
    }
}
