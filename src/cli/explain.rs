//! `mtlint explain RULE`: a rule's full documentation, from the files that run.

use std::io::Write;

use super::ExplainArgs;
use crate::config::Profile;
use crate::engine::Rule;

use crate::output::sanitize::terminal as t;

pub fn run(args: ExplainArgs) -> anyhow::Result<u8> {
    super::set_color(args.shared.color);
    let mut out = anstream::stdout().lock();
    if let Some(kind) = crate::checks::kind_named(&args.rule) {
        writeln!(out, "{}", kind.doc)?;
        return Ok(0);
    }
    let profile = Profile::load(args.shared.config.as_deref(), &args.shared.overrides())?;
    if !explain(&profile, &args.rule, &mut out, anstyle::Style::new().bold())? {
        anyhow::bail!("no rule `{}` (see `mtlint rules`)", t(&args.rule));
    }
    Ok(0)
}

/// Writes the explanation of `rule_id` (`pack/name`, or a name alone) in `profile`, headings
/// in `bold`; false when the profile has no such rule. The language server's hover shows
/// the same text, without styles.
pub fn explain(profile: &Profile, rule_id: &str, out: &mut dyn Write, bold: anstyle::Style) -> std::io::Result<bool> {
    let found = profile
        .all_rules()
        .iter()
        .find(|r| r.full_id() == rule_id || (!rule_id.contains('/') && r.def.id == rule_id));
    let Some(loaded) = found else {
        return Ok(false);
    };
    let rule = Rule::new(loaded);
    let def = &loaded.def;
    writeln!(out, "{bold}{}{bold:#}: {}\n", t(rule.id()), t(&rule.summary()))?;
    let lang = match (&loaded.pack.source, &loaded.pack.target) {
        (Some(s), Some(t)) => format!("{s} → {t}"),
        (None, Some(t)) => t.clone(),
        _ => "any".to_string(),
    };
    writeln!(out, "pack:      {} ({})", t(&loaded.pack.name), t(&lang))?;
    writeln!(out, "kind:      {}", def.kind.name)?;
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
    let mut params = def.table.clone();
    for shown in ["examples", "doc", "message", "when_document_mentions"] {
        params.remove(shown);
    }
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
        def.kind.name,
        def.kind.doc.trim()
    )?;
    Ok(true)
}
