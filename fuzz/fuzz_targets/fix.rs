//! The fix engine on arbitrary text with every shipped pack (safe and unsafe fixes): applying
//! fixes never panics and yields valid UTF-8, fixing converges within the pass limit, and
//! fixing the result again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mtlint::input;
use mtlint_fuzz::{assert_well_formed, fix, pick_language, text_document};

fuzz_target!(init: mtlint_fuzz::warm_up(), |data: &[u8]| {
    let (lang, bytes) = pick_language(data);
    let Ok((text, _)) = input::decode_lossy(bytes.to_vec()) else {
        return;
    };
    let doc = text_document(text, lang);
    let lang = doc.language.clone();
    let first = fix(doc);
    let fixed = first.document.text.clone();
    assert!(std::str::from_utf8(fixed.as_bytes()).is_ok());
    for d in &first.remaining {
        assert_well_formed(&first.document, d);
    }
    assert!(
        first.not_converged.is_empty(),
        "fixes do not converge: {:?}",
        first.not_converged
    );
    let again = fix(text_document(fixed.clone(), Some(&lang)));
    assert_eq!(
        again.total_applied(),
        0,
        "a second fix pass applied {:?}",
        again.applied
    );
    assert_eq!(again.document.text, fixed, "a second fix pass changed the text");
});
