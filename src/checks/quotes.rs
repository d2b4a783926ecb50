//! `quotes`: unbalanced, doubled, detached and mixed-style quotation marks.

use std::cell::OnceCell;
use std::collections::HashSet;
use std::sync::OnceLock;

use regex::Regex;

use super::matchers::CharSet;
use super::{group_rules, Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::{Applicability, Edit, Label};
use crate::document::Document;
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::span::Span;

const SENTENCE_PUNCT: &[char] = &['.', ',', ';', ':', '!', '?'];

/// The `quotes` kind.
pub static KIND: Kind = Kind {
    name: "quotes",
    category: "fluency/punctuation",
    message: "{problem}",
    doc: include_str!("quotes.md"),
    sees_protected: false,
    reads_source: false,
    parse: parse_params::<QuotesParams>,
};

/// Compiles every `quotes` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(QuotesCheck::new(rules)))
}

/// A `quotes` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QuotesParams {
    pub check: Option<Sub>,
    pub pairs: Vec<(String, String)>,
}

impl KindParams for QuotesParams {
    fn fixes(&self) -> Option<Applicability> {
        matches!(self.check, Some(Sub::Doubled | Sub::Detached)).then_some(Applicability::Safe)
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        validate(self)
    }
}

fn validate(def: &QuotesParams) -> Result<(), (&'static str, String)> {
    if def.check.is_none() {
        return Err((
            "check",
            "a quotes rule needs `check` (one of: unbalanced, doubled, detached, mixed-styles, lost)".into(),
        ));
    }
    for (open, close) in &def.pairs {
        if open.chars().count() != 1 || close.chars().count() != 1 {
            return Err((
                "pairs",
                format!("each pair is two single characters, got [{open:?}, {close:?}]"),
            ));
        }
    }
    Ok(())
}

super::sub_checks! {
    /// The `quotes` sub-checks.
    Sub {
        Unbalanced = "unbalanced",
        Doubled = "doubled",
        Detached = "detached",
        MixedStyles = "mixed-styles",
        Lost = "lost",
    }
}

/// The `quotes` rules with one sub-check and one list of pairs: one scan finds for all.
struct QuoteRule {
    rules: Vec<RuleIdx>,
    sub: Sub,
    pairs: Vec<(char, char)>,
    /// For `detached`: per curly pair, the regex finding it detached, compiled for the first
    /// document that has the opening mark.
    detached: Vec<(char, char, OnceLock<Regex>)>,
    /// Per typographic pair, its marks (for `unbalanced` and for re-checking fixes).
    groups: Vec<PairGroup>,
    /// The straight quote and the pairs' closing marks (`doubled`), or all their marks
    /// (`mixed-styles`).
    marks: CharSet,
}

/// All `quotes` rules, grouped by sub-check and quotation-mark pairs.
pub struct QuotesCheck {
    rules: Vec<QuoteRule>,
    /// The rules whose findings depend on the whole document (all but `lost`).
    document_wide: HashSet<RuleIdx>,
}

impl QuotesCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Self {
        let groups = group_rules(rules.iter().map(|&(rule, def)| {
            let def: &QuotesParams = def.params();
            let sub = def.check.unwrap_or(Sub::MixedStyles);
            let pairs: Vec<(char, char)> = def
                .pairs
                .iter()
                .filter_map(|(o, c)| Some((o.chars().next()?, c.chars().next()?)))
                .collect::<Vec<_>>();
            ((sub, pairs), rule)
        }));
        let document_wide = groups
            .iter()
            .filter(|((sub, _), _)| !matches!(sub, Sub::Lost))
            .flat_map(|(_, rules)| rules.iter().copied())
            .collect();
        let rules = groups
            .into_iter()
            .map(|((sub, pairs), rules)| {
                let detached = if sub == Sub::Detached {
                    pairs
                        .iter()
                        .filter(|(o, c)| o != c)
                        .map(|&(o, c)| (o, c, OnceLock::new()))
                        .collect()
                } else {
                    Vec::new()
                };
                let groups = pair_groups(&pairs);
                let marks = match sub {
                    Sub::Doubled => CharSet::new(std::iter::once('"').chain(pairs.iter().map(|p| p.1))),
                    _ => CharSet::new(std::iter::once('"').chain(pairs.iter().flat_map(|&(o, c)| [o, c]))),
                };
                QuoteRule {
                    rules,
                    sub,
                    pairs,
                    detached,
                    groups,
                    marks,
                }
            })
            .collect();
        QuotesCheck { rules, document_wide }
    }
}

impl Check for QuotesCheck {
    /// `mixed-styles` flags the style the rest of the document does not use; a straight pair
    /// is detached (and then not unbalanced) only if its phrase is quoted properly elsewhere;
    /// a `doubled` fix is safe only if its paragraph ends up balanced, judged with those
    /// pairs and with the next paragraph (a quotation may run on into it).
    fn document_wide(&self, rule: RuleIdx) -> bool {
        self.document_wide.contains(&rule)
    }

    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        // `unbalanced` and `detached` both need the detached straight pairs: found once.
        let pairs = OnceCell::new();
        let detached_pairs = || pairs.get_or_init(|| straight_detached_pairs(&doc.text)).as_slice();
        let mut pending = Vec::new();
        for r in &self.rules {
            if !sink.any_active(&r.rules) {
                continue;
            }
            match r.sub {
                Sub::Unbalanced => unbalanced(doc, r, detached_pairs(), sink),
                Sub::Doubled => doubled(doc, r, &mut pending),
                Sub::Detached => detached(doc, r, detached_pairs(), &mut pending),
                Sub::MixedStyles => mixed_styles(doc, r, sink),
                Sub::Lost => lost(doc, r, sink),
            }
        }
        if !pending.is_empty() {
            settle(doc, detached_pairs(), pending, sink);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    Either,
}

fn opens_before(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || "([{—–-/'‘“«„".contains(c))
}

fn closes_after(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || SENTENCE_PUNCT.contains(&c) || ")]}—–…'’”»".contains(c))
}

/// Straight quotes in a paragraph, a run of adjacent ones counted once, with the role their
/// surroundings give them.
fn straight_quotes(text: &str, para: Span) -> Vec<(Span, Role)> {
    let p = para.text(text);
    let mut out = Vec::new();
    let bytes = p.as_bytes();
    let mut from = 0;
    while let Some(found) = memchr::memchr(b'"', &bytes[from..]) {
        let i = from + found;
        let mut j = i;
        while j < bytes.len() && bytes[j] == b'"' {
            j += 1;
        }
        let before = p[..i].chars().next_back();
        let after = p[j..].chars().next();
        let role = match (opens_before(before), closes_after(after)) {
            (true, false) => Role::Open,
            (false, true) => Role::Close,
            _ => Role::Either,
        };
        out.push((Span::new(para.start + i, para.start + j), role));
        from = j;
    }
    out
}

/// A typographic pair of marks. `either`: the rule lists the pair both ways round
/// (`»…«` and `«…»` in German), and each paragraph is read in the direction it uses.
struct PairGroup {
    open: char,
    close: char,
    either: bool,
    marks: CharSet,
}

fn pair_groups(pairs: &[(char, char)]) -> Vec<PairGroup> {
    let mut groups: Vec<PairGroup> = Vec::new();
    for &(o, c) in pairs.iter().filter(|(o, c)| o != c) {
        if let Some(g) = groups.iter_mut().find(|g| g.open == c && g.close == o) {
            g.either = true;
            continue;
        }
        if groups.iter().any(|g| g.open == o && g.close == c) {
            continue;
        }
        groups.push(PairGroup {
            open: o,
            close: c,
            either: false,
            marks: CharSet::new([o, c]),
        });
    }
    groups
}

/// An unbalanced mark: where, what is wrong, the mark, and the next opening mark when that
/// is why.
struct Problem {
    span: Span,
    problem: String,
    quote: char,
    next: Option<Span>,
}

/// A quotation mark right after a digit is an inch, foot or second mark (`a 27" monitor`,
/// `6'2"`, `12" x 8"`), unless it must close a quotation.
/// The number must stand on its own (`27"`, `6'2"`, `x 8"`), not end a word or a version
/// (`"v1.12"`).
fn after_digit(text: &str, at: usize) -> bool {
    let before = &text[..at];
    if !before.ends_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let number = before.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
    number
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || "'’′x×(-–".contains(c))
}

/// The unbalanced quotation marks of `para`. `detached` holds the straight pairs detached
/// from the words they enclose; `continued`: the next paragraph opens with a quotation mark,
/// so a quotation left open here goes on there (the convention for quoting several
/// paragraphs).
fn paragraph_problems(
    text: &str,
    para: Span,
    detached: &[(Span, Span)],
    groups: &[PairGroup],
    continued: bool,
) -> Vec<Problem> {
    let mut out = Vec::new();
    // A detached pair (`the" two new "organization`) is a pair, misplaced: its first quote
    // opens and its second closes, whatever the spaces say. The `detached` check reports it.
    let quotes = straight_quotes(text, para);
    let mut open: Option<Span> = None;
    for (k, &(span, role)) in quotes.iter().enumerate() {
        // `""`: an empty pair, as in `the empty string, "".`
        if span.len() == 2 && role != Role::Close && role != Role::Open {
            continue;
        }
        if span.len() == 1 && after_digit(text, span.start) {
            let later = quotes[k + 1..].iter().any(|&(_, r)| r != Role::Open);
            if open.is_none() || later {
                continue;
            }
        }
        let role = if detached.iter().any(|&(q1, _)| q1 == span) {
            Role::Open
        } else if detached.iter().any(|&(_, q2)| q2 == span) {
            Role::Close
        } else {
            role
        };
        let closes = match role {
            Role::Open => false,
            Role::Close => true,
            Role::Either => open.is_some(),
        };
        if closes {
            if open.take().is_none() {
                out.push(Problem {
                    span,
                    problem: "closing quote with no opening quote in this paragraph".into(),
                    quote: '"',
                    next: None,
                });
            }
        } else if let Some(prev) = open.replace(span) {
            out.push(Problem {
                span: prev,
                problem: "opening quote is never closed: another opening quote follows".into(),
                quote: '"',
                next: Some(span),
            });
        }
    }
    if let Some(span) = open.filter(|_| !continued) {
        out.push(Problem {
            span,
            problem: "opening quote is never closed in this paragraph".into(),
            quote: '"',
            next: None,
        });
    }
    let p = para.text(text);
    for g in groups {
        if is_separator(p, g) {
            continue;
        }
        let forward = pair_problems(p, para.start, g.open, g.close, &g.marks, continued);
        if g.either && !forward.is_empty() {
            let backward = pair_problems(p, para.start, g.close, g.open, &g.marks, continued);
            if backward.len() < forward.len() {
                out.extend(backward);
                continue;
            }
        }
        out.extend(forward);
    }
    out
}

/// A paragraph whose only marks of a pair are right-pointing guillemets, each with white
/// space on both sides, uses them as separators (`Home » News » Article`), not as quotation
/// marks. (A spaced `«` alone is a French quotation left open.)
fn is_separator(p: &str, g: &PairGroup) -> bool {
    let found: Vec<(usize, char)> = g.marks.find_iter(p).collect();
    let Some(&(_, first)) = found.first() else {
        return false;
    };
    (first == '»' || first == '›')
        && found.iter().all(|&(i, c)| {
            c == first
                && p[..i].chars().next_back().is_some_and(char::is_whitespace)
                && p[i + c.len_utf8()..].chars().next().is_some_and(char::is_whitespace)
        })
}

/// The unbalanced marks of the pair `o`…`c` in the paragraph `p` (at `base` in the text).
fn pair_problems(p: &str, base: usize, o: char, c: char, marks: &CharSet, continued: bool) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut stack: Vec<Span> = Vec::new();
    let mut prev: Option<(char, usize)> = None;
    for (i, ch) in marks.find_iter(p) {
        let span = Span::new(base + i, base + i + ch.len_utf8());
        // A doubled closing mark (`»»`) is one mark written twice, as a run of
        // straight quotes counts once: the `doubled` check reports it.
        let doubled = ch == c && prev == Some((c, i));
        prev = Some((ch, i + ch.len_utf8()));
        if doubled {
            continue;
        }
        if ch == o {
            stack.push(span);
        } else if ch == c && stack.pop().is_none() && !after_digit(p, i) {
            out.push(Problem {
                span,
                problem: format!("closing {c} with no opening {o} in this paragraph"),
                quote: c,
                next: None,
            });
        }
    }
    if !continued {
        for span in stack {
            out.push(Problem {
                span,
                problem: format!("opening {o} is never closed by {c} in this paragraph"),
                quote: o,
                next: None,
            });
        }
    }
    out
}

/// True when the paragraph after `paras[k]` opens with a quotation mark of `r`.
fn next_opens_quote(text: &str, paras: &[Span], k: usize, r: &QuoteRule) -> bool {
    paras.get(k + 1).is_some_and(|next| {
        next.text(text)
            .chars()
            .next()
            .is_some_and(|c| c == '"' || r.groups.iter().any(|g| c == g.open || (g.either && c == g.close)))
    })
}

fn unbalanced(doc: &Document, r: &QuoteRule, detached: &[(Span, Span)], sink: &mut Sink<'_>) {
    let text = &doc.text;
    let paras = doc.paragraphs();
    for (k, &para) in paras.iter().enumerate() {
        let continued = next_opens_quote(text, paras, k, r);
        for p in paragraph_problems(text, para, detached, &r.groups, continued) {
            let quote = p.quote.to_string();
            let args = [("problem", p.problem.as_str()), ("quote", quote.as_str())];
            let labels = p
                .next
                .map(|span| Label {
                    span,
                    message: "next opening quote".into(),
                })
                .into_iter()
                .collect();
            sink.push_each(&r.rules, p.span, &args, None, labels);
        }
    }
}

/// A `doubled` or `detached` fix found, its safety not yet settled.
struct Pending<'r> {
    r: &'r QuoteRule,
    span: Span,
    problem: String,
    edits: Vec<Edit>,
    suggested: Applicability,
}

/// Settles how safe each quote fix is and reports it. A safe fix must leave its paragraph
/// balanced; a paragraph with two defects (a detached pair and a doubled quote) is balanced
/// only when both are fixed, so the safe fixes of one paragraph are re-checked together: a
/// fix stays safe when all of them applied balance the paragraph by its rule's marks.
fn settle(doc: &Document, straight: &[(Span, Span)], pending: Vec<Pending<'_>>, sink: &mut Sink<'_>) {
    let paras = doc.paragraphs();
    let para_of = |p: &Pending<'_>| {
        let first = p.edits.iter().map(|e| e.span.start).min().unwrap_or(p.span.start);
        paras.partition_point(|q| q.end < first)
    };
    let keys: Vec<usize> = pending.iter().map(para_of).collect();
    let mut settled: Vec<Option<Applicability>> = vec![None; pending.len()];
    for i in 0..pending.len() {
        if settled[i].is_some() {
            continue;
        }
        if pending[i].suggested != Applicability::Safe {
            settled[i] = Some(pending[i].suggested);
            continue;
        }
        let together: Vec<usize> = (i..pending.len())
            .filter(|&j| settled[j].is_none() && keys[j] == keys[i] && pending[j].suggested == Applicability::Safe)
            .collect();
        let mut edits: Vec<Edit> = together
            .iter()
            .flat_map(|&j| pending[j].edits.iter().cloned())
            .collect();
        edits.sort_by(|a, b| (a.span, &a.replacement).cmp(&(b.span, &b.replacement)));
        edits.dedup();
        let overlapping = edits
            .windows(2)
            .any(|w| w[0].span.overlaps(w[1].span) || w[0].span == w[1].span);
        for &j in &together {
            // Fixes that disagree on a place are judged each on its own; otherwise each
            // rule judges the paragraph with all of them applied, by its own marks.
            let edits = if overlapping { &pending[j].edits } else { &edits };
            settled[j] = Some(if balanced_after(doc, pending[j].r, straight, edits) {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            });
        }
    }
    for (p, applicability) in pending.into_iter().zip(settled) {
        let applicability = applicability.unwrap_or(p.suggested);
        sink.fix_each(&p.r.rules, p.span, &[("problem", &p.problem)], p.edits, applicability);
    }
}

/// True when, with a set of quote fixes of one paragraph applied, the paragraph is balanced:
/// no quote left open, unpaired or paired with the wrong mark. A fix in a paragraph that
/// stays badly quoted needs a human.
fn balanced_after(doc: &Document, r: &QuoteRule, detached: &[(Span, Span)], edits: &[Edit]) -> bool {
    let text = &doc.text;
    let paras = doc.paragraphs();
    let Some(first) = edits.iter().map(|e| e.span.start).min() else {
        return true;
    };
    let k = paras.partition_point(|p| p.end < first);
    let Some(&para) = paras.get(k) else {
        return true;
    };
    if edits.iter().any(|e| e.span.start < para.start || e.span.end > para.end) {
        return false;
    }
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| e.span.start);
    // The paragraph with the fix applied, and where its old offsets move.
    let mut fixed = String::with_capacity(para.len() + 8);
    let mut at = para.start;
    let mut shifts: Vec<(usize, isize)> = Vec::new();
    let mut delta = 0isize;
    for e in &sorted {
        fixed.push_str(&text[at..e.span.start]);
        fixed.push_str(&e.replacement);
        delta += e.replacement.len() as isize - e.span.len() as isize;
        shifts.push((e.span.end, delta));
        at = e.span.end;
    }
    fixed.push_str(&text[at..para.end]);
    let moved = |offset: usize| {
        let d = shifts.iter().rev().find(|(end, _)| *end <= offset).map_or(0, |s| s.1);
        (offset - para.start).checked_add_signed(d)
    };
    let touched = |s: Span| sorted.iter().any(|e| e.span.start <= s.end && s.start <= e.span.end);
    let in_para: Vec<(Span, Span)> = detached
        .iter()
        .copied()
        .filter(|&(q1, q2)| para.start <= q1.start && q2.end <= para.end)
        .collect();
    let others: Vec<(Span, Span)> = in_para
        .iter()
        .filter(|&&(q1, q2)| !touched(q1) && !touched(q2))
        .filter_map(|&(q1, q2)| {
            let m = |s: Span| Some(Span::new(moved(s.start)?, moved(s.end)?));
            Some((m(q1)?, m(q2)?))
        })
        .collect();
    let continued = next_opens_quote(text, paras, k, r);
    let after = paragraph_problems(&fixed, Span::new(0, fixed.len()), &others, &r.groups, continued);
    // A quote problem left anywhere in the paragraph counts — even one that was there
    // before and that the fix did not touch (`"combination of" two new "building` →
    // `"combination of "two new" building`).
    after.is_empty()
}

fn is_quote(c: char, r: &QuoteRule) -> bool {
    c == '"' || r.pairs.iter().any(|&(_, close)| close == c)
}

/// `power""`, `units.".`, `merchants."".`: a closing quote doubled, or sentence punctuation
/// on both sides of it.
fn doubled<'r>(doc: &Document, r: &'r QuoteRule, out: &mut Vec<Pending<'r>>) {
    let text = &doc.text;
    let mut pos = doc.body;
    let bytes = text.as_bytes();
    while pos < text.len() {
        // Find the next closing-quote character.
        let Some((q_at, q)) = r.marks.find(text, pos) else {
            break;
        };
        // Extend left over sentence punctuation, then require a word before the cluster.
        let mut start = q_at;
        while start > 0 && SENTENCE_PUNCT.contains(&(bytes[start - 1] as char)) {
            start -= 1;
        }
        // French sets a closing guillemet off by a (no-break) space: `rouge »»`.
        let mut word_end = start;
        if start == q_at && q != '"' {
            word_end = text[..start].trim_end_matches([' ', '\u{a0}', '\u{202f}']).len();
        }
        let word_before = text[..word_end].chars().next_back().is_some_and(char::is_alphanumeric);
        let mut end = q_at + q.len_utf8();
        while let Some(c) = text[end..].chars().next() {
            if SENTENCE_PUNCT.contains(&c) || is_quote(c, r) {
                end += c.len_utf8();
            } else {
                break;
            }
        }
        pos = end;
        if !word_before {
            continue;
        }
        let cluster = &text[start..end];
        let (fixed, problem) = normalize_cluster(cluster, r);
        if fixed != cluster {
            let span = Span::new(start, end);
            out.push(Pending {
                r,
                span,
                problem: problem.to_string(),
                edits: vec![Edit::replace(span, fixed)],
                suggested: Applicability::Safe,
            });
        }
    }
}

/// Collapses doubled quotes and drops sentence punctuation repeated after a closing quote.
fn normalize_cluster(cluster: &str, r: &QuoteRule) -> (String, &'static str) {
    let mut out: Vec<char> = Vec::new();
    let mut problem = "";
    for c in cluster.chars() {
        if is_quote(c, r) && out.last() == Some(&c) {
            problem = "doubled closing quote";
            continue;
        }
        out.push(c);
    }
    // P Q P2 → P Q when P2 repeats P or both end a sentence.
    if let Some(qi) = out.iter().position(|&c| is_quote(c, r)) {
        if qi > 0 && qi + 1 < out.len() {
            let before = out[qi - 1];
            let after = out[qi + 1];
            let ends = |c: char| matches!(c, '.' | '!' | '?');
            if !is_quote(after, r) && (before == after || (ends(before) && ends(after))) {
                out.truncate(qi + 1);
                problem = if problem.is_empty() {
                    "punctuation on both sides of the closing quote"
                } else {
                    "doubled closing quote and punctuation on both sides of it"
                };
            }
        }
    }
    (out.into_iter().collect(), problem)
}

/// A word character as the regex crate's Unicode `\w` has it, so the hand-written scan of
/// [`straight_detached`] finds what the regex `\w(") ([^"\n.,;:!?]{1,40}?) (")\w` would.
fn is_regex_word(c: char) -> bool {
    regex_syntax::try_is_word_character(c).unwrap_or_else(|_| c.is_alphanumeric() || c == '_')
}

/// The successive non-overlapping matches of `\w(") ([^"\n.,;:!?]{1,40}?) (")\w` in `text`,
/// as the two quotes and the phrase between them (without its spaces).
///
/// A regex with `\w` first has no literal to look for, so it would walk every byte of every
/// document (and its Unicode classes cost ~2 ms to compile). Here `memchr` jumps from quote
/// to quote. The phrase cannot hold a quote, so the lazy repetition can only end at the
/// first quote after the opening one: each candidate has one possible match, checked by hand.
fn straight_detached(text: &str) -> Vec<(Span, Span, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Where the last match ended: matches do not overlap.
    let mut from = 0;
    let mut quotes = memchr::memchr_iter(b'"', bytes).peekable();
    while let Some(q1) = quotes.next() {
        // `\w" `: glued to the word before, a space after.
        if bytes.get(q1 + 1) != Some(&b' ') {
            continue;
        }
        let Some(before) = text[..q1].chars().next_back() else {
            continue;
        };
        if q1 - before.len_utf8() < from || !is_regex_word(before) {
            continue;
        }
        // The next quote closes the phrase: ` phrase "`, then a word.
        let Some(&q2) = quotes.peek() else {
            break;
        };
        let inner_start = q1 + 2;
        if q2 < inner_start + 2 || bytes[q2 - 1] != b' ' {
            continue;
        }
        let inner = &text[inner_start..q2 - 1];
        let chars = inner.chars().count();
        if chars > 40
            || inner
                .bytes()
                .any(|b| matches!(b, b'\n' | b'.' | b',' | b';' | b':' | b'!' | b'?'))
        {
            continue;
        }
        let Some(after) = text[q2 + 1..].chars().next() else {
            continue;
        };
        if !is_regex_word(after) {
            continue;
        }
        out.push((Span::new(q1, q1 + 1), Span::new(q2, q2 + 1), inner));
        from = q2 + 1 + after.len_utf8();
        // The closing quote is spent.
        quotes.next();
    }
    out
}

/// Straight quote pairs detached from the phrase they enclose, `the" two new "organization`:
/// the quote glued to the word before and the one glued to the word after. Straight quotes do
/// not say which side they belong to; the document does when it quotes the same phrase
/// properly elsewhere, so only those phrases count.
fn straight_detached_pairs(text: &str) -> Vec<(Span, Span)> {
    if memchr::memchr(b'"', text.as_bytes()).is_none() {
        return Vec::new();
    }
    let candidates: Vec<(Span, Span, &str)> = straight_detached(text)
        .into_iter()
        .filter(|(_, _, inner)| inner.split_whitespace().count() <= 5)
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    // A phrase quoted properly is `"phrase"`, and a candidate's phrase holds no quote: so it
    // is quoted elsewhere exactly when it is the text between two quotes that follow each
    // other. One pass over the quotes, in linear time: one search of the whole text per
    // phrase made large documents quadratic.
    let phrases: HashSet<&str> = candidates.iter().map(|c| c.2).collect();
    let longest = phrases.iter().map(|p| p.len()).max().unwrap_or(0);
    let mut quoted_elsewhere: HashSet<&str> = HashSet::new();
    let bytes = text.as_bytes();
    let mut quotes = memchr::memchr_iter(b'"', bytes);
    if let Some(mut open) = quotes.next() {
        for close in quotes {
            // Both ends are ASCII quotes, so both are character boundaries.
            let inner = &text[open + 1..close];
            if inner.len() <= longest && phrases.contains(inner) {
                quoted_elsewhere.insert(inner);
            }
            open = close;
        }
    }
    candidates
        .iter()
        .filter(|(_, _, inner)| quoted_elsewhere.contains(inner))
        .map(|&(q1, q2, _)| (q1, q2))
        .collect()
}

/// `the" two new "organization` → `the "two new" organization`.
fn detached<'r>(doc: &Document, r: &'r QuoteRule, straight: &[(Span, Span)], out: &mut Vec<Pending<'r>>) {
    let text = doc.text.as_str();
    let mut report = |q1: Span, q2: Span, open: &str, close: &str, suggested| {
        // q1 is the quote glued to the word before, q2 the one glued to the word after.
        let inner = &text[q1.end + 1..q2.start - 1];
        let edits = vec![
            Edit::replace(Span::new(q1.start, q1.end + 1), format!(" {open}")),
            Edit::replace(Span::new(q2.start - 1, q2.end), format!("{close} ")),
        ];
        let problem = format!("quotes detached from the words they enclose: write {open}{inner}{close}");
        out.push(Pending {
            r,
            span: Span::new(q1.start, q2.end),
            problem,
            edits,
            suggested,
        });
    };
    for &(q1, q2) in straight {
        report(q1, q2, "\"", "\"", Applicability::Safe);
    }
    for (o, c, re) in &r.detached {
        if !text.contains(*o) {
            continue;
        }
        for caps in re.get_or_init(|| detached_curly_re(*o, *c)).captures_iter(text) {
            let (q1, q2) = (caps.get(1).unwrap(), caps.get(3).unwrap());
            report(
                Span::new(q1.start(), q1.end()),
                Span::new(q2.start(), q2.end()),
                &o.to_string(),
                &c.to_string(),
                Applicability::Safe,
            );
        }
    }
}

/// `?` where a conversion to a code page without curly quotes or dashes lost a character:
/// `the ?Belt and Road? initiative`, `?853?` (a pair of quotes), `Leaders?Visit` (a character
/// between two words). A question mark never opens a word, nor joins two.
fn lost(doc: &Document, r: &QuoteRule, sink: &mut Sink<'_>) {
    let text = &doc.text;
    if memchr::memchr(b'?', text.as_bytes()).is_none() {
        return;
    }
    let (open, close) = r.pairs.iter().copied().find(|(o, c)| o != c).unwrap_or(('“', '”'));
    let (open, close) = (open.to_string(), close.to_string());
    for &para in doc.paragraphs() {
        let p = para.text(text);
        let marks: Vec<usize> = memchr::memchr_iter(b'?', p.as_bytes()).collect();
        let around = |i: usize| (p[..i].chars().next_back(), p[i + 1..].chars().next());
        let mut k = 0;
        while k < marks.len() {
            let i = marks[k];
            k += 1;
            if in_address(p, i) {
                continue;
            }
            let (before, after) = around(i);
            let word_after = after.is_some_and(char::is_alphanumeric);
            let q = Span::new(para.start + i, para.start + i + 1);
            if before.is_some_and(char::is_alphabetic) && after.is_some_and(char::is_alphabetic) {
                let problem = "\"?\" between two words: a character lost in an encoding conversion";
                sink.flag_each(&r.rules, q, &[("problem", problem), ("quote", "?")]);
                continue;
            }
            if !(word_after && before.is_none_or(|c| c.is_whitespace() || "([{".contains(c))) {
                continue;
            }
            // The closing one: the next `?` glued to the end of a word, within 80 bytes.
            let closing = marks[k..].iter().position(|&j| {
                let (b, a) = around(j);
                j - i <= 80 && b.is_some_and(|c| !c.is_whitespace()) && !a.is_some_and(char::is_alphanumeric)
            });
            match closing {
                Some(n) => {
                    let j = marks[k + n];
                    k += n + 1;
                    let q2 = Span::new(para.start + j, para.start + j + 1);
                    let problem = format!("\"?\" for lost quotation marks: write {open}{}{close}", &p[i + 1..j]);
                    sink.fix_each(
                        &r.rules,
                        Span::new(q.start, q2.end),
                        &[("problem", &problem), ("quote", "?")],
                        vec![Edit::replace(q, open.clone()), Edit::replace(q2, close.clone())],
                        Applicability::Unsafe,
                    );
                }
                None => {
                    let problem = "\"?\" opening a word: a quotation mark lost in an encoding conversion";
                    sink.flag_each(&r.rules, q, &[("problem", problem), ("quote", "?")]);
                }
            }
        }
    }
}

/// True when the `?` at `i` is part of an address or code (`index.php?id=3`, `?q=1`).
fn in_address(p: &str, i: usize) -> bool {
    let start = p[..i]
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace())
        .map_or(0, |(s, c)| s + c.len_utf8());
    let end = p[i..].find(char::is_whitespace).map_or(p.len(), |e| i + e);
    p[start..end].contains(['=', '/', '&', '\\', '`', '<', '>', '$', '%', '{'])
}

/// Curly quotes say it themselves: an opening mark glued to the word before and a closing
/// one glued to the word after.
fn detached_curly_re(o: char, c: char) -> Regex {
    let (eo, ec) = (regex::escape(&o.to_string()), regex::escape(&c.to_string()));
    Regex::new(&format!(r"\w({eo}) ([^{eo}{ec}\n]{{1,40}}?) ({ec})\w")).expect("escaped marks make a valid regex")
}

/// Straight and curly double quotes in one document's prose: the minority style is flagged.
/// Marks where no finding may stand (code blocks, inline code, markup such as
/// `<span class="caption">`, URLs and other protected spans) are not the prose's style and
/// are not counted: a Markdown page quoting typographically around straight-quoted code
/// uses one style.
fn mixed_styles(doc: &Document, r: &QuoteRule, sink: &mut Sink<'_>) {
    let text = &doc.text;
    let curly: Vec<char> = r
        .pairs
        .iter()
        .flat_map(|&(o, c)| [o, c])
        .filter(|&c| c != '"')
        .collect();
    if curly.is_empty() {
        return;
    }
    let mut straight = Vec::new();
    let mut typographic = Vec::new();
    let prose = |span: Span| !doc.blocks_finding(span) && !crate::protect::blocks(doc.protected(), span);
    for (i, c) in r.marks.find_iter(text) {
        let span = Span::new(i, i + c.len_utf8());
        if c == '"' && prose(span) {
            straight.push(span);
        } else if curly.contains(&c) && prose(span) {
            typographic.push(span);
        }
    }
    if straight.is_empty() || typographic.is_empty() {
        return;
    }
    let (minority, problem) = if straight.len() <= typographic.len() {
        (
            straight,
            "straight quote in a document that otherwise uses typographic quotes",
        )
    } else {
        (
            typographic,
            "typographic quote in a document that otherwise uses straight quotes",
        )
    };
    for span in minority {
        sink.flag_each(&r.rules, span, &[("problem", problem)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> QuoteRule {
        QuoteRule {
            rules: vec![0],
            sub: Sub::Doubled,
            pairs: vec![('“', '”')],
            detached: Vec::new(),
            groups: Vec::new(),
            marks: CharSet::new(['"', '”']),
        }
    }

    #[test]
    fn clusters() {
        let r = rule();
        assert_eq!(normalize_cluster("\"\"", &r).0, "\"");
        assert_eq!(normalize_cluster(".\".", &r).0, ".\"");
        assert_eq!(normalize_cluster(".\"\".", &r).0, ".\"");
        assert_eq!(normalize_cluster("\".", &r).0, "\".");
        assert_eq!(normalize_cluster(",\"", &r).0, ",\"");
        assert_eq!(normalize_cluster("...\".", &r).0, "...\"");
    }

    #[test]
    fn straight_detached_scan_finds_what_the_regex_finds() {
        let re = Regex::new(r#"\w(") ([^"\n.,;:!?]{1,40}?) (")\w"#).unwrap();
        let regex_matches = |text: &str| -> Vec<(Span, Span, String)> {
            re.captures_iter(text)
                .map(|c| {
                    let (q1, inner, q2) = (c.get(1).unwrap(), c.get(2).unwrap(), c.get(3).unwrap());
                    (
                        Span::new(q1.start(), q1.end()),
                        Span::new(q2.start(), q2.end()),
                        inner.as_str().to_string(),
                    )
                })
                .collect()
        };
        let scan = |text: &str| -> Vec<(Span, Span, String)> {
            straight_detached(text)
                .into_iter()
                .map(|(a, b, i)| (a, b, i.to_string()))
                .collect()
        };
        let fixed = [
            r#"the" two new "organization and a" b "c"#,
            r#"x" y "z" w "v"#,
            r#"é" ü "中 and 中" 文 "é"#,
            r#"a" b. "c a" "d a"  b  "c"#,
            "a\" b\n\"c a\" b\r \"c",
        ];
        for text in fixed {
            assert_eq!(scan(text), regex_matches(text), "{text:?}");
        }
        assert_eq!(scan(fixed[0]).len(), 2);
        // Generated text: near-misses and matches of the pattern, `{w}" {phrase} "{w}`, with
        // word characters of several widths (combining marks are word characters to the
        // regex) or not at the edges, and phrases of stops, breaks, quotes or up to 42 letters.
        let edges = ["a", "é", "中", "\u{301}", "1", "_", " ", "-", "’", ".", ""];
        let inner = ["x", " ", "y z", "é", ".", "\"", "\n", "\r", "中", "?"];
        let mut next = crate::testing::picker(0x2545_f491_4f6c_dd1d_u64);
        let mut with_matches = 0;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..1 + next(4) {
                text += edges[next(edges.len())];
                text += ["\" ", "\"", " \""][next(3)];
                if next(8) == 0 {
                    text += &"x".repeat(38 + next(5));
                } else {
                    for _ in 0..next(5) {
                        text += inner[next(inner.len())];
                    }
                }
                text += [" \"", "\"", "\" "][next(3)];
                text += edges[next(edges.len())];
            }
            let want = regex_matches(&text);
            with_matches += usize::from(!want.is_empty());
            assert_eq!(scan(&text), want, "{text:?}");
        }
        assert!(with_matches > 500, "{with_matches} texts with a match");
        // Phrases of up to 40 characters, not 41.
        let long = |n: usize| format!("a\" {} \"b", "x".repeat(n));
        assert_eq!(scan(&long(40)).len(), 1);
        assert!(scan(&long(41)).is_empty());
    }
}
