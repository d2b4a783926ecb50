//! Bad input: files that cannot be checked and malformed rule files. A file that cannot be
//! checked is an error of that file only (the others are still checked) and the exit status
//! is 2; a malformed rule file stops the run with its path, line and column.

use std::fs;
use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use tempfile::TempDir;

fn mtlint(dir: &Path) -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("mtlint");
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

fn tree(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, bytes) in files {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }
    dir
}

const FAULTY: &[u8] = b"The the kiln fired twice.\n";

#[test]
fn invalid_utf8_names_its_line_and_column() {
    let dir = tree(&[
        ("good.txt", FAULTY),
        ("latin1.txt", b"First line.\nThe caf\xe9 opened.\n"),
    ]);
    mtlint(dir.path())
        .args(["check", "--format", "concise", "latin1.txt", "good.txt"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "latin1.txt: error: invalid UTF-8 at line 2, column 8 (byte offset 19)",
        ))
        .stdout(predicate::str::contains("good.txt:1:1: en/repeated-word"));
}

#[test]
fn a_binary_file_is_not_checked() {
    let dir = tree(&[("a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ("good.txt", FAULTY)]);
    mtlint(dir.path())
        .args(["check", "--format", "concise", "a.txt", "good.txt"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("a.txt: error: binary file"))
        .stdout(predicate::str::contains("good.txt:1:1: en/repeated-word"));
}

#[test]
fn missing_and_unreadable_paths_are_per_file_errors() {
    let dir = tree(&[("good.txt", FAULTY)]);
    mtlint(dir.path())
        .args(["check", "--color", "never", "missing.txt", "good.txt"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "error: missing.txt: cannot read: no such file or directory",
        ))
        .stdout(predicate::str::contains("warning[en/repeated-word]"))
        .stdout(predicate::str::contains("could not be checked"));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.path().join("locked.txt");
        fs::write(&locked, FAULTY).unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        // Root reads anything: the case only means something for other users.
        if fs::read(&locked).is_err() {
            mtlint(dir.path())
                .args(["check", "--format", "concise", "locked.txt", "good.txt"])
                .assert()
                .code(2)
                .stdout(predicate::str::contains("locked.txt: error: cannot read"))
                .stdout(predicate::str::contains("good.txt:1:1"));
        }
    }
}

#[test]
fn errors_fail_the_run_even_below_the_fail_level() {
    let dir = tree(&[("latin1.txt", b"caf\xe9\n")]);
    mtlint(dir.path())
        .args(["check", "--fail-on", "error", "latin1.txt"])
        .assert()
        .code(2);
    mtlint(dir.path())
        .args(["check", "--format", "json", "latin1.txt"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "\"error\": \"invalid UTF-8 at line 1, column 4",
        ))
        .stderr(predicate::str::contains("latin1.txt"));
}

/// Writes `rules` as house.toml and checks a clean file with it: exit 2 and the message.
fn rule_file_error(rules: &str) -> String {
    let dir = tree(&[("house.toml", rules.as_bytes()), ("a.txt", b"Fine text.\n")]);
    let out = mtlint(dir.path())
        .args(["check", "a.txt", "--rules", "house.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a bad rule file stops the run");
    assert!(out.stdout.is_empty(), "nothing checked with a bad rule file");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn a_rule_file_syntax_error_has_file_line_column() {
    let err = rule_file_error("[pack]\nname = \"house\"\n\n[[rule]\nid = \"x\"\n");
    assert!(err.contains("house.toml:4:8:"), "{err}");
    assert!(err.contains("[[rule]"), "the line is shown: {err}");
    assert_eq!(err.matches("house.toml:4:8").count(), 1, "said once: {err}");
}

#[test]
fn an_unknown_rule_key_has_file_line_column() {
    let err = rule_file_error(
        "[pack]\nname = \"house\"\n\n[[rule]]\nid = \"x\"\nkind = \"term\"\nvariants = [\"a\"]\nreplace = \"b\"\ncolour = \"red\"\n",
    );
    assert!(
        err.contains("house.toml:9:1: `colour` is not a parameter of kind `term`"),
        "{err}"
    );
}

#[test]
fn a_parameter_of_another_kind_is_reported_at_its_key() {
    let err =
        rule_file_error("[pack]\nname = \"house\"\n\n[[rule]]\nid = \"x\"\nkind = \"repetition\"\nmax_words = 3\n");
    assert!(err.contains("house.toml:7:1"), "{err}");
    assert!(
        err.contains("`max_words` is not a parameter of kind `repetition`"),
        "{err}"
    );
}

#[test]
fn a_bad_regex_has_file_line_column_and_the_regex_error() {
    let err = rule_file_error(
        "[pack]\nname = \"house\"\n\n[[rule]]\nid = \"x\"\nkind = \"pattern\"\npattern = \"(unclosed\"\n",
    );
    assert!(err.contains("house.toml:7:1: rule `x`: invalid regex"), "{err}");
    assert!(err.contains("unclosed group"), "{err}");
}

#[test]
fn test_rules_reports_a_malformed_file() {
    let dir = tree(&[(
        "house.toml",
        b"[pack]\nname = \"house\"\n[[rule]]\nid = \"x\"\nkind = \"nope\"\n",
    )]);
    mtlint(dir.path())
        .args(["test-rules", "house.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("house.toml:5:"));
}

/// A rule file with one `unknown-word` spelling rule reading `dictionaries`.
fn spelling_rules(dictionaries: &str) -> Vec<u8> {
    format!(
        "[pack]\nname = \"d\"\ntarget = \"en\"\n\n[[rule]]\nid = \"u\"\nkind = \"spelling\"\n\
         check = \"unknown-word\"\ndictionary = [{dictionaries}]\n"
    )
    .into_bytes()
}

#[test]
fn a_missing_dictionary_is_named_once_with_what_it_means_for_the_rule() {
    let text: &[u8] = b"The flurbicated committee met.\n\nThe flurbicated board met.\n";
    // Another dictionary loads: the rule goes on, and says which one is missing.
    let dir = tree(&[
        ("a.txt", text),
        ("b.txt", text),
        (
            "d.toml",
            &spelling_rules(r#""/usr/share/hunspell/en_US", "missing/en_XX""#),
        ),
    ]);
    mtlint(dir.path())
        .args(["check", "--select", "d", "--rules", "d.toml", "a.txt", "b.txt"])
        .assert()
        .stderr(predicate::str::contains("en_XX").count(1))
        .stderr(predicate::str::contains("rule d/u goes on with its other dictionaries"));
    // None loads: the rule is off, and each missing dictionary is named.
    let dir = tree(&[
        ("a.txt", text),
        ("d.toml", &spelling_rules(r#""missing/en_XX", "missing/en_YY""#)),
    ]);
    mtlint(dir.path())
        .args(["check", "--select", "d", "--rules", "d.toml", "a.txt"])
        .assert()
        .stderr(predicate::str::contains("en_XX.aff").and(predicate::str::contains("en_YY.aff")))
        .stderr(predicate::str::contains("rule d/u is off").count(2));
}
