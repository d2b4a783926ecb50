//! `concise`: `path:line:col: rule: message`, one line a finding, for editors and grep.

use std::io::{self, Write};

use super::{Emitter, FileReport, Summary};

pub struct Concise;

impl Emitter for Concise {
    fn finish(&mut self, _out: &mut dyn Write, _s: &Summary) -> io::Result<()> {
        Ok(())
    }

    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        if let Some(err) = &r.error {
            writeln!(out, "{}: error: {err}", r.path)?;
        }
        let Some(doc) = &r.document else { return Ok(()) };
        let idx = doc.line_index();
        for d in &r.diagnostics {
            // Only the start is printed: the end's position is not worked out.
            let s = idx.line_col(&doc.text, d.span.start);
            let fix = match &d.fix {
                Some(f) if f.applicability == crate::diagnostic::Applicability::Safe => " [fix]",
                Some(_) => " [unsafe fix]",
                None => "",
            };
            writeln!(
                out,
                "{}:{}:{}: {}: {}{fix}",
                r.path,
                s.line,
                s.column,
                d.rule_id(),
                d.message
            )?;
        }
        Ok(())
    }
}
