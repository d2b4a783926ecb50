//! `romanization`: romanised Chinese names written in lower case, run together or split into
//! syllables, judged by the pinyin syllable table, a surname list and a gazetteer; an English
//! dictionary keeps English words that are also pinyin (`long`, `fan`, `change`) out.

/// Maps and sets with a fast hash: looked up for every word of every document.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;

use super::spelling::{dictionary_paths, LazyEnglish};
use super::words::{self, WordTable};
use super::{capitalize, pinyin, Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::packs::LanguageData;
use crate::span::Span;

/// The `romanization` kind.
pub static KIND: Kind = Kind {
    name: "romanization",
    category: "fluency/spelling",
    message: "romanised Chinese name \"{match}\" should be written \"{replacement}\"",
    doc: include_str!("romanization.md"),
    sees_protected: false,
    reads_source: false,
    parse: parse_params::<RomanizationParams>,
};

/// Compiles every `romanization` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(RomanizationCheck::new(rules)))
}

/// Starts loading the rules' dictionaries in the background, before the engine is compiled.
pub fn preload(rules: &[(RuleIdx, &RuleDef)]) {
    for (_, d) in rules {
        super::spelling::preload_dictionary(&dictionary_paths(&d.params::<RomanizationParams>().dictionary));
    }
}

/// A `romanization` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RomanizationParams {
    pub check: Option<Sub>,
    /// One Hunspell dictionary or a list of them.
    #[serde(deserialize_with = "crate::model::one_or_many")]
    pub dictionary: Vec<String>,
    pub surnames: Vec<String>,
    pub names: Vec<String>,
    pub terms: Vec<String>,
}

impl KindParams for RomanizationParams {
    fn fixes(&self) -> Option<Applicability> {
        Some(Applicability::Safe)
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        validate(self)
    }
}

fn validate(def: &RomanizationParams) -> Result<(), (&'static str, String)> {
    for (key, list) in [
        ("names", &def.names),
        ("surnames", &def.surnames),
        ("terms", &def.terms),
    ] {
        if let Some(bad) = list.iter().find(|n| !n.is_ascii() || n.trim().is_empty()) {
            return Err((key, format!("{bad:?}: entries must be ASCII and not empty")));
        }
    }
    if def.check.is_none_or(|c| c == Sub::RunTogether) && def.surnames.is_empty() {
        return Err(("surnames", "run-together-name needs `surnames`".into()));
    }
    Ok(())
}

super::sub_checks! {
    /// The `romanization` sub-checks.
    Sub {
        Lowercase = "lowercase-name",
        RunTogether = "run-together-name",
        Split = "split-name",
    }
}

struct NameRule {
    idx: RuleIdx,
    /// Names the rule's answers kept per thread ([`words::remembered`]).
    asker: u64,
    /// The sub-check the rule runs; all of them when it names none.
    sub: Option<Sub>,
    dictionary: Vec<String>,
    surnames: HashSet<String>,
    /// Gazetteer: lower-case first word → entries (their words as written).
    names: HashMap<String, Vec<Vec<String>>>,
    /// The first words of `names` by their first two letters and length, to tell most words
    /// apart from them without a lookup.
    first_words: FirstWords,
    /// Lower-case single-word names: never split or reported as run together.
    single_names: HashSet<String>,
    /// Single-word names by their syllables joined with spaces ("zheng zhou" → "Zhengzhou").
    by_syllables: HashMap<String, String>,
    /// Generic words written after a place name ("County", "Village"), lower-cased.
    generics: HashSet<String>,
}

/// All `romanization` rules: each rule's sub-check, surnames, names and generic place words.
pub struct RomanizationCheck {
    rules: Vec<NameRule>,
}

impl RomanizationCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Self {
        let rules = rules
            .iter()
            .map(|(idx, d)| {
                let d: &RomanizationParams = d.params();
                let sub = d.check;
                let mut names: HashMap<String, Vec<Vec<String>>> = HashMap::default();
                let mut single_names = HashSet::default();
                let mut by_syllables = HashMap::default();
                for n in &d.names {
                    let ws: Vec<String> = n.split_whitespace().map(str::to_string).collect();
                    if let [one] = ws.as_slice() {
                        single_names.insert(one.to_ascii_lowercase());
                        if let Some((_, cuts)) = pinyin::split(one) {
                            if cuts.len() > 1 {
                                let key: Vec<String> = cuts.into_iter().map(|r| one[r].to_ascii_lowercase()).collect();
                                by_syllables.insert(key.join(" "), one.clone());
                            }
                        }
                    }
                    names.entry(ws[0].to_ascii_lowercase()).or_default().push(ws);
                }
                for entries in names.values_mut() {
                    // Longest entry first, so "Communist Party of China" wins over "Communist Party".
                    entries.sort_by_key(|e| std::cmp::Reverse(e.len()));
                }
                NameRule {
                    idx: *idx,
                    asker: words::new_asker(),
                    sub,
                    dictionary: dictionary_paths(&d.dictionary),
                    surnames: d.surnames.iter().map(|s| s.to_ascii_lowercase()).collect(),
                    first_words: FirstWords::new(names.keys()),
                    names,
                    single_names,
                    by_syllables,
                    generics: d.terms.iter().map(|s| s.to_ascii_lowercase()).collect(),
                }
            })
            .collect();
        RomanizationCheck { rules }
    }
}

/// The shapes of a set of lower-case words: for each pair of first letters, a bit for each
/// length (the last bit for 63 bytes or more). A word whose shape is not there is not in the
/// set; one whose shape is may be.
struct FirstWords {
    shapes: Box<[u64; 26 * 26]>,
    /// Some word of the set does not start with two ASCII letters: words of that kind are
    /// always looked up.
    other: bool,
}

impl FirstWords {
    fn new<'a>(words: impl Iterator<Item = &'a String>) -> FirstWords {
        let mut first = FirstWords {
            shapes: Box::new([0; 26 * 26]),
            other: false,
        };
        for w in words {
            match Self::slot(w.as_bytes()) {
                Some((at, bit)) => first.shapes[at] |= bit,
                None => first.other = true,
            }
        }
        first
    }

    /// Where the shape of `word` (in any case) is kept: its index and bit.
    fn slot(word: &[u8]) -> Option<(usize, u64)> {
        let letter = |c: Option<&u8>| {
            c.filter(|c| c.is_ascii_alphabetic())
                .map(|c| usize::from(c.to_ascii_lowercase() - b'a'))
        };
        let (a, b) = (letter(word.first())?, letter(word.get(1))?);
        Some((a * 26 + b, 1u64 << word.len().min(63)))
    }

    /// False when the lower-case form of `word` (ASCII) is certainly not in the set.
    fn may_hold(&self, word: &str) -> bool {
        match Self::slot(word.as_bytes()) {
            Some((at, bit)) => self.shapes[at] & bit != 0,
            None => self.other,
        }
    }
}

fn is_lower(word: &str) -> bool {
    word.bytes().all(|b| !b.is_ascii_uppercase())
}

fn is_capitalised(word: &str) -> bool {
    let mut b = word.bytes();
    b.next().is_some_and(|c| c.is_ascii_uppercase()) && b.all(|c| !c.is_ascii_uppercase())
}

/// True when `word` (at most 6 bytes, in any case) is one of the lower-case `surnames`;
/// lower-cased on the stack.
fn is_surname(surnames: &HashSet<String>, word: &str) -> bool {
    let mut buf = [0u8; 6];
    let Some(lower) = buf.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower).is_ok_and(|l| surnames.contains(l))
}

/// The words of a sentence with what lies between them, each with the id of its text in
/// the document's [`WordTable`].
struct Words<'t> {
    text: &'t str,
    spans: Vec<Span>,
    /// The text of each span, cut once.
    texts: Vec<&'t str>,
    /// The id of each word: its id in the table, or one past the table's for a word read
    /// apart (see [`Words::read`]).
    ids: Vec<u32>,
    /// The case of each word, from one look at its letters ([`words::shape`]).
    shapes: Vec<u8>,
}

impl<'t> Words<'t> {
    fn word(&self, i: usize) -> &'t str {
        self.texts[i]
    }

    /// [`is_lower`] of word `i`.
    fn is_lower(&self, i: usize) -> bool {
        self.shapes[i] & words::LOWER != 0
    }

    /// [`is_capitalised`] of word `i`.
    fn is_capitalised(&self, i: usize) -> bool {
        self.shapes[i] & words::CAPITALISED != 0
    }

    /// True when word `i` is followed by word `i + 1` with one space between.
    fn joined(&self, i: usize) -> bool {
        i + 1 < self.spans.len()
            && self.spans[i + 1].start == self.spans[i].end + 1
            && self.text.as_bytes()[self.spans[i].end] == b' '
    }

    /// Takes the words of `sentence` (a span of the text) in place of those before: the
    /// table's when the sentence reads the same alone as in the whole text (most do), else
    /// the sentence's own, with ids past the table's (kept in `apart`): the answers kept by
    /// id depend only on the word, so a word read apart needs no id of the table's, which
    /// would take a lookup of every word of the table to find.
    fn read(&mut self, sentence: Span, table: &WordTable, apart: &mut Apart<'t>) {
        let text = self.text;
        self.spans.clear();
        self.texts.clear();
        self.ids.clear();
        self.shapes.clear();
        if from_table(table, text, sentence) {
            for i in table.starting_in(sentence) {
                let (span, id) = (table.span(i), table.id(i));
                self.spans.push(span);
                self.texts.push(span.text(text));
                self.ids.push(id);
                self.shapes.push(table.shape(id));
            }
            return;
        }
        for s in crate::segment::words::words(sentence.text(text)) {
            let span = Span::new(s.start + sentence.start, s.end + sentence.start);
            let word = span.text(text);
            let next = (table.distinct() + apart.len()) as u32;
            let id = *apart.entry(word).or_insert(next);
            self.spans.push(span);
            self.texts.push(word);
            self.ids.push(id);
            self.shapes.push(words::shape(word));
        }
    }
}

/// True when the words of `sentence` are the table's (see [`Words::read`]).
fn from_table(table: &WordTable, text: &str, sentence: Span) -> bool {
    let stretch = table.stretch();
    stretch.start <= sentence.start && sentence.end <= stretch.end && words::reads_alone_as_in_whole(text, sentence)
}

/// The ids of the words of sentences read apart, past the table's.
type Apart<'t> = HashMap<&'t str, u32>;

/// What is asked of words, kept by their ids: the answer to each question (a bit of `ANSWER`
/// below) and whether it was asked (the same bit shifted by 16).
struct Asked(Vec<u32>);

/// The word has two pinyin syllables or more, four letters or more and no apostrophe.
const PINYIN_NAME: u32 = 1;
/// An English dictionary knows the word.
const ENGLISH: u32 = 2;
/// The word splits into pinyin syllables.
const PINYIN: u32 = 4;
/// The word is one of the rule's surnames, as written.
const SURNAME: u32 = 8;
/// The word, lower-cased, is one of the rule's generic words.
const GENERIC: u32 = 16;
/// The word is one capitalised pinyin syllable.
const SYLLABLE: u32 = 32;
/// The word, as the gazetteer reads it, is the first word of some of its names.
const GAZETTEER: u32 = 64;
/// The word is a surname and a given name run together, not a name of the gazetteer nor an
/// English word ([`run_together`]'s tests on the word alone).
const RUN_TOGETHER: u32 = 128;
/// The sub-checks that may have a finding that starts at or needs the word: see
/// [`Ask::find_all`] (its answers kept per thread under this question's number).
const FINDS: u32 = 512;

/// A `lowercase-name` finding may start at the word.
const FINDS_LOWERCASE: u8 = 1;
/// The word may be a `run-together-name` finding.
const FINDS_RUN_TOGETHER: u8 = 2;
/// A `split-name` finding may start at the word, if the next word may too.
const FINDS_SPLIT: u8 = 4;
/// Every sub-check may have a finding.
const FINDS_ALL: u8 = FINDS_LOWERCASE | FINDS_RUN_TOGETHER | FINDS_SPLIT;
/// In [`Ask::find_all`]' vector: the word was asked.
const FINDS_ASKED: u8 = 128;

impl Asked {
    /// The answer to `question` about word `id`, if it was asked.
    #[inline]
    fn known(&self, id: u32, question: u32) -> Option<bool> {
        let kept = *self.0.get(id as usize)?;
        (kept & (question << 16) != 0).then_some(kept & question != 0)
    }

    /// The answer to `question` about word `id`, from `answer()` the first time it is asked.
    #[inline]
    fn ask(&mut self, id: u32, question: u32, answer: impl FnOnce() -> bool) -> bool {
        let id = id as usize;
        if id >= self.0.len() {
            self.0.resize(id + 1, 0);
        }
        let kept = self.0[id];
        if kept & (question << 16) != 0 {
            return kept & question != 0;
        }
        let yes = answer();
        self.0[id] |= question << 16 | if yes { question } else { 0 };
        yes
    }
}

impl Check for RomanizationCheck {
    /// A run-together name is judged by the surname written alone elsewhere in the document,
    /// and a split name by the name written whole elsewhere.
    fn document_wide(&self, _rule: RuleIdx) -> bool {
        true
    }

    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        let text = doc.text.as_str();
        let language = crate::packs::language_data(&doc.language);
        for rule in &self.rules {
            if !sink.is_active(rule.idx) {
                continue;
            }
            let needed_by = format!("rule {}", sink.rule(rule.idx).meta.id);
            // Loaded when a word needs it: most documents have no word that does.
            let dict = LazyEnglish::new(&rule.dictionary, needed_by);
            let have_dict = || dict.as_ref().is_some_and(|d| d.get().is_some());
            let english = |w: &str| dict.as_ref().and_then(LazyEnglish::get).is_some_and(|d| d.knows(w));
            let runs = |sub: Sub| rule.sub.is_none_or(|s| s == sub);
            // Surnames written alone, capitalised, somewhere in the document ("Mr Gong said").
            // Gathered when a run-together name first needs it: most documents have none.
            let standalone_surnames: std::cell::OnceCell<HashSet<&str>> = std::cell::OnceCell::new();
            let standalone = |surname: &str| {
                standalone_surnames
                    .get_or_init(|| {
                        crate::segment::words::words(text)
                            .map(|s| s.text(text))
                            .filter(|w| w.len() <= 6 && is_capitalised(w) && is_surname(&rule.surnames, w))
                            .collect()
                    })
                    .contains(surname)
            };
            // A name never runs across sentences: the words of one at a time, read from the
            // tables of the document's words, with what is asked of each distinct word kept.
            let sentences = doc.sentences();
            let mut next_sentence = 0;
            words::for_each_table(doc, |table| {
                let mut asked = Asked(vec![0; table.distinct()]);
                let mut apart = Apart::default();
                let mut words = Words {
                    text,
                    spans: Vec::new(),
                    texts: Vec::new(),
                    ids: Vec::new(),
                    shapes: Vec::new(),
                };
                let mut syllable = Vec::new();
                // The sentences that start in the table's stretch.
                let end = table.stretch().end;
                let mut ask = Ask {
                    rule,
                    table,
                    english: &english,
                    have_dict: &have_dict,
                    asked: &mut asked,
                    finds: vec![0; table.distinct()],
                };
                let hits = hits(table, text, &mut ask);
                let mut next_hit = 0;
                while let Some(&sentence) = sentences
                    .get(next_sentence)
                    .filter(|s| s.start < end || end == text.len())
                {
                    next_sentence += 1;
                    // Most sentences have no word that a finding needs: passed over, and the
                    // others read by the sub-checks that may find something in them.
                    let finds = if from_table(table, text, sentence) {
                        sentence_finds(table, &hits, sentence, &mut next_hit)
                    } else {
                        FINDS_ALL
                    };
                    if finds == 0 {
                        continue;
                    }
                    words.read(sentence, table, &mut apart);
                    if runs(Sub::Lowercase) && finds & FINDS_LOWERCASE != 0 {
                        lowercase_names(doc, language, &words, &mut ask, &have_dict, sink);
                    }
                    if runs(Sub::RunTogether) && finds & FINDS_RUN_TOGETHER != 0 && have_dict() {
                        run_together(&words, &mut ask, &standalone, sink);
                    }
                    if runs(Sub::Split) && finds & FINDS_SPLIT != 0 {
                        split_names(&words, &mut ask, &mut syllable, sink);
                    }
                }
            });
        }
    }
}

/// A rule with its dictionary, and what was asked of the words so far.
struct Ask<'a, 'r> {
    rule: &'r NameRule,
    /// The table the ids are of.
    table: &'a WordTable,
    english: &'a dyn Fn(&str) -> bool,
    /// The rule has an English dictionary (which this loads, if it was not yet).
    have_dict: &'a dyn Fn() -> bool,
    asked: &'a mut Asked,
    /// [`Ask::find_all`] of the table's words, with [`FINDS_ASKED`] once asked.
    finds: Vec<u8>,
}

/// A word of a table that a finding may need: its index, and the sub-checks of [`Ask::find_all`]
/// that may have one, [`FINDS_SPLIT`] only when the word before it, with one space between,
/// may start a split name too (the shortest split name is two such words).
#[derive(Debug, Clone, Copy)]
struct Hit {
    word: u32,
    finds: u8,
}

/// The [`Hit`]s of `table`, in order: [`Ask::find_all`] worked out once per distinct word, then
/// the words read that may be hits. Most words are no hit, and most sentences hold none: they
/// are passed over by [`sentence_finds`] without reading their words.
fn hits(table: &WordTable, text: &str, ask: &mut Ask<'_, '_>) -> Vec<Hit> {
    ask.find_all(text);
    let finds = &ask.finds;
    let mut hits = Vec::new();
    // The index and end of the last word that may start a split name.
    let mut split_before: Option<(usize, usize)> = None;
    for i in table.indices_where(|id| finds[id as usize] & !FINDS_ASKED != 0) {
        let i = i as usize;
        let f = finds[table.id(i) as usize] & !FINDS_ASKED;
        let mut kept = f & !FINDS_SPLIT;
        if f & FINDS_SPLIT != 0 {
            let span = table.span(i);
            let pair = split_before
                .is_some_and(|(k, end)| k + 1 == i && span.start == end + 1 && text.as_bytes()[end] == b' ');
            if pair {
                kept |= FINDS_SPLIT;
            }
            split_before = Some((i, span.end));
        }
        if kept != 0 {
            hits.push(Hit {
                word: i as u32,
                finds: kept,
            });
        }
    }
    hits
}

/// The sub-checks that may find something in `sentence`, whose words are the table's (see
/// [`from_table`]): those of its [`Hit`]s, `split-name` only where both words of the pair
/// are in the sentence.
///
/// `next` is an index into `hits`, moved to the first hit after the sentence: the sentences
/// are read in order, so that each hit is read once, not searched for.
fn sentence_finds(table: &WordTable, hits: &[Hit], sentence: Span, next: &mut usize) -> u8 {
    let start = |h: &Hit| table.start(h.word as usize);
    let mut p = *next;
    while p > 0 && start(&hits[p - 1]) >= sentence.start {
        p -= 1;
    }
    while p < hits.len() && start(&hits[p]) < sentence.start {
        p += 1;
    }
    let mut finds = 0;
    while let Some(h) = hits.get(p).filter(|h| start(h) < sentence.end) {
        let mut f = h.finds;
        if f & FINDS_SPLIT != 0 && table.start(h.word as usize - 1) < sentence.start {
            f &= !FINDS_SPLIT;
        }
        finds |= f;
        p += 1;
    }
    *next = p;
    finds
}

impl Ask<'_, '_> {
    /// For each word of the table, the sub-checks ([`FINDS_LOWERCASE`],
    /// [`FINDS_RUN_TOGETHER`], [`FINDS_SPLIT`]) that may have a finding needing it, by
    /// [`may_find`], kept per thread from document to document ([`words::remembered_each`]),
    /// with [`FINDS_ASKED`]. A sentence of the table with none of its words has no finding of
    /// that sub-check.
    fn find_all(&mut self, text: &str) {
        let (rule, english, have_dict, table) = (self.rule, self.english, self.have_dict, self.table);
        let asker = rule.asker | u64::from(FINDS.trailing_zeros());
        let finds = words::remembered_each(
            asker,
            table,
            |_| true,
            |id| may_find(rule, table.distinct_word(text, id), table.shape(id), english, have_dict),
        );
        for (kept, finds) in self.finds.iter_mut().zip(finds) {
            *kept = finds.unwrap_or(0) | FINDS_ASKED;
        }
    }

    /// False when word `id` (of [`Words`]) is the table's and [`Ask::find_all`] found that no
    /// finding of sub-check `sub` (a `FINDS_` bit) needs it: the sub-checks pass over it.
    #[inline]
    fn may_need(&self, id: u32, sub: u8) -> bool {
        match self.finds.get(id as usize) {
            Some(&f) if f & FINDS_ASKED != 0 => f & sub != 0,
            _ => true,
        }
    }

    /// [`Asked::ask`] for a question whose answer depends on the word (`word`, of id `id`)
    /// and the rule only: kept per thread from document to document too
    /// ([`words::remembered`]).
    fn kept(&mut self, id: u32, word: &str, question: u32, answer: impl FnOnce() -> bool) -> bool {
        if let Some(yes) = self.asked.known(id, question) {
            return yes;
        }
        let key = match (id as usize).checked_sub(self.table.distinct()) {
            None => self.table.key(id),
            Some(_) => words::word_key(word),
        };
        // The rule's asker with the question's bit number: each question has its own answers.
        let asker = self.rule.asker | u64::from(question.trailing_zeros());
        self.asked.ask(id, question, || {
            words::remembered(asker, key, || u8::from(answer())) != 0
        })
    }
}

/// See [`Ask::find_all`]: the sub-checks of `rule` with a finding that may need the word (of
/// [`words::shape`] `shape`), as far as the word alone and the dictionary (`english`, when
/// `have_dict`) tell. The sub-checks' tests on the word that every finding needs:
/// - `lowercase-name`: the first word of a gazetteer name ([`gazetteer_at`]); with a
///   dictionary, a lower-case pinyin name ([`Ask::name_like`]) or a lower-case surname that is
///   no English word (before a capitalised given name);
/// - `run-together-name`, with a dictionary: a surname and given name run together
///   ([`run_together_candidate`]);
/// - `split-name`: a capitalised syllable, as each word of a split name is.
fn may_find(
    rule: &NameRule,
    word: &str,
    shape: u8,
    english: &dyn Fn(&str) -> bool,
    have_dict: &dyn Fn() -> bool,
) -> u8 {
    let runs = |sub: Sub| rule.sub.is_none_or(|s| s == sub);
    let lower = shape & words::LOWER != 0;
    let mut finds = 0;
    if runs(Sub::Lowercase)
        && (gazetteer_entries_of(word, shape, rule).is_some()
            || (lower && (is_pinyin_name(word) || rule.surnames.contains(word)) && have_dict() && !english(word)))
    {
        finds |= FINDS_LOWERCASE;
    }
    // The dictionary last, as it is loaded when first asked.
    if runs(Sub::RunTogether) && run_together_candidate(rule, word, english) && have_dict() {
        finds |= FINDS_RUN_TOGETHER;
    }
    if runs(Sub::Split) && word.len() <= 6 && shape & words::CAPITALISED != 0 && pinyin::is_syllable_ignore_case(word) {
        finds |= FINDS_SPLIT;
    }
    finds
}

/// Two pinyin syllables or more, four letters or more and no apostrophe: a name, unless it is
/// an English word.
fn is_pinyin_name(word: &str) -> bool {
    word.len() >= 4 && !word.contains('\'') && pinyin::syllable_count(word).is_some_and(|c| c >= 2)
}

/// A capitalised surname and given name run together ([`run_together_parts`]) that is no
/// single-word name of the gazetteer nor an English word: [`run_together`]'s tests on the word
/// alone.
fn run_together_candidate(rule: &NameRule, word: &str, english: &dyn Fn(&str) -> bool) -> bool {
    run_together_parts(word, &rule.surnames).is_some()
        && !(rule.single_names.contains(&word.to_ascii_lowercase())
            || english(word)
            || english(&word.to_ascii_lowercase()))
}

impl Ask<'_, '_> {
    /// An English dictionary knows word `k`.
    fn english(&mut self, words: &Words<'_>, k: usize) -> bool {
        let (w, english) = (words.word(k), self.english);
        self.asked.ask(words.ids[k], ENGLISH, || english(w))
    }

    /// Word `k` is lower-case pinyin of a name, as far as the word alone tells: two syllables
    /// or more, and no English word (the dictionary last: most words are no pinyin, which
    /// costs less to tell).
    fn name_like(&mut self, words: &Words<'_>, k: usize) -> bool {
        let w = words.word(k);
        self.kept(words.ids[k], w, PINYIN_NAME, || is_pinyin_name(w)) && !self.english(words, k)
    }

    /// Word `k` splits into pinyin syllables.
    fn pinyin(&mut self, words: &Words<'_>, k: usize) -> bool {
        let w = words.word(k);
        self.kept(words.ids[k], w, PINYIN, || pinyin::split(w).is_some())
    }

    /// Word `k` is one of the rule's surnames as written.
    fn surname(&mut self, words: &Words<'_>, k: usize) -> bool {
        let (w, rule) = (words.word(k), self.rule);
        self.asked.ask(words.ids[k], SURNAME, || rule.surnames.contains(w))
    }

    /// Word `k`, lower-cased, is one of the rule's generic words.
    fn generic(&mut self, words: &Words<'_>, k: usize) -> bool {
        let (w, rule) = (words.word(k), self.rule);
        self.asked.ask(words.ids[k], GENERIC, || {
            rule.generics.contains(&w.to_ascii_lowercase())
        })
    }
}

/// The gazetteer entries whose first word is word `i` (as the gazetteer reads it: lower case,
/// straight apostrophes).
fn gazetteer_entries<'r>(words: &Words<'_>, rule: &'r NameRule, i: usize) -> Option<&'r Vec<Vec<String>>> {
    gazetteer_entries_of(words.word(i), words.shapes[i], rule)
}

/// The gazetteer entries whose first word is `w` ([`words::shape`] `shape`).
fn gazetteer_entries_of<'r>(w: &str, shape: u8, rule: &'r NameRule) -> Option<&'r Vec<Vec<String>>> {
    // Words are ASCII but for a curly apostrophe: the shape rules it out cheaply.
    if shape & words::CURLY != 0 && w.contains('’') {
        rule.names.get(&w.replace('’', "'").to_ascii_lowercase())
    } else if !rule.first_words.may_hold(w) {
        None
    } else if w.bytes().any(|b| b.is_ascii_uppercase()) {
        // Lower-cased on the stack: most capitalised words are no name of the gazetteer.
        let mut buf = [0u8; 48];
        let lower = buf.get_mut(..w.len())?;
        lower.copy_from_slice(w.as_bytes());
        lower.make_ascii_lowercase();
        rule.names.get(std::str::from_utf8(lower).ok()?)
    } else {
        rule.names.get(w)
    }
}

/// The gazetteer entry written at word `i`, as (words matched, entry).
fn gazetteer_at<'r>(words: &Words<'_>, ask: &mut Ask<'_, 'r>, i: usize) -> Option<(usize, &'r [String])> {
    let rule = ask.rule;
    if !ask.kept(words.ids[i], words.word(i), GAZETTEER, || {
        gazetteer_entries(words, rule, i).is_some()
    }) {
        return None;
    }
    let entries = gazetteer_entries(words, rule, i)?;
    entries.iter().find_map(|e| {
        let fits = (1..e.len())
            .all(|k| words.joined(i + k - 1) && words.word(i + k).replace('’', "'").eq_ignore_ascii_case(&e[k]));
        fits.then_some((e.len(), e.as_slice()))
    })
}

fn lowercase_names(
    doc: &Document,
    language: &LanguageData,
    words: &Words<'_>,
    ask: &mut Ask<'_, '_>,
    have_dict: &dyn Fn() -> bool,
    sink: &mut Sink<'_>,
) {
    let rule = ask.rule;
    let n = words.spans.len();
    let mut i = 0;
    while i < n {
        // Each finding below needs its first word to be a lower-case-name word of
        // [`may_find`]; the others are passed over without a question.
        if !ask.may_need(words.ids[i], FINDS_LOWERCASE) {
            i += 1;
            continue;
        }
        // A gazetteer name with a major word in lower case.
        if let Some((len, entry)) = gazetteer_at(words, ask, i) {
            let found: Vec<&str> = (i..i + len).map(|k| words.word(k)).collect();
            let lowered = found
                .iter()
                .zip(entry)
                .any(|(f, e)| !language.is_minor(&e.to_ascii_lowercase()) && is_lower(f) && !is_lower(e));
            let single_english = len == 1 && ask.english(words, i);
            // A one-word name is told from an English word only with a dictionary.
            if lowered && (len > 1 || have_dict()) && !single_english {
                let span = Span::new(words.spans[i].start, words.spans[i + len - 1].end);
                let mut fixed = entry.join(" ");
                if found[0].contains('’') {
                    fixed = fixed.replace('\'', "’");
                }
                // A single place name is certain; an institution's name may be used generically.
                let safety = if len == 1 {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                };
                sink.fix(rule.idx, span, &[], vec![Edit::replace(span, fixed)], safety);
            }
            i += len;
            continue;
        }
        if !have_dict() {
            i += 1;
            continue;
        }
        let w = words.word(i);
        // A lower-case name of two or more syllables, with a lower-case surname before it and
        // a lower-case generic word ("county") after it.
        // After a capitalised pinyin word it is a title in sentence case, as library
        // catalogues romanise them ("Zhanji hutao tie"): left alone.
        let after_pinyin = |ask: &mut Ask<'_, '_>| {
            i > 0 && words.joined(i - 1) && words.is_capitalised(i - 1) && ask.pinyin(words, i - 1)
        };
        if words.is_lower(i) && ask.name_like(words, i) && !after_pinyin(ask) {
            let mut first = i;
            if i > 0
                && words.joined(i - 1)
                && words.is_lower(i - 1)
                && ask.surname(words, i - 1)
                && !ask.english(words, i - 1)
            {
                first = i - 1;
            }
            let mut last = i;
            if words.joined(i) && words.is_lower(i + 1) && ask.generic(words, i + 1) {
                last = i + 1;
            }
            let span = Span::new(words.spans[first].start, words.spans[last].end);
            let fixed: Vec<String> = (first..=last).map(|k| capitalize(words.word(k))).collect();
            sink.fix(
                rule.idx,
                span,
                &[],
                vec![Edit::replace(span, fixed.join(" "))],
                Applicability::Safe,
            );
            i = last + 1;
            continue;
        }
        // A lower-case surname before a capitalised given name: "zhao Chunyue".
        // The tests on the words' letters first, the lookups after.
        if words.is_lower(i)
            && words.joined(i)
            && words.is_capitalised(i + 1)
            && ask.surname(words, i)
            && !ask.english(words, i)
            && ask.name_like(words, i + 1)
            && !doc.starts_sentence(words.spans[i].start)
        {
            let span = words.spans[i];
            sink.fix(
                rule.idx,
                span,
                &[],
                vec![Edit::replace(span, capitalize(w))],
                Applicability::Safe,
            );
        }
        i += 1;
    }
}

/// The syllables of a capitalised word that is a surname and a two-syllable given name run
/// together ("Gonghaijie", "ZhangHaiCong"), split one way only; with whether capitals mark
/// the syllables.
fn run_together_parts(word: &str, surnames: &HashSet<String>) -> Option<(String, String, bool)> {
    if !word.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let (ways, cuts) = pinyin::split(word)?;
    if cuts.len() != 3 {
        return None;
    }
    let caps: Vec<usize> = word
        .match_indices(|c: char| c.is_ascii_uppercase())
        .map(|(i, _)| i)
        .collect();
    let camel = caps.len() == 3 && cuts.iter().zip(&caps).all(|(r, c)| r.start == *c);
    if !(camel || (caps.len() == 1 && ways == 1)) {
        return None;
    }
    let surname = word[cuts[0].clone()].to_ascii_lowercase();
    if !surnames.contains(&surname) {
        return None;
    }
    let given = word[cuts[1].start..].to_ascii_lowercase();
    Some((capitalize(&surname), capitalize(&given), camel))
}

fn run_together(words: &Words<'_>, ask: &mut Ask<'_, '_>, standalone: &dyn Fn(&str) -> bool, sink: &mut Sink<'_>) {
    let rule = ask.rule;
    for (k, &span) in words.spans.iter().enumerate() {
        // The word is a run-together candidate only if [`may_find`] says it may be.
        if !ask.may_need(words.ids[k], FINDS_RUN_TOGETHER) {
            continue;
        }
        let w = words.word(k);
        // The tests on the word alone, once per word.
        let english = ask.english;
        let candidate = ask.kept(words.ids[k], w, RUN_TOGETHER, || {
            run_together_candidate(rule, w, english)
        });
        if !candidate {
            continue;
        }
        let Some((surname, given, camel)) = run_together_parts(w, &rule.surnames) else {
            continue;
        };
        // "Zhangjiajie County", "Shijiazhuang City": a place.
        if words.joined(k) && ask.generic(words, k + 1) {
            continue;
        }
        if !camel && !standalone(surname.as_str()) {
            continue;
        }
        let safety = if camel {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        };
        let fixed = format!("{surname} {given}");
        sink.fix(rule.idx, span, &[], vec![Edit::replace(span, fixed)], safety);
    }
}

/// A single-word place name of the gazetteer written as separate syllables ("Zheng Zhou"),
/// and capitalised single syllables before a generic word ("Bo Gu village"). `syllable` is a
/// buffer kept from sentence to sentence.
fn split_names(words: &Words<'_>, ask: &mut Ask<'_, '_>, syllable: &mut Vec<bool>, sink: &mut Sink<'_>) {
    let rule = ask.rule;
    let text = words.text;
    let n = words.spans.len();
    // The name written whole somewhere in the document.
    let whole = |name: &str| {
        text.match_indices(name)
            .any(|(at, _)| super::is_whole_word(text, Span::new(at, at + name.len())))
    };
    // Capitalised single syllables ("Zheng", "Bo"): only runs of them can be a split name.
    syllable.clear();
    syllable.extend((0..n).map(|k| {
        let w = words.word(k);
        // [`may_find`]'s test for `split-name`, when it was asked.
        ask.may_need(words.ids[k], FINDS_SPLIT)
            && w.len() <= 6
            && words.is_capitalised(k)
            && ask.kept(words.ids[k], w, SYLLABLE, || pinyin::is_syllable_ignore_case(w))
    }));
    let mut i = 0;
    while i < n {
        // Every split name starts with a syllable.
        if !syllable[i] {
            i += 1;
            continue;
        }
        let mut hit = None;
        for len in (2..=4).rev() {
            if i + len > n || !syllable[i..i + len].iter().all(|&s| s) || !(i..i + len - 1).all(|k| words.joined(k)) {
                continue;
            }
            let parts: Vec<&str> = (i..i + len).map(|k| words.word(k)).collect();
            if !parts
                .iter()
                .all(|p| is_capitalised(p) && pinyin::is_syllable_ignore_case(p))
            {
                continue;
            }
            let key = parts
                .iter()
                .map(|p| p.to_ascii_lowercase())
                .collect::<Vec<_>>()
                .join(" ");
            if let Some(name) = rule.by_syllables.get(&key) {
                let safety = if whole(name) {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                };
                hit = Some((len, name.clone(), safety));
                break;
            }
            let generic = i + len < n && words.joined(i + len - 1);
            let next = if generic { words.word(i + len) } else { "" };
            if rule.generics.contains(&next.to_ascii_lowercase()) && len >= 2 {
                let joined: String = capitalize(&key.replace(' ', ""));
                hit = Some((len + 1, format!("{joined} {}", capitalize(next)), Applicability::Unsafe));
                break;
            }
        }
        match hit {
            Some((len, fixed, safety)) => {
                let span = Span::new(words.spans[i].start, words.spans[i + len - 1].end);
                if span.text(text) != fixed {
                    sink.fix(rule.idx, span, &[], vec![Edit::replace(span, fixed)], safety);
                }
                i += len;
            }
            None => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_together_names_split_once() {
        let surnames: HashSet<String> = ["gong", "zhang", "wang"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            run_together_parts("Gonghaijie", &surnames),
            Some(("Gong".into(), "Haijie".into(), false))
        );
        assert_eq!(
            run_together_parts("ZhangHaiCong", &surnames),
            Some(("Zhang".into(), "Haicong".into(), true))
        );
        // Two syllables, or a first syllable that is no surname: left alone.
        assert_eq!(run_together_parts("Meicheng", &surnames), None);
        assert_eq!(run_together_parts("Huangshan", &surnames), None);
        assert_eq!(run_together_parts("gonghaijie", &surnames), None);
    }
}
