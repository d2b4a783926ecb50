//! `--records`: JSON Lines of `{"id", "text"}` in, one result line per record out — the same
//! findings and fixes as checking each text as a file, in input order, errors per line.

use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::{json, Value};

fn mtlint() -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("mtlint");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1");
    cmd
}

/// The sample articles (plain text and Markdown, bilingual files included), by path.
fn samples() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                out.push(p.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

fn lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8(out.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn records_of(paths: &[PathBuf]) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(root.join(p)).unwrap();
            json!({"id": p, "text": text, "path": p}).to_string() + "\n"
        })
        .collect()
}

#[test]
fn records_get_the_findings_of_their_files() {
    let paths = samples();
    assert!(paths.len() >= 10);
    let out = mtlint()
        .args(["check", "--records", "-"])
        .write_stdin(records_of(&paths))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let results = lines(&out.stdout);
    assert_eq!(results.len(), paths.len());
    let files = mtlint()
        .arg("check")
        .args(&paths)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let files: Value = serde_json::from_slice(&files.stdout).unwrap();
    let mut found = 0;
    for (result, file) in results.iter().zip(files["files"].as_array().unwrap()) {
        assert_eq!(result["id"], file["path"]);
        assert_eq!(result["language"], file["language"]);
        assert_eq!(result["diagnostics"], file["diagnostics"], "{}", file["path"]);
        assert_eq!(result["error"], Value::Null);
        found += file["diagnostics"].as_array().unwrap().len();
    }
    assert!(found > 20, "the samples hold defects: {found}");
}

#[test]
fn fix_records_carry_the_fixed_text() {
    let paths: Vec<PathBuf> = samples().into_iter().filter(|p| p.starts_with("samples/en")).collect();
    let out = mtlint()
        .args(["fix", "--records"])
        .write_stdin(records_of(&paths))
        .output()
        .unwrap();
    let results = lines(&out.stdout);
    assert_eq!(results.len(), paths.len());
    for (result, path) in results.iter().zip(&paths) {
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
        let fixed = mtlint()
            .args(["fix", "--stdin", "--quiet", "--stdin-filename"])
            .arg(path)
            .write_stdin(text.clone())
            .output()
            .unwrap();
        let fixed = String::from_utf8(fixed.stdout).unwrap();
        assert_ne!(fixed, text, "{}: the sample has something to fix", path.display());
        assert_eq!(result["fixed_text"], Value::String(fixed), "{}", path.display());
    }
}

#[test]
fn malformed_lines_are_reported_and_the_rest_go_on() {
    let input = [
        json!({"id": "a", "text": "The hall opened at nine  and closed at five.\n"}).to_string(),
        String::new(),
        "{\"id\": \"b\", \"text\": ".to_string(),
        json!({"id": 7, "body": "no text field"}).to_string(),
        json!({"id": "c", "text": "Nothing is wrong with this sentence.\n"}).to_string(),
    ]
    .join("\n");
    let out = mtlint()
        .args(["check", "--records", "--lang", "en"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("<stdin>:3: not JSON"), "{stderr}");
    assert!(stderr.contains("<stdin>:4: not a record"), "{stderr}");
    let results = lines(&out.stdout);
    let ids: Vec<&Value> = results.iter().map(|r| &r["id"]).collect();
    assert_eq!(ids, [&json!("a"), &Value::Null, &json!(7), &json!("c")]);
    assert_eq!(results[0]["diagnostics"][0]["rule"], "en/double-space");
    assert!(results[1]["error"].as_str().unwrap().starts_with("line 3: "));
    assert_eq!(results[3]["diagnostics"], json!([]));
    assert_eq!(results[3]["error"], Value::Null);
}

#[test]
fn results_keep_the_input_order_over_many_batches() {
    let input: String = (0..3000)
        .map(|i| {
            let text = if i % 3 == 0 {
                format!("Item {i} costs  less than before.\n")
            } else {
                format!("Item {i} costs less than before.\n")
            };
            json!({"id": i, "text": text}).to_string() + "\n"
        })
        .collect();
    let out = mtlint()
        .args(["check", "--records", "--lang", "en"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "double spaces are info, below the fail level"
    );
    let results = lines(&out.stdout);
    assert_eq!(results.len(), 3000);
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r["id"], json!(i));
        assert_eq!(
            r["diagnostics"].as_array().unwrap().len(),
            usize::from(i % 3 == 0),
            "{i}"
        );
    }
}
