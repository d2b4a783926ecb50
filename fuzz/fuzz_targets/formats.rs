//! Every input format (Markdown, XLIFF, PO, TMX, TSV) on arbitrary bytes: parsing never panics
//! (a malformed file is an error value), every diagnostic lies on character boundaries,
//! fixing converges, the fixed file still parses in its format, and fixing it again changes
//! nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mtlint::diagnostic::Applicability;
use mtlint::document::Document;
use mtlint::fix::fix_document;
use mtlint::formats::InputFormat;
use mtlint::input;
use mtlint_fuzz::assert_well_formed;

const FORMATS: [InputFormat; 5] = [
    InputFormat::Markdown,
    InputFormat::Xliff,
    InputFormat::Po,
    InputFormat::Tmx,
    InputFormat::Tsv,
];

fuzz_target!(init: mtlint_fuzz::warm_up(), |data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let format = FORMATS[pick as usize % FORMATS.len()];
    let Ok((text, _)) = input::decode_lossy(bytes.to_vec()) else {
        return;
    };
    let doc = match Document::parse("fuzz", text, None, format) {
        Ok(d) => d,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    let engine = mtlint_fuzz::engines().for_document(&doc).expect("shipped packs compile");
    for d in &engine.check(&doc) {
        assert_well_formed(&doc, d);
    }
    let first = fix_document(&engine, doc, Applicability::Unsafe, None);
    let fixed = first.document.text.clone();
    if !first.not_converged.is_empty() {
        return;
    }
    let reparsed = Document::parse("fuzz", fixed.clone(), Some(&first.document.language), format)
        .unwrap_or_else(|e| panic!("the fixed file no longer parses as {format:?}: {e}"));
    let again = fix_document(&engine, reparsed, Applicability::Unsafe, None);
    assert_eq!(again.document.text, fixed, "a second fix pass changed the text: {:?}", again.applied);
});
