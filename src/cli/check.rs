//! `mtlint check`.

use std::io::Write;

use std::sync::Arc;

use super::files::{self, Input, Profiles};
use super::{progress, set_color, CheckArgs};
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
            shared: args.shared,
        });
    }
    if args.records {
        return super::records::run(&args.paths, &args.shared, None);
    }
    let mut profiles = Profiles::new(&args.shared)?;
    let collected = files::collect(&args.paths, &args.shared, &mut profiles)?;
    collected.say_skipped(&args.shared);
    let inputs = collected.inputs;
    let mut out = output::stdout(args.format);
    let human = HumanOptions {
        summary: !args.shared.quiet,
        fix_hint: true,
    };
    let opts = EmitOptions {
        human,
        rules: Arc::new(files::rule_catalog(&inputs)),
        fail_on: files::fail_level(&inputs),
    };
    let mut emitter = output::emitter_with(args.format, &opts);
    let mut summary = Summary {
        skipped: collected.skipped.len(),
        ..Summary::default()
    };
    let mut status = files::Status::default();
    let bar = progress::bar(inputs.len(), args.shared.quiet);
    let stdout_is_terminal = std::io::IsTerminal::is_terminal(&std::io::stdout());
    // Formats that need nothing from other files are rendered by the worker that checked the
    // file; the others are written here, in order, from the report.
    let renderer = output::FileRenderer::new(args.format, &opts);
    let check = |input: &Input| {
        let report = input.check();
        let rendered = renderer
            .as_ref()
            .map(|r| timing::time(Stage::Output, || r.render(&report)));
        (report, rendered)
    };
    files::for_each_ordered(&inputs, progress::counted(&bar, check), |input, (report, rendered)| {
        summary.add(&report);
        status.add(input, &report);
        let write = || -> std::io::Result<()> {
            match rendered {
                Some(pieces) => {
                    emitter.before_rendered(&mut out)?;
                    for piece in pieces? {
                        out.write_all(&piece)?;
                    }
                }
                None => emitter.file(&mut out, &report)?,
            }
            if stdout_is_terminal {
                // Someone is watching: show each file as it is done.
                out.flush()?;
            }
            // Machine formats carry file errors in their own fields; say them on stderr too.
            if let (Some(e), true) = (&report.error, args.format != Format::Human) {
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
            if stdout_is_terminal || report.error.is_some() {
                progress::suspend(&bar, write)
            } else {
                write()
            }
        })
    })?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    emitter.finish(&mut out, &summary)?;
    out.flush()?;
    Ok(status.code())
}
