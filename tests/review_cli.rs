//! Review at batch scale on the command line: grouped findings, `--statistics`,
//! `--exit-zero`, `-o`, `--show-fixes`, the GitHub notice and step summary, windows that fit
//! the terminal, and fixes shown readably.

use std::fs;
use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use tempfile::TempDir;

fn mtlint(dir: &Path) -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("mtlint");
    cmd.current_dir(dir).env("NO_COLOR", "1").env_remove("COLUMNS");
    cmd.env_remove("GITHUB_STEP_SUMMARY");
    cmd
}

fn tree(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        fs::write(dir.path().join(path), text).unwrap();
    }
    dir
}

/// One spacing slip, five times, on five lines, and one of another kind.
const REPEATS: &str =
    "The R & D team met.\nOur R & D budget grew.\nNo R & D today.\nThe R & D lab.\nAll R & D staff came .\n";

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn human_output_groups_the_same_finding_and_fix() {
    let dir = tree(&[("a.txt", REPEATS)]);
    let out = mtlint(dir.path()).args(["check", "a.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    // Shown once, in full, with how many and where.
    assert_eq!(text.matches("[en/ampersand-spacing]").count(), 1, "{text}");
    assert!(
        text.contains("= 5 × the same finding and fix in this file (lines 1, 2, 3, 4, 5)"),
        "{text}"
    );
    assert_eq!(text.matches("[en/space-before-punctuation]").count(), 1, "{text}");
    // The summary still counts every finding, by severity.
    assert!(text.contains("Found 6 problems (6 warnings) in 1 file."), "{text}");
    // Machine formats keep one result per occurrence.
    let json = mtlint(dir.path())
        .args(["check", "--format", "json", "a.txt"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["files"][0]["diagnostics"].as_array().unwrap().len(), 6);
}

#[test]
fn statistics_count_findings_groups_and_fixes_per_rule() {
    let dir = tree(&[("a.txt", REPEATS)]);
    let out = mtlint(dir.path())
        .args(["check", "--statistics", "a.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let line = text.lines().find(|l| l.contains("en/ampersand-spacing")).expect(&text);
    let cols: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(cols[..4], ["5", "en/ampersand-spacing", "warning", "1"], "{line}");
    assert!(line.ends_with("5 safe"), "{line}");
    assert!(!text.contains("-->"), "statistics replace the findings: {text}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("Found 6 problems"), "the summary goes to stderr: {err}");

    let json = mtlint(dir.path())
        .args(["check", "--statistics", "--format", "json", "a.txt"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let amp = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "en/ampersand-spacing")
        .unwrap();
    assert_eq!(amp["count"], 5);
    assert_eq!(amp["groups"], 1);
    assert_eq!(amp["fixable"], 5);
}

#[test]
fn exit_zero_keeps_findings_but_not_errors() {
    let dir = tree(&[("a.txt", REPEATS)]);
    mtlint(dir.path())
        .args(["check", "--exit-zero", "a.txt"])
        .assert()
        .code(0);
    mtlint(dir.path())
        .args(["check", "--exit-zero", "missing.txt"])
        .assert()
        .code(2);
}

#[test]
fn output_file_holds_the_report_and_stderr_the_summary() {
    let dir = tree(&[("a.txt", REPEATS)]);
    let out = mtlint(dir.path())
        .args(["check", "-o", "report.txt", "--color", "always", "a.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("Found 6 problems"), "{err}");
    let report = fs::read_to_string(dir.path().join("report.txt")).unwrap();
    assert!(report.contains("warning[en/ampersand-spacing]"), "{report}");
    assert!(!report.contains('\u{1b}'), "a report file is never coloured");
    assert!(!report.contains("Found 6 problems"), "the summary is not in the file");

    let json = mtlint(dir.path())
        .args(["check", "--format", "json", "--output-file", "r.json", "a.txt"])
        .output()
        .unwrap();
    assert!(json.stdout.is_empty());
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(v["summary"]["diagnostics"], 6);
}

#[test]
fn show_fixes_lists_each_group_once() {
    let dir = tree(&[("a.txt", REPEATS)]);
    let out = mtlint(dir.path())
        .args(["check", "--show-fixes", "--quiet", "a.txt"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("a.txt:1:5: en/ampersand-spacing: fix: \"R & D\" → \"R&D\" (5 ×)"),
        "{text}"
    );
    assert!(
        text.contains("a.txt:5:21: en/space-before-punctuation: fix: \" .\" → \".\""),
        "{text}"
    );
    // JSON stays JSON: the list is text, so it is refused there.
    mtlint(dir.path())
        .args(["check", "--show-fixes", "--format", "json", "a.txt"])
        .assert()
        .code(2);
}

#[test]
fn github_format_says_how_many_annotations_are_hidden_and_writes_a_step_summary() {
    let many: String = (1..=12).map(|i| format!("Line {i} has R & D in it.\n")).collect();
    let dir = tree(&[("a.txt", &many)]);
    let summary = dir.path().join("summary.md");
    fs::write(&summary, "# earlier step\n").unwrap();
    let out = mtlint(dir.path())
        .args(["check", "--format", "github", "a.txt"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(text.matches("::warning ").count(), 12);
    let notice = text.lines().last().unwrap();
    assert!(notice.starts_with("::notice title=mtlint::"), "{text}");
    assert!(notice.contains("2 of the 12 findings are not annotated"), "{notice}");
    let md = fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("# earlier step\n## mtlint\n"), "appended: {md}");
    assert!(md.contains("**12 finding(s)**"), "{md}");
    assert!(md.contains("2 of the 12 findings are not annotated"), "{md}");
    assert!(
        md.contains("| `en/ampersand-spacing` | warning | 12 | 1 | 12 | 0 |"),
        "{md}"
    );

    // Ten or fewer of each level: no notice.
    let dir = tree(&[("b.txt", REPEATS)]);
    let text = stdout(
        &mtlint(dir.path())
            .args(["check", "--format", "github", "b.txt"])
            .output()
            .unwrap(),
    );
    assert!(!text.contains("::notice"), "{text}");
}

#[test]
fn context_windows_fit_the_terminal_width() {
    let long = format!(
        "{}The R & D lab. {}\n",
        "Lamps glow at night. ".repeat(12),
        "Kilns cool by day. ".repeat(12)
    );
    let dir = tree(&[("a.txt", &long)]);
    for columns in [60usize, 100, 160] {
        let out = mtlint(dir.path())
            .args(["check", "a.txt"])
            .env("COLUMNS", columns.to_string())
            .output()
            .unwrap();
        let text = stdout(&out);
        let source = text.lines().find(|l| l.starts_with("1 | ")).expect(&text);
        let width = source.chars().count();
        assert!(width <= columns, "{width} > {columns}: {source}");
        assert!(
            width + 12 >= columns,
            "the window uses the room ({width} of {columns}): {source}"
        );
        assert!(source.contains("R & D"));
    }
}

#[test]
fn quote_fixes_and_invisible_characters_are_readable() {
    let dir = tree(&[(
        "a.txt",
        "He said \"red power\"\" and left.\nA zero\u{200b}width space.\n",
    )]);
    let text = stdout(&mtlint(dir.path()).args(["check", "a.txt"]).output().unwrap());
    assert!(text.contains("fix: `\"\"` U+0022 U+0022 → `\"` U+0022"), "{text}");
    assert!(!text.contains("\"\"\"\""), "{text}");
    assert!(text.contains("zero⟨ZWSP⟩width"), "{text}");
    assert!(!text.contains('\u{fffd}'), "{text}");
}
