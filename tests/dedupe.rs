//! One defect, one finding: when two rules report the same span for the same defect, the more
//! specific finding is kept and the other rides along as related information.

use mtlint::api::{Linter, Settings};

/// The findings `mtlint check` gives `text` in a file called `name`.
fn check(name: &str, text: &str) -> Vec<mtlint::diagnostic::Diagnostic> {
    let linter = Linter::new(&Settings::default()).unwrap();
    linter.check(text.to_string(), Some(name)).unwrap().diagnostics
}

#[test]
fn a_term_seen_by_the_glossary_and_the_source_is_one_finding() {
    // The source says 古镇 (the town of Guzhen); the target has the literal "ancient town".
    let text = "古镇的灯具工厂很多。\tThe ancient town has many lamp factories.\n";
    let diags = check("pair.tsv", text);
    let on_term: Vec<_> = diags
        .iter()
        .filter(|d| text[d.span.start..d.span.end].contains("ancient town"))
        .collect();
    assert_eq!(on_term.len(), 1, "{diags:#?}");
    let kept = on_term[0];
    // The rule that read the source is the more specific one.
    assert_eq!(kept.rule_id(), "zh-en/source-term");
    assert_eq!(kept.related.len(), 1);
    assert_eq!(kept.related[0].rule.id, "zh-en/guzhen");
    assert!(kept.fix.is_some(), "the kept finding still offers the fix");
}

#[test]
fn untranslated_text_seen_by_two_rules_is_one_finding() {
    let text = "展会明天开幕。\tThe fair opens tomorrow.\n展会吸引了很多客商。\tThe fair drew 很多客商 from abroad.\n";
    let diags = check("pair.tsv", text);
    let at = text.find("很多客商 from").unwrap();
    let here: Vec<_> = diags.iter().filter(|d| d.span.start == at).collect();
    assert_eq!(here.len(), 1, "{diags:#?}");
    assert_eq!(here[0].rule_id(), "bilingual/source-script-left");
    assert!(here[0].related.iter().any(|r| r.rule.id == "en/untranslated"));
}

#[test]
fn json_carries_the_merged_finding_as_related() {
    let text = "古镇的灯具工厂很多。\tThe ancient town has many lamp factories.\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pair.tsv");
    std::fs::write(&path, text).unwrap();
    let out = assert_cmd::Command::cargo_bin("mtlint")
        .unwrap()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = json["files"][0]["diagnostics"].as_array().unwrap();
    let term = diags.iter().find(|d| d["rule"] == "zh-en/source-term").unwrap();
    assert_eq!(term["related"][0]["rule"], "zh-en/guzhen");
    assert_eq!(term["related"][0]["severity"], "error");
    // Findings with nothing merged into them carry no `related` key.
    assert!(diags
        .iter()
        .filter(|d| d["rule"] != "zh-en/source-term")
        .all(|d| d.get("related").is_none()));
}
