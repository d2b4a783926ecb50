//! `gitlab`: a GitLab Code Quality report (a JSON array of Code Climate issues), shown in merge
//! requests. Issues are written as files finish.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{position, Emitter, FileReport, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;

/// Stable identities of findings, for tools that track them across runs (GitLab compares the
/// fingerprints of two pipelines; SARIF viewers match `partialFingerprints`).
///
/// A fingerprint hashes the path, the rule, the flagged text and how many times the same rule
/// flagged the same text earlier in the file, so it survives edits elsewhere in the file that
/// move lines, and two identical findings in one file still differ.
pub struct Fingerprints<'a> {
    path: &'a str,
    seen: HashMap<(&'a str, &'a str), u32>,
}

impl<'a> Fingerprints<'a> {
    pub fn new(path: &'a str) -> Self {
        Fingerprints {
            path,
            seen: HashMap::new(),
        }
    }

    /// The fingerprint of the next finding of the file, as 32 hex digits.
    pub fn next(&mut self, doc: &'a Document, d: &'a Diagnostic) -> String {
        let text = doc.text.get(d.span.start..d.span.end).unwrap_or("");
        let n = self.seen.entry((d.rule_id(), text)).or_insert(0);
        *n += 1;
        let parts = [self.path, d.rule_id(), text, &n.to_string()];
        // Two FNV-1a passes with different offsets give 128 bits: collisions within one report
        // are then out of reach, and the value is the same on every platform and Rust version.
        let a = fnv1a(0xcbf2_9ce4_8422_2325, &parts);
        let b = fnv1a(0x6c62_272e_07bb_0142, &parts);
        format!("{a:016x}{b:016x}")
    }
}

fn fnv1a(offset: u64, parts: &[&str]) -> u64 {
    let mut h = offset;
    for p in parts {
        for &byte in p.as_bytes().iter().chain(&[0u8]) {
            h ^= u64::from(byte);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// Code Quality severities, from mtlint's as the quality score weighs them (MQM minor, major,
/// critical).
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Info => "minor",
        Severity::Warning => "major",
        Severity::Error => "critical",
    }
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    description: &'a str,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    categories: [&'static str; 1],
    location: Location<'a>,
}

/// GitLab wants paths relative to the repository root, without `./`.
fn relative(path: &str) -> &str {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p
}

/// The `gitlab` format: a GitLab Code Quality report (one JSON array), with stable fingerprints.
#[derive(Default)]
pub struct Gitlab {
    written: bool,
}

impl Gitlab {
    fn issue(&mut self, out: &mut dyn Write, issue: &Issue) -> io::Result<()> {
        out.write_all(if self.written { b",\n  " } else { b"[\n  " })?;
        self.written = true;
        serde_json::to_writer(&mut *out, issue)?;
        Ok(())
    }
}

impl Emitter for Gitlab {
    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        let path = relative(&r.path);
        if let Some(err) = &r.error_message() {
            // Code Quality has no place for a file that could not be read: say it as an issue
            // on the file, so the merge request shows it.
            let description = format!("mtlint could not check this file: {err}");
            self.issue(
                out,
                &Issue {
                    kind: "issue",
                    description: &description,
                    check_name: "mtlint/file-error",
                    fingerprint: format!("{:016x}", fnv1a(0xcbf2_9ce4_8422_2325, &[path, err])),
                    severity: "blocker",
                    categories: ["Bug Risk"],
                    location: Location {
                        path,
                        lines: Lines { begin: 1, end: 1 },
                    },
                },
            )?;
        }
        let Some(doc) = r.document() else { return Ok(()) };
        let mut fingerprints = Fingerprints::new(path);
        for d in r.diagnostics() {
            let (s, e) = position(doc, d);
            let issue = Issue {
                kind: "issue",
                description: &d.message,
                check_name: d.rule_id(),
                fingerprint: fingerprints.next(doc, d),
                severity: severity(d.severity),
                categories: ["Style"],
                location: Location {
                    path,
                    lines: Lines {
                        begin: s.line,
                        end: e.line,
                    },
                },
            };
            self.issue(out, &issue)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _s: &Summary) -> io::Result<()> {
        if self.written {
            out.write_all(b"\n]\n")
        } else {
            out.write_all(b"[]\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_lose_their_dot_slash() {
        assert_eq!(relative("./a/b.txt"), "a/b.txt");
        assert_eq!(relative("a/b.txt"), "a/b.txt");
        assert_eq!(relative("/abs/b.txt"), "/abs/b.txt");
    }

    #[test]
    fn fnv_distinguishes_part_boundaries() {
        let base = 0xcbf2_9ce4_8422_2325;
        assert_ne!(fnv1a(base, &["ab", "c"]), fnv1a(base, &["a", "bc"]));
    }
}
