//! Checking a document again after edits: only the paragraphs the edits touched are read
//! again by the rules that look no further than a paragraph; the document-wide rules read the
//! whole text, as always.
//!
//! This rests on what checking a large document in parts rests on: cut right after an empty
//! line (outside masked text, markup and prose regions), a part's findings of the paragraph
//! rules are the whole document's findings in it. A stretch between two such cuts that no
//! edit touched, with the same parsed structure as before, has the same findings as before,
//! moved by the edits ahead of it. A rule the edits turned on or off (by writing or removing
//! the phrase its condition names) reads the whole text again. Where reuse cannot be shown
//! sound (the paragraphs are now read as hard-wrapped, a finding lies on a cut next to changed
//! text), the whole document is checked again.

use std::ops::Range;

use super::{timing, Engine, Stage, PART_SIZE};
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::span::Span;

/// Untouched stretches shorter than this between two touched ones are checked again with
/// them: one part costs some setting up, a few hundred bytes of text cost less.
const MIN_KEPT: usize = 512;

/// What a check of a document leaves for checking it again after edits
/// ([`Engine::recheck`]).
#[derive(Debug)]
pub struct Reuse {
    /// The rules that were on (conditions and mask).
    active: Vec<bool>,
    /// The findings of the rules that look no further than a paragraph, as they were found
    /// (before merging and the accept list).
    local: Vec<Diagnostic>,
}

impl Engine {
    /// [`Engine::check_masked`], keeping what [`Engine::recheck`] needs; `None` for a
    /// bilingual document (its segments pair spans across the text).
    pub fn check_keeping(&self, doc: &Document, mask: Option<&[bool]>) -> (Vec<Diagnostic>, Option<Reuse>) {
        if !doc.segments.is_empty() {
            return (self.check_masked(doc, PART_SIZE, mask), None);
        }
        let active = self.active(doc, mask);
        let (wide, local) = self.wide_and_local(doc, &active);
        self.finish_keeping(doc, wide, local, active)
    }

    /// The findings of `doc`, which is `old` after `edits` (spans of `old`, sorted and not
    /// overlapping, each with the length of what replaced it), knowing what checking `old`
    /// left. The same findings as [`Engine::check_masked`] gives.
    pub fn recheck(
        &self,
        reuse: Reuse,
        old: &Document,
        doc: &Document,
        edits: &[(Span, usize)],
        mask: Option<&[bool]>,
    ) -> (Vec<Diagnostic>, Option<Reuse>) {
        if !doc.segments.is_empty() {
            return (self.check_masked(doc, PART_SIZE, mask), None);
        }
        let active = self.active(doc, mask);
        // A rule the edits turned on or off (they wrote or removed the phrase its condition
        // names) reads the whole text, like the document-wide rules.
        let changed: Vec<bool> = active.iter().zip(&reuse.active).map(|(a, b)| a != b).collect();
        let old_local = reuse.local.into_iter().filter(|d| !changed[self.index(d)]).collect();
        let plan = Plan::new(old, doc, edits);
        let Some((plan, kept)) = plan.and_then(|p| p.carry(old_local).map(|kept| (p, kept))) else {
            let (wide, local) = self.wide_and_local(doc, &active);
            return self.finish_keeping(doc, wide, local, active);
        };
        #[cfg(test)]
        REUSED.set(REUSED.get() + 1);
        let whole: Vec<bool> = (0..active.len())
            .map(|i| active[i] && (self.document_wide[i] || changed[i]))
            .collect();
        let local_rules: Vec<bool> = (0..active.len()).map(|i| active[i] && !whole[i]).collect();
        // Paragraphs and sentences of the whole text, which the parts take theirs from.
        timing::time(Stage::Segment, || doc.sentences().len());
        let large = rayon::current_num_threads() > 1 && doc.text.len() >= PART_SIZE;
        let check_part = |range: &Range<usize>| {
            let part = doc.part(range.clone());
            let mut diags = self.run(&part, &local_rules);
            for d in &mut diags {
                d.shift(range.start);
            }
            diags
        };
        let (wide, fresh) = if large {
            use rayon::prelude::*;
            rayon::join(
                || self.run_each_check_apart(doc, &whole),
                || plan.touched.par_iter().flat_map_iter(check_part).collect::<Vec<_>>(),
            )
        } else {
            (
                self.run(doc, &whole),
                plan.touched.iter().flat_map(check_part).collect(),
            )
        };
        let (wide, turned_on): (Vec<Diagnostic>, Vec<Diagnostic>) = wide.into_iter().partition(|d| self.is_wide(d));
        let mut local = kept;
        local.extend(turned_on);
        local.extend(fresh);
        self.finish_keeping(doc, wide, local, active)
    }

    /// The findings of `doc` as found, document-wide rules' and the others' apart.
    fn wide_and_local(&self, doc: &Document, active: &[bool]) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        let part_size = self.part_size(doc, PART_SIZE);
        let cuts = doc.cut_points(part_size);
        if cuts.is_empty() {
            return self.run(doc, active).into_iter().partition(|d| self.is_wide(d));
        }
        let (wide, parts) = self.check_cut(doc, cuts, active);
        (wide, parts.into_iter().flatten().collect())
    }

    /// The index of the rule of finding `d`.
    fn index(&self, d: &Diagnostic) -> usize {
        self.rule_at[&(std::sync::Arc::as_ptr(&d.rule) as usize)]
    }

    /// True when `d` is a finding of a document-wide rule.
    fn is_wide(&self, d: &Diagnostic) -> bool {
        self.document_wide[self.index(d)]
    }

    /// The findings of `doc` from both kinds of rules, merged and filtered, and what checking
    /// it again needs.
    fn finish_keeping(
        &self,
        doc: &Document,
        wide: Vec<Diagnostic>,
        local: Vec<Diagnostic>,
        active: Vec<bool>,
    ) -> (Vec<Diagnostic>, Option<Reuse>) {
        let mut all = Vec::with_capacity(wide.len() + local.len());
        all.extend(wide);
        all.extend(local.iter().cloned());
        let diags = timing::time(Stage::Finish, || self.finish(doc, all));
        (diags, Some(Reuse { active, local }))
    }
}

/// Which stretches of the edited document are read again, and where the others were.
#[derive(Debug)]
struct Plan {
    /// Stretches of the new text to check again, in order, each from a cut to a cut.
    touched: Vec<Range<usize>>,
    /// Stretches no edit touched: where they were in the old text, and where they start now.
    kept: Vec<(Range<usize>, usize)>,
}

impl Plan {
    /// `None` when the documents differ in what every part shares (where the body starts,
    /// line endings, format, hard wrapping).
    fn new(old: &Document, doc: &Document, edits: &[(Span, usize)]) -> Option<Plan> {
        if old.body != doc.body
            || old.line_ending != doc.line_ending
            || old.format != doc.format
            || !old.segments.is_empty()
            || old.is_wrapped() != doc.is_wrapped()
        {
            return None;
        }
        let (old_text, new_text) = (old.text.as_bytes(), doc.text.as_bytes());
        // Each old cut that no edit straddles, where it is now; an edit ending at a cut moves it.
        let mut mapped = Vec::new();
        let mut shift: isize = 0;
        let mut next = 0;
        for o in old.paragraph_cuts() {
            while let Some(&(span, len)) = edits.get(next) {
                if span.end > o {
                    break;
                }
                shift += len as isize - span.len() as isize;
                next += 1;
            }
            if edits.get(next).is_some_and(|(span, _)| span.start < o) {
                continue;
            }
            mapped.push((o, o.checked_add_signed(shift)?));
        }
        // Cuts of both texts, paired, from the start to the end.
        // (Two old cuts with everything between them deleted are one cut now: the first is taken.)
        let new_cuts = doc.paragraph_cuts();
        let mut pairs = vec![(0, 0)];
        let mut j = 0;
        for (o, n) in mapped {
            while new_cuts.get(j).is_some_and(|&c| c < n) {
                j += 1;
            }
            if new_cuts.get(j) == Some(&n) && pairs.last().is_some_and(|&(_, last)| last < n) {
                pairs.push((o, n));
            }
        }
        if pairs
            .last()
            .is_some_and(|&(o, n)| o >= old_text.len() || n >= new_text.len())
        {
            return None;
        }
        pairs.push((old_text.len(), new_text.len()));
        // Each stretch between two pairs: kept when no edit touches it (an edit at either end
        // counts) and its text and structure are as they were.
        let mut touched: Vec<Range<usize>> = Vec::new();
        let mut kept: Vec<(Range<usize>, usize)> = Vec::new();
        let mut e = 0;
        for w in pairs.windows(2) {
            let ((o1, n1), (o2, n2)) = (w[0], w[1]);
            while edits.get(e).is_some_and(|(span, _)| span.end < o1) {
                e += 1;
            }
            let edited = edits.get(e).is_some_and(|(span, _)| span.start <= o2);
            let same = !edited
                && old_text[o1..o2] == new_text[n1..n2]
                && old.structure_within(o1..o2) == doc.structure_within(n1..n2);
            if same {
                kept.push((o1..o2, n1));
            } else if let Some(last) = touched.last_mut().filter(|t| t.end == n1) {
                last.end = n2;
            } else {
                touched.push(n1..n2);
            }
        }
        // Short kept stretches between touched ones are read again with them.
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(touched.len());
        for t in touched {
            match merged.last_mut() {
                Some(last) if t.start - last.end < MIN_KEPT => last.end = t.end,
                _ => merged.push(t),
            }
        }
        kept.retain(|(old_range, new_start)| {
            let n = *new_start..new_start + old_range.len();
            let i = merged.partition_point(|t| t.end <= n.start);
            merged.get(i).is_none_or(|t| t.start >= n.end)
        });
        Some(Plan { touched: merged, kept })
    }

    /// The old findings in the kept stretches, moved to where the stretches are now; `None`
    /// when one of them cannot be told to belong to a kept stretch or a touched one (it
    /// crosses a cut, or lies empty on a cut next to touched text).
    fn carry(&self, old: Vec<Diagnostic>) -> Option<Vec<Diagnostic>> {
        let mut out = Vec::with_capacity(old.len());
        for mut d in old {
            let spans = || {
                std::iter::once(d.span)
                    .chain(d.labels.iter().map(|l| l.span))
                    .chain(d.fix.iter().flat_map(|f| f.edits.iter().map(|e| e.span)))
            };
            let lo = spans().map(|s| s.start).min()?;
            let hi = spans().map(|s| s.end).max()?;
            // The kept stretch holding it, if any: the last one starting at or before it.
            let i = self.kept.partition_point(|(r, _)| r.start <= lo);
            let before = i.checked_sub(1).map(|i| &self.kept[i]);
            let Some((range, new_start)) = before.filter(|(r, _)| hi <= r.end) else {
                // In touched text: found again there. A finding that reaches into a kept
                // stretch from outside it is not told apart.
                let reaches =
                    before.is_some_and(|(r, _)| lo < r.end) || self.kept.get(i).is_some_and(|(r, _)| hi > r.start);
                if reaches {
                    return None;
                }
                continue;
            };
            // On a cut: empty findings there belong to either side.
            let on_cut = |at: usize| {
                let new_at = new_start + (at - range.start);
                (at == range.start || at == range.end) && self.touches(new_at)
            };
            if spans().any(|s| s.is_empty() && on_cut(s.start)) {
                return None;
            }
            shift(&mut d, *new_start as isize - range.start as isize);
            out.push(d);
        }
        Some(out)
    }

    /// True when a touched stretch starts or ends at `at` (new text).
    fn touches(&self, at: usize) -> bool {
        let i = self.touched.partition_point(|t| t.end < at);
        self.touched.get(i).is_some_and(|t| t.start == at || t.end == at)
    }
}

/// Moves a finding's spans by `by` bytes.
fn shift(d: &mut Diagnostic, by: isize) {
    let move_span = |s: Span| Span::new(s.start.wrapping_add_signed(by), s.end.wrapping_add_signed(by));
    d.span = move_span(d.span);
    for l in &mut d.labels {
        l.span = move_span(l.span);
    }
    for e in d.fix.iter_mut().flat_map(|f| &mut f.edits) {
        e.span = move_span(e.span);
    }
}

#[cfg(test)]
thread_local! {
    /// Rechecks that reused earlier findings, on this thread (tests make sure they happen).
    static REUSED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tests::{articles, markdown, wrapped};
    use crate::formats::InputFormat;

    /// Replacements that change paragraphs, their breaks and the Markdown structure.
    const INSERTS: &[&str] = &[
        "",
        "\n",
        "\n\n",
        "\n\n\n",
        "the the ",
        " ,",
        "```\n",
        "`",
        "<!-- mtlint-disable -->\n\n",
        "\n\n# heading in lower case\n\n",
        "the ancient town",
        "R & D",
        "“",
        "\"",
        "。",
        "  ",
        "Zhao jianping ",
        "- item\n",
        "&nbsp;",
        "\r\n",
    ];

    /// A small deterministic generator (64-bit LCG).
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n.max(1)
        }
    }

    /// One to four edits at random places of `text`: sorted, apart, at character boundaries.
    fn edits(text: &str, rng: &mut Lcg) -> Vec<(Span, String)> {
        let mut out: Vec<(Span, String)> = Vec::new();
        for _ in 0..1 + rng.below(4) {
            let mut start = rng.below(text.len() + 1);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + [0, 0, 1, 3, 40][rng.below(5)]).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let span = Span::new(start, end);
            if out.iter().all(|(s, _)| s.end < span.start || span.end < s.start) {
                out.push((span, INSERTS[rng.below(INSERTS.len())].to_string()));
            }
        }
        out.sort_by_key(|(s, _)| (s.start, s.end));
        out
    }

    #[test]
    fn a_document_checked_again_after_edits_has_the_findings_of_a_whole_check() {
        let engine = Engine::new(crate::config::builtin_rules().unwrap(), &[]).unwrap();
        let all = articles();
        let mut cut = 24 * 1024;
        while !all.is_char_boundary(cut) {
            cut += 1;
        }
        let text = all[..cut].to_string();
        let plain = |t: String| Document::new("a.txt", t, Some("en"));
        let md = |t: String| Document::parse("a.md", t, Some("en"), InputFormat::Markdown).unwrap();
        let documents = [
            ("plain", plain(text.clone())),
            ("crlf", plain(text.replace('\n', "\r\n"))),
            ("bom", plain(format!("\u{feff}{text}"))),
            ("hard-wrapped", plain(wrapped(&text, 78))),
            ("markdown", md(markdown(&text))),
        ];
        let mut rng = Lcg(7);
        let reused_before = REUSED.get();
        for (name, doc) in documents {
            let (first, mut reuse) = engine.check_keeping(&doc, None);
            assert_eq!(first, engine.check(&doc), "{name}");
            let mut doc = doc;
            for round in 0..8 {
                let edits = edits(&doc.text, &mut rng);
                let mut new_text = String::new();
                let mut at = 0;
                for (span, replacement) in &edits {
                    new_text.push_str(&doc.text[at..span.start]);
                    new_text.push_str(replacement);
                    at = span.end;
                }
                new_text.push_str(&doc.text[at..]);
                let new = doc.with_text(new_text);
                let lengths: Vec<(Span, usize)> = edits.iter().map(|(s, r)| (*s, r.len())).collect();
                let (again, next) = engine.recheck(reuse.take().unwrap(), &doc, &new, &lengths, None);
                let whole = engine.check(&new);
                assert_eq!(again.len(), whole.len(), "{name}, round {round}: {edits:?}");
                for (a, b) in again.iter().zip(&whole) {
                    assert_eq!(a, b, "{name}, round {round}: {edits:?}");
                }
                reuse = next;
                doc = new;
            }
        }
        // Most rechecks reused what they could; the rest fell back to a whole check.
        assert!(
            REUSED.get() - reused_before > 20,
            "{} rechecks reused findings",
            REUSED.get() - reused_before
        );
    }
}
