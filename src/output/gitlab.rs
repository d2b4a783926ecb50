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
pub struct Fingerprints {
    path: String,
    /// For each flagged text, the rules that flagged it so far and how many times. (Owned: a
    /// large file's findings are written in chunks, and its fingerprints counted across them.)
    seen: HashMap<Box<str>, Vec<(Box<str>, u32)>>,
}

impl Fingerprints {
    pub fn new(path: &str) -> Self {
        Fingerprints {
            path: path.to_string(),
            seen: HashMap::new(),
        }
    }

    /// The fingerprint of the next finding of the file, as 32 hex digits.
    pub fn next(&mut self, doc: &Document, d: &Diagnostic) -> String {
        let text = doc.text.get(d.span.start..d.span.end).unwrap_or("");
        let rules = match self.seen.get_mut(text) {
            Some(rules) => rules,
            None => self.seen.entry(text.into()).or_default(),
        };
        let n = match rules.iter_mut().find(|(rule, _)| **rule == *d.rule_id()) {
            Some((_, n)) => n,
            None => {
                rules.push((d.rule_id().into(), 0));
                &mut rules.last_mut().expect("just pushed").1
            }
        };
        *n += 1;
        let parts = [self.path.as_str(), d.rule_id(), text, &n.to_string()];
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
    /// The fingerprints of the file being written.
    prints: Option<Fingerprints>,
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
        self.file_as_one_chunk(out, r)
    }

    fn streams(&self) -> bool {
        true
    }

    fn start_file(&mut self, _out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        self.prints = Some(Fingerprints::new(relative(&r.path)));
        Ok(())
    }

    fn file_findings(&mut self, out: &mut dyn Write, r: &FileReport, diags: &[Diagnostic]) -> io::Result<()> {
        let (Some(doc), Some(mut prints)) = (r.document(), self.prints.take()) else {
            return Ok(());
        };
        let path = relative(&r.path);
        for d in diags {
            let (s, e) = position(doc, d);
            let issue = Issue {
                kind: "issue",
                description: &d.message,
                check_name: d.rule_id(),
                fingerprint: prints.next(doc, d),
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
        self.prints = Some(prints);
        Ok(())
    }

    fn end_file(&mut self, _out: &mut dyn Write, _r: &FileReport) -> io::Result<()> {
        self.prints = None;
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
