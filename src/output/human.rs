//! `human`: the source line with the span underlined, the message, the rule id and the
//! suggested fix, like rustc and ruff. Long lines (a machine-translated paragraph is often
//! one line of a thousand characters) are shown as a window around the span.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use unicode_normalization::UnicodeNormalization;
use unicode_width::UnicodeWidthChar;

use super::sanitize::{is_unsafe, one_line, terminal};
use super::{position, Emitter, FileReport, Summary};
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::document::Document;

/// Characters of context shown on each side of a span in a long line.
const CONTEXT: usize = 40;
/// Longest stretch of a span shown; a longer span (a run-on sentence) is cut in the middle.
const MAX_SPAN: usize = 80;

#[derive(Debug, Clone, Default)]
pub struct HumanOptions {
    /// Print the closing summary line.
    pub summary: bool,
    /// Name the command that applies fixes (`mtlint fix`) in the summary.
    pub fix_hint: bool,
}

/// The styles of the human format; all plain when colour is off, so nothing has to strip
/// escape codes from a large batch's output afterwards.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    color: bool,
    bold: Style,
    dim: Style,
    blue: Style,
    green: Style,
    red: Style,
}

impl Palette {
    pub fn new(color: bool) -> Self {
        let plain = Style::new();
        Palette {
            color,
            bold: if color { Style::new().bold() } else { plain },
            dim: if color { Style::new().dimmed() } else { plain },
            blue: if color {
                AnsiColor::Blue.on_default().bold()
            } else {
                plain
            },
            green: if color { AnsiColor::Green.on_default() } else { plain },
            red: if color { AnsiColor::Red.on_default() } else { plain },
        }
    }

    /// Colour when standard output takes it (a terminal, `--color always`, not `NO_COLOR`).
    pub fn for_stdout() -> Self {
        Palette::new(anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never)
    }

    fn severity(&self, s: Severity) -> Style {
        if !self.color {
            return Style::new();
        }
        match s {
            Severity::Error => AnsiColor::Red.on_default().bold(),
            Severity::Warning => AnsiColor::Yellow.on_default().bold(),
            Severity::Info => AnsiColor::Cyan.on_default().bold(),
        }
    }
}

fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if c == '\t' { 4 } else { c.width().unwrap_or(0) })
        .sum()
}

fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' => out.push_str("    "),
            '\u{feff}' => {}
            // Invisible or control: a visible stand-in, so the underline has something to mark.
            c if is_unsafe(c) => out.push_str(&terminal(c.encode_utf8(&mut [0; 4]))),
            c if c.is_control() || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{ad}') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Shows an invisible or spacing-only string so a reader can see it.
fn show(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{a0}' => out.push_str("<nbsp>"),
            '\u{202f}' => out.push_str("<narrow nbsp>"),
            c if is_unsafe(c) => out.push_str(&terminal(c.encode_utf8(&mut [0; 4]))),
            c if c.is_control() || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}' | '\u{ad}') => {
                out.push_str(&format!("<U+{:04X}>", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

fn code_points(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_graphic() {
                c.to_string()
            } else {
                format!("<U+{:04X}>", c as u32)
            }
        })
        .collect()
}

fn take_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The last `n` characters of `s` (all of it when shorter), found from the end: the cost
/// is `n`, not the length of `s`.
fn last_chars(s: &str, n: usize) -> &str {
    match n.checked_sub(1).and_then(|k| s.char_indices().rev().nth(k)) {
        Some((i, _)) => &s[i..],
        None if n == 0 => "",
        None => s,
    }
}

/// Whether `s` has more than `n` characters, counting at most `n + 1`.
fn longer_than(s: &str, n: usize) -> bool {
    s.chars().nth(n).is_some()
}

fn write_diagnostic(out: &mut dyn Write, p: &Palette, path: &str, doc: &Document, d: &Diagnostic) -> io::Result<()> {
    let Palette {
        bold,
        dim,
        blue,
        green,
        red,
        ..
    } = *p;
    let text = &doc.text;
    let (start, _) = position(doc, d);
    let sev = p.severity(d.severity);
    writeln!(
        out,
        "{sev}{}{sev:#}{bold}[{}]: {}{bold:#}",
        d.severity,
        terminal(d.rule_id()),
        terminal(&d.message)
    )?;
    let gutter = start.line.to_string().len();
    let pad = " ".repeat(gutter);
    writeln!(
        out,
        "{pad}{blue}-->{blue:#} {}:{}:{}",
        one_line(path),
        start.line,
        start.column
    )?;

    let idx = doc.line_index();
    let line = idx.line_span(text, start.line - 1);
    let line_text = line.text(text);
    let span_start = d.span.start.clamp(line.start, line.end);
    let span_end = d.span.end.clamp(span_start, line.end);
    let before = &text[line.start..span_start];
    let inside = &text[span_start..span_end];
    let after = &text[span_end..line.end];

    let (lead, before_shown) = if longer_than(before, CONTEXT) {
        ("…", last_chars(before, CONTEXT))
    } else {
        ("", before)
    };
    let (inside_shown, cut) = if longer_than(inside, MAX_SPAN) {
        (
            format!(
                "{} … {}",
                take_chars(inside, MAX_SPAN / 2),
                last_chars(inside, MAX_SPAN / 2 - 4)
            ),
            true,
        )
    } else {
        (inside.to_string(), false)
    };
    let (after_shown, trail) = if longer_than(after, CONTEXT) {
        (take_chars(after, CONTEXT), "…")
    } else {
        (after, "")
    };
    let _ = line_text;
    writeln!(out, "{pad} {blue}|{blue:#}")?;
    let (before_shown, inside_shown) = (visible(before_shown), visible(&inside_shown));
    writeln!(
        out,
        "{blue}{}{blue:#} {blue}|{blue:#} {dim}{lead}{dim:#}{}{}{}{dim}{trail}{dim:#}",
        start.line,
        before_shown,
        inside_shown,
        visible(after_shown)
    )?;
    let offset = width(lead) + width(&before_shown);
    let marks = width(&inside_shown).max(1);
    let marker = if cut {
        "^".repeat(marks) + " (sentence cut for display)"
    } else {
        "^".repeat(marks)
    };
    writeln!(out, "{pad} {blue}|{blue:#} {}{sev}{marker}{sev:#}", " ".repeat(offset))?;
    if d.span.end > line.end && !cut {
        writeln!(out, "{pad} {blue}|{blue:#} {dim}(continues on the next lines){dim:#}")?;
    }
    for label in &d.labels {
        let lc = idx.line_col(text, label.span.start);
        writeln!(
            out,
            "{pad} {blue}={blue:#} {bold}note{bold:#}: {} at {}:{}",
            terminal(&label.message),
            lc.line,
            lc.column
        )?;
    }
    if let Some(fix) = &d.fix {
        let area = crate::span::Span::new(d.span.start.min(fix.span().start), d.span.end.max(fix.span().end));
        let old = area.text(text);
        let new = fix.preview(text, area);
        let kind = match fix.applicability {
            Applicability::Safe => "fix",
            Applicability::Unsafe => "unsafe fix",
            Applicability::DisplayOnly => "suggestion",
        };
        let (mut shown_old, mut shown_new) = (show(old), show(&new));
        let same_look = match old.is_ascii() && new.is_ascii() {
            true => shown_old == shown_new,
            false => shown_old.nfc().eq(shown_new.nfc()),
        };
        if same_look {
            // Looks the same (NFC, a lookalike letter): spell out the code points.
            shown_old = code_points(old);
            shown_new = code_points(&new);
        }
        if new.trim().is_empty() && !old.trim().is_empty() {
            writeln!(
                out,
                "{pad} {blue}={blue:#} {bold}{kind}{bold:#}: delete {red}\"{}\"{red:#}",
                shorten(&shown_old)
            )?;
        } else {
            writeln!(
                out,
                "{pad} {blue}={blue:#} {bold}{kind}{bold:#}: {red}\"{}\"{red:#} → {green}\"{}\"{green:#}",
                shorten(&shown_old),
                shorten(&shown_new)
            )?;
        }
    }
    writeln!(out)
}

fn shorten(s: &str) -> String {
    if s.chars().count() <= 2 * CONTEXT {
        return s.to_string();
    }
    format!("{} … {}", take_chars(s, CONTEXT), last_chars(s, CONTEXT - 4))
}

#[derive(Clone)]
pub struct Human {
    pub opts: HumanOptions,
    pub palette: Palette,
}

impl Human {
    /// Each of `diags`, findings in `doc` (read from `path`), with its snippet.
    pub fn findings(&self, out: &mut dyn Write, path: &str, doc: &Document, diags: &[Diagnostic]) -> io::Result<()> {
        for d in diags {
            write_diagnostic(out, &self.palette, path, doc, d)?;
        }
        Ok(())
    }
}

impl Emitter for Human {
    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        let bold = self.palette.bold;
        if let Some(err) = &r.error {
            let style = self.palette.severity(Severity::Error);
            writeln!(
                out,
                "{style}error{style:#}{bold}: {}: {}{bold:#}\n",
                one_line(&r.path),
                terminal(err)
            )?;
        }
        let Some(doc) = &r.document else { return Ok(()) };
        self.findings(out, &r.path, doc, &r.diagnostics)
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        if self.opts.summary {
            write_summary(out, &self.palette, s, self.opts.fix_hint)?;
        }
        Ok(())
    }
}

pub fn write_summary(out: &mut dyn Write, p: &Palette, s: &Summary, fix_hint: bool) -> io::Result<()> {
    let Palette { bold, green, .. } = *p;
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    let checked = s.files - s.files_with_errors;
    let skipped = match s.skipped {
        0 => String::new(),
        n => format!(" ({n} skipped)"),
    };
    if s.diagnostics == 0 && s.files_with_errors > 0 {
        // Never "no problems" when something could not be read.
        let style = p.severity(crate::diagnostic::Severity::Error);
        let rest = match checked {
            0 => "nothing was checked".to_string(),
            n => format!("no problems in the {} checked", plural(n, "file")),
        };
        write!(
            out,
            "{style}{} could not be checked{style:#}; {rest}{skipped}",
            plural(s.files_with_errors, "file")
        )?;
        return writeln!(out, ".");
    }
    if s.diagnostics == 0 {
        write!(
            out,
            "{green}No problems found{green:#} in {}{skipped}",
            plural(s.files, "file")
        )?;
    } else {
        let mut parts = Vec::new();
        for (n, w) in [(s.errors, "error"), (s.warnings, "warning"), (s.infos, "info")] {
            if n > 0 {
                parts.push(if w == "info" { format!("{n} info") } else { plural(n, w) });
            }
        }
        write!(
            out,
            "{bold}Found {} ({}) in {}{bold:#}{skipped}",
            plural(s.diagnostics, "problem"),
            parts.join(", "),
            plural(checked, "file")
        )?;
    }
    if s.files_with_errors > 0 {
        write!(out, "; {} could not be checked", plural(s.files_with_errors, "file"))?;
    }
    writeln!(out, ".")?;
    if fix_hint && s.fixable_safe > 0 {
        write!(out, "{} fixable with `mtlint fix`", s.fixable_safe)?;
        if s.fixable_unsafe > 0 {
            write!(out, " ({} more with `mtlint fix --unsafe-fixes`)", s.fixable_unsafe)?;
        }
        writeln!(out, ".")?;
    } else if fix_hint && s.fixable_unsafe > 0 {
        writeln!(out, "{} fixable with `mtlint fix --unsafe-fixes`.", s.fixable_unsafe)?;
    }
    Ok(())
}
