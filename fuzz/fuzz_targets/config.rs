//! `mtlint.toml` is untrusted input: loading any text as a config (with a rule file beside it
//! that `rules = [...]` may name) ends in a profile or a clear error, never a panic.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mtlint::config::{Overrides, Profile};
use mtlint::document::Document;

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
    let profile = match Profile::load(Some(&path), &Overrides::default()) {
        Ok(p) => p,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    for file in ["a.txt", "drafts/b.md", "x/y/z.markdown", "c.po"] {
        let p = dir().join(file);
        let _ = profile.wants(&p);
        let _ = profile.ignored_for(&p);
    }
    let lang = profile.lang.clone().unwrap_or_else(|| "en".into());
    if let Ok(engine) = mtlint::engine::Engine::for_language(&profile, &lang) {
        let doc = Document::new("a.txt", "The lamp shade , \"quoted\" text.".into(), Some(&lang));
        let _ = engine.check(&doc);
    }
});
