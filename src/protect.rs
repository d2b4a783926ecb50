//! Protected spans: the parts of a text that are not prose and that no prose check may flag or
//! edit — URLs, e-mail addresses, file paths, placeholders of printf, ICU, Python and template
//! languages, markup tags, hexadecimal numbers, MAC and IP addresses, clock times, version
//! numbers, dotted code identifiers and emoticons.
//!
//! A span here is found by its shape alone, in any language, so the same text is protected in
//! a plain-text draft, a Markdown file and a bilingual target. Kinds that are *about* such
//! spans (invisible characters, bilingual placeholders) look inside them all the same: see
//! `CheckKind::sees_protected`.

use std::sync::LazyLock;

use regex::Regex;

use crate::segment::blocks;
use crate::span::Span;

/// One regular expression, an alternative per class. Each alternative is written so that a
/// match is the whole protected token and nothing of the prose around it.
static PROTECTED: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives = [
        // URLs with a scheme, and bare `www.` hosts. The path runs to white space or to a
        // character that cannot end a URL in running text; trailing punctuation is trimmed in
        // `trim_url`.
        r"(?i:(?-u:\b)(?:https?|ftps?|file|sftp|ssh|git|wss?)://|(?-u:\b)www\.)[^\s<>\x22\x27`，。；：！？、）】」』《》“”‘’]+",
        r"(?i:(?-u:\b)mailto:)[^\s<>\x22\x27]+",
        // E-mail addresses.
        r"(?-u:\b)[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?-u:\b)",
        // Paths: Windows drives, `./`, `../`, `~/`, and absolute Unix paths of two or more parts.
        r"(?-u:\b)[A-Za-z]:\\[^\s<>\x22|?*]+",
        r"(?:^|[\s(\[\x22\x27])(?:~|\.{1,2})?/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+/?",
        r"(?:\.{1,2}|~)/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]*)*",
        // Template and placeholder syntax: `{{…}}`, `{%…%}`, `${…}`, `$(…)`, `{0}`, `{name}`,
        // ICU `{count, plural, …}` (one level of nesting), `%(name)s`.
        r"\{\{[^\n]*?\}\}",
        r"\{%[^\n]*?%\}",
        r"\$\{[^{}\n]*(?:\{[^{}\n]*\}[^{}\n]*)*\}",
        r"\$\([A-Za-z_][A-Za-z0-9_]*\)",
        r"\{[A-Za-z_0-9][A-Za-z0-9_.]*(?:,[^{}\n]*(?:\{[^{}\n]*\}[^{}\n]*)*)?\}",
        r"%\([A-Za-z_][A-Za-z0-9_]*\)[-+ #0]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]",
        // printf conversions: `%s`, `%d`, `%1$d`, `%-5.2f`, `%lld`, `%@`. A space is not a
        // flag here, so "50% of" stays prose.
        r"%(?:\d+\$)?[-+#0]*\d*(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t|q)?[diouxXeEfFgGaAcspn@](?-u:\b)",
        // Markup tags (`<br>`, `<a href="…">`, `</b>`, `<!-- … -->` on one line).
        r"<!--[^\n]*?-->",
        r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>\n]*)?/?>",
        // MAC addresses, IPv4 addresses with an optional prefix length and port, IPv6 with `::`.
        r"(?-u:\b)[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}(?-u:\b)",
        r"(?-u:\b)\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?(?::\d{1,5})?(?-u:\b)",
        r"(?-u:\b)[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?(?:/\d{1,3})?",
        // Hexadecimal numbers and CSS colours.
        r"(?-u:\b)0[xX][0-9A-Fa-f]+(?-u:\b)",
        r"#[0-9A-Fa-f]{6}(?-u:\b)|#[0-9A-Fa-f]{3}(?-u:\b)",
        // Clock times (`9:30`, `19:00:00`, `07:28:00`), ratios and scores written the same way.
        r"(?-u:\b)\d{1,2}:\d{2}(?::\d{2})?(?-u:\b)",
        // Version numbers with two or more dots (`1.2.3`, `v2.0.1`).
        r"(?-u:\b)[vV]?\d+(?:\.\d+){2,}(?-u:\b)",
        // Dotted code identifiers with a camel-case part or a call (`Intl.NumberFormat`,
        // `console.log()`, `String.raw`).
        r"(?-u:\b)[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*\.[a-z_$][A-Za-z0-9_$]*\(\)",
        r"(?-u:\b)[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*\.[A-Za-z][a-z0-9]+[A-Z][A-Za-z0-9_$]*",
        r"(?-u:\b)[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*\.[A-Za-z_$][A-Za-z0-9_$]*",
        // Paths of Rust, C++ and PHP (`io::stdout`, `std::fs::File`, `Vec::new()`): a part
        // after the first `::` in lower case, so that `Meeting::Foreign` stays prose.
        r"(?-u:\b)[A-Za-z_][A-Za-z0-9_]*::[a-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*(?:\(\))?",
        // Emoticons, standing alone between spaces or at the ends of a line.
        // The character after one is checked in `protected_spans` (no look-ahead here).
        r"(?:^|[\s(])(?:[:;=8][-o^']?[)(\]\[DPpO/\\|3*]|\^_*\^|[-T>]_[-T<]|<3)",
    ];
    regex::RegexBuilder::new(&format!("(?m){}", alternatives.join("|")))
        .dfa_size_limit(32 << 20)
        .build()
        .expect("protected-span pattern")
});

/// Bytes one of which every protected span contains; text without them has none.
fn may_hold_protected(text: &str) -> bool {
    text.bytes().any(|b| {
        matches!(
            b,
            b':' | b'/' | b'@' | b'%' | b'{' | b'$' | b'<' | b'\\' | b'#' | b'.' | b'^' | b'_'
        )
    })
}

/// Protected spans of `text[from..]`, sorted and non-overlapping, in file offsets.
///
/// No match of [`PROTECTED`] holds more of a line than the break before it (the white space
/// some alternatives start with, trimmed off), so the pattern runs only on the lines
/// [`marks_match`] lets through, each with the break before it: about a fifth of a
/// document's bytes in prose. The matches are the same as in the whole text.
pub fn protected_spans(text: &str, from: usize) -> Vec<Span> {
    let hay = &text[from..];
    if !may_hold_protected(hay) {
        return Vec::new();
    }
    let mut spans: Vec<Span> = Vec::new();
    let b = hay.as_bytes();
    // The start of the line being read, and where the next block of it starts.
    let (mut line, mut at) = (0, 0);
    'blocks: while at < b.len() {
        // The bytes that may start a protected span's mark, and line breaks, found 64 at a
        // time: most blocks of prose hold a few full stops and nothing else.
        let mut m = blocks::mask_from(b, at, is_candidate);
        while m != 0 {
            let i = at + m.trailing_zeros() as usize;
            m &= m - 1;
            if b[i] == b'\n' {
                line = i + 1;
            } else if marks_match(b, i) {
                let end = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |k| i + k);
                protected_in_line(hay, line.saturating_sub(1)..end, from, &mut spans);
                (line, at) = (end + 1, end + 1);
                continue 'blocks;
            }
        }
        at += blocks::BLOCK;
    }
    spans
}

/// The bytes [`marks_match`] looks at, and the line break: `#$%`, `-./0`, `8`, `:;<=`, `@`,
/// `\\`, `^_`, `{`, `\n`. Written as ranges and non-short-circuit ors so that a block's
/// comparisons vectorise.
#[inline(always)]
fn is_candidate(c: u8) -> bool {
    (c.wrapping_sub(b'#') < 3)
        | (c.wrapping_sub(b'-') < 4)
        | (c == b'8')
        | (c.wrapping_sub(b':') < 4)
        | (c == b'@')
        | (c == b'\\')
        | (c.wrapping_sub(b'^') < 2)
        | (c == b'{')
        | (c == b'\n')
}

/// Adds the protected spans of `hay[line]` (one line and the line break before it) to
/// `spans`.
fn protected_in_line(hay: &str, line: std::ops::Range<usize>, from: usize, spans: &mut Vec<Span>) {
    for m in PROTECTED.find_iter(&hay[line.clone()]) {
        let (mut start, mut end) = (line.start + m.start(), line.start + m.end());
        // Alternatives that need a space or bracket before them include it in the match.
        let s = &hay[start..end];
        let lead = s.len()
            - s.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '(' | '[' | '"' | '\''))
                .len();
        start += lead;
        let s = &hay[start..end];
        if is_url_like(s) {
            end = start + trim_url(s);
        } else if is_emoticon(s) && hay[end..].chars().next().is_some_and(|c| c.is_alphanumeric()) {
            // `:D` in `Note:Do` is a missing space, not a face.
            continue;
        }
        if start >= end {
            continue;
        }
        let span = Span::new(from + start, from + end);
        match spans.last_mut() {
            Some(last) if last.end >= span.start => last.end = last.end.max(span.end),
            _ => spans.push(span),
        }
    }
}

/// True when the byte at `i` of `b` may be part of a match of [`PROTECTED`], and false for
/// every byte of a line without one: each match holds one of the bytes this takes alone, or a
/// `.` before a letter, digit, `_` or `$`, two hexadecimal digits around a `-` (a MAC
/// address), `0x`, `8` starting an emoticon (`8)`), or `www.`.
fn marks_match(b: &[u8], i: usize) -> bool {
    let next = b.get(i + 1).copied().unwrap_or(b' ');
    match b[i] {
        b':' | b'/' | b'@' | b'%' | b'{' | b'$' | b'<' | b'\\' | b'#' | b'^' | b'_' | b';' | b'=' => true,
        b'.' => {
            matches!(next, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'$')
                || i >= 3 && b[i - 3..i].eq_ignore_ascii_case(b"www")
        }
        b'-' => i > 0 && b[i - 1].is_ascii_hexdigit() && next.is_ascii_hexdigit(),
        b'0' => matches!(next, b'x' | b'X'),
        b'8' => matches!(
            next,
            b'-' | b'o'
                | b'^'
                | b'\''
                | b')'
                | b'('
                | b']'
                | b'['
                | b'D'
                | b'P'
                | b'p'
                | b'O'
                | b'/'
                | b'\\'
                | b'|'
                | b'3'
                | b'*'
        ),
        _ => false,
    }
}

fn is_url_like(s: &str) -> bool {
    s.contains("://")
        || s.starts_with("www.")
        || s.starts_with("WWW.")
        || s.contains('/') && !s.starts_with(['{', '$', '%', '<'])
}

fn is_emoticon(s: &str) -> bool {
    s.len() <= 4 && s.starts_with([':', ';', '=', '8', '^', '-', 'T', '>', '<'])
}

/// Length of a URL or path without the punctuation that ends the sentence around it: a
/// trailing `.`, `,`, `;`, `:`, `!`, `?`, and a `)` that closes no `(` inside the URL.
fn trim_url(s: &str) -> usize {
    let mut end = s.len();
    loop {
        let t = &s[..end];
        let Some(last) = t.chars().next_back() else { break };
        let unbalanced_close = last == ')' && t.matches('(').count() < t.matches(')').count()
            || last == ']' && t.matches('[').count() < t.matches(']').count();
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '*' | '_') || unbalanced_close {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    end
}

/// True when `span` is inside, begins inside or ends inside one of `protected` (sorted).
pub fn blocks(protected: &[Span], span: Span) -> bool {
    if protected.is_empty() {
        return false;
    }
    let i = protected.partition_point(|p| p.end <= span.start);
    let Some(p) = protected.get(i) else { return false };
    let inside = |offset: usize| p.start < offset && offset < p.end;
    let within = p.start <= span.start && span.end <= p.end && p.start < p.end;
    within || inside(span.start) || inside(span.end) || {
        // The span's end may fall inside a later protected span.
        let j = protected.partition_point(|p| p.end < span.end);
        protected.get(j).is_some_and(|q| q.start < span.end && span.end < q.end)
    }
}

/// True when an edit of `span` would change part of a protected span: it cuts into one, or
/// inserts strictly inside one. An edit that removes or replaces whole protected spans with
/// the text around them (a scraped line deleted with its URL) does not.
pub fn blocks_edit(protected: &[Span], span: Span) -> bool {
    if protected.is_empty() {
        return false;
    }
    let i = protected.partition_point(|p| p.end <= span.start);
    protected[i..]
        .iter()
        .take_while(|p| p.start < span.end.max(span.start + 1))
        .any(|p| {
            if span.is_empty() {
                p.start < span.start && span.start < p.end
            } else {
                !(span.start <= p.start && p.end <= span.end)
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        protected_spans(text, 0).iter().map(|s| &text[s.start..s.end]).collect()
    }

    /// The matches of the pattern over the whole text, as `protected_spans` found them
    /// before it ran line by line.
    fn whole_text(text: &str) -> Vec<Span> {
        let mut spans = Vec::new();
        if may_hold_protected(text) {
            protected_in_line(text, 0..text.len(), 0, &mut spans);
        }
        spans
    }

    #[test]
    fn line_by_line_finds_what_the_whole_text_holds() {
        // One kind of protected span per line, so that each line is let through by the
        // bytes of that kind alone.
        let lines = [
            "See https://example.com/a_(b)/c. Then",
            "WWW.EXAMPLE.ORG and www.ü.example",
            "mailto:ann",
            "mail ann@mail.example.com now",
            "/etc/hosts at the start, ../up and ~/home",
            r"in C:\Users\ann\file.txt today",
            "MAC 00-1A-2b-3C-4d-5E and",
            "IP 10.0.0.1 and",
            "fe80::1",
            "at 9:30 and",
            "0x1F and",
            "0X2A and",
            "#fff",
            "version v1.2.3, e.g.",
            "Intl.NumberFormat and",
            "console.log() and",
            "io::stdout and std::fs::File",
            "myVar.field",
            "{{ name }}",
            "{% if %}",
            "${HOME}",
            "$(PATH)",
            "{0}",
            "%(name)s",
            "%5.2f",
            "<br>",
            "<!-- note -->",
            "<3",
            "T_T.foo()",
            "T_T",
            "8)",
            "8-)",
            ";)",
            "=)",
            ":D",
            "^_^",
            ">_<",
            "-_-",
            "a well-known de-facto face-to-face line with nothing",
            "plain prose. Another sentence, with commas",
            "",
            "\r",
            "trailing 8",
        ];
        // Every pair of lines in both orders, so each kind follows each at a line break.
        for a in &lines {
            for b in &lines {
                for sep in ["\n", "\r\n", "\n\n"] {
                    let text = format!("{a}{sep}{b}{sep}x.y {a} {b}");
                    assert_eq!(protected_spans(&text, 0), whole_text(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn urls_end_before_sentence_punctuation() {
        assert_eq!(
            found("See https://example.com/a_(b)/c. Then"),
            ["https://example.com/a_(b)/c"]
        );
        assert_eq!(found("(at https://example.com/x), and"), ["https://example.com/x"]);
        assert_eq!(
            found("访问https://example.com/新闻/index.html，了解"),
            ["https://example.com/新闻/index.html"]
        );
        assert_eq!(found("go to www.example.org."), ["www.example.org"]);
    }

    #[test]
    fn addresses_paths_and_numbers() {
        assert_eq!(
            found("mail ann.lee+x@mail.example.com now"),
            ["ann.lee+x@mail.example.com"]
        );
        assert_eq!(
            found("edit /etc/hosts or ./src/main.rs"),
            ["/etc/hosts", "./src/main.rs"]
        );
        assert_eq!(found(r"in C:\Users\ann\file.txt today"), [r"C:\Users\ann\file.txt"]);
        assert_eq!(
            found("MAC 00:1A:2b:3C:4d:5E, IP 10.0.0.1/24"),
            ["00:1A:2b:3C:4d:5E", "10.0.0.1/24"]
        );
        assert_eq!(found("at 9:30 and 19:00:00"), ["9:30", "19:00:00"]);
        assert_eq!(found("colour #ff8800 and 0x1F"), ["#ff8800", "0x1F"]);
        assert_eq!(found("version 1.2.3 is out"), ["1.2.3"]);
    }

    #[test]
    fn placeholders_and_templates() {
        assert_eq!(found("共%d个"), ["%d"]);
        assert_eq!(found("%1$s of %2$d"), ["%1$s", "%2$d"]);
        assert_eq!(found("${user}：${name}"), ["${user}", "${name}"]);
        assert_eq!(
            found("Hello {name}, {0} and {{ value }}"),
            ["{name}", "{0}", "{{ value }}"]
        );
        assert_eq!(
            found("{count, plural, one {# file} other {# files}} left"),
            ["{count, plural, one {# file} other {# files}}"]
        );
        assert_eq!(found("use {% raw %} here"), ["{% raw %}"]);
        assert_eq!(
            found("a <br/> b <a href=\"x\">c</a>"),
            ["<br/>", "<a href=\"x\">", "</a>"]
        );
        assert_eq!(found("run $(NAME) now"), ["$(NAME)"]);
    }

    #[test]
    fn code_identifiers_and_emoticons() {
        assert_eq!(found("use Intl.NumberFormat here"), ["Intl.NumberFormat"]);
        assert_eq!(found("call console.log() first"), ["console.log()"]);
        assert_eq!(found("printed to (io::stdout)."), ["io::stdout"]);
        assert_eq!(
            found("use std::fs::File and Vec::new() here"),
            ["std::fs::File", "Vec::new()"]
        );
        assert_eq!(found("Nice :-) and ;) ok"), [":-)", ";)"]);
    }

    #[test]
    fn prose_is_not_protected() {
        for prose in [
            "He arrived at 50% of the time.",
            "Meeting:Foreign guests arrived.",
            "Meeting::Foreign guests arrived.",
            "abroad.Just like him, she left.",
            "The ratio is 3.5 to 1.",
            "It costs 5 yuan/kg and/or more.",
            "Note: the plan changed.",
            "He said: it is done.",
        ] {
            assert_eq!(found(prose), Vec::<&str>::new(), "{prose}");
        }
    }

    #[test]
    fn blocking_inside_but_not_around() {
        let text = "See https://example.com/a now";
        let p = protected_spans(text, 0);
        assert!(blocks(&p, Span::new(8, 12)));
        assert!(blocks(&p, Span::new(20, 30)));
        assert!(!blocks(&p, Span::new(0, text.len())));
        assert!(blocks_edit(&p, Span::new(10, 11)));
        assert!(!blocks_edit(&p, Span::empty(4)));
        assert!(!blocks_edit(&p, Span::new(0, text.len())));
        assert!(blocks_edit(&p, Span::new(0, 10)));
    }
}
