//! Capitalisation judged from the document itself, with no term list:
//! - `distinctive-case`: a word the document writes with an inner capital somewhere (`MySQL`,
//!   `RocksDB`, `sendGroup`) written otherwise elsewhere (`mysql`, `Rocksdb`);
//! - `heading-start`: a Markdown heading that starts with a lower-case word (`## motivation`);
//! - `paragraph-start`: a paragraph of prose in a plain-text file that starts with a lower-case
//!   word (`the meeting pointed out, …`);
//! - `after-semicolon`: a word that starts sentences capitalised after a semicolon (`; More`).

use super::super::{RuleIdx, Sink};
use crate::document::Document;
use crate::formats::InputFormat;
use crate::span::Span;

/// ASCII words of three letters or more, with their spans; a word glued to `.`, `_`, `-`, `/`,
/// `@`, `\` or a digit is part of an identifier, a file name or a path and is skipped.
#[cfg(test)]
fn words(text: &str) -> impl Iterator<Item = Span> + '_ {
    read_words(text).map(|w| w.span)
}

/// True when the run of ASCII letters at `start..end` (with no ASCII letter on either side) is
/// one of the [`words`]: three letters or more, glued to no identifier or path character, and
/// no part of a longer word with letters beyond ASCII.
fn is_word(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let glued = |b: u8| b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-' | b'/' | b'@' | b'\\' | b'$' | b'#');
    let before = start.checked_sub(1).map(|k| bytes[k]);
    let after = bytes.get(end).copied();
    // A full stop after a word ends a sentence unless a letter follows it.
    let dot_ends = after == Some(b'.') && bytes.get(end + 1).is_none_or(|b| !b.is_ascii_alphanumeric());
    // Part of a longer word with letters beyond ASCII (`café`); an ASCII neighbour is
    // no letter (the word would have gone on), so only a non-ASCII one is decoded.
    let letter_beside = (before.is_some_and(|b| !b.is_ascii())
        && text[..start].chars().next_back().is_some_and(char::is_alphabetic))
        || (after.is_some_and(|b| !b.is_ascii()) && text[end..].chars().next().is_some_and(char::is_alphabetic));
    end - start >= 3 && !before.is_some_and(glued) && (dot_ends || !after.is_some_and(glued)) && !letter_beside
}

/// Maps keyed by words in lower case, read for every word of a document: a fast hash.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// Calls `f` with `word` lower-cased, on the stack when it is short (as words are), so that
/// maps keyed by lower-case words are looked up without allocating.
fn with_lower<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 64];
    match buf.get_mut(..word.len()) {
        Some(lower) => {
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            // ASCII case changes keep the bytes valid UTF-8.
            f(std::str::from_utf8(lower).unwrap_or(word))
        }
        None => f(&word.to_ascii_lowercase()),
    }
}

/// How a word is written: with a capital after its first letter (`MySQL`, `sendGroup`), in
/// capitals (`PBFT`), capitalised (`Json`), or in lower case.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    Inner,
    Upper,
    Capitalised,
    Lower,
}

fn shape(word: &str) -> Shape {
    let b = word.as_bytes();
    if b.iter().all(u8::is_ascii_uppercase) {
        Shape::Upper
    } else if b[1..].iter().any(u8::is_ascii_uppercase) {
        Shape::Inner
    } else if b[0].is_ascii_uppercase() {
        Shape::Capitalised
    } else {
        Shape::Lower
    }
}

/// A word of [`words`] with its [`Shape`], as [`read_words`] gives it.
#[derive(Clone, Copy, Debug)]
struct Word {
    span: Span,
    shape: Shape,
}

/// The words of `text` (see [`words`]) with their shapes, read as they come: the reading
/// [`distinctive_case`] makes faster by looking at capitals only (the tests compare the two).
#[cfg(test)]
fn read_words(text: &str) -> impl Iterator<Item = Word> + '_ {
    letter_runs_plainly(text.as_bytes()).filter_map(move |(start, end)| word_at(text, start, end))
}

/// The word of [`words`] at the run of ASCII letters `start..end` (with no ASCII letter on
/// either side), with its shape; `None` when the run is no such word.
fn word_at(text: &str, start: usize, end: usize) -> Option<Word> {
    if end - start < 3 || !is_word(text, start, end) {
        return None;
    }
    let b = &text.as_bytes()[start..end];
    let upper = b.iter().filter(|c| c.is_ascii_uppercase()).count();
    let first_upper = b[0].is_ascii_uppercase();
    // As [`shape`] says.
    let shape = if upper == b.len() {
        Shape::Upper
    } else if upper > usize::from(first_upper) {
        Shape::Inner
    } else if first_upper {
        Shape::Capitalised
    } else {
        Shape::Lower
    };
    Some(Word {
        span: Span::new(start, end),
        shape,
    })
}

/// The runs of ASCII letters of `b` (each as wide as it goes), as `(start, end)`, read one
/// byte at a time: what [`letter_runs`] finds faster (the tests compare the two).
#[cfg(test)]
fn letter_runs_plainly(b: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !b[i].is_ascii_alphabetic() {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        Some((start, i))
    })
}

/// One bit per byte of a block of 64 bytes of `b` from `at` (fewer at the end): set for the
/// ASCII letters.
#[inline(always)]
fn letter_bits(b: &[u8], at: usize) -> u64 {
    crate::segment::blocks::mask_from(b, at, crate::segment::blocks::is_ascii_letter)
}

/// The runs of ASCII letters of `b` (each as wide as it goes), as `(start, end)`, in order:
/// found from [`letter_bits`], 64 bytes at a time, with no test per byte.
fn letter_runs(b: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    // The block read, its letters, the runs left to give in it, and whether a run goes on
    // from the block before.
    let (mut block, mut bits, mut starts, mut carried) = (0usize, 0u64, 0u64, false);
    let mut first = true;
    std::iter::from_fn(move || loop {
        if starts != 0 {
            let k = starts.trailing_zeros() as usize;
            starts &= starts - 1;
            let start = block + k;
            let ones = (bits >> k).trailing_ones() as usize;
            let mut end = start + ones;
            if k + ones == 64 {
                // The run goes on past the block.
                end = b[end..]
                    .iter()
                    .position(|c| !c.is_ascii_alphabetic())
                    .map_or(b.len(), |i| end + i);
            }
            return Some((start, end));
        }
        if first {
            first = false;
        } else {
            carried = bits >> 63 == 1;
            block += 64;
        }
        if block >= b.len() {
            return None;
        }
        bits = letter_bits(b, block);
        starts = bits & !((bits << 1) | u64::from(carried));
    })
}

/// The run of ASCII letters holding the letter at `at`, as `(start, end)`.
fn run_around(b: &[u8], at: usize) -> (usize, usize) {
    let start = b[..at]
        .iter()
        .rposition(|c| !c.is_ascii_alphabetic())
        .map_or(0, |i| i + 1);
    let end = b[at..]
        .iter()
        .position(|c| !c.is_ascii_alphabetic())
        .map_or(b.len(), |i| at + i);
    (start, end)
}

/// The offsets of a document's ASCII capitals and of the first bytes of its characters beyond
/// ASCII, in order: where the sub-checks that start from capitals (`distinctive-case`,
/// `mid-sentence-capital`, `name-variants`) look, found once per document for all of them,
/// 64 bytes at a time. Capitals are few beside the other bytes.
pub(super) struct Capitals {
    /// The offsets, four bytes each, counted before they are stored so that the list takes
    /// no more room than it needs: one line of 200 MB holds eight million capitals.
    at: Vec<u32>,
    /// The offsets instead, for a text of 4 GiB or more.
    wide: Vec<usize>,
}

impl Capitals {
    pub(super) fn new(text: &str) -> Self {
        if u32::try_from(text.len()).is_err() {
            return Capitals {
                at: Vec::new(),
                wide: Self::scan(text).collect(),
            };
        }
        // A large text is read twice, to count the capitals first, so that the list takes no
        // more room than it needs; a smaller one once, its list grown as it goes.
        let mut at = Vec::new();
        if text.len() > crate::segment::words::WHOLE {
            at.reserve_exact(Self::scan(text).count());
        }
        at.extend(Self::scan(text).map(|i| i as u32));
        Capitals { at, wide: Vec::new() }
    }

    /// The offsets, found 64 bytes at a time.
    fn scan(text: &str) -> impl Iterator<Item = usize> + '_ {
        let b = text.as_bytes();
        // A byte from 0xC0 starts a character beyond ASCII (the bytes 0x80..0xC0 continue one).
        let class = |c: u8| c.is_ascii_uppercase() || c >= 0xC0;
        use crate::segment::blocks::{mask_from, offsets, BLOCK};
        (0..b.len())
            .step_by(BLOCK)
            .flat_map(move |block| offsets(block, mask_from(b, block, class)))
    }

    /// The offsets of the ASCII capitals of `text` (the text these were read from), in order.
    pub(super) fn ascii<'a>(&'a self, text: &'a str) -> impl Iterator<Item = usize> + 'a {
        let b = text.as_bytes();
        self.or_beyond_ascii().filter(move |&i| b[i].is_ascii_uppercase())
    }

    /// The offsets of the ASCII capitals and of the characters beyond ASCII, in order.
    pub(super) fn or_beyond_ascii(&self) -> impl Iterator<Item = usize> + '_ {
        self.at.iter().map(|&i| i as usize).chain(self.wide.iter().copied())
    }
}

/// The words of `text` that hold a capital (see [`words`]), in order: a word in capitals, with
/// an inner capital or capitalised. Only these start the forms `distinctive-case` compares.
fn words_with_capitals<'a>(text: &'a str, capitals: &'a Capitals) -> impl Iterator<Item = Word> + 'a {
    words_with_capitals_if(text, capitals, |_| true)
}

/// [`words_with_capitals`] whose letters `admits` takes: the others are not read as words.
fn words_with_capitals_if<'a>(
    text: &'a str,
    capitals: &'a Capitals,
    admits: impl Fn(&str) -> bool + 'a,
) -> impl Iterator<Item = Word> + 'a {
    let b = text.as_bytes();
    let mut done = 0;
    capitals.ascii(text).filter_map(move |at| {
        if at < done {
            return None;
        }
        let (start, end) = run_around(b, at);
        done = end;
        if !admits(&text[start..end]) {
            return None;
        }
        word_at(text, start, end)
    })
}

/// At most this many keys of [`Acronyms`] and [`InnerCapitals`] are looked for one by one in
/// the text (in lower case); with more, every word of the text is read.
const KEYS_LOOKED_FOR: usize = 16;

/// The keys of the acronyms and of the words with an inner capital, to look for in lower case
/// one by one, each with whether every form of it is wanted (a word with an inner capital's)
/// or only the first (an acronym's, which says only that it has one): `None` when there are
/// too many ([`KEYS_LOOKED_FOR`]).
fn looked_for(acronyms: &Acronyms, forms: &InnerCapitals) -> Option<Vec<(String, bool)>> {
    let keys = || {
        acronyms
            .upper
            .keys()
            .chain(forms.forms.keys().filter(|k| !acronyms.upper.contains_key(*k)))
    };
    if keys().count() > KEYS_LOOKED_FOR {
        return None;
    }
    Some(keys().map(|k| (k.clone(), forms.forms.contains_key(k))).collect())
}

/// The words of `text` in lower case that are `key` (in lower case), in order: a word in
/// lower case is its key, so the key is looked for as bytes, and kept where no ASCII letter
/// is beside it (where the text's run of letters is the key) and it is a word.
fn lower_forms<'a>(text: &'a str, key: &'a str) -> impl Iterator<Item = Word> + 'a {
    let b = text.as_bytes();
    memchr::memmem::find_iter(b, key.as_bytes()).filter_map(move |at| {
        let end = at + key.len();
        let alone = (at == 0 || !b[at - 1].is_ascii_alphabetic()) && !b.get(end).is_some_and(u8::is_ascii_alphabetic);
        alone.then(|| word_at(text, at, end)).flatten()
    })
}

/// For a capitalised word `first` after a lower-case word, one space apart, followed by a
/// word one space apart (`through User agent`): the span of `first` and that word, and that
/// word's shape. These are the pairs a reading of every word finds with [`Pairs`].
fn pair_after_lower(text: &str, first: Word) -> Option<(Span, Shape)> {
    let b = text.as_bytes();
    let (start, end) = (first.span.start, first.span.end);
    if first.shape != Shape::Capitalised || start < 2 || b[start - 1] != b' ' || !b[start - 2].is_ascii_alphabetic() {
        return None;
    }
    // The bytes after the word first: they cost less to read than the word before.
    if b.get(end) != Some(&b' ') || !b.get(end + 1).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let (before_start, _) = run_around(b, start - 2);
    if word_at(text, before_start, start - 1)?.shape != Shape::Lower {
        return None;
    }
    let (_, second_end) = run_around(b, end + 1);
    let second = word_at(text, end + 1, second_end)?;
    Some((Span::new(start, second_end), second.shape))
}

/// The lengths and first letters of a set of lower-case keys, so that a word whose length or
/// first letter no key has is not lower-cased and hashed (few words of a document are keys).
#[derive(Default)]
pub(super) struct KeyFilter {
    /// Bit `n`: a key of `n` bytes (63: 63 bytes or more).
    lengths: u64,
    /// Bit `n`: a key whose first byte is the `n`th ASCII letter (26: anything else).
    firsts: u32,
}

impl KeyFilter {
    fn length_bit(s: &str) -> u64 {
        1 << s.len().min(63)
    }

    fn first_bit(s: &str) -> u32 {
        match s.as_bytes().first() {
            Some(b) if b.is_ascii_alphabetic() => 1 << (b.to_ascii_lowercase() - b'a'),
            _ => 1 << 26,
        }
    }

    pub(super) fn add(&mut self, key: &str) {
        self.lengths |= Self::length_bit(key);
        self.firsts |= Self::first_bit(key);
    }

    /// False when `word`, in any case, cannot be one of the keys added.
    pub(super) fn admits(&self, word: &str) -> bool {
        self.lengths & Self::length_bit(word) != 0 && self.firsts & Self::first_bit(word) != 0
    }
}

/// The three comparisons of `distinctive-case`, over two readings of the document: the first
/// gathers what the document writes distinctively (acronyms in capitals, two-word names in
/// title case, words with an inner capital: few), and the two-word names with their second
/// word in lower case, from the words with a capital only; the second the other forms of the
/// acronyms and words with an inner capital only, from the words whose length and first
/// letter one of them has.
pub fn distinctive_case(doc: &Document, capitals: &Capitals, rule: RuleIdx, sink: &mut Sink<'_>) {
    let text = &doc.text;
    let mut acronyms = Acronyms::default();
    let mut titles = TitlePairs::default();
    let mut forms = InnerCapitals::default();
    // The pairs with their second word in lower case, compared once the title-case ones are
    // all counted: kept up to `KEPT_PAIRS`, found again beyond (one line of 200 MB holds
    // eight million of them, and kept, they took more memory than its text).
    const KEPT_PAIRS: usize = 1 << 16;
    let mut lower_pairs: Option<Vec<Span>> = Some(Vec::new());
    for word in words_with_capitals(text, capitals) {
        match word.shape {
            Shape::Upper => acronyms.count(text, word.span),
            Shape::Inner => forms.add(word.span.text(text)),
            Shape::Capitalised => match pair_after_lower(text, word) {
                Some((pair, Shape::Capitalised)) => titles.count(text, pair),
                Some((pair, Shape::Lower)) => match &mut lower_pairs {
                    Some(kept) if kept.len() < KEPT_PAIRS => kept.push(pair),
                    _ => lower_pairs = None,
                },
                _ => {}
            },
            Shape::Lower => {}
        }
    }
    acronyms.keep_repeated();
    titles.keep_repeated();
    if acronyms.is_empty() && titles.is_empty() && forms.is_empty() {
        return;
    }
    let mut acronym_forms = AcronymForms::new(&acronyms);
    if !acronyms.is_empty() || !forms.is_empty() {
        let either = KeyFilter {
            lengths: acronym_forms.filter.lengths | forms.filter.lengths,
            firsts: acronym_forms.filter.firsts | forms.filter.firsts,
        };
        let keys = looked_for(&acronyms, &forms);
        let mut see = |word: Word| {
            acronym_forms.see(text, word);
            forms.see(text, word.span);
        };
        match keys {
            // The words with a capital, then the lower-case forms of each key.
            Some(keys) => {
                words_with_capitals_if(text, capitals, |w| either.admits(w)).for_each(&mut see);
                for (key, every) in keys {
                    let hits = lower_forms(text, &key);
                    if every {
                        hits.for_each(&mut see);
                    } else {
                        hits.take(1).for_each(&mut see);
                    }
                }
                // Each word's forms in the order of the text, as a reading of every word
                // finds them.
                forms
                    .forms
                    .values_mut()
                    .for_each(|spans| spans.sort_unstable_by_key(|s| s.start));
            }
            None => {
                for (start, end) in letter_runs(text.as_bytes()) {
                    if !either.admits(&text[start..end]) {
                        continue;
                    }
                    if let Some(word) = word_at(text, start, end) {
                        see(word);
                    }
                }
            }
        }
    }
    if !titles.is_empty() {
        match lower_pairs {
            Some(kept) => kept.into_iter().for_each(|pair| titles.see_lower(text, pair)),
            None => {
                for word in words_with_capitals(text, capitals) {
                    if let (Shape::Capitalised, Some((pair, Shape::Lower))) = (word.shape, pair_after_lower(text, word))
                    {
                        titles.see_lower(text, pair);
                    }
                }
            }
        }
    }
    acronym_forms.report(doc, rule, sink);
    titles.report(text, rule, sink);
    forms.report(text, rule, sink);
}

/// Words written with an inner capital (`MySQL`), by lower-case key, with the spans of every
/// written form of them once [`InnerCapitals::see`] has read the document.
#[derive(Default)]
struct InnerCapitals {
    forms: HashMap<String, Vec<Span>>,
    filter: KeyFilter,
}

impl InnerCapitals {
    fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// Adds a word with an inner capital.
    fn add(&mut self, w: &str) {
        if !with_lower(w, |l| self.forms.contains_key(l)) {
            let key = w.to_ascii_lowercase();
            self.filter.add(&key);
            self.forms.insert(key, Vec::new());
        }
    }

    /// Notes the word at `span` when it is a form of one of the words added.
    fn see(&mut self, text: &str, span: Span) {
        let w = span.text(text);
        if self.forms.is_empty() || !self.filter.admits(w) {
            return;
        }
        if let Some(spans) = with_lower(w, |l| self.forms.get_mut(l)) {
            spans.push(span);
        }
    }

    /// Reports the other forms of a word whose usual form has an inner capital.
    fn report(&self, text: &str, rule: RuleIdx, sink: &mut Sink<'_>) {
        for spans in self.forms.values() {
            if spans.len() < 2 {
                continue;
            }
            // The distinctive form: written with an inner capital, and always the same way.
            let mut distinctive: Option<&str> = None;
            let mut ambiguous = false;
            for &s in spans {
                let w = s.text(text);
                // Only an inner capital marks a name: a word in capitals may be an acronym
                // (`PBFT`) or a common word in emphasis, a constant or a headline (`ERROR`).
                if shape(w) == Shape::Inner {
                    match distinctive {
                        None => distinctive = Some(w),
                        Some(d) if d != w => ambiguous = true,
                        _ => {}
                    }
                }
            }
            let (Some(right), false) = (distinctive, ambiguous) else {
                continue;
            };
            // The distinctive form must be the document's usual one: written at least as often
            // as all its other forms together (`pArty` once beside `Party` twice is a slip).
            let usual = spans.iter().filter(|s| s.text(text) == right).count();
            if usual * 2 < spans.len() {
                continue;
            }
            for &s in spans {
                let w = s.text(text);
                let flagged = match shape(w) {
                    Shape::Lower => true,
                    // `Json` for `JSON`; a capitalised sentence start of `mysql` is still wrong.
                    Shape::Capitalised => true,
                    Shape::Upper => false,
                    Shape::Inner => w != right,
                };
                if flagged {
                    written_elsewhere(rule, s, right, sink);
                }
            }
        }
    }
}

/// Reports `span` as a form of the word or name the document writes as `right` elsewhere,
/// with `right` as an unsafe fix.
pub(super) fn written_elsewhere(rule: RuleIdx, span: Span, right: &str, sink: &mut Sink<'_>) {
    let problem = format!("written \"{right}\" elsewhere in this document");
    super::suggest(rule, span, &problem, right, sink);
}

/// The line holding `at`: from after the line break before it to the next line break (or the
/// text's end).
fn line_around(text: &str, at: usize) -> Span {
    let b = text.as_bytes();
    let start = memchr::memrchr(b'\n', &b[..at]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |i| at + i);
    Span::new(start, end)
}

/// True when `line` has at least as many capitals as small letters.
fn is_shouted(line: &[u8]) -> bool {
    let upper = line.iter().filter(|b| b.is_ascii_uppercase()).count();
    let lower = line.iter().filter(|b| b.is_ascii_lowercase()).count();
    upper >= lower
}

/// True when the line holding `at` is shouted: it has at least as many capitals as small
/// letters (a headline or a banner in capitals).
#[cfg(test)]
fn in_shouted_line(text: &str, at: usize) -> bool {
    let line = line_around(text, at);
    is_shouted(&text.as_bytes()[line.start..line.end])
}

/// An acronym the document writes in capitals (`LUCI` twice or more, in lines of ordinary
/// prose) written capitalised mid-sentence elsewhere (`president of Luci`). Left alone when the
/// word is also written in lower case anywhere (`WHO` / `who`: a common word, not a slip), or
/// with an inner capital, or when the capitalised form is not rare beside the capitals.
///
/// The words in capitals outside shouted lines, by lower-case key: how often, and the first.
#[derive(Default)]
struct Acronyms {
    upper: HashMap<String, (usize, Option<Span>)>,
    /// The last line read and whether it is shouted: words in capitals come in runs on a line.
    line: Option<(Span, bool)>,
}

impl Acronyms {
    fn is_empty(&self) -> bool {
        self.upper.is_empty()
    }

    /// Counts a word in capitals at `span`, unless its line is shouted.
    fn count(&mut self, text: &str, span: Span) {
        let shouted = match self.line {
            Some((l, shouted)) if l.start <= span.start && span.start < l.end => shouted,
            _ => {
                let l = line_around(text, span.start);
                let shouted = is_shouted(&text.as_bytes()[l.start..l.end]);
                self.line = Some((l, shouted));
                shouted
            }
        };
        if shouted {
            return;
        }
        let w = span.text(text);
        match with_lower(w, |l| self.upper.get_mut(l)) {
            Some(e) => e.0 += 1,
            None => {
                self.upper.insert(w.to_ascii_lowercase(), (1, Some(span)));
            }
        }
    }

    /// Keeps the acronyms written in capitals twice or more.
    fn keep_repeated(&mut self) {
        self.upper.retain(|_, (n, _)| *n >= 2);
    }
}

/// The other forms of the [`Acronyms`]: per acronym, its capitalised spans and whether another
/// form (lower case, inner capital) exists.
struct AcronymForms<'a> {
    acronyms: &'a Acronyms,
    filter: KeyFilter,
    others: HashMap<&'a str, (Vec<Span>, bool)>,
}

impl<'a> AcronymForms<'a> {
    fn new(acronyms: &'a Acronyms) -> Self {
        let mut filter = KeyFilter::default();
        for key in acronyms.upper.keys() {
            filter.add(key);
        }
        AcronymForms {
            acronyms,
            filter,
            others: HashMap::default(),
        }
    }

    /// Notes `word` when it is a form of one of the acronyms.
    fn see(&mut self, text: &str, word: Word) {
        let w = word.span.text(text);
        if self.acronyms.is_empty() || !self.filter.admits(w) {
            return;
        }
        let upper = &self.acronyms.upper;
        let Some((k, _)) = with_lower(w, |l| upper.get_key_value(l)) else {
            return;
        };
        let entry = self.others.entry(k.as_str()).or_default();
        match word.shape {
            Shape::Capitalised => entry.0.push(word.span),
            Shape::Lower | Shape::Inner => entry.1 = true,
            Shape::Upper => {}
        }
    }

    /// Reports the capitalised forms of an acronym written in capitals far more often.
    fn report(self, doc: &Document, rule: RuleIdx, sink: &mut Sink<'_>) {
        let text = &doc.text;
        let acronyms = self.acronyms;
        for (key, (capitalised, other_form)) in self.others {
            let (count, Some(first)) = acronyms.upper[key] else {
                continue;
            };
            if other_form || capitalised.is_empty() || count < 2 * capitalised.len() {
                continue;
            }
            let right = first.text(text);
            for s in capitalised {
                if doc.starts_sentence(s.start) {
                    continue;
                }
                written_elsewhere(rule, s, right, sink);
            }
        }
    }
}

/// Follows the words of a document as they are read (the reading [`pair_after_lower`] makes
/// faster, compared in the tests), keeping the two before the current one,
/// to find each pair of words after a lower-case word, one space apart, whose first word is
/// capitalised (`through User agent`).
#[cfg(test)]
#[derive(Default)]
struct Pairs {
    before: Option<Word>,
    first: Option<Word>,
}

#[cfg(test)]
impl Pairs {
    /// Takes the next word: when it ends such a pair, the pair's span and its second word's
    /// shape.
    fn next(&mut self, text: &str, second: Word) -> Option<(Span, Shape)> {
        let spaced = |a: Span, b: Span| &text[a.end..b.start] == " ";
        let found = match (self.before, self.first) {
            (Some(before), Some(first))
                if before.shape == Shape::Lower
                    && first.shape == Shape::Capitalised
                    && spaced(before.span, first.span)
                    && spaced(first.span, second.span) =>
            {
                Some((Span::new(first.span.start, second.span.end), second.shape))
            }
            _ => None,
        };
        (self.before, self.first) = (self.first, Some(second));
        found
    }
}

/// A two-word name the document writes in title case mid-sentence at least twice (`through
/// the User Agent`) written once or more, but less often, with its second word in lower case
/// (`through User agent`). Only occurrences after a lower-case word are compared, so headings,
/// titles and sentence starts count for neither form.
#[derive(Default)]
struct TitlePairs {
    /// The names in title case, by lower-case key: how often, and the first.
    titles: HashMap<String, (usize, Span)>,
    /// The same names with the second word in lower case.
    lower: HashMap<String, Vec<Span>>,
}

impl TitlePairs {
    fn is_empty(&self) -> bool {
        self.titles.is_empty()
    }

    /// Counts a pair in title case.
    fn count(&mut self, text: &str, span: Span) {
        let pair = span.text(text);
        if let Some(e) = with_lower(pair, |l| self.titles.get_mut(l)) {
            e.0 += 1;
        } else {
            self.titles.insert(pair.to_ascii_lowercase(), (1, span));
        }
    }

    /// Keeps the names written in title case twice or more.
    fn keep_repeated(&mut self) {
        self.titles.retain(|_, (n, _)| *n >= 2);
    }

    /// Notes a pair with its second word in lower case when it is one of the names.
    fn see_lower(&mut self, text: &str, span: Span) {
        if let Some((key, _)) = with_lower(span.text(text), |l| self.titles.get_key_value(l)) {
            self.lower.entry(key.clone()).or_default().push(span);
        }
    }

    /// Reports the lower-case forms rarer than the title-case one.
    fn report(self, text: &str, rule: RuleIdx, sink: &mut Sink<'_>) {
        for (key, spans) in self.lower {
            let (count, first) = self.titles[&key];
            if spans.len() >= count {
                continue;
            }
            let right = first.text(text);
            for s in spans {
                written_elsewhere(rule, s, right, sink);
            }
        }
    }
}

/// A paragraph of prose in a plain-text file that starts with a word in lower case: machine
/// translation of a paragraph whose Chinese subject it dropped or moved (`the meeting pointed
/// out, …`). Only paragraphs of six words or more with a sentence end are read, and not those
/// after a colon, comma, semicolon, dash or bracket, which continue what comes before.
pub fn paragraph_start(doc: &Document, rule: RuleIdx, sink: &mut Sink<'_>) {
    if doc.format != InputFormat::Text {
        return;
    }
    let text = &doc.text;
    for &p in doc.paragraphs() {
        let para = p.text(text);
        let Some(first_len) = lower_case_opening(para) else {
            continue;
        };
        if continues_text(&text[..p.start]) {
            continue;
        }
        let span = Span::new(p.start, p.start + first_len);
        let capital = super::super::capitalize(span.text(text));
        super::suggest(rule, span, "paragraph starts in lower case", &capital, sink);
    }
}

/// The length of the lower-case word a paragraph of prose opens with: a paragraph of six
/// words or more holding a sentence end, whose first word is ASCII lower case and followed by a
/// space (`the meeting pointed out …`, not `e.g.` or `www.example.com`).
fn lower_case_opening(para: &str) -> Option<usize> {
    let len = para.bytes().take_while(u8::is_ascii_lowercase).count();
    // The cheap test first: most paragraphs start with a capital.
    if len == 0 || para.as_bytes().get(len) != Some(&b' ') {
        return None;
    }
    let prose = para.split_whitespace().nth(5).is_some() && para.contains(['.', '!', '?']);
    prose.then_some(len)
}

/// True when the text before a paragraph leaves it to continue a sentence: it ends with a
/// colon, comma, semicolon, dash, opening bracket, slash or ampersand; or, with no empty line
/// between them, the line before ends without a sentence end (a hard-wrapped paragraph).
fn continues_text(before: &str) -> bool {
    let trimmed = before.trim_end();
    if trimmed.ends_with([':', ',', ';', '-', '–', '—', '(', '[', '/', '&']) {
        return true;
    }
    let empty_line_between = before[trimmed.len()..].matches('\n').count() >= 2;
    !empty_line_between
        && !trimmed.is_empty()
        && !trimmed.ends_with(['.', '!', '?', '"', '\'', '”', '’', ')', '。', '！', '？'])
}

/// True when `before` (the text up to a semicolon) ends with the start of a character
/// reference (`&emsp`, `&#160`), so the semicolon closes it and is no punctuation.
fn ends_character_reference(before: &str) -> bool {
    before
        .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '#')
        .ends_with('&')
}

/// A word that starts sentences (the language's `starters`: `More`, `The`, `It`) capitalised
/// right after a semicolon, which does not end a sentence (`; More study`). The word after it
/// must be in lower case, so a name (`; The Hague`) is left alone; `I` stays capital.
pub fn after_semicolon(doc: &Document, rule: RuleIdx, sink: &mut Sink<'_>) {
    let text = &doc.text;
    let language = crate::packs::language_data(&doc.language);
    let starter = |lower: &str| {
        lower != "i"
            && language
                .sentences
                .iter()
                .any(|d| d.starters.iter().any(|s| s.eq_ignore_ascii_case(lower)))
    };
    for at in memchr::memchr_iter(b';', text.as_bytes()) {
        if ends_character_reference(&text[..at]) {
            continue;
        }
        let rest = &text[at + 1..];
        let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        if gap == 0 {
            continue;
        }
        let start = at + 1 + gap;
        let word_len = text[start..].bytes().take_while(u8::is_ascii_alphabetic).count();
        let span = Span::new(start, start + word_len);
        let w = span.text(text);
        if word_len < 2 || shape(w) != Shape::Capitalised || !starter(&w.to_ascii_lowercase()) {
            continue;
        }
        let after = &text[span.end..];
        let next_lower = after
            .strip_prefix(' ')
            .is_some_and(|r| r.bytes().next().is_some_and(|b| b.is_ascii_lowercase()));
        if !next_lower {
            continue;
        }
        let lower = w.to_ascii_lowercase();
        super::suggest(rule, span, "capitalised after a semicolon", &lower, sink);
    }
}

pub fn heading_start(doc: &Document, rule: RuleIdx, sink: &mut Sink<'_>) {
    // Markdown headings, and the same `#` lines in plain text converted from Markdown.
    if !matches!(doc.format, InputFormat::Markdown | InputFormat::Text) {
        return;
    }
    let text = &doc.text;
    let mut seen = None;
    for line in doc.lines() {
        // In Markdown the `#` marker is masked, outside the line's prose region: read it from
        // the physical line.
        let from = text[..line.start].rfind('\n').map_or(0, |i| i + 1);
        if seen == Some(from) {
            continue;
        }
        seen = Some(from);
        let l = &text[from..line.end];
        let hashes = l.bytes().take_while(|&b| b == b'#').count();
        if !(1..=6).contains(&hashes) || !l[hashes..].starts_with(' ') {
            continue;
        }
        let title = l[hashes..].trim();
        // A heading that names code (`console.log(…)`, `md_ utils`, `--flag`) keeps its case.
        if title.is_empty() || title.contains(['(', '.', '_', '`', '[', '/', '<', '{', '-', ':', '=']) {
            continue;
        }
        let first = title.split_whitespace().next().unwrap_or("");
        if first.len() < 2 || !first.bytes().all(|b| b.is_ascii_lowercase()) {
            continue;
        }
        let start = from + hashes + l[hashes..].find(first).unwrap_or(0);
        let span = Span::new(start, start + first.len());
        let capital = super::super::capitalize(first);
        super::suggest(rule, span, "heading starts in lower case", &capital, sink);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_skip_identifiers_and_paths() {
        let text = "Use mysql.conf, my-sql and db_name; MySQL runs. pbft/x and Json.";
        let found: Vec<&str> = words(text).map(|s| s.text(text)).collect();
        assert_eq!(found, ["Use", "and", "MySQL", "runs", "and", "Json"]);
    }

    #[test]
    fn word_shapes_as_read() {
        let text = "MySQL PBFT Json mysql sendGroup abC ABc café naïve x.y.z Ab";
        for w in read_words(text) {
            assert_eq!(w.shape, shape(w.span.text(text)), "{}", w.span.text(text));
        }
        let found: Vec<&str> = read_words(text).map(|w| w.span.text(text)).collect();
        assert_eq!(found, ["MySQL", "PBFT", "Json", "mysql", "sendGroup", "abC", "ABc"]);
    }

    #[test]
    fn shouted_lines() {
        let text = "MADE IN CHINA\nThe LUCI meeting was held.";
        assert!(in_shouted_line(text, 5));
        assert!(!in_shouted_line(text, text.find("LUCI").unwrap()));
    }

    #[test]
    fn paragraph_openings() {
        assert_eq!(
            lower_case_opening("the meeting pointed out that roads must be built."),
            Some(3)
        );
        assert_eq!(
            lower_case_opening("The meeting pointed out that roads must be built."),
            None
        );
        assert_eq!(
            lower_case_opening("e.g. the meeting pointed out that roads must be built."),
            None
        );
        assert_eq!(lower_case_opening("the meeting pointed out"), None);
        assert!(continues_text("The plan has three parts:\n\n"));
        assert!(continues_text("roads, schools,"));
        assert!(!continues_text("The county held a meeting.\n\n"));
        assert!(!continues_text("The county held a meeting.\n"));
        assert!(!continues_text("County meeting\n\n"));
        assert!(continues_text("reports go out by noon and to\n"));
    }

    #[test]
    fn pairs_after_a_lower_case_word() {
        let text = "It goes through User agent and the User Agent. The User Agent";
        let mut found = Vec::new();
        let mut pairs = Pairs::default();
        for word in read_words(text) {
            if let Some((span, second)) = pairs.next(text, word) {
                found.push((span.text(text), second));
            }
        }
        assert_eq!(
            found,
            [("User agent", Shape::Lower), ("User Agent", Shape::Capitalised)]
        );
    }

    /// Texts for the comparisons of the fast readings with the plain ones.
    const MIXED: [&str; 6] = [
        "It goes through User agent and the User Agent. The User Agent",
        "MySQL and mysql.conf, Json; PBFT x PBFT café Naïve ÉCOLE abcDef the Big Apple now",
        "over Big Data sets, through Big data and Ab Cd ab Ab Cd eee Fff ggg Hhh Iii jjj",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz @AZ[`az{ \u{80}Aé",
        "",
        "A",
    ];

    #[test]
    fn capitals_as_read_byte_by_byte() {
        let mut texts: Vec<String> = MIXED.iter().map(|t| t.to_string()).collect();
        texts.push((0u8..=255).map(char::from).collect());
        texts.push(format!("{}Ab{}é北", "x".repeat(62), "Z".repeat(70)));
        for text in &texts {
            let b = text.as_bytes();
            let capitals = Capitals::new(text);
            let plain: Vec<usize> = (0..b.len()).filter(|&i| b[i].is_ascii_uppercase()).collect();
            assert_eq!(capitals.ascii(text).collect::<Vec<_>>(), plain, "{text}");
            let plain: Vec<usize> = (0..b.len())
                .filter(|&i| b[i].is_ascii_uppercase() || text.is_char_boundary(i) && !b[i].is_ascii())
                .collect();
            assert_eq!(capitals.or_beyond_ascii().collect::<Vec<_>>(), plain, "{text}");
        }
    }

    #[test]
    fn letter_runs_as_read_byte_by_byte() {
        let mut texts: Vec<String> = MIXED.iter().map(|t| t.to_string()).collect();
        texts.push((0u8..=255).map(char::from).collect());
        texts.push("ab ".repeat(50));
        texts.push(format!("{} x{}y", "a".repeat(200), "b".repeat(63)));
        for k in 0..130 {
            texts.push(format!("{}{}", " ".repeat(k), "word".repeat(k % 40)));
        }
        for text in &texts {
            let b = text.as_bytes();
            let plain: Vec<(usize, usize)> = letter_runs_plainly(b).collect();
            assert_eq!(letter_runs(b).collect::<Vec<_>>(), plain, "{text}");
        }
    }

    #[test]
    fn readings_from_capitals_as_of_every_word() {
        for text in MIXED {
            let all: Vec<(Span, Shape)> = read_words(text)
                .filter(|w| w.shape != Shape::Lower)
                .map(|w| (w.span, w.shape))
                .collect();
            let capitals = Capitals::new(text);
            let fast: Vec<(Span, Shape)> = words_with_capitals(text, &capitals)
                .map(|w| (w.span, w.shape))
                .collect();
            assert_eq!(fast, all, "{text}");
            let mut pairs = Pairs::default();
            let all: Vec<(Span, Shape)> = read_words(text).filter_map(|w| pairs.next(text, w)).collect();
            let fast: Vec<(Span, Shape)> = words_with_capitals(text, &capitals)
                .filter_map(|w| pair_after_lower(text, w))
                .collect();
            assert_eq!(fast, all, "{text}");
        }
    }

    #[test]
    fn lower_forms_as_of_every_word() {
        let mut texts: Vec<String> = MIXED.iter().map(|t| t.to_string()).collect();
        texts.push("mysql mysqlx xmysql mysql. mysql.x 2mysql mysql_ café-mysql mysqlé mysql's MySQL mysql".into());
        texts.push("pbft pbftpbft pbft pbft".into());
        for text in &texts {
            for key in ["mysql", "pbft", "the", "ab"] {
                let all: Vec<Span> = read_words(text)
                    .filter(|w| w.span.text(text) == key)
                    .map(|w| w.span)
                    .collect();
                let fast: Vec<Span> = lower_forms(text, key).map(|w| w.span).collect();
                assert_eq!(fast, all, "{text} {key}");
            }
        }
    }

    #[test]
    fn character_references() {
        assert!(ends_character_reference("&emsp"));
        assert!(ends_character_reference("text &#160"));
        assert!(!ends_character_reference("large orders"));
    }

    #[test]
    fn key_filters() {
        let mut filter = KeyFilter::default();
        filter.add("mysql");
        filter.add("luci");
        assert!(filter.admits("MySQL"));
        assert!(filter.admits("Luci"));
        assert!(filter.admits("lama"));
        assert!(!filter.admits("mysqld"));
        assert!(!filter.admits("pbft"));
        assert!(!filter.admits(""));
        let mut long = KeyFilter::default();
        long.add(&"a".repeat(70));
        assert!(long.admits(&"A".repeat(64)));
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("MySQL"), Shape::Inner);
        assert_eq!(shape("sendGroup"), Shape::Inner);
        assert_eq!(shape("PBFT"), Shape::Upper);
        assert_eq!(shape("Json"), Shape::Capitalised);
        assert_eq!(shape("mysql"), Shape::Lower);
    }
}
