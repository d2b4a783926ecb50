//! Baselines of accepted findings: `check --write-baseline`, `--baseline`, `--prune-baseline`,
//! the config's `baseline` key, and `fix` leaving baselined findings alone.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;

/// Three paragraphs, two of them with a defect each (a repeated word; a space before a comma).
const ARTICLE: &str = "The museum reopened in spring after a long renovation.\n\
\n\
Visitors said the new hall was was brighter than before.\n\
\n\
The garden behind it , planted last year, is now open too.\n";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn mtlint(dir: &Path, args: &[&str]) -> Run {
    let out = Command::cargo_bin("mtlint")
        .expect("the mtlint binary is built")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("mtlint runs");
    Run {
        code: out.status.code().expect("mtlint exited by itself"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn dir() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("mtlint-baseline-").tempdir().unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p
}

/// The findings of a concise report as (path, line, rule).
fn findings(stdout: &str) -> Vec<(String, usize, String)> {
    stdout
        .lines()
        .filter_map(|l| {
            let mut parts = l.splitn(4, ':');
            let path = parts.next()?.to_string();
            let line = parts.next()?.parse().ok()?;
            let _column = parts.next()?;
            let rule = parts.next()?.trim().split(':').next()?.to_string();
            Some((path, line, rule))
        })
        .collect()
}

fn check(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["check", "--lang", "en", "--format", "concise", "a.txt"];
    args.extend_from_slice(extra);
    mtlint(dir, &args)
}

/// A directory with ARTICLE in `a.txt` and its findings recorded in `base.jsonl`.
fn adopted() -> tempfile::TempDir {
    let d = dir();
    write(d.path(), "a.txt", ARTICLE);
    let before = check(d.path(), &[]);
    assert_eq!(before.code, 1, "{}", before.stderr);
    let rules: Vec<String> = findings(&before.stdout).into_iter().map(|f| f.2).collect();
    assert_eq!(
        rules,
        ["en/repeated-word", "en/space-before-punctuation"],
        "{}",
        before.stdout
    );
    let w = check(d.path(), &["--write-baseline", "base.jsonl"]);
    assert_eq!(w.code, 0, "{}", w.stderr);
    assert!(
        w.stdout.is_empty(),
        "writing a baseline prints no findings: {}",
        w.stdout
    );
    assert!(w.stderr.contains("2 findings in 1 file"), "{}", w.stderr);
    d
}

fn base(d: &tempfile::TempDir) -> String {
    std::fs::read_to_string(d.path().join("base.jsonl")).unwrap()
}

#[test]
fn written_baseline_hides_every_recorded_finding() {
    let d = adopted();
    let text = base(&d);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    for l in &lines {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["path"], "a.txt");
        assert_eq!(v["count"], 1);
    }
    assert!(text.contains("\"text\":\"was was\""), "{text}");
    let r = check(d.path(), &["--baseline", "base.jsonl"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(findings(&r.stdout).is_empty(), "{}", r.stdout);
    assert!(r.stderr.contains("2 findings hidden by the baseline"), "{}", r.stderr);
}

#[test]
fn editing_lines_above_a_finding_keeps_it_accepted() {
    let d = adopted();
    let edited = ARTICLE.replace(
        "The museum reopened in spring after a long renovation.\n",
        "Last week, the city museum reopened.\nIt had been closed for two years.\nThe works cost more than planned.\n",
    );
    write(d.path(), "a.txt", &edited);
    let r = check(d.path(), &["--baseline", "base.jsonl"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("no longer found"), "{}", r.stderr);
}

#[test]
fn reordering_paragraphs_keeps_findings_accepted() {
    let d = adopted();
    let paragraphs: Vec<&str> = ARTICLE.trim_end().split("\n\n").collect();
    let reordered = format!("{}\n\n{}\n\n{}\n", paragraphs[2], paragraphs[0], paragraphs[1]);
    write(d.path(), "a.txt", &reordered);
    let r = check(d.path(), &["--baseline", "base.jsonl"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("no longer found"), "{}", r.stderr);
}

#[test]
fn a_new_defect_fails_and_is_the_only_finding() {
    let d = adopted();
    let added = format!("{ARTICLE}\nThe cafe on the roof serves tea tea and cake.\n");
    write(d.path(), "a.txt", &added);
    let r = check(d.path(), &["--baseline", "base.jsonl"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        findings(&r.stdout),
        [("a.txt".to_string(), 7, "en/repeated-word".to_string())],
        "{}",
        r.stdout
    );
}

#[test]
fn a_removed_defect_is_reported_stale_and_pruned() {
    let d = adopted();
    let fixed = ARTICLE.replace("was was", "was");
    write(d.path(), "a.txt", &fixed);
    let r = check(d.path(), &["--baseline", "base.jsonl"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("holds 1 finding no longer found")
            && r.stderr.contains("a.txt: en/repeated-word \"was was\""),
        "{}",
        r.stderr
    );
    // Stale entries are only reported: the file stays as written until pruned.
    assert_eq!(base(&d).lines().count(), 2);
    let p = check(d.path(), &["--baseline", "base.jsonl", "--prune-baseline"]);
    assert_eq!(p.code, 0, "{}{}", p.stdout, p.stderr);
    assert!(p.stderr.contains("1 stale finding dropped"), "{}", p.stderr);
    let pruned = base(&d);
    assert_eq!(pruned.lines().count(), 1, "{pruned}");
    assert!(pruned.contains("en/space-before-punctuation"), "{pruned}");
    let again = check(d.path(), &["--baseline", "base.jsonl"]);
    assert_eq!(again.code, 0);
    assert!(!again.stderr.contains("no longer found"), "{}", again.stderr);
    // Pruning gives what writing anew gives.
    let fresh = check(d.path(), &["--write-baseline", "fresh.jsonl"]);
    assert_eq!(fresh.code, 0);
    assert_eq!(std::fs::read(d.path().join("fresh.jsonl")).unwrap(), pruned.as_bytes());
}

#[test]
fn a_duplicated_sentence_brings_only_the_copy_s_findings() {
    let d = adopted();
    let sentence = "Visitors said the new hall was was brighter than before.\n";
    let duplicated = ARTICLE.replace(sentence, &format!("{sentence}{sentence}"));
    write(d.path(), "a.txt", &duplicated);
    let r = check(d.path(), &["--baseline", "base.jsonl"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        findings(&r.stdout),
        [("a.txt".to_string(), 4, "en/repeated-word".to_string())],
        "one more occurrence than recorded is new: {}",
        r.stdout
    );
}

#[test]
fn a_second_write_gives_the_same_bytes() {
    let d = adopted();
    let first = std::fs::read(d.path().join("base.jsonl")).unwrap();
    // Findings in another file, and the first file edited where nothing is flagged.
    write(d.path(), "b/b.txt", "The tower is is tall .\nThe tower is is tall .\n");
    write(d.path(), "a.txt", &format!("A new first line.\n{ARTICLE}"));
    let both = ["check", "--lang", "en", "a.txt", "b", "--write-baseline", "base.jsonl"];
    assert_eq!(mtlint(d.path(), &both).code, 0);
    let second = std::fs::read(d.path().join("base.jsonl")).unwrap();
    assert_eq!(mtlint(d.path(), &both).code, 0);
    let third = std::fs::read(d.path().join("base.jsonl")).unwrap();
    assert_eq!(second, third, "writing the same findings twice gives the same bytes");
    let text = String::from_utf8(second).unwrap();
    // The a.txt entries did not change; b/b.txt's two equal findings are one entry of count 2.
    assert!(text.starts_with(std::str::from_utf8(&first).unwrap()), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "entries are sorted");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("\"path\":\"b/b.txt\"") && l.contains("\"count\":2")),
        "{text}"
    );
}

#[test]
fn the_config_names_the_baseline_relative_to_itself() {
    let d = adopted();
    std::fs::create_dir(d.path().join("ci")).unwrap();
    std::fs::rename(d.path().join("base.jsonl"), d.path().join("ci/base.jsonl")).unwrap();
    // Paths in a baseline are relative to the baseline file: rewrite this one from ci/.
    let r = mtlint(
        d.path(),
        &["check", "--lang", "en", "a.txt", "--write-baseline", "ci/base.jsonl"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let written = std::fs::read_to_string(d.path().join("ci/base.jsonl")).unwrap();
    assert!(written.contains("\"path\":\"../a.txt\""), "{written}");
    write(d.path(), "mtlint.toml", "lang = \"en\"\nbaseline = \"ci/base.jsonl\"\n");
    let sub = d.path().join("elsewhere");
    std::fs::create_dir(&sub).unwrap();
    let r = mtlint(&sub, &["check", "--format", "concise", "../a.txt"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("2 findings hidden"), "{}", r.stderr);
    // An explicit --baseline wins over the config's.
    write(d.path(), "empty.jsonl", "");
    let r = mtlint(
        d.path(),
        &["check", "--format", "concise", "a.txt", "--baseline", "empty.jsonl"],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(findings(&r.stdout).len(), 2);
}

#[test]
fn fix_leaves_baselined_findings_alone_unless_asked() {
    let d = adopted();
    let added = format!("{ARTICLE}\nThe cafe on the roof serves tea tea and cake.\n");
    write(d.path(), "a.txt", &added);
    let r = mtlint(d.path(), &["fix", "--lang", "en", "a.txt", "--baseline", "base.jsonl"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let after = std::fs::read_to_string(d.path().join("a.txt")).unwrap();
    assert_eq!(after, format!("{ARTICLE}\nThe cafe on the roof serves tea and cake.\n"));
    // `check --diff` goes through the same path.
    let r = mtlint(
        d.path(),
        &["check", "--lang", "en", "a.txt", "--diff", "--baseline", "base.jsonl"],
    );
    assert_eq!(r.code, 0, "nothing new left to fix: {}{}", r.stdout, r.stderr);
    let r = mtlint(
        d.path(),
        &[
            "fix",
            "--lang",
            "en",
            "a.txt",
            "--baseline",
            "base.jsonl",
            "--include-baselined",
        ],
    );
    assert!(
        r.code == 2,
        "--include-baselined and --baseline contradict: {}",
        r.stderr
    );
    write(d.path(), "mtlint.toml", "lang = \"en\"\nbaseline = \"base.jsonl\"\n");
    let r = mtlint(d.path(), &["fix", "a.txt"]);
    assert_eq!(r.code, 0, "the config's baseline holds them: {}{}", r.stdout, r.stderr);
    assert!(std::fs::read_to_string(d.path().join("a.txt"))
        .unwrap()
        .contains("was was"));
    let r = mtlint(d.path(), &["fix", "a.txt", "--include-baselined"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let all = std::fs::read_to_string(d.path().join("a.txt")).unwrap();
    assert!(!all.contains("was was") && !all.contains(" ,"), "{all}");
}

#[test]
fn files_outside_the_run_keep_their_entries_and_gone_files_are_stale() {
    let d = adopted();
    write(d.path(), "b.txt", "The bridge was was repainted .\n");
    let both = mtlint(
        d.path(),
        &[
            "check",
            "--lang",
            "en",
            "a.txt",
            "b.txt",
            "--write-baseline",
            "base.jsonl",
        ],
    );
    assert_eq!(both.code, 0, "{}", both.stderr);
    // Checking a.txt alone says nothing about b.txt's entries, and pruning keeps them.
    let r = check(d.path(), &["--baseline", "base.jsonl", "--prune-baseline"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(base(&d).contains("\"path\":\"b.txt\""));
    std::fs::remove_file(d.path().join("b.txt")).unwrap();
    let r = check(d.path(), &["--baseline", "base.jsonl"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.contains("b.txt: en/repeated-word") && r.stderr.contains("the file is gone"),
        "{}",
        r.stderr
    );
    let r = check(d.path(), &["--baseline", "base.jsonl", "--prune-baseline"]);
    assert_eq!(r.code, 0);
    assert!(!base(&d).contains("b.txt"), "{}", base(&d));
}

#[test]
fn a_missing_or_broken_baseline_is_an_error() {
    let d = adopted();
    let r = check(d.path(), &["--baseline", "nope.jsonl"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("does not exist") && r.stderr.contains("--write-baseline"),
        "{}",
        r.stderr
    );
    write(d.path(), "bad.jsonl", "{\"path\":\"a.txt\"}\n");
    let r = check(d.path(), &["--baseline", "bad.jsonl"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.jsonl:1:"), "{}", r.stderr);
    let r = check(d.path(), &["--prune-baseline"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("needs a baseline"), "{}", r.stderr);
}

#[test]
fn the_baseline_file_is_never_checked_itself() {
    let d = adopted();
    // Even when the config asks for every file, the baseline's excerpts are not findings.
    write(d.path(), "mtlint.toml", "lang = \"en\"\ninclude = [\"**/*\"]\n");
    let w = mtlint(d.path(), &["check", ".", "--write-baseline", "base.jsonl"]);
    assert_eq!(w.code, 0, "{}", w.stderr);
    let first = base(&d);
    assert!(!first.contains("\"path\":\"base.jsonl\""), "{first}");
    assert_eq!(
        mtlint(d.path(), &["check", ".", "--write-baseline", "base.jsonl"]).code,
        0
    );
    assert_eq!(base(&d), first);
    let r = mtlint(
        d.path(),
        &["check", ".", "--format", "concise", "--baseline", "base.jsonl"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}
