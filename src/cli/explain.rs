//! `mtlint explain RULE`: a rule's full documentation, from the files that run.

use std::io::Write;

use super::ExplainArgs;
use crate::checks::CheckKind;
use crate::config::Profile;
use crate::engine::Rule;

use crate::output::sanitize::terminal as t;

pub fn run(args: ExplainArgs) -> anyhow::Result<u8> {
    super::set_color(args.shared.color);
    let mut out = anstream::stdout().lock();
    if let Some(kind) = CheckKind::ALL.iter().find(|k| k.name() == args.rule) {
        writeln!(out, "{}", kind.doc())?;
        return Ok(0);
    }
    let profile = Profile::load(args.shared.config.as_deref(), &args.shared.overrides())?;
    let found = profile
        .all_rules()
        .iter()
        .find(|r| r.full_id() == args.rule || (!args.rule.contains('/') && r.def.id == args.rule));
    let Some(loaded) = found else {
        anyhow::bail!("no rule `{}` (see `mtlint rules`)", t(&args.rule));
    };
    let rule = Rule::new(loaded);
    let def = &loaded.def;
    let bold = anstyle::Style::new().bold();
    writeln!(out, "{bold}{}{bold:#}: {}\n", t(rule.id()), t(&rule.summary()))?;
    let lang = match (&loaded.pack.source, &loaded.pack.target) {
        (Some(s), Some(t)) => format!("{s} → {t}"),
        (None, Some(t)) => t.clone(),
        _ => "any".to_string(),
    };
    writeln!(out, "pack:      {} ({})", t(&loaded.pack.name), t(&lang))?;
    writeln!(out, "kind:      {}", def.kind.name())?;
    writeln!(out, "severity:  {}", rule.meta.severity)?;
    writeln!(out, "category:  {}", t(&rule.meta.category))?;
    writeln!(out, "fix:       {}", super::rules::fixability(loaded))?;
    writeln!(out, "message:   {}", t(&rule.message))?;
    if !def.when_document_mentions.is_empty() {
        writeln!(
            out,
            "only when the document mentions: {}",
            t(&def.when_document_mentions.join(", "))
        )?;
    }
    writeln!(
        out,
        "defined in {}:{}",
        t(&loaded.origin.display().to_string()),
        loaded.line
    )?;
    if let Some(doc) = &def.doc {
        writeln!(out, "\n{}", t(doc.trim()))?;
    }
    let mut params = def.clone();
    params.examples.clear();
    params.doc = None;
    params.message = None;
    params.when_document_mentions.clear();
    let toml = toml::to_string(&params).unwrap_or_default();
    writeln!(out, "\n{bold}Definition{bold:#}\n{}", t(toml.trim()))?;
    if !def.examples.is_empty() {
        writeln!(out, "\n{bold}Examples{bold:#}")?;
        for ex in &def.examples {
            if let Some(bad) = &ex.bad {
                writeln!(out, "  flagged:  {}", t(bad))?;
            }
            if let Some(good) = &ex.good {
                writeln!(out, "  fixed:    {}", t(good))?;
            }
            if let Some(ok) = &ex.ok {
                writeln!(out, "  left alone: {}", t(ok))?;
            }
        }
    }
    writeln!(
        out,
        "\n{bold}About the `{}` kind{bold:#}\n\n{}",
        def.kind.name(),
        def.kind.doc().trim()
    )?;
    Ok(0)
}
