//! XLIFF 1.2, XLIFF 2.0 and TMX, read with quick-xml.
//!
//! Entities and inline tags inside a target stay in the file as they are: they are *inline
//! masked* (a finding may run across `&amp;` or `<g id="1">`, no edit may touch them), and the
//! decoded text (`&amp;` → `&`, tags left out) is what source-aware checks compare. Masking
//! instead of decoding into a second text means every span stays a span of the file, so `fix`
//! can never break an entity or a tag, and nothing outside the target is ever edited.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{Code, FormatError, InputFormat, Parsed, Segment};
use crate::span::Span;

/// Inline elements whose content is native code, not text (XLIFF 1.2 and TMX).
const NATIVE_CODE: &[&str] = &["bpt", "ept", "ph", "it", "ut"];
/// Inline elements that are codes (compared between source and target).
const CODES: &[&str] = &[
    "g", "x", "bx", "ex", "bpt", "ept", "ph", "it", "ut", "pc", "sc", "ec", "cp", "hi",
];

/// Text of one `<source>`, `<target>` or `<seg>` element being read.
#[derive(Debug, Default)]
struct Capture {
    /// Element the capture belongs to (`source`, `target`, `seg`).
    element: String,
    /// Stack depth of that element.
    depth: usize,
    content_start: usize,
    /// Outer span (with tags), for reporting.
    outer_start: usize,
    text: String,
    codes: Vec<Code>,
    /// Depth of a native-code element being skipped (its content is not text).
    native: Option<usize>,
    /// Open paired codes, to name their closing tags.
    open: Vec<String>,
}

#[derive(Debug)]
struct Captured {
    content: Option<Span>,
    outer: Span,
    text: String,
    codes: Vec<Code>,
}

fn local(name: &[u8]) -> String {
    let s = String::from_utf8_lossy(name);
    match s.rfind(':') {
        Some(i) => s[i + 1..].to_string(),
        None => s.into_owned(),
    }
}

/// Most attributes an element may have. XLIFF and TMX elements carry a handful; a file with
/// thousands on one element is damaged or hostile, and is refused rather than read.
pub const MAX_ATTRIBUTES: usize = 256;

/// Checks an element's attributes in one pass: well-formed, none repeated, at most
/// [`MAX_ATTRIBUTES`]. (quick-xml's own duplicate check compares each attribute with all
/// before it, which is quadratic in their number.)
fn check_attributes(e: &BytesStart<'_>, name: &str) -> Result<(), AttributeError> {
    let mut seen: std::collections::HashSet<&[u8]> = std::collections::HashSet::new();
    let mut bad = false;
    for (n, a) in e.attributes().with_checks(false).enumerate() {
        if n == MAX_ATTRIBUTES {
            return Err(AttributeError::TooMany {
                element: name.to_string(),
            });
        }
        match a {
            Ok(a) if seen.insert(a.key.into_inner()) => {}
            _ => {
                bad = true;
                break;
            }
        }
    }
    if bad {
        // quick-xml's checked pass names the problem; with at most MAX_ATTRIBUTES before it,
        // its cost is bounded.
        if let Some(Err(source)) = e.attributes().find(Result::is_err) {
            return Err(AttributeError::Malformed {
                element: name.to_string(),
                source,
            });
        }
        return Err(AttributeError::Bad {
            element: name.to_string(),
        });
    }
    Ok(())
}

/// Why an element's attributes are refused.
#[derive(Debug, thiserror::Error)]
enum AttributeError {
    /// More than [`MAX_ATTRIBUTES`] of them.
    #[error(
        "<{element}> has more than {MAX_ATTRIBUTES} attributes: an XLIFF or TMX element needs a \
         handful, so the file is refused as damaged or hostile (at most {MAX_ATTRIBUTES} an element)"
    )]
    TooMany { element: String },
    /// One is not well-formed, or is repeated; quick-xml says which.
    #[error("bad attribute in <{element}>: {source}")]
    Malformed {
        element: String,
        source: quick_xml::events::attributes::AttrError,
    },
    /// One is not well-formed, though quick-xml's checked pass found no error.
    #[error("bad attribute in <{element}>")]
    Bad { element: String },
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    // The attributes were checked once by `check_attributes`.
    e.attributes().with_checks(false).flatten().find_map(|a| {
        let key = a.key.as_ref();
        let key_local = match key.iter().rposition(|&b| b == b':') {
            Some(i) if name != "xml:lang" => &key[i + 1..],
            _ => key,
        };
        (key_local == name.as_bytes()).then(|| a.unescape_value().map(|v| v.into_owned()).unwrap_or_default())
    })
}

fn code_key(name: &str, e: &BytesStart<'_>, empty: bool) -> String {
    let id = attr(e, "id").or_else(|| attr(e, "i")).or_else(|| attr(e, "x"));
    let id = id.map(|i| format!(" id=\"{i}\"")).unwrap_or_default();
    if empty {
        format!("<{name}{id}/>")
    } else {
        format!("<{name}{id}>")
    }
}

fn resolve_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            // Only what XML 1.0 calls a character: `&#0;` and other C0 controls are not.
            let ch = char::from_u32(code)?;
            let xml_char =
                matches!(ch, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
            if !xml_char {
                return None;
            }
            ch
        }
    })
}

/// Parses an XLIFF or TMX file.
pub fn parse(format: InputFormat, text: &str, body: usize) -> Result<Parsed, FormatError> {
    let src = &text[body..];
    let err = |offset: usize, msg: String| FormatError::at(format, text, body + offset, msg);
    let mut reader = Reader::from_str(src);
    reader.config_mut().check_end_names = true;
    reader.config_mut().check_comments = false;

    let mut parsed = Parsed::default();
    let mut stack: Vec<String> = Vec::new();
    let mut capture: Option<Capture> = None;
    // Per unit (trans-unit, segment, tu): the captured source and targets.
    let mut unit_id: Option<String> = None;
    let mut unit_parent_id: Option<String> = None;
    let mut source: Option<Captured> = None;
    let mut targets: Vec<(Option<String>, Captured)> = Vec::new();
    let mut tuv_lang: Option<String> = None;
    let mut tmx_srclang: Option<String> = None;
    let mut root_seen = false;
    let mut unit_skipped = false;
    let mut tu_captures: Vec<(Option<String>, Captured)> = Vec::new();
    let mut inline: Vec<Span> = Vec::new();
    let mut declared: HashMap<&'static str, String> = HashMap::new();

    loop {
        let start = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let mut at = (reader.error_position() as usize).min(src.len());
                // quick-xml may point just past the `<` of the offending tag: point at the tag.
                if at > 0 && src.as_bytes()[at - 1] == b'<' {
                    at -= 1;
                }
                return Err(err(at, e.to_string()));
            }
        };
        let end = reader.buffer_position() as usize;
        let span = Span::new(body + start, body + end);
        match event {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = local(e.name().as_ref());
                if let Err(e) = check_attributes(e, &name) {
                    return Err(err(start, e.to_string()));
                }
                if root_seen && stack.is_empty() {
                    return Err(err(
                        start,
                        format!("a second root element <{name}>: an XML file has exactly one"),
                    ));
                }
                if !root_seen {
                    root_seen = true;
                    let expected = if format == InputFormat::Tmx { "tmx" } else { "xliff" };
                    if name != expected {
                        return Err(err(
                            start,
                            format!("the root element is <{name}>, expected <{expected}>"),
                        ));
                    }
                    if format == InputFormat::Xliff {
                        if let Some(v) = attr(e, "version") {
                            if !(v.starts_with('1') || v.starts_with('2')) {
                                return Err(err(
                                    start,
                                    format!("unsupported XLIFF version {v:?} (1.2 and 2.x are read)"),
                                ));
                            }
                        }
                        if let Some(l) = attr(e, "srcLang") {
                            declared.insert("source", l);
                        }
                        if let Some(l) = attr(e, "trgLang") {
                            declared.insert("target", l);
                        }
                    }
                }
                if let Some(c) = capture.as_mut() {
                    // Inside a source/target: an inline element.
                    inline.push(span);
                    if c.native.is_none() {
                        if CODES.contains(&name.as_str()) {
                            c.codes.push(Code {
                                key: code_key(&name, e, empty),
                                span,
                            });
                            if !empty && !NATIVE_CODE.contains(&name.as_str()) {
                                c.open.push(name.clone());
                            }
                        }
                        if !empty && NATIVE_CODE.contains(&name.as_str()) {
                            c.native = Some(stack.len() + 1);
                        }
                    }
                    if !empty {
                        stack.push(name);
                    }
                    continue;
                }
                let parent = stack.last().map(String::as_str);
                match (format, name.as_str()) {
                    (InputFormat::Xliff, "file") => {
                        if let Some(l) = attr(e, "source-language") {
                            declared.entry("source").or_insert(l);
                        }
                        if let Some(l) = attr(e, "target-language") {
                            declared.entry("target").or_insert(l);
                        }
                    }
                    (InputFormat::Xliff, "unit") => {
                        unit_parent_id = attr(e, "id");
                        unit_skipped = attr(e, "translate").as_deref() == Some("no");
                    }
                    (InputFormat::Xliff, "trans-unit") => {
                        unit_id = attr(e, "id");
                        unit_skipped = attr(e, "translate").as_deref() == Some("no");
                        source = None;
                        targets.clear();
                    }
                    (InputFormat::Xliff, "segment") if !empty => {
                        unit_id = match (unit_parent_id.as_deref(), attr(e, "id")) {
                            (Some(u), Some(s)) => Some(format!("{u}/{s}")),
                            (u, s) => s.or(u.map(str::to_string)),
                        };
                        source = None;
                        targets.clear();
                    }
                    (InputFormat::Xliff, "source" | "target")
                        if matches!(parent, Some("trans-unit") | Some("segment")) =>
                    {
                        if empty {
                            let c = Captured {
                                content: None,
                                outer: span,
                                text: String::new(),
                                codes: Vec::new(),
                            };
                            if name == "source" {
                                source = Some(c);
                            } else {
                                targets.push((None, c));
                            }
                        } else {
                            capture = Some(Capture {
                                element: name.clone(),
                                depth: stack.len() + 1,
                                content_start: span.end,
                                outer_start: span.start,
                                ..Capture::default()
                            });
                        }
                    }
                    (InputFormat::Tmx, "header") => {
                        tmx_srclang = attr(e, "srclang").filter(|l| l != "*all*");
                        if let Some(l) = &tmx_srclang {
                            declared.insert("source", l.clone());
                        }
                    }
                    (InputFormat::Tmx, "tu") => {
                        unit_id = attr(e, "tuid");
                        tu_captures.clear();
                    }
                    (InputFormat::Tmx, "tuv") => {
                        tuv_lang = attr(e, "xml:lang").or_else(|| attr(e, "lang"));
                    }
                    (InputFormat::Tmx, "seg") if parent == Some("tuv") => {
                        if empty {
                            tu_captures.push((
                                tuv_lang.clone(),
                                Captured {
                                    content: None,
                                    outer: span,
                                    text: String::new(),
                                    codes: Vec::new(),
                                },
                            ));
                        } else {
                            capture = Some(Capture {
                                element: name.clone(),
                                depth: stack.len() + 1,
                                content_start: span.end,
                                outer_start: span.start,
                                ..Capture::default()
                            });
                        }
                    }
                    _ => {}
                }
                if !empty {
                    stack.push(name);
                }
            }
            Event::End(ref e) => {
                let name = local(e.name().as_ref());
                let depth = stack.len();
                stack.pop();
                if let Some(c) = capture.as_mut() {
                    if depth == c.depth && name == c.element {
                        let c = capture.take().unwrap_or_default();
                        let captured = Captured {
                            content: Some(Span::new(c.content_start, span.start)),
                            outer: Span::new(c.outer_start, span.end),
                            text: c.text,
                            codes: c.codes,
                        };
                        match c.element.as_str() {
                            "source" => source = Some(captured),
                            "target" => targets.push((None, captured)),
                            _ => tu_captures.push((tuv_lang.clone(), captured)),
                        }
                        continue;
                    }
                    inline.push(span);
                    if c.native == Some(depth) {
                        c.native = None;
                    } else if c.native.is_none() && c.open.last() == Some(&name) {
                        c.open.pop();
                        c.codes.push(Code {
                            key: format!("</{name}>"),
                            span,
                        });
                    }
                    continue;
                }
                match (format, name.as_str()) {
                    (InputFormat::Xliff, "unit") => unit_skipped = false,
                    (InputFormat::Xliff, "trans-unit" | "segment") => {
                        // `translate="no"` units are meant to stay as they are: not checked.
                        if let Some(src) = source.take().filter(|_| !unit_skipped) {
                            let target = targets.drain(..).next().map(|(_, t)| t);
                            parsed.segments.push(segment(unit_id.take(), src, target));
                        }
                        targets.clear();
                    }
                    (InputFormat::Tmx, "tu") => {
                        let caps = std::mem::take(&mut tu_captures);
                        if let Some(seg) = tmx_segment(unit_id.take(), caps, tmx_srclang.as_deref(), &mut declared) {
                            parsed.segments.push(seg);
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(ref t) => {
                if let Some(c) = capture.as_mut() {
                    if c.native.is_none() {
                        let s = t.decode().map_err(|e| err(start, format!("cannot decode text: {e}")))?;
                        c.text.push_str(&s);
                    } else {
                        inline.push(span);
                    }
                } else if stack.is_empty() && !t.decode().unwrap_or_default().trim().is_empty() {
                    return Err(err(start, "text outside the root element".into()));
                }
            }
            Event::GeneralRef(ref r) => {
                if let Some(c) = capture.as_mut() {
                    inline.push(span);
                    let name = r.decode().unwrap_or_default();
                    match resolve_entity(&name) {
                        Some(ch) => {
                            if c.native.is_none() {
                                c.text.push(ch);
                            }
                        }
                        None if name.starts_with('#') => {
                            return Err(err(
                                start,
                                format!("character reference &{name}; names no character XML allows"),
                            ))
                        }
                        None => return Err(err(start, format!("unknown entity &{name};"))),
                    }
                }
            }
            Event::CData(ref d) => {
                if let Some(c) = capture.as_mut() {
                    // `<![CDATA[` and `]]>` are markup; the content is text.
                    let content = Span::new(
                        (span.start + 9).min(span.end),
                        span.end.saturating_sub(3).max(span.start),
                    );
                    inline.push(Span::new(span.start, content.start));
                    inline.push(Span::new(content.end.max(content.start), span.end));
                    parsed
                        .cdata
                        .push(Span::new(content.start, content.end.max(content.start)));
                    if c.native.is_none() {
                        c.text.push_str(&String::from_utf8_lossy(d.as_ref()));
                    }
                }
            }
            Event::Comment(_) | Event::PI(_) => {
                if capture.is_some() {
                    inline.push(span);
                }
            }
            Event::DocType(ref d) => {
                // Entities declared in the document are never expanded (that is how entity
                // bombs work); say so instead of failing later at the first `&name;`.
                if String::from_utf8_lossy(d.as_ref()).contains("<!ENTITY") {
                    return Err(err(
                        start,
                        "entities declared in the DOCTYPE are not supported (mtlint never expands them); \
                         write their text in place"
                            .into(),
                    ));
                }
            }
            Event::Decl(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(err(
            src.len(),
            format!("unexpected end of file: <{open}> is not closed"),
        ));
    }
    if !root_seen {
        return Err(err(0, "no root element: the file is empty".into()));
    }
    parsed.inline = inline;
    parsed.source_lang = declared.remove("source");
    parsed.target_lang = declared.remove("target");
    Ok(parsed)
}

fn segment(id: Option<String>, source: Captured, target: Option<Captured>) -> Segment {
    let (target_span, target_text, target_codes) = match target {
        Some(t) => (t.content, t.text, t.codes),
        None => (None, String::new(), Vec::new()),
    };
    Segment {
        id,
        source: source.text,
        source_span: source.content.filter(|c| !c.is_empty()).unwrap_or(source.outer),
        target: target_span,
        target_text,
        source_codes: source.codes,
        target_codes,
    }
}

/// Picks a TMX unit's source (the header's `srclang`, else the first variant) and target (the
/// first other variant).
fn tmx_segment(
    id: Option<String>,
    mut caps: Vec<(Option<String>, Captured)>,
    srclang: Option<&str>,
    declared: &mut HashMap<&'static str, String>,
) -> Option<Segment> {
    let same = |a: &Option<String>, b: &str| {
        a.as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(b) || super::primary_language(a) == super::primary_language(b))
    };
    let src_idx = match srclang {
        Some(l) => caps.iter().position(|(lang, _)| same(lang, l))?,
        None => 0,
    };
    if caps.is_empty() {
        return None;
    }
    let (src_lang, src) = caps.remove(src_idx);
    if let Some(l) = src_lang {
        declared.entry("source").or_insert(l);
    }
    let target = if caps.is_empty() {
        None
    } else {
        let (lang, t) = caps.remove(0);
        if let Some(l) = lang {
            declared.entry("target").or_insert(l);
        }
        Some(t)
    };
    Some(segment(id, src, target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xliff12_targets_entities_and_tags() {
        let x = "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\"><file source-language=\"zh-CN\" target-language=\"en-US\"><body>\n<trans-unit id=\"1\"><source>研发 <g id=\"1\">中心</g></source><target>R&amp;D <g id=\"1\">centre</g></target></trans-unit>\n</body></file></xliff>";
        let p = parse(InputFormat::Xliff, x, 0).unwrap();
        assert_eq!(p.source_lang.as_deref(), Some("zh-CN"));
        assert_eq!(p.target_lang.as_deref(), Some("en-US"));
        assert_eq!(p.segments.len(), 1);
        let s = &p.segments[0];
        assert_eq!(s.id.as_deref(), Some("1"));
        assert_eq!(s.source, "研发 中心");
        assert_eq!(s.target_text, "R&D centre");
        assert_eq!(s.target.unwrap().text(x), "R&amp;D <g id=\"1\">centre</g>");
        let keys: Vec<_> = s.target_codes.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["<g id=\"1\">", "</g>"]);
        let masked: Vec<_> = p.inline.iter().map(|m| m.text(x)).collect();
        assert!(masked.contains(&"&amp;"), "{masked:?}");
        assert!(masked.contains(&"<g id=\"1\">"), "{masked:?}");
    }

    #[test]
    fn units_not_to_translate_are_skipped() {
        let x = "<xliff version=\"2.0\" srcLang=\"zh\" trgLang=\"en\"><file id=\"f\"><unit id=\"u1\" translate=\"no\"><segment><source>古镇</source><target>古镇</target></segment></unit><unit id=\"u2\"><segment id=\"s\"><source>党建</source><target>Party building</target></segment></unit></file></xliff>";
        let p = parse(InputFormat::Xliff, x, 0).unwrap();
        assert_eq!(p.segments.len(), 1);
        assert_eq!(p.segments[0].id.as_deref(), Some("u2/s"));
        assert_eq!(p.target_lang.as_deref(), Some("en"));
    }

    #[test]
    fn attributes_are_checked_in_one_pass_and_capped() {
        let many = |n: usize| (0..n).map(|i| format!(" a{i}=\"{i}\"")).collect::<String>();
        let ok = format!("<xliff version=\"1.2\"><file{}></file></xliff>", many(MAX_ATTRIBUTES));
        assert!(parse(InputFormat::Xliff, &ok, 0).is_ok());
        let flood = format!("<xliff version=\"1.2\">\n  <file{}></file></xliff>", many(100_000));
        let e = parse(InputFormat::Xliff, &flood, 0).unwrap_err();
        assert_eq!((e.line, e.column), (2, 3), "{e}");
        assert!(e.message.contains("<file> has more than 256 attributes"), "{e}");
        let twice = "<xliff version=\"1.2\"><file a=\"1\" b=\"2\" a=\"3\"></file></xliff>";
        let e = parse(InputFormat::Xliff, twice, 0).unwrap_err();
        assert!(
            e.message.contains("bad attribute in <file>") && e.message.contains("duplicate"),
            "{e}"
        );
    }

    #[test]
    fn errors_carry_line_and_column() {
        let x = "<xliff version=\"1.2\">\n<file>\n<body><trans-unit id=\"1\"><source>a</target>";
        let e = parse(InputFormat::Xliff, x, 0).unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.to_string().starts_with("malformed XLIFF at line 3, column"), "{e}");
        let cases = [
            ("<xliff version=\"1.2\">\n<file a=b>\n</file></xliff>", (2, 1), "bad attribute in <file>"),
            ("<xliff version=\"1.2\"><file><body><trans-unit><source>a &bogus;</source></trans-unit></body></file></xliff>", (1, 56), "unknown entity &bogus;"),
            ("<xliff version=\"1.2\">\n<file>\n", (3, 1), "<file> is not closed"),
            ("<html/>", (1, 1), "the root element is <html>, expected <xliff>"),
            ("<xliff version=\"1.2\"><file><body><trans-unit><source>a&#0;</source></trans-unit></body></file></xliff>", (1, 55), "&#0; names no character"),
            ("<xliff version=\"1.2\"></xliff>\n<xliff version=\"1.2\"></xliff>", (2, 1), "a second root element <xliff>"),
            ("<!DOCTYPE xliff [<!ENTITY co \"Guzhen\">]>\n<xliff version=\"1.2\"></xliff>", (1, 1), "entities declared in the DOCTYPE are not supported"),
        ];
        for (text, (line, column), what) in cases {
            let e = parse(InputFormat::Xliff, text, 0).unwrap_err();
            assert_eq!((e.line, e.column), (line, column), "{e}");
            assert!(e.message.contains(what), "{e}");
        }
    }
}
