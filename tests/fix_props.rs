//! Property tests of the fix engine over generated machine-translation-like text, with the
//! shipped packs: fixing is idempotent, keeps every byte it was not asked to change, keeps
//! the BOM, line endings and final newline, and leaves no fix of the rules it applied.

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use mtlint::api::{Linter, Settings};
use mtlint::config::Overrides;
use mtlint::diagnostic::{Applicability, Diagnostic, Edit, Fix, RuleMeta, Severity};
use mtlint::document::Document;
use mtlint::engine::Engine;
use mtlint::fix::{apply, fix_document, select};
use mtlint::span::Span;
use proptest::prelude::*;

/// The shipped packs with `--lang en`, as `mtlint fix --lang en` runs them.
fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| {
        let overrides = Overrides {
            lang: Some("en".into()),
            ..Overrides::default()
        };
        Linter::new(&Settings {
            overrides,
            ..Settings::default()
        })
        .expect("the shipped packs load")
    })
}

/// Sentences no shipped rule flags: they must come out of `fix` byte for byte.
const FILLER: &[&str] = &[
    "The association held its council in Changsha.",
    "Members of the lighting industry attended the meeting.",
    "The company opened a new plant last year.",
    "Sales grew by ten percent in the first half.",
    "Guzhen is known across China for its lamps.",
    "Experts discussed standards and product certification.",
    "The town plans a training centre for young workers.",
    "Prices stayed stable through the spring.",
    "Exporters shipped lamps to Europe and Africa.",
    "The council approved the budget without changes.",
];

/// Sentences with defects the shipped packs fix (safely, or with --unsafe-fixes).
const DEFECTS: &[&str] = &[
    "The lamp R & D centre opened.",
    "More than 100 people attended the meeting .",
    "In January 18, 2016, the committee met.",
    "Firms in the ancient town grew fast.",
    "Visitors came to the old town in May.",
    "They spoke of the \"red power\"\".",
    "It was the the best year.",
    "The plan has two points:… growth and quality.",
    "The report\u{200b} was published.",
    "The price rose，and sales fell。",
    "The cafÃ© opened late.",
    "The cafe\u{301} opened early.",
    "Design,research and sales grew.",
    "The party construction work went on.",
    "The \"two new\"organizations met.",
    "They met in the  hall.",
    "Tickets cost 5\u{a0}yuan.",
    "The Starlight alliance and the Starlight Alliance merged.",
    "Crowds were people mountain people sea at the fair.",
];

/// Whole lines: scraped boilerplate and list numbering.
const LINES: &[&str] = &[
    "Number of visits: Date:2017-8-3 11:29",
    "Home Categories Send inquiry",
    "1, the establishment of a lighting branch",
    "TypeInfo: Industry News",
];

#[derive(Debug, Clone)]
enum Piece {
    Filler(usize),
    Defect(usize),
}

#[derive(Debug, Clone)]
enum Line {
    Sentences(Vec<Piece>),
    Whole(usize),
    Blank,
}

#[derive(Debug, Clone)]
struct Article {
    lines: Vec<Line>,
    bom: bool,
    crlf: bool,
    final_newline: bool,
}

impl Article {
    fn text(&self) -> String {
        let eol = if self.crlf { "\r\n" } else { "\n" };
        let mut out = String::new();
        if self.bom {
            out.push('\u{feff}');
        }
        let lines: Vec<String> = self
            .lines
            .iter()
            .map(|l| match l {
                Line::Sentences(ps) => ps
                    .iter()
                    .map(|p| match p {
                        Piece::Filler(i) => FILLER[*i],
                        Piece::Defect(i) => DEFECTS[*i],
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
                Line::Whole(i) => LINES[*i].to_string(),
                Line::Blank => String::new(),
            })
            .collect();
        out.push_str(&lines.join(eol));
        if self.final_newline {
            out.push_str(eol);
        }
        out
    }

    fn fillers(&self) -> Vec<&'static str> {
        self.lines
            .iter()
            .flat_map(|l| match l {
                Line::Sentences(ps) => ps
                    .iter()
                    .filter_map(|p| match p {
                        Piece::Filler(i) => Some(FILLER[*i]),
                        Piece::Defect(_) => None,
                    })
                    .collect(),
                _ => Vec::new(),
            })
            .collect()
    }
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        3 => (0..FILLER.len()).prop_map(Piece::Filler),
        2 => (0..DEFECTS.len()).prop_map(Piece::Defect),
    ]
}

fn line() -> impl Strategy<Value = Line> {
    prop_oneof![
        6 => prop::collection::vec(piece(), 1..6).prop_map(Line::Sentences),
        1 => (0..LINES.len()).prop_map(Line::Whole),
        1 => Just(Line::Blank),
    ]
}

fn article() -> impl Strategy<Value = Article> {
    (
        prop::collection::vec(line(), 1..10),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, bom, crlf, final_newline)| Article {
            lines,
            bom,
            crlf,
            final_newline,
        })
}

fn fix_text(text: &str, min: Applicability) -> mtlint::fix::FixOutcome {
    let linter = linter();
    let doc = linter.document(text.to_string(), Some("generated.txt")).unwrap();
    linter
        .fix_document(doc, None, min, Default::default())
        .expect("the English rules compile")
}

/// Each needle found in `haystack`, in order, without overlapping.
fn in_order(haystack: &str, needles: &[&str]) -> Result<(), String> {
    let mut pos = 0;
    for n in needles {
        match haystack[pos..].find(n) {
            Some(i) => pos += i + n.len(),
            None => return Err(format!("{n:?} is missing or out of order after byte {pos}")),
        }
    }
    Ok(())
}

fn check_properties(article: &Article, min: Applicability) -> Result<(), TestCaseError> {
    let text = article.text();
    let outcome = fix_text(&text, min);
    let fixed = outcome.document.text.clone();

    prop_assert!(
        outcome.not_converged.is_empty(),
        "not converged: {:?}",
        outcome.not_converged
    );
    prop_assert!(outcome.unsound.is_empty(), "unsound fixes: {:?}", outcome.unsound);

    // Idempotent.
    let again = fix_text(&fixed, min);
    prop_assert_eq!(&again.document.text, &fixed, "a second fix changed the text");
    prop_assert_eq!(again.total_applied(), 0);

    // Every filler sentence is kept byte for byte, in order.
    if let Err(e) = in_order(&fixed, &article.fillers()) {
        return Err(TestCaseError::fail(format!("{e}\nin {fixed:?}")));
    }

    // BOM, line endings and final newline.
    prop_assert_eq!(fixed.starts_with('\u{feff}'), article.bom);
    prop_assert_eq!(fixed.matches('\u{feff}').count(), usize::from(article.bom));
    if article.crlf {
        prop_assert_eq!(
            fixed.matches('\n').count(),
            fixed.matches("\r\n").count(),
            "a bare LF in a CRLF file"
        );
    } else {
        prop_assert!(!fixed.contains('\r'), "a CR in an LF file");
    }
    let has_content = fixed.len() > usize::from(article.bom) * 3;
    if has_content {
        prop_assert_eq!(fixed.ends_with('\n'), text.ends_with('\n'), "final newline changed");
    }

    // The defects with a safe fix are gone (the engine does fix, not only keep).
    for gone in [
        "R & D",
        "meeting .",
        "the the",
        "cafÃ©",
        "\u{200b}",
        "，",
        "In January 18",
        "points:…",
        "\"\".",
    ] {
        prop_assert!(!fixed.contains(gone), "{gone:?} is still in {fixed:?}");
    }

    // No fixable diagnostic is left from the rules that were applied.
    let applied: BTreeSet<&str> = outcome.applied.keys().map(String::as_str).collect();
    let left: Vec<(String, String)> = linter()
        .check_document(&outcome.document, None)
        .unwrap()
        .iter()
        .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability >= min))
        .filter(|d| applied.contains(d.rule_id()))
        .map(|d| (d.rule_id().to_string(), d.message.clone()))
        .collect();
    prop_assert!(left.is_empty(), "fixable diagnostics left: {left:?}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn safe_fixes_keep_what_they_should(article in article()) {
        check_properties(&article, Applicability::Safe)?;
    }

    #[test]
    fn unsafe_fixes_keep_what_they_should(article in article()) {
        check_properties(&article, Applicability::Unsafe)?;
    }
}

// ---------------------------------------------------------------------------------------------
// The selection and application of arbitrary fixes, without the shipped rules.

fn diag(i: usize, fix: Fix) -> Diagnostic {
    Diagnostic {
        rule: Arc::new(RuleMeta {
            id: format!("test/rule-{i}"),
            severity: Severity::Warning,
            category: "fluency".into(),
        }),
        severity: Severity::Warning,
        message: String::new(),
        span: fix.span(),
        labels: Vec::new(),
        related: Default::default(),
        fix: Some(fix),
    }
}

/// Random fixes of one or two edits on character boundaries of `text`.
fn fixes_for(text: String) -> impl Strategy<Value = (String, Vec<Diagnostic>)> {
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let n = bounds.len();
    let edit = (0..n, 0..n, "[a-z“”\" ]{0,3}").prop_map(move |(a, b, r)| {
        let (a, b) = (a.min(b), a.max(b));
        (a, b, r)
    });
    let fix = (prop::collection::vec(edit, 1..3), any::<bool>());
    prop::collection::vec(fix, 0..12).prop_map(move |fixes| {
        let diags = fixes
            .into_iter()
            .enumerate()
            .map(|(i, (edits, safe))| {
                let edits = edits
                    .into_iter()
                    .map(|(a, b, r)| Edit::replace(Span::new(bounds[a], bounds[b]), r))
                    .collect();
                let applicability = if safe {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                };
                diag(i, Fix::new(applicability, edits))
            })
            .collect();
        (text.clone(), diags)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Chosen fixes never overlap, each is taken whole, every fix left out clashes with a
    /// chosen one (it waits for the next pass), and the bytes between the edits are kept.
    #[test]
    fn selection_is_sound_and_keeps_other_bytes((text, diags) in "[a-zé古 .\"]{0,40}".prop_flat_map(fixes_for)) {
        let chosen = select(&diags, Applicability::Unsafe, &|_| true);
        let mut spans: Vec<Span> = chosen.iter().flat_map(|(_, f)| f.edits.iter().map(|e| e.span)).collect();
        spans.sort();
        for (i, a) in spans.iter().enumerate() {
            for b in &spans[i + 1..] {
                prop_assert!(!a.overlaps(*b), "chosen edits {a:?} and {b:?} overlap");
            }
        }
        for d in &diags {
            let f = d.fix.as_ref().unwrap();
            let taken = chosen.iter().any(|(c, _)| std::ptr::eq(*c, d));
            let self_clash = f.edits.windows(2).any(|w| w[0].span.overlaps(w[1].span));
            if !taken && !self_clash {
                prop_assert!(
                    f.edits.iter().any(|e| spans.iter().any(|s| s.overlaps(e.span))),
                    "{} was left out without a conflict", d.rule_id()
                );
            }
        }
        // Walk the output: outside the edits it is the input, byte for byte.
        let out = apply(&text, &chosen);
        let mut edits: Vec<&Edit> = chosen.iter().flat_map(|(_, f)| f.edits.iter()).collect();
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        let (mut i, mut o) = (0usize, 0usize);
        for e in edits {
            let keep = &text[i..e.span.start];
            prop_assert_eq!(&out[o..o + keep.len()], keep);
            o += keep.len();
            prop_assert_eq!(&out[o..o + e.replacement.len()], e.replacement.as_str());
            o += e.replacement.len();
            i = e.span.end;
        }
        prop_assert_eq!(&out[o..], &text[i..]);
    }
}

/// Fixes that undo one another are reported and left out, and the result is still a fixed
/// point: a second run changes nothing.
#[test]
fn a_cycle_is_reported_not_looped() {
    let dir = std::env::temp_dir().join(format!("mtlint-fix-cycle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rules = dir.join("cycle.toml");
    std::fs::write(
        &rules,
        r#"[pack]
name = "cycle"
target = "en"

[[rule]]
id = "ping"
kind = "pattern"
pattern = '\bping\b'
replace = "pong"

[[rule]]
id = "pong"
kind = "pattern"
pattern = '\bpong\b'
replace = "ping"

[[rule]]
id = "colour"
kind = "pattern"
pattern = '\bcolor\b'
replace = "colour"
"#,
    )
    .unwrap();
    let loaded = mtlint::config::load_rule_file(&rules).expect("the cycle rules load");
    // The fix loop itself, on these two rules alone (the shipped packs would fix more).
    let engine = Engine::new(&loaded, &[]).expect("the cycle rules compile");
    let doc = Document::new("t", "ping and color\n".to_string(), Some("en"));
    let out = fix_document(&engine, doc, Applicability::Safe, None);
    assert_eq!(out.not_converged, ["cycle/ping", "cycle/pong"]);
    assert_eq!(out.document.text, "ping and colour\n");
    let again = fix_document(&engine, out.document, Applicability::Safe, None);
    assert_eq!(again.document.text, "ping and colour\n");
    assert_eq!(again.not_converged, ["cycle/ping", "cycle/pong"]);
    let _ = std::fs::remove_dir_all(&dir);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The binary's output, byte for byte: valid UTF-8, the same as the library's fixed
    /// text (so the same line endings, BOM and final newline).
    #[test]
    fn the_binary_writes_valid_utf8(article in article()) {
        use std::io::Write;
        use std::process::{Command, Stdio};
        use assert_cmd::cargo::CommandCargoExt;

        let text = article.text();
        let mut child = Command::cargo_bin("mtlint")
            .unwrap()
            .args(["fix", "--stdin", "--lang", "en", "--quiet"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        prop_assert!(matches!(out.status.code(), Some(0 | 1)), "exit {:?}", out.status);
        let fixed = std::str::from_utf8(&out.stdout);
        prop_assert!(fixed.is_ok(), "not UTF-8: {:?}", fixed.err());
        prop_assert_eq!(fixed.unwrap(), fix_text(&text, Applicability::Safe).document.text);
    }
}
