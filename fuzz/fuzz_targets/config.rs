//! `mtlint.toml` is untrusted input: loading any text as a config (with a rule file beside it
//! that `rules = [...]` may name) ends in a profile or a clear error, never a panic.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mtlint::api::{Linter, Settings};

const HOUSE: &str = r#"[pack]
name = "house"
target = "en"

[[rule]]
id = "lamp"
kind = "term"
variants = ["lamp shade"]
replace = "lampshade"
"#;

fn dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = tempfile::tempdir().expect("temporary directory");
        std::fs::write(d.path().join("house.toml"), HOUSE).expect("write house.toml");
        d
    })
    .path()
}

fuzz_target!(|data: &[u8]| {
    let path: PathBuf = dir().join("mtlint.toml");
    std::fs::write(&path, data).expect("write config");
    let linter = match Linter::new(&Settings {
        config: Some(path.clone()),
        ..Settings::default()
    }) {
        Ok(l) => l,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let profile = linter.profile();
    for file in ["a.txt", "drafts/b.md", "x/y/z.markdown", "c.po"] {
        let p = dir().join(file);
        let _ = profile.wants(&p);
        let _ = profile.ignored_for(&p);
    }
    let lang = profile.lang.clone().unwrap_or_else(|| "en".into());
    let text = "The lamp shade , \"quoted\" text.".to_string();
    if let Ok(doc) = linter.parse_as("a.txt", text, mtlint::formats::InputFormat::Text, Some(&lang)) {
        let _ = linter.check_document(&doc, Some(&dir().join("a.txt")));
    }
});
