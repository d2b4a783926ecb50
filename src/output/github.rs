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

pub struct Github;

impl Emitter for Github {
    fn finish(&mut self, _out: &mut dyn Write, _s: &Summary) -> io::Result<()> {
        Ok(())
    }

    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        if let Some(err) = &r.error {
            writeln!(
                out,
                "::error file={},title=mtlint::{}",
                escape_property(&r.path),
                escape_data(err)
            )?;
        }
        let Some(doc) = &r.document else { return Ok(()) };
        findings(out, &r.path, doc, &r.diagnostics)?;
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
