//! Two-column TSV: `source<TAB>target` a line. Blank lines are skipped; columns after the
//! second (notes, ids) are kept and never checked.

use super::{FormatError, InputFormat, Parsed, Segment};
use crate::span::Span;

pub fn parse(text: &str, body: usize) -> Result<Parsed, FormatError> {
    let mut parsed = Parsed::default();
    for (n, line) in crate::segment::line_spans(text, body).enumerate() {
        let s = line.text(text);
        if let Some(cr) = s.find('\r') {
            // Old Mac line ends, or a stray CR: read as one line, two rows would merge into
            // one segment without a word. Refused instead.
            return Err(FormatError::at(
                InputFormat::Tsv,
                text,
                line.start + cr,
                "a carriage return without a line feed: rows must end in LF or CRLF (convert the file, e.g. `tr '\\r' '\\n'`)",
            ));
        }
        if s.trim().is_empty() {
            continue;
        }
        let Some(tab) = s.find('\t') else {
            return Err(FormatError::at(
                InputFormat::Tsv,
                text,
                line.end,
                "expected two columns, source<TAB>target, but the line has no tab",
            ));
        };
        let source = Span::new(line.start, line.start + tab);
        let target_start = source.end + 1;
        let target_end = s[tab + 1..].find('\t').map_or(line.end, |i| target_start + i);
        let target = Span::new(target_start, target_end);
        parsed.segments.push(Segment {
            id: Some(format!("line {}", n + 1)),
            source: source.text(text).to_string(),
            source_span: source,
            target: Some(target),
            target_text: target.text(text).to_string(),
            source_codes: Vec::new(),
            target_codes: Vec::new(),
        });
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_carriage_return_is_refused() {
        let err = parse("古镇\tGuzhen\r党建\tParty building\n", 0)
            .unwrap_err()
            .to_string();
        assert!(err.contains("carriage return without a line feed"), "{err}");
        assert!(parse("古镇\tGuzhen\r\n党建\tParty building\r\n", 0).is_ok());
    }

    #[test]
    fn columns_and_errors() {
        let t = "古镇\tGuzhen\r\n\n党建\tParty building\tnote\n";
        let p = parse(t, 0).unwrap();
        assert_eq!(p.segments.len(), 2);
        assert_eq!(p.segments[0].target.unwrap().text(t), "Guzhen");
        assert_eq!(p.segments[1].target_text, "Party building");
        assert_eq!(p.segments[1].id.as_deref(), Some("line 3"));
        let e = parse("a\tb\nno tab here\n", 0).unwrap_err();
        assert_eq!((e.line, e.column), (2, 12), "{e}");
    }
}
