//! `spelling`: known misspellings with their corrections (the typos project's list), and words
//! a Hunspell dictionary does not know.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::{capitalize, Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::segment::words::words;
use crate::span::Span;

pub mod on_disk;
mod typos;
use typos::Corrections;

super::sub_checks! {
    /// The `spelling` sub-checks.
    Sub {
        Misspelling = "misspelling",
        UnknownWord = "unknown-word",
    }
}

/// How many answers a [`WordCache`] keeps before starting afresh: as many as a hash table of
/// 2^18 slots holds without growing (seven eighths), about 8.5 MB for words of up to 15 bytes
/// (32-byte slots). A batch of varied text meets far more distinct words than the common ones
/// worth keeping, and a run keeps one cache of each kind per thread: 500,000, as before, grew
/// the table to 2^20 slots, ~34 MB a cache, so gigabytes on a many-core machine.
const KNOWN_CACHE_WORDS: usize = (1 << 18) / 8 * 7;

/// Where Debian's `hunspell-en-us` puts the dictionary; a rule's `dictionary` overrides it.
pub const DEFAULT_DICTIONARY: &str = "/usr/share/hunspell/en_US";

/// A process-wide table (of the dictionaries loaded, the warnings said, …), locked; a lock
/// poisoned by a panic elsewhere is taken all the same, as the tables stay whole.
pub(super) fn process_wide<T: Default>(table: &'static OnceLock<Mutex<T>>) -> std::sync::MutexGuard<'static, T> {
    table
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// The Hunspell dictionaries a rule names (Debian's en_US when it names none).
/// The dictionaries a rule names, or the default one.
pub(super) fn dictionary_paths(dictionary: &[String]) -> Vec<String> {
    if dictionary.is_empty() {
        vec![DEFAULT_DICTIONARY.to_string()]
    } else {
        dictionary.to_vec()
    }
}

/// The dictionaries of one rule: a word is English when one knows it.
///
/// The first dictionary that loads is loaded at once; the ones listed after it only when it
/// does not know a word (most words are in every English dictionary, and a short text may
/// never need the second: en_GB takes longer to load than the whole rest of a small run).
pub(super) struct English {
    /// The first dictionary that loads (or whose answers kept on disk say it loaded).
    first: String,
    later: Vec<String>,
    /// The answers kept on disk of the first dictionary and of the later ones.
    first_answers: Option<Arc<on_disk::Answers>>,
    later_answers: Vec<Option<Arc<on_disk::Answers>>>,
    /// Each dictionary (the first, then the later ones), once loaded; `None` inside when it
    /// does not load.
    loaded: Vec<OnceLock<Option<Arc<spellbook::Dictionary>>>>,
    needed_by: String,
    /// Names this set of dictionaries in the per-thread cache of answers.
    id: usize,
}

impl English {
    /// Loads (once per process) the first of the dictionaries at `paths` that loads; `None`
    /// when none does. The others load when first needed.
    pub(super) fn load(paths: &[String], needed_by: &str) -> Option<English> {
        let mut failed = Vec::new();
        let mut found = None;
        for (i, path) in paths.iter().enumerate() {
            // A dictionary whose answers were kept loaded then and has not changed since: it
            // loads only when a word is not among them.
            if on_disk::answers(&dictionary_base(path)).is_some_and(|a| a.loaded_before()) {
                found = Some(i);
                break;
            }
            match english_dictionary(path) {
                Ok(_) => {
                    found = Some(i);
                    break;
                }
                Err(e) => failed.push((path, e)),
            }
        }
        for (path, e) in &failed {
            warn_missing(path, e, needed_by, found.is_none());
        }
        let at = found?;
        let first = paths[at].clone();
        let later = paths[at + 1..].to_vec();
        // The later dictionaries load only when needed, which may be never: one that is not
        // there is said at once all the same (a wrong path is no secret).
        // Once per path and process: this runs for every document.
        static OPENED: OnceLock<Mutex<std::collections::HashSet<PathBuf>>> = OnceLock::new();
        for path in &later {
            let base = dictionary_base(path);
            let first_time = process_wide(&OPENED).insert(base.clone());
            if !first_time {
                continue;
            }
            if let Err(e) = openable(&base) {
                warn_missing(path, &e, needed_by, false);
            }
        }
        // A path names one dictionary for the whole run, so the paths name the set.
        let id = std::iter::once(&first).chain(&later).fold(0usize, |h, p| {
            h.rotate_left(7) ^ std::hash::BuildHasher::hash_one(&foldhash::fast::FixedState::default(), p) as usize
        });
        Some(English {
            loaded: (0..=later.len()).map(|_| OnceLock::new()).collect(),
            first_answers: on_disk::answers(&dictionary_base(&first)),
            later_answers: later.iter().map(|p| on_disk::answers(&dictionary_base(p))).collect(),
            first,
            later,

            needed_by: needed_by.to_string(),
            id,
        })
    }

    /// Says at once what [`English::load`] would say of the dictionaries at `paths` that
    /// cannot be opened (once per path and run), without loading any; false when none can be
    /// opened, when `load` would give `None`. A dictionary that opens but does not parse is
    /// said when it is first loaded.
    pub(super) fn probe(paths: &[String], needed_by: &str) -> bool {
        let mut failed = Vec::new();
        let mut found = None;
        for (i, path) in paths.iter().enumerate() {
            match opens(path) {
                Ok(()) => {
                    found = Some(i);
                    break;
                }
                Err(e) => failed.push((path, e)),
            }
        }
        for (path, e) in &failed {
            warn_missing(path, e, needed_by, found.is_none());
        }
        let Some(at) = found else { return false };
        for path in &paths[at + 1..] {
            if let Err(e) = opens(path) {
                warn_missing(path, &e, needed_by, false);
            }
        }
        true
    }

    /// Dictionary `i` (0 the first, then the later ones), loaded now if it was not yet;
    /// `None` when it does not load (said once, as it goes on with the others).
    fn dictionary(&self, i: usize) -> Option<&spellbook::Dictionary> {
        let path = if i == 0 { &self.first } else { &self.later[i - 1] };
        self.loaded[i]
            .get_or_init(|| {
                english_dictionary(path)
                    .inspect_err(|e| warn_missing(path, e, &self.needed_by, false))
                    .ok()
            })
            .as_deref()
    }

    /// The answers of dictionary `i` kept on disk, when they are kept.
    fn kept(&self, i: usize) -> Option<&on_disk::Answers> {
        if i == 0 {
            self.first_answers.as_deref()
        } else {
            self.later_answers[i - 1].as_deref()
        }
    }

    /// What dictionary `i` says of `word`: the answer kept from an earlier run when there is
    /// one, else the dictionary's, loaded now if it was not yet (and kept for the next runs).
    /// A dictionary that does not load knows no word.
    fn knows_by(&self, i: usize, word: &str) -> bool {
        let kept = self.kept(i);
        if let Some(known) = kept.and_then(|a| a.get(word)) {
            return known;
        }
        let Some(d) = self.dictionary(i) else {
            return false;
        };
        let known = d.check(word);
        if let Some(a) = kept {
            a.add(word, known);
        }
        known
    }

    /// True when a dictionary knows the word; a curly apostrophe is read as a straight one.
    ///
    /// The answers are kept per thread for the life of the process (the dictionaries are never
    /// unloaded, so their addresses name them): a batch's documents share most of their
    /// words, and a lookup in the cache costs a fraction of Hunspell's affix analysis.
    pub(super) fn knows(&self, word: &str) -> bool {
        self.ask(word, true) == Some(true)
    }

    /// What the dictionaries say of `word` without loading the later ones: `None` when the
    /// first does not know it and only the later ones could (see [`English::knows`]).
    fn knows_without_loading(&self, word: &str) -> Option<bool> {
        self.ask(word, false)
    }

    /// The answer of [`English::knows`], asking the later dictionaries (loading them) only
    /// when `all` is set; `None` when it is not and they would have to be asked.
    fn ask(&self, word: &str, all: bool) -> Option<bool> {
        type Words = WordCache<Known>;
        thread_local! {
            static KNOWN: std::cell::RefCell<Vec<(usize, Words)>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let set = self.id;
        let plain = || -> std::borrow::Cow<'_, str> {
            if word.contains('’') {
                word.replace('’', "'").into()
            } else {
                word.into()
            }
        };
        let later = |known: &mut Known| {
            // Every later dictionary is asked (and loaded, if its answer is not kept), as
            // when they were loaded together.
            let word = plain();
            let mut any = false;
            for i in 1..self.loaded.len() {
                any |= self.knows_by(i, &word);
            }
            *known = if any { Known::Yes } else { Known::No };
        };
        KNOWN.with_borrow_mut(|sets| {
            let i = match sets.iter().position(|(s, _)| *s == set) {
                Some(i) => i,
                None => {
                    sets.push((set, Words::default()));
                    sets.len() - 1
                }
            };
            let known = sets[i].1.remembered(word, || {
                if self.knows_by(0, &plain()) {
                    Known::Yes
                } else if self.later.is_empty() {
                    Known::No
                } else {
                    Known::NotFirst
                }
            });
            match known {
                Known::Yes => Some(true),
                Known::No => Some(false),
                Known::NotFirst if all => {
                    let known = sets[i].1.get_mut(word).expect("remembered just now or before");
                    later(known);
                    Some(*known == Known::Yes)
                }
                Known::NotFirst => None,
            }
        })
    }

    /// Dictionary words one edit (a letter added, dropped, changed, or two swapped) from `word`.
    fn near(&self, word: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut found = Vec::new();
        for i in 0..self.loaded.len() {
            // Each dictionary's suggestions one edit away: kept from an earlier run, or asked
            // of it (loaded now) and kept for the next runs.
            let kept = self.kept(i);
            let near = match kept.and_then(|a| a.near(word)) {
                Some(near) => near,
                None => {
                    let Some(d) = self.dictionary(i) else {
                        continue;
                    };
                    d.suggester().with_ngram_suggestions(false).suggest(word, &mut found);
                    let near: Vec<String> = found
                        .drain(..)
                        .filter(|s| s.bytes().all(|b| b.is_ascii_alphabetic()) && one_edit(word, s))
                        .collect();
                    if let Some(a) = kept {
                        a.add_near(word, &near);
                    }
                    near
                }
            };
            for s in near {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
        out
    }
}

/// A rule's [`English`] dictionaries for one document, loaded when a word first needs them:
/// a document none of whose words is asked about (a short text, most often) does not wait
/// for the load started in the background (see [`preload`]). What [`English::load`] says of
/// dictionaries that cannot be opened is said when this is made, as before.
pub(super) struct LazyEnglish<'p> {
    paths: &'p [String],
    needed_by: String,
    loaded: std::cell::OnceCell<Option<English>>,
}

impl<'p> LazyEnglish<'p> {
    /// `None` when none of the dictionaries at `paths` can be opened (then none loads).
    pub(super) fn new(paths: &'p [String], needed_by: String) -> Option<Self> {
        English::probe(paths, &needed_by).then(|| LazyEnglish {
            paths,
            needed_by,
            loaded: std::cell::OnceCell::new(),
        })
    }

    /// The dictionaries, loaded now if they were not yet; `None` when none loads.
    pub(super) fn get(&self) -> Option<&English> {
        self.loaded
            .get_or_init(|| English::load(self.paths, &self.needed_by))
            .as_ref()
    }
}

/// What the dictionaries of an [`English`] say of a word, as far as they were asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    /// A dictionary knows it.
    Yes,
    /// None does.
    No,
    /// The first does not; the later ones were not asked yet.
    NotFirst,
}

/// True when `a` and `b` differ by one letter added, dropped or changed, or two neighbours
/// swapped; letter case is ignored.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_ascii_lowercase().into_bytes(), b.to_ascii_lowercase().into_bytes());
    if a == b {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (da, db) = (
        a.len() - prefix - suffix.min(a.len() - prefix),
        b.len() - prefix - suffix.min(b.len() - prefix),
    );
    match (da, db) {
        (1, 1) | (1, 0) | (0, 1) => true,
        (2, 2) => a[prefix] == b[prefix + 1] && a[prefix + 1] == b[prefix],
        _ => false,
    }
}

/// The `spelling` kind.
pub static KIND: Kind = Kind {
    name: "spelling",
    category: "fluency/spelling",
    message: "\"{match}\" is misspelt",
    doc: include_str!("spelling.md"),
    sees_protected: false,
    reads_source: false,
    parse: parse_params::<SpellingParams>,
};

/// Compiles every `spelling` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(SpellingCheck::new(rules)))
}

/// A `spelling` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SpellingParams {
    pub check: Option<Sub>,
    /// One Hunspell dictionary or a list of them.
    #[serde(deserialize_with = "crate::model::one_or_many")]
    pub dictionary: Vec<String>,
    pub allow: Vec<String>,
}

impl KindParams for SpellingParams {
    fn fixes(&self) -> Option<Applicability> {
        match self.check {
            Some(Sub::UnknownWord) => None,
            _ => Some(Applicability::Safe),
        }
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        validate(self)
    }
}

fn validate(def: &SpellingParams) -> Result<(), (&'static str, String)> {
    if def.check.is_none() {
        return Err((
            "kind",
            "a spelling rule needs `check` (one of: misspelling, unknown-word)".into(),
        ));
    }
    if def.dictionary.iter().any(String::is_empty) {
        return Err(("dictionary", "`dictionary` is empty".into()));
    }
    Ok(())
}

/// A Hunspell dictionary, loaded on first use and shared by every check and thread; one that
/// cannot be loaded stays missing. Each path has its own cell, so that two dictionaries load
/// at the same time.
fn english_dictionary(path: &str) -> Result<Arc<spellbook::Dictionary>, Arc<DictionaryError>> {
    type Cell = Arc<OnceLock<Result<Arc<spellbook::Dictionary>, Arc<DictionaryError>>>>;
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Cell>>> = OnceLock::new();
    let base = dictionary_base(path);
    let cell = process_wide(&CACHE).entry(base.clone()).or_default().clone();
    cell.get_or_init(|| load(&base).map(Arc::new).map_err(Arc::new)).clone()
}

/// Starts, on a thread of its own, what `load` stands for (loading a dictionary, reading a
/// word list), once per process and `key`: the first dictionary takes longer to load than
/// compiling every other rule of the shipped packs and checking a small file, so loading it
/// beside them makes start-up about that much shorter. The check that needs it then waits for
/// the load under way (the caches are `OnceLock`s) or finds it done. A thread that cannot be
/// started changes nothing: the check loads on first use, as without this.
pub(super) fn in_background(key: String, load: impl FnOnce() + Send + 'static) {
    static STARTED: OnceLock<Mutex<std::collections::HashSet<String>>> = OnceLock::new();
    let first = process_wide(&STARTED).insert(key);
    if first {
        let _ = std::thread::Builder::new().name("mtlint-dictionary".into()).spawn(load);
    }
}

/// Starts loading the first dictionary of `paths` that loads, in the background (see
/// [`in_background`]). The later ones load only when the first does not know a word, as
/// before: loading them too would cost a small file's run more time than it saves. Nothing
/// is said here of a dictionary that does not load: the check says it when it asks for it.
pub(super) fn preload_dictionary(paths: &[String]) {
    // (Also when its answers are kept from earlier runs: a new text mostly has a word they
    // miss, and waiting for the load then cost a 2 KB draft 10 ms more than the load saved
    // on texts whose words were all kept.)
    let paths = paths.to_vec();
    in_background(format!("dictionary\n{}", paths.join("\n")), move || load_first(&paths));
}

/// True when the answers of the first dictionary of `paths` are kept from earlier runs (see
/// [`on_disk`]): a run may then not need to load it.
pub(super) fn answers_kept(paths: &[String]) -> bool {
    paths
        .first()
        .and_then(|p| on_disk::answers(&dictionary_base(p)))
        .is_some_and(|a| a.loaded_before())
}

/// Loads the first dictionary of `paths` that loads, or waits for the load under way, as
/// [`English::load`] will ask for them.
pub(super) fn load_first(paths: &[String]) {
    for path in paths {
        if english_dictionary(path).is_ok() {
            break;
        }
    }
}

/// What a `spelling` rule set needs loaded, started before the engine is compiled.
pub fn preload(rules: &[(RuleIdx, &RuleDef)]) {
    for (_, d) in rules {
        preload_dictionary(&dictionary_paths(&d.params::<SpellingParams>().dictionary));
    }
}

/// Says once per run, on stderr, that the dictionary at `path` did not load and what that
/// means for the rule: `off` when the rule has no other dictionary that loads.
fn warn_missing(path: &str, error: &DictionaryError, needed_by: &str, off: bool) {
    static WARNED: OnceLock<Mutex<std::collections::HashSet<PathBuf>>> = OnceLock::new();
    let first = process_wide(&WARNED).insert(dictionary_base(path));
    if !first {
        return;
    }
    if off {
        eprintln!(
            "warning: no English dictionary: {error}; {needed_by} is off (install Debian's \
             hunspell-en-us, or set the rule's `dictionary` to a Hunspell .dic file)"
        );
    } else {
        eprintln!("warning: no English dictionary: {error}; {needed_by} goes on with its other dictionaries");
    }
}

/// `x/en_US`, `x/en_US.dic` and `x/en_US.aff` all name the pair `x/en_US.{aff,dic}`.
fn dictionary_base(path: &str) -> PathBuf {
    let p = Path::new(path);
    match p.extension().and_then(|e| e.to_str()) {
        Some("dic" | "aff") => p.with_extension(""),
        _ => p.to_path_buf(),
    }
}

/// [`openable`] for the pair `path` names, asked once per pair and process (a run asks
/// for every document).
fn opens(path: &str) -> Result<(), Arc<DictionaryError>> {
    type Opened = Result<(), Arc<DictionaryError>>;
    static OPENS: OnceLock<Mutex<HashMap<PathBuf, Opened>>> = OnceLock::new();
    let base = dictionary_base(path);
    let mut cache = process_wide(&OPENS);
    cache
        .entry(base)
        .or_insert_with_key(|base| openable(base).map_err(Arc::new))
        .clone()
}

/// The error [`load`] would give when a file of the pair at `base` cannot be opened.
fn openable(base: &Path) -> Result<(), DictionaryError> {
    for ext in ["aff", "dic"] {
        let path = base.with_extension(ext);
        std::fs::File::open(&path).map_err(|source| DictionaryError::Read { path, source })?;
    }
    Ok(())
}

fn load(base: &Path) -> Result<spellbook::Dictionary, DictionaryError> {
    let read = |ext: &str| {
        let path = base.with_extension(ext);
        std::fs::read_to_string(&path).map_err(|source| DictionaryError::Read { path, source })
    };
    let (aff, dic) = (read("aff")?, read("dic")?);
    spellbook::Dictionary::new(&aff, &dic).map_err(|error| DictionaryError::Parse {
        base: base.to_path_buf(),
        error,
    })
}

/// Why a Hunspell dictionary could not be loaded.
#[derive(Debug, thiserror::Error)]
enum DictionaryError {
    /// Its `.aff` or `.dic` file could not be read.
    #[error("{}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    /// The pair at `base` (`base.aff`, `base.dic`) does not parse. (spellbook's error is no
    /// `std::error::Error`, so it cannot be the source.)
    #[error("{}.dic: {error}", base.display())]
    Parse {
        base: PathBuf,
        error: spellbook::ParseDictionaryError,
    },
}

/// All `spelling` rules: each rule's sub-check, dictionaries and allowed words.
pub struct SpellingCheck {
    rules: Vec<SpellingRule>,
    /// Names, in the answers kept per thread ([`super::words::remembered`]), whether all the
    /// rules leave a word alone, asked when every rule is active.
    asker: u64,
}

struct SpellingRule {
    idx: RuleIdx,
    /// Names the rule's answers kept per thread ([`super::words::remembered`]).
    asker: u64,
    unknown_words: bool,
    dictionary: Vec<String>,
    allow: Vec<String>,
}

impl SpellingCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Self {
        let rules = rules
            .iter()
            .map(|(idx, d)| (idx, d.params::<SpellingParams>()))
            .map(|(idx, d)| SpellingRule {
                idx: *idx,
                asker: super::words::new_asker(),
                unknown_words: d.check == Some(Sub::UnknownWord),
                dictionary: dictionary_paths(&d.dictionary),
                allow: d.allow.iter().map(|w| w.to_lowercase()).collect(),
            })
            .collect();
        SpellingCheck {
            rules,
            asker: super::words::new_asker(),
        }
    }
}

/// The typos project's corrections of `word`, if it is a known misspelling.
///
/// Kept per thread like the dictionary's answers: the list's own lookup folds case and hashes
/// with SipHash, several times the cost of finding a word seen before.
fn corrections(word: &str) -> Option<Corrections> {
    type Seen = WordCache<Option<Corrections>>;
    thread_local! {
        static SEEN: std::cell::RefCell<Seen> = std::cell::RefCell::new(Seen::default());
    }
    SEEN.with_borrow_mut(|seen| seen.remembered(word, || typos::find(word)))
}

/// Answers about words kept per thread. A word of up to 15 bytes is keyed by its bytes and
/// its length packed into one integer: no string to allocate, follow or compare. Longer words
/// are keyed by their text.
struct WordCache<V> {
    short: HashMap<u128, V, foldhash::fast::FixedState>,
    long: HashMap<Box<str>, V, foldhash::fast::FixedState>,
}

impl<V: Copy> Default for WordCache<V> {
    fn default() -> Self {
        WordCache {
            short: HashMap::default(),
            long: HashMap::default(),
        }
    }
}

impl<V: Copy> WordCache<V> {
    /// `word` and its length packed into an integer, when it is 15 bytes or shorter.
    fn packed(word: &str) -> Option<u128> {
        if word.len() > 15 {
            return None;
        }
        let mut bytes = [0u8; 16];
        bytes[..word.len()].copy_from_slice(word.as_bytes());
        bytes[15] = word.len() as u8;
        Some(u128::from_le_bytes(bytes))
    }

    /// The answer kept about `word`.
    fn get_mut(&mut self, word: &str) -> Option<&mut V> {
        match Self::packed(word) {
            Some(key) => self.short.get_mut(&key),
            None => self.long.get_mut(word),
        }
    }

    /// The answer about `word` kept here, or `answer()` kept for next time; a cache that
    /// reaches [`KNOWN_CACHE_WORDS`] starts afresh.
    fn remembered(&mut self, word: &str, answer: impl FnOnce() -> V) -> V {
        let key = Self::packed(word);
        let kept = match key {
            Some(key) => self.short.get(&key),
            None => self.long.get(word),
        };
        if let Some(&v) = kept {
            return v;
        }
        let v = answer();
        if self.short.len() + self.long.len() >= KNOWN_CACHE_WORDS {
            self.short.clear();
            self.long.clear();
        }
        match key {
            Some(key) => self.short.insert(key, v),
            None => self.long.insert(Box::from(word), v),
        };
        v
    }
}

impl Check for SpellingCheck {
    /// An unknown word is judged by how often the document uses it.
    fn document_wide(&self, rule: RuleIdx) -> bool {
        self.rules.iter().any(|r| r.idx == rule && r.unknown_words)
    }

    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        let text = doc.text.as_str();
        // The active rules with their dictionaries.
        // (Loaded when a word needs them. A dictionary that opens and then does not parse leaves
        // its `unknown-word` rule in the list, silent on every word, as if it were left out.)
        let mut rules: Vec<(&SpellingRule, Option<LazyEnglish<'_>>)> = Vec::new();
        for rule in self.rules.iter().filter(|r| sink.is_active(r.idx)) {
            let needed_by = format!("rule {}", sink.rule(rule.idx).meta.id);
            let dict = LazyEnglish::new(&rule.dictionary, needed_by);
            if !(rule.unknown_words && dict.is_none()) {
                rules.push((rule, dict));
            }
        }
        if rules.is_empty() {
            return;
        }
        // Every rule active (as it mostly is), each with what it needs: whether all leave a word
        // alone is one answer, kept per thread, instead of one for each rule. (Which rules keep
        // their dictionaries is the same for the whole run: a dictionary loads or not once.)
        let all_asker = (rules.len() == self.rules.len()).then_some(self.asker);
        // The document's own table holds all its words: it tells how often a word is used.
        let whole = (text.len() <= super::words::WHOLE).then(|| doc.word_table());
        let mut counts = Counts::new(text, whole);
        // The sentences are read only when a capitalised word needs them.
        let mut starts: Option<super::words::SentenceStarts<'_>> = None;
        let end_of_text = text.trim_end().len();
        // One pass over the words for all rules, with what is asked of a word kept by its id.
        super::words::for_each_table(doc, |table| {
            let mut seen = Seen::new(table.distinct(), rules.len());
            // Most words are reported by no rule wherever they stand: told once per distinct
            // word, and the words read again only where one may be reported. Words left alone
            // whatever the dictionary says: acronyms and mixed case (`PBFT`, `iPhone`,
            // `appToken`); capitalised words mid-sentence (names) are told below.
            let mut any_live = false;
            let speaks = |id: u32| table.shape(id) & super::words::INNER_UPPER == 0;
            match all_asker {
                // Whether all the rules leave a word alone, kept per thread: looked up for the
                // whole table at once.
                Some(asker) => {
                    let quiet = super::words::remembered_each(asker, table, speaks, |id| {
                        let word = table.distinct_word(text, id);
                        u8::from(rules.iter().all(|(rule, dict)| silent(rule, dict.as_ref(), word)))
                    });
                    for (id, quiet) in quiet.into_iter().enumerate() {
                        if let Some(quiet) = quiet {
                            seen.silent[id] = if quiet != 0 { SILENT } else { LIVE };
                            any_live |= quiet == 0;
                        }
                    }
                }
                None => {
                    for (word, id) in table.distinct_words(text) {
                        if speaks(id) && !seen.silent(id, || table.key(id), || word, &rules) {
                            any_live = true;
                        }
                    }
                }
            }
            if !any_live {
                return;
            }
            for i in table.indices_where(|id| seen.silent[id as usize] == LIVE) {
                let i = i as usize;
                let id = table.id(i);
                let shape = table.shape(id);
                let span = table.span(i);
                if shape & super::words::FIRST_UPPER != 0
                    && !starts
                        .get_or_insert_with(|| super::words::SentenceStarts::new(doc))
                        .starts_sentence(span.start)
                {
                    continue;
                }
                let word = span.text(text);
                for (r, (rule, dict)) in rules.iter().enumerate() {
                    // The cheap tests first: the dictionary is asked only about words that would
                    // be reported if it did not know them.
                    if rule.unknown_words && !UNKNOWN_WORD_LEN.contains(&word.len()) {
                        continue;
                    }
                    let fixes = seen.fixes(id, word);
                    if (!rule.unknown_words && fixes.is_none()) || (rule.unknown_words && fixes.is_some()) {
                        continue;
                    }
                    if !rule.allow.is_empty() && rule.allow.contains(&word.to_lowercase()) {
                        continue;
                    }
                    match (fixes, dict.as_ref().and_then(LazyEnglish::get)) {
                        // The dictionaries are asked among the other tests there.
                        (None, Some(dict)) => {
                            let candidate = seen.may_be_unknown(r, id, word, dict) && span.end != end_of_text;
                            if candidate
                                && unknown_word(span, word, dict, &mut counts, rule.idx, sink) == Verdict::Known
                            {
                                seen.known(r, id);
                            }
                        }
                        (Some(fixes), dict) if !dict.is_some_and(|d| d.knows(word)) => {
                            misspelling(span, word, fixes, rule.idx, sink);
                        }
                        _ => {}
                    }
                }
            }
        });
    }
}

/// What [`SpellingCheck::check`] found out about each distinct word of a [`WordTable`]
/// (indexed by its id), so that it asks once per word, not once per occurrence.
///
/// [`WordTable`]: super::words::WordTable
struct Seen {
    /// For each word: 0 not yet asked, [`SILENT`] when no rule reports it wherever it stands
    /// ([`silent`]), [`LIVE`] when one may.
    silent: Vec<u8>,
    /// The word's corrections from the typos list (`None` inside when it has none), once
    /// asked.
    fixes: Vec<Option<Option<Corrections>>>,
    /// For each rule and word (`rule * words + id`): 0 not yet asked, [`UNKNOWN`] when it may
    /// be an unknown word, [`NOT_UNKNOWN`] when it is not.
    unknown: Vec<u8>,
    words: usize,
}

/// A word the tests on its own text let through to `unknown-word`'s tests on the document.
const UNKNOWN: u8 = 1;
/// A word that is never reported as unknown.
const NOT_UNKNOWN: u8 = 2;

/// A word no rule reports.
const SILENT: u8 = 1;
/// A word some rule may report, depending on where it stands and the rest of the document.
const LIVE: u8 = 2;

/// True when `rule` (with its dictionaries `dict`) never reports `word`, wherever it stands
/// and whatever the rest of the document: a misspelling rule, a word the typos list does not
/// correct; an unknown-word rule, a word of the wrong length, with corrections (the other
/// rule's), pinyin, or known to the first dictionary (see [`Seen::may_be_unknown`]).
fn silent(rule: &SpellingRule, dict: Option<&LazyEnglish<'_>>, word: &str) -> bool {
    let fixes = (word.len() > 3)
        .then(|| corrections(word))
        .flatten()
        .filter(|c| !c.is_empty());
    if !rule.unknown_words {
        return fixes.is_none();
    }
    if !UNKNOWN_WORD_LEN.contains(&word.len()) || fixes.is_some() {
        return true;
    }
    let stem = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word);
    // Pinyin before the dictionary, which may not be loaded yet.
    if super::pinyin::split(stem).is_some() {
        return true;
    }
    let Some(dict) = dict.and_then(LazyEnglish::get) else {
        return true;
    };
    dict.knows_without_loading(word) == Some(true)
}

impl Seen {
    /// True when no rule of `rules` reports word `id` (text `word()`, [`WordTable::key`]
    /// `key()`) anywhere: asked once per document, and kept per thread across documents by
    /// rule. (When every rule is active, the check asks for all of them at once instead.)
    ///
    /// [`WordTable::key`]: super::words::WordTable::key
    #[inline]
    fn silent<'t>(
        &mut self,
        id: u32,
        key: impl FnOnce() -> Option<u128>,
        word: impl Fn() -> &'t str,
        rules: &[(&SpellingRule, Option<LazyEnglish<'_>>)],
    ) -> bool {
        match self.silent[id as usize] {
            SILENT => return true,
            LIVE => return false,
            _ => {}
        }
        let key = key();
        let quiet = rules.iter().all(|(rule, dict)| {
            super::words::remembered(rule.asker, key, || u8::from(silent(rule, dict.as_ref(), word()))) != 0
        });
        self.silent[id as usize] = if quiet { SILENT } else { LIVE };
        quiet
    }

    fn new(words: usize, rules: usize) -> Seen {
        Seen {
            silent: vec![0; words],
            fixes: vec![None; words],
            unknown: vec![0; words * rules],
            words,
        }
    }

    /// The non-empty corrections of `word` (id `id`) when it has more than three letters.
    fn fixes(&mut self, id: u32, word: &str) -> Option<Corrections> {
        *self.fixes[id as usize].get_or_insert_with(|| {
            (word.len() > 3)
                .then(|| corrections(word))
                .flatten()
                .filter(|c| !c.is_empty())
        })
    }

    /// False when rule `rule` never reports `word` (id `id`) as unknown, by the tests of
    /// [`unknown_word`] that read only the word: its length, whether it is pinyin, and what
    /// the dictionaries loaded so far say.
    fn may_be_unknown(&mut self, rule: usize, id: u32, word: &str, dict: &English) -> bool {
        let at = rule * self.words + id as usize;
        if self.unknown[at] == 0 {
            let stem = word
                .strip_suffix("'s")
                .or_else(|| word.strip_suffix("’s"))
                .unwrap_or(word);
            let never = !UNKNOWN_WORD_LEN.contains(&word.len())
                || super::pinyin::split(stem).is_some()
                || dict.knows_without_loading(word) == Some(true);
            self.unknown[at] = if never { NOT_UNKNOWN } else { UNKNOWN };
        }
        self.unknown[at] == UNKNOWN
    }

    /// Rule `rule`'s dictionaries know word `id`, or it is used more than once.
    fn known(&mut self, rule: usize, id: u32) {
        self.unknown[rule * self.words + id as usize] = NOT_UNKNOWN;
    }
}

/// How often words occur in a document, for telling a word used once.
///
/// With the table of all the document's words, by counting the uses of each distinct word
/// once. Else the first few questions are answered by reading the words again, stopping at a
/// second use (most documents ask once or twice, if at all); after that, by counting every
/// word once, as a document full of unknown words needs.
struct Counts<'t> {
    text: &'t str,
    /// The table of all the words of `text`, when there is one.
    table: Option<&'t super::words::WordTable>,
    /// The uses of each distinct word of `table`, by id, once counted.
    uses: Vec<u32>,
    /// Questions answered by reading the words.
    scans: usize,
    /// Each word as written with how often it occurs, once counted.
    counts: Option<HashMap<&'t str, usize, foldhash::fast::FixedState>>,
}

impl<'t> Counts<'t> {
    /// Questions answered by reading the text before the words are counted.
    const SCANS: usize = 4;

    /// `table`, when given, holds all the words of `text`.
    fn new(text: &'t str, table: Option<&'t super::words::WordTable>) -> Self {
        Counts {
            text,
            table,
            uses: Vec::new(),
            scans: 0,
            counts: None,
        }
    }

    /// True when `word` occurs more than once in any letter case.
    fn used_more_than_once(&mut self, word: &str) -> bool {
        let text = self.text;
        if let Some(table) = self.table {
            if self.uses.is_empty() {
                self.uses = vec![0; table.distinct()];
                for i in 0..table.len() {
                    self.uses[table.id(i) as usize] += 1;
                }
            }
            let uses = &self.uses;
            return table
                .distinct_words(text)
                .filter(|(w, _)| w.eq_ignore_ascii_case(word))
                .map(|(_, id)| uses[id as usize])
                .sum::<u32>()
                > 1;
        }
        if self.counts.is_none() && self.scans < Self::SCANS {
            self.scans += 1;
            return words(text)
                .filter(|s| s.text(text).eq_ignore_ascii_case(word))
                .nth(1)
                .is_some();
        }
        let counts = self.counts.get_or_insert_with(|| {
            let mut counts = HashMap::default();
            for span in words(text) {
                *counts.entry(span.text(text)).or_insert(0) += 1;
            }
            counts
        });
        counts
            .iter()
            .filter(|(w, _)| w.eq_ignore_ascii_case(word))
            .map(|(_, n)| n)
            .sum::<usize>()
            > 1
    }
}

fn misspelling(span: Span, word: &str, fixes: Corrections, rule: RuleIdx, sink: &mut Sink<'_>) {
    let shaped: Vec<String> = fixes
        .iter()
        .map(|c| {
            if word.starts_with(|c: char| c.is_ascii_uppercase()) {
                capitalize(c)
            } else {
                c.to_string()
            }
        })
        .collect();
    let list = shaped.join("\", \"");
    let args = [("corrections", list.as_str())];
    if let [one] = shaped.as_slice() {
        let edits = vec![Edit::replace(span, one.clone())];
        sink.fix(rule, span, &args, edits, Applicability::Safe);
    } else {
        sink.flag(rule, span, &args);
    }
}

/// Longest word (in bytes) that near words are looked for: Hunspell's suggester costs far
/// more than linear time in the word's length (a 300-letter run of one letter took seconds),
/// and no dictionary word is one edit from a word this long.
const MAX_SUGGESTED_WORD: usize = 48;

/// The lengths (in bytes) of the words `unknown-word` reports: six letters or more (shorter
/// words have too many neighbours to tell what was meant), up to [`MAX_SUGGESTED_WORD`].
const UNKNOWN_WORD_LEN: std::ops::RangeInclusive<usize> = 6..=MAX_SUGGESTED_WORD;

/// A word no dictionary knows, reported when it looks like a slip: used once in the document
/// (a term of the subject recurs), six letters or more, not cut off by the end of the text,
/// not a romanised Chinese name, and one edit away from one to three dictionary words.
///
/// The tests that read only the word are [`Seen::may_be_unknown`]'s, and the end of the text
/// is the caller's; here how often the word is used, then the later dictionaries (loaded when
/// first needed: most runs never need them), then the near words.
fn unknown_word(
    span: Span,
    word: &str,
    dict: &English,
    counts: &mut Counts<'_>,
    rule: RuleIdx,
    sink: &mut Sink<'_>,
) -> Verdict {
    if counts.used_more_than_once(word) || dict.knows(word) {
        return Verdict::Known;
    }
    // A word with many neighbours is too short or too common a shape to tell what was meant.
    let near = dict.near(word);
    if near.is_empty() || near.len() > 3 {
        return Verdict::Once;
    }
    let list = near.join("\", \"");
    let args = [("suggestions", list.as_str())];
    let edits = vec![Edit::replace(span, near[0].clone())];
    let fix = (near.len() == 1).then_some((edits, Applicability::Unsafe));
    sink.push(rule, span, &args, fix, Vec::new());
    Verdict::Once
}

/// What [`unknown_word`] found of a word.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    /// A dictionary knows it, or the document uses it more than once: never reported.
    Known,
    /// Used once and unknown: reported if it has near words.
    Once,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scan [`words`] replaced, kept to test it against: words as the checks see them: ASCII letters with inner apostrophes, split at hyphens,
    /// skipping anything glued to digits, markup or path characters, and single letters.
    fn plain_words(text: &str) -> impl Iterator<Item = Span> + '_ {
        let b = text.as_bytes();
        let mut i = 0;
        std::iter::from_fn(move || {
            while i < b.len() {
                if !b[i].is_ascii_alphabetic() {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < b.len() {
                    if b[i].is_ascii_alphabetic() {
                        i += 1;
                    } else if b[i] == b'\'' && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
                        i += 2;
                    } else if b[i..].starts_with("’".as_bytes()) && b.get(i + 3).is_some_and(u8::is_ascii_alphabetic)
                    {
                        i += 4;
                    } else {
                        break;
                    }
                }
                let end = i;
                // Glued to a letter of another script, a digit or code characters: not prose.
                // The characters beside the word, decoded only when they are not ASCII.
                let before = match start.checked_sub(1).map(|k| b[k]) {
                    Some(c) if c.is_ascii() => Some(char::from(c)),
                    Some(_) => text[..start].chars().next_back(),
                    None => None,
                };
                let after = match b.get(end) {
                    Some(&c) if c.is_ascii() => Some(char::from(c)),
                    Some(_) => text[end..].chars().next(),
                    None => None,
                };
                let code = |c: char| {
                    c.is_alphanumeric()
                        || matches!(
                            c,
                            '_' | '@'
                                | '/'
                                | '\\'
                                | '#'
                                | '$'
                                | '%'
                                | '&'
                                | '='
                                | '<'
                                | '>'
                                | '{'
                                | '}'
                                | '|'
                                | '~'
                                | '^'
                                | '`'
                                | '*'
                                | '+'
                        )
                };
                let dotted = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
                if before.is_some_and(code)
                    || after.is_some_and(code)
                    || (before == Some('.') && dotted(text[..start - 1].chars().next_back()))
                    || (after == Some('.') && dotted(text[end + 1..].chars().next()))
                    || end - start < 2
                {
                    continue;
                }
                return Some(Span::new(start, end));
            }
            None
        })
    }

    fn all(text: &str) -> Vec<&str> {
        words(text).map(|s| s.text(text)).collect()
    }

    #[test]
    fn words_skip_code_and_numbers() {
        assert_eq!(
            all("The poineering town’s 13year file.txt a_b x@y.z well-known e.g. it"),
            ["The", "poineering", "town’s", "well", "known", "it"]
        );
    }

    #[test]
    fn words_as_the_plain_scan_reads_them() {
        let mut texts: Vec<String> = vec![
            "The poineering town’s 13year file.txt a_b x@y.z well-known e.g. it".into(),
            "a.b ab.cd é.ab ab.é abé éab ab’ ’ab ab'' 'ab a’b’c x’’y ab’ ab.中 中ab .ab ab. ab.5 5.ab".into(),
        ];
        let pieces = [
            "a", "b", "Q", "'", "’", ".", "é", "中", "1", " ", "_", "-", "\u{301}", "Ω", "/", "+",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut t = String::new();
            for _ in 0..14 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                t.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            texts.push(t);
        }
        for t in &texts {
            assert_eq!(
                words(t).collect::<Vec<_>>(),
                plain_words(t).collect::<Vec<_>>(),
                "{t:?}"
            );
        }
    }

    #[test]
    fn one_edit_apart() {
        assert!(one_edit("provinclal", "provincial"));
        assert!(one_edit("soild", "solid"));
        assert!(one_edit("flourishs", "flourishes"));
        assert!(one_edit("Ther", "there"));
        assert!(!one_edit("nurturance", "nurturing"));
        assert!(!one_edit("same", "same"));
    }

    #[test]
    fn typos_list_knows_common_misspellings() {
        assert_eq!(
            corrections("Unfortunatly").map(|c| c.iter().collect()),
            Some(vec!["unfortunately"])
        );
        assert!(corrections("pioneering").is_none());
    }
}
