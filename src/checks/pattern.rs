//! `pattern`: regular expressions with a message and a replacement template, prefiltered by
//! one automaton so the text is scanned once for all rules before any rule runs.

use std::sync::OnceLock;

use regex_automata::meta;
use regex_automata::nfa::thompson::pikevm::PikeVM;
use regex_automata::nfa::thompson::{self, WhichCaptures, NFA};
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, MatchKind, PatternID, PatternSet};
use regex_syntax::hir::{Hir, HirKind, Look};

use super::{match_case, Check, RuleIdx, Sink, REGEX_NEST_LIMIT, REGEX_SIZE_LIMIT};
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
    let re = check_regex(p, !def.case_sensitive.unwrap_or(true)).map_err(|e| ("pattern", e))?;
    let vm = PikeVM::new_from_nfa(re.clone()).map_err(|e| ("pattern", format!("invalid regex: {e}")))?;
    if vm.is_match(&mut vm.create_cache(), "") {
        return Err((
            "pattern",
            "the pattern matches the empty string; it would flag every position".into(),
        ));
    }
    if let Some(r) = &def.replace {
        let mut groups: Vec<&str> = re.group_info().pattern_names(PatternID::ZERO).flatten().collect();
        let n = re.group_info().group_len(PatternID::ZERO);
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

/// Checks a regular expression as `build_regex` would, at a fraction of the cost: it is
/// parsed and compiled to a forward NFA under the same size limit, and the error messages are
/// the same. Every rule of every pack is validated at start-up; the full matcher (reverse NFA,
/// literal prefilters, one-pass DFA) is built only when a document needs it.
pub(super) fn check_regex(pattern: &str, case_insensitive: bool) -> Result<NFA, String> {
    let hir = parse(pattern, case_insensitive)?;
    thompson::Compiler::new()
        .configure(thompson::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT)))
        .build_from_hir(&hir)
        .map_err(|e| match e.size_limit() {
            Some(limit) => super::describe_regex_error(&regex::Error::CompiledTooBig(limit)),
            None => invalid(e.to_string()),
        })
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
    hir: Hir,
    /// Compiled on the first document the prefilter selects the rule for: most rules match
    /// few documents, and a run over one small file should not pay for all of them.
    matchers: OnceLock<Option<Matchers>>,
    /// The pattern can match the empty string: then the plain iterator's handling of empty
    /// matches decides, and the candidate search is not used.
    may_be_empty: bool,
    replace: Option<String>,
}

struct Matchers {
    regex: meta::Regex,
    /// The pattern without word boundaries, to find where a match may start; `None` when the
    /// pattern has none (then `regex` itself scans at full speed).
    candidates: Option<meta::Regex>,
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

/// The pattern's syntax tree, with the flags `build_regex` sets.
fn parse(pattern: &str, case_insensitive: bool) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .multi_line(true)
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
        .parse(pattern)
        .map_err(|e| invalid(e.to_string()))
}

/// An error message as `build_regex` words it.
fn invalid(e: String) -> String {
    format!("invalid regex: {}", e.replace('\n', "\n    "))
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
            stripped.push(without_word_boundaries(hir.clone()));
            compiled.push(PatternRule {
                rule,
                may_be_empty: hir.properties().minimum_len().is_some_and(|n| n == 0),
                hir,
                matchers: OnceLock::new(),
                replace: def.replace.clone(),
            });
        }
        let set = builder(REGEX_SIZE_LIMIT * 4)
            .configure(
                meta::Config::new()
                    .match_kind(MatchKind::All)
                    .which_captures(WhichCaptures::None),
            )
            .build_many_from_hir(&stripped)
            .map_err(|e| match e.size_limit() {
                Some(limit) => format!(
                    "pattern rules, compiled together: regex too large: they would exceed the limit of {} MiB; \
                     use smaller counted repetitions, fewer alternatives, or split the rules into packs",
                    limit / (1024 * 1024)
                ),
                None => format!("pattern rules, compiled together: {e}"),
            })?;
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
    /// The compiled matchers. `None` only if compiling fails, which validation (the same
    /// syntax, the same size limit) rules out for every rule loaded from a file.
    fn matchers(&self) -> Option<&Matchers> {
        self.matchers
            .get_or_init(|| {
                let build = |h: &Hir| builder(REGEX_SIZE_LIMIT).build_from_hir(h).ok();
                let bare = without_word_boundaries(self.hir.clone());
                Some(Matchers {
                    regex: build(&self.hir)?,
                    candidates: if bare == self.hir { None } else { Some(build(&bare)?) },
                })
            })
            .as_ref()
    }
}

impl Matchers {
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
}

impl PatternRule {
    fn report(&self, doc: &Document, caps: &Captures, sink: &mut Sink<'_>) {
        let text = doc.text.as_str();
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
                // A capitalised match at a sentence start keeps its capital, also behind an
                // opening quote (`“Mirror” industry` → `Eyewear industry`); mid-sentence
                // capitals belong to the match, not to the sentence.
                let letters = matched.trim_start_matches(|c: char| !c.is_alphabetic());
                let starts_upper =
                    letters.starts_with(char::is_uppercase) && out.starts_with(|c: char| c.is_lowercase());
                if starts_upper && doc.starts_sentence(m.start()) {
                    out = match_case(letters, &out);
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
            let Some(m) = r.matchers() else { continue };
            if r.may_be_empty {
                for caps in m.regex.captures_iter(text) {
                    r.report(doc, &caps, sink);
                }
                continue;
            }
            let mut caps = m.regex.create_captures();
            let mut at = 0;
            while m.next_match(text, at, &mut caps) {
                r.report(doc, &caps, sink);
                at = caps.get_match().map_or(text.len() + 1, |m| m.end());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(pattern: &str) -> PatternRule {
        let hir = parse(pattern, false).unwrap();
        PatternRule {
            rule: 0,
            may_be_empty: hir.properties().minimum_len() == Some(0),
            hir,
            matchers: OnceLock::new(),
            replace: None,
        }
    }

    /// The candidate search finds exactly the matches the regex crate finds, word boundaries
    /// next to non-ASCII letters included.
    #[test]
    fn candidates_find_the_same_matches() {
        let texts = [
            "émirror mirror’s “mirror” mirrorx In May, in May and In January 18",
            "café party partyé éparty party-building «party» Партия party",
            "aaa a a\u{a0}a 古镇a a古镇 the the",
        ];
        let patterns = [
            r"\bmirror\b",
            r"\b[Ii]n (?:January|May)\b",
            r"\b\w+é\b",
            r"\bparty\b",
            r"\Ba\b",
            r"\b(a)\s+(a)\b",
            r"\b(?:the|a) \w+",
            r"party(-building)?\b",
        ];
        for p in patterns {
            let re = regex::Regex::new(&format!("(?m){p}")).unwrap();
            let r = rule(p);
            let m = r.matchers().unwrap();
            assert!(m.candidates.is_some(), "{p} has word boundaries");
            for text in texts {
                let expected: Vec<_> = re.find_iter(text).map(|m| m.range()).collect();
                let mut found = Vec::new();
                let mut caps = m.regex.create_captures();
                let mut at = 0;
                while m.next_match(text, at, &mut caps) {
                    let hit = caps.get_match().unwrap();
                    found.push(hit.range());
                    at = hit.end();
                }
                assert_eq!(found, expected, "{p} on {text:?}");
            }
        }
    }

    #[test]
    fn validation_says_what_the_regex_crate_says() {
        for p in ["(", "a{", r"\p{Nope}", "[z-a]", r"\w{1000}{1000}"] {
            let ours = check_regex(p, false).unwrap_err();
            let theirs = super::super::build_regex(p, false).unwrap_err();
            assert_eq!(ours, theirs, "{p}");
        }
        assert!(check_regex(r"\bok\b", true).is_ok());
    }
}
