//! The command line as scripts and CI use it: exit codes, output formats, standard input,
//! rule selection, fail levels, user rule files, config discovery, and the `rules`,
//! `explain`, `test-rules` and `init` subcommands.

use std::fs;
use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

/// `mtlint` run in `dir`, colour off.
fn mtlint(dir: &Path) -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("mtlint");
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

/// A temporary directory holding `files` (path → content).
fn tree(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

/// Rule ids reported in concise output.
fn rule_ids(concise: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(concise)
        .lines()
        .filter_map(|l| l.split(": ").nth(1).map(str::to_string))
        .collect()
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", String::from_utf8_lossy(out)))
}

const CLEAN: &str = "The kiln town fires white porcelain for export.\n";
const FAULTY: &str = "The the kiln fired twice, and the buyers came .\n";

// ---------------------------------------------------------------------------------------
// Exit codes

#[test]
fn exit_0_when_clean_1_with_findings_2_on_errors() {
    let dir = tree(&[("clean.txt", CLEAN), ("faulty.txt", FAULTY)]);
    mtlint(dir.path()).args(["check", "clean.txt"]).assert().code(0);
    mtlint(dir.path()).args(["check", "faulty.txt"]).assert().code(1);
    mtlint(dir.path()).args(["faulty.txt"]).assert().code(1); // `check` is the default command
    mtlint(dir.path()).args(["check", "missing.txt"]).assert().code(2);
    mtlint(dir.path())
        .args(["check", "--format", "yaml", "clean.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("yaml"));
}

#[test]
fn a_directory_is_walked() {
    let dir = tree(&[
        ("drafts/a.txt", CLEAN),
        ("drafts/deep/b.md", FAULTY),
        ("drafts/c.csv", FAULTY),
    ]);
    let out = mtlint(dir.path())
        .args(["check", "--format", "concise", "drafts"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("b.md:1:1: en/repeated-word"), "{text}");
    assert!(!text.contains("c.csv"), "only text files are walked by default: {text}");
}

// ---------------------------------------------------------------------------------------
// Output formats

#[test]
fn human_format_shows_line_span_rule_and_fix() {
    let dir = tree(&[("faulty.txt", FAULTY)]);
    mtlint(dir.path())
        .args(["check", "--color", "never", "faulty.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "warning[en/repeated-word]: repeated word \"The\"",
        ))
        .stdout(predicate::str::contains(" --> faulty.txt:1:1"))
        .stdout(predicate::str::contains("1 | The the kiln fired twice"))
        .stdout(predicate::str::contains("  | ^^^^^^^ fix: \"The the\" → \"The\""))
        .stdout(predicate::str::contains("Found 2 problems"))
        .stdout(predicate::str::contains("\u{1b}[").not());
}

#[test]
fn concise_format_is_one_line_per_finding() {
    let dir = tree(&[("faulty.txt", FAULTY)]);
    mtlint(dir.path())
        .args(["check", "--format", "concise", "faulty.txt"])
        .assert()
        .code(1)
        .stdout(
            "faulty.txt:1:1: en/repeated-word: repeated word \"The\" [fix]\n\
             faulty.txt:1:46: en/space-before-punctuation: space before \".\" [fix]\n",
        );
}

#[test]
fn github_format_writes_workflow_annotations() {
    let dir = tree(&[("faulty.txt", FAULTY)]);
    let out = mtlint(dir.path())
        .args(["check", "--format", "github", "faulty.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "::warning file=faulty.txt,line=1,col=1,endLine=1,endColumn=8,title=en/repeated-word::repeated word \"The\""
        ),
        "{text}"
    );
    assert_eq!(
        text.lines().filter(|l| l.starts_with("::warning ")).count(),
        2,
        "{text}"
    );
}

/// The JSON fields of the design: byte offsets into the file as read (a BOM counts), 1-based
/// line and column counting characters, fix edits, category, summary.
#[test]
fn json_format_has_byte_offsets_char_columns_and_edits() {
    // A BOM (3 bytes) and "é" (2 bytes) before the first finding; line 2 has multi-byte
    // characters before the second.
    let text = "\u{feff}The café met the the buyers.\nÉté café: the buyers came .\n";
    let dir = tree(&[("a.txt", text)]);
    let out = mtlint(dir.path())
        .args(["check", "--format", "json", "a.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out.stdout);
    assert_eq!(v["version"], 1);
    let file = &v["files"][0];
    assert_eq!(file["path"], "a.txt");
    assert_eq!(file["language"], "en");
    assert_eq!(file["error"], Value::Null);
    let diags = file["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 2, "{diags:#?}");

    let rep = &diags[0];
    assert_eq!(rep["rule"], "en/repeated-word");
    assert_eq!(rep["severity"], "warning");
    assert!(rep["category"].as_str().unwrap().starts_with("fluency"));
    let start = text.find("the the").unwrap();
    assert_eq!(start, 17, "the BOM counts in byte offsets");
    assert_eq!(rep["span"]["start"], start);
    assert_eq!(rep["span"]["end"], start + "the the".len());
    assert_eq!(rep["span"]["line"], 1);
    assert_eq!(rep["fix"]["applicability"], "safe");
    let edits = rep["fix"]["edits"].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    let (es, ee) = (
        edits[0]["start"].as_u64().unwrap() as usize,
        edits[0]["end"].as_u64().unwrap() as usize,
    );
    let mut fixed = text.to_string();
    fixed.replace_range(es..ee, edits[0]["replacement"].as_str().unwrap());
    assert!(
        fixed.contains("met the buyers."),
        "applying the edit by its byte offsets: {fixed:?}"
    );

    let space = &diags[1];
    assert_eq!(space["rule"], "en/space-before-punctuation");
    let start = text.find(" .").unwrap();
    assert_eq!(space["span"]["start"], start);
    assert_eq!(space["span"]["line"], 2);
    // "Été café: the buyers came" is 25 characters (29 bytes): the space is column 26.
    assert_eq!(space["span"]["column"], 26);
    assert_eq!(space["span"]["end_line"], 2);
    assert_eq!(space["span"]["end_column"], 28);

    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["diagnostics"], 2);
    assert_eq!(v["summary"]["fixable"], 2);
}

#[test]
fn json_flag_only_rules_have_a_null_fix_and_errors_a_string() {
    let dir = tree(&[
        ("a.txt", "The town of 古镇 makes lamps.\n"),
        ("bad.txt", "ok \u{0}\u{1}"),
    ]);
    let out = mtlint(dir.path())
        .args(["check", "--format", "json", "a.txt", "bad.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out.stdout);
    let d = &v["files"][0]["diagnostics"][0];
    assert_eq!(d["rule"], "en/untranslated");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["fix"], Value::Null);
    assert_eq!(v["files"][1]["path"], "bad.txt");
    assert!(v["files"][1]["error"].as_str().unwrap().contains("binary"), "{v:#}");
}

#[test]
fn jsonl_writes_one_file_per_line() {
    let dir = tree(&[("a.txt", FAULTY), ("b.txt", CLEAN)]);
    let out = mtlint(dir.path())
        .args(["check", "--format", "jsonl", "a.txt", "b.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = text.lines().map(|l| json(l.as_bytes())).collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(lines[0]["path"], "a.txt");
    assert_eq!(lines[0]["diagnostics"].as_array().unwrap().len(), 2);
    assert_eq!(lines[1]["path"], "b.txt");
    assert_eq!(lines[1]["diagnostics"].as_array().unwrap().len(), 0);
}

// ---------------------------------------------------------------------------------------
// Standard input

#[test]
fn stdin_is_checked_under_its_filename() {
    let dir = tree(&[]);
    mtlint(dir.path())
        .args([
            "check",
            "--stdin",
            "--stdin-filename",
            "drafts/kiln.txt",
            "--format",
            "concise",
        ])
        .write_stdin(FAULTY)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("drafts/kiln.txt:1:1: en/repeated-word"));
}

#[test]
fn stdin_finds_the_config_of_its_filename() {
    let dir = tree(&[("drafts/mtlint.toml", "ignore = [\"en/repeated-word\"]\n")]);
    let out = mtlint(dir.path())
        .args([
            "check",
            "--stdin",
            "--stdin-filename",
            "drafts/kiln.txt",
            "--format",
            "concise",
        ])
        .write_stdin(FAULTY)
        .output()
        .unwrap();
    assert_eq!(rule_ids(&out.stdout), ["en/space-before-punctuation"]);
}

// ---------------------------------------------------------------------------------------
// Selecting rules, fail level, user rules

#[test]
fn select_and_ignore_take_rule_ids_and_pack_names() {
    let text = "In January 18, 2016, the the meeting began .\n";
    let dir = tree(&[("a.txt", text)]);
    let ids = |args: &[&str]| {
        let out = mtlint(dir.path())
            .args(["check", "--format", "concise", "a.txt"])
            .args(args)
            .output()
            .unwrap();
        rule_ids(&out.stdout)
    };
    let all = ids(&[]);
    assert_eq!(
        all,
        ["en/date-preposition", "en/repeated-word", "en/space-before-punctuation"]
    );
    assert_eq!(ids(&["--select", "en/repeated-word"]), ["en/repeated-word"]);
    assert_eq!(
        ids(&["--select", "en/repeated-word,en/date-preposition"]),
        ["en/date-preposition", "en/repeated-word"]
    );
    assert_eq!(
        ids(&["--ignore", "en/repeated-word"]),
        ["en/date-preposition", "en/space-before-punctuation"]
    );
    assert_eq!(ids(&["--select", "zh-en"]), Vec::<String>::new());
    assert_eq!(ids(&["--ignore", "en"]), Vec::<String>::new());
}

#[test]
fn an_unknown_rule_id_is_a_usage_error() {
    let dir = tree(&[("a.txt", FAULTY)]);
    for opt in ["--select", "--ignore"] {
        mtlint(dir.path())
            .args(["check", "a.txt", opt, "en/no-such-rule"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("unknown rule or pack `en/no-such-rule`"));
    }
}

#[test]
fn fail_on_sets_the_level_that_fails() {
    // Two spaces (info) only.
    let dir = tree(&[("info.txt", "The kiln  fired.\n"), ("warn.txt", FAULTY)]);
    let code = |args: &[&str]| {
        mtlint(dir.path())
            .arg("check")
            .args(args)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(code(&["info.txt"]), Some(0), "info is below the default fail level");
    assert_eq!(code(&["info.txt", "--fail-on", "info"]), Some(1));
    assert_eq!(code(&["warn.txt"]), Some(1));
    assert_eq!(code(&["warn.txt", "--fail-on", "error"]), Some(0));
    // The findings are still reported when they do not fail the run.
    mtlint(dir.path())
        .args(["check", "info.txt", "--format", "concise"])
        .assert()
        .stdout(predicate::str::contains("en/double-space"));
}

const HOUSE_RULES: &str = r#"[pack]
name = "house"
target = "en"

[[rule]]
id = "kiln-town"
kind = "term"
variants = ["kiln town"]
replace = "Yaozhen"
drop_article = true
examples = [{ bad = "the kiln town", good = "Yaozhen" }]
"#;

#[test]
fn rules_option_adds_a_user_rule_file() {
    let dir = tree(&[("house.toml", HOUSE_RULES), ("a.txt", CLEAN)]);
    mtlint(dir.path()).args(["check", "a.txt"]).assert().code(0);
    mtlint(dir.path())
        .args(["check", "a.txt", "--rules", "house.toml", "--format", "concise"])
        .assert()
        .code(1)
        .stdout("a.txt:1:1: house/kiln-town: \"The kiln town\" should be \"Yaozhen\" [fix]\n");
    // The user pack is selectable by name like a shipped one.
    mtlint(dir.path())
        .args(["check", "a.txt", "--rules", "house.toml", "--ignore", "house"])
        .assert()
        .code(0);
}

// ---------------------------------------------------------------------------------------
// Config files

#[test]
fn the_nearest_config_wins_and_config_overrides() {
    let dir = tree(&[
        ("mtlint.toml", "ignore = [\"en/repeated-word\"]\n"),
        ("a.txt", FAULTY),
        ("sub/.mtlint.toml", "ignore = [\"en/space-before-punctuation\"]\n"),
        ("sub/b.txt", FAULTY),
        ("sub/deeper/c.txt", FAULTY),
        ("other.toml", "select = [\"en/repeated-word\"]\n"),
    ]);
    let run = |args: &[&str]| {
        let out = mtlint(dir.path())
            .args(["check", "--format", "concise"])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let out = run(&["a.txt", "sub/b.txt", "sub/deeper/c.txt"]);
    assert!(out.contains("a.txt:1:46: en/space-before-punctuation"), "{out}");
    assert!(!out.contains("a.txt:1:1: en/repeated-word"), "{out}");
    assert!(out.contains("sub/b.txt:1:1: en/repeated-word"), "{out}");
    assert!(!out.contains("sub/b.txt:1:46"), "{out}");
    assert!(out.contains("sub/deeper/c.txt:1:1: en/repeated-word"), "{out}");
    assert!(!out.contains("sub/deeper/c.txt:1:46"), "{out}");
    // Walking a directory applies each file's own config too.
    assert_eq!(run(&["."]), out.replace("a.txt", "./a.txt").replace("sub/", "./sub/"));

    let out = run(&["--config", "other.toml", "a.txt", "sub/b.txt"]);
    assert_eq!(
        out,
        "a.txt:1:1: en/repeated-word: repeated word \"The\" [fix]\n\
         sub/b.txt:1:1: en/repeated-word: repeated word \"The\" [fix]\n"
    );
}

#[test]
fn config_rules_are_relative_to_the_config_file() {
    let dir = tree(&[
        ("project/mtlint.toml", "rules = [\"house/terms.toml\"]\n"),
        ("project/house/terms.toml", HOUSE_RULES),
        ("project/drafts/a.txt", CLEAN),
    ]);
    // Run from the drafts directory: the rule file is found beside the config, not the cwd.
    mtlint(&dir.path().join("project/drafts"))
        .args(["check", "a.txt", "--format", "concise"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("house/kiln-town"));
    // A missing rule file is an error naming it.
    fs::write(
        dir.path().join("project/mtlint.toml"),
        "rules = [\"house/nope.toml\"]\n",
    )
    .unwrap();
    mtlint(dir.path())
        .args(["check", "project/drafts/a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.toml"));
}

#[test]
fn config_overrides_a_rule_parameter() {
    let long =
        "The kiln town of Dehua, which fires white porcelain for export, hired twelve new potters this spring.\n";
    let dir = tree(&[
        ("a.txt", long),
        (
            "strict/mtlint.toml",
            "[rule.\"en/run-on\"]\nmax_words = 10\nmin_splices = 0\nseverity = \"error\"\n",
        ),
    ]);
    fs::write(dir.path().join("strict/a.txt"), long).unwrap();
    mtlint(dir.path()).args(["check", "a.txt"]).assert().code(0);
    mtlint(dir.path())
        .args(["check", "strict/a.txt", "--format", "concise"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("en/run-on: sentence of 17 words (limit 10)"));
    mtlint(dir.path())
        .args(["check", "strict/a.txt", "--format", "json"])
        .assert()
        .stdout(predicate::str::contains("\"severity\": \"error\""));
    // An unknown rule or parameter is reported with the config file's place.
    fs::write(
        dir.path().join("strict/mtlint.toml"),
        "[rule.\"en/run-off\"]\nmax_words = 10\n",
    )
    .unwrap();
    mtlint(dir.path())
        .args(["check", "strict/a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mtlint.toml:1:").and(predicate::str::contains("en/run-off")));
    fs::write(
        dir.path().join("strict/mtlint.toml"),
        "[rule.\"en/run-on\"]\nmax_word = 10\n",
    )
    .unwrap();
    mtlint(dir.path())
        .args(["check", "strict/a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("max_word"));
}

#[test]
fn per_file_ignores_and_accept() {
    // `per_file_ignores` globs are relative to the config; a pack name ignores the whole pack.
    let dir = tree(&[
        (
            "mtlint.toml",
            "[per_file_ignores]\n\"quotes/*.txt\" = [\"en/space-before-punctuation\"]\n\"legacy/**\" = [\"en\"]\n",
        ),
        ("a.txt", FAULTY),
        ("quotes/b.txt", FAULTY),
        ("legacy/old/c.txt", FAULTY),
    ]);
    let out = mtlint(dir.path())
        .args([
            "check",
            "--format",
            "concise",
            "a.txt",
            "quotes/b.txt",
            "legacy/old/c.txt",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("a.txt:1:1: en/repeated-word"), "{text}");
    assert!(text.contains("a.txt:1:46: en/space-before-punctuation"), "{text}");
    assert!(text.contains("quotes/b.txt:1:1: en/repeated-word"), "{text}");
    assert!(!text.contains("quotes/b.txt:1:46"), "{text}");
    assert!(!text.contains("legacy/"), "{text}");

    let dir = tree(&[("mtlint.toml", "accept = [\"The the kiln\"]\n"), ("a.txt", FAULTY)]);
    let out = mtlint(dir.path())
        .args(["check", "--format", "concise", "a.txt"])
        .output()
        .unwrap();
    assert_eq!(
        rule_ids(&out.stdout),
        ["en/space-before-punctuation"],
        "accepted phrase not flagged"
    );
}

#[test]
fn include_and_exclude_globs_choose_walked_files() {
    let dir = tree(&[
        (
            "mtlint.toml",
            "include = [\"drafts/**/*.txt\", \"notes/*.text\"]\nexclude = [\"drafts/archive/\"]\n",
        ),
        ("drafts/a.txt", FAULTY),
        ("drafts/archive/old.txt", FAULTY),
        ("drafts/b.md", FAULTY),
        ("notes/c.text", FAULTY),
        ("other/d.txt", FAULTY),
    ]);
    let out = mtlint(dir.path())
        .args(["check", "--format", "concise", "."])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let files: std::collections::BTreeSet<&str> = text.lines().filter_map(|l| l.split(':').next()).collect();
    assert_eq!(
        files.into_iter().collect::<Vec<_>>(),
        ["./drafts/a.txt", "./notes/c.text"],
        "{text}"
    );
}

#[test]
fn a_malformed_config_is_reported_with_its_place() {
    let dir = tree(&[
        ("mtlint.toml", "lang = \"en\"\nfail_of = \"error\"\n"),
        ("a.txt", CLEAN),
    ]);
    mtlint(dir.path())
        .args(["check", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mtlint.toml:2:1").and(predicate::str::contains("fail_of")));
}

// ---------------------------------------------------------------------------------------
// Subcommands

#[test]
fn init_writes_a_config_that_loads() {
    let dir = tree(&[("a.txt", FAULTY)]);
    mtlint(dir.path())
        .args(["init"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("mtlint.toml"));
    let text = fs::read_to_string(dir.path().join("mtlint.toml")).unwrap();
    assert!(
        text.contains("[rule.\"en/run-on\"]"),
        "the starter documents per-rule settings"
    );
    // The written config is used and valid: findings as without it, no error.
    mtlint(dir.path()).args(["check", "a.txt"]).assert().code(1);
    // Uncommenting every setting line still gives a valid config.
    let uncommented: String = text
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(s) if s.starts_with('[') || s.contains(" = ") || s.starts_with('"') => s,
            _ => l,
        })
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(uncommented.contains("\nmax_words = 60\n"), "{uncommented}");
    fs::write(dir.path().join("mtlint.toml"), &uncommented).unwrap();
    fs::create_dir_all(dir.path().join("house")).unwrap();
    fs::write(dir.path().join("house/terms.toml"), HOUSE_RULES).unwrap();
    mtlint(dir.path())
        .args(["check", "a.txt"])
        .assert()
        .code(predicate::in_iter([0, 1]));
    // It never overwrites without --force.
    mtlint(dir.path())
        .args(["init"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exists"));
    mtlint(dir.path()).args(["init", "--force"]).assert().code(0);
}

#[test]
fn rules_lists_every_rule() {
    let dir = tree(&[]);
    mtlint(dir.path())
        .args(["rules"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::is_match(r"(?m)^en/run-on\s+sentence-length\s+warning\s+unsafe\s+A sentence longer")
                .unwrap(),
        )
        .stdout(predicate::str::contains("zh-en/guzhen"))
        .stdout(predicate::str::contains("fr/espace-insecable"));
    let out = mtlint(dir.path()).args(["rules", "--json"]).output().unwrap();
    let v = json(&out.stdout);
    let rules = v.as_array().unwrap();
    assert!(rules.len() >= 60);
    let run_on = rules.iter().find(|r| r["id"] == "en/run-on").expect("en/run-on listed");
    assert_eq!(run_on["kind"], "sentence-length");
    assert_eq!(run_on["pack"], "en");
}

#[test]
fn explain_shows_a_rules_doc_and_examples() {
    let dir = tree(&[]);
    mtlint(dir.path())
        .args(["explain", "en/run-on"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "en/run-on: A sentence longer than 45 words that chains clauses with commas.",
        ))
        .stdout(predicate::str::contains("max_words = 45"))
        .stdout(predicate::str::contains("Examples"))
        .stdout(predicate::str::contains("## Fix safety"));
    mtlint(dir.path())
        .args(["explain", "en/no-such-rule"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no rule `en/no-such-rule`"));
}

#[test]
fn test_rules_runs_the_examples_of_rule_files() {
    let failing = HOUSE_RULES.replace(
        "examples = [{ bad = \"the kiln town\", good = \"Yaozhen\" }]",
        "examples = [{ bad = \"the kiln town\", good = \"the Yaozhen\" }, { ok = \"a kiln town\" }]",
    );
    let dir = tree(&[("house.toml", HOUSE_RULES), ("failing.toml", &failing)]);
    mtlint(dir.path())
        .args(["test-rules", "house.toml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 rules, 1 examples: 1 passed, 0 failed"));
    mtlint(dir.path())
        .args(["test-rules", "failing.toml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "failing.toml:5: house/kiln-town example 1: fixing \"the kiln town\" gave \"Yaozhen\", expected \"the Yaozhen\"",
        ))
        .stdout(predicate::str::contains("house/kiln-town example 2: expected no finding in \"a kiln town\""))
        .stdout(predicate::str::contains("0 passed, 2 failed"));
    // The shipped packs pass their own examples.
    mtlint(dir.path()).args(["test-rules"]).assert().code(0);
}

/// A bilingual file names its source language; language-pair packs for another pair stay out.
#[test]
fn a_bilingual_file_gets_the_packs_of_its_own_language_pair() {
    let unit = |src: &str| {
        format!(
            "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\"><file source-language=\"{src}\" target-language=\"en\" datatype=\"plaintext\" original=\"a\"><body>\n<trans-unit id=\"1\"><source>x</source><target>Party members in Guzhen met in the ancient town hall.</target></trans-unit>\n</body></file></xliff>\n"
        )
    };
    let dir = tree(&[("from-zh.xlf", &unit("zh-CN")), ("from-fr.xlf", &unit("fr"))]);
    let ids = |file: &str| {
        let out = mtlint(dir.path())
            .args(["check", "--format", "concise", file])
            .output()
            .unwrap();
        rule_ids(&out.stdout)
    };
    assert!(ids("from-zh.xlf").contains(&"zh-en/guzhen".to_string()));
    assert!(!ids("from-fr.xlf").iter().any(|id| id.starts_with("zh-en/")));
    // The command line still decides when it names a source language.
    let out = mtlint(dir.path())
        .args(["check", "--format", "concise", "--source-lang", "zh", "from-fr.xlf"])
        .output()
        .unwrap();
    assert!(rule_ids(&out.stdout).contains(&"zh-en/guzhen".to_string()));
}

#[test]
fn timing_env_prints_where_the_time_went_and_keeps_stdout_unchanged() {
    let dir = tree(&[("a.txt", "The the cat sat on the mat .\n")]);
    let plain = mtlint(dir.path())
        .args(["--format", "concise", "a.txt"])
        .output()
        .unwrap();
    let timed = mtlint(dir.path())
        .args(["--format", "concise", "a.txt"])
        .env("MTLINT_TIMING", "1")
        .output()
        .unwrap();
    assert_eq!(plain.stdout, timed.stdout);
    assert_eq!(plain.status.code(), timed.status.code());
    assert!(plain.stderr.is_empty(), "{}", String::from_utf8_lossy(&plain.stderr));
    let table = String::from_utf8(timed.stderr).unwrap();
    for stage in [
        "stage",
        "read files",
        "parse + detect language",
        "check: repetition",
        "write output",
        "total",
    ] {
        assert!(table.contains(stage), "no {stage:?} in\n{table}");
    }
    let off = mtlint(dir.path())
        .args(["--format", "concise", "a.txt"])
        .env("MTLINT_TIMING", "0")
        .output()
        .unwrap();
    assert!(off.stderr.is_empty());
}

/// The human format groups the findings of a file (same rule, text and fix: one entry with
/// how many more and where). A large file's report is written in slices on every core; the
/// groups are still the whole file's, so the output does not depend on the thread count.
#[test]
fn a_large_human_report_is_the_same_on_any_number_of_threads() {
    let dir = TempDir::new().unwrap();
    let mut text = String::new();
    for k in 0..9000 {
        let word = ["the", "a", "of"][k % 3];
        text.push_str(&format!("Line {k} says that {word} {word} fair opens in spring.\n\n"));
    }
    fs::write(dir.path().join("big.txt"), text).unwrap();
    let human = |threads: &str| {
        let out = cargo_bin_cmd!("mtlint")
            .current_dir(dir.path())
            .env("RAYON_NUM_THREADS", threads)
            .args(["check", "big.txt", "--color", "never", "--lang", "en"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let one = human("1");
    // Three groups of 3,000 doubled words each, not one entry per slice.
    assert_eq!(one.matches("× the same finding").count(), 3, "{one}");
    assert_eq!(one, human("2"));
    assert_eq!(one, human("3"));
}
