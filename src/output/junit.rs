//! `junit`: JUnit XML, one test case a file, for CI systems that show test reports (GitLab,
//! Jenkins, Azure Pipelines …). A file fails when it has findings at or above the fail level;
//! a file that could not be read is an `error`. Findings below the fail level are listed in
//! the test case's `system-out`.

use std::borrow::Cow;
use std::io::{self, Write};

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use super::{position, Emitter, FileReport, Summary};
use crate::diagnostic::Severity;

/// XML 1.0 cannot hold most control characters even escaped: name them instead.
fn xml_safe(s: &str) -> Cow<'_, str> {
    let allowed =
        |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
    if s.chars().all(allowed) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if allowed(c) {
                    c.to_string()
                } else {
                    format!("<U+{:04X}>", c as u32)
                }
            })
            .collect(),
    )
}

fn plural(n: usize, one: &str) -> String {
    crate::sanitize::plural(n, one, &format!("{one}s"))
}

/// One file's outcome, kept (without its document) until the end, because the suite's counts
/// come first in the file.
struct Case {
    path: String,
    error: Option<String>,
    failing: Vec<String>,
    other: Vec<String>,
}

/// The `junit` format: one test case a file, failed when it has findings at or above the fail level.
pub struct Junit {
    fail_on: Severity,
    cases: Vec<Case>,
}

impl Junit {
    pub fn new(fail_on: Severity) -> Self {
        Junit {
            fail_on,
            cases: Vec::new(),
        }
    }

    fn write_case(&self, w: &mut Writer<Vec<u8>>, case: &Case) -> io::Result<()> {
        let path = xml_safe(&case.path);
        let element = w
            .create_element("testcase")
            .with_attribute(("name", path.as_ref()))
            .with_attribute(("classname", "mtlint"))
            .with_attribute(("file", path.as_ref()));
        if case.error.is_none() && case.failing.is_empty() && case.other.is_empty() {
            element.write_empty()?;
            return Ok(());
        }
        w.create_element("testcase")
            .with_attribute(("name", path.as_ref()))
            .with_attribute(("classname", "mtlint"))
            .with_attribute(("file", path.as_ref()))
            .write_inner_content(|w| {
                if let Some(err) = &case.error {
                    let err = xml_safe(err);
                    w.create_element("error")
                        .with_attribute(("message", err.as_ref()))
                        .with_attribute(("type", "unreadable"))
                        .write_text_content(BytesText::new(&err))?;
                }
                if !case.failing.is_empty() {
                    let message = format!("{} at or above {}", plural(case.failing.len(), "finding"), self.fail_on);
                    w.create_element("failure")
                        .with_attribute(("message", message.as_str()))
                        .with_attribute(("type", "mtlint"))
                        .write_text_content(BytesText::new(&case.failing.join("\n")))?;
                }
                if !case.other.is_empty() {
                    w.create_element("system-out")
                        .write_text_content(BytesText::new(&case.other.join("\n")))?;
                }
                Ok(())
            })?;
        Ok(())
    }
}

impl Emitter for Junit {
    fn file(&mut self, _out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        let mut case = Case {
            path: r.path.clone(),
            error: r.error_message(),
            failing: Vec::new(),
            other: Vec::new(),
        };
        if let Some(doc) = r.document() {
            for d in r.diagnostics() {
                let (s, _) = position(doc, d);
                let line = format!(
                    "{}:{}:{}: {} {}: {}",
                    r.path,
                    s.line,
                    s.column,
                    d.severity,
                    d.rule_id(),
                    xml_safe(&d.message)
                );
                if d.severity >= self.fail_on {
                    case.failing.push(line);
                } else {
                    case.other.push(line);
                }
            }
        }
        self.cases.push(case);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _s: &Summary) -> io::Result<()> {
        let tests = self.cases.len().to_string();
        let errors = self.cases.iter().filter(|c| c.error.is_some()).count().to_string();
        let failures = self
            .cases
            .iter()
            .filter(|c| c.error.is_none() && !c.failing.is_empty())
            .count()
            .to_string();
        let counts = [
            ("tests", tests.as_str()),
            ("failures", failures.as_str()),
            ("errors", errors.as_str()),
        ];
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.create_element("testsuites")
            .with_attribute(("name", "mtlint"))
            .with_attributes(counts)
            .write_inner_content(|w| {
                w.create_element("testsuite")
                    .with_attribute(("name", "mtlint"))
                    .with_attributes(counts)
                    .with_attribute(("skipped", "0"))
                    .write_inner_content(|w| {
                        for case in &self.cases {
                            self.write_case(w, case)?;
                        }
                        Ok(())
                    })?;
                Ok(())
            })?;
        out.write_all(&w.into_inner())?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_named() {
        assert_eq!(xml_safe("a\u{1}b"), "a<U+0001>b");
        assert_eq!(xml_safe("tab\tok"), "tab\tok");
    }
}
