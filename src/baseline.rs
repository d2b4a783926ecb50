//! Baselines: findings accepted once, so that a check fails only on new ones.
//!
//! A team adopting mtlint on an existing corpus records today's findings
//! (`mtlint check --write-baseline FILE`) and from then on checks with `--baseline FILE`: the
//! recorded findings are hidden and only new ones are reported.
//!
//! An entry is keyed by the file's path (relative to the baseline file's directory), the rule
//! and a fingerprint: a hash of the flagged text with a little context on each side, taken
//! from the same line only. Line numbers play no part, so a finding keeps its entry when lines
//! above it are edited or paragraphs are moved. Each entry has a count: when a file holds more
//! findings with one key than were recorded (a sentence pasted twice), the ones after the
//! recorded count, in document order, are new. Entries whose findings are gone are stale.
//!
//! The file is JSON Lines, one entry a line, sorted by path, rule and fingerprint, so a change
//! to the baseline shows in a diff as exactly the entries added and removed, two branches that
//! touch different files merge without conflict, and writing the same findings twice gives the
//! same bytes. Each line also holds a short excerpt of the flagged text for the reviewer of
//! such a diff; matching never reads it.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::span::Span;

/// Characters of context taken on each side of the flagged text (within its line).
const CONTEXT_CHARS: usize = 24;

/// Characters of the flagged text kept as the entry's excerpt.
const EXCERPT_CHARS: usize = 60;

/// What identifies a finding within one file: its rule and its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FindingKey {
    pub rule: String,
    pub fingerprint: String,
}

/// How many findings of one key a file holds, and an excerpt of their text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub count: usize,
    pub text: String,
}

/// The findings of one file, by key.
pub type FileFindings = BTreeMap<FindingKey, Entry>;

/// A baseline: recorded findings by file path (as written in the baseline) and key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    files: BTreeMap<String, FileFindings>,
}

/// One line of the file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    path: String,
    rule: String,
    fingerprint: String,
    count: usize,
    #[serde(default)]
    text: String,
}

/// Why a baseline file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read the baseline {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path}:{line}: not a baseline entry: {reason}")]
    Parse { path: String, line: usize, reason: String },
    #[error("cannot write the baseline {path}: {reason}")]
    Write { path: String, reason: String },
    #[error("the baseline {path} does not exist (write it with `mtlint check --write-baseline {path}`)")]
    Missing { path: String },
}

/// A stale entry: findings recorded for a file that it no longer holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub path: String,
    pub rule: String,
    pub text: String,
    /// How many of the recorded findings are gone.
    pub missing: usize,
    /// The file itself is gone.
    pub file_gone: bool,
}

/// The result of matching one file's diagnostics against the baseline.
#[derive(Debug, Default)]
pub struct Matched {
    /// Findings the baseline does not hold: these are reported.
    pub new: Vec<Diagnostic>,
    /// Findings the baseline holds.
    pub baselined: Vec<Diagnostic>,
    /// Every finding of the file, by key (what `--write-baseline` records).
    pub found: FileFindings,
}

impl Baseline {
    pub fn new() -> Self {
        Baseline::default()
    }

    /// Reads a baseline file.
    pub fn load(path: &Path) -> Result<Self, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|e| BaselineError::Read {
            path: path.display().to_string(),
            reason: crate::input::io_reason(&e),
        })?;
        Self::parse(&text).map_err(|(line, reason)| BaselineError::Parse {
            path: path.display().to_string(),
            line,
            reason,
        })
    }

    /// Parses the JSON Lines of a baseline; an error names the 1-based line.
    pub fn parse(text: &str) -> Result<Self, (usize, String)> {
        let mut baseline = Baseline::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let l: Line = serde_json::from_str(line).map_err(|e| (i + 1, e.to_string()))?;
            if l.count == 0 {
                return Err((i + 1, "`count` must be at least 1".into()));
            }
            let key = FindingKey {
                rule: l.rule,
                fingerprint: l.fingerprint,
            };
            let entry = baseline
                .files
                .entry(l.path)
                .or_default()
                .entry(key)
                .or_insert(Entry { count: 0, text: l.text });
            entry.count += l.count;
        }
        Ok(baseline)
    }

    /// The file's text: one sorted line per entry.
    pub fn to_jsonl(&self) -> String {
        let mut out = String::new();
        for (path, findings) in &self.files {
            for (key, entry) in findings {
                let line = Line {
                    path: path.clone(),
                    rule: key.rule.clone(),
                    fingerprint: key.fingerprint.clone(),
                    count: entry.count,
                    text: entry.text.clone(),
                };
                // Serializing plain strings and a number cannot fail.
                out.push_str(&serde_json::to_string(&line).unwrap_or_default());
                out.push('\n');
            }
        }
        out
    }

    /// Writes the baseline to `path` (through a temporary file, so a reader never sees half).
    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        let err = |e: std::io::Error| BaselineError::Write {
            path: path.display().to_string(),
            reason: crate::input::io_reason(&e),
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
        std::io::Write::write_all(&mut tmp, self.to_jsonl().as_bytes()).map_err(err)?;
        tmp.persist(path).map_err(|e| err(e.error))?;
        Ok(())
    }

    /// Records the findings of one file (replacing what was recorded for it).
    pub fn record(&mut self, path: &str, found: FileFindings) {
        if found.is_empty() {
            self.files.remove(path);
        } else {
            self.files.insert(path.to_string(), found);
        }
    }

    /// Number of findings recorded.
    pub fn len(&self) -> usize {
        self.files.values().flat_map(|f| f.values()).map(|e| e.count).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Number of files with recorded findings.
    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    /// Splits the diagnostics of the file recorded as `path`, whose text is `text`, into the
    /// new ones and those the baseline holds. Of several findings with one key, the first
    /// ones in document order are the recorded ones.
    pub fn matches(&self, path: &str, text: &str, diagnostics: Vec<Diagnostic>) -> Matched {
        let recorded = self.files.get(path);
        let mut order: Vec<usize> = (0..diagnostics.len()).collect();
        order.sort_by_key(|&i| (diagnostics[i].span.start, diagnostics[i].span.end));
        let mut found = FileFindings::new();
        let mut is_new = vec![true; diagnostics.len()];
        for i in order {
            let d = &diagnostics[i];
            let key = key_of(d, text);
            let entry = found.entry(key.clone()).or_insert_with(|| Entry {
                count: 0,
                text: excerpt(span_text(text, d.span)),
            });
            entry.count += 1;
            let allowed = recorded.and_then(|r| r.get(&key)).map_or(0, |e| e.count);
            is_new[i] = entry.count > allowed;
        }
        let mut matched = Matched {
            found,
            ..Matched::default()
        };
        for (d, new) in diagnostics.into_iter().zip(is_new) {
            if new {
                matched.new.push(d);
            } else {
                matched.baselined.push(d);
            }
        }
        matched
    }

    /// The entries that no longer match: for each file in `checked` (path → its findings),
    /// recorded findings it no longer holds; and every entry of a file that no longer exists
    /// (`exists` says, by recorded path).
    /// Entries of one file and rule with the same excerpt are reported together.
    pub fn stale(&self, checked: &BTreeMap<String, FileFindings>, exists: impl Fn(&str) -> bool) -> Vec<Stale> {
        let mut stale: BTreeMap<(String, String, String, bool), usize> = BTreeMap::new();
        for (path, recorded) in &self.files {
            let found = checked.get(path);
            let file_gone = found.is_none() && !exists(path);
            if found.is_none() && !file_gone {
                // Not checked in this run: nothing is known about it.
                continue;
            }
            for (key, entry) in recorded {
                let now = found.and_then(|f| f.get(key)).map_or(0, |e| e.count);
                if now < entry.count {
                    let place = (path.clone(), key.rule.clone(), entry.text.clone(), file_gone);
                    *stale.entry(place).or_default() += entry.count - now;
                }
            }
        }
        stale
            .into_iter()
            .map(|((path, rule, text, file_gone), missing)| Stale {
                path,
                rule,
                text,
                missing,
                file_gone,
            })
            .collect()
    }

    /// The baseline without its stale entries (see [`Baseline::stale`]): counts come down to
    /// what the checked files still hold; files not checked keep their entries unless gone.
    pub fn pruned(&self, checked: &BTreeMap<String, FileFindings>, exists: impl Fn(&str) -> bool) -> Baseline {
        let mut files = BTreeMap::new();
        for (path, recorded) in &self.files {
            let kept: FileFindings = match checked.get(path) {
                None if exists(path) => recorded.clone(),
                None => FileFindings::new(),
                Some(found) => recorded
                    .iter()
                    .filter_map(|(key, entry)| {
                        let now = found.get(key).map_or(0, |e| e.count);
                        (now > 0).then(|| {
                            (
                                key.clone(),
                                Entry {
                                    count: entry.count.min(now),
                                    text: entry.text.clone(),
                                },
                            )
                        })
                    })
                    .collect(),
            };
            if !kept.is_empty() {
                files.insert(path.clone(), kept);
            }
        }
        Baseline { files }
    }
}

/// The key of a diagnostic in a text.
pub fn key_of(d: &Diagnostic, text: &str) -> FindingKey {
    FindingKey {
        rule: d.rule_id().to_string(),
        fingerprint: fingerprint(text, d.span),
    }
}

/// A stable hash (64-bit FNV-1a, as hex) of the text of `span` with up to
/// [`CONTEXT_CHARS`] characters on each side, not crossing a line break: the same words on
/// the same line give the same fingerprint wherever the line is in the file.
pub fn fingerprint(text: &str, span: Span) -> String {
    let Span { start, end } = span.whole_chars(text);
    let before = &text[..start];
    let before = &before[before.rfind(['\n', '\r']).map_or(0, |i| i + 1)..];
    let before = match before.char_indices().rev().nth(CONTEXT_CHARS - 1) {
        Some((i, _)) => &before[i..],
        None => before,
    };
    let after = &text[end..];
    let after = &after[..after.find(['\n', '\r']).unwrap_or(after.len())];
    let after = match after.char_indices().nth(CONTEXT_CHARS) {
        Some((i, _)) => &after[..i],
        None => after,
    };
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    // 0xFF never occurs in UTF-8, so it separates the parts unambiguously.
    for &b in before
        .as_bytes()
        .iter()
        .chain(&[0xFF])
        .chain(&text.as_bytes()[start..end])
        .chain(&[0xFF])
        .chain(after.as_bytes())
    {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn span_text(text: &str, span: Span) -> &str {
    span.whole_chars(text).text(text)
}

/// A short one-line form of the flagged text.
fn excerpt(text: &str) -> String {
    let one_line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    match one_line.char_indices().nth(EXCERPT_CHARS) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

/// How the baseline at `baseline_file` names `file`: relative to the baseline's directory
/// (with `..` when the file is beside or above it), `/` between components; the absolute
/// path only when the two share no root (another drive).
pub fn path_key(baseline_file: &Path, file: &Path) -> String {
    let dir = normalize(&absolute(baseline_file));
    let dir = dir.parent().unwrap_or(Path::new("/"));
    let file = normalize(&absolute(file));
    let (dir_parts, file_parts): (Vec<Component>, Vec<Component>) =
        (dir.components().collect(), file.components().collect());
    let shared = dir_parts.iter().zip(&file_parts).take_while(|(a, b)| a == b).count();
    let name = |c: &Component| c.as_os_str().to_string_lossy().into_owned();
    if shared == 0 {
        return file.to_string_lossy().replace('\\', "/");
    }
    let mut parts: Vec<String> = vec!["..".to_string(); dir_parts.len() - shared];
    parts.extend(file_parts[shared..].iter().map(name));
    parts.join("/")
}

/// The file that a path of the baseline at `baseline_file` names.
pub fn resolve(baseline_file: &Path, key: &str) -> PathBuf {
    let dir = match baseline_file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    dir.join(key)
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Removes `.` and resolves `..` by the words alone (the file may not exist).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_reads_only_the_line_around_the_span() {
        let a = "First line.\nThe the cat sat.\n";
        let b = "An edited first line, longer.\nThe the cat sat.\n";
        let sa = Span::new(12, 19);
        let sb = Span::new(30, 37);
        assert_eq!(&a[12..19], &b[30..37]);
        assert_eq!(fingerprint(a, sa), fingerprint(b, sb));
        let c = "First line.\nThe the dog sat.\n";
        assert_ne!(fingerprint(a, sa), fingerprint(c, sa));
    }

    #[test]
    fn the_fingerprint_survives_spans_off_char_boundaries() {
        let t = "中文 text";
        let _ = fingerprint(t, Span::new(1, 4));
        let _ = fingerprint(t, Span::new(40, 50));
    }

    #[test]
    fn paths_are_relative_to_the_baseline_directory() {
        assert_eq!(
            path_key(Path::new("/p/ci/base.jsonl"), Path::new("/p/ci/docs/a.md")),
            "docs/a.md"
        );
        assert_eq!(
            path_key(Path::new("/p/base.jsonl"), Path::new("/p/x/../y/./a.md")),
            "y/a.md"
        );
        assert_eq!(path_key(Path::new("/p/ci/base.jsonl"), Path::new("/p/a.md")), "../a.md");
        assert_eq!(path_key(Path::new("/p/base.jsonl"), Path::new("/q/a.md")), "../q/a.md");
    }

    #[test]
    fn a_bad_line_is_an_error_with_its_number() {
        let good = r#"{"path":"a","rule":"en/x","fingerprint":"00","count":1,"text":""}"#;
        assert!(Baseline::parse(&format!("{good}\n")).is_ok());
        assert_eq!(Baseline::parse(&format!("{good}\nnot json\n")).unwrap_err().0, 2);
        let zero = good.replace("\"count\":1", "\"count\":0");
        assert_eq!(Baseline::parse(&zero).unwrap_err().0, 1);
    }
}
