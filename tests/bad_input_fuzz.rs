//! Inputs the fuzz targets (fuzz/) once crashed on, kept as regression tests: every file under
//! `fuzz/regressions/<target>/` runs through what that target checks, with the same
//! invariants, in plain `cargo test`.

use std::fs;
use std::path::{Path, PathBuf};

use mtlint::api::{Linter, Settings};
use mtlint::config::builtin_rules;
use mtlint::config::rulefile::parse_rule_file;
use mtlint::diagnostic::{Applicability, Diagnostic};
use mtlint::document::Document;
use mtlint::fix::FixOutcome;
use mtlint::formats::InputFormat;
use mtlint::input;

/// The shipped packs, as `mtlint` runs them without a config; each language compiled once.
fn linter() -> &'static Linter {
    static LINTER: std::sync::OnceLock<Linter> = std::sync::OnceLock::new();
    LINTER.get_or_init(|| Linter::new(&Settings::default()).unwrap())
}

/// Fixes `doc` as `mtlint fix --unsafe-fixes` does.
fn fix(doc: Document) -> FixOutcome {
    linter()
        .fix_document(doc, None, Applicability::Unsafe, Default::default())
        .unwrap()
}

fn cases(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .map(|p| {
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

/// The fuzz targets' choice of language from the first byte (fuzz/src/lib.rs).
fn pick_language(data: &[u8]) -> (Option<String>, &[u8]) {
    let mut langs: Vec<String> = builtin_rules()
        .unwrap()
        .iter()
        .filter_map(|r| r.pack.target.clone())
        .collect();
    langs.push("und".into());
    langs.sort();
    langs.dedup();
    match data.split_first() {
        None => (None, data),
        Some((&b, rest)) => (langs.get(b as usize % (langs.len() + 1)).cloned(), rest),
    }
}

fn assert_well_formed(doc: &Document, d: &Diagnostic, case: &Path) {
    let text = &doc.text;
    let ok = |s: mtlint::span::Span| {
        s.start <= s.end && s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end)
    };
    assert!(ok(d.span), "{}: {} span {:?}", case.display(), d.rule_id(), d.span);
    for e in d.fix.iter().flat_map(|f| &f.edits) {
        assert!(ok(e.span), "{}: {} edit {:?}", case.display(), d.rule_id(), e.span);
    }
}

/// Checks and fixes the text the way the `check` and `fix` targets do.
fn check_and_fix(data: &[u8], case: &Path) {
    let (lang, bytes) = pick_language(data);
    let Ok((text, _)) = input::decode_lossy(bytes.to_vec()) else {
        return;
    };
    let linter = linter();
    let doc = linter
        .parse_as("case.txt", text, InputFormat::Text, lang.as_deref())
        .unwrap();
    let lang = doc.language.clone();
    for d in linter.check_document(&doc, None).unwrap() {
        assert_well_formed(&doc, &d, case);
    }
    let first = fix(doc);
    assert!(
        first.not_converged.is_empty(),
        "{}: {:?}",
        case.display(),
        first.not_converged
    );
    let fixed = first.document.text.clone();
    let again = fix(linter
        .parse_as("case.txt", fixed.clone(), InputFormat::Text, Some(&lang))
        .unwrap());
    assert_eq!(
        again.document.text,
        fixed,
        "{}: a second fix pass changed the text",
        case.display()
    );
}

#[test]
fn engine_and_fix_regressions() {
    for target in ["check", "fix"] {
        for (case, data) in cases(target) {
            check_and_fix(&data, &case);
        }
    }
}

#[test]
fn plain_text_regressions() {
    for (case, data) in cases("decode") {
        if let Ok((text, _)) = input::decode_lossy(data.clone()) {
            let doc = Document::new("case.txt", text, None);
            let spans = doc
                .paragraphs()
                .iter()
                .chain(doc.sentences())
                .copied()
                .collect::<Vec<_>>();
            for s in spans {
                assert!(doc.text.get(s.start..s.end).is_some(), "{}: {s:?}", case.display());
            }
        }
        // The same bytes through the engine, in every language.
        for lang in 0..=5u8 {
            let mut with_lang = vec![lang];
            with_lang.extend(&data);
            check_and_fix(&with_lang, &case);
        }
    }
}

#[test]
fn rule_file_regressions() {
    for (case, data) in cases("rule_file") {
        if let Ok(source) = std::str::from_utf8(&data) {
            if let Ok(rules) = parse_rule_file(Path::new("case.toml"), source) {
                // The engine itself: the fuzzed rule file's rules alone, compiled as they are.
                if let Ok(engine) = mtlint::engine::Engine::new(&rules, &[]) {
                    let _ = mtlint::rule_examples::run(&rules);
                    let doc = Document::new("case.txt", source.to_string(), Some("en"));
                    for d in engine.check(&doc) {
                        assert_well_formed(&doc, &d, &case);
                    }
                }
            }
        }
    }
}

/// What the `formats` target checks: parsing in the format the first byte picks never panics,
/// and a fixed file still parses and is fixed for good.
#[test]
fn format_regressions() {
    const FORMATS: [InputFormat; 5] = [
        InputFormat::Markdown,
        InputFormat::Xliff,
        InputFormat::Po,
        InputFormat::Tmx,
        InputFormat::Tsv,
    ];
    let linter = linter();
    for (case, data) in cases("formats") {
        let Some((&pick, bytes)) = data.split_first() else {
            continue;
        };
        let format = FORMATS[pick as usize % FORMATS.len()];
        let Ok((text, _)) = input::decode_lossy(bytes.to_vec()) else {
            continue;
        };
        let Ok(doc) = linter.parse_as("case", text, format, None) else {
            continue;
        };
        for d in linter.check_document(&doc, None).unwrap() {
            assert_well_formed(&doc, &d, &case);
        }
        let first = fix(doc);
        if !first.not_converged.is_empty() {
            continue;
        }
        let fixed = first.document.text.clone();
        let reparsed = linter
            .parse_as("case", fixed.clone(), format, Some(&first.document.language))
            .unwrap_or_else(|e| panic!("{}: the fixed file no longer parses: {e}", case.display()));
        let again = fix(reparsed);
        assert_eq!(
            again.document.text,
            fixed,
            "{}: a second fix pass changed the text",
            case.display()
        );
    }
}
