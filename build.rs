//! Writes the typos project's list of misspellings (the `typos-dict` crate) as four flat
//! files the binary includes: the misspellings sorted, their corrections, and where each ends.
//!
//! The crate itself holds the list as a perfect-hash map of string slices: some 240,000
//! pointers the dynamic loader has to relocate at every start (about 6 ms and 10 MB of
//! resident memory in a run that checks one small file). Flat bytes and offsets need none,
//! and are searched by bisection (`src/checks/spelling/typos.rs`).

use std::io::Write;
use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let mut entries: Vec<(String, String)> = typos_dict::WORD
        .map
        .entries()
        .map(|(key, corrections)| {
            // In lower case, as lookups lower the word's case (a few keys are not ASCII:
            // `сontain` with a Cyrillic `с`).
            let key = key.into_inner().to_lowercase();
            for c in corrections.iter() {
                assert!(!c.contains('\0'), "typos-dict correction {c:?} holds a NUL");
            }
            (key, corrections.join("\0"))
        })
        .collect();
    entries.sort();
    for w in entries.windows(2) {
        assert!(
            w[0].0 != w[1].0,
            "typos-dict key {:?} twice (after folding case)",
            w[0].0
        );
    }
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out);
    write_table(out, "typos-keys", entries.iter().map(|(k, _)| k.as_str()));
    write_table(out, "typos-corrections", entries.iter().map(|(_, v)| v.as_str()));
}

/// Writes `items` joined as `NAME.txt` and the end of each, as little-endian u32, as `NAME.ends`.
fn write_table<'a>(out: &Path, name: &str, items: impl Iterator<Item = &'a str>) {
    let mut text = Vec::new();
    let mut ends = Vec::new();
    for item in items {
        text.extend_from_slice(item.as_bytes());
        let end = u32::try_from(text.len()).expect("the typos list fits in 4 GB");
        ends.extend_from_slice(&end.to_le_bytes());
    }
    let write = |file: String, bytes: &[u8]| {
        let mut f = std::fs::File::create(out.join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        f.write_all(bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
    };
    write(format!("{name}.txt"), &text);
    write(format!("{name}.ends"), &ends);
}
