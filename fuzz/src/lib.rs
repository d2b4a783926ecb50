//! What the fuzz targets share: a linter with every shipped pack, each language compiled once,
//! and the invariants every diagnostic must hold.

use std::sync::OnceLock;

use mtlint::api::{Linter, Settings};
use mtlint::config::{builtin_rules, Profile};
use mtlint::diagnostic::{Applicability, Diagnostic};
use mtlint::document::Document;
use mtlint::fix::FixOutcome;
use mtlint::formats::InputFormat;

/// Target languages of the shipped packs, plus one no pack targets.
pub fn languages() -> &'static [String] {
    static LANGS: OnceLock<Vec<String>> = OnceLock::new();
    LANGS.get_or_init(|| {
        let mut langs: Vec<String> = builtin_rules()
            .expect("shipped packs load")
            .iter()
            .filter_map(|r| r.pack.target.clone())
            .collect();
        langs.push("und".into());
        langs.sort();
        langs.dedup();
        langs
    })
}

/// The profile of a run with no config: every shipped pack.
pub fn profile() -> &'static Profile {
    linter().profile()
}

/// The linter of a run with no config (every shipped pack), compiling each language's rules
/// once: what `mtlint check` and `mtlint fix` run.
pub fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| Linter::new(&Settings::default()).expect("default profile loads"))
}

/// `text` as a plain-text file, in `lang` (detected when `None`).
pub fn text_document(text: String, lang: Option<&str>) -> Document {
    linter()
        .parse_as("fuzz.txt", text, InputFormat::Text, lang)
        .expect("plain text always parses")
}

/// The findings in `doc`, as `mtlint check` reports them.
pub fn check(doc: &Document) -> Vec<Diagnostic> {
    linter().check_document(doc, None).expect("shipped packs compile")
}

/// `doc` fixed as `mtlint fix --unsafe-fixes` fixes it.
pub fn fix(doc: Document) -> FixOutcome {
    linter()
        .fix_document(doc, None, Applicability::Unsafe, Default::default())
        .expect("shipped packs compile")
}

/// Builds every language's engine (dictionaries included) before the first input, so that
/// start-up, slow under AddressSanitizer, is not charged to an input's `-timeout`.
pub fn warm_up() {
    for lang in languages() {
        let _ = check(&text_document(String::new(), Some(lang)));
    }
}

/// Splits fuzz input into a language choice (first byte) and the file's bytes.
pub fn pick_language(data: &[u8]) -> (Option<&'static str>, &[u8]) {
    match data.split_first() {
        None => (None, data),
        Some((&b, rest)) => {
            let langs = languages();
            let i = b as usize % (langs.len() + 1);
            // One choice in n leaves the language to detection, as a run with no `--lang` does.
            (langs.get(i).map(String::as_str), rest)
        }
    }
}

/// Every span and edit of `d` lies inside the text and on character boundaries; edits of one
/// fix never overlap.
pub fn assert_well_formed(doc: &Document, d: &Diagnostic) {
    let text = &doc.text;
    let on_boundaries = |s: mtlint::span::Span| {
        s.start <= s.end && s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end)
    };
    assert!(on_boundaries(d.span), "{}: span {:?} off the text", d.rule_id(), d.span);
    for l in &d.labels {
        assert!(
            on_boundaries(l.span),
            "{}: label {:?} off the text",
            d.rule_id(),
            l.span
        );
    }
    if let Some(fix) = &d.fix {
        for e in &fix.edits {
            assert!(on_boundaries(e.span), "{}: edit {:?} off the text", d.rule_id(), e.span);
        }
        let mut spans: Vec<_> = fix.edits.iter().map(|e| e.span).collect();
        spans.sort();
        for w in spans.windows(2) {
            assert!(
                !w[0].overlaps(w[1]),
                "{}: edits {:?} and {:?} overlap",
                d.rule_id(),
                w[0],
                w[1]
            );
        }
    }
}
