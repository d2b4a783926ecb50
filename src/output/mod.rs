//! Output formats. Each is an [`Emitter`]: it receives file reports one at a time, in input
//! order, as files finish, and a summary at the end, so a run over a large batch holds only
//! the files in flight, never the whole corpus.

mod catalog;
mod concise;
pub mod explain;
mod github;
mod gitlab;
mod human;
pub(crate) mod json;
mod junit;
pub mod preview;
/// Text made safe to print: [`crate::sanitize`], below every module that prints.
pub use crate::sanitize;
pub(crate) mod sarif;
mod statistics;

use std::io::{self, Write};
use std::sync::Arc;

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::document::Document;
use crate::error::FileError;

pub use catalog::{code_span, RuleCatalog, RuleDoc};
pub use github::step_summary;
pub use gitlab::Fingerprints;
pub use human::{groups, terminal_width, write_fixes, write_summary, HumanOptions, Palette};
pub use statistics::{RuleStatistics, Statistics};

/// The result of checking one file: its path as shown, and what came of it.
#[derive(Debug)]
pub struct FileReport {
    pub path: String,
    pub outcome: Outcome,
}

/// A file was either checked, or it failed, with the reason.
// Nearly every file is checked: boxing that variant would allocate for each to save space in
// the rare failed one.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Outcome {
    Checked {
        document: Document,
        diagnostics: Vec<Diagnostic>,
    },
    Failed(FileError),
}

impl FileReport {
    /// A checked file and its findings.
    pub fn checked(path: impl Into<String>, document: Document, diagnostics: Vec<Diagnostic>) -> Self {
        FileReport {
            path: path.into(),
            outcome: Outcome::Checked { document, diagnostics },
        }
    }

    /// A file that could not be checked.
    pub fn failed(path: impl Into<String>, error: impl Into<FileError>) -> Self {
        FileReport {
            path: path.into(),
            outcome: Outcome::Failed(error.into()),
        }
    }

    /// The checked document; `None` when the file failed.
    pub fn document(&self) -> Option<&Document> {
        match &self.outcome {
            Outcome::Checked { document, .. } => Some(document),
            Outcome::Failed(_) => None,
        }
    }

    /// The findings; none when the file failed.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match &self.outcome {
            Outcome::Checked { diagnostics, .. } => diagnostics,
            Outcome::Failed(_) => &[],
        }
    }

    /// Why the file could not be checked, if it could not.
    pub fn error(&self) -> Option<&FileError> {
        match &self.outcome {
            Outcome::Checked { .. } => None,
            Outcome::Failed(e) => Some(e),
        }
    }

    /// Why the file could not be checked, as the command line says it.
    pub fn error_message(&self) -> Option<String> {
        self.error().map(|e| e.to_string())
    }

    /// The language the file was checked as.
    pub fn language(&self) -> Option<&str> {
        self.document().map(|d| d.language.as_str())
    }
}

/// The output formats of `check` and `fix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Source line, span underlined, message, rule id and suggested fix.
    Human,
    /// One line a finding: `path:line:col: rule: message`.
    Concise,
    /// One JSON document (see docs/reports.md: JSON output).
    Json,
    /// One JSON object a file, a line each.
    Jsonl,
    /// GitHub Actions workflow annotations.
    Github,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF viewers).
    Sarif,
    /// JUnit XML: one test case a file.
    Junit,
    /// GitLab Code Quality report.
    Gitlab,
}

/// Findings counted by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    /// Counts one finding of severity `s`.
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }

    /// All findings counted.
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    /// The findings of severity `s`.
    pub fn of(&self, s: Severity) -> usize {
        match s {
            Severity::Error => self.errors,
            Severity::Warning => self.warnings,
            Severity::Info => self.infos,
        }
    }
}

/// Totals over a run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub files: usize,
    pub files_with_errors: usize,
    pub diagnostics: usize,
    pub severities: Counts,
    pub fixable_safe: usize,
    pub fixable_unsafe: usize,
    /// Files passed over while walking directories (by extension, `include` or `exclude`).
    pub skipped: usize,
}

impl Summary {
    /// Adds one file's counts.
    pub fn add(&mut self, r: &FileReport) {
        self.files += 1;
        if r.error().is_some() {
            self.files_with_errors += 1;
        }
        for d in r.diagnostics() {
            self.diagnostics += 1;
            self.severities.add(d.severity);
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
    /// Called before a file's output rendered by a [`FileRenderer`] is written, in place of
    /// [`Emitter::file`]: what the format puts between files (a JSON array's comma).
    fn before_rendered(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

/// What some formats need beyond the findings.
#[derive(Debug, Clone)]
pub struct EmitOptions {
    pub human: HumanOptions,
    /// Rule documentation (SARIF's rule descriptors carry it).
    pub rules: Arc<RuleCatalog>,
    /// Findings at or above this severity fail a file (JUnit's failed test cases).
    pub fail_on: Severity,
}

/// How a format is written: the emitter that writes files in input order and the run's end,
/// and, for the formats that carry nothing from one file to the next, the renderer a worker
/// can run on the file it checked (the emitter then copies the bytes out in order).
pub struct Writers {
    pub emitter: Box<dyn Emitter>,
    pub renderer: Option<FileRenderer>,
}

/// The one place a [`Format`] is turned into the code that writes it.
pub fn writers(format: Format, opts: &EmitOptions) -> Writers {
    Writers {
        emitter: emitter(format, opts),
        renderer: FileRenderer::new(format, opts),
    }
}

fn emitter(format: Format, opts: &EmitOptions) -> Box<dyn Emitter> {
    match format {
        Format::Human => Box::new(human::Human {
            opts: opts.human.clone(),
            palette: human::Palette::for_output(&opts.human),
        }),
        Format::Concise => Box::new(concise::Concise),
        Format::Json => Box::new(json::Json { first: true }),
        Format::Jsonl => Box::new(json::JsonLines),
        Format::Github => Box::new(github::Github),
        Format::Sarif => Box::new(sarif::Sarif::new(opts.rules.clone())),
        Format::Junit => Box::new(junit::Junit::new(opts.fail_on)),
        Format::Gitlab => Box::new(gitlab::Gitlab::default()),
    }
}

/// Renders one file's output by itself, for the formats that carry nothing from one file to
/// the next: the worker that checked a file renders it, and the writing thread only copies
/// the bytes out in input order. Formatting then runs on every core, and a report is read
/// where it was built.
#[derive(Clone)]
pub enum FileRenderer {
    Human(human::Human),
    Concise,
    Json,
    Jsonl,
    Github,
}

impl FileRenderer {
    /// The renderer for `format`, or `None` when its output needs the files before it
    /// (SARIF's and JUnit's documents, GitLab's array). The JSON document's commas between
    /// files are the emitter's ([`Emitter::before_rendered`]).
    fn new(format: Format, opts: &EmitOptions) -> Option<Self> {
        match format {
            Format::Human => Some(FileRenderer::Human(human::Human {
                opts: opts.human.clone(),
                palette: human::Palette::for_output(&opts.human),
            })),
            Format::Concise => Some(FileRenderer::Concise),
            Format::Json => Some(FileRenderer::Json),
            Format::Jsonl => Some(FileRenderer::Jsonl),
            Format::Github => Some(FileRenderer::Github),
            Format::Sarif | Format::Junit | Format::Gitlab => None,
        }
    }

    /// The bytes the format's emitter writes for `report`, in pieces to be written in order.
    /// The findings of a large report (one large file) are rendered in slices, in parallel on
    /// the rayon pool, one piece each; they are not copied into one buffer.
    pub fn render(&self, report: &FileReport) -> io::Result<Vec<Vec<u8>>> {
        const SLICE: usize = 4096;
        let large = report.diagnostics().len() >= 2 * SLICE
            && !matches!(self, FileRenderer::Json | FileRenderer::Jsonl)
            && rayon::current_num_threads() > 1;
        if let (Some(doc), None, true) = (report.document(), &report.error(), large) {
            use rayon::prelude::*;
            let slices = report
                .diagnostics()
                .par_chunks(SLICE)
                .map(|diags| {
                    let mut out = Vec::new();
                    self.findings(&mut out, &report.path, doc, diags).map(|()| out)
                })
                .collect::<io::Result<Vec<_>>>();
            return slices;
        }
        let mut out = Vec::new();
        match self {
            FileRenderer::Human(h) => h.clone().file(&mut out, report)?,
            FileRenderer::Concise => concise::Concise.file(&mut out, report)?,
            FileRenderer::Json => json::file_block(&mut out, report)?,
            FileRenderer::Jsonl => json::JsonLines.file(&mut out, report)?,
            FileRenderer::Github => github::Github.file(&mut out, report)?,
        }
        Ok(vec![out])
    }
}

impl FileRenderer {
    /// What the format writes for `diags`, findings in `doc`, in a file's output (after any
    /// error line). `json` and `jsonl` write each file as one object and are never written
    /// in slices: they write nothing here.
    fn findings(&self, out: &mut Vec<u8>, path: &str, doc: &Document, diags: &[Diagnostic]) -> io::Result<()> {
        match self {
            FileRenderer::Human(h) => h.findings(out, path, doc, diags),
            FileRenderer::Concise => concise::findings(out, path, doc, diags),
            FileRenderer::Github => github::findings(out, path, doc, diags),
            FileRenderer::Json | FileRenderer::Jsonl => Ok(()),
        }
    }
}

/// Standard output for a run, buffered. Only the human format is styled, and only when
/// standard output takes colour ([`human::Palette::for_stdout`]); then it goes through
/// anstream (which adapts escape codes for old Windows consoles). Otherwise bytes are
/// written as they are, sparing a large batch's output an escape-code scan.
pub fn stdout(format: Format) -> Box<dyn Write> {
    let buffered = io::BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    let choice = anstream::AutoStream::choice(&io::stdout());
    match format {
        Format::Human if choice != anstream::ColorChoice::Never => {
            Box::new(anstream::AutoStream::new(Box::new(buffered) as Box<dyn Write>, choice))
        }
        _ => Box::new(buffered),
    }
}

/// Writes all `reports` in `format` at once (for callers that already hold them).
pub fn write(format: Format, reports: &[FileReport], out: &mut dyn Write, opts: &EmitOptions) -> io::Result<()> {
    let mut e = emitter(format, opts);
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
