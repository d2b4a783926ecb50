//! `mtlint fix`: fixes in place, as a diff with `--diff`, to standard output with `--stdin`,
//! or one by one with `--interactive`.
//!
//! In-place writes go through [`crate::write`], which never leaves a file half written.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anstream::ColorChoice;
use anstyle::{AnsiColor, Style};

use super::files::{self, Input, Profiles};
use super::{set_color, FixArgs, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::diagnostic::{Applicability, Diagnostic, Fix};
use crate::document::Document;
use crate::error::FileError;
use crate::fix::{Decision, FixOutcome, LeftOut, Review, MAX_PASSES};
use crate::inputs::baselines::Baselines;
use crate::output::sanitize::{one_line, terminal};
use crate::output::{self, FileReport, HumanOptions, Summary};
use crate::span::Span;
use crate::write::WriteError;

/// One file after fixing, before anything is written.
struct FileFix {
    report: FileReport,
    /// The text as read (absent when the file could not be read).
    original: Option<String>,
    /// The fixed text, when it differs from the original.
    fixed: Option<String>,
    applied: BTreeMap<String, usize>,
    /// Fixes left out because they did not converge.
    left_out: Vec<LeftOut>,
    unsound: Vec<(String, String)>,
    /// `--lossy` replaced invalid UTF-8 in it: such a file is never written back.
    lossy: bool,
    /// The warning that `--lossy` replaced invalid UTF-8, said when the file is reported (a
    /// worker thread does not write to standard error, which the reporting thread holds).
    replaced: Option<String>,
}

impl FileFix {
    fn failed(input: &Input, error: impl Into<FileError>) -> Self {
        FileFix {
            report: FileReport::failed(input.display.clone(), error),
            original: None,
            fixed: None,
            applied: BTreeMap::new(),
            left_out: Vec::new(),
            unsound: Vec::new(),
            lossy: false,
            replaced: None,
        }
    }

    /// The original and the fixed text when the fixed text is to be written in place.
    fn to_write(&self) -> Option<(&str, &str)> {
        match (&self.original, &self.fixed, self.lossy) {
            (Some(original), Some(fixed), false) => Some((original, fixed)),
            _ => None,
        }
    }

    /// Says on standard error that `--lossy` replaced invalid UTF-8 in the file.
    fn say_replaced(&self) {
        if let Some(warning) = &self.replaced {
            eprintln!("{warning}");
        }
    }

    fn total_applied(&self) -> usize {
        self.applied.values().sum()
    }
}

/// Reads the input to fix, with the warning to give when `--lossy` replaced something in it.
fn load(input: &Input) -> Result<(Document, Option<String>), FileError> {
    if input.text.is_none() && input.error.is_none() {
        // `fix` writes files back: only regular ones, and a FIFO must not block the run.
        crate::input::open_regular(&input.path).map_err(crate::input::ReadError::Io)?;
    }
    let (doc, replaced) = input.read()?;
    let warning = replaced.map(|r| format!("warning: {}: {r}", one_line(&input.display)));
    Ok((doc, warning))
}

/// The places no fix may touch in `doc`: its findings that the input's baseline holds.
fn kept_places(input: &Input, baselines: &Baselines, doc: &Document) -> Result<BTreeSet<(String, Span)>, FileError> {
    if baselines.is_empty() {
        return Ok(BTreeSet::new());
    }
    let found = input.linter.check_document(doc, Some(&input.path))?;
    Ok(baselined_places(baselines, input, &doc.text, found))
}

/// The places of the findings of `diagnostics` the baseline of `input` holds (by rule and
/// span), which no fix may touch.
fn baselined_places(
    baselines: &Baselines,
    input: &Input,
    text: &str,
    diagnostics: Vec<Diagnostic>,
) -> BTreeSet<(String, Span)> {
    let Some((_, used, path)) = baselines.for_input(input) else {
        return BTreeSet::new();
    };
    let mut places = BTreeSet::new();
    for d in used.baseline.matches(&path, text, diagnostics).baselined {
        let rule = d.rule_id().to_string();
        places.insert((rule.clone(), d.span));
        for e in d.fix.iter().flat_map(|f| &f.edits) {
            places.insert((rule.clone(), e.span));
        }
    }
    places
}

/// Fixes one input (nothing is written); the caller says [`FileFix::say_replaced`] first
/// when it reports the file.
fn fix_one(input: &Input, min: Applicability, baselines: &Baselines) -> FileFix {
    let (doc, replaced) = match load(input) {
        Ok(loaded) => loaded,
        Err(e) => return FileFix::failed(input, e),
    };
    let lossy = replaced.is_some();
    let fixed = (|| {
        let original = doc.text.clone();
        let kept = kept_places(input, baselines, &doc)?;
        let outcome = input.linter.fix_document(doc, Some(&input.path), min, kept)?;
        Ok::<_, FileError>(file_fix(input, baselines, original, outcome, lossy))
    })();
    let mut r = fixed.unwrap_or_else(|e| FileFix::failed(input, e));
    r.replaced = replaced;
    r
}

/// What fixing `input` came to, its remaining findings less those its baseline holds.
fn file_fix(input: &Input, baselines: &Baselines, original: String, outcome: FixOutcome, lossy: bool) -> FileFix {
    let mut remaining = outcome.remaining;
    if let Some((_, used, path)) = baselines.for_input(input) {
        remaining = used.baseline.matches(&path, &outcome.document.text, remaining).new;
    }
    let fixed = (outcome.document.text != original).then(|| outcome.document.text.clone());
    FileFix {
        report: FileReport::checked(input.display.clone(), outcome.document, remaining),
        original: Some(original),
        fixed,
        applied: outcome.applied,
        left_out: outcome.left_out,
        unsound: outcome.unsound,
        lossy,
        replaced: None,
    }
}

/// Threads that write fixed files in place ([`crate::write::Background`]), at most: a file's
/// sync mostly waits for the disk, so several in flight keep the checking threads busy (10 MB
/// in 801 files on a busy disk: 4.9 s with one, 2.7 s with two, 2.2 s with four, 2.0 s with
/// eight).
const WRITING_THREADS: usize = 8;

/// Fixed files handed to the writing threads and not yet reported, at most, and their texts'
/// bytes (beyond either, the run waits for the first one's write): bounds the documents held
/// in memory besides those of [`crate::runner`]'s window.
const MAX_WAITING: (usize, usize) = (16, 16 << 20);

/// Fixed files in input order, each with its write in flight (when it has one to make), not
/// yet reported.
type Waiting<'a> = VecDeque<(&'a Input, FileFix, Option<crate::write::Pending>)>;

/// Standard output, held back while one file's report is written and passed on in one piece
/// (through the stream's own line buffering, as before) at [`Held::release`]: one system call
/// per file rather than one per line. Every place that writes to standard error releases it
/// first, so the two streams interleave exactly as they did line by line.
struct Held<W: Write> {
    inner: W,
    held: Vec<u8>,
}

impl<W: Write> Held<W> {
    /// Past this many bytes held, they are passed on at once (a large file's report is not
    /// held whole; nothing goes to standard error in the middle of one file's report).
    const MAX_HELD: usize = 64 * 1024;

    fn new(inner: W) -> Self {
        Held {
            inner,
            held: Vec::new(),
        }
    }

    /// Passes on what is held.
    fn release(&mut self) -> std::io::Result<()> {
        if !self.held.is_empty() {
            self.inner.write_all(&self.held)?;
            self.held.clear();
        }
        Ok(())
    }
}

impl<W: Write> Write for Held<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.held.extend_from_slice(buf);
        if self.held.len() >= Self::MAX_HELD {
            self.release()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.release()?;
        self.inner.flush()
    }
}

// ---------------------------------------------------------------------------------------------
// Diffs

const RED: Style = AnsiColor::Red.on_default();
const GREEN: Style = AnsiColor::Green.on_default();
const CYAN: Style = AnsiColor::Cyan.on_default();
const BOLD: Style = Style::new().bold();

/// Prints a unified diff of `old` → `new`. Plain, it is exactly what `diff -u` and `patch`
/// read (line endings included); in colour, the changed words inside `-`/`+` lines are
/// highlighted, for a reviewer to take in at a glance.
///
/// On a terminal, the text goes through the terminal sanitiser: a document's escape sequences
/// and bidirectional controls are shown as `⟨U+XXXX⟩`, never sent to the terminal.
fn print_diff(
    out: &mut dyn Write,
    path: &str,
    old: &str,
    new: &str,
    color: bool,
    on_terminal: bool,
) -> std::io::Result<()> {
    // Relative paths get git's a/ and b/ prefixes (`patch -p1`, `git apply`); absolute
    // paths are printed as they are.
    let name = path.strip_prefix("./").unwrap_or(path);
    let (a, b) = if Path::new(name).is_absolute() {
        (name.to_string(), name.to_string())
    } else {
        (format!("a/{name}"), format!("b/{name}"))
    };
    let diff = similar::TextDiff::from_lines(old, new);
    if !color && !on_terminal {
        return diff.unified_diff().context_radius(1).header(&a, &b).to_writer(out);
    }
    if !color {
        let text = diff.unified_diff().context_radius(1).header(&a, &b).to_string();
        return out.write_all(terminal(&text.replace("\r\n", "\n")).as_bytes());
    }
    writeln!(out, "{BOLD}--- {}{BOLD:#}", one_line(&a))?;
    writeln!(out, "{BOLD}+++ {}{BOLD:#}", one_line(&b))?;
    for hunk in diff.unified_diff().context_radius(1).iter_hunks() {
        writeln!(out, "{CYAN}{}{CYAN:#}", hunk.header())?;
        for op in hunk.ops() {
            for change in diff.iter_inline_changes(op) {
                let (sign, style) = match change.tag() {
                    similar::ChangeTag::Delete => ("-", RED),
                    similar::ChangeTag::Insert => ("+", GREEN),
                    similar::ChangeTag::Equal => (" ", Style::new()),
                };
                write!(out, "{style}{sign}")?;
                for (emphasized, value) in change.iter_strings_lossy() {
                    let value = terminal(value.trim_end_matches(['\n', '\r']));
                    if emphasized {
                        let strong = style.invert();
                        write!(out, "{style:#}{strong}{value}{strong:#}{style}")?;
                    } else {
                        write!(out, "{value}")?;
                    }
                }
                writeln!(out, "{style:#}")?;
                if change.missing_newline() {
                    writeln!(out, "\\ No newline at end of file")?;
                }
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The command

pub fn run(args: FixArgs) -> anyhow::Result<u8> {
    set_color(args.shared.color);
    if args.records {
        return super::records::run(&args.paths, &args.shared, Some(args.unsafe_fixes));
    }
    let stdin = files::reads_stdin(&args.paths, &args.shared);
    if args.interactive && (args.diff || stdin) {
        anyhow::bail!("--interactive cannot be combined with --diff or --stdin");
    }
    if args.interactive && !std::io::stdin().is_terminal() {
        anyhow::bail!("--interactive asks about each fix, so standard input must be a terminal");
    }
    let mut profiles = Profiles::new(&args.shared.input_options())?;
    if !stdin && args.paths.iter().any(|p| p.as_os_str() == "-") {
        anyhow::bail!(
            "fix writes standard input's fixed text to standard output, so `-` cannot be given with other paths"
        );
    }
    let collected = files::collect(&args.paths, &mut profiles)?;
    files::say_skipped(&collected, &args.shared);
    let mut inputs = collected.inputs;
    if !stdin {
        // One file named twice (`a.txt ./a.txt`, a directory and a file in it, a link and its
        // target) is fixed once: a second fix of the same original would find the file
        // changed on disk by the first.
        let mut seen = BTreeSet::new();
        inputs.retain(|i| seen.insert(std::fs::canonicalize(&i.path).unwrap_or_else(|_| i.path.clone())));
    }
    let min = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let baselines = match args.include_baselined {
        true => Baselines::default(),
        false => Baselines::load(args.baseline.as_deref(), &inputs)?,
    };
    inputs.retain(|i| !baselines.holds_file(&i.path));
    if stdin {
        return run_stdin(&args, &inputs[0], min, &baselines);
    }
    if args.diff {
        return run_diff(&args, &inputs, min, &baselines);
    }
    let mut out = Held::new(anstream::stdout().lock());
    // Not locked for the run: the writing threads' test hook writes to it.
    let mut err = anstream::stderr();
    let color = out.inner.current_choice() != ColorChoice::Never;
    let human = HumanOptions {
        width: output::terminal_width(),
        ..HumanOptions::default()
    };
    // Rule documentation of every profile (SARIF's rule descriptors) and the fail level
    // (JUnit's failed cases), as `check` gives them.
    let opts = output::EmitOptions {
        human,
        rules: std::sync::Arc::new(files::rule_catalog(&inputs)),
        fail_on: files::fail_level(&inputs),
    };
    let mut emitter = output::writers(args.format, &opts).emitter;
    let mut summary = Summary::default();
    let mut status = files::Status::default();
    let mut totals = Totals {
        skipped: collected.skipped.len(),
        ..Totals::default()
    };
    let mut session = Session::default();
    let renames = crate::write::Renames::default();
    // Reports one file, once its fixed text is written (`written`: how that went, when it was
    // to be written).
    let mut each = |input: &Input,
                    mut r: FileFix,
                    written: Option<Result<(), WriteError>>,
                    out: &mut Held<_>,
                    err: &mut dyn Write|
     -> std::io::Result<()> {
        r.say_replaced();
        if let (Some(_), Some(_), true) = (&r.original, &r.fixed, r.lossy) {
            // Writing the fixed text would turn the invalid bytes into U+FFFD for good.
            r.report = FileReport::failed(r.report.path.clone(), WriteError::Lossy);
        } else if let Some(written) = written {
            match written {
                Ok(()) => {
                    totals.files_changed += 1;
                    totals.applied += r.total_applied();
                    if !args.shared.quiet {
                        writeln!(err, "Fixed {}: {}", one_line(&r.report.path), describe(&r.applied))?;
                    }
                }
                Err(e) => r.report = FileReport::failed(r.report.path.clone(), e),
            }
        }
        warn_engine_trouble(err, &r)?;
        status.add(input, &r.report);
        // Fixes were left out: the run did not do all it was asked.
        status.failing |= !r.left_out.is_empty();
        totals.left_out += r.left_out.len();
        summary.add(&r.report);
        totals.count_left(&r.report, min);
        emitter.file(out, &r.report)?;
        // The file's report goes out before anything more is said on standard error.
        out.release()?;
        if let (Some(e), true) = (&r.report.error_message(), args.format != output::Format::Human) {
            writeln!(err, "error: {}: {}", one_line(&r.report.path), terminal(e))?;
        }
        Ok(())
    };
    if args.interactive {
        let mut stdin = std::io::stdin().lock();
        for input in &inputs {
            if session.quit {
                break;
            }
            let r = review_file(input, min, &baselines, &mut session, &mut out, &mut stdin, color)?;
            let written = r.to_write().map(|(original, fixed)| {
                crate::write::hold_before_write(&r.report.path);
                crate::write::write_atomically(&input.path, original, fixed, &renames)
            });
            each(input, r, written, &mut out, &mut err)?;
        }
    } else {
        std::thread::scope(|scope| -> std::io::Result<()> {
            let background = crate::write::Background::start(scope, WRITING_THREADS.min(inputs.len()), &renames);
            // Files fixed and handed to the writing threads, in input order, not yet reported.
            let mut waiting: Waiting<'_> = VecDeque::new();
            let mut report_done = |waiting: &mut Waiting<'_>, all: bool| -> std::io::Result<()> {
                // The first in line is reported when its write is over; the run waits for it
                // when everything must be reported or too many files are held.
                while let Some((_, _, pending)) = waiting.front_mut() {
                    let over = pending.as_mut().is_none_or(|p| p.poll());
                    let full = || {
                        let held: usize = waiting
                            .iter()
                            .map(|(_, r, _)| r.original.as_ref().map_or(0, String::len))
                            .sum();
                        waiting.len() > MAX_WAITING.0 || held > MAX_WAITING.1
                    };
                    if !(over || all || full()) {
                        break;
                    }
                    let Some((input, r, pending)) = waiting.pop_front() else {
                        break;
                    };
                    each(input, r, pending.map(|p| p.wait()), &mut out, &mut err)?;
                }
                Ok(())
            };
            let ran = crate::runner::for_each_ordered(
                &inputs,
                |i| {
                    let r = fix_one(i, min, &baselines);
                    let pending = r
                        .to_write()
                        .map(|(original, fixed)| background.write(&i.path, &r.report.path, original, fixed));
                    (r, pending)
                },
                |input, (r, pending)| {
                    waiting.push_back((input, r, pending));
                    report_done(&mut waiting, false)
                },
            )
            .and_then(|()| report_done(&mut waiting, true));
            if ran.is_err() {
                // The run ends here: the writes not yet begun are not made.
                background.stop();
            }
            ran
        })?;
    }
    // The renames are durable before the run reports that it is done.
    renames.sync();
    emitter.finish(&mut out, &summary)?;
    if !args.shared.quiet {
        // The closing line goes with the findings in human output, and out of the way of
        // machine formats.
        let line = totals.line(min);
        if args.format == output::Format::Human {
            writeln!(out, "{line}")?;
        } else {
            out.release()?;
            writeln!(err, "{line}")?;
        }
    }
    out.flush()?;
    Ok(status.code())
}

/// Counts over an in-place run, for the closing line.
#[derive(Debug, Default)]
struct Totals {
    applied: usize,
    files_changed: usize,
    left_no_fix: usize,
    left_unsafe: usize,
    left_other: usize,
    failed: usize,
    /// Fixes left out because they did not converge.
    left_out: usize,
    /// Files passed over while walking directories.
    skipped: usize,
}

impl Totals {
    fn count_left(&mut self, r: &FileReport, min: Applicability) {
        self.failed += usize::from(r.error().is_some());
        for d in r.diagnostics() {
            match d.fix.as_ref().map(|f| f.applicability) {
                None | Some(Applicability::DisplayOnly) => self.left_no_fix += 1,
                Some(a) if a < min => self.left_unsafe += 1,
                Some(_) => self.left_other += 1,
            }
        }
    }

    fn line(&self, min: Applicability) -> String {
        use crate::sanitize::plural;
        let mut s = format!(
            "Fixed {} in {}",
            plural(self.applied, "problem", "problems"),
            plural(self.files_changed, "file", "files")
        );
        if self.skipped > 0 {
            s.push_str(&format!(" ({} skipped)", self.skipped));
        }
        if self.failed > 0 {
            s.push_str(&format!(
                "; {} not fixed (errors above)",
                plural(self.failed, "file", "files")
            ));
        }
        if self.left_out > 0 {
            s.push_str(&format!(
                "; {} left out because {} not converge (warnings above)",
                plural(self.left_out, "fix", "fixes"),
                if self.left_out == 1 { "it does" } else { "they do" }
            ));
        }
        let left = self.left_no_fix + self.left_unsafe + self.left_other;
        if left == 0 {
            s.push_str(if self.failed > 0 { "." } else { "; nothing left." });
            return s;
        }
        let mut parts = Vec::new();
        if self.left_no_fix > 0 {
            parts.push(format!("{} without a fix", self.left_no_fix));
        }
        if self.left_unsafe > 0 && min == Applicability::Safe {
            parts.push(format!("{} with an unsafe fix (--unsafe-fixes)", self.left_unsafe));
        }
        if self.left_other > 0 {
            parts.push(format!("{} whose fix was not applied", self.left_other));
        }
        s.push_str(&format!("; {} left: {}.", left, parts.join(", ")));
        s
    }
}

/// "3 fixes: zh-en/guzhen ×2, en/r-and-d ×1".
fn describe(applied: &BTreeMap<String, usize>) -> String {
    let total: usize = applied.values().sum();
    let rules: Vec<String> = applied.iter().map(|(r, n)| format!("{r} ×{n}")).collect();
    format!(
        "{total} {} ({})",
        if total == 1 { "fix" } else { "fixes" },
        rules.join(", ")
    )
}

fn warn_engine_trouble(err: &mut dyn Write, r: &FileFix) -> std::io::Result<()> {
    for LeftOut { rule, span } in &r.left_out {
        let path = one_line(&r.report.path);
        let rule = terminal(rule);
        match (span, &r.original) {
            (Some(span), Some(original)) => {
                let (line, column) = line_column(original, span.start);
                let text = excerpt(span.text(original));
                let text = terminal(&text);
                writeln!(
                    err,
                    "warning: {path}:{line}:{column}: the fix of {rule} at \"{text}\" does not converge (it changes nothing, or fixes there undo one another or keep changing the text for {MAX_PASSES} passes); it was left out, the other fixes were applied"
                )?;
            }
            _ => writeln!(
                err,
                "warning: {path}: the fixes of {rule} do not converge (they undo themselves or keep changing the text after {MAX_PASSES} passes); they were not applied"
            )?,
        }
    }
    for (rule, why) in &r.unsound {
        writeln!(
            err,
            "warning: {}: a fix of {} was not applied: {} (a bug in the rule's check kind)",
            one_line(&r.report.path),
            terminal(rule),
            terminal(why)
        )?;
    }
    Ok(())
}

/// 1-based line and column (in characters) of byte `offset` of `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (
        text[..offset].matches('\n').count() + 1,
        text[line_start..offset].chars().count() + 1,
    )
}

/// A short, one-line form of `text` for a message.
fn excerpt(text: &str) -> String {
    let one_line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    match one_line.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

fn run_stdin(args: &FixArgs, input: &Input, min: Applicability, baselines: &Baselines) -> anyhow::Result<u8> {
    let mut out = anstream::stdout().lock();
    let mut err = anstream::stderr().lock();
    let r = fix_one(input, min, baselines);
    r.say_replaced();
    if let Some(e) = &r.report.error_message() {
        writeln!(err, "error: {}: {}", one_line(&r.report.path), terminal(e))?;
        return Ok(EXIT_ERROR);
    }
    warn_engine_trouble(&mut err, &r)?;
    let original = r.original.as_deref().unwrap_or("");
    if args.diff {
        let color = out.current_choice() != ColorChoice::Never;
        let on_terminal = std::io::stdout().is_terminal();
        if let Some(fixed) = &r.fixed {
            print_diff(&mut out, &r.report.path, original, fixed, color, on_terminal)?;
        }
        out.flush()?;
        let changed_or_left_out = r.fixed.is_some() || !r.left_out.is_empty();
        return Ok(if changed_or_left_out { EXIT_FINDINGS } else { EXIT_OK });
    }
    // The fixed text goes to standard output, byte for byte; what is left, to standard error.
    out.write_all(r.fixed.as_deref().unwrap_or(original).as_bytes())?;
    out.flush()?;
    if !args.shared.quiet {
        let human = HumanOptions {
            width: output::terminal_width(),
            ..HumanOptions::default()
        };
        let opts = output::EmitOptions {
            human,
            rules: Default::default(),
            fail_on: input.profile().fail_on,
        };
        output::writers(output::Format::Human, &opts)
            .emitter
            .file(&mut err, &r.report)?;
    }
    let left = r
        .report
        .diagnostics()
        .iter()
        .any(|d| d.severity >= input.profile().fail_on);
    Ok(if left || !r.left_out.is_empty() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn run_diff(args: &FixArgs, inputs: &[Input], min: Applicability, baselines: &Baselines) -> anyhow::Result<u8> {
    let mut out = Held::new(anstream::stdout().lock());
    // Not locked for the run: a worker thread may have a warning to give.
    let mut err = anstream::stderr();
    let color = out.inner.current_choice() != ColorChoice::Never;
    let on_terminal = std::io::stdout().is_terminal();
    let (mut files_changed, mut applied, mut left_out) = (0usize, 0usize, 0usize);
    let mut errors = false;
    crate::runner::for_each_ordered(
        inputs,
        |i| fix_one(i, min, baselines),
        |_, r| {
            r.say_replaced();
            if let (Some(original), Some(fixed)) = (&r.original, &r.fixed) {
                files_changed += 1;
                applied += r.total_applied();
                print_diff(&mut out, &r.report.path, original, fixed, color, on_terminal)?;
                // The diff goes out before anything more is said on standard error.
                out.release()?;
            }
            warn_engine_trouble(&mut err, &r)?;
            left_out += r.left_out.len();
            if let Some(e) = &r.report.error_message() {
                errors = true;
                writeln!(err, "error: {}: {}", one_line(&r.report.path), terminal(e))?;
            }
            Ok(())
        },
    )?;
    out.flush()?;
    if !args.shared.quiet {
        let fixes = |n: usize| crate::sanitize::plural(n, "fix", "fixes");
        let left = match left_out {
            0 => String::new(),
            n => format!(
                "; {} left out because {} not converge (warnings above)",
                fixes(n),
                crate::sanitize::noun(n, "it does", "they do")
            ),
        };
        if files_changed == 0 && left_out == 0 {
            writeln!(err, "Nothing to fix.")?;
        } else if files_changed == 0 {
            writeln!(err, "No fix would change anything{left}.")?;
        } else {
            writeln!(
                err,
                "{} would change {files_changed} {}{left}; nothing was written.",
                fixes(applied),
                if files_changed == 1 { "file" } else { "files" }
            )?;
        }
    }
    Ok(if errors {
        EXIT_ERROR
    } else if files_changed > 0 || left_out > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

// ---------------------------------------------------------------------------------------------
// Interactive review

/// Answers that last across files.
#[derive(Debug, Default)]
struct Session {
    /// Rules whose fixes are accepted without asking.
    accept_all: BTreeSet<String>,
    quit: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Yes,
    No,
    All,
    /// Edit this one: a replacement typed at the prompt, or the text in `$EDITOR`.
    Edit,
    /// Skip this rule for the rest of this file.
    SkipRule,
    Quit,
}

fn ask(out: &mut dyn Write, input: &mut dyn BufRead, rule: &str) -> std::io::Result<Answer> {
    loop {
        write!(
            out,
            "{BOLD}Apply this fix?{BOLD:#} [y]es, [n]o (skip), [e]dit this one, [r]: skip {rule} in this file, [a]ll fixes of {rule}, [q]uit: ",
            rule = terminal(rule)
        )?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            writeln!(out)?;
            return Ok(Answer::Quit);
        }
        match line.trim().to_lowercase().as_str() {
            "y" | "yes" => return Ok(Answer::Yes),
            "n" | "no" | "s" | "skip" => return Ok(Answer::No),
            "a" | "all" => return Ok(Answer::All),
            "e" | "edit" => return Ok(Answer::Edit),
            "r" | "rule" => return Ok(Answer::SkipRule),
            "q" | "quit" => return Ok(Answer::Quit),
            _ => writeln!(out, "Please answer y, n, e, r, a or q.")?,
        }
    }
}

/// "Edit this one": the text of `doc` with the finding `d` rewritten by hand, or `None` when
/// nothing changed. A replacement typed at the prompt takes the place of the flagged text;
/// an empty answer opens the whole text in `$VISUAL` or `$EDITOR` at the finding's line.
fn edit_one(
    out: &mut dyn Write,
    input: &mut dyn BufRead,
    doc: &Document,
    d: &Diagnostic,
) -> std::io::Result<Option<String>> {
    write!(
        out,
        "Replace \"{}\" with (type the text, or press Enter to open $EDITOR there): ",
        terminal(d.span.text(&doc.text))
    )?;
    out.flush()?;
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let typed = line.trim_end_matches(['\n', '\r']);
    if !typed.is_empty() {
        let mut text = doc.text.clone();
        text.replace_range(d.span.start..d.span.end, typed);
        return Ok((text != doc.text).then_some(text));
    }
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(std::env::var_os)
        .find(|e| !e.is_empty());
    let Some(editor) = editor else {
        writeln!(out, "Neither $VISUAL nor $EDITOR is set: type the replacement instead.")?;
        return Ok(None);
    };
    // The text as it is now (with the fixes accepted so far), in a file of the same kind.
    let suffix = Path::new(&doc.path)
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let file = tempfile::Builder::new()
        .prefix("mtlint-edit-")
        .suffix(&suffix)
        .tempfile()?;
    std::fs::write(file.path(), &doc.text)?;
    let line_no = doc.line_index().line_of(d.span.start) + 1;
    // `$EDITOR` may hold arguments (`code --wait`); editors take `+LINE` before the file.
    let status = if cfg!(windows) {
        std::process::Command::new(&editor).arg(file.path()).status()
    } else {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{} \"$@\"", editor.to_string_lossy()))
            .arg("mtlint")
            .arg(format!("+{line_no}"))
            .arg(file.path())
            .status()
    };
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => {
            writeln!(out, "The editor exited with {s}: nothing changed.")?;
            return Ok(None);
        }
        Err(e) => {
            writeln!(out, "Cannot run the editor: {e}")?;
            return Ok(None);
        }
    }
    let edited = std::fs::read_to_string(file.path())?;
    Ok((edited != doc.text).then_some(edited))
}

/// Shows one fix as a small diff ([`output::preview`]): its edits with a little of the text
/// around them, the changed text highlighted (or marked `[-old-]{+new+}` without colour).
fn show_fix(out: &mut dyn Write, doc: &Document, d: &Diagnostic, f: &Fix, color: bool) -> std::io::Result<()> {
    use crate::output::preview::{diff_pieces, Piece};
    let at = doc.line_index().line_col(&doc.text, f.span().start);
    writeln!(
        out,
        "\n{BOLD}{}:{}:{}{BOLD:#}: {}: {}",
        one_line(&doc.path),
        at.line,
        at.column,
        terminal(d.rule_id()),
        terminal(&d.message)
    )?;
    // The document's own characters: never raw to the terminal; line breaks shown as ⏎.
    let shown = |s: &str| terminal(&s.replace("\r\n", "⏎").replace('\n', "⏎")).into_owned();
    let pieces = diff_pieces(doc, f);
    if color {
        for (sign, style, skipped) in [("-", RED, true), ("+", GREEN, false)] {
            let strong = style.invert();
            write!(out, "{style}{sign}{style:#} ")?;
            for piece in &pieces {
                match piece {
                    Piece::Same(s) => write!(out, "{}", shown(s))?,
                    Piece::Del(s) if skipped => write!(out, "{strong}{}{strong:#}", shown(s))?,
                    Piece::Ins(s) if !skipped => write!(out, "{strong}{}{strong:#}", shown(s))?,
                    _ => {}
                }
            }
            writeln!(out)?;
        }
    } else {
        write!(out, "  ")?;
        for piece in &pieces {
            match piece {
                Piece::Same(s) => write!(out, "{}", shown(s))?,
                Piece::Del(s) => write!(out, "[-{}-]", shown(s))?,
                Piece::Ins(s) => write!(out, "{{+{}+}}", shown(s))?,
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The questions of `fix --interactive`: the fix engine asks about each fix in turn.
struct Reviewer<'a> {
    session: &'a mut Session,
    out: &'a mut dyn Write,
    stdin: &'a mut dyn BufRead,
    color: bool,
}

impl Review for Reviewer<'_> {
    fn decide(&mut self, doc: &Document, d: &Diagnostic, f: &Fix) -> std::io::Result<Decision> {
        let rule = d.rule_id();
        if self.session.accept_all.contains(rule) {
            return Ok(Decision::Apply);
        }
        show_fix(self.out, doc, d, f, self.color)?;
        Ok(match ask(self.out, self.stdin, rule)? {
            Answer::Yes => Decision::Apply,
            Answer::All => {
                self.session.accept_all.insert(rule.to_string());
                Decision::Apply
            }
            Answer::No => Decision::Skip,
            Answer::SkipRule => Decision::SkipRule,
            Answer::Edit => match edit_one(self.out, self.stdin, doc, d)? {
                Some(text) => Decision::Replace(text),
                None => Decision::Skip,
            },
            Answer::Quit => {
                self.session.quit = true;
                Decision::Quit
            }
        })
    }
}

/// Asks about each fix of one file in turn; the fix engine applies the accepted ones one at a
/// time, re-checking after each, so later questions see the text as it now is.
fn review_file(
    input: &Input,
    min: Applicability,
    baselines: &Baselines,
    session: &mut Session,
    out: &mut dyn Write,
    stdin: &mut dyn BufRead,
    color: bool,
) -> std::io::Result<FileFix> {
    let (doc, replaced) = match load(input) {
        Ok(x) => x,
        Err(e) => return Ok(FileFix::failed(input, e)),
    };
    // Said before the questions about the file.
    if let Some(warning) = &replaced {
        eprintln!("{warning}");
    }
    let lossy = replaced.is_some();
    let original = doc.text.clone();
    let kept = match kept_places(input, baselines, &doc) {
        Ok(k) => k,
        Err(e) => return Ok(FileFix::failed(input, e)),
    };
    let mut reviewer = Reviewer {
        session,
        out,
        stdin,
        color,
    };
    match input
        .linter
        .review_document(doc, Some(&input.path), min, kept, &mut reviewer)
    {
        Ok(outcome) => Ok(file_fix(input, baselines, original, outcome?, lossy)),
        Err(e) => Ok(FileFix::failed(input, e)),
    }
}
