//! `junit`: JUnit XML, one test case a file, for CI systems that show test reports (GitLab,
//! Jenkins, Azure Pipelines …). A file fails when it has findings at or above the fail level;
//! a file that could not be read is an `error`. Findings below the fail level are listed in
//! the test case's `system-out`.

use std::borrow::Cow;
use std::io::{self, Seek, SeekFrom, Write};

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
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

/// Bytes of test cases held in memory before they go to a temporary file.
const SPOOL_IN_MEMORY: usize = 1024 * 1024;

/// Bytes of a test case rendered before they are moved to the spool.
const CHUNK: usize = 64 * 1024;

/// The `junit` format: one test case a file, failed when it has findings at or above the fail level.
///
/// The suite's counts come first in the document, so the test cases are written as files
/// finish to a spool (in memory while small, then a temporary file), and copied out after the
/// counts at the end: a run's findings are never all held in memory.
pub struct Junit {
    fail_on: Severity,
    tests: usize,
    failures: usize,
    errors: usize,
    /// Writes the test cases, indented as children of `testsuites` and `testsuite` (which it
    /// has opened, its opening discarded); its buffer is moved to `spool` as it fills.
    cases: Writer<Vec<u8>>,
    spool: Spool,
}

/// Where the test cases wait for the counts: in memory while small, then a temporary file.
/// When no temporary file can be made (a read-only system, a missing `TMPDIR`), they stay in
/// memory, whole, as they did before they were spooled: the report is still written.
enum Spool {
    Spooled(tempfile::SpooledTempFile),
    Memory(Vec<u8>),
}

impl Spool {
    /// Writes everything spooled to `out`.
    fn copy_to(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Spool::Memory(bytes) => out.write_all(bytes),
            Spool::Spooled(file) => {
                file.seek(SeekFrom::Start(0)).map_err(spool_error)?;
                io::copy(file, out).map(|_| ())
            }
        }
    }
}

/// An error of the temporary file, said as one.
fn spool_error(e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("the junit report's temporary file: {e}"))
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let failed = match self {
            Spool::Memory(bytes) => {
                bytes.extend_from_slice(buf);
                return Ok(buf.len());
            }
            Spool::Spooled(file) => match file.write(buf) {
                // Moving to a temporary file failed; what was written is still in memory.
                Err(e) if !file.is_rolled() => e,
                r => return r.map_err(spool_error),
            },
        };
        let Spool::Spooled(file) = std::mem::replace(self, Spool::Memory(Vec::new())) else {
            return Err(failed);
        };
        let tempfile::SpooledData::InMemory(cursor) = file.into_inner() else {
            return Err(failed);
        };
        let mut bytes = cursor.into_inner();
        bytes.extend_from_slice(buf);
        *self = Spool::Memory(bytes);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Spool::Spooled(file) => file.flush(),
            Spool::Memory(_) => Ok(()),
        }
    }
}

impl Junit {
    pub fn new(fail_on: Severity) -> Self {
        let mut cases = Writer::new_with_indent(Vec::new(), b' ', 2);
        // Opened only for the indentation of what follows; the bytes are dropped. Writing to
        // a vector cannot fail.
        let _ = cases.write_event(Event::Start(BytesStart::new("testsuites")));
        let _ = cases.write_event(Event::Start(BytesStart::new("testsuite")));
        cases.get_mut().clear();
        Junit {
            fail_on,
            tests: 0,
            failures: 0,
            errors: 0,
            cases,
            spool: Spool::Spooled(tempfile::spooled_tempfile(SPOOL_IN_MEMORY)),
        }
    }
}

/// Moves what `w` has written to `spool`.
fn drain(w: &mut Writer<Vec<u8>>, spool: &mut impl Write) -> io::Result<()> {
    spool.write_all(w.get_ref())?;
    w.get_mut().clear();
    Ok(())
}

/// Writes one line a finding of `r` that `wanted` picks, as the text of the element `w` has
/// opened (lines joined by line breaks), moving the written bytes to `spool` as they grow.
fn write_lines(
    w: &mut Writer<Vec<u8>>,
    spool: &mut impl Write,
    r: &FileReport,
    wanted: impl Fn(Severity) -> bool,
) -> io::Result<()> {
    let Some(doc) = r.document() else { return Ok(()) };
    let mut first = true;
    for d in r.diagnostics().iter().filter(|d| wanted(d.severity)) {
        let (s, _) = position(doc, d);
        let line = format!(
            "{}{}:{}:{}: {} {}: {}",
            if first { "" } else { "\n" },
            r.path,
            s.line,
            s.column,
            d.severity,
            d.rule_id(),
            xml_safe(&d.message)
        );
        first = false;
        w.write_event(Event::Text(BytesText::new(&line)))?;
        if w.get_ref().len() >= CHUNK {
            drain(w, spool)?;
        }
    }
    Ok(())
}

impl Emitter for Junit {
    fn file(&mut self, _out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        let fail_on = self.fail_on;
        let error = r.error_message();
        let failing = r.diagnostics().iter().filter(|d| d.severity >= fail_on).count();
        let other = r.diagnostics().len() - failing;
        self.tests += 1;
        if error.is_some() {
            self.errors += 1;
        } else if failing > 0 {
            self.failures += 1;
        }
        let path = xml_safe(&r.path);
        let case = self
            .cases
            .create_element("testcase")
            .with_attribute(("name", path.as_ref()))
            .with_attribute(("classname", "mtlint"))
            .with_attribute(("file", path.as_ref()));
        let spool = &mut self.spool;
        if error.is_none() && r.diagnostics().is_empty() {
            case.write_empty()?;
        } else {
            case.write_inner_content(|w| {
                if let Some(err) = &error {
                    let err = xml_safe(err);
                    w.create_element("error")
                        .with_attribute(("message", err.as_ref()))
                        .with_attribute(("type", "unreadable"))
                        .write_text_content(BytesText::new(&err))?;
                }
                if failing > 0 {
                    let message = format!("{} at or above {}", plural(failing, "finding"), fail_on);
                    w.create_element("failure")
                        .with_attribute(("message", message.as_str()))
                        .with_attribute(("type", "mtlint"))
                        .write_inner_content(|w| write_lines(w, spool, r, |s| s >= fail_on))?;
                }
                if other > 0 {
                    w.create_element("system-out")
                        .write_inner_content(|w| write_lines(w, spool, r, |s| s < fail_on))?;
                }
                Ok(())
            })?;
        }
        drain(&mut self.cases, &mut self.spool)
    }

    fn finish(&mut self, out: &mut dyn Write, _s: &Summary) -> io::Result<()> {
        let tests = self.tests.to_string();
        let failures = self.failures.to_string();
        let errors = self.errors.to_string();
        let counts = [
            ("tests", tests.as_str()),
            ("failures", failures.as_str()),
            ("errors", errors.as_str()),
        ];
        let mut head = Writer::new_with_indent(Vec::new(), b' ', 2);
        head.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        head.write_event(Event::Start(
            BytesStart::new("testsuites")
                .with_attributes([("name", "mtlint")])
                .with_attributes(counts),
        ))?;
        head.write_event(Event::Start(
            BytesStart::new("testsuite")
                .with_attributes([("name", "mtlint")])
                .with_attributes(counts)
                .with_attributes([("skipped", "0")]),
        ))?;
        out.write_all(head.get_ref())?;
        self.spool.copy_to(out)?;
        self.cases.write_event(Event::End(BytesEnd::new("testsuite")))?;
        self.cases.write_event(Event::End(BytesEnd::new("testsuites")))?;
        out.write_all(self.cases.get_ref())?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of each element named `name` in `xml`, and the attributes of `testsuite`.
    fn read(xml: &str, name: &str) -> (Vec<String>, Vec<(String, String)>) {
        let mut reader = quick_xml::Reader::from_str(xml);
        let (mut texts, mut suite, mut inside) = (Vec::new(), Vec::new(), false);
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Eof => break,
                Event::Start(e) if e.name().as_ref() == b"testsuite" => {
                    for a in e.attributes() {
                        let a = a.unwrap();
                        let value = a.unescape_value().unwrap().into_owned();
                        suite.push((String::from_utf8(a.key.as_ref().to_vec()).unwrap(), value));
                    }
                }
                Event::Start(e) => {
                    inside = e.name().as_ref() == name.as_bytes();
                    if inside {
                        texts.push(String::new());
                    }
                }
                Event::Text(t) if inside => texts.last_mut().unwrap().push_str(&t.decode().unwrap()),
                Event::GeneralRef(r) if inside => {
                    let named = [("quot", "\""), ("amp", "&"), ("lt", "<"), ("gt", ">"), ("apos", "'")];
                    let r = String::from_utf8(r.to_vec()).unwrap();
                    let c = named.iter().find(|(n, _)| *n == r).unwrap().1;
                    texts.last_mut().unwrap().push_str(c);
                }
                Event::End(_) => inside = false,
                _ => {}
            }
        }
        (texts, suite)
    }

    #[test]
    fn without_a_temporary_file_the_spool_keeps_everything_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("not-there");
        let mut spool = Spool::Spooled(tempfile::spooled_tempfile_in(16, &missing));
        let written: Vec<u8> = (0..100u8).collect();
        for chunk in written.chunks(7) {
            spool.write_all(chunk).unwrap();
        }
        assert!(matches!(spool, Spool::Memory(_)));
        let mut out = Vec::new();
        spool.copy_to(&mut out).unwrap();
        assert_eq!(out, written);
    }

    #[test]
    fn a_report_larger_than_the_memory_spool_is_written_whole() {
        let big = crate::output::tests::report(30_000);
        let failed = FileReport::failed("gone.txt", crate::error::FileError::Input("gone".into()));
        let mut junit = Junit::new(Severity::Warning);
        let mut out = Vec::new();
        for r in [&failed, &big, &failed] {
            junit.file(&mut out, r).unwrap();
        }
        assert!(
            matches!(&junit.spool, Spool::Spooled(file) if file.is_rolled()),
            "the test cases went to a temporary file"
        );
        junit.finish(&mut out, &Summary::default()).unwrap();
        let xml = String::from_utf8(out).unwrap();
        let failing = big
            .diagnostics()
            .iter()
            .filter(|d| d.severity >= Severity::Warning)
            .count();
        let (failures, suite) = read(&xml, "failure");
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].lines().count(), failing);
        assert!(failures[0].ends_with(xml_safe(&big.diagnostics().last().unwrap().message).as_ref()));
        let (other, _) = read(&xml, "system-out");
        assert_eq!(other[0].lines().count(), big.diagnostics().len() - failing);
        let counts: Vec<(&str, &str)> = suite.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            counts,
            [
                ("name", "mtlint"),
                ("tests", "3"),
                ("failures", "1"),
                ("errors", "2"),
                ("skipped", "0")
            ]
        );
    }

    #[test]
    fn control_characters_are_named() {
        assert_eq!(xml_safe("a\u{1}b"), "a<U+0001>b");
        assert_eq!(xml_safe("tab\tok"), "tab\tok");
    }
}
