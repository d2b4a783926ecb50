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
    let (stats, failures) = crate::rule_examples::run(&rules);
    let mut out = anstream::stdout().lock();
    for f in &failures {
        writeln!(out, "FAIL {f}")?;
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
