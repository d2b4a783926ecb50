//! What the Hunspell dictionaries said of words is kept on disk between runs (the directory in
//! `MTLINT_CACHE_DIR`), so that a later run need not load them: the findings must be those of a
//! run without it, a changed dictionary must be asked afresh, and a damaged file must change
//! nothing.

use std::fs;
use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;

/// A dictionary of the words of the text below but the misspelt `provinclal`.
const WORDS: &str = "the\ncommittee\nmet\nin\nand\nvoted\nagain\nhall\nprovincial\n";
const TEXT: &str = "The committee met in the provinclal hall and voted.\n\nThe committee met again.\n";
const RULES: &str = "[pack]\nname = \"d\"\ntarget = \"en\"\n\n[[rule]]\nid = \"u\"\nkind = \"spelling\"\n\
                     check = \"unknown-word\"\ndictionary = \"tiny\"\n";

fn write_dictionary(dir: &Path, words: &str) {
    // (`TRY`: the letters Hunspell tries in its suggestions, which the rule needs.)
    fs::write(dir.join("tiny.aff"), "SET UTF-8\nTRY esianrtolcdugmphbyfvkwz\n").unwrap();
    fs::write(dir.join("tiny.dic"), format!("{}\n{words}", words.lines().count())).unwrap();
}

/// The concise report of `check` on the text with the rule above, keeping answers in `cache`.
fn check(dir: &Path, cache: &Path) -> String {
    let out = cargo_bin_cmd!("mtlint")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("MTLINT_CACHE_DIR", cache)
        .args([
            "check", "--format", "concise", "--select", "d", "--rules", "d.toml", "a.txt",
        ])
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn answer_files(cache: &Path) -> Vec<std::path::PathBuf> {
    fs::read_dir(cache)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_dictionary(dir.path(), WORDS);
    fs::write(dir.path().join("a.txt"), TEXT).unwrap();
    fs::write(dir.path().join("d.toml"), RULES).unwrap();
    dir
}

#[test]
fn kept_answers_give_the_findings_of_the_dictionary_and_follow_its_changes() {
    let dir = setup();
    let cache = dir.path().join("cache");
    let first = check(dir.path(), &cache);
    assert!(first.contains("a.txt:1:26: d/u: \"provinclal\" is misspelt"), "{first}");
    assert_eq!(answer_files(&cache).len(), 1, "the answers are kept");
    // Asked again, from the kept answers: the same report.
    assert_eq!(check(dir.path(), &cache), first);
    // Without kept answers at all: the same report.
    assert_eq!(check(dir.path(), Path::new("")), first);
    // The dictionary learns the word: it is another dictionary, asked afresh.
    write_dictionary(dir.path(), &format!("{WORDS}provinclal\n"));
    let after = check(dir.path(), &cache);
    assert!(!after.contains("provinclal"), "{after}");
    // And unlearns it again.
    write_dictionary(dir.path(), WORDS);
    assert_eq!(check(dir.path(), &cache), first);
}

#[test]
fn a_damaged_answers_file_changes_nothing() {
    let dir = setup();
    let cache = dir.path().join("cache");
    let first = check(dir.path(), &cache);
    let files = answer_files(&cache);
    assert_eq!(files.len(), 1);
    let whole = fs::read(&files[0]).unwrap();
    for damaged in [
        whole[..whole.len() / 2].to_vec(),
        b"not a file of answers".to_vec(),
        whole.iter().map(|b| b ^ 0x20).collect(),
        Vec::new(),
    ] {
        fs::write(&files[0], &damaged).unwrap();
        assert_eq!(check(dir.path(), &cache), first);
    }
    // The run wrote the answers anew over the damaged file.
    assert_eq!(fs::read(&files[0]).unwrap(), whole);
}

#[test]
fn a_directory_that_cannot_be_written_changes_nothing() {
    let dir = setup();
    // A file where the directory should be: nothing can be written under it.
    let blocked = dir.path().join("blocked");
    fs::write(&blocked, "").unwrap();
    let first = check(dir.path(), &blocked.join("cache"));
    assert_eq!(first, check(dir.path(), Path::new("")));
    assert!(first.contains("provinclal"), "{first}");
}
