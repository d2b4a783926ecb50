//! `mtlint rules`: every rule, documented from its definition.

use std::io::Write;

use serde::Serialize;

use super::RulesArgs;
use crate::config::Profile;
use crate::engine::Rule;

#[derive(Serialize)]
struct RuleRow {
    id: String,
    pack: String,
    target: Option<String>,
    source: Option<String>,
    kind: &'static str,
    severity: &'static str,
    category: String,
    fix: &'static str,
    summary: String,
}

use crate::output::sanitize::one_line;

pub fn run(args: RulesArgs) -> anyhow::Result<u8> {
    super::set_color(args.shared.color);
    let profile = Profile::load(args.shared.config.as_deref(), &args.shared.overrides())?;
    let rows: Vec<RuleRow> = profile
        .all_rules()
        .iter()
        .filter(|r| args.pack.is_empty() || args.pack.contains(&r.pack.name))
        .map(|r| {
            let rule = Rule::new(r);
            RuleRow {
                id: rule.id().to_string(),
                pack: r.pack.name.clone(),
                target: r.pack.target.clone(),
                source: r.pack.source.clone(),
                kind: r.def.kind.name,
                severity: rule.meta.severity.as_str(),
                category: rule.meta.category.clone(),
                fix: crate::output::explain::fixability(r),
                summary: rule.summary(),
            }
        })
        .collect();
    let mut out = anstream::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
        return Ok(0);
    }
    let w_id = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let w_kind = rows.iter().map(|r| r.kind.len()).max().unwrap_or(4).max(4);
    let bold = anstyle::Style::new().bold();
    writeln!(
        out,
        "{bold}{:w_id$}  {:w_kind$}  {:8}  {:6}  summary{bold:#}",
        "id", "kind", "severity", "fix"
    )?;
    for r in &rows {
        writeln!(
            out,
            "{:w_id$}  {:w_kind$}  {:8}  {:6}  {}",
            one_line(&r.id),
            r.kind,
            r.severity,
            r.fix,
            one_line(&r.summary)
        )?;
    }
    let mut packs: Vec<&str> = rows.iter().map(|r| r.pack.as_str()).collect();
    packs.dedup();
    writeln!(
        out,
        "\n{} rules in {} packs. `mtlint explain RULE` shows one in full.",
        rows.len(),
        packs.len()
    )?;
    Ok(0)
}
