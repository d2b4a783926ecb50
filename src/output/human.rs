//! `human`: the source line with the span underlined, the message, the rule id and the
//! suggested fix, like rustc and ruff. Long lines (a machine-translated paragraph is often
//! one line of a thousand characters) are shown as a window around the span.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use unicode_normalization::UnicodeNormalization;
use unicode_width::UnicodeWidthChar;

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

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const BLUE: Style = AnsiColor::Blue.on_default().bold();
const GREEN: Style = AnsiColor::Green.on_default();
const RED: Style = AnsiColor::Red.on_default();

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Error => AnsiColor::Red.on_default().bold(),
        Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        Severity::Info => AnsiColor::Cyan.on_default().bold(),
    }
}

fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if c == '\t' { 4 } else { c.width().unwrap_or(0) })
        .sum()
}

fn visible(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\t' {
                "    ".to_string()
            } else if c == '\u{feff}' {
                String::new()
            } else if c.is_control()
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{ad}' | '\u{202a}'..='\u{202e}')
            {
                // Invisible or control: a visible stand-in, so the underline has something to mark.
                "\u{fffd}".to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
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

fn last_chars(s: &str, n: usize) -> &str {
    let count = s.chars().count();
    if count <= n {
        return s;
    }
    match s.char_indices().nth(count - n) {
        Some((i, _)) => &s[i..],
        None => s,
    }
}

fn write_diagnostic(out: &mut dyn Write, path: &str, doc: &Document, d: &Diagnostic) -> io::Result<()> {
    let text = &doc.text;
    let (start, _) = position(doc, d);
    let sev = severity_style(d.severity);
    writeln!(
        out,
        "{sev}{}{sev:#}{BOLD}[{}]: {}{BOLD:#}",
        d.severity,
        d.rule_id(),
        d.message
    )?;
    let gutter = start.line.to_string().len();
    let pad = " ".repeat(gutter);
    writeln!(out, "{pad}{BLUE}-->{BLUE:#} {path}:{}:{}", start.line, start.column)?;

    let idx = doc.line_index();
    let line = idx.line_span(text, start.line - 1);
    let line_text = line.text(text);
    let span_start = d.span.start.clamp(line.start, line.end);
    let span_end = d.span.end.clamp(span_start, line.end);
    let before = &text[line.start..span_start];
    let inside = &text[span_start..span_end];
    let after = &text[span_end..line.end];

    let (lead, before_shown) = if before.chars().count() > CONTEXT {
        ("…", last_chars(before, CONTEXT))
    } else {
        ("", before)
    };
    let (inside_shown, cut) = if inside.chars().count() > MAX_SPAN {
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
    let (after_shown, trail) = if after.chars().count() > CONTEXT {
        (take_chars(after, CONTEXT), "…")
    } else {
        (after, "")
    };
    let _ = line_text;
    writeln!(out, "{pad} {BLUE}|{BLUE:#}")?;
    writeln!(
        out,
        "{BLUE}{}{BLUE:#} {BLUE}|{BLUE:#} {DIM}{lead}{DIM:#}{}{}{}{DIM}{trail}{DIM:#}",
        start.line,
        visible(before_shown),
        visible(&inside_shown),
        visible(after_shown)
    )?;
    let offset = width(lead) + width(&visible(before_shown));
    let marks = width(&visible(&inside_shown)).max(1);
    let marker = if cut {
        "^".repeat(marks) + " (sentence cut for display)"
    } else {
        "^".repeat(marks)
    };
    writeln!(out, "{pad} {BLUE}|{BLUE:#} {}{sev}{marker}{sev:#}", " ".repeat(offset))?;
    if d.span.end > line.end && !cut {
        writeln!(out, "{pad} {BLUE}|{BLUE:#} {DIM}(continues on the next lines){DIM:#}")?;
    }
    for label in &d.labels {
        let lc = idx.line_col(text, label.span.start);
        writeln!(
            out,
            "{pad} {BLUE}={BLUE:#} {BOLD}note{BOLD:#}: {} at {}:{}",
            label.message, lc.line, lc.column
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
        if shown_old.nfc().eq(shown_new.nfc()) {
            // Looks the same (NFC, a lookalike letter): spell out the code points.
            shown_old = code_points(old);
            shown_new = code_points(&new);
        }
        if new.trim().is_empty() && !old.trim().is_empty() {
            writeln!(
                out,
                "{pad} {BLUE}={BLUE:#} {BOLD}{kind}{BOLD:#}: delete {RED}\"{}\"{RED:#}",
                shorten(&shown_old)
            )?;
        } else {
            writeln!(
                out,
                "{pad} {BLUE}={BLUE:#} {BOLD}{kind}{BOLD:#}: {RED}\"{}\"{RED:#} → {GREEN}\"{}\"{GREEN:#}",
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

pub struct Human {
    pub opts: HumanOptions,
}

impl Emitter for Human {
    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        if let Some(err) = &r.error {
            let style = severity_style(Severity::Error);
            writeln!(out, "{style}error{style:#}{BOLD}: {}: {err}{BOLD:#}\n", r.path)?;
        }
        let Some(doc) = &r.document else { return Ok(()) };
        for d in &r.diagnostics {
            write_diagnostic(out, &r.path, doc, d)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        if self.opts.summary {
            write_summary(out, s, self.opts.fix_hint)?;
        }
        Ok(())
    }
}

pub fn write_summary(out: &mut dyn Write, s: &Summary, fix_hint: bool) -> io::Result<()> {
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    if s.diagnostics == 0 {
        write!(out, "{GREEN}No problems found{GREEN:#} in {}", plural(s.files, "file"))?;
    } else {
        let mut parts = Vec::new();
        for (n, w) in [(s.errors, "error"), (s.warnings, "warning"), (s.infos, "info")] {
            if n > 0 {
                parts.push(if w == "info" { format!("{n} info") } else { plural(n, w) });
            }
        }
        write!(
            out,
            "{BOLD}Found {} ({}) in {}{BOLD:#}",
            plural(s.diagnostics, "problem"),
            parts.join(", "),
            plural(s.files, "file")
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
