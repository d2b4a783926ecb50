//! Every input format (Markdown, XLIFF, PO, TMX, TSV) on arbitrary bytes: parsing never panics
//! (a malformed file is an error value), every diagnostic lies on character boundaries,
//! fixing converges, the fixed file still parses in its format, and fixing it again changes
//! nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mtlint::formats::InputFormat;
use mtlint::input;
use mtlint_fuzz::{assert_well_formed, check, fix, linter};

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
    let doc = match linter().parse_as("fuzz", text, format, None) {
        Ok(d) => d,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    for d in &check(&doc) {
        assert_well_formed(&doc, d);
    }
    let first = fix(doc);
    let fixed = first.document.text.clone();
    if !first.not_converged.is_empty() {
        return;
    }
    let reparsed = linter()
        .parse_as("fuzz", fixed.clone(), format, Some(&first.document.language))
        .unwrap_or_else(|e| panic!("the fixed file no longer parses as {format:?}: {e}"));
    let again = fix(reparsed);
    assert_eq!(again.document.text, fixed, "a second fix pass changed the text: {:?}", again.applied);
});
