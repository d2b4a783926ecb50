//! Output formats. Each consumes the same per-file reports.

mod concise;
mod github;
mod human;
mod json;

use std::io::{self, Write};

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::document::Document;

pub use human::HumanOptions;

/// The result of checking one file.
#[derive(Debug)]
pub struct FileReport {
    pub path: String,
    /// The checked document (absent when the file could not be read).
    pub document: Option<Document>,
    pub diagnostics: Vec<Diagnostic>,
    /// Why the file could not be checked.
    pub error: Option<String>,
}

impl FileReport {
    pub fn failed(path: impl Into<String>, error: impl Into<String>) -> Self {
        FileReport {
            path: path.into(),
            document: None,
            diagnostics: Vec::new(),
            error: Some(error.into()),
        }
    }

    pub fn language(&self) -> Option<&str> {
        self.document.as_ref().map(|d| d.language.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Source line, span underlined, message, rule id and suggested fix.
    Human,
    /// One line a finding: `path:line:col: rule: message`.
    Concise,
    /// One JSON document (see README: JSON output).
    Json,
    /// One JSON object a file, a line each.
    Jsonl,
    /// GitHub Actions workflow annotations.
    Github,
}

/// Totals over a run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub files: usize,
    pub files_with_errors: usize,
    pub diagnostics: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub fixable_safe: usize,
    pub fixable_unsafe: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Self {
        let mut s = Summary {
            files: reports.len(),
            ..Summary::default()
        };
        for r in reports {
            if r.error.is_some() {
                s.files_with_errors += 1;
            }
            for d in &r.diagnostics {
                s.diagnostics += 1;
                match d.severity {
                    Severity::Error => s.errors += 1,
                    Severity::Warning => s.warnings += 1,
                    Severity::Info => s.infos += 1,
                }
                match d.fix.as_ref().map(|f| f.applicability) {
                    Some(Applicability::Safe) => s.fixable_safe += 1,
                    Some(Applicability::Unsafe) => s.fixable_unsafe += 1,
                    _ => {}
                }
            }
        }
        s
    }
}

/// Writes `reports` in `format` to `out`.
pub fn write(
    format: Format,
    reports: &[FileReport],
    out: &mut dyn Write,
    human: &HumanOptions,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(reports, out, human),
        Format::Concise => concise::write(reports, out),
        Format::Json => json::write(reports, out),
        Format::Jsonl => json::write_lines(reports, out),
        Format::Github => github::write(reports, out),
    }
}

/// Line and column (1-based, columns in characters) of a span's start and end.
pub fn position(doc: &Document, d: &Diagnostic) -> (crate::span::LineCol, crate::span::LineCol) {
    let idx = doc.line_index();
    (
        idx.line_col(&doc.text, d.span.start),
        idx.line_col(&doc.text, d.span.end),
    )
}
