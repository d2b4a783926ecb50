//! Rule files are untrusted input: parsing, validating and compiling any text must end in
//! rules or a placed error, never a panic; rules that load must run their own examples and
//! check text without panicking.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mtlint::config::rulefile::parse_rule_file;
use mtlint::document::Document;
use mtlint::engine::Engine;
use mtlint_fuzz::assert_well_formed;

const SAMPLE: &str = "The \"ancient town\" of Guzhen , its R & D  centre and  1, the lamps.\n\nIn January 18, 2016 the meeting ended .「引号」 ";

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let rules = match parse_rule_file(Path::new("fuzz.toml"), source) {
        Ok(rules) => rules,
        Err(e) => {
            assert!(e.line >= 1 && e.column >= 1, "error placed at line 0: {e}");
            let _ = e.to_string();
            return;
        }
    };
    // The engine itself: the fuzzed file's rules alone, compiled as they are (a profile would
    // add the shipped packs and the config's checks around them).
    let Ok(engine) = Engine::new(&rules, &[]) else {
        return;
    };
    let _ = mtlint::rule_examples::run(&rules);
    for text in [SAMPLE, source] {
        let doc = Document::new("fuzz.txt", text.to_string(), Some("en"));
        for d in engine.check(&doc) {
            assert_well_formed(&doc, &d);
        }
    }
});
