//! Positions as the client counts them, and open texts edited by the client's changes.
//!
//! Everything inside mtlint is a byte offset ([`crate::span::Span`]); a position is
//! line/character with the character counted in the encoding agreed at `initialize`: UTF-16
//! code units (the protocol's default), UTF-8 bytes or Unicode scalar values.

use lsp_types::{Position, PositionEncodingKind, Range, TextDocumentContentChangeEvent};

use crate::span::{LineIndex, Span};

/// What a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The encoding to use given the client's `general.positionEncodings`: UTF-8 when offered
    /// (our offsets are bytes already), else UTF-32, else the protocol's default, UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or_default();
        let has = |k: &PositionEncodingKind| offered.iter().any(|o| o == k);
        if has(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if has(&PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }

    /// Units `s` takes in this encoding.
    fn len(self, s: &str) -> usize {
        match self {
            Encoding::Utf8 => s.len(),
            Encoding::Utf16 => s.chars().map(char::len_utf16).sum(),
            Encoding::Utf32 => s.chars().count(),
        }
    }
}

/// A text with its line starts, for converting between byte offsets and positions.
pub struct Lines<'a> {
    text: &'a str,
    index: LineIndex,
    encoding: Encoding,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        Lines {
            text,
            index: LineIndex::new(text),
            encoding,
        }
    }

    /// The position of byte `offset` (clamped to the text, moved back to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.index.line_of(offset);
        let start = self.index.line_span(self.text, line).start;
        let character = self.encoding.len(&self.text[start..offset]);
        Position::new(to_u32(line), to_u32(character))
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of `pos`. A character past the end of its line means the end of the
    /// line (as the protocol says) and one inside a character means its start; a line past the
    /// last is an error, except the line just after it, which means the end of the text.
    pub fn offset(&self, pos: Position) -> Result<usize, PositionError> {
        let line = pos.line as usize;
        let count = self.index.line_count();
        if line >= count {
            if line == count {
                return Ok(self.text.len());
            }
            return Err(PositionError::LineOutOfRange { line: pos.line, count });
        }
        let span = self.index.line_span(self.text, line);
        let wanted = pos.character as usize;
        if self.encoding == Encoding::Utf8 {
            let mut at = span.start + wanted.min(span.len());
            while !self.text.is_char_boundary(at) {
                at -= 1;
            }
            return Ok(at);
        }
        let mut units = 0;
        for (i, c) in span.text(self.text).char_indices() {
            let w = self.encoding.width(c);
            if units + w > wanted {
                return Ok(span.start + i);
            }
            units += w;
        }
        Ok(span.end)
    }

    /// The byte span of `range`; an error when a position is out of range or the range ends
    /// before it starts.
    pub fn span(&self, range: Range) -> Result<Span, PositionError> {
        let start = self.offset(range.start)?;
        let end = self.offset(range.end)?;
        if end < start {
            return Err(PositionError::Backwards(range));
        }
        Ok(Span::new(start, end))
    }
}

/// A position or range the client sent that is not in the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PositionError {
    /// A 0-based `line` beyond the line after the last of the `count` lines.
    #[error("line {line} is out of range: the text has {count} lines")]
    LineOutOfRange { line: u32, count: usize },
    /// A range that ends before it starts.
    #[error(
        "the range ends ({}:{}) before it starts ({}:{})",
        .0.end.line, .0.end.character, .0.start.line, .0.start.character
    )]
    Backwards(Range),
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Applies the client's changes in order. A change whose range is out of the text is an
/// error, and it and the changes after it are not applied.
///
/// Each range is found by scanning the text up to it, without indexing every line: typing in
/// a long document sends a change per keystroke.
pub fn apply_changes(
    text: &mut String,
    changes: Vec<TextDocumentContentChangeEvent>,
    encoding: Encoding,
) -> Result<(), PositionError> {
    for change in changes {
        match change.range {
            None => *text = change.text,
            Some(range) => {
                let start_line = line_start(text, 0, 0, range.start.line)?;
                let start = offset_in_line(text, start_line, range.start.character, encoding);
                let end = if range.end.line >= range.start.line {
                    let end_line = line_start(text, start_line, range.start.line, range.end.line)?;
                    offset_in_line(text, end_line, range.end.character, encoding)
                } else {
                    0
                };
                if range.end.line < range.start.line || end < start {
                    return Err(PositionError::Backwards(range));
                }
                text.replace_range(start..end, &change.text);
            }
        }
    }
    Ok(())
}

/// The byte offset where 0-based `line` starts, scanning from `from`, the start of line
/// `from_line`. The line just after the last means the end of the text.
fn line_start(text: &str, from: usize, from_line: u32, line: u32) -> Result<usize, PositionError> {
    let skip = (line - from_line) as usize;
    if skip == 0 {
        return Ok(from);
    }
    match memchr::memchr_iter(b'\n', &text.as_bytes()[from..]).nth(skip - 1) {
        Some(i) => Ok(from + i + 1),
        None => {
            let count = from_line as usize + memchr::memchr_iter(b'\n', &text.as_bytes()[from..]).count() + 1;
            if line as usize == count {
                Ok(text.len())
            } else {
                Err(PositionError::LineOutOfRange { line, count })
            }
        }
    }
}

/// The byte offset of `character` in the line starting at `start`, clamped as
/// [`Lines::offset`] does.
fn offset_in_line(text: &str, start: usize, character: u32, encoding: Encoding) -> usize {
    let mut end = memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i);
    if end > start && text.as_bytes()[end - 1] == b'\r' {
        end -= 1;
    }
    let wanted = character as usize;
    if encoding == Encoding::Utf8 {
        let mut at = start + wanted.min(end - start);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        return at;
    }
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        let w = encoding.width(c);
        if units + w > wanted {
            return start + i;
        }
        units += w;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn columns_count_the_agreed_units() {
        // CJK (3 bytes, 1 UTF-16 unit), a combining mark (2 bytes, 1 unit), an emoji (4 bytes,
        // 2 units).
        let text = "ab\n中文e\u{301}😀x\n";
        let x = text.find('x').unwrap();
        assert_eq!(Lines::new(text, Encoding::Utf16).position(x), pos(1, 6));
        assert_eq!(Lines::new(text, Encoding::Utf8).position(x), pos(1, 13));
        assert_eq!(Lines::new(text, Encoding::Utf32).position(x), pos(1, 5));
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let lines = Lines::new(text, enc);
            assert_eq!(lines.offset(lines.position(x)), Ok(x), "{enc:?}");
        }
    }

    #[test]
    fn positions_inside_a_character_or_past_a_line_are_clamped() {
        let text = "😀z\nend";
        let lines = Lines::new(text, Encoding::Utf16);
        // Between the two surrogates of the emoji: its start.
        assert_eq!(lines.offset(pos(0, 1)), Ok(0));
        // Past the line's end: the end of the line, before its line break.
        assert_eq!(lines.offset(pos(0, 99)), Ok(5));
        assert_eq!(lines.offset(pos(2, 0)), Ok(text.len()));
        assert!(lines.offset(pos(3, 0)).is_err());
        let utf8 = Lines::new(text, Encoding::Utf8);
        assert_eq!(utf8.offset(pos(0, 2)), Ok(0));
    }

    #[test]
    fn scanning_finds_the_offsets_the_line_index_finds() {
        let text = "ab\r\n中文e\u{301}😀x\n\nlast 😀";
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let lines = Lines::new(text, enc);
            for line in 0..6 {
                for character in 0..16 {
                    let p = pos(line, character);
                    let scanned = line_start(text, 0, 0, line).map(|s| offset_in_line(text, s, character, enc));
                    assert_eq!(scanned, lines.offset(p), "{enc:?} {p:?}");
                }
            }
        }
    }

    #[test]
    fn changes_apply_in_order_and_stop_at_a_bad_one() {
        let change = |range: Option<Range>, text: &str| TextDocumentContentChangeEvent {
            range,
            range_length: None,
            text: text.into(),
        };
        let mut text = "日本 is far.\n".to_string();
        let ok = vec![
            change(Some(Range::new(pos(0, 3), pos(0, 5))), "was"),
            change(Some(Range::new(pos(0, 0), pos(0, 0))), ">"),
        ];
        apply_changes(&mut text, ok, Encoding::Utf16).unwrap();
        assert_eq!(text, ">日本 was far.\n");
        let bad = vec![
            change(Some(Range::new(pos(0, 0), pos(0, 1))), ""),
            change(Some(Range::new(pos(9, 0), pos(9, 1))), "x"),
        ];
        assert!(apply_changes(&mut text, bad, Encoding::Utf16).is_err());
        assert_eq!(text, "日本 was far.\n");
        let backwards = vec![change(Some(Range::new(pos(0, 4), pos(0, 1))), "")];
        assert!(apply_changes(&mut text, backwards, Encoding::Utf16).is_err());
        assert_eq!(text, "日本 was far.\n");
        apply_changes(&mut text, vec![change(None, "new")], Encoding::Utf8).unwrap();
        assert_eq!(text, "new");
    }
}
