//! The engine on arbitrary bytes, with every shipped pack: reading, checking, every output
//! format and both reports must never panic, and every diagnostic must point inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mtlint::input;
use mtlint::output::{self, FileReport, Format, HumanOptions, RuleCatalog};
use mtlint::report::{html, markdown, Batch};
use mtlint_fuzz::{assert_well_formed, check, pick_language, text_document};

fuzz_target!(init: mtlint_fuzz::warm_up(), |data: &[u8]| {
    let (lang, bytes) = pick_language(data);
    let Ok((text, _)) = input::decode_lossy(bytes.to_vec()) else {
        return;
    };
    let doc = text_document(text, lang);
    let diagnostics = check(&doc);
    for d in &diagnostics {
        assert_well_formed(&doc, d);
    }
    let report = FileReport::checked("fuzz.txt", doc, diagnostics);
    let reports = [report];
    let human = HumanOptions {
        summary: true,
        fix_hint: true,
        ..HumanOptions::default()
    };
    for format in [
        Format::Human,
        Format::Concise,
        Format::Json,
        Format::Jsonl,
        Format::Github,
        Format::Sarif,
        Format::Junit,
        Format::Gitlab,
    ] {
        let mut out = Vec::new();
        let opts = output::EmitOptions {
            human: human.clone(),
            rules: std::sync::Arc::new(output::RuleCatalog::new(mtlint_fuzz::profile().all_rules())),
            fail_on: mtlint::diagnostic::Severity::Warning,
        };
        output::write(format, &reports, &mut out, &opts).expect("writing to memory");
        let out = String::from_utf8(out).expect("output is UTF-8");
        if matches!(format, Format::Json | Format::Sarif | Format::Gitlab) {
            serde_json::from_str::<serde_json::Value>(&out).expect("json output parses");
        }
    }
    let catalog = RuleCatalog::default();
    let batch = Batch::new(&reports, &catalog);
    let html = html::render(&batch, &html::HtmlOptions::default());
    assert!(html.ends_with("</html>") || html.ends_with("</html>\n"), "the HTML report is cut short");
    let _ = markdown::render(&batch, 1 << 20);
});
