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
    assert_eq!(kept.related.to_vec()[0].rule.id, "zh-en/guzhen");
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
    assert!(here[0].related.to_vec().iter().any(|r| r.rule.id == "en/untranslated"));
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

/// `mtlint check --format json --rules <file>` on one long sentence.
fn check_with_rules(rules: &str) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("long.txt");
    // 34 words in one sentence.
    let sentence = "The committee met on Monday and the members talked about the new road, the old bridge, \
                    the school that opens next year and the park that the town wants to build by the river.";
    std::fs::write(&text, format!("{sentence}\n")).unwrap();
    let rules_path = dir.path().join("long.toml");
    std::fs::write(&rules_path, rules).unwrap();
    let out = assert_cmd::Command::cargo_bin("mtlint")
        .unwrap()
        .args(["check", "--format", "json", "--select", "long", "--rules"])
        .arg(&rules_path)
        .arg(&text)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    json["files"][0]["diagnostics"].as_array().unwrap().clone()
}

#[test]
fn rules_that_share_a_scan_report_one_finding_with_each_rules_message() {
    // Three sentence-length rules with different limits, listed out of id order: the sentence
    // is over all three, so one finding is kept (the first rule by id) and the others ride
    // along, each message with its own limit.
    let diags = check_with_rules(
        "[pack]\nname = \"long\"\ntarget = \"en\"\n\n\
         [[rule]]\nid = \"c\"\nkind = \"sentence-length\"\nmax_words = 20\nmessage = \"{words} words, over {max}\"\n\n\
         [[rule]]\nid = \"a\"\nkind = \"sentence-length\"\nmax_words = 30\nmessage = \"{words} words, over {max}\"\n\n\
         [[rule]]\nid = \"b\"\nkind = \"sentence-length\"\nmax_words = 25\nmessage = \"{words} words, over {max}\"\n\n\
         [[rule]]\nid = \"d\"\nkind = \"sentence-length\"\nmax_words = 40\n",
    );
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["rule"], "long/a");
    assert_eq!(diags[0]["message"], "34 words, over 30");
    let related = diags[0]["related"].as_array().unwrap();
    let seen: Vec<(&str, &str)> = related
        .iter()
        .map(|r| (r["rule"].as_str().unwrap(), r["message"].as_str().unwrap()))
        .collect();
    assert_eq!(seen, [("long/b", "34 words, over 25"), ("long/c", "34 words, over 20")]);
}

#[test]
fn rules_of_a_group_with_different_severities_stay_apart() {
    let diags = check_with_rules(
        "[pack]\nname = \"long\"\ntarget = \"en\"\n\n\
         [[rule]]\nid = \"a\"\nkind = \"sentence-length\"\nmax_words = 30\n\n\
         [[rule]]\nid = \"b\"\nkind = \"sentence-length\"\nmax_words = 25\nseverity = \"error\"\n\n\
         [[rule]]\nid = \"c\"\nkind = \"sentence-length\"\nmax_words = 20\ncategory = \"fluency\"\n",
    );
    // a and b are one defect (same category): b, the more severe, is kept; c is another
    // category and stays a finding of its own.
    let rules: Vec<&str> = diags.iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["long/b", "long/c"], "{diags:#?}");
    assert_eq!(diags[0]["related"][0]["rule"], "long/a");
    assert!(diags[1].get("related").is_none());
}
