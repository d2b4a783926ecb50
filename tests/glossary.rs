//! A user glossary (`term` entries) as the command line reports it: a term that is found as
//! a whole word is reported even where a longer term starts at the same place as part of a
//! longer word, and a correct term inside a word hides no wrong one.

use std::fs;

use assert_cmd::cargo::cargo_bin_cmd;

const GLOSSARY: &str = r#"
[pack]
name = "house"
target = "en"

[[rule]]
id = "terms"
kind = "term"
entries = [
  { variants = ["the party building"], replace = "the Party building" },
  { variants = ["the party"], replace = "the Party" },
  { variants = ["town hall"], replace = "city hall" },
  { variants = ["ancient town"], replace = "old town" },
]
"#;

fn check(text: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("house.toml"), GLOSSARY).unwrap();
    fs::write(dir.path().join("a.txt"), text).unwrap();
    let out = cargo_bin_cmd!("mtlint")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args([
            "check",
            "a.txt",
            "--rules",
            "house.toml",
            "--select",
            "house",
            "--format",
            "concise",
        ])
        .output()
        .expect("mtlint runs");
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn a_longer_term_inside_a_longer_word_hides_no_shorter_term() {
    // "the party building" is only the start of "the party buildings"; "the party" is there.
    assert_eq!(
        check("The delegates toured the party buildings in the spring of that year.\n"),
        "a.txt:1:22: house/terms: \"the party\" should be \"the Party\" [fix]\n"
    );
    assert_eq!(
        check("The delegates toured the party building in the spring.\n"),
        "a.txt:1:22: house/terms: \"the party building\" should be \"the Party building\" [fix]\n"
    );
}

#[test]
fn a_correct_term_inside_a_word_hides_no_wrong_one() {
    // "old town" is the correct term, but in "bold town" it is no term at all.
    assert_eq!(
        check("They met in the bold town hall of the district on a Monday.\n"),
        "a.txt:1:22: house/terms: \"town hall\" should be \"city hall\" [fix]\n"
    );
    assert_eq!(
        check("They met in the old town hall of the district on a Monday.\n"),
        ""
    );
}
