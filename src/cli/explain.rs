//! `mtlint explain RULE`: a rule's full documentation, from the files that run.

use std::io::Write;

use super::ExplainArgs;
use crate::config::Profile;

use crate::output::sanitize::terminal as t;

pub fn run(args: ExplainArgs) -> anyhow::Result<u8> {
    super::set_color(args.shared.color);
    let mut out = anstream::stdout().lock();
    if let Some(kind) = crate::checks::kind_named(&args.rule) {
        writeln!(out, "{}", kind.doc)?;
        return Ok(0);
    }
    let profile = Profile::load(args.shared.config.as_deref(), &args.shared.overrides())?;
    if !crate::output::explain::explain(profile.all_rules(), &args.rule, &mut out, anstyle::Style::new().bold())? {
        anyhow::bail!("no rule `{}` (see `mtlint rules`)", t(&args.rule));
    }
    Ok(0)
}
