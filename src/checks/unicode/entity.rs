//! HTML character references left in plain text by scraping or by a tokenizer: `&nbsp;`,
//! `&amp;`, `&#8220;`, and the tokenised `country & apos; s`.

/// A character reference found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Residue {
    pub start: usize,
    pub end: usize,
    /// What to write instead, and whether that is certain.
    pub replacement: String,
    pub certain: bool,
    /// The references found, as written (for the message).
    pub written: String,
}

/// HTML named references that occur in scraped prose, with their characters (the HTML
/// standard's table, the part of it prose uses).
const NAMED: &[(&str, char)] = &[
    ("nbsp", '\u{a0}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("thinsp", '\u{2009}'),
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("bdquo", '„'),
    ("mdash", '—'),
    ("ndash", '–'),
    ("hellip", '…'),
    ("middot", '·'),
    ("bull", '•'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("deg", '°'),
    ("times", '×'),
    ("divide", '÷'),
    ("plusmn", '±'),
    ("euro", '€'),
    ("pound", '£'),
    ("yen", '¥'),
    ("cent", '¢'),
    ("sect", '§'),
    ("para", '¶'),
    ("eacute", 'é'),
    ("egrave", 'è'),
    ("agrave", 'à'),
    ("aacute", 'á'),
    ("ccedil", 'ç'),
    ("uuml", 'ü'),
    ("ouml", 'ö'),
    ("auml", 'ä'),
    ("szlig", 'ß'),
];

fn is_space(c: char) -> bool {
    matches!(c, '\u{a0}' | '\u{2002}' | '\u{2003}' | '\u{2009}' | '\u{3000}')
}

/// The reference at byte `at` (an `&`): its end and character. Tokenisers put spaces inside
/// (`& apos;`, `&apos ;`): `spaced` tells.
fn reference_at(text: &str, at: usize) -> Option<(usize, char, bool)> {
    let b = text.as_bytes();
    let mut i = at + 1;
    let mut spaced = false;
    if b.get(i) == Some(&b' ') {
        i += 1;
        spaced = true;
    }
    let name_start = i;
    let c = if b.get(i) == Some(&b'#') {
        i += 1;
        let hex = matches!(b.get(i), Some(b'x' | b'X'));
        if hex {
            i += 1;
        }
        let digits_start = i;
        while b
            .get(i)
            .is_some_and(|d| if hex { d.is_ascii_hexdigit() } else { d.is_ascii_digit() })
        {
            i += 1;
        }
        if i == digits_start || i - digits_start > 7 {
            return None;
        }
        let code = u32::from_str_radix(&text[digits_start..i], if hex { 16 } else { 10 }).ok()?;
        char::from_u32(code).filter(|c| !c.is_control() || *c == '\u{a0}')?
    } else {
        while b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
        }
        let name = &text[name_start..i];
        NAMED.iter().find(|(n, _)| *n == name).map(|&(_, c)| c)?
    };
    if b.get(i) == Some(&b' ') && b.get(i + 1) == Some(&b';') {
        i += 1;
        spaced = true;
    }
    (b.get(i) == Some(&b';')).then_some((i + 1, c, spaced))
}

/// The character references in `text[from..to]`, in order. With `indent_only`, only white-space
/// references that open a line (Markdown, where other references are markup).
pub fn residues(text: &str, from: usize, to: usize, indent_only: bool) -> Vec<Residue> {
    let mut out = Vec::new();
    let mut at = from;
    while let Some(found) = memchr::memchr(b'&', &text.as_bytes()[at..to]) {
        let amp = at + found;
        at = amp + 1;
        let Some((end, c, spaced)) = reference_at(text, amp) else {
            continue;
        };
        if end > to {
            break;
        }
        let line_start = text[..amp].rfind('\n').map_or(0, |i| i + 1);
        let opens_line = text[line_start..amp].chars().all(char::is_whitespace);
        if is_space(c) && !spaced {
            // A run of white-space references, with the spaces between them.
            let mut run_end = end;
            loop {
                let next = run_end + text[run_end..to].len() - text[run_end..to].trim_start_matches(' ').len();
                if text.as_bytes().get(next) != Some(&b'&') {
                    break;
                }
                match reference_at(text, next) {
                    Some((e, c, false)) if is_space(c) && e <= to => run_end = e,
                    _ => break,
                }
            }
            if indent_only && !opens_line {
                at = run_end;
                continue;
            }
            let before = text[..amp].chars().next_back();
            let after = text[run_end..].chars().next();
            let joins_words =
                !opens_line && before.is_some_and(|c| !c.is_whitespace()) && after.is_some_and(|c| !c.is_whitespace());
            out.push(Residue {
                start: amp,
                end: run_end,
                replacement: if joins_words { " ".into() } else { String::new() },
                certain: true,
                written: text[amp..run_end].to_string(),
            });
            at = run_end;
            continue;
        }
        if indent_only {
            continue;
        }
        let written = text[amp..end].to_string();
        if !spaced {
            out.push(Residue {
                start: amp,
                end,
                replacement: c.to_string(),
                certain: true,
                written,
            });
            at = end;
            continue;
        }
        // `country & apos; s`: the apostrophe of a contraction or possessive, cut out by a
        // tokeniser with a space on each side.
        if matches!(c, '\'' | '’') {
            let word_before = text[..amp].strip_suffix(' ').and_then(|t| t.chars().next_back());
            let rest = text[end..].strip_prefix(' ').unwrap_or("");
            let suffix_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
            let suffix = &rest[..suffix_len];
            let after_suffix = rest[suffix_len..].chars().next();
            if word_before.is_some_and(char::is_alphanumeric)
                && matches!(suffix, "s" | "t" | "d" | "m" | "ll" | "re" | "ve")
                && !after_suffix.is_some_and(char::is_alphanumeric)
            {
                let start = amp - 1;
                let stop = end + 1 + suffix_len;
                out.push(Residue {
                    start,
                    end: stop,
                    replacement: format!("{c}{suffix}"),
                    certain: true,
                    written,
                });
                at = stop;
                continue;
            }
        }
        out.push(Residue {
            start: amp,
            end,
            replacement: c.to_string(),
            certain: false,
            written,
        });
        at = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(text: &str) -> String {
        let mut out = text.to_string();
        for r in residues(text, 0, text.len(), false).iter().rev() {
            out.replace_range(r.start..r.end, &r.replacement);
        }
        out
    }

    #[test]
    fn references_are_decoded() {
        assert_eq!(fixed("R&amp;D and &#8220;two&#x201D;"), "R&D and “two”");
        assert_eq!(fixed("&nbsp;&nbsp; Text starts"), " Text starts");
        assert_eq!(fixed("&emsp;&emsp;Text"), "Text");
        assert_eq!(fixed("one&nbsp;two"), "one two");
        assert_eq!(fixed("one &nbsp; &nbsp; two"), "one  two");
        assert_eq!(fixed("the country & apos; s plan"), "the country's plan");
        assert_eq!(fixed("we don & apos; t know"), "we don't know");
    }

    #[test]
    fn other_ampersands_are_left() {
        for text in ["R&D", "A & B", "Tom & Jerry; later", "&unknown;", "&#0;", "a &; b", "&"] {
            assert_eq!(residues(text, 0, text.len(), false), vec![], "{text}");
        }
    }

    #[test]
    fn markdown_keeps_references_but_indentation() {
        let text = "&emsp;&emsp;Text with &amp; inside\nmore&nbsp;text";
        let r = residues(text, 0, text.len(), true);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].written, "&emsp;&emsp;");
    }
}
