//! Bilingual files (XLIFF 1.2 and 2.0, PO, TMX, TSV): findings on each fixture (snapshots of
//! the findings and of the diff `fix` makes), round trips that prove `fix` edits only target
//! text, clear errors for malformed files, and the source-aware rules' own examples.

use std::path::Path;

use assert_cmd::Command;
use mtlint::api::{Linter, Settings};
use mtlint::diagnostic::{Applicability, Diagnostic};
use mtlint::document::Document;
use mtlint::error::FileError;
use mtlint::fix::FixOutcome;
use mtlint::formats::InputFormat;

const FIXTURES: &str = "tests/fixtures/formats";

fn load(name: &str) -> Document {
    let path = if name.starts_with("samples/") {
        Path::new(name).to_path_buf()
    } else {
        Path::new(FIXTURES).join(name)
    };
    let text = std::fs::read_to_string(&path).unwrap();
    linter()
        .parse(name, text, &path)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The shipped packs, as `mtlint` runs them without a config; each language compiled once.
fn linter() -> &'static Linter {
    static LINTER: std::sync::OnceLock<Linter> = std::sync::OnceLock::new();
    LINTER.get_or_init(|| Linter::new(&Settings::default()).unwrap())
}

fn check(doc: &Document) -> Vec<Diagnostic> {
    linter().check_document(doc, None).unwrap()
}

/// Fixes `doc` as `mtlint fix --unsafe-fixes` does.
fn fix(doc: Document) -> FixOutcome {
    linter()
        .fix_document(doc, None, Applicability::Unsafe, Default::default())
        .unwrap()
}

/// The findings as `line:col rule: message [fix]`, then the unified diff of `fix --unsafe-fixes`.
fn report(name: &str) -> String {
    let doc = load(name);
    let mut out = format!("format: {}, language: {}\n", doc.format, doc.language);
    for d in check(&doc) {
        let lc = doc.line_index().line_col(&doc.text, d.span.start);
        let fix = match &d.fix {
            Some(f) => format!(" [{} fix]", f.applicability.as_str()),
            None => String::new(),
        };
        out.push_str(&format!(
            "{}:{} {}: {}{fix}\n",
            lc.line,
            lc.column,
            d.rule_id(),
            d.message
        ));
    }
    let original = doc.text.clone();
    let outcome = fix(doc);
    out.push_str("--- fix ---\n");
    let diff = similar::TextDiff::from_lines(&original, &outcome.document.text);
    out.push_str(&diff.unified_diff().context_radius(0).to_string());
    out
}

#[test]
fn xliff12_findings_and_fix() {
    insta::assert_snapshot!(report("xliff12.xlf"));
}

#[test]
fn xliff20_findings_and_fix() {
    insta::assert_snapshot!(report("xliff20.xlf"));
}

#[test]
fn po_findings_and_fix() {
    insta::assert_snapshot!(report("messages.po"));
}

#[test]
fn tmx_findings_and_fix() {
    insta::assert_snapshot!(report("memory.tmx"));
}

#[test]
fn tsv_findings_and_fix() {
    insta::assert_snapshot!(report("pairs.tsv"));
}

#[test]
fn sample_tsv_findings_and_fix() {
    insta::assert_snapshot!(report("samples/bilingual/lighting-fair.tsv"));
}

#[test]
fn sample_xliff_findings_and_fix() {
    insta::assert_snapshot!(report("samples/bilingual/lighting-fair.xlf"));
}

#[test]
fn every_finding_points_into_a_segment() {
    // Spans are file coordinates: each finding lies in a target, or (a missing target, a
    // missing code) on the segment's source or target as a whole.
    for name in ["xliff12.xlf", "xliff20.xlf", "messages.po", "memory.tmx", "pairs.tsv"] {
        let doc = load(name);
        for d in check(&doc) {
            let inside = doc.segments.iter().any(|s| {
                s.target.is_some_and(|t| t.contains(d.span)) || s.source_span == d.span || s.anchor() == d.span
            });
            assert!(
                inside,
                "{name}: {} at {:?} is outside every segment",
                d.rule_id(),
                d.span
            );
            assert!(doc.text.is_char_boundary(d.span.start) && doc.text.is_char_boundary(d.span.end));
        }
    }
}

/// The text of every byte that is not target prose: everything outside the targets, and the
/// entities, inline tags and escapes inside them, in file order.
fn markup(doc: &Document) -> Vec<String> {
    let mut spans: Vec<_> = doc.masked.iter().chain(&doc.inline_masked).copied().collect();
    spans.sort();
    spans.into_iter().map(|s| s.text(&doc.text).to_string()).collect()
}

/// `fix` changes only the bytes of target text: the markup list of the fixed file equals the
/// original's, the sources are the same, and something did change.
fn assert_round_trip(name: &str) {
    let doc = load(name);
    let before = markup(&doc);
    let sources: Vec<String> = doc.segments.iter().map(|s| s.source.clone()).collect();
    let original = doc.text.clone();
    let outcome = fix(doc);
    let fixed = &outcome.document;
    assert_ne!(fixed.text, original, "{name}: nothing was fixed");
    assert_eq!(markup(fixed), before, "{name}: fix touched bytes outside target text");
    let after: Vec<String> = fixed.segments.iter().map(|s| s.source.clone()).collect();
    assert_eq!(after, sources, "{name}: sources changed");
    // Reading the fixed text again in its format works, and fixing again changes nothing.
    let again = linter()
        .parse_as(name, fixed.text.clone(), fixed.format, Some(&fixed.language))
        .unwrap();
    let outcome2 = fix(again);
    assert_eq!(outcome2.document.text, fixed.text, "{name}: fix is not idempotent");
}

#[test]
fn fix_round_trips_keep_every_byte_outside_targets() {
    for name in ["xliff12.xlf", "xliff20.xlf", "messages.po", "memory.tmx", "pairs.tsv"] {
        assert_round_trip(name);
    }
    for name in ["lighting-fair.tsv", "lighting-fair.xlf"] {
        let path = Path::new("samples/bilingual").join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = linter().parse(name, text, &path).unwrap();
        let before = markup(&doc);
        let outcome = fix(doc);
        assert_eq!(markup(&outcome.document), before, "{name}");
    }
}

#[test]
fn fixes_in_xml_escape_what_they_insert() {
    // A replacement holding `&` must be written as `&amp;` in XLIFF.
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("r.toml");
    std::fs::write(
        &rules,
        "[pack]\nname = \"house\"\n\n[[rule]]\nid = \"rnd\"\nkind = \"term\"\nvariants = [\"research centre\"]\nreplace = \"R&D centre\"\nexamples = [{ bad = \"a research centre\", good = \"a R&D centre\" }]\n",
    )
    .unwrap();
    let xlf = dir.path().join("a.xlf");
    let original = "<xliff version=\"1.2\"><file source-language=\"zh\" target-language=\"en\"><body><trans-unit id=\"1\"><source>研发中心</source><target>The research centre</target></trans-unit></body></file></xliff>\n";
    std::fs::write(&xlf, original).unwrap();
    Command::cargo_bin("mtlint")
        .unwrap()
        .args(["fix", "--select", "house", "--rules"])
        .arg(&rules)
        .arg(&xlf)
        .assert()
        .success();
    let fixed = std::fs::read_to_string(&xlf).unwrap();
    assert_eq!(fixed, original.replace("The research centre", "The R&amp;D centre"));
}

#[test]
fn malformed_files_get_line_and_column() {
    let out = Command::cargo_bin("mtlint")
        .unwrap()
        .args(["check", "--format", "concise"])
        .arg(Path::new(FIXTURES).join("broken.xlf"))
        .arg(Path::new(FIXTURES).join("broken.po"))
        .arg(Path::new(FIXTURES).join("pairs.tsv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a malformed file makes the exit status 2");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("malformed XLIFF at line 3, column"), "{all}");
    assert!(
        all.contains("malformed PO file at line 5, column 8: unterminated string"),
        "{all}"
    );
    // The other files are still checked.
    assert!(all.contains("bilingual/number-mismatch"), "{all}");
}

#[test]
fn input_format_overrides_detection() {
    let file = Path::new(FIXTURES).join("notes.txt");
    let as_text = Command::cargo_bin("mtlint")
        .unwrap()
        .args(["check", "--format", "concise", "--select", "bilingual"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        as_text.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&as_text.stdout)
    );
    let as_tsv = Command::cargo_bin("mtlint")
        .unwrap()
        .args([
            "check",
            "--format",
            "concise",
            "--select",
            "bilingual",
            "--input-format",
            "tsv",
        ])
        .arg(&file)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&as_tsv.stdout);
    assert_eq!(as_tsv.status.code(), Some(1), "{out}");
    assert!(
        out.contains("notes.txt:1:12: bilingual/number-mismatch: \"18\" does not match 181 in the source"),
        "{out}"
    );
    let bad = Command::cargo_bin("mtlint")
        .unwrap()
        .args(["check", "--input-format", "docx"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown input format `docx`"));
}

#[test]
fn directories_walk_bilingual_extensions() {
    let out = Command::cargo_bin("mtlint")
        .unwrap()
        .args(["check", "--format", "concise", "--quiet", "samples/bilingual"])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("lighting-fair.tsv:"), "{s}");
    assert!(s.contains("lighting-fair.xlf:"), "{s}");
}

#[test]
fn bilingual_sample_shows_every_finding_class() {
    // The done-criterion of bilingual support: numbers, untranslated, terms and tags.
    for name in ["lighting-fair.tsv", "lighting-fair.xlf"] {
        let path = Path::new("samples/bilingual").join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = linter().parse(name, text, &path).unwrap();
        let ids: Vec<String> = check(&doc).iter().map(|d| d.rule_id().to_string()).collect();
        for want in [
            "bilingual/number-mismatch",
            "bilingual/empty-target",
            "bilingual/source-script-left",
            "zh-en/source-term",
            "bilingual/placeholder-missing",
        ] {
            assert!(ids.iter().any(|i| i == want), "{name}: no {want} in {ids:?}");
        }
    }
}

#[test]
fn shipped_source_aware_rules_pass_their_examples() {
    let rules: Vec<_> = mtlint::config::builtin_rules()
        .unwrap()
        .iter()
        .filter(|r| r.pack.name == "bilingual" || r.full_id() == "zh-en/source-term")
        .cloned()
        .collect();
    assert!(rules.len() >= 10);
    let (stats, failures) = mtlint::rule_examples::run(&rules);
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(stats.examples >= 25);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Text made of the pieces that matter to the parsers: markup, entities, escapes, tabs,
    /// quotes, CJK and the words rules look for.
    fn pieces() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "<",
            ">",
            "&",
            "&amp;",
            ";",
            "\"",
            "\\",
            "\\\"",
            "\t",
            "\n",
            "\r\n",
            " ",
            "msgid ",
            "msgstr ",
            "#",
            "<target>",
            "</target>",
            "<source>",
            "</source>",
            "<g id=\"1\">",
            "</g>",
            "<x id=\"2\"/>",
            "<![CDATA[",
            "]]>",
            "<!--",
            "-->",
            "ancient town",
            "party construction",
            "古镇",
            "党建",
            "181",
            "18",
            "{0}",
            "%s",
            " .",
            "```",
            "`",
            "*",
            "[a](http://b)",
            "---",
        ]);
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    fn wrap(format: InputFormat, body: &str) -> String {
        match format {
            InputFormat::Xliff => format!(
                "<xliff version=\"1.2\"><file source-language=\"zh\" target-language=\"en\"><body><trans-unit id=\"1\"><source>古镇 181 {{0}}</source><target>{body}</target></trans-unit></body></file></xliff>"
            ),
            InputFormat::Po => format!("msgid \"古镇 181\"\nmsgstr \"{body}\"\n"),
            InputFormat::Tsv => format!("古镇 181\t{body}\n"),
            _ => body.to_string(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Any input either parses or gets a placed error; checking and fixing never panic,
        /// and fixing never changes a byte outside target text.
        #[test]
        fn parse_check_fix_never_break_markup(body in pieces(), which in 0usize..6) {
            let format = [
                InputFormat::Xliff, InputFormat::Po, InputFormat::Tsv, InputFormat::Tmx,
                InputFormat::Markdown, InputFormat::Text,
            ][which];
            let text = wrap(format, &body);
            let linter = linter();
            match linter.parse_as("p", text.clone(), format, Some("en")) {
                Err(FileError::Format(e)) => {
                    prop_assert!(e.line >= 1 && e.column >= 1);
                    prop_assert!(e.offset <= text.len());
                }
                Err(e) => prop_assert!(false, "not a format error: {e}"),
                Ok(doc) => {
                    let before = markup(&doc);
                    let outcome = fix(doc);
                    let reread = linter.parse_as("p", outcome.document.text.clone(), format, Some("en"));
                    prop_assert!(reread.is_ok(), "fixed text no longer parses: {:?}", outcome.document.text);
                    if format != InputFormat::Text {
                        prop_assert_eq!(markup(&reread.unwrap()), before);
                    }
                }
            }
        }
    }
}

#[test]
fn inserted_text_is_escaped_for_each_format() {
    let doc = |format, text: &str| Document::parse("x", text.to_string(), Some("en"), format).unwrap();
    let xlf = doc(
        InputFormat::Xliff,
        "<xliff version=\"1.2\"><file><body><trans-unit id=\"1\"><source>a</source><target>b</target></trans-unit></body></file></xliff>",
    );
    assert_eq!(xlf.encode("R&D <b>").as_deref(), Some("R&amp;D &lt;b&gt;"));
    let po = doc(InputFormat::Po, "msgid \"a\"\nmsgstr \"b\"\n");
    assert_eq!(po.encode("say \"hi\"\\n").as_deref(), Some("say \\\"hi\\\"\\\\n"));
    let tsv = doc(InputFormat::Tsv, "a\tb\n");
    assert_eq!(tsv.encode("two\tcells"), None, "a tab would make a third column");
    assert_eq!(tsv.encode("R&D").as_deref(), Some("R&D"));
}
