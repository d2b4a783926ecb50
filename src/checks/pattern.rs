//! `pattern`: regular expressions with a message and a replacement template, prefiltered by
//! one automaton so the text is scanned once for all rules before any rule runs.

use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, MatchKind, PatternSet};
use regex_syntax::hir::{Hir, HirKind, Look};

use super::{build_regex, is_word_char, match_case, Check, RuleIdx, Sink, REGEX_NEST_LIMIT, REGEX_SIZE_LIMIT};
use crate::config::rulefile::RuleDef;
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::span::Span;

pub fn validate(def: &RuleDef) -> Result<(), (&'static str, String)> {
    let Some(p) = &def.pattern else {
        return Err((
            "pattern",
            "a pattern rule needs `pattern` (a regular expression)".into(),
        ));
    };
    let re = build_regex(p, !def.case_sensitive.unwrap_or(true)).map_err(|e| ("pattern", e))?;
    if re.is_match("") {
        return Err((
            "pattern",
            "the pattern matches the empty string; it would flag every position".into(),
        ));
    }
    if let Some(r) = &def.replace {
        let mut groups: Vec<&str> = re.capture_names().flatten().collect();
        let n = re.captures_len();
        let mut i = 0;
        let b = r.as_bytes();
        while i < b.len() {
            if b[i] == b'$' && i + 1 < b.len() && b[i + 1] != b'$' {
                let rest = &r[i + 1..];
                let name: String = if let Some(inner) = rest.strip_prefix('{') {
                    inner.split('}').next().unwrap_or("").to_string()
                } else {
                    rest.chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect()
                };
                let ok = match name.parse::<usize>() {
                    Ok(k) => k < n,
                    Err(_) => groups.contains(&name.as_str()),
                };
                if !ok {
                    return Err((
                        "replace",
                        format!("`replace` refers to ${name}, which the pattern does not capture"),
                    ));
                }
                i += 1;
            } else if b[i] == b'$' {
                i += 2;
                continue;
            }
            i += 1;
        }
        groups.clear();
    }
    Ok(())
}

pub struct PatternCheck {
    /// All rules' patterns without word-boundary assertions, in one automaton. A pattern
    /// without its `\b`s matches wherever the pattern does (and maybe elsewhere), and the lazy
    /// DFA can scan it in one pass: with a Unicode `\b` it gives up at the first non-ASCII
    /// byte and the search falls back to the PikeVM, for the whole rest of the document.
    set: meta::Regex,
    rules: Vec<PatternRule>,
}

struct PatternRule {
    rule: RuleIdx,
    regex: meta::Regex,
    /// The pattern without word boundaries, to find where a match may start; `None` when the
    /// pattern has none (then `regex` itself scans at full speed).
    candidates: Option<meta::Regex>,
    /// The pattern can match the empty string: then the plain iterator's handling of empty
    /// matches decides, and the candidate search is not used.
    may_be_empty: bool,
    replace: Option<String>,
}

fn builder(size_limit: usize) -> meta::Builder {
    let mut b = meta::Builder::new();
    b.configure(
        meta::Config::new()
            .match_kind(MatchKind::LeftmostFirst)
            .utf8_empty(true)
            .nfa_size_limit(Some(size_limit)),
    );
    b
}

fn parse(pattern: &str, case_insensitive: bool) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .multi_line(true)
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
        .parse(pattern)
        .map_err(|e| format!("invalid regex: {e}"))
}

impl PatternCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Result<Self, String> {
        let mut stripped = Vec::new();
        let mut compiled = Vec::new();
        for &(rule, def) in rules {
            let hir = parse(
                def.pattern.as_deref().unwrap_or(""),
                !def.case_sensitive.unwrap_or(true),
            )?;
            let bare = without_word_boundaries(hir.clone());
            let build = |h: &Hir| {
                builder(REGEX_SIZE_LIMIT)
                    .build_from_hir(h)
                    .map_err(|e| format!("invalid regex: {e}"))
            };
            compiled.push(PatternRule {
                rule,
                regex: build(&hir)?,
                candidates: if bare == hir { None } else { Some(build(&bare)?) },
                may_be_empty: hir.properties().minimum_len().is_some_and(|n| n == 0),
                replace: def.replace.clone(),
            });
            stripped.push(bare);
        }
        let set = builder(REGEX_SIZE_LIMIT * 4)
            .configure(
                meta::Config::new()
                    .match_kind(MatchKind::All)
                    .which_captures(WhichCaptures::None),
            )
            .build_many_from_hir(&stripped)
            .map_err(|e| format!("pattern rules: {e}"))?;
        Ok(PatternCheck { set, rules: compiled })
    }
}

/// `hir` without word-boundary assertions. Dropping an assertion only widens what a pattern
/// matches, so every place the real pattern matches is still found; the real pattern then
/// decides.
fn without_word_boundaries(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Look(look) => match look {
            Look::Start | Look::End | Look::StartLF | Look::EndLF | Look::StartCRLF | Look::EndCRLF => Hir::look(look),
            _ => Hir::empty(),
        },
        HirKind::Repetition(mut rep) => {
            rep.sub = Box::new(without_word_boundaries(*rep.sub));
            Hir::repetition(rep)
        }
        HirKind::Capture(mut cap) => {
            cap.sub = Box::new(without_word_boundaries(*cap.sub));
            Hir::capture(cap)
        }
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(without_word_boundaries).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.into_iter().map(without_word_boundaries).collect()),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(lit) => Hir::literal(lit.0),
        HirKind::Class(class) => Hir::class(class),
    }
}

impl PatternRule {
    /// The next match at or after `at`, with its groups in `caps`: the same match an
    /// unanchored search from `at` finds. Every real match is a candidate match, so the
    /// leftmost candidate is never right of the leftmost real match; an anchored search at
    /// each candidate start in turn therefore meets the real match first.
    fn next_match(&self, text: &str, mut at: usize, caps: &mut Captures) -> bool {
        let Some(candidates) = &self.candidates else {
            self.regex.search_captures(&Input::new(text).range(at..), caps);
            return caps.is_match();
        };
        while at <= text.len() {
            let Some(c) = candidates.search(&Input::new(text).range(at..)) else {
                return false;
            };
            let input = Input::new(text).range(c.start()..).anchored(Anchored::Yes);
            self.regex.search_captures(&input, caps);
            if caps.is_match() {
                return true;
            }
            at = c.start() + text[c.start()..].chars().next().map_or(1, char::len_utf8);
        }
        false
    }

    fn report(&self, text: &str, caps: &Captures, sink: &mut Sink<'_>) {
        let Some(m) = caps.get_match() else { return };
        if m.is_empty() {
            return;
        }
        let span = Span::new(m.start(), m.end());
        let matched = &text[m.range()];
        let groups: Vec<(String, &str)> = (1..caps.group_len())
            .filter_map(|g| caps.get_group(g).map(|c| (g.to_string(), &text[c.range()])))
            .collect();
        let args: Vec<(&str, &str)> = groups.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        match &self.replace {
            Some(template) => {
                let mut out = String::new();
                caps.interpolate_string_into(text, template, &mut out);
                // A capitalised match at a sentence start keeps its capital.
                let starts_upper =
                    matched.starts_with(|c: char| c.is_uppercase()) && out.starts_with(|c: char| c.is_lowercase());
                if starts_upper && !text[..m.start()].ends_with(is_word_char) {
                    out = match_case(matched, &out);
                }
                sink.fix(
                    self.rule,
                    span,
                    &args,
                    vec![Edit::replace(span, out)],
                    Applicability::Safe,
                );
            }
            None => sink.flag(self.rule, span, &args),
        }
    }
}

impl Check for PatternCheck {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        let text = doc.text.as_str();
        let mut hits = PatternSet::new(self.rules.len());
        self.set.which_overlapping_matches(&Input::new(text), &mut hits);
        for i in hits.iter() {
            let r = &self.rules[i.as_usize()];
            if !sink.is_active(r.rule) {
                continue;
            }
            if r.may_be_empty {
                for caps in r.regex.captures_iter(text) {
                    r.report(text, &caps, sink);
                }
                continue;
            }
            let mut caps = r.regex.create_captures();
            let mut at = 0;
            while r.next_match(text, at, &mut caps) {
                r.report(text, &caps, sink);
                at = caps.get_match().map_or(text.len() + 1, |m| m.end());
            }
        }
    }
}
