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

/// One file in the `json` format's schema.
#[derive(Serialize)]
pub struct JsonFile<'a> {
    path: &'a str,
    language: Option<&'a str>,
    diagnostics: JsonDiagnostics<'a>,
    error: Option<String>,
}

/// A file's findings, each put in its JSON form only when it is written: a file with 90,000
/// findings is not held a second time as JSON values.
pub struct JsonDiagnostics<'a> {
    doc: Option<&'a Document>,
    diags: &'a [Diagnostic],
}

impl Serialize for JsonDiagnostics<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.doc {
            Some(doc) => s.collect_seq(self.diags.iter().map(|d| diagnostic(doc, d))),
            None => s.collect_seq(std::iter::empty::<JsonDiagnostic<'_>>()),
        }
    }
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    diagnostics: usize,
    fixable: usize,
}

pub fn file(r: &FileReport) -> JsonFile<'_> {
    JsonFile {
        path: &r.path,
        language: r.language(),
        diagnostics: JsonDiagnostics {
            doc: r.document(),
            diags: r.diagnostics(),
        },
        error: r.error_message(),
    }
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
pub fn file_block(out: &mut Vec<u8>, r: &FileReport) -> io::Result<()> {
    out.reserve(512 + 384 * r.diagnostics().len());
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"  ");
    let mut ser = serde_json::Serializer::with_formatter(Indented { out, line_start: true }, fmt);
    file(r).serialize(&mut ser)?;
    Ok(())
}

/// Writes JSON text two levels deeper than it was laid out: every line gets four more spaces
/// (JSON text has no raw line breaks inside strings, so every '\n' ends a line of the layout).
struct Indented<'o> {
    out: &'o mut Vec<u8>,
    line_start: bool,
}

impl Write for Indented<'_> {
    fn write(&mut self, mut buf: &[u8]) -> io::Result<usize> {
        let n = buf.len();
        while !buf.is_empty() {
            if self.line_start {
                self.out.extend_from_slice(b"    ");
                self.line_start = false;
            }
            match memchr::memchr(b'\n', buf) {
                Some(i) => {
                    self.out.extend_from_slice(&buf[..=i]);
                    self.line_start = true;
                    buf = &buf[i + 1..];
                }
                None => {
                    self.out.extend_from_slice(buf);
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
        let mut block = Vec::new();
        file_block(&mut block, r)?;
        out.write_all(&block)
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
        serde_json::to_writer(&mut *out, &file(r))?;
        writeln!(out)
    }

    fn finish(&mut self, _out: &mut dyn Write, _s: &Summary) -> io::Result<()> {
        Ok(())
    }
}
