//! A rule's full documentation, from the rule files that run: what `mtlint explain` prints
//! and the language server's hover shows.

use std::io::Write;

use crate::model::{LoadedRule, Rule};
use crate::sanitize::terminal as t;

/// How a rule's fixes apply: `safe`, `unsafe` or `no`.
pub fn fixability(rule: &LoadedRule) -> &'static str {
    match rule.def.fixes() {
        Some(crate::diagnostic::Applicability::Safe) => "safe",
        Some(_) => "unsafe",
        None => "no",
    }
}

/// Writes the explanation of `rule_id` (`pack/name`, or a name alone) among `rules`, headings
/// in `bold`; false when there is no such rule. The language server's hover shows
/// the same text, without styles.
pub fn explain(
    rules: &[LoadedRule],
    rule_id: &str,
    out: &mut dyn Write,
    bold: anstyle::Style,
) -> std::io::Result<bool> {
    let found = rules
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
    writeln!(out, "fix:       {}", fixability(loaded))?;
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
    let mut params = (*def.table).clone();
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
