//! A document: one file's text as read, with the facts every check needs.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::formats::{self, FormatError, InputFormat, Segment, Suppression};
use crate::segment;
use crate::span::{LineIndex, Span};

/// Line ending style of a file, kept by `fix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
}

/// A text ready to check: its content, format, language, the masks of what is not prose, its suppressions and line index.
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
    /// How the file was read.
    pub format: InputFormat,
    /// Markup inside prose (inline code, entities, inline tags, escapes): a finding may run
    /// across it but not begin or end in it; no edit may touch it. Sorted, non-overlapping.
    pub inline_masked: Vec<Span>,
    /// Contents of CDATA sections (XLIFF, TMX): sorted, non-overlapping. Text written there
    /// is stored as it is, only `]]>` split; elsewhere in XML it takes entities.
    pub cdata: Vec<Span>,
    /// Prose units (Markdown blocks, bilingual targets); `None` means the whole body.
    pub regions: Option<Vec<Span>>,
    /// Source/target pairs of a bilingual file.
    pub segments: Vec<Segment>,
    /// Inline suppression comments.
    pub suppressions: Vec<Suppression>,
    /// Source language the file declares (bilingual formats).
    pub source_language: Option<String>,
    line_index: OnceLock<LineIndex>,
    /// Whether the text is hard-wrapped, which decides where paragraphs end; a part of a
    /// document gets its whole document's answer.
    wrapped: OnceLock<bool>,
    paragraphs: OnceLock<Vec<Span>>,
    sentences: OnceLock<Vec<Span>>,
    lines: OnceLock<Vec<Span>>,
    /// URLs, placeholders, code identifiers and the like (see [`crate::protect`]), found on
    /// first use.
    protected: OnceLock<Vec<Span>>,
    /// The words as the word-level checks read them, with an id for each distinct word
    /// (see [`crate::segment::words`]), read on first use.
    word_table: OnceLock<crate::segment::words::WordTable>,
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
            format: InputFormat::Text,
            inline_masked: Vec::new(),
            cdata: Vec::new(),
            regions: None,
            segments: Vec::new(),
            suppressions: Vec::new(),
            source_language: None,
            line_index: OnceLock::new(),
            wrapped: OnceLock::new(),
            paragraphs: OnceLock::new(),
            sentences: OnceLock::new(),
            lines: OnceLock::new(),
            protected: OnceLock::new(),
            word_table: OnceLock::new(),
        }
    }

    /// Builds a document read as `format`: masks, prose regions and segments come from the
    /// format. `language` of `None` means the file's declared target language, else detection
    /// on the prose the format found (the target text of a bilingual file; a Markdown file's
    /// paragraphs and headings, not its code, HTML comments or front matter: a translated
    /// page that keeps its English original in comments is in the language of its prose), or
    /// on the whole text when a monolingual file has no prose the format finds.
    pub fn parse(
        path: impl Into<String>,
        text: String,
        language: Option<&str>,
        format: InputFormat,
    ) -> Result<Self, FormatError> {
        if format == InputFormat::Text {
            return Ok(Document::new(path, text, language));
        }
        let body = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let parsed = formats::parse(format, &text, body)?;
        let language = match language {
            Some(l) => Some(l.to_string()),
            None => parsed.target_lang.as_deref().and_then(formats::primary_language),
        };
        let language = language.unwrap_or_else(|| {
            let sample: std::borrow::Cow<'_, str> = match &parsed.regions {
                Some(regions) if format.is_bilingual() || !regions.is_empty() => regions
                    .iter()
                    .take(2000)
                    .map(|r| r.text(&text))
                    .collect::<Vec<_>>()
                    .join("\n")
                    .into(),
                _ => text[body..].into(),
            };
            crate::language::detect(&sample).to_string()
        });
        let mut doc = Document::new(path, text, Some(&language));
        doc.format = format;
        doc.masked = parsed.masked;
        doc.inline_masked = parsed.inline;
        doc.cdata = parsed.cdata;
        doc.regions = parsed.regions;
        doc.segments = parsed.segments;
        doc.suppressions = parsed.suppressions;
        doc.source_language = parsed.source_lang.as_deref().and_then(formats::primary_language);
        Ok(doc)
    }

    /// The same document with new text (after fixes), read again in its format. Fixes never
    /// touch markup, so this does not fail; if it did, the result masks everything, so nothing
    /// more is flagged or fixed.
    pub fn with_text(&self, text: String) -> Document {
        match Document::parse(self.path.clone(), text.clone(), Some(&self.language), self.format) {
            Ok(d) => d,
            Err(_) => {
                let mut d = Document::new(self.path.clone(), text, Some(&self.language));
                d.format = self.format;
                d.masked = vec![Span::new(0, d.text.len())];
                d
            }
        }
    }

    pub fn line_index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// Paragraph spans, trimmed of surrounding white space. With prose regions (Markdown
    /// blocks, bilingual targets), each region is a paragraph, split at blank lines.
    pub fn paragraphs(&self) -> &[Span] {
        self.paragraphs.get_or_init(|| self.paragraphs_in(0..self.text.len()))
    }

    /// The paragraphs of the lines in `range`, which starts at a line and ends after one.
    fn paragraphs_in(&self, range: std::ops::Range<usize>) -> Vec<Span> {
        match &self.regions {
            None => segment::paragraphs_wrapped(&self.text[..range.end], range.start.max(self.body), self.is_wrapped()),
            Some(regions) => {
                let first = regions.partition_point(|r| r.start < range.start);
                regions[first..]
                    .iter()
                    .take_while(|r| r.end <= range.end)
                    .flat_map(|&r| {
                        let mut out = Vec::new();
                        let mut start = r.start;
                        for line in segment::line_spans(&self.text[..r.end], r.start) {
                            if line.text(&self.text).trim().is_empty() {
                                out.push(trim(&self.text, Span::new(start, line.start)));
                                start = line.end;
                            }
                        }
                        out.push(trim(&self.text, Span::new(start, r.end)));
                        out.retain(|p| !p.is_empty());
                        out
                    })
                    .collect()
            }
        }
    }

    /// Splits the paragraphs and sentences between each two `bounds` (the cut points of
    /// [`Document::cut_points`] and the two ends) in parallel, on the rayon pool, and keeps
    /// them as the document's; a part made afterwards takes its own from them instead of
    /// splitting its text again. Each piece starts after an empty line and holds whole prose
    /// regions, so the result is what one pass over the document gives.
    pub fn segment_in_parts(&self, bounds: &[usize]) {
        use rayon::prelude::*;
        if self.paragraphs.get().is_some() {
            return;
        }
        let pieces: Vec<(Vec<Span>, Vec<Span>)> = bounds
            .par_windows(2)
            .map(|w| {
                let paragraphs = self.paragraphs_in(w[0]..w[1]);
                let sentences = paragraphs
                    .iter()
                    .flat_map(|&p| segment::sentences(&self.text, p, self.sentence_rules()))
                    .collect();
                (paragraphs, sentences)
            })
            .collect();
        let mut paragraphs = Vec::with_capacity(pieces.iter().map(|p| p.0.len()).sum());
        let mut sentences = Vec::with_capacity(pieces.iter().map(|p| p.1.len()).sum());
        for (p, s) in pieces {
            paragraphs.extend(p);
            sentences.extend(s);
        }
        let _ = self.paragraphs.set(paragraphs);
        let _ = self.sentences.set(sentences);
    }

    /// True when the text is hard-wrapped (see [`segment::is_hard_wrapped`]).
    pub(crate) fn is_wrapped(&self) -> bool {
        *self
            .wrapped
            .get_or_init(|| segment::is_hard_wrapped(&self.text, self.body))
    }

    /// Where the document can be cut into parts of about `size` bytes that are checked on
    /// their own, in parallel: offsets right after an empty line, never inside masked text,
    /// markup or a prose region. A part then holds whole paragraphs, and every sentence,
    /// line and region lies in one part. Empty when the document is bilingual (its segments
    /// pair spans across it) or under two parts long.
    pub fn cut_points(&self, size: usize) -> Vec<usize> {
        let text = self.text.as_bytes();
        let size = size.max(1);
        if !self.segments.is_empty() || text.len() / 2 < size {
            return Vec::new();
        }
        let regions = self.regions.as_deref().unwrap_or(&[]);
        let mut cuts = Vec::new();
        let mut from = self.body + size;
        while from + size <= text.len() {
            // The first empty line at or after `from`; the cut goes after it and any empty
            // lines that follow it. A blank line holding spaces is no cut point: boilerplate
            // reads only an empty line before a line as a paragraph break.
            let mut search = from;
            let found = loop {
                let Some(nl) = memchr::memchr(b'\n', &text[search..]) else {
                    break None;
                };
                let after = search + nl + 1;
                if next_line_if_empty(text, after).is_some() {
                    break Some(after);
                }
                search = after;
            };
            let Some(mut at) = found else { break };
            while let Some(next) = next_line_if_empty(text, at) {
                at = next;
            }
            from = at;
            if at >= text.len() || inside(&self.masked, at) || inside(&self.inline_masked, at) || inside(regions, at) {
                continue;
            }
            if text.len() - at < size / 2 {
                break;
            }
            cuts.push(at);
            from = at + size;
        }
        cuts
    }

    /// Every place [`Document::cut_points`] could cut the document, in order: right after one
    /// or more empty lines, before a line with something on it, outside masked text, markup and
    /// prose regions. Empty for a bilingual document.
    pub fn paragraph_cuts(&self) -> Vec<usize> {
        let text = self.text.as_bytes();
        if !self.segments.is_empty() {
            return Vec::new();
        }
        let regions = self.regions.as_deref().unwrap_or(&[]);
        let mut cuts = Vec::new();
        let mut search = self.body;
        while let Some(nl) = memchr::memchr(b'\n', &text[search..]) {
            let mut at = search + nl + 1;
            if next_line_if_empty(text, at).is_none() {
                search = at;
                continue;
            }
            while let Some(next) = next_line_if_empty(text, at) {
                at = next;
            }
            if at >= text.len() {
                break;
            }
            search = at;
            if !inside(&self.masked, at) && !inside(&self.inline_masked, at) && !inside(regions, at) {
                cuts.push(at);
            }
        }
        cuts
    }

    /// What [`Document::part`] gives the part in `range` of the parsed structure (masked
    /// text, markup, CDATA, prose regions, suppressions), in the part's offsets: two stretches
    /// of text with equal structure are checked alike.
    pub fn structure_within(&self, range: std::ops::Range<usize>) -> PartStructure {
        let (start, end) = (range.start, range.end);
        let within = |spans: &[Span]| within(spans, start, end, self.text.len());
        PartStructure {
            masked: within(&self.masked),
            inline_masked: within(&self.inline_masked),
            cdata: within(&self.cdata),
            regions: self.regions.as_deref().map(within),
            suppressions: self.suppressions_within(start, end),
        }
    }

    /// The suppressions over `start..end`, cut to it, in its offsets.
    fn suppressions_within(&self, start: usize, end: usize) -> Vec<Suppression> {
        self.suppressions
            .iter()
            .filter(|s| s.span.start < end && s.span.end > start)
            .map(|s| Suppression {
                span: Span::new(s.span.start.max(start) - start, s.span.end.min(end) - start),
                rules: s.rules.clone(),
            })
            .collect()
    }

    /// The text in `range` (between two cut points, or the ends) as a document of its own,
    /// with this document's format, language and paragraph rule; spans in it start at 0.
    pub fn part(&self, range: std::ops::Range<usize>) -> Document {
        let (start, end) = (range.start, range.end);
        let within = |spans: &[Span]| within(spans, start, end, self.text.len());
        let mut part = Document::new(
            self.path.clone(),
            self.text[start..end].to_string(),
            Some(&self.language),
        );
        part.body = self.body.saturating_sub(start);
        part.line_ending = self.line_ending;
        part.format = self.format;
        part.masked = within(&self.masked);
        part.inline_masked = within(&self.inline_masked);
        part.cdata = within(&self.cdata);
        part.regions = self.regions.as_deref().map(within);
        part.source_language = self.source_language.clone();
        part.suppressions = self.suppressions_within(start, end);
        let _ = part.wrapped.set(self.is_wrapped());
        if let Some(paragraphs) = self.paragraphs.get() {
            let _ = part.paragraphs.set(within(paragraphs));
        }
        if let Some(sentences) = self.sentences.get() {
            let _ = part.sentences.set(within(sentences));
        }
        part
    }

    /// The sentence-splitting data of the document's language, from the shipped packs.
    fn sentence_rules(&self) -> &'static segment::SentenceRules {
        segment::SentenceRules::for_language(&self.language)
    }

    /// Sentence spans, in order, never crossing a paragraph.
    pub fn sentences(&self) -> &[Span] {
        self.sentences.get_or_init(|| {
            self.paragraphs()
                .iter()
                .flat_map(|&p| segment::sentences(&self.text, p, self.sentence_rules()))
                .collect()
        })
    }

    /// Lines of the content (after the BOM), without terminators; with prose regions, the
    /// lines inside them only.
    pub fn lines(&self) -> impl Iterator<Item = Span> + '_ {
        self.lines
            .get_or_init(|| match &self.regions {
                None => segment::line_spans(&self.text, self.body).collect(),
                Some(regions) => regions
                    .iter()
                    .flat_map(|&r| segment::line_spans(&self.text[..r.end], r.start))
                    .collect(),
            })
            .iter()
            .copied()
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

    /// True when no finding may be reported at `span`: it touches a masked region, begins or
    /// ends inside inline markup, or lies wholly within it.
    pub fn blocks_finding(&self, span: Span) -> bool {
        if self.is_masked(span) {
            return true;
        }
        if self.inline_masked.is_empty() {
            return false;
        }
        let first_after = |offset: usize| {
            let i = self.inline_masked.partition_point(|m| m.end <= offset);
            self.inline_masked.get(i).copied()
        };
        let strictly_inside = |offset: usize| first_after(offset).is_some_and(|m| m.start < offset);
        let within = first_after(span.start).is_some_and(|m| m.start <= span.start && span.end <= m.end);
        within || strictly_inside(span.start) || strictly_inside(span.end)
    }

    /// Spans that are not prose (URLs, e-mail addresses, paths, placeholders, markup tags,
    /// numbers in code shapes, emoticons): sorted, non-overlapping.
    pub fn protected(&self) -> &[Span] {
        self.protected
            .get_or_init(|| crate::protect::protected_spans(&self.text, self.body))
    }

    /// True when `span` overlaps inline markup (an entity, an inline tag, an escape).
    pub fn overlaps_inline_markup(&self, span: Span) -> bool {
        let i = self.inline_masked.partition_point(|m| m.end <= span.start);
        self.inline_masked
            .get(i)
            .is_some_and(|m| m.start < span.end.max(span.start + 1))
    }

    /// True when an edit of `span` would change masked text or inline markup.
    pub fn blocks_edit(&self, span: Span) -> bool {
        if self.is_masked(span) {
            return true;
        }
        // In Markdown, an edit right after a backslash could turn it into an escape, and an
        // edit beside a literal `*` or `_` can make it open or close emphasis (`&* ."*` →
        // `&*."*` is emphasised). Delimiters that already are emphasis are markup, kept as is.
        if self.format == InputFormat::Markdown {
            let bytes = self.text.as_bytes();
            let before = bytes.get(..span.start).and_then(|b| b.last().copied());
            let after = bytes.get(span.end).copied();
            let literal = |at: usize| {
                let i = self.inline_masked.partition_point(|m| m.end <= at);
                self.inline_masked.get(i).is_none_or(|m| m.start > at)
            };
            let emphasis_before = matches!(before, Some(b'*' | b'_')) && literal(span.start - 1);
            let emphasis_after = matches!(after, Some(b'*' | b'_')) && literal(span.end);
            if before == Some(b'\\') || emphasis_before || emphasis_after {
                return true;
            }
        }
        if self.inline_masked.is_empty() {
            return false;
        }
        let i = self.inline_masked.partition_point(|m| m.end <= span.start);
        self.inline_masked.get(i).is_some_and(|m| {
            if span.is_empty() {
                m.start < span.start
            } else {
                m.start < span.end
            }
        })
    }

    /// In Markdown, true when `edit` would leave more of the lines it touches bare block
    /// syntax than there were ([`markdown::bare_block_marker`](crate::formats::markdown::bare_block_marker)):
    /// removing the space of `181 .` leaves `181.`, an empty ordered list item.
    pub fn edit_leaves_bare_block(&self, edit: &crate::diagnostic::Edit) -> bool {
        if self.format != InputFormat::Markdown {
            return false;
        }
        let text = self.text.as_str();
        let (start, end) = (edit.span.start, edit.span.end);
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        let after = [
            &text[line_start..start],
            edit.replacement.as_str(),
            &text[end..line_end],
        ]
        .concat();
        let blocks = |s: &str| {
            s.split('\n')
                .filter(|l| crate::formats::markdown::bare_block_marker(l))
                .count()
        };
        blocks(&after) > blocks(&text[line_start..line_end])
    }

    /// True when an inline suppression comment turns `rule_id` off at `span`.
    pub fn is_suppressed(&self, rule_id: &str, span: Span) -> bool {
        self.suppressions.iter().any(|s| s.covers(rule_id, span.start))
    }

    /// `replacement` of the text at `span` written the way the file's format stores text
    /// there: as [`Document::encode`], except inside a CDATA section of XLIFF or TMX, where it
    /// is the text as it is, with any `]]>` split across two sections.
    pub fn encode_at<'r>(&self, span: Span, replacement: &'r str) -> Option<Cow<'r, str>> {
        if matches!(self.format, InputFormat::Xliff | InputFormat::Tmx) {
            let i = self.cdata.partition_point(|c| c.end < span.start);
            if let Some(&c) = self.cdata.get(i).filter(|c| c.start <= span.start && span.end <= c.end) {
                return Some(cdata_escape(&self.text, c, span, replacement));
            }
        }
        self.encode(replacement)
    }

    /// `replacement` written the way the file's format stores text outside CDATA: XML escapes
    /// in XLIFF and TMX, C escapes in PO. `None` when the format cannot hold it (a tab or line
    /// break in a TSV cell).
    pub fn encode<'r>(&self, replacement: &'r str) -> Option<Cow<'r, str>> {
        Some(match self.format {
            InputFormat::Xliff | InputFormat::Tmx if replacement.contains(['&', '<', '>']) => Cow::Owned(
                replacement
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;"),
            ),
            InputFormat::Po if replacement.contains(['\\', '"', '\n', '\t']) => Cow::Owned(
                replacement
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"")
                    .replace('\n', "\\n")
                    .replace('\t', "\\t"),
            ),
            InputFormat::Tsv if replacement.contains(['\t', '\n', '\r']) => return None,
            _ => Cow::Borrowed(replacement),
        })
    }

    /// The table of the document's words (see [`crate::segment::words`]), read on first use.
    pub(crate) fn word_table(&self) -> &crate::segment::words::WordTable {
        self.word_table
            .get_or_init(|| crate::segment::words::WordTable::build(&self.text, 0, self.text.len()))
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

/// `replacement` of `edit`, inside the CDATA section whose content is `content`, written so
/// the section still holds exactly the new text: wherever `]]>` would appear (in the
/// replacement, or across its ends with the text beside it) the section is closed after the
/// first `]` or `]]` and a new one opened, `]]]]><![CDATA[>`. Only the replacement changes.
fn cdata_escape<'r>(text: &str, content: Span, edit: Span, replacement: &'r str) -> Cow<'r, str> {
    const SPLIT: &str = "]]><![CDATA[";
    let bytes = text.as_bytes();
    let before = &bytes[content.start.max(edit.start.saturating_sub(2))..edit.start];
    let after = &bytes[edit.end..content.end.min(edit.end + 2)];
    let joined: Vec<u8> = [before, replacement.as_bytes(), after].concat();
    let (from, to) = (before.len(), before.len() + replacement.len());
    let mut cuts = Vec::new();
    let mut at = 0;
    while let Some(o) = joined[at..].windows(3).position(|w| w == b"]]>") {
        let o = at + o;
        // Cut between `]` and `]` or between `]]` and `>`, wherever the replacement is.
        let cut = if (from..=to).contains(&(o + 2)) { o + 2 } else { o + 1 };
        cuts.push(cut - from);
        at = o + 3;
    }
    if cuts.is_empty() {
        return Cow::Borrowed(replacement);
    }
    let mut out = String::with_capacity(replacement.len() + cuts.len() * SPLIT.len());
    let mut last = 0;
    for cut in cuts {
        out.push_str(&replacement[last..cut]);
        out.push_str(SPLIT);
        last = cut;
    }
    out.push_str(&replacement[last..]);
    Cow::Owned(out)
}

/// The offset after the line starting at `at` if that line is empty (`\n` or `\r\n`).
/// True when `at` lies strictly inside one of `spans` (sorted, non-overlapping).
fn inside(spans: &[Span], at: usize) -> bool {
    let i = spans.partition_point(|s| s.end <= at);
    spans.get(i).is_some_and(|s| s.start < at)
}

/// The spans of `spans` (sorted) that lie in `start..end`, in its offsets; an empty span at the
/// very end of a text of `len` bytes belongs to the last part.
fn within(spans: &[Span], start: usize, end: usize, len: usize) -> Vec<Span> {
    let first = spans.partition_point(|s| s.end < start);
    spans[first..]
        .iter()
        .take_while(|s| s.start < end || (s.is_empty() && s.start == end && end == len))
        .filter(|s| s.start >= start && s.end <= end)
        .map(|s| Span::new(s.start - start, s.end - start))
        .collect()
}

/// The parsed structure of one stretch of a document ([`Document::structure_within`]).
#[derive(Debug, PartialEq, Eq)]
pub struct PartStructure {
    masked: Vec<Span>,
    inline_masked: Vec<Span>,
    cdata: Vec<Span>,
    regions: Option<Vec<Span>>,
    suppressions: Vec<Suppression>,
}

fn next_line_if_empty(text: &[u8], at: usize) -> Option<usize> {
    match text.get(at..)? {
        [b'\n', ..] => Some(at + 1),
        [b'\r', b'\n', ..] => Some(at + 2),
        _ => None,
    }
}

fn trim(text: &str, span: Span) -> Span {
    let s = span.text(text);
    let lead = s.len() - s.trim_start().len();
    if lead == s.len() {
        return Span::empty(span.start);
    }
    Span::new(span.start + lead, span.end - (s.len() - s.trim_end().len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paragraphs of `n` bytes or so, each a line, separated by `sep`.
    fn text(paragraphs: usize, sep: &str) -> String {
        (0..paragraphs)
            .map(|i| format!("Paragraph {i} of the article, with a few words in it."))
            .collect::<Vec<_>>()
            .join(sep)
    }

    #[test]
    fn cuts_fall_after_empty_lines_and_split_the_text_evenly() {
        for sep in ["\n\n", "\r\n\r\n", "\n\n\n"] {
            let doc = Document::new("a.txt", text(400, sep), Some("en"));
            let cuts = doc.cut_points(2000);
            assert!((8..=11).contains(&cuts.len()), "{sep:?}: {} cuts", cuts.len());
            for &at in &cuts {
                let before = &doc.text[..at];
                assert!(before.ends_with("\n\n") || before.ends_with("\n\r\n"), "{sep:?}");
                assert!(
                    !doc.text[at..].starts_with(['\r', '\n']),
                    "{sep:?}: after every empty line"
                );
            }
        }
    }

    #[test]
    fn no_cut_without_an_empty_line_or_in_a_small_or_bilingual_document() {
        assert!(Document::new("a.txt", text(400, "\n"), Some("en"))
            .cut_points(2000)
            .is_empty());
        // A line of spaces is blank but not empty: no cut.
        assert!(Document::new("a.txt", text(400, "\n  \n"), Some("en"))
            .cut_points(2000)
            .is_empty());
        assert!(Document::new("a.txt", text(30, "\n\n"), Some("en"))
            .cut_points(2000)
            .is_empty());
        let tsv: String = (0..400).map(|i| format!("source {i}\ttarget {i}\n\n")).collect();
        let doc = Document::parse("a.tsv", tsv, Some("en"), InputFormat::Tsv).unwrap();
        assert!(!doc.segments.is_empty());
        assert!(doc.cut_points(2000).is_empty());
    }

    #[test]
    fn no_cut_inside_masked_text_and_parts_keep_their_masks() {
        // Code blocks with empty lines inside, between paragraphs.
        let md: String = (0..200)
            .map(|i| format!("Paragraph {i} with some words.\n\n```\ncode {i}\n\n\nmore code\n```\n\n"))
            .collect();
        let doc = Document::parse("a.md", md, Some("en"), InputFormat::Markdown).unwrap();
        let cuts = doc.cut_points(1500);
        assert!(cuts.len() > 5);
        let mut masked = Vec::new();
        for (i, &at) in cuts.iter().enumerate() {
            assert!(
                !doc.masked.iter().any(|m| m.start < at && at < m.end),
                "cut {at} in code"
            );
            let end = cuts.get(i + 1).copied().unwrap_or(doc.text.len());
            let part = doc.part(at..end);
            assert_eq!(part.text, doc.text[at..end]);
            masked.extend(part.masked.iter().map(|m| m.shifted(at)));
        }
        let first = doc.part(0..cuts[0]);
        let all: Vec<Span> = first.masked.iter().copied().chain(masked).collect();
        assert_eq!(all, doc.masked);
    }

    #[test]
    fn a_part_splits_paragraphs_as_its_whole_document_does() {
        // Short lines throughout but for the last: the document is not hard-wrapped, so each
        // line is a paragraph, in the first part too.
        let mut t = text(300, "\n\n").replace(", with", ",\nwith");
        t.push_str(&format!("\n\n{}\n", "word ".repeat(40)));
        let doc = Document::new("a.txt", t, Some("en"));
        let cuts = doc.cut_points(2000);
        let part = doc.part(0..cuts[0]);
        assert!(segment::is_hard_wrapped(&part.text, 0));
        // Each paragraph (ending in an empty line) is two lines, so two paragraphs.
        assert_eq!(part.paragraphs().len(), 2 * part.text.matches("\n\n").count());
    }

    #[test]
    fn paragraphs_and_sentences_split_in_parts_are_those_of_one_pass() {
        let mut wrapped = text(300, "\n\n").replace(", with", ",\nwith");
        wrapped.push_str("\n\n- a list item. Two sentences.\n- another one\n");
        let md = format!(
            "\u{feff}# Title\n\n{}\n\n```\ncode. Not prose.\n\n```\n\n{}\n",
            text(150, "\n\n"),
            text(150, "\n\n> ")
        );
        let docs = [
            Document::new("a.txt", format!("\u{feff}{}", text(400, "\r\n\r\n")), Some("en")),
            Document::new("b.txt", wrapped, Some("en")),
            Document::parse("c.md", md, Some("en"), InputFormat::Markdown).unwrap(),
        ];
        for doc in docs {
            let one_pass = Document::parse(doc.path.clone(), doc.text.clone(), Some("en"), doc.format).unwrap();
            let cuts = doc.cut_points(1500);
            assert!(cuts.len() > 3, "{}: {} cuts", doc.path, cuts.len());
            let bounds: Vec<usize> = std::iter::once(0).chain(cuts).chain([doc.text.len()]).collect();
            let parts_before: Vec<Document> = bounds.windows(2).map(|w| doc.part(w[0]..w[1])).collect();
            doc.segment_in_parts(&bounds);
            assert_eq!(doc.paragraphs(), one_pass.paragraphs(), "{}", doc.path);
            assert_eq!(doc.sentences(), one_pass.sentences(), "{}", doc.path);
            // A part made now takes its spans from the document: the ones it finds itself.
            for (w, before) in bounds.windows(2).zip(parts_before) {
                let after = doc.part(w[0]..w[1]);
                assert_eq!(after.paragraphs(), before.paragraphs(), "{} at {}", doc.path, w[0]);
                assert_eq!(after.sentences(), before.sentences(), "{} at {}", doc.path, w[0]);
            }
        }
    }
}
