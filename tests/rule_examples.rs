//! The examples of the shipped rule packs: every one passes, and every rule has them.

use mtlint::config::builtin_rules;
use mtlint::rule_examples;

#[test]
fn every_shipped_example_passes() {
    let rules = builtin_rules().expect("the shipped packs load");
    let (stats, failures) = rule_examples::run(rules);
    let report: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert!(
        failures.is_empty(),
        "{} of {} examples fail:\n{}",
        failures.len(),
        stats.examples,
        report.join("\n")
    );
    assert_eq!(stats.rules, rules.len(), "every rule's examples ran");
}

#[test]
fn every_shipped_rule_has_examples_of_what_it_flags() {
    let rules = builtin_rules().expect("the shipped packs load");
    assert!(rules.len() >= 60, "the shipped packs hold {} rules", rules.len());
    let without: Vec<String> = rules
        .iter()
        .filter(|r| !r.def.examples.iter().any(|e| e.bad.is_some()))
        .map(|r| format!("{} ({}:{})", r.full_id(), r.origin.display(), r.line))
        .collect();
    assert!(
        without.is_empty(),
        "rules without a `bad` example:\n{}",
        without.join("\n")
    );
}

/// A fixable rule shows its fix: at least one example gives the `good` text.
#[test]
fn every_fixing_rule_shows_its_fix() {
    let rules = builtin_rules().expect("the shipped packs load");
    let engine_rules: Vec<_> = rules.to_vec();
    // The engine itself: every shipped rule in one engine, whatever its language, so that each
    // rule's examples are checked by that rule.
    let engine = mtlint::engine::Engine::new(&engine_rules, &[]).expect("the shipped packs compile");
    let mut without = Vec::new();
    for (loaded, rule) in rules.iter().zip(engine.rules()) {
        let fixes = loaded.def.examples.iter().filter_map(|e| e.bad.as_deref()).any(|bad| {
            let lang = loaded.pack.target.as_deref();
            let doc = mtlint::document::Document::new("example", bad.to_string(), lang);
            engine
                .check(&doc)
                .iter()
                .any(|d| d.rule.id == rule.id() && d.fix.is_some())
        });
        let shown = loaded.def.examples.iter().any(|e| e.good.is_some());
        if fixes && !shown {
            without.push(rule.id().to_string());
        }
    }
    assert!(
        without.is_empty(),
        "rules that fix their bad examples without a `good` text:\n{}",
        without.join("\n")
    );
}
