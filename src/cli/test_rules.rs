//! `mtlint test-rules [FILES]`: run rule examples.

use std::io::Write;

use super::TestRulesArgs;
use crate::config::{self, rulefile::LoadedRule};

pub fn run(args: TestRulesArgs) -> anyhow::Result<u8> {
    let mut rules: Vec<LoadedRule> = Vec::new();
    if args.files.is_empty() {
        rules.extend(config::builtin_rules()?.iter().cloned());
    } else {
        for f in &args.files {
            rules.extend(config::load_rule_file(f)?);
        }
    }
    if rules.is_empty() {
        // Only reachable with no shipped packs: a rule file with no rule is refused on load.
        anyhow::bail!("no rules to test");
    }
    let (stats, failures) = crate::rule_examples::run(&rules);
    if stats.examples == 0 {
        // Passing on nothing would let a pack's CI pass while testing nothing.
        let which = match rules.len() {
            1 => "the rule has no `examples`".to_string(),
            n => format!("none of the {n} rules has `examples`"),
        };
        anyhow::bail!(
            "{which}, so nothing was tested; give each rule at least one \
             `{{ bad = \"…\", good = \"…\" }}` or `{{ ok = \"…\" }}` example"
        );
    }
    let mut out = anstream::stdout().lock();
    for f in &failures {
        // Failures quote the rule file's examples: never raw to the terminal.
        writeln!(out, "FAIL {}", crate::output::sanitize::terminal(&f.to_string()))?;
    }
    let without: Vec<String> = rules
        .iter()
        .filter(|r| r.def.examples.is_empty())
        .map(LoadedRule::full_id)
        .collect();
    if !without.is_empty() {
        writeln!(out, "rules without examples: {}", without.join(", "))?;
    }
    let passed = stats.examples - failures.len();
    writeln!(
        out,
        "{} rules, {} examples: {passed} passed, {} failed",
        stats.rules,
        stats.examples,
        failures.len()
    )?;
    Ok(if failures.is_empty() { 0 } else { 1 })
}
