//! `mtlint check`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use super::files::{self, Input, Profiles};
use super::{progress, set_color, CheckArgs};
use crate::baseline::{self, Baseline, FileFindings};
use crate::diagnostic::Diagnostic;
use crate::inputs::baselines::Baselines;
use crate::output::{self, EmitOptions, Format, HumanOptions, Summary};
use crate::timing::{self, Stage};

pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    set_color(args.shared.color);
    if args.diff {
        return super::fix::run(super::FixArgs {
            paths: args.paths,
            unsafe_fixes: args.unsafe_fixes,
            diff: true,
            interactive: false,
            format: args.format,
            records: false,
            baseline: args.baseline,
            include_baselined: false,
            shared: args.shared,
        });
    }
    if args.records {
        return super::records::run(&args.paths, &args.shared, None);
    }
    if args.show_fixes && !matches!(args.format, Format::Human | Format::Concise) {
        anyhow::bail!("--show-fixes lists the fixes as text: use it with --format human or concise");
    }
    // Never dropped: the process ends when the check does, and freeing every compiled rule
    // and engine first took 8 % of the instructions of checking one small file.
    let mut profiles = std::mem::ManuallyDrop::new(Profiles::new(&args.shared.input_options())?);
    let collected = files::collect(&args.paths, &mut profiles)?;
    files::say_skipped(&collected, &args.shared);
    let mut inputs = collected.inputs;
    let writing = args.write_baseline.is_some();
    let baselines = match &args.write_baseline {
        Some(file) => Baselines::to_write(file),
        None => Baselines::load(args.baseline.as_deref(), &inputs)?,
    };
    if args.prune_baseline && baselines.is_empty() {
        anyhow::bail!("--prune-baseline needs a baseline: --baseline FILE, or `baseline` in the config");
    }
    // A baseline is never checked itself (its excerpts would be findings of the next write).
    inputs.retain(|i| !baselines.holds_file(&i.path));
    // Per baseline: what each checked file holds now, by its path in the baseline.
    let mut checked: Vec<BTreeMap<String, FileFindings>> = vec![BTreeMap::new(); baselines.len()];
    let mut hidden = 0usize;
    // With -o the report goes to the file, plain, and the summary to standard error.
    let to_file = args.output_file.is_some();
    let mut out: Box<dyn Write> = match &args.output_file {
        Some(path) => {
            Box::new(std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| {
                anyhow::anyhow!("cannot write the report to {}: {e}", path.display())
            })?))
        }
        None => output::stdout(args.format),
    };
    let human = HumanOptions {
        summary: !args.shared.quiet && !to_file && !args.statistics,
        fix_hint: true,
        width: if to_file { 0 } else { output::terminal_width() },
        plain: to_file,
    };
    let mut statistics = output::Statistics::default();
    let mut fixes: Vec<u8> = Vec::new();
    let fix_palette = output::Palette::for_output(&human);
    let opts = EmitOptions {
        human,
        rules: Arc::new(files::rule_catalog(&inputs)),
        fail_on: files::fail_level(&inputs),
    };
    let output::Writers { mut emitter, renderer } = output::writers(args.format, &opts);
    let mut summary = Summary {
        skipped: collected.skipped.len(),
        ..Summary::default()
    };
    let mut status = files::Status::default();
    let bar = progress::bar(inputs.len(), args.shared.quiet);
    let stdout_is_terminal = !to_file && std::io::IsTerminal::is_terminal(&std::io::stdout());
    // Formats that need nothing from other files are rendered by the worker that checked the
    // file; the others are written here, in order, from the report.
    let renderer = renderer.filter(|_| !args.statistics);
    let github_summary = match args.format {
        Format::Github => std::env::var_os("GITHUB_STEP_SUMMARY").filter(|v| !v.is_empty()),
        _ => None,
    };
    let count_rules = args.statistics || github_summary.is_some();
    // A large file's findings are written as they are found, when nothing needs all of them
    // at once (a baseline matches them, the fixes and statistics are listed at the end, the
    // human format groups them): its worker only reads it, and the writing thread checks it.
    let stream = !writing
        && !args.statistics
        && !args.show_fixes
        && !count_rules
        && baselines.is_empty()
        && renderer
            .as_ref()
            .map_or(emitter.streams(), output::FileRenderer::streams);
    let check = |input: &Input| {
        if stream {
            match input.load() {
                Ok(doc) if doc.text.len() >= 2 * crate::engine::PART_SIZE => {
                    return (Checked::Later(doc), None, None);
                }
                Ok(doc) => {
                    let report = input.check_loaded(doc);
                    let rendered = renderer
                        .as_ref()
                        .map(|r| timing::time(Stage::Output, || r.render(&report)));
                    return (Checked::Now(report), rendered, None);
                }
                Err(e) => {
                    let report = output::FileReport::failed(input.display.clone(), e);
                    let rendered = renderer
                        .as_ref()
                        .map(|r| timing::time(Stage::Output, || r.render(&report)));
                    return (Checked::Now(report), rendered, None);
                }
            }
        }
        let mut report = input.check();
        let matched = baselines.split(input, &mut report);
        let rendered = match writing || args.statistics {
            true => None,
            false => renderer
                .as_ref()
                .map(|r| timing::time(Stage::Output, || r.render(&report))),
        };
        (Checked::Now(report), rendered, matched)
    };
    crate::runner::for_each_ordered(
        &inputs,
        progress::counted(&bar, check),
        |input, (work, rendered, matched)| {
            let (report, rendered) = match work {
                Checked::Now(report) => (report, rendered),
                Checked::Later(doc) => {
                    let mut to = Writing {
                        emitter: &mut *emitter,
                        renderer: renderer.as_ref(),
                        out: &mut *out,
                    };
                    match write_as_found(input, doc, &mut to, &mut summary, &mut status)? {
                        None => {
                            if stdout_is_terminal {
                                out.flush()?;
                            }
                            return Ok(());
                        }
                        // The document could not be checked: reported as any failed file.
                        Some(failed) => {
                            let rendered = renderer
                                .as_ref()
                                .map(|r| timing::time(Stage::Output, || r.render(&failed)));
                            (failed, rendered)
                        }
                    }
                }
            };
            if let Some(m) = matched {
                hidden += m.hidden;
                checked[m.baseline].insert(m.path, m.found);
            }
            if writing {
                status.errors |= report.error().is_some();
                if let Some(e) = &report.error_message() {
                    progress::suspend(&bar, || -> std::io::Result<()> {
                        eprintln!(
                            "error: {}: {}",
                            crate::output::sanitize::one_line(&report.path),
                            crate::output::sanitize::terminal(e)
                        );
                        Ok(())
                    })?;
                }
                return Ok(());
            }
            summary.add(&report);
            status.add(input, &report);
            if count_rules {
                statistics.add(&report);
            }
            if let (true, Some(doc)) = (args.show_fixes, report.document()) {
                output::write_fixes(&mut fixes, &fix_palette, &report.path, doc, report.diagnostics())?;
            }
            if args.statistics {
                if let Some(e) = &report.error_message() {
                    eprintln!(
                        "error: {}: {}",
                        crate::output::sanitize::one_line(&report.path),
                        crate::output::sanitize::terminal(e)
                    );
                }
                return Ok(());
            }
            let write = || -> std::io::Result<()> {
                match rendered {
                    Some(rendered) => {
                        emitter.before_rendered(&mut out)?;
                        if let Some(r) = &renderer {
                            r.write(&mut out, &report, rendered?)?;
                        }
                    }
                    None => emitter.file(&mut out, &report)?,
                }
                if stdout_is_terminal {
                    // Someone is watching: show each file as it is done.
                    out.flush()?;
                }
                // Machine formats carry file errors in their own fields; say them on stderr too.
                if let (Some(e), true) = (&report.error_message(), args.format != Format::Human) {
                    eprintln!(
                        "error: {}: {}",
                        crate::output::sanitize::one_line(&report.path),
                        crate::output::sanitize::terminal(e)
                    );
                }
                Ok(())
            };
            // The bar is taken off the terminal only when something is written to it.
            timing::time(Stage::Output, || {
                if stdout_is_terminal || report.error().is_some() {
                    progress::suspend(&bar, write)
                } else {
                    write()
                }
            })
        },
    )?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if let Some(file) = &args.write_baseline {
        let mut baseline = Baseline::new();
        for (path, found) in checked.into_iter().flatten() {
            baseline.record(&path, found);
        }
        baseline.write(file)?;
        if !args.shared.quiet {
            eprintln!(
                "Wrote the baseline {}: {} in {}.",
                file.display(),
                plural(baseline.len(), "finding", "findings"),
                plural(baseline.file_count(), "file", "files")
            );
        }
        return Ok(status.code());
    }
    if args.statistics {
        match args.format {
            Format::Json => statistics.write_json(&mut out)?,
            _ => statistics.write_text(&mut out)?,
        }
    } else {
        emitter.finish(&mut out, &summary)?;
    }
    if args.show_fixes && !fixes.is_empty() {
        writeln!(out, "Fixes (`mtlint fix`; unsafe ones with `--unsafe-fixes`):")?;
        out.write_all(&fixes)?;
    }
    out.flush()?;
    // The summary goes to standard error when the report went to a file (or was replaced by
    // the statistics), so a terminal still sees it.
    if (to_file || args.statistics) && !args.shared.quiet {
        let mut err = anstream::stderr();
        output::write_summary(&mut err, &output::Palette::for_stdout(), &summary, true)?;
    }
    if let Some(file) = github_summary {
        let md = output::step_summary(&summary, &statistics);
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&file)
            .map_err(|e| anyhow::anyhow!("cannot write the step summary to {}: {e}", Path::new(&file).display()))?;
        f.write_all(md.as_bytes())?;
    }
    if hidden > 0 && !args.shared.quiet {
        eprintln!("{} hidden by the baseline.", plural(hidden, "finding", "findings"));
    }
    for (used, checked) in baselines.used().iter().zip(&checked) {
        let exists = |p: &str| baseline::resolve(&used.file, p).exists();
        let file = used.file.display();
        if args.prune_baseline {
            let pruned = used.baseline.pruned(checked, exists);
            let dropped = used.baseline.len() - pruned.len();
            if pruned != used.baseline {
                pruned.write(&used.file)?;
            }
            if !args.shared.quiet {
                eprintln!(
                    "Pruned the baseline {file}: {} dropped.",
                    plural(dropped, "stale finding", "stale findings")
                );
            }
            continue;
        }
        let stale = used.baseline.stale(checked, exists);
        if stale.is_empty() || args.shared.quiet {
            continue;
        }
        let total: usize = stale.iter().map(|s| s.missing).sum();
        eprintln!(
            "warning: the baseline {file} holds {} no longer found (--prune-baseline drops them):",
            plural(total, "finding", "findings")
        );
        for s in &stale {
            let gone = if s.file_gone { " (the file is gone)" } else { "" };
            let times = if s.missing > 1 {
                format!(" ×{}", s.missing)
            } else {
                String::new()
            };
            eprintln!(
                "  {}: {}{times} \"{}\"{gone}",
                crate::output::sanitize::one_line(&s.path),
                s.rule,
                crate::output::sanitize::one_line(&s.text)
            );
        }
    }
    Ok(match (args.exit_zero, status.code()) {
        (true, super::EXIT_FINDINGS) => super::EXIT_OK,
        (_, code) => code,
    })
}

use crate::sanitize::plural;

/// What a worker hands the writing thread for a file.
enum Checked {
    /// The file checked (or failed).
    Now(output::FileReport),
    /// A large file, read but not yet checked: the writing thread checks it and writes its
    /// findings as they come ([`write_as_found`]).
    Later(crate::document::Document),
}

/// Where [`write_as_found`] writes: the run's emitter, the format's renderer when it has one
/// (which then writes the findings, the emitter only what goes between files), and the
/// output.
struct Writing<'w> {
    emitter: &'w mut dyn output::Emitter,
    renderer: Option<&'w output::FileRenderer>,
    out: &'w mut dyn Write,
}

impl Writing<'_> {
    /// Writes what goes before the findings of `report` (and between it and the file before).
    fn start(&mut self, report: &output::FileReport) -> std::io::Result<()> {
        match self.renderer {
            Some(renderer) => {
                self.emitter.before_rendered(&mut *self.out)?;
                renderer.write_head(&mut *self.out, report)
            }
            None => self.emitter.start_file(&mut *self.out, report),
        }
    }

    /// Writes `diags`, the next findings of `report`; `first` when none was written before.
    fn chunk(&mut self, report: &output::FileReport, diags: &[Diagnostic], first: bool) -> std::io::Result<()> {
        match self.renderer {
            Some(renderer) => renderer.write_chunk(&mut *self.out, report, diags, first),
            None => self.emitter.file_findings(&mut *self.out, report, diags),
        }
    }

    /// Writes what goes after the findings of `report` (`any_findings`: some were written).
    fn end(&mut self, report: &output::FileReport, any_findings: bool) -> std::io::Result<()> {
        match self.renderer {
            Some(renderer) => renderer.write_tail(&mut *self.out, report, any_findings),
            None => self.emitter.end_file(&mut *self.out, report),
        }
    }
}

/// Checks `doc`, read from `input`, writing its findings as they are found and counting them
/// in `summary` and `status`. When the document cannot be checked (its rules do not compile),
/// nothing is written and the failed report is returned, to be written as any other.
fn write_as_found(
    input: &Input,
    doc: crate::document::Document,
    to: &mut Writing<'_>,
    summary: &mut Summary,
    status: &mut files::Status,
) -> std::io::Result<Option<output::FileReport>> {
    let report = output::FileReport::checked(input.display.clone(), doc, Vec::new());
    let Some(doc) = report.document() else {
        return Ok(None);
    };
    let mut any = false;
    let mut started = false;
    let written = input.linter.check_document_each(doc, Some(&input.path), |chunk| {
        timing::time(Stage::Output, || {
            if !started {
                to.start(&report)?;
                started = true;
            }
            summary.add_findings(&chunk);
            status.add_findings(input, &chunk);
            to.chunk(&report, &chunk, !any)?;
            any |= !chunk.is_empty();
            Ok::<(), std::io::Error>(())
        })
    });
    match written {
        Ok(written) => {
            written?;
            if !started {
                to.start(&report)?;
            }
            summary.add(&report);
            status.add(input, &report);
            timing::time(Stage::Output, || to.end(&report, any))?;
            Ok(None)
        }
        Err(e) => Ok(Some(output::FileReport::failed(report.path, e))),
    }
}
