//! `concise`: `path:line:col: rule: message`, one line a finding, for editors and grep.

use std::io::{self, Write};

use super::sanitize::{one_line, terminal};
use super::{Emitter, FileReport, Summary};
use crate::diagnostic::Diagnostic;
use crate::document::Document;

/// The `concise` format: one line a finding.
pub struct Concise;

impl Emitter for Concise {
    fn finish(&mut self, _out: &mut dyn Write, _s: &Summary) -> io::Result<()> {
        Ok(())
    }

    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        if let Some(err) = &r.error_message() {
            writeln!(out, "{}: error: {}", one_line(&r.path), terminal(err))?;
        }
        let Some(doc) = r.document() else { return Ok(()) };
        findings(out, &r.path, doc, r.diagnostics())?;
        Ok(())
    }
}

/// One line for each of `diags`, findings in `doc` (read from `path`).
pub fn findings(out: &mut dyn Write, path: &str, doc: &Document, diags: &[Diagnostic]) -> io::Result<()> {
    let idx = doc.line_index();
    let path = one_line(path);
    // Each line is put together here and written at once: `writeln!` with its five
    // arguments cost more than finding the line and column.
    let mut line = Vec::with_capacity(256);
    for d in diags {
        // Only the start is printed: the end's position is not worked out.
        let s = idx.line_col(&doc.text, d.span.start);
        let fix = match &d.fix {
            Some(f) if f.applicability == crate::diagnostic::Applicability::Safe => " [fix]",
            Some(_) => " [unsafe fix]",
            None => "",
        };
        line.clear();
        line.extend_from_slice(path.as_bytes());
        write!(line, ":{}:{}: ", s.line, s.column)?;
        line.extend_from_slice(terminal(d.rule_id()).as_bytes());
        line.extend_from_slice(b": ");
        line.extend_from_slice(one_line(&d.message).as_bytes());
        line.extend_from_slice(fix.as_bytes());
        line.push(b'\n');
        out.write_all(&line)?;
    }
    Ok(())
}
