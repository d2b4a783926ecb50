//! `concise`: `path:line:col: rule: message`, one line a finding, for editors and grep.

use std::io::{self, Write};

use super::{position, Emitter, FileReport, Summary};

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
        for d in &r.diagnostics {
            let (s, _) = position(doc, d);
            let fix = match &d.fix {
                Some(f) => format!(
                    " [{}]",
                    if f.applicability == crate::diagnostic::Applicability::Safe {
                        "fix"
                    } else {
                        "unsafe fix"
                    }
                ),
                None => String::new(),
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
