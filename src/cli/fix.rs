//! `mtlint fix`: fixes in place, or as a diff with `--diff`.
//!
//! Writes go to a temporary file in the same directory, are synced, then renamed over the
//! original with its permissions; a file changed on disk since it was read is skipped.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anstyle::{AnsiColor, Style};

use super::files::{self, Input, Profiles};
use super::{set_color, FixArgs, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::diagnostic::Applicability;
use crate::fix::fix_document;
use crate::output::{self, FileReport, HumanOptions, Summary};

struct FileFix {
    report: FileReport,
    original: Option<String>,
    fixed: Option<String>,
    applied: BTreeMap<String, usize>,
    not_converged: Vec<String>,
    /// What `--lossy` replaced: such a file is never written back.
    replaced: Option<crate::input::Replaced>,
}

fn fix_one(input: &Input, min: Applicability) -> FileFix {
    let (doc, replaced) = match input.read() {
        Ok(d) => d,
        Err(e) => {
            return FileFix {
                report: FileReport::failed(input.display.clone(), e),
                original: None,
                fixed: None,
                applied: BTreeMap::new(),
                not_converged: Vec::new(),
                replaced: None,
            }
        }
    };
    let engine = match input.profile.engine_for(&doc.language) {
        Ok(e) => e,
        Err(e) => {
            return FileFix {
                report: FileReport::failed(input.display.clone(), e),
                original: None,
                fixed: None,
                applied: BTreeMap::new(),
                not_converged: Vec::new(),
                replaced: None,
            }
        }
    };
    let original = doc.text.clone();
    let outcome = fix_document(&engine, doc, min, &|d| input.keep(d));
    let mut remaining = outcome.remaining;
    remaining.retain(|d| input.keep(d));
    let fixed = (outcome.document.text != original).then(|| outcome.document.text.clone());
    FileFix {
        report: FileReport {
            path: input.display.clone(),
            document: Some(outcome.document),
            diagnostics: remaining,
            error: None,
        },
        original: Some(original),
        fixed,
        applied: outcome.applied,
        not_converged: outcome.not_converged,
        replaced,
    }
}

/// Replaces `path`'s content with `text` atomically, if the file still holds `expected`.
pub fn write_atomically(path: &Path, expected: &str, text: &str) -> Result<(), String> {
    let current = std::fs::read(path).map_err(|e| format!("cannot re-read before writing: {e}"))?;
    if current != expected.as_bytes() {
        return Err("changed on disk while being fixed; not written".into());
    }
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read permissions: {e}"))?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".mtlint-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot create a temporary file in {}: {e}", dir.display()))?;
    tmp.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write: {e}"))?;
    tmp.as_file().sync_all().map_err(|e| format!("cannot sync: {e}"))?;
    std::fs::set_permissions(tmp.path(), meta.permissions()).map_err(|e| format!("cannot keep permissions: {e}"))?;
    tmp.persist(path)
        .map_err(|e| format!("cannot replace the file: {}", e.error))?;
    Ok(())
}

fn print_diff(out: &mut dyn Write, path: &str, old: &str, new: &str) -> std::io::Result<()> {
    let diff = similar::TextDiff::from_lines(old, new);
    let red = AnsiColor::Red.on_default();
    let green = AnsiColor::Green.on_default();
    let cyan = AnsiColor::Cyan.on_default();
    let bold = Style::new().bold();
    writeln!(out, "{bold}--- a/{path}{bold:#}")?;
    writeln!(out, "{bold}+++ b/{path}{bold:#}")?;
    for hunk in diff.unified_diff().context_radius(1).iter_hunks() {
        writeln!(out, "{cyan}{}{cyan:#}", hunk.header())?;
        for change in hunk.iter_changes() {
            let (sign, style) = match change.tag() {
                similar::ChangeTag::Delete => ("-", red),
                similar::ChangeTag::Insert => ("+", green),
                similar::ChangeTag::Equal => (" ", Style::new()),
            };
            let line = change.value();
            write!(out, "{style}{sign}{}{style:#}", line.trim_end_matches(['\n', '\r']))?;
            writeln!(out)?;
            if change.missing_newline() {
                writeln!(out, "\\ No newline at end of file")?;
            }
        }
    }
    Ok(())
}

pub fn run(args: FixArgs) -> anyhow::Result<u8> {
    set_color(args.shared.color);
    let mut profiles = Profiles::new(&args.shared)?;
    let inputs = files::collect(&args.paths, &args.shared, &mut profiles)?;
    let min = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let mut out = anstream::stdout().lock();
    let mut err = anstream::stderr().lock();

    if args.shared.stdin {
        // The fixed text goes to standard output; findings left go to standard error.
        let r = fix_one(&inputs[0], min);
        if let Some(replaced) = &r.replaced {
            writeln!(err, "warning: {}: {replaced}", r.report.path)?;
        }
        if let Some(e) = &r.report.error {
            writeln!(err, "error: {}: {e}", r.report.path)?;
            return Ok(EXIT_ERROR);
        }
        let text = r.fixed.as_deref().or(r.original.as_deref()).unwrap_or("");
        out.write_all(text.as_bytes())?;
        let left = r
            .report
            .diagnostics
            .iter()
            .any(|d| d.severity >= inputs[0].profile.fail_on);
        return Ok(if left { EXIT_FINDINGS } else { EXIT_OK });
    }

    // What is left after fixing is shown as `check` shows it.
    let human = HumanOptions {
        summary: false,
        fix_hint: false,
    };
    let mut emitter = output::emitter(args.format, &human);
    let mut summary = Summary::default();
    let mut status = files::Status::default();
    let (mut changed_files, mut applied_total, mut left) = (0usize, 0usize, 0usize);
    files::for_each_ordered(
        &inputs,
        |i| fix_one(i, min),
        |input, mut r| {
            if let Some(replaced) = &r.replaced {
                writeln!(err, "warning: {}: {replaced}", r.report.path)?;
            }
            if let (Some(original), Some(fixed)) = (&r.original, &r.fixed) {
                let written = if args.diff {
                    print_diff(&mut out, &r.report.path, original, fixed)?;
                    true
                } else if r.replaced.is_some() {
                    // Writing the fixed text would turn the invalid bytes into U+FFFD for good.
                    r.report.error = Some("not fixed: writing it would replace its invalid UTF-8 for good".into());
                    false
                } else if let Err(e) = write_atomically(&input.path, original, fixed) {
                    r.report.error = Some(e);
                    false
                } else {
                    true
                };
                if written {
                    changed_files += 1;
                    applied_total += r.applied.values().sum::<usize>();
                }
            }
            for rule in &r.not_converged {
                writeln!(
                    err,
                    "warning: {}: fixes of {rule} did not converge after {} passes; left as they are",
                    r.report.path,
                    crate::fix::MAX_PASSES
                )?;
            }
            status.add(input, &r.report);
            if args.diff {
                if let Some(e) = &r.report.error {
                    writeln!(err, "error: {}: {e}", r.report.path)?;
                }
            } else {
                left += r.report.diagnostics.len();
                summary.add(&r.report);
                emitter.file(&mut out, &r.report)?;
            }
            Ok(())
        },
    )?;
    if args.diff {
        if !args.shared.quiet {
            writeln!(err, "{applied_total} fixes would change {changed_files} files.")?;
        }
        return Ok(if status.errors {
            EXIT_ERROR
        } else if changed_files > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        });
    }
    emitter.finish(&mut out, &summary)?;
    if !args.shared.quiet {
        writeln!(
            out,
            "Fixed {applied_total} problems in {changed_files} files; {left} left that need a human."
        )?;
    }
    Ok(status.code())
}
