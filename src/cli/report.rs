//! `mtlint report`: review reports of a whole batch, as HTML for editors and Markdown for
//! pull-request comments.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use super::files::{self, Input, Profiles};
use super::{progress, set_color, ReportArgs};
use crate::output::FileReport;
use crate::report::{html, markdown, Batch};

/// Writes `text` to `path`, or to standard output for `-`.
fn write_out(path: &Path, text: &str) -> anyhow::Result<()> {
    if path == Path::new("-") {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()?;
        return Ok(());
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

pub fn run(args: ReportArgs) -> anyhow::Result<u8> {
    set_color(args.shared.color);
    let stdout = Some(Path::new("-"));
    if args.html.as_deref() == stdout && args.markdown.as_deref() == stdout {
        anyhow::bail!("--html and --markdown cannot both write to standard output");
    }
    let mut profiles = Profiles::new(&args.shared.input_options())?;
    let collected = files::collect(&args.paths, &mut profiles)?;
    files::say_skipped(&collected, &args.shared);
    let skipped = collected.skipped.len();
    let inputs = collected.inputs;
    let catalog = files::rule_catalog(&inputs);
    let mut status = files::Status::default();
    let mut reports: Vec<FileReport> = Vec::with_capacity(inputs.len());
    let bar = progress::bar(inputs.len(), args.shared.quiet);
    crate::runner::for_each_ordered(&inputs, progress::counted(&bar, Input::check), |input, report| {
        status.add(input, &report);
        if let Some(e) = &report.error_message() {
            progress::suspend(&bar, || {
                eprintln!(
                    "error: {}: {}",
                    crate::output::sanitize::one_line(&report.path),
                    crate::output::sanitize::terminal(e)
                )
            });
        }
        reports.push(report);
        Ok(())
    })?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let batch = Batch::new(&reports, &catalog);
    if let Some(path) = &args.html {
        let opts = html::HtmlOptions {
            title: args.title.clone(),
            nonce: None,
        };
        write_out(path, &html::render(&batch, &opts))?;
    }
    if let Some(path) = &args.markdown {
        write_out(path, &markdown::render(&batch, markdown::DEFAULT_LIMIT))?;
    }
    if !args.shared.quiet {
        let skipped = match skipped {
            0 => String::new(),
            n => format!(" ({n} skipped)"),
        };
        eprintln!(
            "{} checked{skipped}, {} ({} words): quality score {:.1} ({})",
            crate::report::plural(batch.files(), "file", "files"),
            crate::report::plural(batch.counts.total(), "finding", "findings"),
            batch.score.words,
            batch.score.quality(),
            batch.score.band().as_str()
        );
    }
    Ok(status.code())
}
