//! Byte spans into a document, and the line index that turns them into lines and columns.

use serde::Serialize;

/// A half-open byte range `[start, end)` into the text of a file exactly as read.
///
/// Every check, diagnostic and edit uses this one type. Line and column numbers are
/// computed only when output needs them, through [`LineIndex`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }

    pub const fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }

    pub const fn len(self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// Shift a span found in a slice that begins at `offset` into file coordinates.
    pub const fn shifted(self, offset: usize) -> Self {
        Span {
            start: self.start + offset,
            end: self.end + offset,
        }
    }

    pub const fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Two spans overlap when they share a byte, or when an empty span sits strictly
    /// inside the other (an insertion in the middle of a replaced range).
    pub fn overlaps(self, other: Span) -> bool {
        if self.is_empty() && other.is_empty() {
            return self.start == other.start;
        }
        if self.is_empty() {
            return other.start < self.start && self.start < other.end;
        }
        if other.is_empty() {
            return self.start < other.start && other.start < self.end;
        }
        self.start < other.end && other.start < self.end
    }

    pub fn text(self, text: &str) -> &str {
        &text[self.start..self.end]
    }

    /// This span clamped to `text` and widened to the character boundaries around it.
    pub fn whole_chars(self, text: &str) -> Span {
        let mut start = self.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = self.end.clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        Span::new(start, end)
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

/// A 1-based line and column; columns count Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Byte offsets of line starts, for turning byte offsets into line/column at output time.
///
/// A column is counted in characters from the start of its line. On a long line that count
/// would make each position cost the length of the line before it, and a line with many
/// findings quadratic; positions far into a line use [`CharCounts`] instead, so each costs at
/// most one block.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Built the first time a position lies far into a long line.
    counts: std::sync::OnceLock<CharCounts>,
}

/// Bytes a block of [`CharCounts`] covers.
const BLOCK: usize = 256;

/// Characters before each [`BLOCK`]-byte boundary of a text: the characters before any offset
/// are then a table look-up plus a count within one block.
#[derive(Debug, Clone)]
struct CharCounts {
    before_block: Vec<usize>,
}

/// A byte that starts a character (not a UTF-8 continuation byte).
fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

impl CharCounts {
    fn new(text: &str) -> Self {
        let mut before_block = Vec::with_capacity(text.len() / BLOCK + 1);
        let mut total = 0;
        for block in text.as_bytes().chunks(BLOCK) {
            before_block.push(total);
            total += block.iter().filter(|&&b| starts_char(b)).count();
        }
        before_block.push(total);
        CharCounts { before_block }
    }

    /// Characters that start before byte `offset`.
    fn before(&self, text: &str, offset: usize) -> usize {
        let block = offset / BLOCK;
        let from = block * BLOCK;
        self.before_block[block]
            + text.as_bytes()[from..offset]
                .iter()
                .filter(|&&b| starts_char(b))
                .count()
    }
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 64 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            counts: std::sync::OnceLock::new(),
        }
    }

    /// 0-based line number holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let mut start = self.starts[line];
        // A byte order mark is invisible to every editor: columns start after it.
        if line == 0 && text.starts_with('\u{feff}') && offset >= 3 {
            start = 3;
        }
        let column = match text.get(start..offset) {
            None => offset - start,
            Some(s) if s.len() <= 2 * BLOCK => s.chars().count(),
            Some(_) => {
                let counts = self.counts.get_or_init(|| CharCounts::new(text));
                counts.before(text, offset) - counts.before(text, start)
            }
        } + 1;
        LineCol { line: line + 1, column }
    }

    /// Byte range of the 0-based line `line`, without its line terminator.
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let start = self.starts[line];
        let mut end = self.starts.get(line + 1).map_or(text.len(), |&s| s - 1);
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        Span::new(start, end.max(start))
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_chars_not_bytes() {
        let text = "ab\n古镇 town\r\nx";
        let idx = LineIndex::new(text);
        let pos = text.find("town").unwrap();
        assert_eq!(idx.line_col(text, pos), LineCol { line: 2, column: 4 });
        assert_eq!(idx.line_span(text, 1).text(text), "古镇 town");
        assert_eq!(idx.line_span(text, 2).text(text), "x");
        let bom = "\u{feff}ab";
        assert_eq!(LineIndex::new(bom).line_col(bom, 4), LineCol { line: 1, column: 2 });
    }

    #[test]
    fn columns_far_into_long_lines_count_chars() {
        let line = "R & D 研发 ".repeat(400);
        let text = format!("x\n{line}\n\u{feff}{line}");
        let idx = LineIndex::new(&text);
        for (offset, _) in text.char_indices().step_by(13).chain([(text.len(), ' ')]) {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let expected = text[line_start..offset].chars().count() + 1;
            assert_eq!(idx.line_col(&text, offset).column, expected, "offset {offset}");
        }
        let bom = format!("\u{feff}{line}");
        let idx = LineIndex::new(&bom);
        assert_eq!(idx.line_col(&bom, bom.len()).column, line.chars().count() + 1);
    }

    #[test]
    fn overlap_rules() {
        assert!(Span::new(0, 3).overlaps(Span::new(2, 4)));
        assert!(!Span::new(0, 3).overlaps(Span::new(3, 4)));
        assert!(Span::new(0, 3).overlaps(Span::empty(1)));
        assert!(!Span::new(0, 3).overlaps(Span::empty(3)));
        assert!(Span::empty(3).overlaps(Span::empty(3)));
    }
}
