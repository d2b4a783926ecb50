//! The fix engine: choose non-overlapping fixes, apply them, repeat to a fixed point.
//!
//! Checks only describe edits; this module decides which are applied. One pass lints the
//! document, picks the fixes that do not clash (a fixed priority decides), applies them all at
//! once, and the next pass lints the new text, so the fixes that lost a conflict get their
//! turn. Passes repeat until nothing applies. Fixes that keep changing the text (a cycle, or
//! still fixing after [`MAX_PASSES`]) are reported and left out: each edit is traced back to
//! the part of the original text it replaces, and the document is fixed again from the start
//! without the fixes of those rules at those places, so the other fixes of the same rules
//! still apply, the result is a fixed point, and a second run changes nothing.
//!
//! What the engine keeps, whatever a check proposes: a byte order mark (no edit may touch
//! it), the line ending style (a `\n` in a replacement becomes `\r\n` in a CRLF file, and no
//! edit may split a `\r\n`), the presence or absence of a final line break, and every byte
//! outside the edits.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::document::{Document, LineEnding};
use crate::engine::{Engine, Reuse};
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

/// Fixes left out because they did not converge: a rule's fixes at one place of the original
/// text, or (when places do not settle it) all of the rule's fixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub rule: String,
    /// The part of the original text the cycling edits replace; `None`: the whole rule.
    pub span: Option<Span>,
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
    /// Rules some of whose fixes did not converge (a cycle, or still fixing after
    /// `MAX_PASSES` passes), sorted; [`FixOutcome::left_out`] says which fixes.
    pub not_converged: Vec<String>,
    /// The fixes left out because they did not converge, by rule and place in the original.
    pub left_out: Vec<LeftOut>,
    /// Rules that proposed a fix the engine could not apply, with the reason (a bug in a check
    /// kind, never silently applied).
    pub unsound: Vec<(String, String)>,
}

impl FixOutcome {
    pub fn total_applied(&self) -> usize {
        self.applied.values().sum()
    }
}

/// The result of one run of passes over a document.
enum Run {
    Converged(Box<FixOutcome>),
    /// The fixes that were still changing the text when the run was given up: rule and the
    /// part of the original text their edits replace.
    Diverged(BTreeSet<(String, Span)>),
}

/// Restarts that leave out fixes place by place before whole rules are left out instead (which
/// always ends: each restart leaves out one more rule).
const MAX_PLACE_RESTARTS: usize = 8;

/// What a reviewer decides about one fix (`fix --interactive`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Apply it.
    Apply,
    /// Leave it, and do not ask about it again.
    Skip,
    /// Leave every fix of its rule in this document.
    SkipRule,
    /// Apply this text instead: the whole document as the reviewer rewrote it.
    Replace(String),
    /// Stop: apply nothing more to this document.
    Quit,
}

/// Decides about each fix before it is applied. With a reviewer, the fix engine applies one
/// fix per pass, in the order [`select`] gives, and re-checks the text after each, so every
/// question is asked about the text as it now is.
pub trait Review {
    /// The decision about `fix` of finding `d` in `doc` (the text as fixed so far).
    fn decide(&mut self, doc: &Document, d: &Diagnostic, fix: &Fix) -> std::io::Result<Decision>;
}

/// The passes a reviewed document may take: one fix each, each asked about.
const MAX_REVIEWED_PASSES: usize = 100_000;

/// Lints and fixes `doc` until nothing more applies. Only fixes at or above `min` are
/// applied; `mask` turns rules off for this document (see [`Engine::mask`]).
pub fn fix_document(engine: &Engine, doc: Document, min: Applicability, mask: Option<&[bool]>) -> FixOutcome {
    fix_document_keeping(engine, doc, min, mask, BTreeSet::new())
}

/// Like [`fix_document`], but no fix of a rule touches a place of `kept` (rule, span of the
/// original text): findings the user accepted (a baseline) are left as they are. These places
/// are not reported as left out.
pub fn fix_document_keeping(
    engine: &Engine,
    doc: Document,
    min: Applicability,
    mask: Option<&[bool]>,
    kept: BTreeSet<(String, Span)>,
) -> FixOutcome {
    match fix_loop(engine, doc, min, mask, kept, None, false) {
        Ok(outcome) => outcome,
        Err(e) => unreachable!("only a reviewer fails, and there is none: {e}"),
    }
}

/// Like [`fix_document_keeping`], asking `review` about each fix before it is applied (one
/// per pass, see [`Review`]). An error is the reviewer's (reading the answer failed).
pub fn review_document(
    engine: &Engine,
    doc: Document,
    min: Applicability,
    mask: Option<&[bool]>,
    kept: BTreeSet<(String, Span)>,
    review: &mut dyn Review,
) -> std::io::Result<FixOutcome> {
    fix_loop(engine, doc, min, mask, kept, Some(review), false)
}

/// The one fix loop: passes until nothing more applies, restarted without the fixes that
/// keep changing the text. After a pass, the text is checked again only where the pass
/// changed it, unless `whole`.
fn fix_loop(
    engine: &Engine,
    doc: Document,
    min: Applicability,
    mask: Option<&[bool]>,
    kept: BTreeSet<(String, Span)>,
    mut review: Option<&mut dyn Review>,
    whole: bool,
) -> std::io::Result<FixOutcome> {
    let mut excluded = Excluded {
        places: kept.clone(),
        rules: BTreeSet::new(),
    };
    let mut restarts = 0;
    let mut doc = doc;
    loop {
        let again = doc.with_text(doc.text.clone());
        let keep = |d: &Diagnostic| !excluded.rules.contains(d.rule_id());
        let mut checker = Checker {
            engine,
            mask,
            reuse: None,
            whole,
        };
        let reviewer = review.as_mut().map(|r| &mut **r as &mut dyn Review);
        match run_passes(&mut checker, doc, min, &keep, &excluded.places, reviewer)? {
            Run::Converged(mut outcome) => {
                let mut left_out: Vec<LeftOut> = excluded
                    .places
                    .iter()
                    .filter(|place| !kept.contains(place))
                    .filter(|(rule, _)| !excluded.rules.contains(rule))
                    .map(|(rule, span)| LeftOut {
                        rule: rule.clone(),
                        span: Some(*span),
                    })
                    .collect();
                left_out.extend(excluded.rules.iter().map(|rule| LeftOut {
                    rule: rule.clone(),
                    span: None,
                }));
                left_out.extend(std::mem::take(&mut outcome.left_out));
                // Places traced back through edits that changed byte lengths may fall inside a
                // character of the original: widened to whole characters, as they are shown.
                for l in &mut left_out {
                    if let Some(span) = &mut l.span {
                        *span = span.whole_chars(&again.text);
                    }
                }
                left_out.sort_by_key(|l| (l.span.map(|s| (s.start, s.end)), l.rule.clone()));
                left_out.dedup();
                let mut rules: Vec<String> = left_out.iter().map(|l| l.rule.clone()).collect();
                rules.sort();
                rules.dedup();
                outcome.not_converged = rules;
                outcome.left_out = left_out;
                return Ok(*outcome);
            }
            Run::Diverged(places) => {
                let new: Vec<(String, Span)> = places.into_iter().filter(|p| !excluded.places.contains(p)).collect();
                restarts += 1;
                if restarts <= MAX_PLACE_RESTARTS && !new.is_empty() {
                    excluded.places.extend(new);
                } else {
                    // The fixes were chosen, so their rules were not left out yet: each such
                    // restart leaves out at least one more rule, and this ends.
                    let rules: BTreeSet<String> = new.into_iter().map(|(r, _)| r).collect();
                    debug_assert!(rules.iter().all(|r| !excluded.rules.contains(r)));
                    if rules.is_empty() {
                        // Nothing new to leave out (cannot happen: excluded places are never
                        // chosen); stop at the original text rather than loop.
                        excluded.rules.extend(excluded.places.iter().map(|(r, _)| r.clone()));
                    }
                    excluded.rules.extend(rules);
                }
                doc = again;
            }
        }
    }
}

/// Checks the document of a run of passes: in full at first, then after each pass again
/// only where the pass changed it ([`Engine::recheck`]).
struct Checker<'a> {
    engine: &'a Engine,
    mask: Option<&'a [bool]>,
    reuse: Option<Reuse>,
    /// Check the whole document after every pass (tests compare the two ways).
    whole: bool,
}

impl Checker<'_> {
    fn check(&mut self, doc: &Document) -> Vec<Diagnostic> {
        if self.whole {
            return self.engine.check_masked(doc, crate::engine::PART_SIZE, self.mask);
        }
        let (diags, reuse) = self.engine.check_keeping(doc, self.mask);
        self.reuse = reuse;
        diags
    }

    /// The findings of `doc`, which is `old` after `edits` (spans of `old`, sorted, with the
    /// length of what replaced each).
    fn recheck(&mut self, old: &Document, doc: &Document, edits: &[(Span, usize)]) -> Vec<Diagnostic> {
        match self.reuse.take() {
            Some(reuse) => {
                let (diags, reuse) = self.engine.recheck(reuse, old, doc, edits, self.mask);
                self.reuse = reuse;
                diags
            }
            None => self.check(doc),
        }
    }
}

/// What a restart leaves out.
#[derive(Debug, Default)]
struct Excluded {
    /// A rule's fixes whose edits touch this part of the original text.
    places: BTreeSet<(String, Span)>,
    /// Every fix of the rule.
    rules: BTreeSet<String>,
}

/// Where the current text's changed parts came from: each edit applied so far, as its span in
/// the current text and the span of the original text it replaces (merged where edits touch).
#[derive(Debug, Default)]
struct Origins {
    /// Sorted, non-overlapping, by current span.
    changes: Vec<(Span, Span)>,
    /// Per change: the current text's length minus the original's, up to and including it.
    shift: Vec<isize>,
}

impl Origins {
    /// The original offset of current offset `pos`; inside a change, the start of what the
    /// change replaced (`end`: its end).
    fn position(&self, pos: usize, end: bool) -> usize {
        let i = self.changes.partition_point(|(cur, _)| cur.end <= pos);
        if let Some((cur, orig)) = self.changes.get(i) {
            if cur.start < pos && pos < cur.end {
                return if end { orig.end } else { orig.start };
            }
        }
        let shift = if i == 0 { 0 } else { self.shift[i - 1] };
        (pos as isize - shift).max(0) as usize
    }

    /// True when no edit so far has touched `span` of the current text.
    fn untouched(&self, span: Span) -> bool {
        let i = self.changes.partition_point(|(cur, _)| cur.end < span.start);
        self.changes.get(i).is_none_or(|(cur, _)| !touches(*cur, span))
    }

    /// The part of the original text that current span `span` stands for.
    fn span(&self, span: Span) -> Span {
        let start = self.position(span.start, false);
        Span::new(start, self.position(span.end, true).max(start))
    }

    /// Records the edits of one pass (current spans, sorted, non-overlapping).
    fn apply(&mut self, edits: &[(Span, usize)]) {
        let mut merged: Vec<(Span, Span)> = Vec::with_capacity(self.changes.len() + edits.len());
        let mut old = self.changes.iter().peekable();
        let mut moved: isize = 0;
        for &(span, new_len) in edits {
            let orig = self.span(span);
            // Changes before the edit keep their place, shifted by the edits before them;
            // changes it overlaps are part of what it replaces (`orig` covers them).
            while let Some(&&(cur, o)) = old.peek() {
                if cur.end <= span.start {
                    merged.push((shift_span(cur, moved), o));
                } else if cur.start >= span.end {
                    break;
                }
                old.next();
            }
            let start = (span.start as isize + moved) as usize;
            merged.push((Span::new(start, start + new_len), orig));
            moved += new_len as isize - span.len() as isize;
        }
        for &(cur, o) in old {
            merged.push((shift_span(cur, moved), o));
        }
        let mut total = 0isize;
        self.shift = merged
            .iter()
            .map(|(cur, orig)| {
                total += cur.len() as isize - orig.len() as isize;
                total
            })
            .collect();
        self.changes = merged;
    }
}

fn shift_span(s: Span, by: isize) -> Span {
    Span::new((s.start as isize + by) as usize, (s.end as isize + by) as usize)
}

/// True when a fix's edits, traced to the original, touch a left-out place of its rule.
fn left_out_here(places: &BTreeSet<(String, Span)>, origins: &Origins, d: &Diagnostic, f: &Fix) -> bool {
    let rule = d.rule_id();
    let mut of_rule = places
        .range((rule.to_string(), Span::new(0, 0))..)
        .take_while(|(r, _)| r == rule)
        .peekable();
    if of_rule.peek().is_none() {
        return false;
    }
    let spans: Vec<Span> = f.edits.iter().map(|e| origins.span(e.span)).collect();
    of_rule.any(|(_, p)| spans.iter().any(|s| touches(*s, *p)))
}

/// Overlap, where an empty span also touches a span it borders.
fn touches(a: Span, b: Span) -> bool {
    if a.is_empty() || b.is_empty() {
        a.start <= b.end && b.start <= a.end
    } else {
        a.start < b.end && b.start < a.end
    }
}

/// Lints, picks and applies fixes pass by pass until nothing more applies. Without a
/// reviewer, every fix [`select`] picks in a pass is applied at once, and a run that keeps
/// changing the text is given up ([`Run::Diverged`]) for the caller to restart without the
/// fixes at fault. With one, each pass applies the first fix the reviewer accepts; a fix that
/// would bring back a text already seen is refused and its rule left out.
fn run_passes(
    checker: &mut Checker<'_>,
    doc: Document,
    min: Applicability,
    filter: &dyn Fn(&Diagnostic) -> bool,
    places: &BTreeSet<(String, Span)>,
    mut review: Option<&mut dyn Review>,
) -> std::io::Result<Run> {
    let mut doc = doc;
    let mut origins = Origins::default();
    let mut applied: BTreeMap<String, usize> = BTreeMap::new();
    let mut unsound_fixes: BTreeMap<String, String> = BTreeMap::new();
    // A hash of every text so far (not the texts: a large file must not be held ten times
    // over), and the fixes (rule, place in the original) that led from each to the next.
    let mut seen: Vec<u64> = vec![hash(&doc.text)];
    let mut steps: Vec<BTreeSet<(String, Span)>> = Vec::new();
    let mut diags = checker.check(&doc);
    // Fixes that change nothing, by rule and place in the original: a fix that can never
    // remove its finding, left out and reported like a cycle of one.
    let mut no_ops: BTreeSet<(String, Span)> = BTreeSet::new();
    // What the reviewer declined: fixes by rule and place in the original, and whole rules;
    // and the rules whose fix would have brought back a text already seen.
    let mut declined: BTreeSet<(String, Span)> = BTreeSet::new();
    let mut declined_rules: BTreeSet<String> = BTreeSet::new();
    let mut cycling: BTreeSet<String> = BTreeSet::new();
    let max_passes = if review.is_some() {
        MAX_REVIEWED_PASSES
    } else {
        MAX_PASSES
    };
    for pass in 1..=max_passes + 1 {
        for d in diags.iter().filter(|d| filter(d)) {
            let Some(f) = &d.fix else { continue };
            match unsound(&doc, f) {
                Some(why) => {
                    unsound_fixes.entry(d.rule_id().to_string()).or_insert(why);
                }
                None if f.applicability >= min && is_no_op(&doc.text, f) => {
                    // On text an earlier fix wrote, it is that fix's own result flagged again;
                    // the fix stays applied and only this repetition is dropped.
                    for e in f.edits.iter().filter(|e| origins.untouched(e.span)) {
                        no_ops.insert((d.rule_id().to_string(), origins.span(e.span)));
                    }
                }
                None => {}
            }
        }
        // The fix to apply in this pass (with a reviewer), or the text the reviewer wrote.
        let mut chosen;
        let mut rewritten: Option<(String, String)> = None;
        let mut quit = false;
        loop {
            let sound = |d: &Diagnostic| {
                filter(d)
                    && !declined_rules.contains(d.rule_id())
                    && d.fix.as_ref().is_none_or(|f| {
                        unsound(&doc, f).is_none()
                            && !is_no_op(&doc.text, f)
                            && !left_out_here(places, &origins, d, f)
                            && !left_out_here(&declined, &origins, d, f)
                    })
            };
            chosen = select(&diags, min, &sound);
            let Some(review) = review.as_deref_mut() else { break };
            let Some(&(d, f)) = chosen.first() else { break };
            let rule = d.rule_id().to_string();
            match review.decide(&doc, d, f)? {
                Decision::Apply => {
                    let text = apply_to(&doc, &chosen[..1]);
                    if seen.contains(&hash(&text)) {
                        // Back to a text already seen: the rule's fixes undo another's work.
                        cycling.insert(rule.clone());
                        declined_rules.insert(rule);
                        continue;
                    }
                    chosen.truncate(1);
                }
                Decision::Skip => {
                    declined.extend(f.edits.iter().map(|e| (rule.clone(), origins.span(e.span))));
                    continue;
                }
                Decision::SkipRule => {
                    declined_rules.insert(rule);
                    continue;
                }
                Decision::Replace(text) => {
                    if text == doc.text || seen.contains(&hash(&text)) {
                        // Unchanged, or back to a text already seen: ask about it no more.
                        declined.extend(f.edits.iter().map(|e| (rule.clone(), origins.span(e.span))));
                        continue;
                    }
                    rewritten = Some((rule, text));
                    chosen.clear();
                }
                Decision::Quit => {
                    quit = true;
                    chosen.clear();
                }
            }
            break;
        }
        if let Some((rule, text)) = rewritten {
            // The reviewer's own edit, as the one change between the common start and end.
            let edits: Vec<(Span, usize)> = smallest_edit(&doc.text, &text)
                .map(|(span, replacement)| (span, replacement.len()))
                .into_iter()
                .collect();
            origins.apply(&edits);
            *applied.entry(rule).or_default() += 1;
            seen.push(hash(&text));
            let new = doc.with_text(text);
            let old = std::mem::replace(&mut doc, new);
            diags = checker.recheck(&old, &doc, &edits);
            continue;
        }
        if chosen.is_empty() {
            let mut left_out: Vec<LeftOut> = no_ops
                .into_iter()
                .map(|(rule, span)| LeftOut { rule, span: Some(span) })
                .collect();
            left_out.extend(cycling.into_iter().map(|rule| LeftOut { rule, span: None }));
            if quit {
                // What was left unasked is neither applied nor left out.
                left_out.clear();
            }
            return Ok(Run::Converged(Box::new(FixOutcome {
                document: doc,
                applied,
                remaining: diags,
                not_converged: Vec::new(),
                left_out,
                unsound: unsound_fixes.into_iter().collect(),
            })));
        }
        let fixes: BTreeSet<(String, Span)> = chosen
            .iter()
            .flat_map(|(d, f)| f.edits.iter().map(|e| (d.rule_id().to_string(), origins.span(e.span))))
            .collect();
        if pass > max_passes {
            return Ok(Run::Diverged(fixes));
        }
        for (d, _) in &chosen {
            *applied.entry(d.rule_id().to_string()).or_default() += 1;
        }
        let text = apply_to(&doc, &chosen);
        let mut edits: Vec<(Span, usize)> = chosen
            .iter()
            .flat_map(|(_, f)| f.edits.iter())
            .map(|e| {
                let len = if doc.line_ending == LineEnding::CrLf {
                    to_crlf(&e.replacement).len()
                } else {
                    e.replacement.len()
                };
                (e.span, len)
            })
            .collect();
        edits.sort_by_key(|(s, _)| (s.start, s.end));
        steps.push(fixes);
        let h = hash(&text);
        if let Some(k) = seen.iter().position(|&t| t == h) {
            // Back to a text already seen: the fixes of the cycle undo one another's work.
            // All of them are left out, whichever text the cycle was entered from, so a
            // second run reaches the same result.
            return Ok(Run::Diverged(steps[k..].iter().flatten().cloned().collect()));
        }
        seen.push(h);
        // The final-newline rule of `apply_to` may add or drop a line break at the very end;
        // that is outside every edit and leaves the origins of the changes as they are.
        origins.apply(&edits);
        let new = doc.with_text(text);
        let old = std::mem::replace(&mut doc, new);
        diags = checker.recheck(&old, &doc, &edits);
    }
    unreachable!("the pass loop returns by its last iteration")
}

/// The one edit turning `old` into `new`: the span of `old` between their common start and
/// end (at character boundaries), and what replaces it. `None` when they are equal.
pub fn smallest_edit<'n>(old: &str, new: &'n str) -> Option<(Span, &'n str)> {
    if old == new {
        return None;
    }
    let mut prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Some((Span::new(prefix, old.len() - suffix), &new[prefix..new.len() - suffix]))
}

/// True when applying `fix` to `text` would change nothing.
fn is_no_op(text: &str, fix: &Fix) -> bool {
    fix.edits
        .iter()
        .all(|e| text.get(e.span.start..e.span.end) == Some(e.replacement.as_str()))
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

    #[test]
    fn the_smallest_edit_keeps_what_did_not_change() {
        let (span, new) = smallest_edit("a  b, c", "a b, c").unwrap();
        assert_eq!((span, new), (Span::new(2, 3), ""));
        let (span, new) = smallest_edit("说，好", "说,好").unwrap();
        assert_eq!(&"说，好"[span.start..span.end], "，");
        assert_eq!(new, ",");
        assert!(smallest_edit("same", "same").is_none());
    }

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
            related: Default::default(),
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
    fn edits_are_traced_to_the_original_text() {
        // "one two three four": "two" → "2", then "three" → "THREE!", then "2 THREE!" → "x".
        let mut o = Origins::default();
        o.apply(&[(Span::new(4, 7), 1)]);
        assert_eq!(o.span(Span::new(6, 11)), Span::new(8, 13), "after the edit, shifted");
        assert_eq!(
            o.span(Span::new(4, 5)),
            Span::new(4, 7),
            "the edit's text is what it replaced"
        );
        assert!(o.untouched(Span::new(0, 3)) && !o.untouched(Span::new(4, 5)));
        o.apply(&[(Span::new(6, 11), 6)]);
        assert_eq!(o.span(Span::new(6, 12)), Span::new(8, 13));
        assert_eq!(o.span(Span::new(13, 17)), Span::new(14, 18));
        o.apply(&[(Span::new(4, 12), 1)]);
        assert_eq!(o.span(Span::new(4, 5)), Span::new(4, 13), "edits over edits merge");
        assert_eq!(o.span(Span::new(0, 3)), Span::new(0, 3));
        assert_eq!(o.span(Span::new(6, 10)), Span::new(14, 18));
        // Inside a change, a span stands for all the change replaced.
        let mut o = Origins::default();
        o.apply(&[(Span::new(2, 4), 6)]);
        assert_eq!(o.span(Span::new(3, 5)), Span::new(2, 4));
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

#[cfg(test)]
mod recheck_tests {
    use super::*;

    /// Fixing checks the text again only where a pass changed it; the outcome is that of
    /// checking the whole text after every pass, on every sample and on each language's
    /// samples as one text.
    #[test]
    fn fixing_with_partial_rechecks_ends_where_whole_rechecks_do() {
        let profile = crate::config::Profile::load(None, &Default::default()).unwrap();
        let mut texts: Vec<String> = Vec::new();
        for dir in ["en", "de", "fr", "zh", "clean"] {
            let mut paths: Vec<_> = std::fs::read_dir(format!("{}/samples/{dir}", env!("CARGO_MANIFEST_DIR")))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect();
            paths.sort();
            let one: Vec<String> = paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
            // And all of a language's samples as one text: most of it is left as it was.
            texts.push(one.join("\n\n"));
            texts.extend(one);
        }
        // A fix that shortens the first paragraph, and a finding with no fix after it.
        texts.push("Our R & D team met the buyers.\n\nThe fair opened.\n\nThe 展会 ended.\n".to_string());
        let mut changed = 0;
        for text in texts {
            let doc = Document::new("a.txt", text.clone(), None);
            let engine = Engine::for_document(&profile, &doc).unwrap();
            let fix = |whole: bool, min: Applicability| {
                fix_loop(
                    &engine,
                    doc.with_text(text.clone()),
                    min,
                    None,
                    BTreeSet::new(),
                    None,
                    whole,
                )
                .unwrap()
            };
            for min in [Applicability::Safe, Applicability::Unsafe] {
                let (part, whole) = (fix(false, min), fix(true, min));
                assert_eq!(part.document.text, whole.document.text);
                assert_eq!(part.applied, whole.applied);
                assert_eq!(part.remaining, whole.remaining);
                assert_eq!(part.left_out, whole.left_out);
                assert_eq!(part.not_converged, whole.not_converged);
                assert_eq!(part.unsound, whole.unsound);
                changed += usize::from(part.document.text != text);
            }
        }
        assert!(changed > 10, "{changed} fixed texts");
    }
}
