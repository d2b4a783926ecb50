//! `json` and `jsonl`: the machine-readable contract of DESIGN.md.

use std::io::{self, Write};

use serde::Serialize;

use super::{position, FileReport, Summary};

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

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'static str,
    category: &'a str,
    message: &'a str,
    span: JsonSpan,
    fix: Option<JsonFix<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    labels: Vec<JsonLabel<'a>>,
}

#[derive(Serialize)]
pub struct JsonFile<'a> {
    path: &'a str,
    language: Option<&'a str>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    diagnostics: usize,
    fixable: usize,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    files: Vec<JsonFile<'a>>,
    summary: JsonSummary,
}

pub fn file(r: &FileReport) -> JsonFile<'_> {
    let diagnostics = match &r.document {
        Some(doc) => r
            .diagnostics
            .iter()
            .map(|d| {
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
                }
            })
            .collect(),
        None => Vec::new(),
    };
    JsonFile {
        path: &r.path,
        language: r.language(),
        diagnostics,
        error: r.error.as_deref(),
    }
}

pub fn write(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let s = Summary::of(reports);
    let report = JsonReport {
        version: 1,
        files: reports.iter().map(file).collect(),
        summary: JsonSummary {
            files: s.files,
            diagnostics: s.diagnostics,
            fixable: s.fixable_safe + s.fixable_unsafe,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}

pub fn write_lines(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for r in reports {
        serde_json::to_writer(&mut *out, &file(r))?;
        writeln!(out)?;
    }
    Ok(())
}
