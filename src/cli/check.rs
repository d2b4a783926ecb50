//! `mtlint check`.

use std::io::Write;

use super::files::{self, Input, Profiles};
use super::{set_color, CheckArgs};
use crate::output::{self, Format, HumanOptions, Summary};

pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    set_color(args.shared.color);
    if args.diff {
        return super::fix::run(super::FixArgs {
            paths: args.paths,
            unsafe_fixes: args.unsafe_fixes,
            diff: true,
            interactive: false,
            format: args.format,
            shared: args.shared,
        });
    }
    let mut profiles = Profiles::new(&args.shared)?;
    let inputs = files::collect(&args.paths, &args.shared, &mut profiles)?;
    let mut out = anstream::stdout().lock();
    let human = HumanOptions {
        summary: !args.shared.quiet,
        fix_hint: true,
    };
    let mut emitter = output::emitter(args.format, &human);
    let mut summary = Summary::default();
    let mut status = files::Status::default();
    files::for_each_ordered(&inputs, Input::check, |input, report| {
        summary.add(&report);
        status.add(input, &report);
        emitter.file(&mut out, &report)?;
        // Machine formats carry file errors in their own fields; say them on stderr too.
        if let (Some(e), true) = (&report.error, args.format != Format::Human) {
            eprintln!("error: {}: {e}", report.path);
        }
        Ok(())
    })?;
    emitter.finish(&mut out, &summary)?;
    out.flush()?;
    Ok(status.code())
}
