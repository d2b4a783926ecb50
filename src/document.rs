//! A document: one file's text as read, with the facts every check needs.

use std::sync::OnceLock;

use crate::segment;
use crate::span::{LineIndex, Span};

/// Line ending style of a file, kept by `fix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
}

#[derive(Debug)]
pub struct Document {
    /// The path as given or found, for output.
    pub path: String,
    /// The text exactly as read, BOM included: every span indexes into it.
    pub text: String,
    /// Byte offset where the content starts (3 after a UTF-8 BOM, else 0).
    pub body: usize,
    /// BCP 47 primary language tag of the target text.
    pub language: String,
    pub line_ending: LineEnding,
    /// Regions no check may flag (code, URLs, markup): sorted, non-overlapping.
    pub masked: Vec<Span>,
    line_index: OnceLock<LineIndex>,
    paragraphs: OnceLock<Vec<Span>>,
    sentences: OnceLock<Vec<Span>>,
}

impl Document {
    /// Builds a document; `language` of `None` means detect it from the text.
    pub fn new(path: impl Into<String>, text: String, language: Option<&str>) -> Self {
        let body = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let language = match language {
            Some(l) => l.to_string(),
            None => crate::language::detect(&text[body..]).to_string(),
        };
        let line_ending = match memchr::memchr(b'\n', text.as_bytes()) {
            Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => LineEnding::CrLf,
            _ => LineEnding::Lf,
        };
        Document {
            path: path.into(),
            text,
            body,
            language,
            line_ending,
            masked: Vec::new(),
            line_index: OnceLock::new(),
            paragraphs: OnceLock::new(),
            sentences: OnceLock::new(),
        }
    }

    pub fn line_index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// Paragraph spans, trimmed of surrounding white space.
    pub fn paragraphs(&self) -> &[Span] {
        self.paragraphs
            .get_or_init(|| segment::paragraphs(&self.text, self.body))
    }

    /// Sentence spans, in order, never crossing a paragraph.
    pub fn sentences(&self) -> &[Span] {
        self.sentences.get_or_init(|| {
            self.paragraphs()
                .iter()
                .flat_map(|&p| segment::sentences(&self.text, p))
                .collect()
        })
    }

    /// Lines of the content (after the BOM), without terminators.
    pub fn lines(&self) -> impl Iterator<Item = Span> + '_ {
        segment::line_spans(&self.text, self.body)
    }

    /// True when `span` touches a masked region.
    pub fn is_masked(&self, span: Span) -> bool {
        if self.masked.is_empty() {
            return false;
        }
        let i = self.masked.partition_point(|m| m.end <= span.start);
        self.masked
            .get(i)
            .is_some_and(|m| m.start < span.end.max(span.start + 1))
    }

    /// The span of the sentence holding `offset`, if any.
    pub fn sentence_at(&self, offset: usize) -> Option<Span> {
        let s = self.sentences();
        let i = s.partition_point(|sp| sp.end <= offset);
        s.get(i).filter(|sp| sp.start <= offset).copied()
    }

    /// True when `offset` is the first word of a sentence (ignoring opening quotes and brackets).
    pub fn starts_sentence(&self, offset: usize) -> bool {
        match self.sentence_at(offset) {
            Some(sp) => self.text[sp.start..offset].chars().all(|c| !c.is_alphanumeric()),
            None => true,
        }
    }
}
