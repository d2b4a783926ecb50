//! The engine: rules compiled once, applied to documents.

use aho_corasick::AhoCorasick;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::checks::{Check, CompileError, RuleIdx, RuleTable, Sink, KINDS};
use crate::config::Profile;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::model::{Kind, LoadedRule, RuleDef};
use crate::timing::{self, Stage};

pub use crate::model::Rule;

mod recheck;
pub use recheck::Reuse;

/// Why the rules of a run could not be compiled (a rule file that loaded but whose rules do
/// not compile together, or a bad `accept` list).
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A kind's rules did not compile together. (Boxed: a regex error is large, and this
    /// error travels in every file's result.)
    #[error("{source}")]
    Compile {
        kind: &'static str,
        source: Box<CompileError>,
    },
    /// The config's `accept` phrases could not be compiled.
    #[error("accept list: {0}")]
    Accept(#[source] aho_corasick::BuildError),
}

/// The engines of one profile, compiled on first use once per language (and source language)
/// and shared by every thread.
#[derive(Debug)]
pub struct Engines {
    profile: Arc<Profile>,
    cache: Mutex<HashMap<String, Arc<Engine>>>,
}

impl Engines {
    /// No engine is compiled yet.
    pub fn new(profile: Arc<Profile>) -> Self {
        Engines {
            profile,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The profile the engines are compiled from.
    pub fn profile(&self) -> &Arc<Profile> {
        &self.profile
    }

    /// The engine for documents in `lang` (from the source language the profile names).
    pub fn for_language(&self, lang: &str) -> Result<Arc<Engine>, EngineError> {
        self.for_pair(lang, self.profile.source_lang.as_deref())
    }

    /// The engine for `doc`: its language, and the source language the config or command line
    /// names, else the one the file itself declares (XLIFF `srcLang`, a PO header).
    pub fn for_document(&self, doc: &Document) -> Result<Arc<Engine>, EngineError> {
        self.for_pair(&doc.language, source_of(&self.profile, doc))
    }

    fn for_pair(&self, lang: &str, source: Option<&str>) -> Result<Arc<Engine>, EngineError> {
        let key = format!("{lang}\u{0}{}", source.unwrap_or(""));
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = cache.get(&key) {
            return Ok(e.clone());
        }
        let engine = Arc::new(Engine::for_pair(&self.profile, lang, source)?);
        cache.insert(key, engine.clone());
        Ok(engine)
    }
}

/// The source language of `doc`'s translation: the one the config or command line names, else
/// the one the file itself declares (XLIFF `srcLang`, a PO header).
fn source_of<'a>(profile: &'a Profile, doc: &'a Document) -> Option<&'a str> {
    profile.source_lang.as_deref().or(doc.source_language.as_deref())
}

/// Documents at least twice this size are checked in parts, in parallel; parts are larger in
/// larger documents, so each thread gets about [`PARTS_PER_THREAD`] of them.
pub const PART_SIZE: usize = 1 << 20;

/// What to do, once, when the first document of [`PART_SIZE`] bytes or more is checked.
static ON_LARGE: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();
static LARGE_SEEN: std::sync::Once = std::sync::Once::new();

/// Sets what to do, once, when the first document of [`PART_SIZE`] bytes or more is checked
/// (the binary tells its allocator to return freed memory at once). The first call wins.
pub fn on_large_document(hook: fn()) {
    let _ = ON_LARGE.set(hook);
}
const PARTS_PER_THREAD: usize = 4;
/// Parts [`Engine::check_each`] checks ahead of the writing, per thread: enough to keep every
/// thread busy beside the document-wide rules, few enough that their findings stay small.
const STREAM_WINDOW_PER_THREAD: usize = 3;

/// Rules compiled once and shared by every thread.
pub struct Engine {
    rules: RuleTable,
    /// Each kind's check, with the rules it runs.
    checks: Vec<(&'static Kind, Box<dyn Check>, Vec<RuleIdx>)>,
    /// Per rule: run on the whole document when a large one is checked in parts
    /// ([`Check::document_wide`]).
    document_wide: Vec<bool>,
    accept: Option<AhoCorasick>,
    mentions: Mentions,
    /// Per rule id: how specific the rule is, for [`merge_same_defect`].
    specificity: std::collections::HashMap<String, u8>,
    /// Each rule's index by the address of its metadata, which its findings share.
    rule_at: HashMap<usize, RuleIdx>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("rules", &self.rules.rules().len())
            .finish()
    }
}

impl Engine {
    /// Compiles the rules `profile` runs on documents in `lang` (each call compiles anew;
    /// [`Engines`] keeps them).
    pub fn for_language(profile: &Profile, lang: &str) -> Result<Engine, EngineError> {
        Engine::for_pair(profile, lang, profile.source_lang.as_deref())
    }

    /// Compiles the rules `profile` runs on `doc` (see [`Engines::for_document`]).
    pub fn for_document(profile: &Profile, doc: &Document) -> Result<Engine, EngineError> {
        Engine::for_pair(profile, &doc.language, source_of(profile, doc))
    }

    /// Compiles the rules `profile` runs on documents in `lang` translated from `source`.
    fn for_pair(profile: &Profile, lang: &str, source: Option<&str>) -> Result<Engine, EngineError> {
        Engine::new(&profile.rules_for_pair(lang, source), profile.accept())
    }

    /// Compiles `rules`; `accept` lists phrases that are never flagged.
    pub fn new(rules: &[LoadedRule], accept: &[String]) -> Result<Engine, EngineError> {
        let rules: Vec<Rule> = rules.iter().map(Rule::new).collect();
        // Grouped by kind, kinds in registry order.
        let mut by_kind: Vec<Vec<(RuleIdx, &RuleDef)>> = (0..KINDS.len()).map(|_| Vec::new()).collect();
        for (i, r) in rules.iter().enumerate() {
            by_kind[crate::checks::kind_index(r.def.kind)].push((i, &r.def));
        }
        // Dictionaries load beside the compiling: they take longer.
        for (registered, members) in KINDS.iter().zip(&by_kind) {
            if let (Some(preload), false) = (registered.preload, members.is_empty()) {
                preload(members);
            }
        }
        let mut checks = Vec::new();
        let mut document_wide = vec![false; rules.len()];
        for (registered, members) in KINDS.iter().zip(by_kind) {
            if members.is_empty() {
                continue;
            }
            let check = (registered.compile)(&members).map_err(|e| EngineError::Compile {
                kind: registered.kind.name,
                source: Box::new(e),
            })?;
            for &(i, _) in &members {
                document_wide[i] = check.document_wide(i);
            }
            checks.push((registered.kind, check, members.iter().map(|&(i, _)| i).collect()));
        }
        let accept = if accept.is_empty() {
            None
        } else {
            Some(AhoCorasick::new(accept).map_err(EngineError::Accept)?)
        };
        let mentions = Mentions::new(&rules);
        let specificity = rules.iter().map(|r| (r.id().to_string(), r.specificity())).collect();
        let rules = RuleTable::new(rules);
        let rule_at = rules
            .rules()
            .iter()
            .enumerate()
            .map(|(i, r)| (Arc::as_ptr(&r.meta) as usize, i))
            .collect();
        Ok(Engine {
            rules,
            checks,
            document_wide,
            accept,
            mentions,
            specificity,
            rule_at,
        })
    }

    pub fn rules(&self) -> &[Rule] {
        self.rules.rules()
    }

    /// All diagnostics for `doc`, sorted by position then rule id.
    ///
    /// A document of [`PART_SIZE`] bytes or more is checked in parts, in parallel (on the
    /// rayon pool): cut at empty lines ([`Document::cut_points`]), each part is checked on its
    /// own by the rules that look no further than a paragraph, while the document-wide rules
    /// read the whole. The findings are the same as in one pass.
    pub fn check(&self, doc: &Document) -> Vec<Diagnostic> {
        self.check_masked(doc, PART_SIZE, None)
    }

    /// The rules that stay on when `off` (rule ids, or pack names for all their rules) are
    /// turned off for one file (the config's `per_file_ignores`); `None` when `off` names none
    /// of this engine's rules.
    pub fn mask(&self, off: &[&str]) -> Option<Vec<bool>> {
        if off.is_empty() {
            return None;
        }
        let mask: Vec<bool> = self
            .rules()
            .iter()
            .map(|r| {
                let id = r.id();
                !off.iter()
                    .any(|s| *s == id || id.strip_prefix(s).is_some_and(|rest| rest.starts_with('/')))
            })
            .collect();
        mask.contains(&false).then_some(mask)
    }

    /// [`Engine::check_split`] with only the rules `mask` leaves on (all when `None`).
    pub fn check_masked(&self, doc: &Document, min_part: usize, mask: Option<&[bool]>) -> Vec<Diagnostic> {
        self.check_in_parts(doc, self.part_size(doc, min_part), mask)
    }

    /// [`Engine::check`] for a caller that checks one document at a time and wants it back
    /// soon (the language server): a document of twice `min_part` bytes or more is already
    /// checked in parts, so every thread works on it. The findings are the same.
    pub fn check_split(&self, doc: &Document, min_part: usize) -> Vec<Diagnostic> {
        self.check_masked(doc, min_part, None)
    }

    /// [`Engine::check_masked`] for a caller that writes the findings as they come (the
    /// command line): `each` receives them in order, in chunks, each chunk sorted and merged as
    /// [`Engine::check`]'s whole list would be, and the chunks one after another are that
    /// list. A document that [`Engine::check_masked`] would cut is cut here into parts of
    /// `min_part` bytes, checked a few at a time ahead of the writing: memory holds the
    /// document-wide rules' findings and those of a window of parts, not all of a large
    /// file's findings. `each` runs on the calling thread; its first error stops the check
    /// and is returned.
    pub fn check_each<E>(
        &self,
        doc: &Document,
        min_part: usize,
        mask: Option<&[bool]>,
        mut each: impl FnMut(Vec<Diagnostic>) -> Result<(), E>,
    ) -> Result<(), E> {
        // Cut as the whole-list check would (none on one thread, or on a pool thread, which
        // must not block waiting for the parts), but into smaller parts.
        let cut = self.part_size(doc, min_part) != usize::MAX && rayon::current_thread_index().is_none();
        let part_size = if cut { min_part } else { usize::MAX };
        let active = self.active(doc, mask);
        let cuts = doc.cut_points(part_size);
        if cuts.is_empty() {
            let diags = self.run(doc, &active);
            return each(timing::time(Stage::Finish, || self.finish(doc, diags)));
        }
        let window = STREAM_WINDOW_PER_THREAD * rayon::current_num_threads();
        self.stream_cut(doc, cuts, &active, window, &mut each)
    }

    /// [`Engine::check_each`] of `doc` cut at `cuts`. The document-wide rules run first, each
    /// kind on its own task, beside the first `window` parts; after that a part is started
    /// each time one is handed on. A part's chunk holds the findings that start in it, of
    /// both kinds of rules, so that the chunks in order are the sorted list (a finding at a
    /// part's very end goes with the next part).
    fn stream_cut<E>(
        &self,
        doc: &Document,
        cuts: Vec<usize>,
        active: &[bool],
        window: usize,
        each: &mut dyn FnMut(Vec<Diagnostic>) -> Result<(), E>,
    ) -> Result<(), E> {
        use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
        let (local, whole) = (self.of_reach(active, false), self.of_reach(active, true));
        let (local, whole) = (&local, &whole);
        let bounds: Vec<usize> = std::iter::once(0)
            .chain(cuts)
            .chain(std::iter::once(doc.text.len()))
            .collect();
        let bounds = &bounds;
        let parts = bounds.len() - 1;
        timing::time(Stage::Segment, || doc.segment_in_parts(bounds));
        let accepted = self.accepted(doc);
        // (`None` for the document-wide findings, else the part's index, and the findings;
        // a task's panic is raised again on this thread.)
        type Done = (Option<usize>, std::thread::Result<Vec<Diagnostic>>);
        let (tx, rx) = std::sync::mpsc::channel::<Done>();
        rayon::in_place_scope(|scope| {
            let spawn_part = |i: usize| {
                let tx = tx.clone();
                scope.spawn(move |_| {
                    let found = catch_unwind(AssertUnwindSafe(|| {
                        self.check_part(doc, bounds[i]..bounds[i + 1], local)
                    }));
                    let _ = tx.send((Some(i), found));
                });
            };
            {
                let tx = tx.clone();
                scope.spawn(move |_| {
                    let found = catch_unwind(AssertUnwindSafe(|| {
                        let mut diags = self.run_each_check_apart(doc, whole);
                        sort(&mut diags);
                        diags
                    }));
                    let _ = tx.send((None, found));
                });
            }
            let mut started = 0;
            while started < parts.min(window.max(1)) {
                spawn_part(started);
                started += 1;
            }
            let mut wide: Option<std::iter::Peekable<std::vec::IntoIter<Diagnostic>>> = None;
            let mut done: HashMap<usize, Vec<Diagnostic>> = HashMap::new();
            // Findings of a part that start where the next begins.
            let mut carried: Vec<Diagnostic> = Vec::new();
            for next in 0..parts {
                let part = loop {
                    if wide.is_some() {
                        if let Some(part) = done.remove(&next) {
                            break part;
                        }
                    }
                    // Every task sends once, and this scope holds a sender: no hang.
                    let Ok((which, found)) = rx.recv() else {
                        unreachable!("the scope holds a sender")
                    };
                    let found = found.unwrap_or_else(|panic| resume_unwind(panic));
                    match which {
                        None => wide = Some(found.into_iter().peekable()),
                        Some(i) => {
                            done.insert(i, found);
                        }
                    }
                };
                if started < parts {
                    spawn_part(started);
                    started += 1;
                }
                let last = next + 1 == parts;
                let end = bounds[next + 1];
                let mut chunk = Vec::new();
                if let Some(wide) = &mut wide {
                    while let Some(d) = wide.next_if(|d| last || d.span.start < end) {
                        chunk.push(d);
                    }
                }
                // As in the whole list before its sort: the document-wide findings, then the
                // parts' in order (the sort is stable).
                let mut later = Vec::new();
                for d in std::mem::take(&mut carried).into_iter().chain(part) {
                    if last || d.span.start < end {
                        chunk.push(d);
                    } else {
                        later.push(d);
                    }
                }
                carried = later;
                let chunk = timing::time(Stage::Finish, || self.finish_with(&accepted, chunk));
                each(chunk)?;
            }
            Ok(())
        })
    }

    /// The findings of the rules `local` marks in the part of `doc` in `range`, sorted, in
    /// the whole text's offsets.
    fn check_part(&self, doc: &Document, range: std::ops::Range<usize>, local: &[bool]) -> Vec<Diagnostic> {
        let start = range.start;
        let part = doc.part(range);
        let mut diags = self.run(&part, local);
        sort(&mut diags);
        for d in &mut diags {
            d.shift(start);
        }
        diags
    }

    /// [`Engine::check`], with parts of about `part_size` bytes.
    fn check_in_parts(&self, doc: &Document, part_size: usize, mask: Option<&[bool]>) -> Vec<Diagnostic> {
        let active = self.active(doc, mask);
        let cuts = doc.cut_points(part_size);
        if cuts.is_empty() {
            let diags = self.run(doc, &active);
            return timing::time(Stage::Finish, || self.finish(doc, diags));
        }
        let (mut diags, parts) = self.check_cut(doc, cuts, &active);
        // Reserved at once: grown by doubling, a large file's findings would leave freed
        // copies of half their size behind.
        diags.reserve_exact(parts.iter().map(Vec::len).sum());
        diags.extend(parts.into_iter().flatten());
        timing::time(Stage::Finish, || self.finish(doc, diags))
    }

    /// The findings of `doc` cut at `cuts`, as found: the document-wide rules' over the whole
    /// text, and each part's of the other rules (in the whole text's offsets), each sorted.
    fn check_cut(&self, doc: &Document, cuts: Vec<usize>, active: &[bool]) -> (Vec<Diagnostic>, Vec<Vec<Diagnostic>>) {
        let (local, whole) = (self.of_reach(active, false), self.of_reach(active, true));
        let bounds: Vec<usize> = std::iter::once(0)
            .chain(cuts)
            .chain(std::iter::once(doc.text.len()))
            .collect();
        // Once, in parallel, for the document-wide rules and the parts alike.
        timing::time(Stage::Segment, || doc.segment_in_parts(&bounds));
        rayon::join(
            || {
                let mut diags = self.run_each_check_apart(doc, &whole);
                sort(&mut diags);
                diags
            },
            || {
                use rayon::prelude::*;
                bounds
                    .par_windows(2)
                    .map(|w| self.check_part(doc, w[0]..w[1], &local))
                    .collect()
            },
        )
    }

    /// The rules on for `doc`: their conditions hold and `mask` leaves them on. (Every check
    /// of a document starts here: a large one calls [`on_large_document`]'s hook.)
    fn active(&self, doc: &Document, mask: Option<&[bool]>) -> Vec<bool> {
        if doc.text.len() >= PART_SIZE {
            if let Some(hook) = ON_LARGE.get() {
                LARGE_SEEN.call_once(hook);
            }
        }
        let mut active = timing::time(Stage::Conditions, || self.mentions.active(&doc.text));
        if let Some(mask) = mask {
            for (a, &on) in active.iter_mut().zip(mask) {
                *a &= on;
            }
        }
        active
    }

    /// Of the rules `active` marks, the document-wide ones (`wide`) or the others.
    fn of_reach(&self, active: &[bool], wide: bool) -> Vec<bool> {
        active
            .iter()
            .zip(&self.document_wide)
            .map(|(&a, &w)| a && w == wide)
            .collect()
    }

    /// The size of the parts [`Engine::check_masked`] cuts `doc` into.
    fn part_size(&self, doc: &Document, min_part: usize) -> usize {
        // A document under two parts of `min_part` is never cut (see `Document::cut_points`):
        // rayon is not asked, as that would start its pool for a run over small files.
        if doc.text.len() / 2 < min_part.max(1) {
            return usize::MAX;
        }
        let threads = rayon::current_num_threads();
        if threads > 1 {
            min_part.max(doc.text.len() / (threads * PARTS_PER_THREAD))
        } else {
            usize::MAX
        }
    }

    /// The findings of the rules `active` marks, unsorted; checks with none of them are
    /// skipped.
    fn run(&self, doc: &Document, active: &[bool]) -> Vec<Diagnostic> {
        if timing::enabled() {
            timing::time(Stage::Segment, || doc.sentences().len());
        }
        let mut sink = Sink::new(&self.rules, active, doc);
        for (kind, check, members) in &self.checks {
            if members.iter().any(|&i| active[i]) {
                timing::time(Stage::Check(kind), || check.check(doc, &mut sink));
            }
        }
        sink.finish()
    }

    /// [`Engine::run`] with each check kind on its own rayon task: the document-wide rules of
    /// a large document read all of it, and the slowest kinds (spelling, romanised names,
    /// capitalisation) are all document-wide, so run one after another they would keep a
    /// single thread busy long after the parts are done. The findings are the same.
    fn run_each_check_apart(&self, doc: &Document, active: &[bool]) -> Vec<Diagnostic> {
        use rayon::prelude::*;
        self.checks
            .par_iter()
            .filter(|(_, _, members)| members.iter().any(|&i| active[i]))
            .flat_map_iter(|(kind, check, _)| {
                let mut sink = Sink::new(&self.rules, active, doc);
                timing::time(Stage::Check(kind), || check.check(doc, &mut sink));
                sink.finish()
            })
            .collect()
    }

    /// Drops the findings inside accepted phrases and sorts the rest.
    fn finish(&self, doc: &Document, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
        self.finish_with(&self.accepted(doc), diags)
    }

    /// Where `doc` holds the config's accepted phrases: in order and non-overlapping.
    fn accepted(&self, doc: &Document) -> Vec<std::ops::Range<usize>> {
        match &self.accept {
            Some(accept) => accept.find_iter(&doc.text).map(|m| m.start()..m.end()).collect(),
            None => Vec::new(),
        }
    }

    /// Drops the findings inside the `accepted` phrases, sorts the rest and merges the
    /// findings of one defect.
    fn finish_with(&self, accepted: &[std::ops::Range<usize>], mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
        if !accepted.is_empty() {
            // Only the last accepted phrase starting at or before a finding can hold it.
            diags.retain(|d| {
                let i = accepted.partition_point(|a| a.start <= d.span.start);
                !(i > 0 && d.span.end <= accepted[i - 1].end)
            });
        }
        sort(&mut diags);
        merge_same_defect(diags, &self.specificity)
    }
}

/// True when two MQM categories name the same defect: equal, or one a subtype of the other
/// (`terminology` and `terminology/inconsistent`).
fn same_category(a: &str, b: &str) -> bool {
    let sub = |x: &str, y: &str| x.len() > y.len() && x.starts_with(y) && x.as_bytes()[y.len()] == b'/';
    a == b || sub(a, b) || sub(b, a)
}

/// One defect, one finding: findings of different rules on the same span in the same MQM
/// category are one defect. The most specific rule's finding is kept (then the more severe,
/// then the one with the better fix); the others become its `related` entries, it takes the
/// highest severity among them, and a fix of theirs when it has none. `diags` is sorted by
/// span, so such findings are neighbours.
///
/// Done in place: a large file's findings are not copied into a second vector (tens of
/// megabytes at the peak of the run).
fn merge_same_defect(
    mut diags: Vec<Diagnostic>,
    specificity: &std::collections::HashMap<String, u8>,
) -> Vec<Diagnostic> {
    let rank = |d: &Diagnostic| {
        (
            specificity.get(d.rule_id()).copied().unwrap_or(0),
            d.severity,
            d.fix.as_ref().map(|f| f.applicability),
        )
    };
    // `diags[..kept]` are the findings kept so far, `diags[kept..next]` those merged into
    // them (emptied), `diags[next..]` those not yet read.
    let mut kept = 0;
    // Index where the kept findings of the current span begin.
    let mut span_start = 0;
    for next in 0..diags.len() {
        if kept == 0 || diags[kept - 1].span != diags[next].span {
            span_start = kept;
        }
        let d = &diags[next];
        let twin = diags[span_start..kept]
            .iter()
            .position(|o| o.rule_id() != d.rule_id() && same_category(o.category(), d.category()));
        let Some(i) = twin.map(|i| span_start + i) else {
            diags.swap(kept, next);
            kept += 1;
            continue;
        };
        let (done, rest) = diags.split_at_mut(next);
        let (keep, other) = (&mut done[i], &mut rest[0]);
        if rank(other) > rank(keep) {
            std::mem::swap(other, keep);
        }
        keep.severity = keep.severity.max(other.severity);
        if keep.fix.is_none() {
            keep.fix = other.fix.take();
        }
        keep.related.push(crate::diagnostic::Related {
            rule: other.rule.clone(),
            message: std::mem::take(&mut other.message),
        });
        keep.related.append(std::mem::take(&mut other.related));
    }
    diags.truncate(kept);
    diags
}

/// Sorts findings by position, then rule id. The sort is stable and merges sorted runs in
/// linear time, so parts sorted on their own threads cost little to sort together.
fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| (a.span.start, a.span.end, &a.rule.id).cmp(&(b.span.start, b.span.end, &b.rule.id)));
}

/// The rules' `when_document_mentions` conditions, all decided in one scan of the text per
/// group of phrases.
///
/// Most documents mention none of the phrases, so searching for each phrase of each rule
/// would read the whole text once per phrase. A Teddy searcher (SIMD, from aho-corasick)
/// finds every place where some phrase of a group starts in one pass; there, the group's
/// phrases not yet seen are compared. One searcher takes at most [`CHUNK`] starts, so the
/// phrases are cut into as few groups as that allows (two for the shipped packs' hundred or
/// so). Where Teddy is unavailable, each phrase is searched for on its own.
struct Mentions {
    /// Every distinct phrase that some condition names.
    phrases: Vec<String>,
    /// The phrases in groups, each with its searcher; `None` without SIMD or phrases.
    starts: Option<Vec<PhraseGroup>>,
    /// For each rule, the phrases (indices into `phrases`) of which it needs one; empty: on.
    needs: Vec<Vec<usize>>,
}

/// The most starts one Teddy searcher takes with its default limits, beyond which it slows down.
const CHUNK: usize = 64;
/// Bytes of a phrase that Teddy looks for.
const HEAD: usize = 4;

/// Some of the `when_document_mentions` phrases, with one Teddy searcher over their starts.
struct PhraseGroup {
    /// Over the distinct heads (first [`HEAD`] bytes) of the group's phrases.
    searcher: aho_corasick::packed::Searcher,
    /// The group's phrases, indices into `Mentions::phrases`.
    phrases: Vec<usize>,
    /// For each head the searcher reports, the group's phrases that may start where it
    /// occurs: those whose head it starts with or that start with it. (Two heads found at
    /// one place are one the other's prefix.)
    at_head: Vec<Vec<usize>>,
}

impl Mentions {
    fn new(rules: &[Rule]) -> Self {
        let mut phrases: Vec<String> = Vec::new();
        let mut ids: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let needs = rules
            .iter()
            .map(|r| {
                r.def
                    .when_document_mentions
                    .iter()
                    .map(|m| {
                        *ids.entry(m.as_str()).or_insert_with(|| {
                            phrases.push(m.clone());
                            phrases.len() - 1
                        })
                    })
                    .collect()
            })
            .collect();
        // An empty phrase is in every text; Teddy cannot look for one.
        let starts = match phrases.is_empty() || phrases.iter().any(String::is_empty) {
            true => None,
            false => Self::groups(&phrases),
        };
        Mentions { phrases, starts, needs }
    }

    /// The phrases cut into groups of at most [`CHUNK`] distinct heads, in byte order so that
    /// phrases with one head share a group, each group with its Teddy searcher; `None` when
    /// Teddy is unavailable.
    fn groups(phrases: &[String]) -> Option<Vec<PhraseGroup>> {
        let head = |i: usize| &phrases[i].as_bytes()[..phrases[i].len().min(HEAD)];
        let mut order: Vec<usize> = (0..phrases.len()).collect();
        order.sort_unstable_by(|&a, &b| phrases[a].cmp(&phrases[b]));
        let mut heads: Vec<&[u8]> = order.iter().map(|&i| head(i)).collect();
        heads.dedup();
        // As few groups as the limit allows, of even sizes.
        let count = heads.len().div_ceil(CHUNK);
        let size = heads.len().div_ceil(count);
        heads
            .chunks(size)
            .map(|chunk| {
                let (first, last) = (chunk[0], chunk[chunk.len() - 1]);
                let members: Vec<usize> = order
                    .iter()
                    .copied()
                    .filter(|&i| (first..=last).contains(&head(i)))
                    .collect();
                let at_head = chunk
                    .iter()
                    .map(|&h| {
                        let comparable = |&i: &usize| h.starts_with(head(i)) || head(i).starts_with(h);
                        members.iter().copied().filter(comparable).collect()
                    })
                    .collect();
                Some(PhraseGroup {
                    searcher: aho_corasick::packed::Searcher::new(chunk)?,
                    phrases: members,
                    at_head,
                })
            })
            .collect()
    }

    /// For each rule, whether its condition holds in `text`.
    fn active(&self, text: &str) -> Vec<bool> {
        let mut seen = vec![false; self.phrases.len()];
        if let Some(groups) = &self.starts {
            let bytes = text.as_bytes();
            for group in groups {
                let mut left = group.phrases.len();
                let mut at = 0;
                // A match at `m` may hide other phrases starting there ("Party" and "Party
                // committee"), so every phrase of the group not yet seen that can start there
                // is compared at each match, and the search goes on from the next byte, not
                // from the match's end.
                while left > 0 {
                    let Some(m) = group.searcher.find_in(text, aho_corasick::Span::from(at..text.len())) else {
                        break;
                    };
                    let rest = &bytes[m.start()..];
                    for &id in &group.at_head[m.pattern().as_usize()] {
                        let phrase = self.phrases[id].as_bytes();
                        if !seen[id] && rest.starts_with(phrase) {
                            seen[id] = true;
                            left -= 1;
                        }
                    }
                    at = m.start() + 1;
                }
            }
        } else {
            for (id, phrase) in self.phrases.iter().enumerate() {
                seen[id] = memchr::memmem::find(text.as_bytes(), phrase.as_bytes()).is_some();
            }
        }
        self.needs
            .iter()
            .map(|n| n.is_empty() || n.iter().any(|&id| seen[id]))
            .collect()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::rulefile::parse_rule_file;
    use crate::formats::InputFormat;

    fn engine(conditions: &[&[&str]]) -> Engine {
        let mut toml = String::from("[pack]\nname = \"t\"\n");
        for (i, phrases) in conditions.iter().enumerate() {
            let list: Vec<String> = phrases.iter().map(|p| format!("{p:?}")).collect();
            toml += &format!(
                "[[rule]]\nid = \"r{i}\"\nkind = \"pattern\"\npattern = \"zzz\"\nwhen_document_mentions = [{}]\n",
                list.join(", ")
            );
        }
        let rules = parse_rule_file(std::path::Path::new("t.toml"), &toml).unwrap();
        Engine::new(&rules, &[]).unwrap()
    }

    #[test]
    fn a_rule_is_on_when_the_document_mentions_any_of_its_phrases() {
        let mut e = engine(&[
            &[],
            &["Guzhen", "古镇"],
            &["Party", "Party committee"],
            &["committee of"],
            &["lamp"],
        ]);
        // With the SIMD searcher, and with the phrase-by-phrase search used without it.
        for teddy in [true, false] {
            if !teddy {
                e.mentions.starts = None;
            }
            let active = |text: &str| e.mentions.active(text);
            assert_eq!(active("Nothing here."), [true, false, false, false, false]);
            assert_eq!(active("In 古镇 the lamps"), [true, true, false, false, true]);
            // Phrases that start at one place or overlap one another are each found.
            assert_eq!(active("the Party committee of Guzhen"), [true, true, true, true, false]);
            // Case counts, as in a substring search.
            assert_eq!(
                active("the party COMMITTEE OF guzhen"),
                [true, false, false, false, false]
            );
        }
    }

    #[test]
    fn without_conditions_every_rule_is_on() {
        let e = engine(&[&[], &[]]);
        assert!(e.mentions.starts.is_none());
        assert_eq!(e.mentions.active("x"), [true, true]);
    }

    #[test]
    fn an_empty_phrase_is_in_every_text() {
        let e = engine(&[&["", "never"], &["never"]]);
        assert_eq!(e.mentions.active(""), [true, false]);
        assert_eq!(e.mentions.active("abc"), [true, false]);
    }

    /// The sample articles, one after another, twelve times (about 180 KB).
    pub(crate) fn articles() -> String {
        let mut paths: Vec<_> = ["en", "de", "fr", "zh", "clean"]
            .iter()
            .flat_map(|d| std::fs::read_dir(format!("{}/samples/{d}", env!("CARGO_MANIFEST_DIR"))).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        let one: Vec<String> = paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
        one.join("\n\n").repeat(12)
    }

    /// Lines broken at `width` characters, at spaces.
    pub(crate) fn wrapped(text: &str, width: usize) -> String {
        let mut out = String::new();
        for line in text.lines() {
            let mut len = 0;
            for (i, word) in line.split(' ').enumerate() {
                if i > 0 && len + 1 + word.chars().count() > width {
                    out.push('\n');
                    len = 0;
                } else if i > 0 {
                    out.push(' ');
                    len += 1;
                }
                out.push_str(word);
                len += word.chars().count();
            }
            out.push('\n');
        }
        out
    }

    /// Markdown around the articles: code blocks and lists with empty lines inside, an
    /// inline-code span, and suppression comments whose range crosses many paragraphs.
    pub(crate) fn markdown(text: &str) -> String {
        let mut out = String::new();
        for (i, para) in text.split("\n\n").enumerate() {
            match i % 7 {
                0 => out.push_str("```\ncode \"quoted  text\"\n\n\nmore the the code\n```\n\n"),
                1 => out.push_str("- one the the\n- two \"detached \"quote\n\n- three\n\n"),
                2 if i % 3 == 0 => out.push_str("<!-- mtlint-disable -->\n\n"),
                3 if i % 5 == 0 => out.push_str("<!-- mtlint-enable -->\n\n"),
                4 => out.push_str("`the the` and the the\n\n"),
                _ => {}
            }
            out.push_str(para);
            out.push_str("\n\n");
        }
        out
    }

    /// A headline scraped twice is a paragraph repeated after an empty line, where a large
    /// document may be cut: its rule reads the whole document.
    #[test]
    fn a_headline_repeated_across_a_cut_is_found_in_parts() {
        let engine = Engine::new(crate::config::builtin_rules().unwrap(), &[]).unwrap();
        let mut text = String::new();
        for k in 0..600 {
            let line = format!("The lighting fair of the town opens in week {k} of the year");
            text.push_str(&format!("{line}\n\n{line}\n\n"));
        }
        let doc = Document::new("a.txt", text, Some("en"));
        assert!(doc.cut_points(8 * 1024).len() > 4);
        let one_pass = engine.check_in_parts(&doc, usize::MAX, None);
        let repeated = one_pass.iter().filter(|d| d.rule_id() == "en/repeated-phrase").count();
        assert_eq!(repeated, 600);
        assert_eq!(one_pass, engine.check_in_parts(&doc, 8 * 1024, None));
    }

    #[test]
    fn a_document_checked_in_parts_has_the_findings_of_one_pass() {
        let engine = Engine::new(crate::config::builtin_rules().unwrap(), &[]).unwrap();
        let text = articles();
        let hard_wrapped = wrapped(&text, 78);
        let documents = [
            ("plain", Document::new("a.txt", text.clone(), Some("en"))),
            ("crlf", Document::new("a.txt", text.replace('\n', "\r\n"), Some("en"))),
            ("bom", Document::new("a.txt", format!("\u{feff}{text}"), Some("en"))),
            ("hard-wrapped", Document::new("a.txt", hard_wrapped.clone(), Some("en"))),
            // Wrapped but for one long line at the very end: no part may think itself wrapped.
            (
                "wrapped but for the end",
                Document::new("a.txt", format!("{hard_wrapped}\n{}\n", "word ".repeat(40)), Some("en")),
            ),
            (
                "markdown",
                Document::parse("a.md", markdown(&text), Some("en"), InputFormat::Markdown).unwrap(),
            ),
        ];
        let part = 8 * 1024;
        let mut wide = 0;
        for (name, doc) in &documents {
            assert!(doc.cut_points(part).len() > 10, "{name}: the document is cut");
            let one_pass = engine.check_in_parts(doc, usize::MAX, None);
            let in_parts = engine.check_in_parts(doc, part, None);
            assert!(one_pass.len() > 100, "{name}: {} findings", one_pass.len());
            for (a, b) in one_pass.iter().zip(&in_parts) {
                assert_eq!(a, b, "{name}");
            }
            assert_eq!(one_pass.len(), in_parts.len(), "{name}");
            wide += one_pass
                .iter()
                .filter(|d| {
                    engine
                        .rules()
                        .iter()
                        .position(|r| r.meta == d.rule)
                        .is_some_and(|i| engine.document_wide[i])
                })
                .count();
        }
        // Document-wide rules (consistency, capitalization, mixed quote styles) fired too.
        assert!(wide > 0);
    }

    /// The chunks [`Engine::check_each`] hands on, in order, with the number of chunks.
    fn streamed(engine: &Engine, doc: &Document, part: usize, window: usize) -> (Vec<Diagnostic>, usize) {
        let active = engine.active(doc, None);
        let mut all = Vec::new();
        let mut chunks = 0;
        let done: Result<(), ()> = engine.stream_cut(doc, doc.cut_points(part), &active, window, &mut |chunk| {
            chunks += 1;
            all.extend(chunk);
            Ok(())
        });
        assert!(done.is_ok());
        (all, chunks)
    }

    #[test]
    fn a_document_checked_as_it_is_written_has_the_findings_of_one_pass() {
        let engine = Engine::new(crate::config::builtin_rules().unwrap(), &[]).unwrap();
        let text = articles();
        let documents = [
            Document::new("a.txt", text.clone(), Some("en")),
            Document::new("a.txt", wrapped(&text, 78), Some("en")),
            Document::parse("a.md", markdown(&text), Some("en"), InputFormat::Markdown).unwrap(),
        ];
        for doc in &documents {
            let one_pass = engine.check_in_parts(doc, usize::MAX, None);
            for (part, window) in [(8 * 1024, 1), (8 * 1024, 3), (30 * 1024, 100)] {
                let (in_chunks, chunks) = streamed(&engine, doc, part, window);
                assert!(chunks > 4, "{chunks} chunks");
                assert_eq!(one_pass.len(), in_chunks.len());
                for (a, b) in one_pass.iter().zip(&in_chunks) {
                    assert_eq!(a, b);
                }
            }
        }
        // Through the public call too, which cuts only with more than one thread.
        let doc = &documents[0];
        let mut all = Vec::new();
        let done: Result<(), ()> = engine.check_each(doc, 8 * 1024, None, |chunk| {
            all.extend(chunk);
            Ok(())
        });
        assert!(done.is_ok());
        assert_eq!(all, engine.check_in_parts(doc, usize::MAX, None));
    }

    #[test]
    fn an_error_handing_on_a_chunk_stops_the_check() {
        let engine = Engine::new(crate::config::builtin_rules().unwrap(), &[]).unwrap();
        let doc = Document::new("a.txt", articles(), Some("en"));
        let active = engine.active(&doc, None);
        let mut chunks = 0;
        let done = engine.stream_cut(&doc, doc.cut_points(8 * 1024), &active, 2, &mut |_| {
            chunks += 1;
            if chunks == 2 {
                return Err("closed");
            }
            Ok(())
        });
        assert_eq!(done, Err("closed"));
        assert_eq!(chunks, 2);
    }
}
