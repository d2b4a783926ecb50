//! `mtlint check`.

use super::files::{self, Profiles};
use super::{set_color, CheckArgs};
use crate::output::{self, Format, HumanOptions};

pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    set_color(args.shared.color);
    if args.diff {
        return super::fix::run(super::FixArgs {
            paths: args.paths,
            unsafe_fixes: args.unsafe_fixes,
            diff: true,
            format: args.format,
            shared: args.shared,
        });
    }
    let mut profiles = Profiles::new(&args.shared)?;
    let inputs = files::collect(&args.paths, &args.shared, &mut profiles)?;
    let reports = files::check_all(&inputs);
    let mut out = anstream::stdout().lock();
    let human = HumanOptions {
        summary: !args.shared.quiet,
        fix_hint: true,
    };
    output::write(args.format, &reports, &mut out, &human)?;
    if args.format != Format::Human {
        // Machine formats carry file errors in their own fields; say them on stderr too.
        for r in &reports {
            if let Some(e) = &r.error {
                eprintln!("error: {}: {e}", r.path);
            }
        }
    }
    Ok(files::exit_status(&inputs, &reports))
}
