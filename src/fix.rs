//! The fix engine: choose non-overlapping fixes, apply them, repeat to a fixed point.
//!
//! Checks only describe edits; this module decides which are applied. One pass lints the
//! document, picks the fixes that do not clash (a fixed priority decides), applies them all at
//! once, and the next pass lints the new text, so the fixes that lost a conflict get their
//! turn. Passes repeat until nothing applies. A rule whose fixes keep changing the text (a
//! cycle, or still fixing after [`MAX_PASSES`]) is reported and its fixes are left out: the
//! document is fixed again from the start without it, so the result is a fixed point and a
//! second run changes nothing.
//!
//! What the engine keeps, whatever a check proposes: a byte order mark (no edit may touch
//! it), the line ending style (a `\n` in a replacement becomes `\r\n` in a CRLF file, and no
//! edit may split a `\r\n`), the presence or absence of a final line break, and every byte
//! outside the edits.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::document::{Document, LineEnding};
use crate::engine::Engine;
use crate::span::Span;

/// Passes of lint → fix before a rule is reported as not converging.
pub const MAX_PASSES: usize = 10;

/// The order in which competing fixes are considered: the earliest edit first; at the same
/// place a safe fix before an unsafe one, then the shorter reach, then the rule id. The first
/// fix in this order wins a conflict; the others wait for the next pass.
fn priority<'a>(d: &'a Diagnostic, f: &Fix) -> (usize, std::cmp::Reverse<Applicability>, usize, &'a str) {
    let span = f.span();
    (span.start, std::cmp::Reverse(f.applicability), span.end, d.rule_id())
}

/// Picks the fixes to apply in one pass: at or above `min`, never two with overlapping edits
/// (two insertions at one place overlap too). A fix is taken whole or not at all, so paired
/// edits (both quotes of a pair) apply together. Deterministic: see [`priority`].
pub fn select<'a>(
    diags: &'a [Diagnostic],
    min: Applicability,
    filter: &dyn Fn(&Diagnostic) -> bool,
) -> Vec<(&'a Diagnostic, &'a Fix)> {
    let mut candidates: Vec<(&Diagnostic, &Fix)> = diags
        .iter()
        .filter(|d| filter(d))
        .filter_map(|d| {
            d.fix
                .as_ref()
                .filter(|f| f.applicability >= min && f.applicability != Applicability::DisplayOnly)
                .filter(|f| !f.edits.is_empty())
                .map(|f| (d, f))
        })
        .collect();
    candidates.sort_by(|a, b| priority(a.0, a.1).cmp(&priority(b.0, b.1)));
    // Spans taken so far, sorted by start, so a clash is found by a binary search.
    let mut taken: Vec<Span> = Vec::new();
    let mut chosen = Vec::new();
    for (d, f) in candidates {
        let self_overlap = f.edits.windows(2).any(|w| w[0].span.overlaps(w[1].span));
        if self_overlap || f.edits.iter().any(|e| clashes(&taken, e.span)) {
            continue;
        }
        for e in &f.edits {
            let i = taken.partition_point(|t| (t.start, t.end) < (e.span.start, e.span.end));
            taken.insert(i, e.span);
        }
        chosen.push((d, f));
    }
    chosen
}

/// True when `span` overlaps one of the sorted, non-overlapping `taken` spans.
fn clashes(taken: &[Span], span: Span) -> bool {
    // Spans that end before `span` starts cannot overlap it; an empty span at `span.start`
    // can, so look from the first span ending at or after the start.
    let i = taken.partition_point(|t| t.end < span.start);
    taken[i..]
        .iter()
        .take_while(|t| t.start <= span.end)
        .any(|t| t.overlaps(span))
}

/// Why a fix cannot be applied to `doc` at all: its edits leave the text, cut a character or
/// a `\r\n` in two, touch the byte order mark, or overlap one another. `None` when it is sound.
pub fn unsound(doc: &Document, fix: &Fix) -> Option<String> {
    let text = &doc.text;
    let bytes = text.as_bytes();
    let splits_crlf = |at: usize| at > 0 && at < bytes.len() && bytes[at - 1] == b'\r' && bytes[at] == b'\n';
    for e in &fix.edits {
        let Span { start, end } = e.span;
        if start > end || end > text.len() {
            return Some(format!(
                "edit {start}..{end} is outside the text ({} bytes)",
                text.len()
            ));
        }
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Some(format!("edit {start}..{end} cuts a character in two"));
        }
        if start < doc.body {
            return Some(format!("edit {start}..{end} touches the byte order mark"));
        }
        if splits_crlf(start) || splits_crlf(end) {
            return Some(format!("edit {start}..{end} splits a CRLF line break"));
        }
    }
    if fix.edits.windows(2).any(|w| w[0].span.overlaps(w[1].span)) {
        return Some("its edits overlap one another".into());
    }
    None
}

/// Applies the chosen fixes' edits to `text`. The edits must be sound and must not overlap
/// (as [`select`] guarantees); every byte outside them is copied as it is.
pub fn apply(text: &str, fixes: &[(&Diagnostic, &Fix)]) -> String {
    let edits: Vec<&Edit> = fixes.iter().flat_map(|(_, f)| f.edits.iter()).collect();
    apply_edits(text, edits)
}

fn apply_edits(text: &str, mut edits: Vec<&Edit>) -> String {
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in edits {
        out.push_str(&text[pos..e.span.start]);
        out.push_str(&e.replacement);
        pos = e.span.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Applies the fixes to `doc` keeping the document's facts: replacements take the file's line
/// ending, and the presence or absence of a final line break stays as it was.
pub fn apply_to(doc: &Document, fixes: &[(&Diagnostic, &Fix)]) -> String {
    let crlf = doc.line_ending == LineEnding::CrLf;
    let adapted: Vec<Edit> = fixes
        .iter()
        .flat_map(|(_, f)| f.edits.iter())
        .map(|e| Edit {
            span: e.span,
            replacement: if crlf {
                to_crlf(&e.replacement)
            } else {
                e.replacement.clone()
            },
        })
        .collect();
    let fixed = apply_edits(&doc.text, adapted.iter().collect());
    keep_final_newline(&doc.text, doc.body, fixed, doc.line_ending)
}

/// `\n` not already preceded by `\r` becomes `\r\n`.
fn to_crlf(s: &str) -> String {
    if !s.contains('\n') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 4);
    let mut prev = '\0';
    for c in s.chars() {
        if c == '\n' && prev != '\r' {
            out.push('\r');
        }
        out.push(c);
        prev = c;
    }
    out
}

/// A file without a final line break keeps having none (deleting its last line must not leave
/// the break before it dangling), and a file with one keeps it.
fn keep_final_newline(before: &str, body: usize, mut after: String, eol: LineEnding) -> String {
    let had = before.ends_with('\n');
    if had == after.ends_with('\n') {
        return after;
    }
    if had {
        if after.len() > body {
            after.push_str(if eol == LineEnding::CrLf { "\r\n" } else { "\n" });
        }
    } else {
        let keep = after[body..].trim_end_matches(['\n', '\r']).len() + body;
        after.truncate(keep);
    }
    after
}

/// What fixing one document did.
#[derive(Debug)]
pub struct FixOutcome {
    /// The document after every pass (its text is the fixed text).
    pub document: Document,
    /// Fixes applied, per rule id.
    pub applied: BTreeMap<String, usize>,
    /// Diagnostics left after the last pass.
    pub remaining: Vec<Diagnostic>,
    /// Rules whose fixes did not converge (a cycle, or still fixing after `MAX_PASSES`
    /// passes): their fixes were left out.
    pub not_converged: Vec<String>,
    /// Rules that proposed a fix the engine could not apply, with the reason (a bug in a check
    /// kind, never silently applied).
    pub unsound: Vec<(String, String)>,
    /// Lint passes run, the last one finding nothing more to apply.
    pub passes: usize,
}

impl FixOutcome {
    pub fn total_applied(&self) -> usize {
        self.applied.values().sum()
    }
}

/// The result of one run of passes over a document.
enum Run {
    Converged(Box<FixOutcome>),
    /// The rules that were still changing the text when the run was given up.
    Diverged(BTreeSet<String>),
}

/// Lints and fixes `doc` until nothing more applies. Only fixes at or above `min` whose
/// diagnostic passes `filter` are applied.
pub fn fix_document(
    engine: &Engine,
    doc: Document,
    min: Applicability,
    filter: &dyn Fn(&Diagnostic) -> bool,
) -> FixOutcome {
    let mut excluded: BTreeSet<String> = BTreeSet::new();
    let mut doc = doc;
    loop {
        let again = doc.with_text(doc.text.clone());
        let keep = |d: &Diagnostic| filter(d) && !excluded.contains(d.rule_id());
        match run_passes(engine, doc, min, &keep) {
            Run::Converged(mut outcome) => {
                outcome.not_converged = excluded.into_iter().collect();
                return *outcome;
            }
            Run::Diverged(rules) => {
                // The rules had fixes chosen, so none was excluded yet: each restart excludes
                // at least one more rule, and this ends.
                debug_assert!(rules.iter().all(|r| !excluded.contains(r)));
                excluded.extend(rules);
                doc = again;
            }
        }
    }
}

fn run_passes(engine: &Engine, doc: Document, min: Applicability, filter: &dyn Fn(&Diagnostic) -> bool) -> Run {
    let mut doc = doc;
    let mut applied: BTreeMap<String, usize> = BTreeMap::new();
    let mut unsound_fixes: BTreeMap<String, String> = BTreeMap::new();
    // A hash of every text so far (not the texts: a large file must not be held ten times
    // over), and the rules whose fixes led from each to the next.
    let mut seen: Vec<u64> = vec![hash(&doc.text)];
    let mut steps: Vec<BTreeSet<String>> = Vec::new();
    let mut diags = engine.check(&doc);
    for pass in 1..=MAX_PASSES + 1 {
        let sound = |d: &Diagnostic| filter(d) && d.fix.as_ref().is_none_or(|f| unsound(&doc, f).is_none());
        for d in diags.iter().filter(|d| filter(d)) {
            if let Some(why) = d.fix.as_ref().and_then(|f| unsound(&doc, f)) {
                unsound_fixes.entry(d.rule_id().to_string()).or_insert(why);
            }
        }
        let chosen = select(&diags, min, &sound);
        if chosen.is_empty() {
            return Run::Converged(Box::new(FixOutcome {
                document: doc,
                applied,
                remaining: diags,
                not_converged: Vec::new(),
                unsound: unsound_fixes.into_iter().collect(),
                passes: pass,
            }));
        }
        let rules: BTreeSet<String> = chosen.iter().map(|(d, _)| d.rule_id().to_string()).collect();
        if pass > MAX_PASSES {
            return Run::Diverged(rules);
        }
        for (d, _) in &chosen {
            *applied.entry(d.rule_id().to_string()).or_default() += 1;
        }
        let text = apply_to(&doc, &chosen);
        steps.push(rules);
        let h = hash(&text);
        if let Some(k) = seen.iter().position(|&t| t == h) {
            // Back to a text already seen: the rules of the cycle undo one another's work.
            // All of them are left out, whichever text the cycle was entered from, so a
            // second run reaches the same result.
            return Run::Diverged(steps[k..].iter().flatten().cloned().collect());
        }
        seen.push(h);
        doc = doc.with_text(text);
        diags = engine.check(&doc);
    }
    unreachable!("the pass loop returns by its last iteration")
}

fn hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diagnostic::{RuleMeta, Severity};

    fn diag(rule: &str, applicability: Applicability, edits: Vec<Edit>) -> Diagnostic {
        let fix = Fix::new(applicability, edits);
        Diagnostic {
            rule: Arc::new(RuleMeta {
                id: rule.into(),
                severity: Severity::Warning,
                category: "fluency".into(),
            }),
            severity: Severity::Warning,
            message: String::new(),
            span: fix.span(),
            labels: Vec::new(),
            fix: Some(fix),
        }
    }

    fn ids(chosen: &[(&Diagnostic, &Fix)]) -> Vec<String> {
        chosen.iter().map(|(d, _)| d.rule_id().to_string()).collect()
    }

    #[test]
    fn conflicts_go_to_the_earliest_then_safest_fix() {
        let diags = vec![
            diag("x/late", Applicability::Safe, vec![Edit::replace(Span::new(4, 9), "a")]),
            diag(
                "x/unsafe",
                Applicability::Unsafe,
                vec![Edit::replace(Span::new(2, 5), "b")],
            ),
            diag("x/safe", Applicability::Safe, vec![Edit::replace(Span::new(2, 6), "c")]),
            diag(
                "x/apart",
                Applicability::Safe,
                vec![Edit::replace(Span::new(9, 10), "d")],
            ),
        ];
        let chosen = select(&diags, Applicability::Unsafe, &|_| true);
        assert_eq!(ids(&chosen), ["x/safe", "x/apart"]);
        let safe_only = select(&diags, Applicability::Safe, &|_| true);
        assert_eq!(ids(&safe_only), ["x/safe", "x/apart"]);
    }

    #[test]
    fn a_pair_applies_whole_or_not_at_all() {
        let word = diag("x/word", Applicability::Safe, vec![Edit::replace(Span::new(1, 2), "W")]);
        let pair = diag(
            "x/pair",
            Applicability::Safe,
            vec![Edit::replace(Span::new(1, 2), "“"), Edit::replace(Span::new(8, 9), "”")],
        );
        let text = "a\"bcdefg\"h";
        // The opening edit loses to the shorter fix at the same place: the closing quote
        // is not touched either.
        let diags = vec![pair.clone(), word.clone()];
        let chosen = select(&diags, Applicability::Safe, &|_| true);
        assert_eq!(ids(&chosen), ["x/word"]);
        assert_eq!(apply(text, &chosen), "aWbcdefg\"h");
        // Alone, the pair applies both edits.
        let diags = vec![pair];
        let chosen = select(&diags, Applicability::Safe, &|_| true);
        assert_eq!(apply(text, &chosen), "a“bcdefg”h");
    }

    #[test]
    fn two_insertions_at_one_place_conflict() {
        let diags = vec![
            diag("x/a", Applicability::Safe, vec![Edit::insert(3, "A")]),
            diag("x/b", Applicability::Safe, vec![Edit::insert(3, "B")]),
            diag("x/c", Applicability::Safe, vec![Edit::replace(Span::new(3, 4), "C")]),
        ];
        let chosen = select(&diags, Applicability::Safe, &|_| true);
        assert_eq!(ids(&chosen), ["x/a", "x/c"]);
        assert_eq!(apply("abcdef", &chosen), "abcACef");
    }

    #[test]
    fn unsound_edits_are_named() {
        let doc = Document::new("t", "\u{feff}é\r\nx".to_string(), Some("en"));
        let check = |e: Edit| unsound(&doc, &Fix::new(Applicability::Safe, vec![e]));
        assert!(check(Edit::delete(Span::new(0, 3)))
            .unwrap()
            .contains("byte order mark"));
        assert!(check(Edit::delete(Span::new(3, 4))).unwrap().contains("character"));
        assert!(check(Edit::delete(Span::new(5, 6))).unwrap().contains("CRLF"));
        assert!(check(Edit::delete(Span::new(7, 99))).unwrap().contains("outside"));
        assert_eq!(check(Edit::delete(Span::new(5, 7))), None);
    }

    #[test]
    fn document_facts_are_kept() {
        let doc = Document::new("t", "one\r\ntwo\r\nEND".to_string(), Some("en"));
        let last = diag("x/end", Applicability::Safe, vec![Edit::delete(Span::new(8, 13))]);
        let split = diag(
            "x/split",
            Applicability::Safe,
            vec![Edit::replace(Span::new(3, 3), "\n")],
        );
        let chosen = vec![
            (&last, last.fix.as_ref().unwrap()),
            (&split, split.fix.as_ref().unwrap()),
        ];
        // The new break is CRLF; deleting the last line leaves no dangling break.
        assert_eq!(apply_to(&doc, &chosen), "one\r\n\r\ntwo");

        let doc = Document::new("t", "one\ntwo\n".to_string(), Some("en"));
        let cut = diag("x/cut", Applicability::Safe, vec![Edit::delete(Span::new(3, 8))]);
        assert_eq!(apply_to(&doc, &[(&cut, cut.fix.as_ref().unwrap())]), "one\n");
    }
}
