//! `github`: GitHub Actions workflow commands, shown as annotations on the pull request.

use std::io::{self, Write};

use super::{position, Emitter, FileReport, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Annotations of each level GitHub shows for a step; it drops the rest.
pub const SHOWN_PER_LEVEL: usize = 10;

/// How many of a run's annotations GitHub will not show: beyond the first ten errors, ten
/// warnings and ten notices of a step.
pub fn hidden(s: &Summary) -> usize {
    [s.severities.errors, s.severities.warnings, s.severities.infos]
        .iter()
        .map(|n| n.saturating_sub(SHOWN_PER_LEVEL))
        .sum()
}

fn hidden_sentence(s: &Summary) -> Option<String> {
    let hidden = hidden(s);
    (hidden > 0).then(|| {
        format!(
            "GitHub shows only the first {SHOWN_PER_LEVEL} error, {SHOWN_PER_LEVEL} warning and {SHOWN_PER_LEVEL} notice annotations of a step: {hidden} of the {} findings are not annotated. Run `mtlint check` locally, or read the step summary.",
            s.diagnostics
        )
    })
}

/// A Markdown summary of the run for `$GITHUB_STEP_SUMMARY`: totals, what GitHub hides, and
/// the findings per rule.
pub fn step_summary(s: &Summary, stats: &super::Statistics) -> String {
    let mut md = String::from("## mtlint\n\n");
    let checked = s.files - s.files_with_errors;
    if s.diagnostics == 0 {
        md.push_str(&format!("No problems found in {checked} checked file(s).\n"));
    } else {
        md.push_str(&format!(
            "**{} finding(s)** in {checked} checked file(s): {} error(s), {} warning(s), {} info.\n",
            s.diagnostics, s.severities.errors, s.severities.warnings, s.severities.infos
        ));
        if s.fixable_safe + s.fixable_unsafe > 0 {
            md.push_str(&format!(
                "{} fixable with `mtlint fix`, {} more with `mtlint fix --unsafe-fixes`.\n",
                s.fixable_safe, s.fixable_unsafe
            ));
        }
    }
    if s.files_with_errors > 0 {
        md.push_str(&format!("\n{} file(s) could not be checked.\n", s.files_with_errors));
    }
    if let Some(h) = hidden_sentence(s) {
        md.push_str(&format!("\n> [!NOTE]\n> {h}\n"));
    }
    if !stats.is_empty() {
        md.push_str("\n| rule | severity | findings | groups | safe fixes | unsafe fixes |\n");
        md.push_str("|---|---|---:|---:|---:|---:|\n");
        for r in stats.rows() {
            md.push_str(&format!(
                "| `{}` | {} | {} | {} | {} | {} |\n",
                r.rule.replace('|', "\\|").replace('`', "'"),
                r.severity.as_str(),
                r.count,
                r.groups,
                r.fixable,
                r.unsafe_fixable
            ));
        }
    }
    md
}

/// The `github` format: GitHub Actions workflow commands that annotate the lines.
pub struct Github;

impl Emitter for Github {
    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        if let Some(h) = hidden_sentence(s) {
            writeln!(out, "::notice title=mtlint::{}", escape_data(&h))?;
        }
        Ok(())
    }

    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        if let Some(err) = &r.error_message() {
            writeln!(
                out,
                "::error file={},title=mtlint::{}",
                escape_property(&r.path),
                escape_data(err)
            )?;
        }
        let Some(doc) = r.document() else { return Ok(()) };
        findings(out, &r.path, doc, r.diagnostics())?;
        Ok(())
    }
}

/// One workflow command for each of `diags`, findings in `doc` (read from `path`).
pub fn findings(out: &mut dyn Write, path: &str, doc: &Document, diags: &[Diagnostic]) -> io::Result<()> {
    let path = escape_property(path);
    for d in diags {
        let (s, e) = position(doc, d);
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        writeln!(
            out,
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            path,
            s.line,
            s.column,
            e.line,
            e.column,
            escape_property(d.rule_id()),
            escape_data(&d.message)
        )?;
    }
    Ok(())
}
