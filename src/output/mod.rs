//! Output formats. Each is an [`Emitter`]: it receives file reports one at a time, in input
//! order, as files finish, and a summary at the end, so a run over a large batch holds only
//! the files in flight, never the whole corpus.

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
    /// Adds one file's counts.
    pub fn add(&mut self, r: &FileReport) {
        self.files += 1;
        if r.error.is_some() {
            self.files_with_errors += 1;
        }
        for d in &r.diagnostics {
            self.diagnostics += 1;
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
            match d.fix.as_ref().map(|f| f.applicability) {
                Some(Applicability::Safe) => self.fixable_safe += 1,
                Some(Applicability::Unsafe) => self.fixable_unsafe += 1,
                _ => {}
            }
        }
    }

    pub fn of(reports: &[FileReport]) -> Self {
        let mut s = Summary::default();
        for r in reports {
            s.add(r);
        }
        s
    }
}

/// A format, written as files finish.
pub trait Emitter {
    /// Called once per file, in input order.
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()>;
    /// Called once at the end with the run's totals.
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}

/// The emitter for `format`.
pub fn emitter(format: Format, human: &HumanOptions) -> Box<dyn Emitter> {
    match format {
        Format::Human => Box::new(human::Human { opts: human.clone() }),
        Format::Concise => Box::new(concise::Concise),
        Format::Json => Box::new(json::Json { first: true }),
        Format::Jsonl => Box::new(json::JsonLines),
        Format::Github => Box::new(github::Github),
    }
}

/// Writes all `reports` in `format` at once (for callers that already hold them).
pub fn write(format: Format, reports: &[FileReport], out: &mut dyn Write, human: &HumanOptions) -> io::Result<()> {
    let mut e = emitter(format, human);
    for r in reports {
        e.file(out, r)?;
    }
    e.finish(out, &Summary::of(reports))
}

/// Line and column (1-based, columns in characters) of a span's start and end.
pub fn position(doc: &Document, d: &Diagnostic) -> (crate::span::LineCol, crate::span::LineCol) {
    let idx = doc.line_index();
    (
        idx.line_col(&doc.text, d.span.start),
        idx.line_col(&doc.text, d.span.end),
    )
}
