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

/// Longest stretch of a span shown; a longer span (a run-on sentence) is cut in the middle.
const MAX_SPAN: usize = 80;
/// Columns assumed when neither `COLUMNS` nor the terminal says.
pub const DEFAULT_WIDTH: usize = 100;
/// Fewest characters of context shown on each side of a span, however narrow the terminal.
const MIN_CONTEXT: usize = 12;
/// Lines of a group listed before `…`.
const GROUP_LINES: usize = 12;

/// How the human format is laid out: the summary, the fix hint, the width, plain text.
#[derive(Debug, Clone, Default)]
pub struct HumanOptions {
    /// Print the closing summary line.
    pub summary: bool,
    /// Name the command that applies fixes (`mtlint fix`) in the summary.
    pub fix_hint: bool,
    /// Columns the output fits in (0: [`DEFAULT_WIDTH`]); see [`terminal_width`].
    pub width: usize,
    /// Never colour (the output goes to a file).
    pub plain: bool,
}

/// The width of the terminal the output goes to: `COLUMNS` when set, else the size of the
/// terminal on standard output, else [`DEFAULT_WIDTH`].
pub fn terminal_width() -> usize {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok());
    match columns {
        Some(c) if c > 0 => c,
        _ => terminal_size::terminal_size_of(io::stdout())
            .map(|(w, _)| usize::from(w.0))
            .filter(|&w| w > 0)
            .unwrap_or(DEFAULT_WIDTH),
    }
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

    /// No colour when `opts` say so (output to a file), else [`Palette::for_stdout`].
    pub fn for_output(opts: &HumanOptions) -> Self {
        if opts.plain {
            Palette::new(false)
        } else {
            Palette::for_stdout()
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

/// The name an invisible or spacing character is shown by, `⟨ZWSP⟩`.
fn invisible_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{a0}' => "NBSP",
        '\u{202f}' => "NNBSP",
        '\u{2009}' => "THIN SPACE",
        '\u{200b}' => "ZWSP",
        '\u{200c}' => "ZWNJ",
        '\u{200d}' => "ZWJ",
        '\u{2060}' => "WJ",
        '\u{feff}' => "BOM",
        '\u{ad}' => "SHY",
        '\u{3000}' => "IDEOGRAPHIC SPACE",
        _ => return None,
    })
}

/// A zero-width or control character a reader could not see, other than tab and line feed.
fn is_invisible(c: char) -> bool {
    is_unsafe(c) || c.is_control() || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{ad}' | '\u{feff}')
}

/// Text of a source line as shown: tabs as spaces, invisible characters as `⟨ZWSP⟩` (or
/// `⟨U+XXXX⟩`), so the underline has something to mark and nothing reaches the terminal raw.
fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' => out.push_str("    "),
            c if is_invisible(c) => match invisible_name(c) {
                Some(name) => {
                    out.push('⟨');
                    out.push_str(name);
                    out.push('⟩');
                }
                None => out.push_str(&format!("⟨U+{:04X}⟩", c as u32)),
            },
            c => out.push(c),
        }
    }
    out
}

/// Quotation marks and apostrophes, which cannot be told apart when quoted in quotes.
fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '`' | '\u{2018}'..='\u{201f}' | '\u{00ab}' | '\u{00bb}' | '\u{2039}' | '\u{203a}'
            | '\u{300c}'..='\u{300f}' | '\u{301d}'..='\u{301f}' | '\u{ff02}' | '\u{ff07}'
    )
}

/// A piece of text of a fix, shown so a reader can see it: invisible and spacing characters
/// by name (`⟨NBSP⟩`, `\n`), in backticks when it holds a straight double quote, and a short
/// piece made of quotes and punctuation followed by its code points (`“` U+201C), never as an
/// unreadable `"""`.
fn show(s: &str) -> String {
    let mut body = String::new();
    for c in s.chars() {
        match c {
            '\n' => body.push_str("\\n"),
            '\r' => body.push_str("\\r"),
            '\t' => body.push_str("\\t"),
            c if is_invisible(c) || invisible_name(c).is_some() => match invisible_name(c) {
                Some(name) => {
                    body.push('⟨');
                    body.push_str(name);
                    body.push('⟩');
                }
                None => body.push_str(&format!("⟨U+{:04X}⟩", c as u32)),
            },
            c => body.push(c),
        }
    }
    let quoted = if s.contains('"') {
        format!("`{body}`")
    } else {
        format!("\"{body}\"")
    };
    let short_marks = s.chars().count() <= 3
        && s.chars().any(is_quote)
        && s.chars().all(|c| is_quote(c) || c.is_ascii_punctuation() || c == ' ');
    if short_marks {
        let points: Vec<String> = s.chars().map(|c| format!("U+{:04X}", c as u32)).collect();
        format!("{quoted} {}", points.join(" "))
    } else {
        quoted
    }
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

/// The longest start of `s` at most `w` columns wide.
fn take_width(s: &str, w: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        used += width(c.encode_utf8(&mut [0; 4]));
        if used > w {
            return &s[..i];
        }
    }
    s
}

/// The longest end of `s` at most `w` columns wide.
fn last_width(s: &str, w: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices().rev() {
        used += width(c.encode_utf8(&mut [0; 4]));
        if used > w {
            return &s[i + c.len_utf8()..];
        }
    }
    s
}

/// The fix of `d` as the reader sees it: `unsafe fix: "party" → "Party"`.
/// What a fix is shown over: the flagged text and every edit of the fix.
fn fix_area(d: &Diagnostic, fix: &crate::diagnostic::Fix) -> crate::span::Span {
    crate::span::Span::new(d.span.start.min(fix.span().start), d.span.end.max(fix.span().end))
}

fn fix_text(p: &Palette, text: &str, d: &Diagnostic) -> Option<String> {
    let Palette { bold, green, red, .. } = *p;
    let fix = d.fix.as_ref()?;
    let area = fix_area(d, fix);
    let old = area.text(text);
    let new = fix.preview(text, area);
    let kind = match fix.applicability {
        Applicability::Safe => "fix",
        Applicability::Unsafe => "unsafe fix",
        Applicability::DisplayOnly => "suggestion",
    };
    let (old, new) = focus(old, &new);
    let (mut shown_old, mut shown_new) = (show(&old), show(&new));
    let same_look = match old.is_ascii() && new.is_ascii() {
        true => shown_old == shown_new,
        false => shown_old.nfc().eq(shown_new.nfc()),
    };
    if same_look {
        // Looks the same (NFC, a lookalike letter): spell out the code points.
        shown_old = format!("\"{}\"", code_points(&old));
        shown_new = format!("\"{}\"", code_points(&new));
    }
    Some(if new.trim().is_empty() && !old.trim().is_empty() {
        format!("{bold}{kind}{bold:#}: delete {red}{}{red:#}", shorten(&shown_old))
    } else {
        format!(
            "{bold}{kind}{bold:#}: {red}{}{red:#} → {green}{}{green:#}",
            shorten(&shown_old),
            shorten(&shown_new)
        )
    })
}

/// A long fix (a sentence split in its middle) cut to what changes, with a little of the
/// unchanged text around it, so the two sides do not look the same once shortened.
fn focus(old: &str, new: &str) -> (String, String) {
    const KEEP: usize = 12;
    if old.chars().count() <= 2 * KEEP + 16 && new.chars().count() <= 2 * KEEP + 16 {
        return (old.to_string(), new.to_string());
    }
    let prefix: usize = old
        .chars()
        .zip(new.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let (old_rest, new_rest) = (&old[prefix..], &new[prefix..]);
    let suffix: usize = old_rest
        .chars()
        .rev()
        .zip(new_rest.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let lead = last_chars(&old[..prefix], KEEP);
    let tail = take_chars(&old[old.len() - suffix..], KEEP);
    let cut = |middle: &str| {
        format!(
            "{}{lead}{middle}{tail}{}",
            if lead.len() < prefix { "…" } else { "" },
            if tail.len() < suffix { "…" } else { "" }
        )
    };
    (
        cut(&old_rest[..old_rest.len() - suffix]),
        cut(&new_rest[..new_rest.len() - suffix]),
    )
}

fn take_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn last_chars(s: &str, n: usize) -> &str {
    // From the end, so the cost is that of the `n` characters kept, not of the whole line.
    if n == 0 {
        return &s[s.len()..];
    }
    match s.char_indices().rev().nth(n - 1) {
        Some((i, _)) => &s[i..],
        None => s,
    }
}

/// Whether `s` has more than `n` characters, counting at most `n + 1`.
fn longer_than(s: &str, n: usize) -> bool {
    s.chars().nth(n).is_some()
}

/// Occurrences of one finding beyond the first: how many, and on which lines.
pub struct Repeats {
    pub count: usize,
    pub lines: Vec<usize>,
}

fn write_diagnostic(
    out: &mut dyn Write,
    p: &Palette,
    columns: usize,
    path: &str,
    doc: &Document,
    d: &Diagnostic,
    repeats: Option<&Repeats>,
) -> io::Result<()> {
    let Palette { bold, dim, blue, .. } = *p;
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
    let span_start = d.span.start.clamp(line.start, line.end);
    let span_end = d.span.end.clamp(span_start, line.end);
    // Only a window of the line around the finding is ever looked at, so the cost of a
    // finding does not grow with its line (a long line with many findings stays linear).
    let before = last_chars(&text[line.start..span_start], columns + 1);
    let inside = &text[span_start..span_end];
    let after = take_chars(&text[span_end..line.end], columns + 1);

    let (inside_shown, cut) = if longer_than(inside, MAX_SPAN) {
        let half = take_width(take_chars(inside, MAX_SPAN), (columns / 3).clamp(10, MAX_SPAN / 2));
        let tail = last_width(
            last_chars(inside, MAX_SPAN),
            (columns / 3).clamp(10, MAX_SPAN / 2).saturating_sub(4),
        );
        (format!("{half} … {tail}"), true)
    } else {
        (inside.to_string(), false)
    };
    let inside_shown = visible(&inside_shown);
    // What is left of the terminal's width for context, shared by the two sides.
    let room = columns.saturating_sub(gutter + 3 + width(&inside_shown) + 2);
    let side = (room / 2).max(MIN_CONTEXT);
    let (before_v, after_v) = (visible(before), visible(after));
    // The side with less to show leaves its room to the other.
    let (before_room, after_room) = (
        side + side.saturating_sub(width(&after_v)),
        side + side.saturating_sub(width(&before_v)),
    );
    let (lead, before_shown) = if width(&before_v) > before_room {
        ("…", last_width(&before_v, before_room.saturating_sub(1)))
    } else {
        ("", before_v.as_str())
    };
    let (after_shown, trail) = if width(&after_v) > after_room {
        (take_width(&after_v, after_room.saturating_sub(1)), "…")
    } else {
        (after_v.as_str(), "")
    };
    writeln!(
        out,
        "{blue}{}{blue:#} {blue}|{blue:#} {dim}{lead}{dim:#}{}{}{}{dim}{trail}{dim:#}",
        start.line,
        terminal(before_shown),
        terminal(&inside_shown),
        terminal(after_shown)
    )?;
    let offset = width(lead) + width(before_shown);
    let marks = width(&inside_shown).max(1);
    let mut marker = "^".repeat(marks);
    if cut {
        marker.push_str(" (sentence cut for display)");
    }
    let fix = fix_text(p, text, d);
    // The fix goes beside the underline when it fits the terminal, else on a line of its own.
    let beside = match &fix {
        Some(f) if !cut && gutter + 3 + offset + marks + 1 + plain_width(f) <= columns => Some(f),
        _ => None,
    };
    match beside {
        Some(f) => writeln!(
            out,
            "{pad} {blue}|{blue:#} {}{sev}{marker}{sev:#} {f}",
            " ".repeat(offset)
        )?,
        None => writeln!(out, "{pad} {blue}|{blue:#} {}{sev}{marker}{sev:#}", " ".repeat(offset))?,
    }
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
    if let (Some(f), None) = (&fix, beside) {
        writeln!(out, "{pad} {blue}={blue:#} {}", terminal(f))?;
    }
    for r in d.related.to_vec() {
        writeln!(
            out,
            "{pad} {blue}={blue:#} {bold}also{bold:#}: {}: {}",
            terminal(&r.rule.id),
            terminal(&r.message)
        )?;
    }
    if let Some(r) = repeats {
        let mut lines: Vec<String> = r.lines.iter().take(GROUP_LINES).map(ToString::to_string).collect();
        if r.lines.len() > GROUP_LINES {
            lines.push("…".to_string());
        }
        let what = match &fix {
            Some(_) => "the same finding and fix",
            None => "the same finding",
        };
        writeln!(
            out,
            "{pad} {blue}={blue:#} {bold}{} ×{bold:#} {what} in this file (lines {})",
            r.count,
            lines.join(", ")
        )?;
    }
    writeln!(out)
}

/// Columns `s` takes once its escape codes are left out.
fn plain_width(s: &str) -> usize {
    let mut w = 0;
    let mut in_escape = false;
    for c in s.chars() {
        match (in_escape, c) {
            (false, '\u{1b}') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, c) => w += width(c.encode_utf8(&mut [0; 4])),
        }
    }
    w
}

fn shorten(s: &str) -> String {
    const CONTEXT: usize = 40;
    if !longer_than(s, 2 * CONTEXT) {
        return s.to_string();
    }
    format!("{} … {}", take_chars(s, CONTEXT), last_chars(s, CONTEXT - 4))
}

/// `--show-fixes`: one line for each group of `diags` (findings in `doc`, read from `path`)
/// that has a fix: where its first finding is, the rule, the fix, and how many times.
pub fn write_fixes(
    out: &mut dyn Write,
    p: &Palette,
    path: &str,
    doc: &Document,
    diags: &[Diagnostic],
) -> io::Result<()> {
    for group in groups(doc, diags) {
        let d = group[0];
        let Some(fix) = fix_text(p, &doc.text, d) else { continue };
        let (start, _) = position(doc, d);
        let times = match group.len() {
            1 => String::new(),
            n => format!(" ({n} ×)"),
        };
        writeln!(
            out,
            "{}:{}:{}: {}: {}{times}",
            one_line(path),
            start.line,
            start.column,
            terminal(d.rule_id()),
            terminal(&fix)
        )?;
    }
    Ok(())
}

/// The key findings are grouped by: the same rule, flagged text, message and fix (a rule
/// that says different things about one text, such as which placeholder is missing, reports
/// different defects).
type GroupKey<'a> = (&'a str, &'a str, &'a str, Option<(Applicability, String)>);

fn group_key<'a>(text: &'a str, d: &'a Diagnostic) -> GroupKey<'a> {
    let fix = d.fix.as_ref().map(|f| {
        let area = fix_area(d, f);
        (
            f.applicability,
            format!("{}\u{0}{}", area.text(text), f.preview(text, area)),
        )
    });
    (d.rule_id(), d.span.text(text), &d.message, fix)
}

/// `diags` in groups of the same rule, flagged text and fix, in the order of each group's
/// first finding.
pub fn groups<'a>(doc: &'a Document, diags: &'a [Diagnostic]) -> Vec<Vec<&'a Diagnostic>> {
    let mut index: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    let mut out: Vec<Vec<&Diagnostic>> = Vec::new();
    for d in diags {
        let key = group_key(&doc.text, d);
        match index.get(&key) {
            Some(&i) => out[i].push(d),
            None => {
                index.insert(key, out.len());
                out.push(vec![d]);
            }
        }
    }
    out
}

/// The `human` format: each finding with its source line, the span underlined, and its fix.
#[derive(Clone)]
pub struct Human {
    pub opts: HumanOptions,
    pub palette: Palette,
}

impl Human {
    /// Each of `diags`, findings in `doc` (read from `path`), with its snippet.
    /// Findings of one rule with the same flagged text and fix are one group: the first is
    /// shown in full, with how many more there are and on which lines.
    pub fn findings(&self, out: &mut dyn Write, path: &str, doc: &Document, diags: &[Diagnostic]) -> io::Result<()> {
        self.write_groups(out, path, doc, &groups(doc, diags))
    }

    /// Each group of findings in `doc` with its snippet: the first shown in full, with how
    /// many more there are and on which lines.
    pub(super) fn write_groups(
        &self,
        out: &mut dyn Write,
        path: &str,
        doc: &Document,
        groups: &[Vec<&Diagnostic>],
    ) -> io::Result<()> {
        let columns = match self.opts.width {
            0 => DEFAULT_WIDTH,
            w => w,
        };
        let idx = doc.line_index();
        for group in groups {
            let repeats = (group.len() > 1).then(|| {
                let mut lines: Vec<usize> = group.iter().map(|d| idx.line_of(d.span.start) + 1).collect();
                lines.dedup();
                Repeats {
                    count: group.len(),
                    lines,
                }
            });
            write_diagnostic(out, &self.palette, columns, path, doc, group[0], repeats.as_ref())?;
        }
        Ok(())
    }
}

impl Emitter for Human {
    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        let bold = self.palette.bold;
        if let Some(err) = &r.error_message() {
            let style = self.palette.severity(Severity::Error);
            writeln!(
                out,
                "{style}error{style:#}{bold}: {}: {}{bold:#}\n",
                one_line(&r.path),
                terminal(err)
            )?;
        }
        let Some(doc) = r.document() else { return Ok(()) };
        self.findings(out, &r.path, doc, r.diagnostics())
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
    let plural = |n: usize, w: &str| crate::sanitize::plural(n, w, &format!("{w}s"));
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
        for (n, w) in [
            (s.severities.errors, "error"),
            (s.severities.warnings, "warning"),
            (s.severities.infos, "info"),
        ] {
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
