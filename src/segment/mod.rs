//! Paragraphs and sentences: the units quote balance and sentence length are judged in.

use crate::span::Span;

/// Abbreviations whose final full stop does not end a sentence (compared lowercased, without
/// the final dot). Titles and initialisms that are usually followed by a capitalised name.
const ABBREVIATIONS: &[&str] = &[
    "dr", "mr", "mrs", "ms", "prof", "st", "no", "nos", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n", "inc", "ltd",
    "co", "corp", "jr", "sr", "gen", "gov", "sen", "rep", "rev", "fig", "figs", "vol", "pp", "p", "ca", "approx",
    "dept", "est", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "a.m", "p.m",
    "mt", "ft", "hon", "messrs", "mme", "mlle", "nr", "bzw", "z.b", "d.h", "u.a", "s",
];

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// True when a line starts a list item (`1. `, `2, `, `3) `, `- `, `• `, `一、`).
pub fn is_list_item(line: &str) -> bool {
    let t = line.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &t[digits..];
        return rest.starts_with(". ") || rest.starts_with(", ") || rest.starts_with(") ") || rest.starts_with('、');
    }
    t.starts_with("- ") || t.starts_with("* ") || t.starts_with("• ")
}

/// Splits `text[body..]` into paragraphs. A blank line always ends one. A line also ends one,
/// unless the document is hard-wrapped (no line longer than 100 characters): machine
/// translations put each paragraph on one line, hand-edited drafts wrap them.
pub fn paragraphs(text: &str, body: usize) -> Vec<Span> {
    let lines: Vec<Span> = line_spans(text, body).collect();
    let wrapped = lines.len() >= 3 && lines.iter().all(|l| l.text(text).chars().count() <= 100);
    let mut out = Vec::new();
    let mut current: Option<Span> = None;
    for line in lines {
        let s = line.text(text);
        if is_blank(s) {
            out.extend(current.take());
            continue;
        }
        let trimmed = trim_span(text, line);
        match current {
            Some(cur) if wrapped && !is_list_item(s) => current = Some(Span::new(cur.start, trimmed.end)),
            _ => {
                out.extend(current.take());
                current = Some(trimmed);
            }
        }
    }
    out.extend(current);
    out
}

/// Lines of `text[body..]` without their terminators.
pub fn line_spans(text: &str, body: usize) -> impl Iterator<Item = Span> + '_ {
    let mut pos = body;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let end = memchr::memchr(b'\n', &text.as_bytes()[pos..]).map_or(text.len(), |i| pos + i);
        pos = end + 1;
        let content_end = if end > start && text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        Some(Span::new(start, content_end))
    })
}

fn trim_span(text: &str, span: Span) -> Span {
    let s = span.text(text);
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead == s.len() {
        return Span::empty(span.start);
    }
    Span::new(span.start + lead, span.end - trail)
}

fn is_cjk_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；')
}

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»' | '」' | '』' | '）' | '“')
}

fn is_sentence_start(c: char) -> bool {
    c.is_uppercase()
        || c.is_ascii_digit()
        || matches!(c, '"' | '\'' | '“' | '‘' | '«' | '„' | '(' | '[' | '¿' | '¡')
        || is_cjk(c)
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF | 0x20000..=0x2FFFF)
}

/// The word before a full stop at byte `dot` (back to the previous space).
fn word_before(text: &str, from: usize, dot: usize) -> &str {
    let head = &text[from..dot];
    let start = head
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .map_or(0, |i| i + head[i..].chars().next().map_or(1, char::len_utf8));
    &head[start..]
}

fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    if w.is_empty() {
        return false;
    }
    // A single letter is an initial ("J. Smith").
    let mut chars = w.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_alphabetic();
    }
    let lower = w.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// Splits a paragraph into sentences. Copes with abbreviations (Dr., U.S.), decimals,
/// closing quotes after the full stop, and CJK sentence ends (which need no space).
pub fn sentences(text: &str, para: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let p = para.text(text);
    let mut start = 0usize;
    let mut iter = p.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let terminal = matches!(c, '.' | '!' | '?' | '…') || is_cjk_end(c);
        if !terminal {
            continue;
        }
        // Take the rest of a run of terminators and closing quotes or brackets.
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = iter.peek() {
            if matches!(d, '.' | '!' | '?' | '…') || is_cjk_end(d) || is_closing(d) {
                end = j + d.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        let rest = &p[end..];
        let split = if is_cjk_end(c) {
            true
        } else {
            let after = rest.trim_start();
            let spaced = after.len() < rest.len();
            match after.chars().next() {
                None => true,
                Some(n) if spaced && is_sentence_start(n) => !(c == '.' && is_abbreviation(word_before(p, start, i))),
                _ => false,
            }
        };
        if split {
            push_trimmed(&mut out, text, para.start, start, end);
            start = end;
        }
    }
    push_trimmed(&mut out, text, para.start, start, p.len());
    out
}

fn push_trimmed(out: &mut Vec<Span>, text: &str, base: usize, start: usize, end: usize) {
    let span = trim_span(text, Span::new(base + start, base + end));
    if !span.is_empty() {
        out.push(span);
    }
}

/// Counts words: runs of non-space characters holding a letter or digit; each CJK character
/// counts as one word.
pub fn count_words(s: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    let mut word_has_alnum = false;
    for c in s.chars() {
        if is_cjk(c) {
            if in_word && word_has_alnum {
                count += 1;
            }
            in_word = false;
            word_has_alnum = false;
            count += 1;
        } else if c.is_whitespace() {
            if in_word && word_has_alnum {
                count += 1;
            }
            in_word = false;
            word_has_alnum = false;
        } else {
            in_word = true;
            word_has_alnum |= c.is_alphanumeric();
        }
    }
    if in_word && word_has_alnum {
        count += 1;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<&str> {
        sentences(s, Span::new(0, s.len()))
            .into_iter()
            .map(|sp| sp.text(s))
            .collect()
    }

    #[test]
    fn abbreviations_and_decimals_do_not_end_sentences() {
        assert_eq!(
            split("Dr. Chen met officials from the U.S. and the EU. Output rose 3.5 percent. Next year?"),
            vec![
                "Dr. Chen met officials from the U.S. and the EU.",
                "Output rose 3.5 percent.",
                "Next year?"
            ]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            split("\"We are ready.\" Wu says. It works."),
            vec!["\"We are ready.\"", "Wu says.", "It works."]
        );
    }

    #[test]
    fn cjk_sentence_ends_need_no_space() {
        assert_eq!(
            split("今年增长。我们招聘了人员！好吗？"),
            vec!["今年增长。", "我们招聘了人员！", "好吗？"]
        );
    }

    #[test]
    fn paragraphs_are_lines_unless_wrapped() {
        let long = "a ".repeat(60);
        let text = format!("{long}\n{long}\n\n{long}");
        assert_eq!(paragraphs(&text, 0).len(), 3);
        let wrapped = "One line of a wrapped\nparagraph goes on here.\n\n1. item\n2. item";
        let paras: Vec<_> = paragraphs(wrapped, 0).into_iter().map(|s| s.text(wrapped)).collect();
        assert_eq!(
            paras,
            vec!["One line of a wrapped\nparagraph goes on here.", "1. item", "2. item"]
        );
    }

    #[test]
    fn word_counts() {
        assert_eq!(count_words("R & D centre, 3.5 percent"), 5);
        assert_eq!(count_words("今年 Rust 语言"), 5);
    }
}
