//! The machine formats of `mtlint check` on the report fixtures: snapshots of each, the SARIF
//! output validated against the official SARIF 2.1.0 schema, and the facts CI tools rely on.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const FIXTURES: &str = "tests/data/reports";

fn check(format: &str, paths: &[&str]) -> (String, i32) {
    let out = Command::cargo_bin("mtlint")
        .unwrap()
        .arg("check")
        .args(paths)
        .args(["--format", format, "--color", "never"])
        .output()
        .unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code().unwrap())
}

/// The output with this machine's working directory taken out.
fn redacted(s: &str) -> String {
    let cwd = std::env::current_dir().unwrap();
    let cwd = cwd.to_string_lossy().replace(' ', "%20");
    s.replace(&cwd, "[CWD]")
}

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string("tests/data/sarif-schema-2.1.0.json").unwrap();
    // The official schema's `run.language` pattern has a stray `]` (a typo JavaScript accepts
    // and stricter regex engines reject); it constrains a property we never write. Mend it in
    // memory, leaving the vendored file as published.
    let typo = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(text.contains(typo), "the vendored schema changed");
    let text = text.replace(typo, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#);
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(text: &str) -> Value {
    let log: Value = serde_json::from_str(text).expect("SARIF output is JSON");
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF output breaks the 2.1.0 schema:\n{}",
        errors.join("\n")
    );
    log
}

#[test]
fn sarif_snapshot_and_schema() {
    let (out, code) = check("sarif", &[FIXTURES]);
    assert_eq!(code, 1);
    let log = assert_valid_sarif(&out);
    insta::assert_snapshot!("sarif", redacted(&out));

    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert!(run["originalUriBaseIds"]["SRCROOT"]["uri"]
        .as_str()
        .unwrap()
        .ends_with('/'));
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 20, "every finding of the fixtures is a result");
    for r in results {
        // ruleIndex points at the descriptor of the same rule, and it carries help text.
        let rule = &rules[r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        assert!(rule["help"]["text"].as_str().unwrap().len() > 20);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "SRCROOT");
    }
}

/// Regions count characters, not bytes: after Chinese text a column stays a character count,
/// and the region's snippet is exactly the text between its columns.
#[test]
fn sarif_regions_and_fixes_point_at_the_text() {
    let (out, _) = check("sarif", &[&format!("{FIXTURES}/lamp-fair.txt")]);
    let log = assert_valid_sarif(&out);
    let text = std::fs::read_to_string(format!("{FIXTURES}/lamp-fair.txt")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let slice = |line: u64, start: u64, end: u64| -> String {
        lines[line as usize - 1]
            .chars()
            .skip(start as usize - 1)
            .take((end - start) as usize)
            .collect()
    };
    let results = log["runs"][0]["results"].as_array().unwrap();
    let mut fixes = 0;
    for r in results {
        let region = &r["locations"][0]["physicalLocation"]["region"];
        if region["startLine"] == region["endLine"] {
            let got = slice(
                region["startLine"].as_u64().unwrap(),
                region["startColumn"].as_u64().unwrap(),
                region["endColumn"].as_u64().unwrap(),
            );
            assert_eq!(got, region["snippet"]["text"].as_str().unwrap());
        }
        for fix in r["fixes"].as_array().into_iter().flatten() {
            fixes += 1;
            let change = &fix["artifactChanges"][0];
            assert_eq!(change["artifactLocation"]["uri"], "tests/data/reports/lamp-fair.txt");
            assert!(!change["replacements"].as_array().unwrap().is_empty());
        }
    }
    assert!(fixes >= 8, "fixable findings carry SARIF fixes ({fixes})");
    let mojibake = results.iter().find(|r| r["ruleId"] == "encoding/mojibake").unwrap();
    let replacement = &mojibake["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], "\u{2019}");
    assert_eq!(replacement["deletedRegion"]["startColumn"], 9);
    assert_eq!(replacement["deletedRegion"]["endColumn"], 12);
    // Column 46 of line 9 comes after 灯饰: two characters, six bytes.
    let spaces = results.iter().find(|r| r["ruleId"] == "en/double-space").unwrap();
    assert_eq!(spaces["locations"][0]["physicalLocation"]["region"]["startColumn"], 46);
}

#[test]
fn sarif_reports_unreadable_files_as_failed_execution() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("latin1.txt");
    std::fs::write(&bad, b"caf\xe9 au lait\n").unwrap();
    let (out, code) = check("sarif", &[bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    let log = assert_valid_sarif(&out);
    let inv = &log["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let note = &inv["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    let uri = note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(uri.starts_with("file:///") && uri.ends_with("/latin1.txt"), "{uri}");
}

#[test]
fn sarif_of_a_clean_file_is_valid_and_empty() {
    let (out, code) = check("sarif", &[&format!("{FIXTURES}/clean-control.txt")]);
    assert_eq!(code, 0);
    let log = assert_valid_sarif(&out);
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 0);
    assert_eq!(log["runs"][0]["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn junit_snapshot() {
    let (out, code) = check("junit", &[FIXTURES]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("junit", out);
    // Well-formed XML, one test case a file, and the counts add up.
    let mut reader = quick_xml::Reader::from_str(&out);
    let mut cases = 0;
    let mut failures = 0;
    loop {
        match reader.read_event().expect("JUnit output is well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => match e.name().as_ref() {
                b"testcase" => cases += 1,
                b"failure" => failures += 1,
                _ => {}
            },
            _ => {}
        }
    }
    assert_eq!(cases, 4);
    assert_eq!(failures, 3, "the clean control passes, the other three fail");
    assert!(out.contains(r#"<testsuite name="mtlint" tests="4" failures="3" errors="0" skipped="0">"#));
    assert!(!out.contains("<script"));
}

#[test]
fn junit_findings_below_the_fail_level_do_not_fail() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("spaces.txt");
    std::fs::write(&file, "The fair opened  in May.\n").unwrap();
    let (out, code) = check("junit", &[file.to_str().unwrap()]);
    assert_eq!(code, 0, "an info finding is below the default fail level");
    assert!(out.contains(r#"failures="0""#), "{out}");
    assert!(out.contains("<system-out>"), "{out}");
    assert!(out.contains("info en/double-space"), "{out}");
}

#[test]
fn gitlab_snapshot() {
    let (out, code) = check("gitlab", &[FIXTURES]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("gitlab", out);
    let issues: Vec<Value> = serde_json::from_str(&out).expect("a JSON array");
    assert_eq!(issues.len(), 20);
    let mut prints: Vec<&str> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), issues.len(), "fingerprints are unique");
    for i in &issues {
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&i["severity"].as_str().unwrap()));
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(!i["location"]["path"].as_str().unwrap().starts_with("./"));
    }
}

/// A fingerprint survives an edit that moves the finding to another line.
#[test]
fn gitlab_fingerprints_survive_moved_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.txt");
    let path = file.to_str().unwrap();
    std::fs::write(&file, "Prices rose in the market .\n").unwrap();
    let (before, _) = check("gitlab", &[path]);
    std::fs::write(&file, "A new first line.\n\nPrices rose in the market .\n").unwrap();
    let (after, _) = check("gitlab", &[path]);
    let print = |s: &str| {
        let v: Vec<Value> = serde_json::from_str(s).unwrap();
        (v[0]["fingerprint"].clone(), v[0]["location"]["lines"]["begin"].clone())
    };
    let (fa, la) = print(&before);
    let (fb, lb) = print(&after);
    assert_eq!(fa, fb);
    assert_ne!(la, lb);
}

#[test]
fn gitlab_of_a_clean_file_is_an_empty_array() {
    let (out, code) = check("gitlab", &[&format!("{FIXTURES}/clean-control.txt")]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "[]");
}

#[test]
fn jsonl_snapshot() {
    let (out, code) = check("jsonl", &[FIXTURES]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("jsonl", out);
    let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4, "one record a file");
    let paths: Vec<&str> = lines.iter().map(|l| l["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted, "records come in input order");
}

#[test]
fn github_snapshot() {
    let (out, code) = check("github", &[FIXTURES]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("github", out);
    // 20 annotations, then the notice of how many GitHub will not show (over 10 of a level).
    let (annotations, notice) = out.trim_end().rsplit_once('\n').unwrap();
    assert_eq!(annotations.lines().count(), 20);
    assert!(annotations.lines().all(|l| l.starts_with("::warning file=")
        || l.starts_with("::error file=")
        || l.starts_with("::notice file=")));
    assert!(
        notice.starts_with("::notice title=mtlint::GitHub shows only the first 10"),
        "{notice}"
    );
}

#[test]
fn schema_file_is_the_official_one() {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(Path::new("tests/data/sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    assert_eq!(
        schema["$id"],
        "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
    );
    // And the validator does reject a broken log, so the tests above can fail.
    let broken = serde_json::json!({ "version": "2.1.0", "runs": [{ "results": [] }] });
    assert!(!sarif_validator().is_valid(&broken));
}

/// The progress bar is for people at a terminal: a long run in CI or a pipe draws none.
#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..60 {
        std::fs::write(dir.path().join(format!("f{i:02}.txt")), "Prices rose in the market .\n").unwrap();
    }
    let out = Command::cargo_bin("mtlint")
        .unwrap()
        .arg("check")
        .arg(dir.path())
        .args(["--format", "jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 60);
}

/// Every format on the project's samples (the report fixtures until samples/ exists) agrees
/// with `jsonl` on the files and findings, and is well-formed for its consumers.
#[test]
fn every_format_agrees_on_the_samples() {
    let dir = if Path::new("samples").is_dir() {
        "samples"
    } else {
        FIXTURES
    };
    let (jsonl, code) = check("jsonl", &[dir]);
    assert!(code <= 1, "mtlint check {dir} failed");
    let files: Vec<Value> = jsonl.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let findings: usize = files.iter().map(|f| f["diagnostics"].as_array().unwrap().len()).sum();
    assert!(findings > 0, "the samples hold defects on purpose");

    let (sarif, _) = check("sarif", &[dir]);
    let log = assert_valid_sarif(&sarif);
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), findings);

    let (gitlab, _) = check("gitlab", &[dir]);
    let issues: Vec<Value> = serde_json::from_str(&gitlab).unwrap();
    let unreadable = files.iter().filter(|f| !f["error"].is_null()).count();
    assert_eq!(issues.len(), findings + unreadable);

    let (github, _) = check("github", &[dir]);
    assert_eq!(
        github.lines().filter(|l| l.contains(" file=")).count(),
        findings + unreadable
    );

    let (junit, _) = check("junit", &[dir]);
    let mut reader = quick_xml::Reader::from_str(&junit);
    let mut cases = 0;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)
                if e.name().as_ref() == b"testcase" =>
            {
                cases += 1
            }
            _ => {}
        }
    }
    assert_eq!(cases, files.len());
}

#[test]
fn junit_reports_unreadable_files_as_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("latin1.txt"), b"caf\xe9 au lait\n").unwrap();
    std::fs::write(dir.path().join("ok.txt"), "A short and clean note.\n").unwrap();
    let (out, code) = check("junit", &[dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(out.contains(r#"tests="2" failures="0" errors="1""#), "{out}");
    assert!(
        out.contains(r#"<error message=""#) && out.contains(r#"type="unreadable""#),
        "{out}"
    );
}

/// On a terminal, a long run shows a progress bar on standard error, and standard output
/// (here a file) holds the findings only. `script` (util-linux) gives the run a terminal.
#[test]
fn progress_bar_on_a_terminal() {
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` command to give mtlint a terminal");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    for i in 0..60 {
        std::fs::write(files.join(format!("f{i:02}.txt")), "Prices rose in the market .\n").unwrap();
    }
    let out_file = dir.path().join("out.jsonl");
    let bin = assert_cmd::cargo::cargo_bin("mtlint");
    let command = format!(
        "'{}' check '{}' --format jsonl > '{}'",
        bin.display(),
        files.display(),
        out_file.display()
    );
    let typescript = dir.path().join("typescript");
    let run = std::process::Command::new("script")
        .args(["-qec", &command])
        .arg(&typescript)
        .output()
        .unwrap();
    let terminal = String::from_utf8_lossy(&run.stdout);
    assert!(
        terminal.contains("checking") && terminal.contains("/60 files"),
        "{terminal}"
    );
    let stdout = std::fs::read_to_string(&out_file).unwrap();
    assert_eq!(stdout.lines().count(), 60);
    assert!(!stdout.contains("checking"));
}
