//! In-process throughput of the per-file pipeline (`api::Linter`) on the English benchmark
//! articles (`benches/data/en`):
//! `check` and `fix` over about 1 MB of documents of 5–20 KB, and `check` with glossaries of
//! 10, 1,000 and 10,000 `term` entries added to the shipped packs.
//!
//! `cargo bench --bench check`. End-to-end numbers (the CLI on corpora of 1–100 MB, threads,
//! start-up, memory, other tools) come from `scripts/bench`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use divan::counter::BytesCount;
use divan::Bencher;
use mtlint::api::{Linter, Settings};
use mtlint::config::{Overrides, Profile};
use mtlint::diagnostic::Applicability;
use mtlint::engine::Engine;

fn main() {
    divan::main();
}

const CORPUS_BYTES: usize = 1 << 20;

/// The benchmark articles, split into paragraphs.
fn articles() -> Vec<Vec<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/en");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("benches/data/en exists")
        .map(|e| e.expect("readable directory").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("readable article");
            text.split("\n\n")
                .filter(|s| !s.trim().is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// A small deterministic generator, so every run checks the same documents.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// About `total` bytes of documents of 5–20 KB: whole articles in random order.
fn corpus(total: usize) -> Vec<String> {
    let arts = articles();
    let mut rng = Lcg(2026);
    let mut docs = Vec::new();
    let mut size = 0;
    while size < total {
        let target = 5 * 1024 + rng.below(15 * 1024);
        let mut doc = String::new();
        while doc.len() < target {
            for p in &arts[rng.below(arts.len())] {
                doc.push_str(p);
                doc.push_str("\n\n");
            }
        }
        size += doc.len();
        docs.push(doc);
    }
    docs
}

/// `--lang en` with the shipped packs and the rule files `rules`.
fn overrides(rules: Vec<PathBuf>) -> Overrides {
    Overrides {
        lang: Some("en".into()),
        rules,
        ..Overrides::default()
    }
}

/// A linter with its English rules compiled, so that the benchmarks measure checking only.
fn linter(rules: Vec<PathBuf>) -> Linter {
    let linter = Linter::new(&Settings {
        overrides: overrides(rules),
        ..Settings::default()
    })
    .expect("shipped packs load");
    linter.check(String::new(), None).expect("engine compiles");
    linter
}

/// The findings in each of `docs`, as `mtlint check --lang en` gives them.
fn check_all(linter: &Linter, docs: &[String]) -> usize {
    docs.iter()
        .map(|d| {
            let doc = linter
                .document(d.clone(), Some("bench.txt"))
                .expect("plain text parses");
            linter.check_document(&doc, None).expect("engine compiles").len()
        })
        .sum()
}

fn bytes(docs: &[String]) -> BytesCount {
    BytesCount::new(docs.iter().map(String::len).sum::<usize>())
}

#[divan::bench]
fn check(bencher: Bencher) {
    let docs = corpus(CORPUS_BYTES);
    let linter = linter(Vec::new());
    bencher.counter(bytes(&docs)).bench(|| check_all(&linter, &docs));
}

#[divan::bench]
fn fix(bencher: Bencher) {
    let docs = corpus(CORPUS_BYTES);
    let linter = linter(Vec::new());
    bencher.counter(bytes(&docs)).bench(|| {
        docs.iter()
            .map(|d| {
                let doc = linter
                    .document(d.clone(), Some("bench.txt"))
                    .expect("plain text parses");
                linter
                    .fix_document(doc, None, Applicability::Safe, Default::default())
                    .expect("engine compiles")
                    .total_applied()
            })
            .sum::<usize>()
    });
}

/// Glossary entries whose wrong forms occur in the benchmark articles, so a glossary of any
/// size has hits as well as misses.
const REAL_ENTRIES: &[(&str, &str)] = &[
    ("standing council", "standing committee"),
    ("tea farmers", "tea growers"),
    ("talent training", "training of skilled staff"),
    ("public welfare activity", "charity event"),
    ("going out", "expanding abroad"),
    ("practice bases", "internship sites"),
    ("business card", "calling card"),
    ("superior departments", "higher authorities"),
    ("achievement transformation", "commercialisation of research"),
    ("golden key", "key"),
];

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ren", "ta", "su", "vel", "dor", "an", "bri", "cor", "dan", "el", "fen", "gor", "hal", "in",
    "jor", "kel", "lum", "mar", "nor", "os", "pel", "qui", "ras", "sol", "tor", "ul", "var", "wen", "xi", "yor", "zan",
];

/// A rule file with one `term` rule of `n` entries: the real ones, then invented two-word
/// terms that do not occur in the text.
fn glossary(dir: &Path, n: usize) -> PathBuf {
    let mut rng = Lcg(n as u64);
    let word = |rng: &mut Lcg| -> String {
        (0..2 + rng.below(2))
            .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
            .collect()
    };
    let mut seen = std::collections::HashSet::new();
    let mut entries: Vec<(String, String)> = REAL_ENTRIES
        .iter()
        .take(n)
        .map(|(w, r)| (w.to_string(), r.to_string()))
        .collect();
    while entries.len() < n {
        let (a, b) = (word(&mut rng), word(&mut rng));
        let wrong = format!("{a} {b}");
        if seen.insert(wrong.clone()) {
            entries.push((wrong, format!("{} {}", capitalize(&b), capitalize(&a))));
        }
    }
    let mut toml = format!(
        "[pack]\nname = \"glossary{n}\"\ntarget = \"en\"\n\n[[rule]]\nid = \"terms\"\nkind = \"term\"\nentries = [\n"
    );
    for (wrong, right) in entries {
        toml.push_str(&format!("  {{ variants = [\"{wrong}\"], replace = \"{right}\" }},\n"));
    }
    toml.push_str("]\n");
    let path = dir.join(format!("glossary{n}.toml"));
    std::fs::write(&path, toml).expect("writable temporary directory");
    path
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[divan::bench(args = [10, 1_000, 10_000])]
fn check_with_glossary(bencher: Bencher, entries: usize) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let docs = corpus(CORPUS_BYTES);
    let linter = linter(vec![glossary(dir.path(), entries)]);
    bencher.counter(bytes(&docs)).bench(|| check_all(&linter, &docs));
}

/// Compiling the shipped English packs: the part of start-up that grows with the rules. The
/// engine directly, since this measures the compiling itself (a `Linter` compiles on first use
/// and keeps the engine).
#[divan::bench]
fn compile_engine() -> Arc<Engine> {
    let profile = Profile::load(None, &overrides(Vec::new())).expect("shipped packs load");
    Arc::new(Engine::for_language(&profile, "en").expect("engine compiles"))
}
