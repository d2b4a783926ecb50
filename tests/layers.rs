//! The module layers of ARCHITECTURE.md, held: a module of `src/` imports only modules below
//! it in [`LAYERS`] (test modules and comments aside). A new module goes into the list at the
//! place its imports allow; an import that points upward fails here, naming the file and line.

use std::fs;
use std::path::Path;

/// The top-level modules of `src/`, bottom first.
const LAYERS: &[&str] = &[
    "span",
    "sanitize",
    "runner",
    "diagnostic",
    "input",
    "model",
    "write",
    "packs",
    "segment",
    "protect",
    "language",
    "formats",
    "document",
    "checks",
    "config",
    "timing",
    "engine",
    "fix",
    "error",
    "baseline",
    "output",
    "rule_examples",
    "report",
    "api",
    "inputs",
    "server",
    "cli",
];

/// Modules outside the layers: the binary, the library root and the unit tests' helpers.
const OUTSIDE: &[&str] = &["main", "lib", "testing"];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy()
        .to_string();
    first.trim_end_matches(".rs").to_string()
}

#[test]
fn no_module_imports_one_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
    let mut upward = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        if OUTSIDE.contains(&module.as_str()) {
            continue;
        }
        let Some(own) = rank(&module) else {
            panic!("{}: module `{module}` is not in LAYERS", file.display());
        };
        let text = fs::read_to_string(file).unwrap();
        // Unit tests may use anything.
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for (i, _) in line.match_indices("crate::") {
                let name: String = line[i + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if name == module || name.is_empty() {
                    continue;
                }
                match rank(&name) {
                    Some(r) if r < own => {}
                    Some(_) => upward.push(format!("{}:{}: `{module}` imports `{name}`", file.display(), n + 1)),
                    None => {}
                }
            }
        }
    }
    assert!(upward.is_empty(), "imports that point upward:\n{}", upward.join("\n"));
}

/// Every module the library declares is placed in the layers.
#[test]
fn every_module_is_placed() {
    let lib = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for line in lib.lines() {
        let Some(rest) = line.strip_prefix("pub mod ").or_else(|| line.strip_prefix("mod ")) else {
            continue;
        };
        let name = rest.trim_end_matches(';');
        assert!(
            LAYERS.contains(&name) || OUTSIDE.contains(&name),
            "module `{name}` is not in LAYERS"
        );
    }
}
