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
        self.add_findings(r.diagnostics());
    }

    /// Counts findings without their file (a large file's, counted as they are written).
    pub fn add_findings(&mut self, diags: &[Diagnostic]) {
        for d in diags {
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
    /// Whether the format can write a checked file's findings in chunks as they are found,
    /// in place of [`Emitter::file`]: [`Emitter::start_file`], [`Emitter::file_findings`]
    /// for each chunk, [`Emitter::end_file`], with the same bytes as the whole report.
    fn streams(&self) -> bool {
        false
    }
    /// Starts `report`, a checked file whose findings follow in chunks (it holds none).
    fn start_file(&mut self, _out: &mut dyn Write, _report: &FileReport) -> io::Result<()> {
        Ok(())
    }
    /// Writes `diags`, the next findings of `report` (see [`Emitter::start_file`]).
    fn file_findings(&mut self, _out: &mut dyn Write, _report: &FileReport, _diags: &[Diagnostic]) -> io::Result<()> {
        Ok(())
    }
    /// Ends `report` (see [`Emitter::start_file`]).
    fn end_file(&mut self, _out: &mut dyn Write, _report: &FileReport) -> io::Result<()> {
        Ok(())
    }
    /// Writes a checked file that holds all its findings as one chunk of the streaming calls,
    /// for a streaming format's [`Emitter::file`]; a file that could not be read has none.
    fn file_as_one_chunk(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        if report.document().is_none() {
            return Ok(());
        }
        self.start_file(out, report)?;
        self.file_findings(out, report, report.diagnostics())?;
        self.end_file(out, report)
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
///
/// A large report (one large file with tens of thousands of findings) is not rendered whole:
/// the writing thread renders it a few slices at a time, in parallel, and writes each window
/// before rendering the next ([`FileRenderer::write`]), so its output costs the memory of a
/// window, not of the whole report.
#[derive(Clone)]
pub enum FileRenderer {
    Human(human::Human),
    Concise,
    Json,
    Jsonl,
    Github,
}

/// A file's output as the worker that checked it left it, for [`FileRenderer::write`].
pub enum Rendered {
    /// The whole output, rendered.
    Whole(Vec<u8>),
    /// Nothing yet: a large report, rendered slice by slice as it is written.
    Large,
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

    /// Findings in a slice of a large report: small enough to hold a window of them. Every
    /// format writes the same bytes however a report is cut (the human format groups the
    /// whole file's findings before it cuts them).
    const SLICE: usize = 1024;

    /// Whether `report` is large: written slice by slice by the writing thread rather than
    /// rendered whole by its worker.
    fn is_large(&self, report: &FileReport) -> bool {
        report.diagnostics().len() >= 2 * Self::SLICE && report.document().is_some()
    }

    /// What the worker that checked `report` renders of it: all its output, unless it is
    /// large (then [`FileRenderer::write`] renders it as it writes it).
    pub fn render(&self, report: &FileReport) -> io::Result<Rendered> {
        if self.is_large(report) {
            return Ok(Rendered::Large);
        }
        let mut out = Vec::new();
        match self {
            FileRenderer::Human(h) => h.clone().file(&mut out, report)?,
            FileRenderer::Concise => concise::Concise.file(&mut out, report)?,
            FileRenderer::Json => {
                out.reserve(512 + 384 * report.diagnostics().len());
                json::file_block(&mut out, report)?
            }
            FileRenderer::Jsonl => json::JsonLines.file(&mut out, report)?,
            FileRenderer::Github => github::Github.file(&mut out, report)?,
        }
        Ok(Rendered::Whole(out))
    }

    /// Writes the output of `report`, which [`FileRenderer::render`] made `rendered`, to
    /// `out`. A large report is rendered here in windows of a few slices per thread, in
    /// parallel on the rayon pool, each window written before the next is rendered: its
    /// output is never held whole, and it is still rendered on every core.
    pub fn write(&self, out: &mut dyn Write, report: &FileReport, rendered: Rendered) -> io::Result<()> {
        let doc = match (rendered, report.document()) {
            (Rendered::Whole(bytes), _) => return out.write_all(&bytes),
            (Rendered::Large, Some(doc)) => doc,
            // Only a checked file's report is large.
            (Rendered::Large, None) => return Ok(()),
        };
        let diags = report.diagnostics();
        let path = &report.path;
        if let FileRenderer::Human(h) = self {
            // Grouped over the whole file first, as a small report is, whatever the threads.
            let groups = human::groups(doc, diags);
            return write_in_slices(out, &groups, true, |out, groups, _| {
                h.write_groups(out, path, doc, groups)
            });
        }
        self.head(out, report)?;
        write_in_slices(out, diags, true, |out, diags, first| {
            self.findings(out, path, doc, diags, first)
        })?;
        self.tail(out, report, !diags.is_empty())
    }

    /// Whether a file's findings can be written as they are found, chunk by chunk
    /// ([`FileRenderer::write_head`], [`FileRenderer::write_chunk`],
    /// [`FileRenderer::write_tail`]): every format but the human one, which groups the whole
    /// file's findings first.
    pub fn streams(&self) -> bool {
        !matches!(self, FileRenderer::Human(_))
    }

    /// What the format writes before the findings of `report`, a checked file whose findings
    /// are written as they come (it holds none itself).
    pub fn write_head(&self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        self.head(out, report)
    }

    /// Writes `diags`, the next findings of `report` (see [`FileRenderer::write_head`]), as
    /// the report holding all of them would have them written; `first` when none was written
    /// before. Rendered on the calling thread: the rayon pool is busy checking the next
    /// findings, and would make the writing wait for it.
    pub fn write_chunk(
        &self,
        out: &mut dyn Write,
        report: &FileReport,
        diags: &[Diagnostic],
        first: bool,
    ) -> io::Result<()> {
        let Some(doc) = report.document() else { return Ok(()) };
        self.findings(out, &report.path, doc, diags, first)
    }

    /// What the format writes after the findings of `report` (see
    /// [`FileRenderer::write_head`]); `any_findings` when some were written.
    pub fn write_tail(&self, out: &mut dyn Write, report: &FileReport, any_findings: bool) -> io::Result<()> {
        self.tail(out, report, any_findings)
    }

    /// What the format writes before a large report's findings (which has no error line).
    fn head(&self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        match self {
            FileRenderer::Json => json::block_head(out, report),
            FileRenderer::Jsonl => json::line_head(out, report),
            FileRenderer::Human(_) | FileRenderer::Concise | FileRenderer::Github => Ok(()),
        }
    }

    /// What the format writes for `diags`, findings in `doc` (read from `path`), a slice of a
    /// file's findings; `first` when the slice is the file's first.
    fn findings(
        &self,
        out: &mut dyn Write,
        path: &str,
        doc: &Document,
        diags: &[Diagnostic],
        first: bool,
    ) -> io::Result<()> {
        match self {
            FileRenderer::Human(h) => h.findings(out, path, doc, diags),
            FileRenderer::Concise => concise::findings(out, path, doc, diags),
            FileRenderer::Github => github::findings(out, path, doc, diags),
            FileRenderer::Json => json::block_findings(out, doc, diags, first),
            FileRenderer::Jsonl => json::line_findings(out, doc, diags, first),
        }
    }

    /// What the format writes after a large report's findings (`any_findings`: some were).
    fn tail(&self, out: &mut dyn Write, report: &FileReport, any_findings: bool) -> io::Result<()> {
        match self {
            FileRenderer::Json => json::block_tail(out, report, any_findings),
            FileRenderer::Jsonl => json::line_tail(out, report),
            FileRenderer::Human(_) | FileRenderer::Concise | FileRenderer::Github => Ok(()),
        }
    }
}

/// Writes `items` to `out` in slices of [`FileRenderer::SLICE`], each rendered by
/// `render(out, slice, first)` (`first`: the slice is the file's first, which needs `items`
/// to be its first). On one thread straight into `out`; on more, a window of a few slices per
/// thread is rendered in parallel on the rayon pool and written before the next is rendered,
/// so the output is never held whole.
fn write_in_slices<T: Sync>(
    out: &mut dyn Write,
    items: &[T],
    items_first: bool,
    render: impl Fn(&mut dyn Write, &[T], bool) -> io::Result<()> + Sync,
) -> io::Result<()> {
    use rayon::prelude::*;
    const SLICES_PER_THREAD: usize = 2;
    let slice = FileRenderer::SLICE;
    let threads = rayon::current_num_threads();
    if threads == 1 {
        for (i, items) in items.chunks(slice).enumerate() {
            render(out, items, items_first && i == 0)?;
        }
        return Ok(());
    }
    for (w, window) in items.chunks(slice * SLICES_PER_THREAD * threads).enumerate() {
        let pieces = window
            .par_chunks(slice)
            .enumerate()
            .map(|(i, items)| {
                let mut piece = Vec::new();
                render(&mut piece, items, items_first && w == 0 && i == 0).map(|()| piece)
            })
            .collect::<io::Result<Vec<_>>>()?;
        for piece in pieces {
            out.write_all(&piece)?;
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde::Serialize;

    use super::json::{diagnostics, JsonDiagnostic};
    use super::*;
    use crate::diagnostic::{Edit, Fix, Label, Related, RuleMeta};
    use crate::span::Span;

    /// A file's object as serde_json lays it out whole: what the `json` format has always
    /// written, and what writing it in parts must match byte for byte.
    #[derive(Serialize)]
    struct WholeFile<'a> {
        path: &'a str,
        language: Option<&'a str>,
        diagnostics: Vec<JsonDiagnostic<'a>>,
        error: Option<String>,
    }

    fn whole(r: &FileReport) -> WholeFile<'_> {
        WholeFile {
            path: &r.path,
            language: r.language(),
            diagnostics: r
                .document()
                .map(|d| diagnostics(d, r.diagnostics()))
                .unwrap_or_default(),
            error: r.error_message(),
        }
    }

    /// `n` findings of every shape (fix or none, labels, related findings, text to escape)
    /// in a file whose path needs escaping too.
    pub(super) fn report(n: usize) -> FileReport {
        let text = "Un \"texte\" traduit \u{2014} avec\tdes\u{200b}pièges .\nLigne 2 .\n".repeat(8);
        let rule = |id: &str, severity| {
            Arc::new(RuleMeta {
                id: id.into(),
                severity,
                category: "fluency/punctuation".into(),
            })
        };
        let diagnostics = (0..n)
            .map(|i| {
                let at = (i * 7) % (text.len() - 4);
                let at = (at..)
                    .find(|&a| text.is_char_boundary(a) && text.is_char_boundary(a + 1))
                    .unwrap();
                Diagnostic {
                    rule: rule("fr/espace", Severity::Warning),
                    severity: [Severity::Info, Severity::Warning, Severity::Error][i % 3],
                    message: format!("finding {i}: \"quoted\" \\ \u{1} ünïcode"),
                    span: Span::new(at, at + 1),
                    labels: (0..i % 3)
                        .map(|j| Label {
                            span: Span::new(j, j + 1),
                            message: format!("label {j}"),
                        })
                        .collect(),
                    fix: (i % 2 == 0).then(|| Fix::new(Applicability::Safe, vec![Edit::delete(Span::new(at, at + 1))])),
                    related: match i % 5 {
                        0 => vec![Related {
                            rule: rule("fr/autre", Severity::Info),
                            message: "la même".into(),
                        }]
                        .into(),
                        _ => Default::default(),
                    },
                }
            })
            .collect();
        FileReport::checked(
            "dir/\"odd\" name.txt",
            Document::new("x.txt", text, Some("fr")),
            diagnostics,
        )
    }

    fn written(format: Format, r: &FileReport) -> (bool, String) {
        let opts = EmitOptions {
            human: Default::default(),
            rules: Default::default(),
            fail_on: Severity::Error,
        };
        let renderer = FileRenderer::new(format, &opts).unwrap();
        let rendered = renderer.render(r).unwrap();
        let large = matches!(rendered, Rendered::Large);
        let mut out = Vec::new();
        renderer.write(&mut out, r, rendered).unwrap();
        (large, String::from_utf8(out).unwrap())
    }

    #[test]
    fn a_file_written_in_parts_is_serde_jsons_whole_object() {
        let failed = FileReport::failed("gone.txt", crate::error::FileError::Input("no such \"file\"".into()));
        for (r, large) in [
            (report(0), false),
            (report(5), false),
            (report(5000), true),
            (failed, false),
        ] {
            let pretty = serde_json::to_string_pretty(&whole(&r)).unwrap();
            let expected: Vec<String> = pretty.lines().map(|l| format!("    {l}")).collect();
            assert_eq!(written(Format::Json, &r), (large, expected.join("\n")));
            let line = serde_json::to_string(&whole(&r)).unwrap() + "\n";
            assert_eq!(written(Format::Jsonl, &r), (large, line));
        }
    }

    /// A checked report's findings written in chunks of `sizes` (then the rest) through the
    /// streaming calls of the format's renderer or emitter, as `mtlint check` writes a large
    /// file, and through its whole-report call; each with the run's end.
    fn chunked_and_whole(format: Format, r: &FileReport, sizes: &[usize]) -> (String, String) {
        let opts = EmitOptions {
            human: Default::default(),
            rules: Default::default(),
            fail_on: Severity::Error,
        };
        let summary = Summary::of(std::slice::from_ref(r));
        let mut whole = Vec::new();
        write(format, std::slice::from_ref(r), &mut whole, &opts).unwrap();
        let head = FileReport::checked(
            r.path.clone(),
            Document::new("x.txt", r.document().unwrap().text.clone(), Some("fr")),
            Vec::new(),
        );
        let Writers { mut emitter, renderer } = writers(format, &opts);
        let mut out = Vec::new();
        match &renderer {
            Some(renderer) => {
                emitter.before_rendered(&mut out).unwrap();
                renderer.write_head(&mut out, &head).unwrap();
            }
            None => emitter.start_file(&mut out, &head).unwrap(),
        }
        let mut rest = r.diagnostics();
        let mut first = true;
        for &n in sizes.iter().chain(&[usize::MAX]) {
            let (chunk, after) = rest.split_at(n.min(rest.len()));
            match &renderer {
                Some(renderer) => renderer.write_chunk(&mut out, &head, chunk, first).unwrap(),
                None => emitter.file_findings(&mut out, &head, chunk).unwrap(),
            }
            first &= chunk.is_empty();
            rest = after;
        }
        match &renderer {
            Some(renderer) => renderer.write_tail(&mut out, &head, !first).unwrap(),
            None => emitter.end_file(&mut out, &head).unwrap(),
        }
        emitter.finish(&mut out, &summary).unwrap();
        (String::from_utf8(out).unwrap(), String::from_utf8(whole).unwrap())
    }

    #[test]
    fn a_report_written_in_chunks_is_the_whole_report() {
        for format in [
            Format::Concise,
            Format::Json,
            Format::Jsonl,
            Format::Github,
            Format::Sarif,
            Format::Gitlab,
        ] {
            let opts = EmitOptions {
                human: Default::default(),
                rules: Default::default(),
                fail_on: Severity::Error,
            };
            let Writers { emitter, renderer } = writers(format, &opts);
            assert!(renderer.map_or(emitter.streams(), |r| r.streams()), "{format:?}");
            for (n, sizes) in [(0, &[][..]), (40, &[0, 7, 0, 20][..]), (3000, &[1500, 1][..])] {
                let (chunked, whole) = chunked_and_whole(format, &report(n), sizes);
                assert_eq!(chunked, whole, "{format:?}, {n} findings");
            }
        }
    }

    #[test]
    fn a_large_report_written_in_slices_is_the_whole_report() {
        let r = report(5000);
        let mut concise = Vec::new();
        concise::Concise.file(&mut concise, &r).unwrap();
        assert_eq!(
            written(Format::Concise, &r),
            (true, String::from_utf8(concise).unwrap())
        );
        let mut github = Vec::new();
        github::Github.file(&mut github, &r).unwrap();
        assert_eq!(written(Format::Github, &r), (true, String::from_utf8(github).unwrap()));
    }
}
