//! No silent off switch: every way of turning checks off by mistake is loud. Language tags in
//! every spelling reach their packs, unknown languages and empty rule files are errors, a
//! glossary entry that only changes capitals works, fixes that cycle are left out one by one
//! and reported, and paths that match nothing, `-`, quoted globs and skipped files are said.

use std::fs;
use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
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

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut assert_cmd::Command) -> Run {
    let out = cmd.output().expect("mtlint runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Rule ids reported in concise output.
fn rule_ids(concise: &str) -> Vec<String> {
    concise
        .lines()
        .filter_map(|l| l.split(": ").nth(1).map(str::to_string))
        .collect()
}

/// English with a doubled word, which the English pack flags.
const DOUBLED: &str = "The the workshop closed early on Friday.\n";

// ---------------------------------------------------------------------------------------------
// Language tags

#[test]
fn every_spelling_of_a_language_tag_on_the_command_line_runs_its_pack() {
    let dir = tree(&[("a.txt", DOUBLED)]);
    for tag in ["en", "en-US", "en_GB", "EN", "en-Latn-US", "en_US.UTF-8", "eng"] {
        let r = run(mtlint(dir.path()).args(["check", "--format", "concise", "--lang", tag, "a.txt"]));
        assert_eq!(r.code, 1, "--lang {tag}: {}{}", r.stdout, r.stderr);
        assert!(
            rule_ids(&r.stdout).contains(&"en/repeated-word".to_string()),
            "--lang {tag}: {}",
            r.stdout
        );
    }
    for (tag, pack) in [("fr-FR", "fr/"), ("de_DE.UTF-8", "de/"), ("zh-Hans-CN", "zh/")] {
        let text = "Il a dit \"bonjour.\n";
        let dir = tree(&[("b.txt", text)]);
        let r = run(mtlint(dir.path()).args(["check", "--format", "concise", "--lang", tag, "b.txt"]));
        assert!(
            rule_ids(&r.stdout).iter().any(|id| id.starts_with(pack)),
            "--lang {tag} runs no {pack} rule: {}{}",
            r.stdout,
            r.stderr
        );
    }
}

#[test]
fn a_tagged_lang_in_the_config_runs_its_pack() {
    let dir = tree(&[("mtlint.toml", "lang = \"en-US\"\n"), ("a.txt", DOUBLED)]);
    let r = run(mtlint(dir.path()).args(["check", "--format", "concise", "a.txt"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        rule_ids(&r.stdout).contains(&"en/repeated-word".to_string()),
        "{}",
        r.stdout
    );
}

#[test]
fn a_tagged_source_lang_selects_the_language_pair_packs() {
    // "R & D" is flagged by the zh-en pair pack only when the source is Chinese.
    let text = "The old town of Guzhen opened a new R & D centre, and Guzhen grew.\n";
    let dir = tree(&[("a.txt", text)]);
    let with = |source: &str| {
        let r = run(mtlint(dir.path()).args([
            "check",
            "--format",
            "concise",
            "--lang",
            "en-GB",
            "--source-lang",
            source,
            "a.txt",
        ]));
        assert_ne!(r.code, 2, "--source-lang {source}: {}", r.stderr);
        rule_ids(&r.stdout).iter().any(|id| id.starts_with("zh-en/"))
    };
    assert!(with("zh-CN"), "zh-CN is Chinese");
    assert!(with("zh_Hant_TW"), "zh_Hant_TW is Chinese");
    assert!(!with("fr-FR"), "a French source has no zh-en artefacts");
}

#[test]
fn a_pack_targeting_a_tag_applies_to_its_language() {
    let rules = "[pack]\nname = \"house\"\ntarget = \"en-GB\"\nsource = \"zh_CN\"\n\n\
                 [[rule]]\nid = \"kiln\"\nkind = \"term\"\nvariants = [\"oven\"]\nreplace = \"kiln\"\n\
                 examples = [{ bad = \"The oven is hot.\", good = \"The kiln is hot.\" }]\n";
    let dir = tree(&[
        ("house.toml", rules),
        ("a.txt", "The oven is hot and the workshop is open.\n"),
    ]);
    let r = run(mtlint(dir.path()).args(["check", "--format", "concise", "--rules", "house.toml", "a.txt"]));
    assert!(
        rule_ids(&r.stdout).contains(&"house/kiln".to_string()),
        "{}{}",
        r.stdout,
        r.stderr
    );
    let r = run(mtlint(dir.path()).args(["test-rules", "house.toml"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("1 examples: 1 passed"), "{}", r.stdout);
}

#[test]
fn a_bilingual_file_declaring_a_script_and_region_is_checked_in_its_language() {
    let xliff = "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\"><file source-language=\"zh-Hans-CN\" \
                 target-language=\"EN_us\" datatype=\"plaintext\" original=\"a\"><body>\n\
                 <trans-unit id=\"1\"><source>车间</source><target>The the workshop.</target></trans-unit>\n\
                 </body></file></xliff>\n";
    let dir = tree(&[("a.xlf", xliff)]);
    let r = run(mtlint(dir.path()).args(["check", "--format", "json", "a.xlf"]));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v["files"][0]["language"], "en", "{}", r.stdout);
    assert!(r.stdout.contains("en/repeated-word"), "{}", r.stdout);
}

#[test]
fn an_unknown_language_is_an_error_naming_the_known_ones() {
    let dir = tree(&[("a.txt", DOUBLED)]);
    for (args, said) in [
        (&["--lang", "english"][..], "`english` is not a language tag"),
        (&["--lang", "xx"][..], "`xx` is not a known language"),
        (&["--source-lang", "zz-ZZ"][..], "`zz-ZZ` is not a known language"),
        (&["--lang", ""][..], "is not a language tag"),
    ] {
        let r = run(mtlint(dir.path()).arg("check").args(args).arg("a.txt"));
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(said), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("de, en, es, fr, ja, ko, ru, zh"), "{}", r.stderr);
        assert!(!r.stdout.contains("No problems found"), "{}", r.stdout);
    }
    // A language that only a user pack targets is known once that pack is loaded.
    let rules = "[pack]\nname = \"it-house\"\ntarget = \"it\"\n\n[[rule]]\nid = \"forno\"\nkind = \"term\"\n\
                 variants = [\"fornace\"]\nreplace = \"forno\"\n";
    let dir = tree(&[("it.toml", rules), ("a.txt", "La fornace è calda.\n")]);
    let r = run(mtlint(dir.path()).args(["check", "--format", "concise", "--lang", "it-IT", "a.txt"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("`it-IT` is not a known language"), "{}", r.stderr);
    let r = run(mtlint(dir.path()).args([
        "check", "--format", "concise", "--lang", "it-IT", "--rules", "it.toml", "a.txt",
    ]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        rule_ids(&r.stdout).contains(&"it-house/forno".to_string()),
        "{}",
        r.stdout
    );
}

#[test]
fn an_unknown_language_in_the_config_is_placed() {
    let dir = tree(&[
        ("mtlint.toml", "fail_on = \"info\"\nlang = \"english\"\n"),
        ("a.txt", DOUBLED),
    ]);
    let r = run(mtlint(dir.path()).args(["check", "a.txt"]));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("mtlint.toml:2:1"), "{}", r.stderr);
    assert!(r.stderr.contains("`english` is not a language tag"), "{}", r.stderr);
    let dir = tree(&[("mtlint.toml", "source_lang = \"chinese\"\n"), ("a.txt", DOUBLED)]);
    let r = run(mtlint(dir.path()).args(["check", "a.txt"]));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("`source_lang`: `chinese` is not a language tag"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_pack_target_that_is_no_language_tag_is_an_error() {
    let rules = "[pack]\nname = \"house\"\ntarget = \"english\"\n\n[[rule]]\nid = \"kiln\"\nkind = \"term\"\n\
                 variants = [\"oven\"]\nreplace = \"kiln\"\n";
    let dir = tree(&[("house.toml", rules), ("a.txt", "The oven is hot.\n")]);
    for args in [
        &["check", "--rules", "house.toml", "a.txt"][..],
        &["test-rules", "house.toml"][..],
    ] {
        let r = run(mtlint(dir.path()).args(args));
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("house.toml:3:1"), "{}", r.stderr);
        assert!(r.stderr.contains("`english` is not a language tag"), "{}", r.stderr);
        assert!(r.stderr.contains("de, en, es, fr, ja, ko, ru, zh"), "{}", r.stderr);
    }
}

// ---------------------------------------------------------------------------------------------
// Rule files with nothing to run

#[test]
fn a_rule_file_without_rules_is_an_error_naming_it() {
    for text in [
        "[pack]\nname = \"empty\"\ntarget = \"en\"\n",
        "rule = []\n\n[pack]\nname = \"empty\"\n",
    ] {
        let dir = tree(&[("empty.toml", text), ("a.txt", DOUBLED)]);
        for args in [
            &["check", "--rules", "empty.toml", "a.txt"][..],
            &["test-rules", "empty.toml"][..],
        ] {
            let r = run(mtlint(dir.path()).args(args));
            assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
            assert!(r.stderr.contains("empty.toml:"), "{}", r.stderr);
            assert!(r.stderr.contains("pack `empty` has no rule"), "{}", r.stderr);
        }
    }
    // Named in a config's `rules` too.
    let dir = tree(&[
        ("mtlint.toml", "rules = [\"house/empty.toml\"]\n"),
        ("house/empty.toml", "[pack]\nname = \"empty\"\n"),
        ("a.txt", DOUBLED),
    ]);
    let r = run(mtlint(dir.path()).args(["check", "a.txt"]));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("empty.toml"), "{}", r.stderr);
}

#[test]
fn test_rules_with_no_example_to_run_is_an_error() {
    let rules = "[pack]\nname = \"house\"\ntarget = \"en\"\n\n[[rule]]\nid = \"kiln\"\nkind = \"term\"\n\
                 variants = [\"oven\"]\nreplace = \"kiln\"\n";
    let dir = tree(&[("house.toml", rules)]);
    let r = run(mtlint(dir.path()).args(["test-rules", "house.toml"]));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("nothing was tested"), "{}", r.stderr);
    assert!(!r.stdout.contains("0 passed"), "{}", r.stdout);
}

// ---------------------------------------------------------------------------------------------
// Glossary entries that only change capitals, and fixes that do not converge

const NAMES: &str = "[pack]\nname = \"house\"\ntarget = \"en\"\n\n[[rule]]\nid = \"names\"\nkind = \"term\"\n\
                     entries = [\n  { variants = [\"Tallow lighting\"], replace = \"Tallow Lighting\" },\n  \
                     { variants = [\"wechat\"], replace = \"WeChat\" },\n  \
                     { variants = [\"lamp works\"], replace = \"lamp factory\" },\n]\n";

#[test]
fn a_glossary_entry_that_only_changes_capitals_leaves_the_right_form_alone() {
    let right = "Tallow Lighting opened a lamp factory. Staff use WeChat.\n";
    let dir = tree(&[("house.toml", NAMES), ("right.txt", right)]);
    let r = run(mtlint(dir.path()).args([
        "check",
        "--format",
        "concise",
        "--select",
        "house",
        "--rules",
        "house.toml",
        "right.txt",
    ]));
    assert_eq!(r.code, 0, "the right forms are flagged: {}{}", r.stdout, r.stderr);

    let wrong = "Tallow lighting opened the lamp works. wechat is used. Wechat too.\n";
    let dir = tree(&[("house.toml", NAMES), ("wrong.txt", wrong)]);
    let r = run(mtlint(dir.path()).args(["fix", "--select", "house", "--rules", "house.toml", "wrong.txt"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("converge"), "{}", r.stderr);
    assert_eq!(
        fs::read_to_string(dir.path().join("wrong.txt")).unwrap(),
        "Tallow Lighting opened the lamp factory. WeChat is used. WeChat too.\n"
    );
}

/// A rule whose fix at one place is undone by another rule, and whose other fixes are fine.
const CYCLE: &str = "[pack]\nname = \"house\"\ntarget = \"en\"\n\n\
                     [[rule]]\nid = \"grey\"\nkind = \"pattern\"\npattern = '\\bgrey\\b'\nreplace = \"gray\"\n\n\
                     [[rule]]\nid = \"grey-cat\"\nkind = \"pattern\"\npattern = '\\bgray cat\\b'\nreplace = \"grey cat\"\n\n\
                     [[rule]]\nid = \"lamp\"\nkind = \"pattern\"\npattern = '\\b[Ll]amp\\b'\nreplace = \"lamp\"\n";

#[test]
fn fixes_that_cycle_are_left_out_one_by_one_and_the_others_apply() {
    let text = "A grey cat sat on a grey wall.\nThe lamp is lit. A Lamp hangs.\n";
    let dir = tree(&[("house.toml", CYCLE), ("a.txt", text)]);
    let args = [
        "fix",
        "--lang",
        "en",
        "--select",
        "house",
        "--rules",
        "house.toml",
        "a.txt",
    ];
    let r = run(mtlint(dir.path()).args(["fix", "--diff"]).args(&args[1..]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("Nothing to fix"), "{}", r.stderr);
    assert!(r.stdout.contains("+A grey cat sat on a gray wall."), "{}", r.stdout);
    let r = run(mtlint(dir.path()).args(args));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let fixed = "A grey cat sat on a gray wall.\nThe lamp is lit. A lamp hangs.\n";
    assert_eq!(fs::read_to_string(dir.path().join("a.txt")).unwrap(), fixed);
    for warning in [
        "a.txt:1:3: the fix of house/grey at \"grey cat\" does not converge",
        "a.txt:1:3: the fix of house/grey-cat at \"grey cat\" does not converge",
        "a.txt:2:5: the fix of house/lamp at \"lamp\" does not converge",
    ] {
        assert!(r.stderr.contains(warning), "{warning}: {}", r.stderr);
    }
    assert_eq!(r.stderr.matches("does not converge").count(), 3, "{}", r.stderr);
    assert!(
        r.stdout.contains("3 fixes left out because they do not converge"),
        "{}",
        r.stdout
    );
    // A second run changes nothing and still says what it leaves out.
    let r = run(mtlint(dir.path()).args(args));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(fs::read_to_string(dir.path().join("a.txt")).unwrap(), fixed);
}

#[test]
fn a_file_whose_only_fix_changes_nothing_is_not_nothing_to_fix() {
    let dir = tree(&[("house.toml", CYCLE), ("a.txt", "The lamp is lit.\n")]);
    let r = run(mtlint(dir.path()).args([
        "fix",
        "--diff",
        "--lang",
        "en",
        "--select",
        "house",
        "--rules",
        "house.toml",
        "a.txt",
    ]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("Nothing to fix"), "{}", r.stderr);
    assert!(
        r.stderr.contains("1 fix left out because it does not converge"),
        "{}",
        r.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// Paths: `-`, patterns the shell did not expand, paths that name nothing, skipped files

#[test]
fn a_dash_reads_standard_input() {
    let dir = tree(&[("clean.txt", "The workshop closed early.\n")]);
    let r = run(mtlint(dir.path())
        .args(["check", "--format", "concise", "-"])
        .write_stdin(DOUBLED));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("<stdin>:1:1: en/repeated-word"), "{}", r.stdout);
    // With files beside it, in `check`.
    let r = run(mtlint(dir.path())
        .args(["check", "--format", "concise", "clean.txt", "-"])
        .write_stdin(DOUBLED));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("<stdin>:1:1: en/repeated-word"), "{}", r.stdout);
    // `fix -` writes the fixed text to standard output.
    let r = run(mtlint(dir.path()).args(["fix", "-"]).write_stdin(DOUBLED));
    assert_eq!(r.stdout, "The workshop closed early on Friday.\n", "{}", r.stderr);
}

#[test]
fn a_pattern_the_shell_did_not_expand_is_expanded() {
    let dir = tree(&[
        ("a.txt", DOUBLED),
        ("b.txt", "The workshop closed early.\n"),
        ("notes.rst", DOUBLED),
        ("docs/guide/intro.md", DOUBLED),
        ("docs/readme.md", "A clean line.\n"),
    ]);
    let r = run(mtlint(dir.path()).args(["check", "--format", "concise", "*.txt", "docs/**/*.md"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let mut files: Vec<&str> = r.stdout.lines().filter_map(|l| l.split(':').next()).collect();
    files.sort();
    assert_eq!(files, ["a.txt", "docs/guide/intro.md"], "{}", r.stdout);
    let r = run(mtlint(dir.path()).args(["check", "*.txt", "docs/**/*.md"]));
    assert!(r.stdout.contains("in 4 files"), "{}", r.stdout);
}

#[test]
fn a_path_that_names_nothing_is_an_error_and_the_others_are_checked() {
    let dir = tree(&[("a.txt", DOUBLED), ("b.txt", "The workshop closed early.\n")]);
    for missing in ["*.md", "drafts/**/*.txt", "nothere.txt"] {
        let r = run(mtlint(dir.path()).args(["check", "--format", "concise", missing, "a.txt"]));
        assert_eq!(r.code, 2, "{missing}: {}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains(&format!("{missing}: error:")), "{}", r.stdout);
        assert!(r.stdout.contains("a.txt:1:1: en/repeated-word"), "{}", r.stdout);
    }
    let r = run(mtlint(dir.path()).args(["check", "*.md", "b.txt"]));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("no file matches the pattern `*.md`"), "{}", r.stdout);
    assert!(!r.stdout.contains("No problems found"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("1 file could not be checked; no problems in the 1 file checked."),
        "{}",
        r.stdout
    );
}

#[test]
fn files_passed_over_while_walking_are_counted_and_listed_on_request() {
    let dir = tree(&[
        ("mtlint.toml", "exclude = [\"drafts/old\"]\n"),
        ("drafts/a.txt", DOUBLED),
        ("drafts/b.md", "A clean line.\n"),
        ("drafts/data.json", "{}\n"),
        ("drafts/old/c.txt", DOUBLED),
    ]);
    let r = run(mtlint(dir.path()).args(["check", "drafts"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("in 2 files (2 skipped)."), "{}", r.stdout);
    assert!(!r.stderr.contains("skipped"), "{}", r.stderr);
    let r = run(mtlint(dir.path()).args(["check", "--verbose", "drafts"]));
    assert!(
        r.stderr
            .contains("skipped drafts/data.json: not a file type mtlint checks by default"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("skipped drafts/old/c.txt: excluded by `exclude`"),
        "{}",
        r.stderr
    );
    let r = run(mtlint(dir.path()).args(["fix", "drafts"]));
    assert!(r.stdout.contains("in 1 file (2 skipped)"), "{}", r.stdout);
    // Machine formats keep their shape.
    let r = run(mtlint(dir.path()).args(["check", "--format", "json", "drafts"]));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let keys: Vec<&String> = v["summary"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["diagnostics", "files", "fixable"], "{}", r.stdout);
}
