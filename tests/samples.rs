//! The sample articles of `samples/`: each language directory shows the defects its packs
//! exist for, and the clean controls yield nothing at all.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use mtlint::api::{Linter, Settings};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(ROOT).join("samples").join(dir);
    let mut out: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no samples in {}", dir.display());
    out
}

/// Checks each file with the shipped packs, as `mtlint check` does without a config.
/// Returns (file, detected language, rule ids found).
fn check(dir: &str) -> Vec<(String, String, BTreeSet<String>)> {
    let linter = Linter::new(&Settings::default()).expect("the shipped packs load");
    files(dir)
        .into_iter()
        .map(|path| {
            let name = path.strip_prefix(ROOT).unwrap().display().to_string();
            let (doc, _) = linter.read_file(&path, &name, false).expect("sample is readable UTF-8");
            let ids = linter
                .check_document(&doc, Some(&path))
                .expect("engine compiles")
                .iter()
                .map(|d| d.rule.id.clone())
                .collect();
            (name, doc.language.clone(), ids)
        })
        .collect()
}

/// The samples of `dir` are detected as `lang`, and together show at least `expected`.
fn assert_shows(dir: &str, lang: &str, expected: &[&str]) {
    let mut found = BTreeSet::new();
    for (name, detected, ids) in check(dir) {
        assert_eq!(detected, lang, "{name} is detected as {detected}");
        assert!(!ids.is_empty(), "{name} yields no finding");
        found.extend(ids);
    }
    let missing: Vec<&&str> = expected.iter().filter(|id| !found.contains(**id)).collect();
    assert!(
        missing.is_empty(),
        "samples/{dir} no longer shows {missing:?}; found {found:?}"
    );
}

#[test]
fn clean_controls_yield_nothing() {
    let mut langs = BTreeSet::new();
    for (name, lang, ids) in check("clean") {
        assert!(ids.is_empty(), "{name} ({lang}) should be clean, got {ids:?}");
        langs.insert(lang);
    }
    let want: BTreeSet<String> = ["de", "en", "fr", "zh"].iter().map(|s| s.to_string()).collect();
    assert_eq!(langs, want, "a clean control per language");
}

/// Every rule of the en and zh-en packs (as of this writing; a new rule should get a sample).
#[test]
fn english_samples() {
    assert_shows(
        "en",
        "en",
        &[
            "en/web-navigation",
            "en/untranslated",
            "encoding/mojibake",
            "en/invisible-character",
            "en/control-character",
            "en/not-nfc",
            "en/no-break-space",
            "en/run-on",
            "en/repeated-word",
            "en/unbalanced-quote",
            "en/doubled-quote",
            "en/detached-quote",
            "en/mixed-quote-style",
            "en/space-before-punctuation",
            "en/double-space",
            "en/missing-space-after-punctuation",
            "en/chinese-list-numbering",
            "en/fullwidth-punctuation",
            "en/ampersand-spacing",
            "en/ellipsis-after-colon",
            "en/date-preposition",
            "zh-en/site-metadata",
            "zh-en/party-capital",
            "zh-en/chamber-of-commerce",
            "zh-en/original-intention",
            "zh-en/train-locomotive",
            "zh-en/both-hands-hard",
            "zh-en/bricks-and-tiles",
            "zh-en/people-mountain",
            "zh-en/guzhen",
            "zh-en/party-building",
            "zh-en/eyewear-mirror",
            "zh-en/eye-care-day",
            "zh-en/model-post",
            "zh-en/starlight-alliance",
        ],
    );
}

#[test]
fn french_samples() {
    assert_shows(
        "fr",
        "fr",
        &[
            "fr/espace-insecable",
            "fr/guillemets-desequilibres",
            "fr/guillemets-doubles",
            "fr/guillemets-droits",
            "fr/espace-avant-virgule",
            "fr/double-espace",
            "fr/phrase-trop-longue",
            "fr/mot-repete",
            "fr/non-traduit",
            "encoding/mojibake",
            "fr/caractere-invisible",
            "fr/ponctuation-chinoise",
        ],
    );
}

#[test]
fn german_samples() {
    assert_shows(
        "de",
        "de",
        &[
            "de/anfuehrungszeichen-unausgeglichen",
            "de/anfuehrungszeichen-doppelt",
            "de/anfuehrungszeichen-gemischt",
            "de/englische-anfuehrungszeichen",
            "de/leerzeichen-vor-satzzeichen",
            "de/doppeltes-leerzeichen",
            "de/satz-zu-lang",
            "de/wortwiederholung",
            "de/nicht-uebersetzt",
            "encoding/mojibake",
            "de/unsichtbares-zeichen",
            "de/chinesische-satzzeichen",
        ],
    );
}

#[test]
fn chinese_samples() {
    assert_shows(
        "zh",
        "zh",
        &[
            "zh/halfwidth-punctuation",
            "zh/cjk-latin-spacing",
            "zh/unbalanced-quote",
            "zh/doubled-punctuation",
            "zh/run-on",
            "encoding/mojibake",
            "zh/invisible-character",
            "zh/untranslated",
        ],
    );
}

/// The README's first command: `mtlint check samples/` reports findings in every language
/// directory, none in the clean controls, and no file errors.
#[test]
fn check_samples_directory() {
    let out = cargo_bin_cmd!("mtlint")
        .current_dir(ROOT)
        .args(["check", "samples/", "--format", "concise"])
        .output()
        .expect("mtlint runs");
    assert_eq!(out.status.code(), Some(1), "findings exit 1");
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    for dir in ["en", "fr", "de", "zh"] {
        assert!(
            stdout.contains(&format!("samples/{dir}/")),
            "nothing reported in samples/{dir}"
        );
    }
    assert!(!stdout.contains("samples/clean/"), "clean controls reported:\n{stdout}");
}
