//! One fixture directory per check kind: `tests/fixtures/<kind>/<case>.txt` (`.tsv`, a bilingual
//! source/target file, for the source-aware kinds), checked with the
//! kind's own small rule pack beside it (`<case>-rules.toml` when present, else `rules.toml`),
//! never with the shipped packs. Each case is snapshotted with the human output and the diff
//! that `mtlint fix` would apply (safe fixes, then unsafe ones when they add anything), and
//! fixing must converge: once fixed, the same rules find nothing more to fix.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The `[pack] name` of a rule file, which `--select` uses to keep only that pack.
fn pack_name(rules: &Path) -> String {
    let text = fs::read_to_string(rules).expect("rule file");
    text.lines()
        .find_map(|l| l.strip_prefix("name = \""))
        .and_then(|l| l.strip_suffix('"'))
        .unwrap_or_else(|| panic!("{} has no [pack] name", rules.display()))
        .to_string()
}

/// Runs mtlint from the crate root; returns stdout (then stderr, marked) and the exit code.
fn mtlint(args: &[String], dir: &Path) -> (String, i32) {
    let out = cargo_bin_cmd!("mtlint")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("mtlint runs");
    let mut text = String::from_utf8(out.stdout).expect("UTF-8 output");
    for line in String::from_utf8(out.stderr).expect("UTF-8 errors").lines() {
        text += &format!("[stderr] {line}\n");
    }
    (text, out.status.code().expect("exit code"))
}

fn cases(kind: &str) -> Vec<(String, PathBuf, String)> {
    let dir = Path::new(ROOT).join("tests/fixtures").join(kind);
    let mut out: Vec<(String, PathBuf, String)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "tsv"))
        .map(|p| {
            let case = p.file_stem().unwrap().to_string_lossy().into_owned();
            let ext = p.extension().unwrap().to_string_lossy().into_owned();
            let own = dir.join(format!("{case}-rules.toml"));
            let rules = if own.exists() { own } else { dir.join("rules.toml") };
            (case, rules, ext)
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no fixtures in {}", dir.display());
    out
}

fn run_kind(kind: &str) {
    let root = Path::new(ROOT);
    for (case, rules, ext) in cases(kind) {
        let file = format!("tests/fixtures/{kind}/{case}.{ext}");
        let rules_rel = rules.strip_prefix(ROOT).unwrap().to_string_lossy().into_owned();
        let pack = pack_name(&rules);
        let args = |head: &[&str]| -> Vec<String> {
            let tail = [
                file.as_str(),
                "--rules",
                &rules_rel,
                "--select",
                &pack,
                "--color",
                "never",
            ];
            head.iter().chain(&tail).map(|s| s.to_string()).collect()
        };
        let check = args(&["check"]);
        let diff = args(&["check", "--diff"]);
        let unsafe_diff = args(&["check", "--diff", "--unsafe-fixes"]);
        let (human, code) = mtlint(&check, root);
        let (diff_out, diff_code) = mtlint(&diff, root);
        let (unsafe_out, _) = mtlint(&unsafe_diff, root);

        let mut snap = format!("$ mtlint {}\n{human}exit: {code}\n\n", check.join(" "));
        snap += &format!("$ mtlint {}\n{diff_out}exit: {diff_code}\n", diff.join(" "));
        if unsafe_out != diff_out {
            snap += &format!("\n$ mtlint {}\n{unsafe_out}", unsafe_diff.join(" "));
        }
        insta::assert_snapshot!(format!("{kind}__{case}"), snap);

        // Findings exit 1, and a clean run 0, whatever the fixture.
        let clean = human.starts_with("No problems found");
        assert_eq!(code, i32::from(!clean), "{file}: exit code");
        assert_fixing_converges(&file, &rules);
    }
}

/// `mtlint fix --unsafe-fixes` on a copy, then nothing is left to fix, and fixing again
/// changes nothing (fix is idempotent).
fn assert_fixing_converges(file: &str, rules: &Path) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let name = format!("case.{}", Path::new(file).extension().unwrap().to_string_lossy());
    let copy = tmp.path().join(&name);
    fs::copy(Path::new(ROOT).join(file), &copy).expect("copy fixture");
    let rules_copy = tmp.path().join("rules.toml");
    fs::copy(rules, &rules_copy).expect("copy rules");
    let pack = pack_name(rules);
    let args = ["--rules", "rules.toml", "--select", &pack, "--color", "never"];
    let fix = |extra: &[&str]| {
        let mut v = extra.to_vec();
        v.extend_from_slice(&args);
        cargo_bin_cmd!("mtlint")
            .current_dir(tmp.path())
            .args(&v)
            .output()
            .expect("mtlint runs")
    };
    fix(&["fix", "--unsafe-fixes", &name]);
    let once = fs::read(&copy).unwrap();
    let again = fix(&["check", "--diff", "--unsafe-fixes", &name]);
    assert_eq!(
        String::from_utf8_lossy(&again.stdout),
        "",
        "{file}: fixed text still gets fixes"
    );
    fix(&["fix", "--unsafe-fixes", &name]);
    assert_eq!(once, fs::read(&copy).unwrap(), "{file}: fix is not idempotent");
}

macro_rules! kind_tests {
    ($($name:ident => $kind:literal,)*) => {
        $(#[test]
        fn $name() {
            run_kind($kind);
        })*

        /// Every check kind has a fixture directory here.
        #[test]
        fn every_kind_has_fixtures() {
            let kinds = [$($kind),*];
            for kind in mtlint::checks::kind_names() {
                assert!(kinds.contains(&kind), "no fixture test for kind `{kind}`");
            }
        }
    };
}

kind_tests! {
    term => "term",
    consistency => "consistency",
    pattern => "pattern",
    quotes => "quotes",
    sentence_length => "sentence-length",
    boilerplate => "boilerplate",
    typography => "typography",
    script => "script",
    unicode => "unicode",
    repetition => "repetition",
    capitalization => "capitalization",
    numbers => "numbers",
    untranslated => "untranslated",
    source_term => "source-term",
    placeholders => "placeholders",
    segment_consistency => "segment-consistency",
    length_ratio => "length-ratio",
    spelling => "spelling",
    romanization => "romanization",
}
