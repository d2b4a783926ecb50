//! Input formats: what of a file is prose to check, and, for bilingual files, which source
//! text each target was translated from.
//!
//! Every format keeps the file text as read; parsing only produces spans into it:
//!
//! - `masked`: regions no check may flag or edit (code blocks, front matter, the source side of
//!   a bilingual file, the XML around targets);
//! - `inline`: markup *inside* prose (inline code, link targets, XML entities and inline tags,
//!   PO escapes): a finding may run across it, but not begin or end in it, and no edit may touch it;
//! - `regions`: the prose units (Markdown blocks, bilingual targets) that paragraphs, sentences
//!   and lines are taken from;
//! - `segments`: the source/target pairs of a bilingual file.

pub mod markdown;
pub mod po;
pub mod tsv;
pub mod xml;

use std::fmt;
use std::path::Path;

use crate::span::Span;

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum InputFormat {
    /// Plain text: everything is prose.
    #[default]
    Text,
    Markdown,
    /// XLIFF 1.2 or 2.0.
    Xliff,
    /// gettext PO.
    Po,
    Tmx,
    /// Two columns, source TAB target.
    Tsv,
}

impl InputFormat {
    /// Names accepted by `--input-format`.
    pub const NAMES: [&'static str; 6] = ["text", "markdown", "xliff", "po", "tmx", "tsv"];

    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Text => "text",
            InputFormat::Markdown => "markdown",
            InputFormat::Xliff => "xliff",
            InputFormat::Po => "po",
            InputFormat::Tmx => "tmx",
            InputFormat::Tsv => "tsv",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "text" | "txt" | "plain" => InputFormat::Text,
            "markdown" | "md" => InputFormat::Markdown,
            "xliff" | "xlf" => InputFormat::Xliff,
            "po" | "pot" | "gettext" => InputFormat::Po,
            "tmx" => InputFormat::Tmx,
            "tsv" => InputFormat::Tsv,
            _ => return None,
        })
    }

    /// True for formats that pair each target with its source.
    pub fn is_bilingual(self) -> bool {
        matches!(
            self,
            InputFormat::Xliff | InputFormat::Po | InputFormat::Tmx | InputFormat::Tsv
        )
    }

    /// The format of a file: by extension, else by a look at its first bytes.
    pub fn detect(path: &Path, text: &str) -> Self {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        match ext.as_str() {
            "md" | "markdown" | "mdown" | "mkd" => return InputFormat::Markdown,
            "xlf" | "xliff" | "sdlxliff" | "mxliff" => return InputFormat::Xliff,
            "po" | "pot" => return InputFormat::Po,
            "tmx" => return InputFormat::Tmx,
            "tsv" | "tab" => return InputFormat::Tsv,
            "txt" | "text" => return InputFormat::Text,
            _ => {}
        }
        Self::sniff(text)
    }

    /// Guesses the format from content alone (standard input, unknown extensions).
    pub fn sniff(text: &str) -> Self {
        let head: &str = match text.char_indices().nth(2048) {
            Some((i, _)) => &text[..i],
            None => text,
        };
        let head = head.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with('<') {
            if head.contains("<xliff") {
                return InputFormat::Xliff;
            }
            if head.contains("<tmx") {
                return InputFormat::Tmx;
            }
        }
        let po_like = head.lines().any(|l| l.starts_with("msgid \"")) && head.lines().any(|l| l.starts_with("msgstr"));
        if po_like {
            return InputFormat::Po;
        }
        if head.starts_with("---\n") || head.starts_with("---\r\n") || head.starts_with("# ") || head.contains("\n```")
        {
            return InputFormat::Markdown;
        }
        InputFormat::Text
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An inline code of a segment: a placeholder or tag, by a key that is equal in source and
/// target when the code is the same (`<g id="1">`, `</g>`, `<x id="2"/>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub key: String,
    /// Where it is in the file.
    pub span: Span,
}

/// One source/target pair of a bilingual file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The unit's id (XLIFF `id`, PO `msgctxt`, TSV line number), for messages.
    pub id: Option<String>,
    /// The source text, decoded (entities resolved, escapes undone, inline tags left out).
    pub source: String,
    /// The source text in the file (including its markup).
    pub source_span: Span,
    /// The target text in the file, between its tags or quotes; `None` when the unit has no
    /// target to edit (no `<target>` element, or an empty-element one).
    pub target: Option<Span>,
    /// The target text, decoded like `source`.
    pub target_text: String,
    /// Markup codes of the source and the target, in order.
    pub source_codes: Vec<Code>,
    pub target_codes: Vec<Code>,
}

impl Segment {
    /// Where a finding about the whole segment is reported: the target, else the source.
    pub fn anchor(&self) -> Span {
        match self.target {
            Some(t) if !t.is_empty() => t,
            _ => self.source_span,
        }
    }
}

/// Inline suppression: the rules (ids or pack names; empty means all) off in `span`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub span: Span,
    pub rules: Vec<String>,
}

impl Suppression {
    pub fn covers(&self, rule_id: &str, offset: usize) -> bool {
        self.span.start <= offset
            && offset < self.span.end
            && (self.rules.is_empty()
                || self
                    .rules
                    .iter()
                    .any(|r| r == rule_id || rule_id.strip_prefix(r.as_str()).is_some_and(|t| t.starts_with('/'))))
    }
}

/// What parsing a file yields; see the module doc.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub masked: Vec<Span>,
    pub inline: Vec<Span>,
    pub regions: Option<Vec<Span>>,
    pub segments: Vec<Segment>,
    pub suppressions: Vec<Suppression>,
    /// Contents of `<![CDATA[…]]>` sections in XLIFF and TMX text (without the markers):
    /// sorted. Text a fix inserts there is written as CDATA, not with entities.
    pub cdata: Vec<Span>,
    /// Languages the file declares (XLIFF, TMX, PO headers).
    pub source_lang: Option<String>,
    pub target_lang: Option<String>,
}

/// A file that cannot be read in its format, with the place where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub format: InputFormat,
    pub offset: usize,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl FormatError {
    pub fn at(format: InputFormat, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let offset = offset.min(text.len());
        let mut offset = offset;
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        FormatError {
            format,
            offset,
            line: text[..offset].matches('\n').count() + 1,
            column: text[line_start..offset].chars().count() + 1,
            message: message.into(),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "malformed {} at line {}, column {}: {}",
            match self.format {
                InputFormat::Xliff => "XLIFF",
                InputFormat::Po => "PO file",
                InputFormat::Tmx => "TMX",
                InputFormat::Tsv => "TSV",
                InputFormat::Markdown => "Markdown",
                InputFormat::Text => "text",
            },
            self.line,
            self.column,
            self.message
        )
    }
}

impl std::error::Error for FormatError {}

/// Parses `text` (content from `body` on) as `format`.
pub fn parse(format: InputFormat, text: &str, body: usize) -> Result<Parsed, FormatError> {
    let mut parsed = match format {
        InputFormat::Text => return Ok(Parsed::default()),
        InputFormat::Markdown => markdown::parse(text, body),
        InputFormat::Xliff | InputFormat::Tmx => xml::parse(format, text, body)?,
        InputFormat::Po => po::parse(text, body)?,
        InputFormat::Tsv => tsv::parse(text, body)?,
    };
    if format.is_bilingual() {
        // Everything that is not target text is masked.
        let mut targets: Vec<Span> = parsed.segments.iter().filter_map(|s| s.target).collect();
        targets.sort();
        parsed.masked = complement(&targets, body, text.len());
        parsed.regions = Some(targets.into_iter().filter(|t| !t.is_empty()).collect());
    }
    parsed.masked = normalize(std::mem::take(&mut parsed.masked));
    parsed.inline = normalize(std::mem::take(&mut parsed.inline));
    Ok(parsed)
}

/// The parts of `[from, to)` not covered by `spans` (sorted, non-overlapping).
pub fn complement(spans: &[Span], from: usize, to: usize) -> Vec<Span> {
    let mut out = Vec::new();
    let mut pos = from;
    for s in spans {
        if s.start > pos {
            out.push(Span::new(pos, s.start));
        }
        pos = pos.max(s.end);
    }
    if pos < to {
        out.push(Span::new(pos, to));
    }
    out
}

/// Sorts spans and merges overlapping or touching ones; drops empty ones.
pub fn normalize(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|s| !s.is_empty());
    spans.sort();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// The primary language of a language tag a file declares (`en-US` → `en`, `zh_CN` → `zh`,
/// `zh-Hans-CN` → `zh`), as [`crate::language::primary`] reads it; `None` when it is no tag.
pub fn primary_language(tag: &str) -> Option<String> {
    crate::language::primary(tag).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_by_extension_then_content() {
        assert_eq!(InputFormat::detect(Path::new("a.xlf"), ""), InputFormat::Xliff);
        assert_eq!(InputFormat::detect(Path::new("a.PO"), ""), InputFormat::Po);
        assert_eq!(
            InputFormat::detect(Path::new("<stdin>"), "<?xml version=\"1.0\"?>\n<xliff version=\"2.0\">"),
            InputFormat::Xliff
        );
        assert_eq!(
            InputFormat::detect(Path::new("x"), "<?xml version=\"1.0\"?><tmx version=\"1.4\">"),
            InputFormat::Tmx
        );
        assert_eq!(
            InputFormat::detect(Path::new("x"), "msgid \"a\"\nmsgstr \"b\"\n"),
            InputFormat::Po
        );
        assert_eq!(InputFormat::detect(Path::new("x"), "Just prose."), InputFormat::Text);
    }

    #[test]
    fn spans_merge_and_complement() {
        let n = normalize(vec![Span::new(5, 8), Span::new(0, 2), Span::new(2, 3), Span::new(7, 9)]);
        assert_eq!(n, vec![Span::new(0, 3), Span::new(5, 9)]);
        assert_eq!(complement(&n, 0, 12), vec![Span::new(3, 5), Span::new(9, 12)]);
    }
}
