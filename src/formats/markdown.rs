//! Markdown: prose only. Parsed with pulldown-cmark's offset iterator, so every region is a
//! byte range of the file.
//!
//! The prose regions are the runs of inline content of each block (a paragraph, a heading, a
//! list item, a table cell): paragraphs and sentences never run across a block boundary, and a
//! code block never counts in a sentence. Everything outside them (code blocks, front matter,
//! HTML blocks, list and heading markers, table pipes) is masked. Inside a region, inline code,
//! inline HTML, autolinks, bare URLs, link destinations and emphasis markers are inline masked:
//! a sentence may run across them, no finding begins or ends in them, no fix touches them.
//!
//! Inline suppression by HTML comment: `<!-- mtlint-disable [RULES] -->` … `<!-- mtlint-enable
//! [RULES] -->`, and `<!-- mtlint-disable-next-line [RULES] -->` (the line after the comment).
//! RULES are rule ids (`en/run-on`) or pack names, separated by commas or spaces; none means all.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;

use super::{Parsed, Suppression};
use crate::span::Span;

static SUPPRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--\s*mtlint-(disable-next-line|disable|enable)\b([^>]*?)\s*-->").expect("valid regex")
});
static BARE_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:https?://|ftp://|www\.)[^\s<>()\[\]"'`]+|\b[\w.+-]+@[\w-]+\.[\w.-]+\b"#)
        .expect("valid regex")
});

#[derive(Default)]
struct Builder {
    regions: Vec<Span>,
    inline: Vec<Span>,
    /// Region being built and the parts of it that are text.
    current: Option<Span>,
    covered: Vec<Span>,
    /// No text of the current block yet but white-space entities.
    indenting: bool,
}

impl Builder {
    fn extend(&mut self, span: Span) {
        self.indenting = false;
        self.current = Some(match self.current {
            Some(c) => Span::new(c.start.min(span.start), c.end.max(span.end)),
            None => span,
        });
    }

    fn text(&mut self, span: Span) {
        self.extend(span);
        self.covered.push(span);
    }

    fn close(&mut self) {
        self.indenting = true;
        if let Some(region) = self.current.take() {
            self.covered.sort();
            let covered = super::normalize(std::mem::take(&mut self.covered));
            // Markup between the text runs of a block: `**`, `[`, `](url)`, `> ` …
            for gap in super::complement(&covered, region.start, region.end) {
                self.inline.push(gap);
            }
            self.regions.push(region);
        }
    }
}

/// True when `raw` is only white space and white-space character references.
fn is_space_entities(raw: &str) -> bool {
    static SPACES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:\s|&(?:nbsp|ensp|emsp|thinsp|#160|#xa0|#8194|#8195|#12288|#x3000);)+$")
            .expect("valid regex")
    });
    SPACES.is_match(raw)
}

fn is_block_start(tag: &Tag<'_>) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_block_end(tag: &TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

fn is_opaque_block(tag: &Tag<'_>) -> bool {
    matches!(tag, Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_))
}

fn is_opaque_block_end(tag: &TagEnd) -> bool {
    matches!(tag, TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_))
}

/// True when `line` is Markdown block syntax with no text of its own (CommonMark): after at
/// most three spaces, a heading's `#`s, a block quote's `>`, a bullet or an ordered list's
/// number with nothing after it, a code fence, a thematic break or a setext underline. A fix
/// that leaves such a line where there was none changes the document's structure by
/// accident (`181 .` → `181.`, an empty list item), unlike one that completes a marker
/// before text (`###Title` → `### Title`).
pub fn bare_block_marker(line: &str) -> bool {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return false;
    }
    let rest = &line[indent..];
    if rest.starts_with("```") || rest.starts_with("~~~") {
        return true;
    }
    let blank = |s: &str| s.trim_matches([' ', '\t']).is_empty();
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker = if (1..=6).contains(&hashes) {
        hashes
    } else if rest.starts_with(['>', '-', '+', '*']) {
        1
    } else if (1..=9).contains(&digits) && rest[digits..].starts_with(['.', ')']) {
        digits + 1
    } else {
        0
    };
    if marker > 0 && blank(&rest[marker..]) {
        return true;
    }
    // A thematic break (`***`, `- - -`, `___`) or a setext underline (`===`, `---`).
    let trimmed = rest.trim_end_matches([' ', '\t']);
    let only = |c: char, least: usize| {
        trimmed.starts_with(c)
            && trimmed.chars().all(|x| x == c || x == ' ' || x == '\t')
            && trimmed.matches(c).count() >= least
    };
    only('-', 3) || only('*', 3) || only('_', 3) || only('=', 1)
}

pub fn parse(text: &str, body: usize) -> Parsed {
    let src = &text[body..];
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut b = Builder::default();
    let mut opaque = 0usize;
    let mut comments: Vec<Span> = Vec::new();
    let shift = |r: Range<usize>| Span::new(body + r.start, body + r.end);
    for (event, range) in Parser::new_ext(src, options).into_offset_iter() {
        let span = shift(range.clone());
        match event {
            Event::Start(tag) => {
                if is_opaque_block(&tag) {
                    b.close();
                    opaque += 1;
                } else if opaque > 0 {
                } else if is_block_start(&tag) {
                    b.close();
                } else {
                    if let Tag::Link {
                        link_type: LinkType::Autolink | LinkType::Email,
                        ..
                    } = tag
                    {
                        b.inline.push(span);
                    }
                    b.extend(span);
                }
            }
            Event::End(tag) => {
                if is_opaque_block_end(&tag) {
                    opaque = opaque.saturating_sub(1);
                } else if opaque > 0 {
                } else if is_block_end(&tag) {
                    b.close();
                }
            }
            Event::Html(_) => comments.push(span),
            _ if opaque > 0 => {}
            Event::Text(t) => {
                let raw = &src[range.clone()];
                // `&emsp;&emsp;` opening a paragraph is indentation scraped from a web page,
                // not markup: left unmasked for the `unicode` check to remove.
                let indent = b.indenting && is_space_entities(raw);
                b.text(span);
                b.indenting = indent;
                if raw != t.as_ref() && !indent {
                    // Escapes or entities: the source is not the text; keep it as written.
                    b.inline.push(span);
                } else {
                    for m in BARE_URL.find_iter(raw) {
                        let url = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
                        b.inline
                            .push(Span::new(span.start + m.start(), span.start + m.start() + url.len()));
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => b.text(span),
            Event::InlineHtml(_) => {
                comments.push(span);
                b.extend(span);
                b.inline.push(span);
            }
            Event::Code(_) | Event::InlineMath(_) | Event::FootnoteReference(_) | Event::TaskListMarker(_) => {
                b.extend(span);
                b.inline.push(span);
            }
            Event::DisplayMath(_) => {
                b.extend(span);
                b.inline.push(span);
            }
            Event::Rule => b.close(),
        }
    }
    b.close();
    let mut regions = super::normalize(b.regions);
    regions.retain(|r| !text[r.start..r.end].trim().is_empty());
    Parsed {
        masked: super::complement(&regions, body, text.len()),
        inline: b.inline,
        suppressions: suppressions(text, &comments),
        regions: Some(regions),
        ..Parsed::default()
    }
}

/// Reads the suppression comments found in HTML events.
fn suppressions(text: &str, html: &[Span]) -> Vec<Suppression> {
    let mut out = Vec::new();
    let mut open: Vec<(usize, Vec<String>)> = Vec::new();
    for h in html {
        for c in SUPPRESS.captures_iter(h.text(text)) {
            let (Some(all), Some(verb)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let start = h.start + all.start();
            let end = h.start + all.end();
            let rules: Vec<String> = c
                .get(2)
                .map(|m| {
                    m.as_str()
                        .split(|ch: char| ch == ',' || ch.is_whitespace())
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            match verb.as_str() {
                "disable" => open.push((end, rules)),
                "enable" => {
                    open.retain(|(from, r)| {
                        let closes = rules.is_empty() || r.iter().all(|x| rules.contains(x)) && !r.is_empty();
                        if closes {
                            out.push(Suppression {
                                span: Span::new(*from, start),
                                rules: r.clone(),
                            });
                        }
                        !closes
                    });
                }
                _ => {
                    let next = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
                    let next_end = text[next..].find('\n').map_or(text.len(), |i| next + i);
                    out.push(Suppression {
                        span: Span::new(end, next_end.max(next)),
                        rules,
                    });
                }
            }
        }
    }
    for (from, rules) in open {
        out.push(Suppression {
            span: Span::new(from, text.len()),
            rules,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn bare_block_markers_are_seen() {
        for line in [
            "181.", "1)", "#", "> ", "-", "* ", "```rust", "---", "===", "   2.", "* * *", "181.\r",
        ] {
            assert!(super::bare_block_marker(line), "{line:?}");
        }
        for line in [
            "181 .",
            "1. a",
            "# Title",
            "> quote",
            "- item",
            "#hashtag",
            "-5",
            "    1.",
            "Mr. Li",
            "1234567890.",
            "--- a",
        ] {
            assert!(!super::bare_block_marker(line), "{line:?}");
        }
    }

    use super::*;

    fn regions(md: &str) -> Vec<&str> {
        parse(md, 0).regions.unwrap().into_iter().map(|r| r.text(md)).collect()
    }

    #[test]
    fn prose_regions_skip_code_and_front_matter() {
        let md = "---\ntitle: x\n---\n\n# The title\n\nSome `code` and [a link](http://x.y/z) here.\n\n```\nlet x = 1;\n```\n\n- item one\n- item two\n";
        assert_eq!(
            regions(md),
            vec![
                "The title",
                "Some `code` and [a link](http://x.y/z) here.",
                "item one",
                "item two"
            ]
        );
        let p = parse(md, 0);
        let inline: Vec<&str> = p.inline.iter().map(|s| s.text(md)).collect();
        assert!(inline.contains(&"`code`"), "{inline:?}");
        assert!(inline.contains(&"](http://x.y/z)"), "{inline:?}");
        assert!(p.masked.iter().any(|m| m.text(md).contains("let x = 1;")));
    }

    #[test]
    fn suppression_comments() {
        let md = "<!-- mtlint-disable-next-line en/run-on -->\nLong line.\n\n<!-- mtlint-disable -->\nOff.\n<!-- mtlint-enable -->\n\nOn.\n";
        let p = parse(md, 0);
        assert_eq!(p.suppressions.len(), 2, "{:?}", p.suppressions);
        let first = &p.suppressions[0];
        assert!(first.covers("en/run-on", md.find("Long").unwrap()));
        assert!(!first.covers("en/other", md.find("Long").unwrap()));
        let off = md.find("Off").unwrap();
        assert!(p.suppressions[1].covers("any/rule", off));
        assert!(!p.suppressions[1].covers("any/rule", md.find("On.").unwrap()));
    }
}
