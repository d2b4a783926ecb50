//! Markdown: only prose is linted; code, URLs, HTML and front matter are never flagged;
//! suppression comments work; `fix` leaves every byte of markup as it was.

use std::path::Path;

use assert_cmd::Command;
use mtlint::api::{Linter, Settings};
use mtlint::config::Overrides;
use mtlint::diagnostic::{Applicability, Diagnostic};
use mtlint::document::Document;
use mtlint::fix::FixOutcome;

const ARTICLE: &str = "tests/fixtures/formats/article.md";

/// The shipped packs with `--lang en`, as `mtlint` runs them without a config.
fn linter() -> &'static Linter {
    static LINTER: std::sync::OnceLock<Linter> = std::sync::OnceLock::new();
    LINTER.get_or_init(|| {
        let overrides = Overrides {
            lang: Some("en".into()),
            ..Overrides::default()
        };
        Linter::new(&Settings {
            overrides,
            ..Settings::default()
        })
        .unwrap()
    })
}

/// `text` read as a file called `article.md` (Markdown by its extension).
fn load(text: String) -> Document {
    linter().document(text, Some("article.md")).unwrap()
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

#[test]
fn findings_and_fix_snapshot() {
    let text = std::fs::read_to_string(ARTICLE).unwrap();
    let doc = load(text.clone());
    let mut out = String::new();
    for d in check(&doc) {
        let lc = doc.line_index().line_col(&doc.text, d.span.start);
        out.push_str(&format!(
            "{}:{} {}: {} {:?}\n",
            lc.line,
            lc.column,
            d.rule_id(),
            d.message,
            d.span.text(&doc.text)
        ));
    }
    let outcome = fix(doc);
    out.push_str("--- fix ---\n");
    let diff = similar::TextDiff::from_lines(&text, &outcome.document.text);
    out.push_str(&diff.unified_diff().context_radius(0).to_string());
    insta::assert_snapshot!(out);
}

#[test]
fn code_urls_html_and_front_matter_are_never_flagged() {
    let text = std::fs::read_to_string(ARTICLE).unwrap();
    let doc = load(text.clone());
    let diags = check(&doc);
    let line_of = |needle: &str| text[..text.find(needle).unwrap()].matches('\n').count() + 1;
    let flagged_lines: Vec<usize> = diags
        .iter()
        .map(|d| doc.line_index().line_col(&doc.text, d.span.start).line)
        .collect();
    for untouchable in [
        "title: The ancient town",
        "tags: [party construction]",
        "The ancient town  .  party construction",
        "indented code: the ancient town .",
        "Party construction is discussed here",
        "The ancient town , left alone.",
    ] {
        let l = line_of(untouchable);
        assert!(
            !flagged_lines.contains(&l),
            "line {l} ({untouchable:?}) was flagged: {diags:#?}"
        );
    }
    for d in &diags {
        let s = d.span.text(&doc.text);
        assert!(!s.contains("https://"), "a URL was flagged: {s:?}");
        assert!(!s.contains('`'), "inline code was flagged: {s:?}");
        assert!(!s.contains("<span"), "HTML was flagged: {s:?}");
    }
    // Prose around all that is still checked: the heading, the paragraph, the link text, the list.
    for prose in [
        "# Lighting in the ancient town",
        "The ancient town of Guzhen hosts",
        "[the ancient town guide]",
        "- Party construction in the **ancient town** .",
    ] {
        let l = line_of(prose);
        assert!(flagged_lines.contains(&l), "line {l} ({prose:?}) was not flagged");
    }
}

#[test]
fn fix_leaves_markup_untouched() {
    let text = std::fs::read_to_string(ARTICLE).unwrap();
    let doc = load(text.clone());
    let markup = |d: &Document| -> Vec<String> {
        let mut spans: Vec<_> = d.masked.iter().chain(&d.inline_masked).copied().collect();
        spans.sort();
        spans.into_iter().map(|s| s.text(&d.text).to_string()).collect()
    };
    let before = markup(&doc);
    let outcome = fix(doc);
    let fixed = &outcome.document.text;
    assert_ne!(fixed, &text);
    assert_eq!(markup(&outcome.document), before);
    assert!(fixed.contains("(https://example.com/the-ancient-town \"the ancient town\")"));
    assert!(fixed.contains("```text\nThe ancient town  .  party construction\n```"));
    // The article sits outside the emphasis markers, which no fix may cross, so it stays.
    assert!(fixed.contains("- Party building in the **Guzhen**."), "{fixed}");
}

/// A fix that would make a line start block syntax is withheld: without its space, `181 .`
/// would start an ordered list. The finding is still reported.
#[test]
fn no_fix_turns_a_line_into_block_syntax() {
    let text = "Visitors this year:\n181 .\n\nThe hall seats 200 .\n".to_string();
    let doc = load(text.clone());
    let found = check(&doc);
    let at = |needle: &str| text.find(needle).unwrap();
    let spaced: Vec<_> = found
        .iter()
        .filter(|d| d.rule_id() == "en/space-before-punctuation")
        .collect();
    assert_eq!(spaced.len(), 2, "{found:?}");
    assert!(spaced
        .iter()
        .any(|d| d.span.start > at("181") && d.span.start < at("The") && d.fix.is_none()));
    let fixed = fix(doc).document.text;
    assert_eq!(fixed, "Visitors this year:\n181 .\n\nThe hall seats 200.\n");
}

#[test]
fn sentences_do_not_run_across_blocks() {
    // A code block between two short paragraphs is not part of any sentence.
    let code = "word ".repeat(200);
    let text = format!("A short line.\n\n```\n{code}\n```\n\nAnother short line.\n");
    let doc = load(text);
    let sentences: Vec<&str> = doc.sentences().iter().map(|s| s.text(&doc.text)).collect();
    assert_eq!(sentences, ["A short line.", "Another short line."]);
    assert!(check(&doc)
        .iter()
        .all(|d| !d.rule_id().contains("run-on") && !d.rule_id().contains("sentence")));
}

#[test]
fn cli_reads_markdown_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("a.md");
    let original = "Use `the ancient town` in Guzhen, see https://x.example/ancient-town .\n";
    std::fs::write(&md, original).unwrap();
    let out = Command::cargo_bin("mtlint")
        .unwrap()
        .args(["check", "--format", "concise", "--lang", "en"])
        .arg(&md)
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(!s.contains("guzhen"), "{s}");
    // As plain text, the same file is flagged inside the backticks.
    let out = Command::cargo_bin("mtlint")
        .unwrap()
        .args(["check", "--format", "concise", "--lang", "en", "--input-format", "text"])
        .arg(&md)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("zh-en/guzhen"));
    assert!(Path::new(&md).exists());
}

/// A translated page that keeps its English original in HTML comments, as translated
/// documentation sites do, is in the language of its prose: the comments and code blocks do
/// not decide it. Detected as English, the French prose got English spelling findings.
#[test]
fn language_is_detected_from_prose_not_comments_or_code() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("guide.md");
    let english = "<!--\nThis chapter explains how the build tool downloads the packages that \
                   your project depends on and how it keeps them up to date for you.\n-->\n\n";
    let code =
        "```\nlet total = items.iter().map(|item| item.price).sum();\nprintln!(\"the total is {}\", total);\n```\n\n";
    let french = "Ce chapitre explique comment l'outil télécharge les paquets dont votre projet \
                  dépend et comment il les garde à jour.\n\n";
    std::fs::write(&md, format!("{english}{english}{english}{code}{code}{french}")).unwrap();
    let out = Command::cargo_bin("mtlint")
        .unwrap()
        .args(["check", "--format", "json"])
        .arg(&md)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let file = &report["files"][0];
    assert_eq!(file["language"], "fr", "{report:#}");
    let rules: Vec<&str> = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(rules.iter().all(|r| !r.starts_with("en/")), "{rules:?}");
}
