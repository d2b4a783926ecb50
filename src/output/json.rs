//! `json` and `jsonl`: the machine-readable contract of DESIGN.md.

use std::io::{self, Write};

use serde::Serialize;

use super::{position, Emitter, FileReport, Summary};
use crate::diagnostic::Diagnostic;
use crate::document::Document;

#[derive(Serialize)]
struct JsonSpan {
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: usize,
    end: usize,
    replacement: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    start: usize,
    end: usize,
    message: &'a str,
}

/// Another rule's finding of the same defect, merged into this one.
#[derive(Serialize)]
struct JsonRelated {
    rule: String,
    severity: &'static str,
    message: String,
}

/// One finding as the JSON schema has it.
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'static str,
    category: &'a str,
    message: &'a str,
    span: JsonSpan,
    fix: Option<JsonFix<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    labels: Vec<JsonLabel<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated>,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    diagnostics: usize,
    fixable: usize,
}

/// The findings in `doc` as the JSON schema has them.
pub fn diagnostics<'a>(doc: &Document, diags: &'a [Diagnostic]) -> Vec<JsonDiagnostic<'a>> {
    diags.iter().map(|d| diagnostic(doc, d)).collect()
}

/// One finding in `doc` as the JSON schema has it.
fn diagnostic<'a>(doc: &Document, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let (s, e) = position(doc, d);
    JsonDiagnostic {
        rule: d.rule_id(),
        severity: d.severity.as_str(),
        category: d.category(),
        message: &d.message,
        span: JsonSpan {
            start: d.span.start,
            end: d.span.end,
            line: s.line,
            column: s.column,
            end_line: e.line,
            end_column: e.column,
        },
        fix: d.fix.as_ref().map(|f| JsonFix {
            applicability: f.applicability.as_str(),
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit {
                    start: e.span.start,
                    end: e.span.end,
                    replacement: &e.replacement,
                })
                .collect(),
        }),
        labels: d
            .labels
            .iter()
            .map(|l| JsonLabel {
                start: l.span.start,
                end: l.span.end,
                message: &l.message,
            })
            .collect(),
        related: d
            .related
            .to_vec()
            .into_iter()
            .map(|r| JsonRelated {
                severity: r.rule.severity.as_str(),
                rule: r.rule.id.clone(),
                message: r.message,
            })
            .collect(),
    }
}

/// One file's object of the `json` document, pretty-printed and indented to its place in
/// the `files` array, without the comma before it. Files are rendered on their own like
/// this by the worker that checked them ([`super::FileRenderer`]).
///
/// The object is written in three parts, [`block_head`], [`block_findings`] and
/// [`block_tail`], so that a report with many findings can be written slice by slice and is
/// never held whole; the bytes are those of serde_json's pretty printer on the whole object
/// (the tests compare them).
pub fn file_block(out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
    block_head(out, r)?;
    if let Some(doc) = r.document() {
        block_findings(out, doc, r.diagnostics(), true)?;
    }
    block_tail(out, r, !r.diagnostics().is_empty())
}

/// The start of a file's object in the `json` document, up to the `[` of its findings.
pub fn block_head(out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
    write!(
        out,
        "    {{\n      \"path\": {},\n      \"language\": {},\n      \"diagnostics\": [",
        serde_json::to_string(&r.path)?,
        serde_json::to_string(&r.language())?
    )
}

/// `diags`, findings in `doc`, as elements of a file's findings array in the `json`
/// document, each with the line break (and comma, unless `first`: the array's first finding)
/// before it.
pub fn block_findings(out: &mut dyn Write, doc: &Document, diags: &[Diagnostic], mut first: bool) -> io::Result<()> {
    for d in diags {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        // A finding is an element of the `files` array's element's array: four levels of
        // two spaces deep.
        let fmt = serde_json::ser::PrettyFormatter::with_indent(b"  ");
        let mut ser = serde_json::Serializer::with_formatter(
            Indented {
                out: &mut *out,
                indent: b"        ",
                line_start: true,
            },
            fmt,
        );
        diagnostic(doc, d).serialize(&mut ser)?;
    }
    Ok(())
}

/// The end of a file's object in the `json` document, after its findings.
pub fn block_tail(out: &mut dyn Write, r: &FileReport, any_findings: bool) -> io::Result<()> {
    if any_findings {
        out.write_all(b"\n      ")?;
    }
    write!(
        out,
        "],\n      \"error\": {}\n    }}",
        serde_json::to_string(&r.error_message())?
    )
}

/// The start of a file's line in the `jsonl` format, up to the `[` of its findings.
pub fn line_head(out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
    write!(
        out,
        "{{\"path\":{},\"language\":{},\"diagnostics\":[",
        serde_json::to_string(&r.path)?,
        serde_json::to_string(&r.language())?
    )
}

/// `diags`, findings in `doc`, as elements of a file's findings array in the `jsonl` format,
/// each after a comma unless `first` (the array's first finding).
pub fn line_findings(out: &mut dyn Write, doc: &Document, diags: &[Diagnostic], mut first: bool) -> io::Result<()> {
    for d in diags {
        if !first {
            out.write_all(b",")?;
        }
        first = false;
        serde_json::to_writer(&mut *out, &diagnostic(doc, d))?;
    }
    Ok(())
}

/// The end of a file's line in the `jsonl` format, after its findings.
pub fn line_tail(out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
    writeln!(out, "],\"error\":{}}}", serde_json::to_string(&r.error_message())?)
}

/// Writes JSON text deeper than it was laid out: every line gets `indent` first (JSON text
/// has no raw line breaks inside strings, so every '\n' ends a line of the layout).
struct Indented<'o> {
    out: &'o mut dyn Write,
    indent: &'static [u8],
    line_start: bool,
}

impl Write for Indented<'_> {
    fn write(&mut self, mut buf: &[u8]) -> io::Result<usize> {
        let n = buf.len();
        while !buf.is_empty() {
            if self.line_start {
                self.out.write_all(self.indent)?;
                self.line_start = false;
            }
            match memchr::memchr(b'\n', buf) {
                Some(i) => {
                    self.out.write_all(&buf[..=i])?;
                    self.line_start = true;
                    buf = &buf[i + 1..];
                }
                None => {
                    self.out.write_all(buf)?;
                    buf = &[];
                }
            }
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `json`: one document; the `files` array is written element by element.
pub struct Json {
    pub first: bool,
}

impl Emitter for Json {
    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        self.before_rendered(out)?;
        file_block(out, r)
    }

    fn before_rendered(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.first {
            self.first = false;
            out.write_all(b"{\n  \"version\": 1,\n  \"files\": [\n")
        } else {
            out.write_all(b",\n")
        }
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        if self.first {
            write!(out, "{{\n  \"version\": 1,\n  \"files\": [")?;
        } else {
            write!(out, "\n  ")?;
        }
        let summary = JsonSummary {
            files: s.files,
            diagnostics: s.diagnostics,
            fixable: s.fixable_safe + s.fixable_unsafe,
        };
        writeln!(out, "],\n  \"summary\": {}\n}}", serde_json::to_string(&summary)?)
    }
}

/// `jsonl`: one file record a line, written as each file finishes.
pub struct JsonLines;

impl Emitter for JsonLines {
    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        line_head(out, r)?;
        if let Some(doc) = r.document() {
            line_findings(out, doc, r.diagnostics(), true)?;
        }
        line_tail(out, r)
    }

    fn finish(&mut self, _out: &mut dyn Write, _s: &Summary) -> io::Result<()> {
        Ok(())
    }
}
