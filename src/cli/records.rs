//! `--records`: JSON Lines of `{"id", "text"}` in, one result line per record out, in input
//! order, so any engine that can pipe lines through a command (Spark's `RDD.pipe`, Beam,
//! Hadoop streaming, a shell pipe) can run mtlint on a corpus.
//!
//! Records are read and checked a batch at a time, the batch in parallel, so memory holds
//! one batch whatever the length of the stream. A line that is not a record gives a result
//! line with its error (and its id when it has one), is reported on standard error with its
//! line number, and the run goes on; the exit status is then 2.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::files::Profiles;
use super::SharedArgs;
use crate::api::Linter;
use crate::diagnostic::Severity;
use crate::output::json::{self, JsonDiagnostic};

/// Records per thread in a batch.
const BATCH_PER_THREAD: usize = 64;

#[derive(Deserialize)]
struct Record {
    id: serde_json::Value,
    text: String,
    /// Where the text comes from: its extension decides the format, and `per_file_ignores`
    /// apply to it.
    #[serde(default)]
    path: Option<String>,
}

#[derive(Serialize)]
struct Outcome<'a> {
    id: &'a serde_json::Value,
    language: Option<&'a str>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    /// With `fix`: the text after fixing (the text itself when nothing applied).
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed_text: Option<&'a str>,
    error: Option<String>,
}

/// One result line, and what it adds to the exit status.
struct Line {
    json: Vec<u8>,
    error: Option<String>,
    worst: Option<Severity>,
}

/// Checks (or, with `fix` = `Some(unsafe_fixes)`, fixes) the records of `paths` (standard
/// input when empty, `-`, or `--stdin`).
pub fn run(paths: &[PathBuf], shared: &SharedArgs, fix: Option<bool>) -> anyhow::Result<u8> {
    let mut profiles = Profiles::new(&shared.input_options())?;
    let stdin_only = [PathBuf::from("-")];
    let paths = if paths.is_empty() || shared.stdin {
        &stdin_only[..]
    } else {
        paths
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut errors, mut failing) = (false, false);
    for path in paths {
        let stdin = path.as_os_str() == "-";
        let dir = match path.parent() {
            Some(p) if !stdin && !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let linter = profiles.for_dir(dir)?;
        let fail_on = linter.profile().fail_on;
        let name = if stdin {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let reader: Box<dyn BufRead> = if stdin {
            Box::new(std::io::stdin().lock())
        } else {
            match std::fs::File::open(path) {
                Ok(f) => Box::new(BufReader::with_capacity(1 << 16, f)),
                Err(e) => {
                    eprintln!(
                        "error: {}: {}",
                        crate::output::sanitize::one_line(&name),
                        crate::input::ReadError::Io(e)
                    );
                    errors = true;
                    continue;
                }
            }
        };
        let mut each = |line: Line| -> std::io::Result<()> {
            if let Some(e) = &line.error {
                eprintln!(
                    "error: {}:{}",
                    crate::output::sanitize::one_line(&name),
                    crate::output::sanitize::terminal(&e.to_string())
                );
                errors = true;
            }
            failing |= line.worst.is_some_and(|w| w >= fail_on);
            out.write_all(&line.json)
        };
        let io_error = stream(reader, &linter, fix, &mut each)?;
        if let Some(e) = io_error {
            eprintln!("error: {}: cannot read: {e}", crate::output::sanitize::one_line(&name));
            errors = true;
        }
        out.flush()?;
    }
    out.flush()?;
    Ok(if errors {
        super::EXIT_ERROR
    } else if failing {
        super::EXIT_FINDINGS
    } else {
        super::EXIT_OK
    })
}

/// Reads records a batch at a time, checks each batch in parallel and hands the result lines
/// to `each` in input order. A read error ends the stream and is returned; an error from
/// `each` (a closed pipe) is the run's.
fn stream(
    mut reader: Box<dyn BufRead>,
    linter: &Linter,
    fix: Option<bool>,
    each: &mut dyn FnMut(Line) -> std::io::Result<()>,
) -> std::io::Result<Option<std::io::Error>> {
    let batch = rayon::current_num_threads().max(1) * BATCH_PER_THREAD;
    let mut lines: Vec<(usize, Vec<u8>)> = Vec::with_capacity(batch);
    let mut number = 0;
    loop {
        lines.clear();
        let mut read_error = None;
        while lines.len() < batch {
            let mut buf = Vec::new();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) => break,
                Ok(_) => {
                    number += 1;
                    // Blank lines are not records (a trailing one is common).
                    if !buf.iter().all(u8::is_ascii_whitespace) {
                        lines.push((number, buf));
                    }
                }
                Err(e) => {
                    read_error = Some(e);
                    break;
                }
            }
        }
        let results: Vec<Line> = lines
            .par_iter()
            .map(|(number, bytes)| record(linter, fix, *number, bytes))
            .collect();
        for line in results {
            each(line)?;
        }
        if read_error.is_some() || lines.len() < batch {
            return Ok(read_error);
        }
    }
}

/// The result line of input line `number`.
fn record(linter: &Linter, fix: Option<bool>, number: usize, bytes: &[u8]) -> Line {
    let failed = |id: &serde_json::Value, why: String| {
        let error = format!("{number}: {why}");
        let outcome = Outcome {
            id,
            language: None,
            diagnostics: Vec::new(),
            fixed_text: None,
            error: Some(format!("line {error}")),
        };
        Line {
            json: to_line(&outcome),
            error: Some(error),
            worst: None,
        }
    };
    let rec: Record = match serde_json::from_slice(bytes) {
        Ok(r) => r,
        Err(e) => {
            // Keep the id when the line has one, so the result can still be joined back.
            let id = serde_json::from_slice::<serde_json::Value>(bytes)
                .ok()
                .and_then(|v| v.get("id").cloned())
                .unwrap_or(serde_json::Value::Null);
            let why = match e.classify() {
                serde_json::error::Category::Data => format!("not a record: {e}"),
                _ => format!("not JSON: {e}"),
            };
            return failed(&id, why);
        }
    };
    let path = rec.path.as_deref();
    match fix {
        None => match linter.check(rec.text, path) {
            Ok(c) => Line {
                worst: c.diagnostics.iter().map(|d| d.severity).max(),
                json: to_line(&Outcome {
                    id: &rec.id,
                    language: Some(&c.document.language),
                    diagnostics: json::diagnostics(&c.document, &c.diagnostics),
                    fixed_text: None,
                    error: None,
                }),
                error: None,
            },
            Err(e) => failed(&rec.id, e.to_string()),
        },
        Some(unsafe_fixes) => match linter.fix(rec.text, path, unsafe_fixes) {
            Ok(f) => Line {
                worst: f.remaining.iter().map(|d| d.severity).max(),
                json: to_line(&Outcome {
                    id: &rec.id,
                    language: Some(&f.document.language),
                    diagnostics: json::diagnostics(&f.document, &f.remaining),
                    fixed_text: Some(&f.document.text),
                    error: None,
                }),
                error: None,
            },
            Err(e) => failed(&rec.id, e.to_string()),
        },
    }
}

fn to_line(outcome: &Outcome<'_>) -> Vec<u8> {
    // Serialising these types cannot fail: every key is a string and every value plain data.
    let mut json = serde_json::to_vec(outcome).unwrap_or_default();
    json.push(b'\n');
    json
}
