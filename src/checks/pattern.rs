//! `pattern`: regular expressions with a message and a replacement template, prefiltered by
//! one automaton so the text is scanned once for all rules before any rule runs.

use std::sync::OnceLock;

use regex_automata::hybrid;
use regex_automata::meta;
use regex_automata::nfa::thompson::pikevm::PikeVM;
use regex_automata::nfa::thompson::{self, WhichCaptures, NFA};
use regex_automata::util::captures::Captures;
use regex_automata::util::pool::Pool;
use regex_automata::{Anchored, Input, MatchKind, PatternID, PatternSet};
use regex_syntax::hir::{Hir, HirKind, Look};

use super::{match_case, Check, CompileError, RegexError, RuleIdx, Sink, REGEX_NEST_LIMIT, REGEX_SIZE_LIMIT};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::span::Span;

pub(super) mod starts;
use starts::Starts;

/// The `pattern` kind.
pub static KIND: Kind = Kind {
    name: "pattern",
    category: "fluency",
    message: "\"{match}\" matches a known error",
    doc: include_str!("pattern.md"),
    sees_protected: false,
    reads_source: false,
    parse: parse_params::<PatternParams>,
};

/// Compiles every `pattern` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(PatternCheck::new(rules)?))
}

/// A `pattern` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PatternParams {
    pub pattern: Option<String>,
    pub replace: Option<String>,
    pub case_sensitive: Option<bool>,
}

impl KindParams for PatternParams {
    fn fixes(&self) -> Option<Applicability> {
        self.replace.as_ref().map(|_| Applicability::Safe)
    }

    fn replacements(&self) -> Vec<(&'static str, &str)> {
        self.replace.iter().map(|r| ("replace", r.as_str())).collect()
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        validate(self)
    }
}

fn validate(def: &PatternParams) -> Result<(), (&'static str, String)> {
    let Some(p) = &def.pattern else {
        return Err((
            "pattern",
            "a pattern rule needs `pattern` (a regular expression)".into(),
        ));
    };
    let re = check_regex(p, !def.case_sensitive.unwrap_or(true)).map_err(|e| ("pattern", e.to_string()))?;
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
pub(super) fn check_regex(pattern: &str, case_insensitive: bool) -> Result<NFA, RegexError> {
    let hir = parse(pattern, case_insensitive)?;
    Ok(thompson::Compiler::new()
        .configure(thompson::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT)))
        .build_from_hir(&hir)?)
}

/// All `pattern` rules compiled: one prefilter over the text, then each rule's regex where it may match.
pub struct PatternCheck {
    /// The prefilter of all the rules.
    all: Prefilter,
    /// The prefilter of the document-wide rules alone, when some rules are and some are not:
    /// a large document's document-wide rules, and a fixed document's, are checked apart
    /// from the others, and scanning the text for all the rules' starts then costs as much as
    /// checking all of them. Built on first use: most runs check no large document.
    wide_only: Option<WideOnly>,
    rules: Vec<PatternRule>,
    /// The rules whose matches can cross a line, sorted.
    document_wide: Vec<RuleIdx>,
}

/// The prefilter of the document-wide rules, built when first needed.
struct WideOnly {
    /// What [`Prefilter::new`] takes.
    literals: Vec<(usize, Vec<Vec<u8>>)>,
    stripped: Vec<Hir>,
    set_rules: Vec<usize>,
    /// `None` if it cannot be built, which cannot happen when the prefilter of all the rules
    /// could: then that one serves.
    built: OnceLock<Option<Prefilter>>,
}

impl WideOnly {
    fn get(&self) -> Option<&Prefilter> {
        self.built
            .get_or_init(|| Prefilter::new(&self.literals, self.stripped.clone(), self.set_rules.clone()).ok())
            .as_ref()
    }
}

/// Where some rules may match, found in one scan of the text for each of its two parts.
struct Prefilter {
    /// Where the rules with start literals can match: one scan for all of them.
    starts: Option<Starts>,
    /// The other rules' patterns without word-boundary assertions, in one automaton, with the
    /// rule each stands for. A pattern without its `\b`s matches wherever the pattern does
    /// (and maybe elsewhere), and the lazy DFA can scan it in one pass: with a Unicode `\b` it
    /// gives up at the first non-ASCII byte and the search falls back to the PikeVM, for the
    /// whole rest of the document.
    set: Option<RuleSet>,
}

/// Which of some patterns match somewhere in a text: a lazy DFA over all of them, nothing
/// else. (A `meta::Regex` of the same patterns also compiles them in reverse and for three
/// other engines, none of which an overlapping search uses: that was half the cost of
/// compiling the shipped packs' patterns.)
struct RuleSet {
    /// `None` in the one case where the lazy DFA does not build (its cache could not hold a
    /// few states of a huge set): then every rule of the set runs its own regex.
    dfa: Option<(hybrid::dfa::DFA, Pool<hybrid::dfa::Cache, CacheFn>)>,
    /// The rule (index into `PatternCheck::rules`) of each pattern.
    rules: Vec<usize>,
}

type CacheFn = Box<dyn Fn() -> hybrid::dfa::Cache + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>;

impl RuleSet {
    fn new(patterns: &[Hir], rules: Vec<usize>) -> Result<Self, CompileError> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .nfa_size_limit(Some(REGEX_SIZE_LIMIT * 4))
                    .which_captures(WhichCaptures::None),
            )
            .build_many_from_hir(patterns)
            .map_err(|e| CompileError::PatternSet(Box::new(e)))?;
        let dfa = hybrid::dfa::DFA::builder()
            .configure(hybrid::dfa::Config::new().match_kind(MatchKind::All))
            .build_from_nfa(nfa)
            .ok()
            .map(|dfa| {
                let for_caches = dfa.clone();
                let caches: Pool<_, CacheFn> = Pool::new(Box::new(move || for_caches.create_cache()));
                (dfa, caches)
            });
        Ok(RuleSet { dfa, rules })
    }

    /// The rules whose patterns match somewhere in `text`, in any order.
    fn matching(&self, text: &str) -> Vec<usize> {
        let Some((dfa, caches)) = &self.dfa else {
            return self.rules.clone();
        };
        match Self::walk(dfa, &mut caches.get(), text.as_bytes(), self.rules.len()) {
            Ok(hits) => hits.iter().map(|h| self.rules[h.as_usize()]).collect(),
            // Only a DFA configured to give up can fail, which this one is not; if it did,
            // every rule's own regex would decide.
            Err(_) => self.rules.clone(),
        }
    }

    /// The patterns that match somewhere in `text`: the match states met on one walk of the
    /// DFA through the text. (The library's overlapping search stops at every match and
    /// keeps its place in memory between bytes; with no match in most documents, it read
    /// a byte in six times as many instructions as this loop.) With `MatchKind::All`, the
    /// state after each byte holds every pattern with a match ending there, so this finds
    /// the patterns the overlapping search finds.
    fn walk(
        dfa: &hybrid::dfa::DFA,
        cache: &mut hybrid::dfa::Cache,
        text: &[u8],
        patterns: usize,
    ) -> Result<PatternSet, regex_automata::MatchError> {
        let mut hits = PatternSet::new(patterns);
        let mut sid = dfa.start_state_forward(cache, &Input::new(text))?;
        let gave_up = |at: usize| regex_automata::MatchError::gave_up(at);
        // `at` is the offset of the next byte to read.
        let mut at = 0;
        loop {
            let byte_at;
            if sid.is_tagged() {
                // A match state's transitions: the long way, one byte.
                if at >= text.len() {
                    break;
                }
                byte_at = at;
                sid = dfa.next_state(cache, sid, text[at]).map_err(|_| gave_up(at))?;
            } else {
                let Some((i, next)) = Self::untagged_run(dfa, cache, &mut sid, text, at) else {
                    break;
                };
                byte_at = i;
                sid = if next.is_unknown() {
                    dfa.next_state(cache, sid, text[i]).map_err(|_| gave_up(i))?
                } else {
                    next
                };
            }
            at = byte_at + 1;
            if sid.is_tagged() {
                if sid.is_match() {
                    Self::record(dfa, cache, sid, &mut hits);
                    if hits.is_full() {
                        return Ok(hits);
                    }
                } else if sid.is_dead() {
                    return Ok(hits);
                } else if sid.is_quit() {
                    return Err(regex_automata::MatchError::quit(text[byte_at], byte_at));
                }
            }
        }
        sid = dfa.next_eoi_state(cache, sid).map_err(|_| gave_up(text.len()))?;
        if sid.is_match() {
            Self::record(dfa, cache, sid, &mut hits);
        }
        Ok(hits)
    }

    /// Walks `dfa` from the untagged state `sid` through `text[at..]` for as long as it
    /// meets untagged states along transitions already computed: the loop nearly every byte
    /// takes, kept apart so that its few values stay in registers. At the first other state
    /// (tagged, or a transition still unknown), returns the offset of the byte that led to it
    /// and that state, with `sid` the state before the byte; `None` at the end of the text,
    /// with `sid` the last state.
    #[inline(never)]
    fn untagged_run(
        dfa: &hybrid::dfa::DFA,
        cache: &hybrid::dfa::Cache,
        sid: &mut hybrid::LazyStateID,
        text: &[u8],
        at: usize,
    ) -> Option<(usize, hybrid::LazyStateID)> {
        let mut current = *sid;
        let mut bytes = text[at..].iter();
        while let Some(&byte) = bytes.next() {
            let next = dfa.next_state_untagged(cache, current, byte);
            if next.is_tagged() {
                *sid = current;
                return Some((text.len() - bytes.len() - 1, next));
            }
            current = next;
        }
        *sid = current;
        None
    }

    /// Adds the patterns of the match state `sid` to `hits`.
    fn record(dfa: &hybrid::dfa::DFA, cache: &hybrid::dfa::Cache, sid: hybrid::LazyStateID, hits: &mut PatternSet) {
        for i in 0..dfa.match_len(cache, sid) {
            hits.insert(dfa.match_pattern(cache, sid, i));
        }
    }
}

struct PatternRule {
    rule: RuleIdx,
    hir: Hir,
    /// Compiled on the first document the prefilter selects the rule for: most rules match
    /// few documents, and a run over one small file should not pay for all of them.
    matchers: OnceLock<Option<Matchers>>,
    /// The rule's matches all start with one of its literals in `PatternCheck::starts`: its
    /// regex runs anchored where they occur, and needs no candidate search of its own.
    gated: bool,
    /// The pattern can match the empty string: then the plain iterator's handling of empty
    /// matches decides, and the candidate search is not used.
    may_be_empty: bool,
    /// The pattern can match a line break or tests the ends of the text: its matches in a
    /// part of a document may differ from those in the whole (see `Check::document_wide`).
    document_wide: bool,
    replace: Option<String>,
    /// The pattern as plain text, when it is one (gated rules only): then no regex is built.
    plain: Option<PlainText>,
    /// Text every match contains past its start (`short board` in `\b(?:fill|mend)
    /// (?:the )?short boards?\b`), when the pattern has some: a gated rule whose start
    /// literals are common words is not run on a document without it.
    required: Option<memchr::memmem::Finder<'static>>,
}

/// The longest literal of at least [`MIN_REQUIRED`] bytes that every match of `hir` contains
/// after its first byte: a literal part of a top-level sequence other than the first.
fn required_literal(hir: &Hir) -> Option<memchr::memmem::Finder<'static>> {
    let mut hir = hir;
    while let HirKind::Capture(cap) = hir.kind() {
        hir = &cap.sub;
    }
    let HirKind::Concat(parts) = hir.kind() else {
        return None;
    };
    parts
        .iter()
        .skip(1)
        .filter_map(|p| match p.kind() {
            HirKind::Literal(l) => Some(&l.0),
            _ => None,
        })
        .filter(|l| l.len() >= MIN_REQUIRED)
        .max_by_key(|l| l.len())
        .map(|l| memchr::memmem::Finder::new(l).into_owned())
}

/// Shorter literals are too common to be worth a search of their own.
const MIN_REQUIRED: usize = 4;

/// A pattern that is plain text with at most a word boundary at either end
/// (`\bstanding council\b`, the shape of most glossary-like rules): matched by comparing
/// bytes where the text starts, with no regex to build.
struct PlainText {
    bytes: Box<[u8]>,
    before: Option<regex_automata::util::look::Look>,
    after: Option<regex_automata::util::look::Look>,
}

impl PlainText {
    fn of(hir: &Hir) -> Option<PlainText> {
        use regex_automata::util::look::Look as L;
        let word = |h: &Hir| match h.kind() {
            HirKind::Look(Look::WordUnicode) => Some(L::WordUnicode),
            HirKind::Look(Look::WordAscii) => Some(L::WordAscii),
            _ => None,
        };
        let mut parts = match hir.kind() {
            HirKind::Concat(parts) => parts.as_slice(),
            HirKind::Literal(_) => std::slice::from_ref(hir),
            _ => return None,
        };
        let before = parts.first().and_then(word);
        if before.is_some() {
            parts = &parts[1..];
        }
        let after = parts.last().and_then(word);
        if after.is_some() {
            parts = &parts[..parts.len() - 1];
        }
        match parts {
            [literal] => match literal.kind() {
                HirKind::Literal(l) => Some(PlainText {
                    bytes: l.0.clone(),
                    before,
                    after,
                }),
                _ => None,
            },
            _ => None,
        }
    }

    /// Calls `each` with each match starting at one of `starts` (ascending), leftmost first
    /// and not overlapping, as an anchored regex search at each start would find them.
    fn matches_at(&self, text: &str, starts: &[usize], caps: &mut Captures, mut each: impl FnMut(&Captures)) {
        let look = regex_automata::util::look::LookMatcher::new();
        let haystack = text.as_bytes();
        let mut end = 0;
        for &start in starts {
            if start < end || !haystack[start..].starts_with(&self.bytes) {
                continue;
            }
            let stop = start + self.bytes.len();
            if self.before.is_some_and(|l| !look.matches(l, haystack, start))
                || self.after.is_some_and(|l| !look.matches(l, haystack, stop))
            {
                continue;
            }
            caps.set_pattern(Some(PatternID::ZERO));
            let slots = caps.slots_mut();
            slots[0] = regex_automata::util::primitives::NonMaxUsize::new(start);
            slots[1] = regex_automata::util::primitives::NonMaxUsize::new(stop);
            each(caps);
            end = stop;
        }
    }
}

/// Captures of a regex with no groups but the match, for [`PlainText`] matches.
fn plain_captures() -> Captures {
    static GROUPS: OnceLock<regex_automata::util::captures::GroupInfo> = OnceLock::new();
    let groups = GROUPS.get_or_init(|| {
        regex_automata::util::captures::GroupInfo::new([[None::<&str>]]).expect("one unnamed group is valid")
    });
    Captures::matches(groups.clone())
}

struct Matchers {
    regex: meta::Regex,
    /// The pattern without word boundaries, to find where a match may start; `None` when the
    /// pattern has none (then `regex` itself scans at full speed) or the rule is gated.
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
fn parse(pattern: &str, case_insensitive: bool) -> Result<Hir, RegexError> {
    Ok(regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .multi_line(true)
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
        .parse(pattern)?)
}

impl PatternCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Result<Self, CompileError> {
        let (mut stripped, mut set_rules, mut literals) = (Vec::new(), Vec::new(), Vec::new());
        let (mut wide_stripped, mut wide_set_rules, mut wide_literals) = (Vec::new(), Vec::new(), Vec::new());
        let mut compiled = Vec::new();
        for &(rule, def) in rules {
            let id = &def.id;
            let def: &PatternParams = def.params();
            let hir = parse(
                def.pattern.as_deref().unwrap_or(""),
                !def.case_sensitive.unwrap_or(true),
            )
            .map_err(|source| CompileError::Regex {
                rule: id.clone(),
                source,
            })?;
            let may_be_empty = hir.properties().minimum_len().is_some_and(|n| n == 0);
            let starts = if may_be_empty {
                None
            } else {
                starts::start_literals(&hir)
            };
            let gated = starts.is_some();
            let wide = crosses_lines(&hir);
            match starts {
                Some(lits) => {
                    if wide {
                        wide_literals.push((compiled.len(), lits.clone()));
                    }
                    literals.push((compiled.len(), lits));
                }
                None => {
                    let hir = coarse_classes(without_word_boundaries(hir.clone()));
                    if wide {
                        wide_stripped.push(hir.clone());
                        wide_set_rules.push(compiled.len());
                    }
                    stripped.push(hir);
                    set_rules.push(compiled.len());
                }
            }
            compiled.push(PatternRule {
                rule,
                may_be_empty,
                document_wide: wide,
                plain: gated.then(|| PlainText::of(&hir)).flatten(),
                required: gated.then(|| required_literal(&hir)).flatten(),
                hir,
                matchers: OnceLock::new(),
                gated,
                replace: def.replace.clone(),
            });
        }
        let mut document_wide: Vec<RuleIdx> = compiled.iter().filter(|r| r.document_wide).map(|r| r.rule).collect();
        document_wide.sort_unstable();
        let wide_only = if document_wide.is_empty() || document_wide.len() == compiled.len() {
            None
        } else {
            Some(WideOnly {
                literals: wide_literals,
                stripped: wide_stripped,
                set_rules: wide_set_rules,
                built: OnceLock::new(),
            })
        };
        Ok(PatternCheck {
            all: Prefilter::new(&literals, stripped, set_rules)?,
            wide_only,
            rules: compiled,
            document_wide,
        })
    }
}

impl Prefilter {
    /// Over the start literals of the gated rules and the patterns of the others (without
    /// their word boundaries), each with its index in the check's rules.
    fn new(
        literals: &[(usize, Vec<Vec<u8>>)],
        stripped: Vec<Hir>,
        set_rules: Vec<usize>,
    ) -> Result<Self, CompileError> {
        let set = if stripped.is_empty() {
            None
        } else {
            Some(RuleSet::new(&stripped, set_rules)?)
        };
        Ok(Prefilter {
            starts: Starts::new(literals),
            set,
        })
    }
}

/// A class is [`coarse_classes`]'s to widen when more than this many of its characters, or
/// of its ranges, are beyond ASCII. (`[“”]`, `[，。；：、]` stay as they are.)
const COARSE_CHARS: u32 = 1024;
const COARSE_RANGES: usize = 4;

/// `hir` with each large Unicode class (`\p{L}`, `[^“”\n]`) widened to its ASCII part and
/// every character beyond ASCII, for the prefilter's set only: a pattern that matches more
/// still finds every place the real one matches, and the rule's own regex decides there.
/// Turning a large class into UTF-8 automata was most of the cost of compiling the set of the
/// shipped packs (`\p{Ll}{3}` is three of them, `[^“”"\n]{0,80}` eighty); any character
/// beyond ASCII is four short byte sequences.
fn coarse_classes(hir: Hir) -> Hir {
    use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange};
    map_leaves(hir, &|leaf| match leaf {
        HirKind::Class(Class::Unicode(class)) => {
            let wide: Vec<_> = class.iter().filter(|r| !r.end().is_ascii()).collect();
            let chars: u32 = wide
                .iter()
                .map(|r| u32::from(r.end()) - u32::from(r.start().max('\u{80}')) + 1)
                .sum();
            if wide.len() <= COARSE_RANGES && chars <= COARSE_CHARS {
                return Hir::class(Class::Unicode(class));
            }
            let mut ranges: Vec<ClassUnicodeRange> = class
                .iter()
                .filter(|r| r.start().is_ascii())
                .map(|r| ClassUnicodeRange::new(r.start(), r.end().min('\x7f')))
                .collect();
            ranges.push(ClassUnicodeRange::new('\u{80}', char::MAX));
            Hir::class(Class::Unicode(ClassUnicode::new(ranges)))
        }
        leaf => leaf_hir(leaf),
    })
}

/// `hir` with each leaf (a class, an assertion, a literal, the empty pattern) replaced by
/// what `leaf` makes of it, the repetitions, captures, concatenations and alternations kept.
fn map_leaves(hir: Hir, leaf: &impl Fn(HirKind) -> Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Repetition(mut rep) => {
            rep.sub = Box::new(map_leaves(*rep.sub, leaf));
            Hir::repetition(rep)
        }
        HirKind::Capture(mut cap) => {
            cap.sub = Box::new(map_leaves(*cap.sub, leaf));
            Hir::capture(cap)
        }
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(|h| map_leaves(h, leaf)).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.into_iter().map(|h| map_leaves(h, leaf)).collect()),
        kind => leaf(kind),
    }
}

/// A leaf of a pattern (see [`map_leaves`]) as it was.
fn leaf_hir(leaf: HirKind) -> Hir {
    match leaf {
        HirKind::Class(class) => Hir::class(class),
        HirKind::Look(look) => Hir::look(look),
        HirKind::Literal(lit) => Hir::literal(lit.0),
        HirKind::Empty => Hir::empty(),
        // (Not leaves, which `map_leaves` never passes: rebuilt as they were.)
        HirKind::Repetition(rep) => Hir::repetition(rep),
        HirKind::Capture(cap) => Hir::capture(cap),
        HirKind::Concat(subs) => Hir::concat(subs),
        HirKind::Alternation(subs) => Hir::alternation(subs),
    }
}

/// `hir` without word-boundary assertions. Dropping an assertion only widens what a pattern
/// matches, so every place the real pattern matches is still found; the real pattern then
/// decides.
fn without_word_boundaries(hir: Hir) -> Hir {
    map_leaves(hir, &|leaf| match leaf {
        HirKind::Look(look) => match look {
            Look::Start | Look::End | Look::StartLF | Look::EndLF | Look::StartCRLF | Look::EndCRLF => Hir::look(look),
            _ => Hir::empty(),
        },
        leaf => leaf_hir(leaf),
    })
}

impl PatternRule {
    /// The compiled matchers. `None` only if compiling fails, which validation (the same
    /// syntax, the same size limit) rules out for every rule loaded from a file.
    fn matchers(&self) -> Option<&Matchers> {
        self.matchers
            .get_or_init(|| {
                let build = |h: &Hir| builder(REGEX_SIZE_LIMIT).build_from_hir(h).ok();
                let bare = if self.gated {
                    Hir::empty()
                } else {
                    without_word_boundaries(self.hir.clone())
                };
                Some(Matchers {
                    regex: build(&self.hir)?,
                    candidates: if self.gated || bare == self.hir {
                        None
                    } else {
                        Some(build(&bare)?)
                    },
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

impl Matchers {
    /// The matches of a gated rule, given every place one can start (ascending): the same
    /// matches as iterating over the whole text. From each match's end, the next match is the
    /// first anchored match at a later start, as every match begins at one of them.
    fn matches_at(&self, text: &str, starts: &[usize], caps: &mut Captures, mut each: impl FnMut(&Captures)) {
        let mut end = 0;
        for &start in starts {
            if start < end {
                continue;
            }
            let input = Input::new(text).range(start..).anchored(Anchored::Yes);
            self.regex.search_captures(&input, caps);
            if let Some(hit) = caps.get_match() {
                each(caps);
                end = hit.end();
            }
        }
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

/// True when a match of `hir` can hold a line break (`\s`, `[^x]`, `(?s).`, a literal `\n`) or
/// depends on the start or end of the whole text (`\A`, `\z`).
fn crosses_lines(hir: &Hir) -> bool {
    use regex_syntax::hir::Class;
    match hir.kind() {
        HirKind::Empty => false,
        HirKind::Literal(lit) => lit.0.contains(&b'\n'),
        HirKind::Class(Class::Unicode(class)) => class.ranges().iter().any(|r| r.start() <= '\n' && '\n' <= r.end()),
        HirKind::Class(Class::Bytes(class)) => class.ranges().iter().any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        HirKind::Look(look) => matches!(look, Look::Start | Look::End),
        HirKind::Repetition(rep) => crosses_lines(&rep.sub),
        HirKind::Capture(cap) => crosses_lines(&cap.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().any(crosses_lines),
    }
}

impl Check for PatternCheck {
    fn document_wide(&self, rule: RuleIdx) -> bool {
        self.document_wide.binary_search(&rule).is_ok()
    }

    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        let text = doc.text.as_str();
        // Each selected rule with the places its matches may start (gated rules), or none
        // (the others: they search the whole text).
        let mut selected: Vec<(usize, Vec<usize>)> = Vec::new();
        // Each scan only when a rule it serves is on (a large document's parts and its
        // document-wide rules are checked apart, each with some of the rules).
        let local_on = self.rules.iter().any(|r| !r.document_wide && sink.is_active(r.rule));
        let pre = match &self.wide_only {
            Some(wide) if !local_on => wide.get().unwrap_or(&self.all),
            _ => &self.all,
        };
        let any_gated = self.rules.iter().any(|r| r.gated && sink.is_active(r.rule));
        if let (Some(starts), true) = (&pre.starts, any_gated) {
            let at = starts.find(text, self.rules.len());
            selected.extend(at.into_iter().enumerate().filter(|(_, a)| !a.is_empty()));
        }
        let set = pre
            .set
            .as_ref()
            .filter(|set| set.rules.iter().any(|&i| sink.is_active(self.rules[i].rule)));
        if let Some(set) = set {
            selected.extend(set.matching(text).into_iter().map(|i| (i, Vec::new())));
        }
        // Rule by rule in their order, as one pass over the rules did.
        selected.sort_by_key(|s| s.0);
        for (i, starts) in selected {
            let r = &self.rules[i];
            if !sink.is_active(r.rule) {
                continue;
            }
            if let Some(plain) = &r.plain {
                plain.matches_at(text, &starts, &mut plain_captures(), |caps| r.report(doc, caps, sink));
                continue;
            }
            // Where the required text is missing (after the first possible start), no match is.
            if let (Some(required), Some(&first)) = (&r.required, starts.first()) {
                if required.find(&text.as_bytes()[first..]).is_none() {
                    continue;
                }
            }
            let Some(m) = r.matchers() else { continue };
            let mut caps = m.regex.create_captures();
            if r.gated {
                m.matches_at(text, &starts, &mut caps, |caps| r.report(doc, caps, sink));
                continue;
            }
            if r.may_be_empty {
                for caps in m.regex.captures_iter(text) {
                    r.report(doc, &caps, sink);
                }
                continue;
            }
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
            document_wide: crosses_lines(&hir),
            hir,
            matchers: OnceLock::new(),
            gated: false,
            replace: None,
            plain: None,
            required: None,
        }
    }

    #[test]
    fn required_text_is_a_literal_after_the_start() {
        let required = |p: &str| required_literal(&parse(p, false).unwrap()).map(|f| f.needle().to_vec());
        assert_eq!(
            required(r"\b(?:fill|mend) (?:the )?short boards?\b").as_deref(),
            Some(&b"short board"[..])
        );
        assert_eq!(required(r#"(\p{Ll}+)\.(["”]) Said\b"#).as_deref(), Some(&b" Said"[..]));
        // Too short, only at the start, or not required at all.
        assert_eq!(required(r"\b(?:a|b) of\b"), None);
        assert_eq!(required(r"standing (?:council|board)"), None);
        assert_eq!(required(r"(?:fill|mend)(?: the short board)?"), None);
        assert_eq!(required(r"(?i)\bfill the short board\b"), None);
    }

    /// The set's patterns with their large classes widened match wherever the patterns do,
    /// and small classes stay exact.
    #[test]
    fn coarse_classes_match_where_the_pattern_does() {
        let texts = [
            "Le café.” Said he; ( élan, ,; ü and ”Ölgemälde ist schön“ ok; abc:Über",
            "x1st 22nd 3rd 44th; Über:the ÉTÉ, été; ## Überschrift; abc,9",
            "aaaa “ quoted ” aaa",
            "",
        ];
        let build = |h: &Hir| meta::Regex::builder().build_from_hir(h).unwrap();
        for pattern in [
            r#"(\p{Ll}+)\.(["”]) Said\b"#,
            r#"(^|[\s(\[])”(\p{Lu}[^“”"\n]{0,80}?)“([\s.,;:!?)\]]|$)"#,
            r"(\p{L}) ?(,|;)(?:,|;)+ ?(\p{L})",
            r"\( +(\p{L})",
            r"\b(\p{L}{3,}):(a|an|the)\b",
            r"(?i)\bété\b",
            r"(\p{Ll}{2},)(\d)",
        ] {
            let hir = parse(pattern, false).unwrap();
            let (exact, coarse) = (build(&hir), build(&coarse_classes(hir.clone())));
            for text in texts {
                for m in exact.find_iter(text) {
                    assert!(
                        coarse.is_match(Input::new(text).range(m.start()..).anchored(Anchored::Yes)),
                        "{pattern} at {} in {text:?}",
                        m.start()
                    );
                }
            }
        }
        let small = parse("[“”][，。]é", false).unwrap();
        assert_eq!(coarse_classes(small.clone()), small);
        let large = parse(r"\p{L}", false).unwrap();
        assert_ne!(coarse_classes(large.clone()), large);
    }

    #[test]
    fn plain_text_patterns_match_where_their_regex_does() {
        let texts = [
            "the standing council met; the standing councils met; xstanding council; standing council",
            "café standing council, standing councilé, «standing council» and standing council.",
            "aaaa aa aaa",
            "",
        ];
        for pattern in [
            r"standing council",
            "standing council",
            r"standing council",
            r"aa",
            "aa",
            r"(?-u:)café",
        ] {
            let hir = parse(pattern, false).unwrap();
            let plain = PlainText::of(&hir).unwrap_or_else(|| panic!("{pattern} is plain text"));
            let regex = builder(REGEX_SIZE_LIMIT).build_from_hir(&hir).unwrap();
            for text in texts {
                let starts: Vec<usize> = (0..text.len()).filter(|&i| text.is_char_boundary(i)).collect();
                let mut found = Vec::new();
                plain.matches_at(text, &starts, &mut plain_captures(), |c| {
                    found.push(c.get_match().unwrap().range())
                });
                let expected: Vec<_> = regex.find_iter(text).map(|m| m.range()).collect();
                assert_eq!(found, expected, "{pattern} in {text:?}");
            }
        }
        for pattern in [
            r"(?i)standing council",
            r"standing (council)",
            r"councils?",
            r"^standing",
        ] {
            assert!(PlainText::of(&parse(pattern, false).unwrap()).is_none(), "{pattern}");
        }
    }

    #[test]
    fn patterns_that_can_match_a_line_break_read_the_whole_document() {
        for p in [
            r"\s+the", r"[^.]+\.", r"(?s)a.b", "a\nb", r"\Aword", r"word\z", r"(x|\n)",
        ] {
            assert!(crosses_lines(&parse(p, false).unwrap()), "{p}");
        }
        for p in [
            r"\bthe the\b",
            r"[ \t]+$",
            r"^\d+,",
            r"a.b",
            r"[^\n.]+\.",
            r"\p{Han}+",
            r"x{2,}",
        ] {
            assert!(!crosses_lines(&parse(p, false).unwrap()), "{p}");
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

    /// A gated rule, run anchored where its start literals occur, finds exactly the matches
    /// the regex crate finds, whatever the case of the text.
    #[test]
    fn start_literals_find_the_same_matches() {
        let texts = [
            "In May 1, 2020 in may 1, 2020 IN MAY 1, 2020 In May 12th, 2020",
            "Both hands must be hard, both hands hard; bOTH HANDS BE HARD and two hands hard",
            "the “Mirror” industry, a mirror market, \"mirror\" sector, Mirror companies; émirror sector",
            "keeps its original intention KEEPS ITS ORIGINAL MIND \u{212a}eep their original heart",
            "A & B and R & D & E, X & Y. a & b",
        ];
        let patterns = [
            (r"\b[Ii]n ((?:January|May) \d{1,2}(?:st|nd|rd|th)?,? \d{4})", false),
            (r"\b(?:both|two) hands (?:must )?(?:be )?hard\b", true),
            (
                r#"[“"]?\b[Mm]irror[”"]? (industry|enterprises?|companies|company|sector|market)\b"#,
                false,
            ),
            (
                r"\b(?:keeps?|keep) (?:its|their) original (?:intention|heart|mind)s?\b",
                true,
            ),
            (r"\b([A-Z]) & ([A-Z])\b", false),
        ];
        for (p, ci) in patterns {
            let re = regex::RegexBuilder::new(p)
                .case_insensitive(ci)
                .multi_line(true)
                .build()
                .unwrap();
            let hir = parse(p, ci).unwrap();
            let lits = starts::start_literals(&hir).expect("start literals");
            let mut r = rule(p);
            r.hir = hir;
            r.gated = true;
            let m = r.matchers().unwrap();
            let starts = Starts::new(&[(0, lits)]).unwrap();
            for text in texts {
                let expected: Vec<_> = re.find_iter(text).map(|m| m.range()).collect();
                let at = starts.find(text, 1).remove(0);
                let mut found = Vec::new();
                m.matches_at(text, &at, &mut m.regex.create_captures(), |c| {
                    found.push(c.get_match().unwrap().range())
                });
                assert_eq!(found, expected, "{p} on {text:?}");
            }
        }
    }

    #[test]
    fn validation_says_what_the_regex_crate_says() {
        for p in ["(", "a{", r"\p{Nope}", "[z-a]", r"\w{1000}{1000}"] {
            let ours = check_regex(p, false).unwrap_err();
            let theirs = super::super::build_regex(p, false).unwrap_err();
            assert_eq!(ours.to_string(), theirs.to_string(), "{p}");
        }
        assert!(check_regex(r"\bok\b", true).is_ok());
    }
}
