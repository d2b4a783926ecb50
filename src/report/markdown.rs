//! The Markdown review report: the summary and the findings, for a pull-request comment.
//! Text from the documents is escaped so it shows as written (GitHub renders inline HTML) and
//! mentions nobody.

use std::fmt::Write;

use super::{plural, visible, Batch};
use crate::diagnostic::Severity;
use crate::output::code_span;

/// GitHub refuses comments over 65,536 characters: stop listing findings before that.
pub const DEFAULT_LIMIT: usize = 60_000;

/// Escapes text for a Markdown table cell: HTML, emphasis, links, pipes and line breaks.
fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            // A mention (`@user`, `@org/team`) in a posted report would notify them: an empty
            // HTML comment after the `@` keeps it from being one, and shows nothing.
            '@' => out.push_str("@<!-- -->"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A code span fit for a table cell (GFM splits cells at `|` even inside code).
fn code_cell(s: &str) -> String {
    code_span(&visible(s).replace(['\n', '\r'], " ")).replace('|', "\\|")
}

fn score(q: f64) -> String {
    format!("{q:.1}")
}

/// The report, listing findings until the text reaches about `limit` characters.
pub fn render(batch: &Batch, limit: usize) -> String {
    let mut md = String::new();
    let s = &batch.score;
    let _ = writeln!(md, "## mtlint review report\n");
    let _ = writeln!(
        md,
        "**Quality score {}** ({}) · {} · {} · {} · {:.1} penalty points per 1,000 words\n",
        score(s.quality()),
        s.band().as_str(),
        plural(batch.files(), "file", "files"),
        plural(s.words, "word", "words"),
        plural(batch.counts.total(), "finding", "findings"),
        s.per_thousand()
    );
    let _ = writeln!(md, "| severity | findings | penalty points each |\n|---|---:|---:|");
    for sev in [Severity::Error, Severity::Warning, Severity::Info] {
        let _ = writeln!(
            md,
            "| {} | {} | {} ({}) |",
            sev,
            batch.counts.of(sev),
            super::weight(sev),
            super::mqm_severity(sev)
        );
    }
    if !batch.by_category.is_empty() {
        let _ = writeln!(md, "\n### By MQM category\n\n| category | findings |\n|---|---:|");
        for (cat, n) in &batch.by_category {
            let _ = writeln!(md, "| {} | {n} |", cell(cat));
        }
        let _ = writeln!(
            md,
            "\n### By rule\n\n| rule | severity | category | findings | what it flags |\n|---|---|---|---:|---|"
        );
        for r in &batch.by_rule {
            let _ = writeln!(
                md,
                "| `{}` | {} | {} | {} | {} |",
                r.id,
                r.severity,
                cell(r.category),
                r.count,
                cell(&r.summary)
            );
        }
    }
    let _ = writeln!(
        md,
        "\n### Documents, worst first\n\n| document | language | words | errors | warnings | infos | per 1,000 words | score |\n|---|---|---:|---:|---:|---:|---:|---:|"
    );
    for e in &batch.entries {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {:.1} | {} |",
            cell(&e.report.path),
            cell(&e.doc.language),
            e.score.words,
            e.counts.errors,
            e.counts.warnings,
            e.counts.infos,
            e.score.per_thousand(),
            score(e.score.quality())
        );
    }
    if !batch.failed.is_empty() {
        let _ = writeln!(md, "\n### Files that could not be checked\n");
        for r in &batch.failed {
            let _ = writeln!(
                md,
                "- {}: {}",
                cell(&r.path),
                cell(r.error_message().as_deref().unwrap_or(""))
            );
        }
    }
    let mut left_out = 0usize;
    let mut docs_left_out = 0usize;
    let with_findings: Vec<_> = batch
        .entries
        .iter()
        .filter(|e| !e.report.diagnostics().is_empty())
        .collect();
    if !with_findings.is_empty() {
        let _ = writeln!(md, "\n### Findings");
    }
    for e in with_findings {
        if md.len() >= limit {
            left_out += e.report.diagnostics().len();
            docs_left_out += 1;
            continue;
        }
        let doc = e.doc;
        let idx = doc.line_index();
        let _ = writeln!(
            md,
            "\n<details><summary><b>{}</b>: score {}, {}</summary>\n",
            cell(&e.report.path),
            score(e.score.quality()),
            plural(e.counts.total(), "finding", "findings")
        );
        let _ = writeln!(
            md,
            "| line:col | severity | rule | finding | suggested fix |\n|---|---|---|---|---|"
        );
        let mut diags: Vec<_> = e.report.diagnostics().iter().collect();
        diags.sort_by_key(|d| (d.span.start, d.span.end));
        let mut shown = 0;
        for d in &diags {
            if md.len() >= limit {
                break;
            }
            let at = idx.line_col(&doc.text, d.span.start);
            let fix = match &d.fix {
                None => String::new(),
                Some(f) => f
                    .edits
                    .iter()
                    .map(|ed| {
                        let old = &doc.text[ed.span.start..ed.span.end];
                        match (old.is_empty(), ed.replacement.is_empty()) {
                            (true, _) => format!("insert {}", code_cell(&ed.replacement)),
                            (false, true) => format!("delete {}", code_cell(old)),
                            (false, false) => format!("{} → {}", code_cell(old), code_cell(&ed.replacement)),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            };
            let _ = writeln!(
                md,
                "| {}:{} | {} | `{}` | {} | {} |",
                at.line,
                at.column,
                d.severity,
                d.rule_id(),
                cell(&d.message),
                fix
            );
            shown += 1;
        }
        if shown < diags.len() {
            left_out += diags.len() - shown;
        }
        let _ = writeln!(md, "\n</details>");
    }
    if left_out > 0 {
        let _ = writeln!(
            md,
            "\n_{} not listed here{} to keep this comment short: the HTML report (`mtlint report --html`) shows them all._",
            plural(left_out, "more finding", "more findings"),
            if docs_left_out > 0 {
                let noun = if docs_left_out == 1 { "document" } else { "documents" };
                format!(" (in {docs_left_out} more {noun})")
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(
        md,
        "\n<sub>Score: 100 × (1 − penalty points ÷ words), penalty points per finding: error 10, warning 5, info 1 (MQM critical, major, minor). Generated by mtlint {}.</sub>",
        env!("CARGO_PKG_VERSION")
    );
    md
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, RuleMeta};
    use crate::document::Document;
    use crate::output::{FileReport, RuleCatalog};
    use crate::report::Batch;
    use crate::span::Span;

    fn report(path: &str, text: &str, n: usize) -> FileReport {
        let rule = Arc::new(RuleMeta {
            id: "en/space-before-punctuation".into(),
            severity: Severity::Warning,
            category: "fluency/punctuation".into(),
        });
        let doc = Document::new(path, text.to_string(), Some("en"));
        let at = text.find(" .").unwrap();
        let diagnostics = (0..n)
            .map(|_| Diagnostic {
                rule: rule.clone(),
                severity: Severity::Warning,
                message: "space before \".\"".into(),
                span: Span::new(at, at + 2),
                labels: Vec::new(),
                related: Default::default(),
                fix: Some(Fix::new(Applicability::Safe, vec![Edit::delete(Span::new(at, at + 1))])),
            })
            .collect();
        FileReport::checked(path, doc, diagnostics)
    }

    #[test]
    fn long_reports_stop_listing_and_say_so() {
        let reports = vec![
            report("a<b>.txt", "One bold claim .\n", 300),
            report("b.txt", "Two .\n", 5),
        ];
        let catalog = RuleCatalog::default();
        let batch = Batch::new(&reports, &catalog);
        let md = render(&batch, 4000);
        assert!(md.len() < 5000, "{}", md.len());
        assert!(
            md.contains("more findings not listed here (in 1 more document)"),
            "{md}"
        );
        let full = render(&batch, DEFAULT_LIMIT);
        assert!(!full.contains("not listed here"));
        assert_eq!(full.matches("| warning | `en/space-before-punctuation` |").count(), 305);
        assert!(full.contains("<b>a&lt;b&gt;.txt</b>"), "paths are escaped");
        assert!(!full.contains("a<b>.txt"));
    }

    #[test]
    fn cells_escape_html_and_markdown() {
        assert_eq!(cell("<script>a|b</script>"), "&lt;script&gt;a\\|b&lt;/script&gt;");
        assert_eq!(cell("*x* _y_"), "\\*x\\* \\_y\\_");
        assert_eq!(
            cell("ask @octocat and @org/team"),
            "ask @<!-- -->octocat and @<!-- -->org/team"
        );
        assert_eq!(code_cell("a|b"), "`a\\|b`");
        assert_eq!(code_cell(" "), "`\u{2423}`");
    }
}
