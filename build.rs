//! Writes, for the binary to include:
//!
//! - The typos project's list of misspellings (the `typos-dict` crate) as four flat files: the
//!   misspellings sorted, their corrections, and where each ends. The crate itself holds the
//!   list as a perfect-hash map of string slices: some 240,000 pointers the dynamic loader has
//!   to relocate at every start (about 6 ms and 10 MB of resident memory in a run that checks
//!   one small file). Flat bytes and offsets need none, and are searched by bisection
//!   (`src/checks/spelling/typos.rs`).
//! - The shipped rule files (`rules/*/*.toml`) parsed: each file's `[pack]` table and its
//!   rules' tables with their lines, in the binary form `src/packs/shipped.rs` reads.
//!   Parsing their 200 KB of TOML was a quarter of a run over one small file.

use std::io::Write;
use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=rules");
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
    write_shipped_rules(out);
}

/// A shipped rule file as the binary reads it: its `[pack]` table and its `[[rule]]` tables
/// with where each starts (unknown top-level tables are refused, as the binary's reader does).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    pack: toml::Table,
    #[serde(default)]
    rule: Vec<toml::Spanned<toml::Table>>,
}

/// Writes `shipped-rules.bin`: for each file of `rules/<dir>/*.toml`, in path order (as
/// `packs::builtin_sources` lists them), its path under `rules/`, then either `u32::MAX`
/// (the file is read from its TOML, which then reports what is wrong with it) or its `[pack]`
/// table, the length in bytes of what follows, the number of rules, and each rule's line and
/// table (the length lets the `[pack]` tables be read alone). Numbers are little-endian u32.
fn write_shipped_rules(out: &Path) {
    let mut files = Vec::new();
    for dir in std::fs::read_dir("rules").expect("rules/ is readable") {
        let dir = dir.expect("rules/ is readable").path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).expect("a pack directory is readable") {
            let file = file.expect("a pack directory is readable").path();
            if file.extension().is_some_and(|e| e == "toml") {
                files.push(file);
            }
        }
    }
    // The binary lists them by their paths under `rules/`, as `include_dir` gives them.
    files.sort_by_key(|f| {
        let rel = f.strip_prefix("rules").expect("under rules/").to_path_buf();
        (rel.parent().map(Path::to_path_buf), rel)
    });
    let mut bin = Vec::new();
    for file in files {
        let rel = file.strip_prefix("rules").expect("under rules/");
        put_str(&mut bin, rel.to_str().expect("a rule file's path is UTF-8"));
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        match toml::from_str::<RuleFile>(&text) {
            Ok(parsed) => {
                put_table(&mut bin, &parsed.pack);
                let mut rules = Vec::new();
                put_len(&mut rules, parsed.rule.len());
                for rule in &parsed.rule {
                    // The line of the rule's table, as the TOML reader counts it.
                    let line = 1 + text.as_bytes()[..rule.span().start]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count();
                    put_len(&mut rules, line);
                    put_table(&mut rules, rule.get_ref());
                }
                put_len(&mut bin, rules.len());
                bin.extend_from_slice(&rules);
            }
            Err(_) => bin.extend_from_slice(&u32::MAX.to_le_bytes()),
        }
    }
    std::fs::write(out.join("shipped-rules.bin"), bin).expect("OUT_DIR is writable");
}

fn put_len(bin: &mut Vec<u8>, n: usize) {
    let n = u32::try_from(n).expect("a shipped rule file's sizes fit in u32");
    assert!(n != u32::MAX, "a shipped rule file's sizes fit in u32");
    bin.extend_from_slice(&n.to_le_bytes());
}

fn put_str(bin: &mut Vec<u8>, s: &str) {
    put_len(bin, s.len());
    bin.extend_from_slice(s.as_bytes());
}

fn put_table(bin: &mut Vec<u8>, table: &toml::Table) {
    put_len(bin, table.len());
    for (key, value) in table {
        put_str(bin, key);
        put_value(bin, value);
    }
}

/// One value: a tag byte (`s`tring, `i`nteger, `f`loat, `b`oolean, `a`rray, `t`able), then
/// its content.
fn put_value(bin: &mut Vec<u8>, value: &toml::Value) {
    match value {
        toml::Value::String(s) => {
            bin.push(b's');
            put_str(bin, s);
        }
        toml::Value::Integer(i) => {
            bin.push(b'i');
            bin.extend_from_slice(&i.to_le_bytes());
        }
        toml::Value::Float(f) => {
            bin.push(b'f');
            bin.extend_from_slice(&f.to_bits().to_le_bytes());
        }
        toml::Value::Boolean(b) => bin.extend_from_slice(&[b'b', u8::from(*b)]),
        toml::Value::Array(items) => {
            bin.push(b'a');
            put_len(bin, items.len());
            for item in items {
                put_value(bin, item);
            }
        }
        toml::Value::Table(table) => {
            bin.push(b't');
            put_table(bin, table);
        }
        toml::Value::Datetime(_) => panic!("a shipped rule file holds a date, which no rule reads"),
    }
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
