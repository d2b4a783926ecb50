//! gettext PO files: `msgid` is the source, `msgstr` (or `msgstr[n]`) the target.
//!
//! A string may run over several quoted lines; the target region runs from the first piece to
//! the last, and the `"` newline `"` between pieces and every backslash escape are inline masked,
//! so a fix edits only the characters inside the quotes and never an escape.

use super::{FormatError, InputFormat, Parsed, Segment};
use crate::span::Span;

/// A PO string: its quoted pieces, decoded text and escapes.
#[derive(Debug, Default, Clone)]
struct PoString {
    /// Content spans of the quoted pieces (between the quotes).
    pieces: Vec<Span>,
    text: String,
    escapes: Vec<Span>,
    /// Where the keyword starts, for reporting an empty string.
    keyword: usize,
}

impl PoString {
    fn span(&self) -> Span {
        match (self.pieces.first(), self.pieces.last()) {
            (Some(a), Some(b)) => Span::new(a.start, b.end),
            _ => Span::empty(self.keyword),
        }
    }

    /// The region a fix may edit: from the first non-empty piece to the last (an empty
    /// header-style first piece `msgstr ""` is skipped).
    fn target_span(&self) -> Span {
        let non_empty: Vec<&Span> = self.pieces.iter().filter(|p| !p.is_empty()).collect();
        match (non_empty.first(), non_empty.last()) {
            (Some(a), Some(b)) => Span::new(a.start, b.end),
            _ => self
                .pieces
                .first()
                .map_or(Span::empty(self.keyword), |p| Span::empty(p.start)),
        }
    }
}

#[derive(Debug, Default)]
struct Entry {
    ctx: Option<PoString>,
    id: Option<PoString>,
    plural: Option<PoString>,
    strs: Vec<(usize, PoString)>,
    obsolete: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Ctx,
    Id,
    Plural,
    Str(usize),
}

/// Reads one quoted string starting at `open` (the opening quote), returning its content span,
/// decoded text and escapes.
fn read_string(text: &str, open: usize, out: &mut PoString) -> Result<usize, FormatError> {
    let bytes = text.as_bytes();
    let start = open + 1;
    let mut i = start;
    loop {
        match bytes.get(i) {
            None | Some(b'\n') | Some(b'\r') => {
                return Err(FormatError::at(InputFormat::Po, text, open, "unterminated string"));
            }
            Some(b'"') => break,
            Some(b'\\') => {
                let (ch, len) = match bytes.get(i + 1) {
                    Some(b'n') => ('\n', 2),
                    Some(b't') => ('\t', 2),
                    Some(b'r') => ('\r', 2),
                    Some(b'"') => ('"', 2),
                    Some(b'\\') => ('\\', 2),
                    Some(b'a') => ('\u{7}', 2),
                    Some(b'b') => ('\u{8}', 2),
                    Some(b'f') => ('\u{c}', 2),
                    Some(b'v') => ('\u{b}', 2),
                    Some(d) if d.is_ascii_digit() => {
                        let n = bytes[i + 1..]
                            .iter()
                            .take(3)
                            .take_while(|b| (b'0'..=b'7').contains(b))
                            .count();
                        let v = u32::from_str_radix(&text[i + 1..i + 1 + n], 8).unwrap_or(0);
                        (char::from_u32(v).unwrap_or('\u{fffd}'), 1 + n)
                    }
                    _ => {
                        return Err(FormatError::at(
                            InputFormat::Po,
                            text,
                            i,
                            "unknown escape sequence (expected \\n, \\t, \\\", \\\\ or an octal code)",
                        ))
                    }
                };
                out.escapes.push(Span::new(i, i + len));
                out.text.push(ch);
                i += len;
            }
            Some(_) => {
                let c = text[i..].chars().next().unwrap_or('\u{fffd}');
                out.text.push(c);
                i += c.len_utf8();
            }
        }
    }
    out.pieces.push(Span::new(start, i));
    let rest = &text[i + 1..];
    let line_rest = rest.split('\n').next().unwrap_or("").trim();
    if !line_rest.is_empty() && !line_rest.starts_with('#') {
        return Err(FormatError::at(
            InputFormat::Po,
            text,
            i + 1,
            "unexpected text after the closing quote",
        ));
    }
    Ok(i + 1)
}

pub fn parse(text: &str, body: usize) -> Result<Parsed, FormatError> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut cur = Entry::default();
    let mut field: Option<Field> = None;
    let mut pos = body;
    let flush = |cur: &mut Entry, entries: &mut Vec<Entry>| {
        let e = std::mem::take(cur);
        if e.id.is_some() || e.ctx.is_some() {
            entries.push(e);
        }
    };
    for line in text[body..].split_inclusive('\n') {
        let line_start = pos;
        pos += line.len();
        let lead = line.len() - line.trim_start().len();
        let t = line.trim();
        let at = line_start + lead;
        if t.is_empty() {
            flush(&mut cur, &mut entries);
            field = None;
            continue;
        }
        let (t, at, obsolete) = match t.strip_prefix("#~") {
            Some(rest) => {
                let l = rest.len() - rest.trim_start().len();
                (rest.trim_start(), at + 2 + l, true)
            }
            None => (t, at, false),
        };
        if t.starts_with('#') || t.is_empty() {
            continue;
        }
        if t.starts_with('"') {
            let Some(f) = field else {
                return Err(FormatError::at(
                    InputFormat::Po,
                    text,
                    at,
                    "a continued string with no msgid or msgstr before it",
                ));
            };
            let s = match f {
                Field::Ctx => cur.ctx.as_mut(),
                Field::Id => cur.id.as_mut(),
                Field::Plural => cur.plural.as_mut(),
                Field::Str(n) => cur.strs.iter_mut().find(|(i, _)| *i == n).map(|(_, s)| s),
            };
            if let Some(s) = s {
                read_string(text, at, s)?;
            }
            continue;
        }
        let word_len = t.find(|c: char| c.is_whitespace() || c == '"').unwrap_or(t.len());
        let word = &t[..word_len];
        let new_field = if word == "msgctxt" {
            Field::Ctx
        } else if word == "msgid" {
            Field::Id
        } else if word == "msgid_plural" {
            Field::Plural
        } else if word == "msgstr" {
            Field::Str(0)
        } else if let Some(n) = word.strip_prefix("msgstr[").and_then(|r| r.strip_suffix(']')) {
            match n.parse() {
                Ok(n) => Field::Str(n),
                Err(_) => {
                    return Err(FormatError::at(
                        InputFormat::Po,
                        text,
                        at,
                        format!("bad plural index in {word}"),
                    ))
                }
            }
        } else {
            return Err(FormatError::at(
                InputFormat::Po,
                text,
                at,
                format!("unexpected `{word}` (expected msgctxt, msgid, msgid_plural, msgstr or a quoted string)"),
            ));
        };
        // A new msgctxt or msgid after a msgstr starts a new entry even without a blank line.
        if matches!(new_field, Field::Ctx | Field::Id) && !cur.strs.is_empty() {
            flush(&mut cur, &mut entries);
        }
        if matches!(new_field, Field::Str(_)) && cur.id.is_none() {
            return Err(FormatError::at(
                InputFormat::Po,
                text,
                at,
                "msgstr without a msgid before it",
            ));
        }
        cur.obsolete |= obsolete;
        let quote = t[word_len..].find('"').map(|i| at + word_len + i);
        let Some(quote) = quote else {
            return Err(FormatError::at(
                InputFormat::Po,
                text,
                at + word_len,
                format!("{word} needs a quoted string"),
            ));
        };
        let mut s = PoString {
            keyword: at,
            ..PoString::default()
        };
        read_string(text, quote, &mut s)?;
        match new_field {
            Field::Ctx => cur.ctx = Some(s),
            Field::Id => cur.id = Some(s),
            Field::Plural => cur.plural = Some(s),
            Field::Str(n) => cur.strs.push((n, s)),
        }
        field = Some(new_field);
    }
    flush(&mut cur, &mut entries);

    let mut parsed = Parsed::default();
    for e in entries {
        let Some(id) = &e.id else { continue };
        if e.obsolete {
            continue;
        }
        if id.text.is_empty() && e.ctx.is_none() {
            // The header entry: only its Language field matters.
            if let Some((_, h)) = e.strs.first() {
                parsed.target_lang = h
                    .text
                    .lines()
                    .find_map(|l| l.strip_prefix("Language:"))
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty());
            }
            continue;
        }
        for (n, s) in &e.strs {
            let src = if *n > 0 { e.plural.as_ref().unwrap_or(id) } else { id };
            // Between pieces: the closing quote, line break and opening quote.
            for w in s.pieces.windows(2) {
                parsed.inline.push(Span::new(w[0].end, w[1].start));
            }
            parsed.inline.extend(s.escapes.iter().copied());
            let ctx = e.ctx.as_ref().map(|c| c.text.clone());
            let id = match (ctx, e.strs.len() > 1) {
                (Some(c), true) => Some(format!("{c}[{n}]")),
                (Some(c), false) => Some(c),
                (None, true) => Some(format!("msgstr[{n}]")),
                (None, false) => None,
            };
            parsed.segments.push(Segment {
                id,
                source: src.text.clone(),
                source_span: src.span(),
                target: Some(s.target_span()),
                target_text: s.text.clone(),
                source_codes: Vec::new(),
                target_codes: Vec::new(),
            });
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_strings_and_escapes() {
        let po = "msgid \"\"\nmsgstr \"\"\n\"Language: en\\n\"\n\n#: a.c:1\nmsgid \"古镇 \\\"灯\\\"\"\nmsgstr \"\"\n\"The \\\"ancient \"\n\"town\\\"\"\n";
        let p = parse(po, 0).unwrap();
        assert_eq!(p.target_lang.as_deref(), Some("en"));
        assert_eq!(p.segments.len(), 1);
        let s = &p.segments[0];
        assert_eq!(s.source, "古镇 \"灯\"");
        assert_eq!(s.target_text, "The \"ancient town\"");
        assert_eq!(s.target.unwrap().text(po), "The \\\"ancient \"\n\"town\\\"");
        assert!(p.inline.iter().any(|m| m.text(po) == "\"\n\""));
    }

    #[test]
    fn errors_are_placed() {
        let e = parse("msgid \"a\"\nmsgstr \"b\n", 0).unwrap_err();
        assert_eq!((e.line, e.column), (2, 8), "{e}");
        let e = parse("msgid \"a\"\nmsgstrr \"b\"\n", 0).unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e}");
    }
}
