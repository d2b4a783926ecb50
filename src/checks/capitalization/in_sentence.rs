//! Capitalisation inside a sentence, judged from the words around it:
//! - `lower-case-acronym`: an acronym written in lower case in prose (`the pbft algorithm`);
//! - `after-full-stop`: a sentence that starts in lower case after a full stop
//!   (`development. subset of the data`);
//! - `mid-sentence-capital`: a common word capitalised mid-sentence (`showed its Charm of`), and
//!   a pronoun capitalised where no sentence starts (`the version It mainly carries`);
//! - `title-line`: a title in title case with one major word in lower case.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock};

use super::super::spelling::{
    answers_kept, dictionary_paths, in_background, load_first, preload_dictionary, process_wide, English,
};
use super::super::{RuleIdx, Sink};
use crate::document::Document;
use crate::model::RuleDef;
use crate::packs::LanguageData;
use crate::span::Span;

/// Maps keyed by words in lower case: a fast hash.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// The lower-case word right before `at` (the start of a word), with what stands between them:
/// `None` unless the word is ASCII lower case and the gap is one space, or `, `, `) ` or `” `
/// right after a word.
pub(super) fn word_before(text: &str, at: usize) -> Option<(&str, &str)> {
    let before = &text[..at];
    let gap_len = [", ", ") ", "” ", " "]
        .iter()
        .find(|g| before.ends_with(*g))
        .map(|g| g.len())?;
    let end = at - gap_len;
    let b = text.as_bytes();
    let start = b[..end]
        .iter()
        .rposition(|c| !c.is_ascii_alphabetic())
        .map_or(0, |i| i + 1);
    let word = &text[start..end];
    // A word glued to a full stop, an apostrophe or a letter of another script is no plain word.
    let glued = start > 0 && !matches!(b[start - 1], b' ' | b'\n' | b'\t' | b'(' | b'"');
    if word.is_empty() || glued || !word.bytes().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    Some((word, &text[end..at]))
}

/// The lower-case word right after `at` (the end of a word), one space away.
fn word_after(text: &str, at: usize) -> Option<&str> {
    let rest = text[at..].strip_prefix(' ')?;
    let len = rest.bytes().take_while(u8::is_ascii_lowercase).count();
    let next = rest.as_bytes().get(len);
    if len == 0 || next.is_some_and(|c| c.is_ascii_alphanumeric() || !c.is_ascii()) {
        return None;
    }
    Some(&rest[..len])
}

/// True for the words that only hold a sentence together: the pack's minor words (`of`, `in`)
/// and sentence starters (`when`, `is`, `which`).
fn is_function_word(language: &LanguageData, lower: &str) -> bool {
    language.is_minor(lower)
        || language
            .sentences
            .iter()
            .any(|d| d.starters.iter().any(|s| s.eq_ignore_ascii_case(lower)))
}

/// True when the line holding `at` is a heading or a title: a Markdown `#` line, or a short
/// line (fifteen words or fewer) with at least as many capitalised words of four letters or more
/// as other such words.
pub(super) fn in_title_line(text: &str, at: usize) -> bool {
    let b = text.as_bytes();
    let start = memchr::memrchr(b'\n', &b[..at]).map_or(0, |i| i + 1);
    // The line is read from its start only as far as needed: a line of prose may be long.
    let rest = &text[start..];
    if rest
        .trim_start_matches(|c: char| c.is_whitespace() && c != '\n')
        .starts_with('#')
    {
        return true;
    }
    let (mut all, mut long, mut capital) = (0, 0, 0);
    let mut i = start;
    while i < b.len() && b[i] != b'\n' {
        if !b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let word = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        all += 1;
        if all > 15 {
            // A line of prose: no need to read on.
            return false;
        }
        if i - word >= 4 {
            long += 1;
            capital += usize::from(b[word].is_ascii_uppercase());
        }
    }
    capital * 2 >= long
}

/// [`in_title_line`] as first written, reading the whole line: the tests compare the two.
#[cfg(test)]
fn in_title_line_plainly(text: &str, at: usize) -> bool {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = &text[start..end];
    if line.trim_start().starts_with('#') {
        return true;
    }
    let (mut all, mut long, mut capital) = (0, 0, 0);
    for w in line.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()) {
        all += 1;
        if all > 15 {
            return false;
        }
        if w.len() >= 4 {
            long += 1;
            capital += usize::from(w.as_bytes()[0].is_ascii_uppercase());
        }
    }
    capital * 2 >= long
}

/// True when `at` lies inside quotes or brackets opened earlier on its line (a quoted title,
/// a link text).
fn inside_quotes(text: &str, at: usize) -> bool {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..at];
    let count = |c: char| line.matches(c).count();
    count('“') > count('”') || count('"') % 2 == 1 || count('[') > count(']') || count('(') > count(')')
}

/// Words in lower case, by their hashes (a set of tens of thousands of words, read at start:
/// no allocation per word).
type Entries = HashSet<u64, foldhash::fast::FixedState>;

/// The hash of `lower` in [`Entries`].
pub(super) fn entry_hash(lower: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::default().hash_one(lower.as_bytes())
}

/// The lower-case forms of the words a Hunspell dictionary lists with a capital (`March`,
/// `Apple`, `Labour`): names as well as common words, which a capital may rightly mark.
/// Read once per process from the `.dic` files.
fn capitalised_entries(paths: &[String]) -> Arc<Entries> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Entries>>>> = OnceLock::new();
    let key = paths.join("\n");
    let mut cache = process_wide(&CACHE);
    cache
        .entry(key)
        .or_insert_with(|| {
            let mut set = Entries::default();
            let mut lower = String::new();
            for p in paths {
                let dic = std::path::Path::new(p).with_extension("dic");
                let Ok(text) = std::fs::read_to_string(&dic) else {
                    continue;
                };
                let b = text.as_bytes();
                // The lines after the first (the count) that start with a capital, with
                // whitespace (trimmed first) or beyond ASCII: found 64 bytes at a time, from
                // the bits of the line breaks and of those bytes. Most lines start with a
                // lower-case letter or a digit, and are never read.
                for start in after_line_break(b, |c| {
                    !c.is_ascii() || c.is_ascii_uppercase() || c.is_ascii_whitespace()
                }) {
                    // The word is the line up to its flags (after a `/`), trimmed; a `\r`
                    // before the line break is whitespace, which `trim` takes off.
                    let end = memchr::memchr2(b'/', b'\n', &b[start..]).map_or(b.len(), |i| start + i);
                    let word = text[start..end].trim();
                    if word.as_bytes().first().is_some_and(u8::is_ascii_uppercase) && word.is_ascii() {
                        lower.clear();
                        lower.push_str(word);
                        lower.make_ascii_lowercase();
                        set.insert(entry_hash(&lower));
                    }
                }
            }
            Arc::new(set)
        })
        .clone()
}

/// The offsets right after the line breaks of `b` whose byte `class` takes, in order (`class`
/// must not take NUL, as [`crate::segment::blocks::mask_from`] says).
fn after_line_break<'a>(b: &'a [u8], class: impl Fn(u8) -> bool + Copy + 'a) -> impl Iterator<Item = usize> + 'a {
    use crate::segment::blocks::{mask_from, BLOCK};
    // Whether the last byte of the block before is a line break.
    let mut break_before = false;
    (0..b.len()).step_by(BLOCK).flat_map(move |block| {
        let breaks = mask_from(b, block, |c| c == b'\n');
        let taken = mask_from(b, block, class);
        let starts = ((breaks << 1) | u64::from(break_before)) & taken;
        break_before = breaks >> 63 == 1;
        crate::segment::blocks::offsets(block, starts)
    })
}

/// Starts loading, in the background, the dictionaries and the capitalised words of the rules
/// that need them (`lower-case-acronym`, `mid-sentence-capital`), beside the compiling of the
/// other rules (see `spelling::in_background`). The words are read once the dictionary has
/// loaded (before it when its answers are kept from earlier runs): on two cores, the other one compiles the engine and checks, and a document asks
/// the dictionary (for spelling, a long word) more often than these words (for a capital
/// mid-sentence); a small file that needs neither does not share its core with two loads.
pub fn preload(rules: &[(RuleIdx, &RuleDef)]) {
    for (_, d) in rules {
        let d = d.params::<super::CapitalizationParams>();
        if !matches!(
            d.check,
            Some(super::Sub::LowerCaseAcronym | super::Sub::MidSentenceCapital)
        ) {
            continue;
        }
        let paths = dictionary_paths(&d.dictionary);
        preload_dictionary(&paths);
        in_background(format!("capitalised\n{}", paths.join("\n")), move || {
            // With the dictionary's answers kept from earlier runs, a check may not wait for
            // the dictionary at all: the words first.
            if answers_kept(&paths) {
                capitalised_entries(&paths);
                load_first(&paths);
            } else {
                load_first(&paths);
                capitalised_entries(&paths);
            }
        });
    }
}

/// A rule's [`Lexicon`], loaded when its sub-check first has a word to ask it about: a
/// document with none does not wait for the dictionaries loading in the background
/// ([`preload`]). What [`Lexicon::load`] says of dictionaries that cannot be opened is said on
/// the first document, as before.
pub struct LazyLexicon {
    paths: Vec<String>,
    /// Whether a dictionary can be opened, once said ([`English::probe`]).
    opens: OnceLock<bool>,
    loaded: OnceLock<Option<Lexicon>>,
}

impl LazyLexicon {
    pub fn new(paths: Vec<String>) -> Self {
        LazyLexicon {
            paths,
            opens: OnceLock::new(),
            loaded: OnceLock::new(),
        }
    }

    /// False when no dictionary of `rule` can be opened: then it never loads, and the
    /// sub-check is off. Says which cannot be opened, once.
    pub fn opens(&self, rule: RuleIdx, sink: &Sink<'_>) -> bool {
        *self
            .opens
            .get_or_init(|| English::probe(&self.paths, &needed_by(rule, sink)))
    }

    /// The lexicon, loaded now if it was not yet; `None` when no dictionary loads.
    fn get(&self, rule: RuleIdx, sink: &Sink<'_>) -> Option<&Lexicon> {
        self.loaded
            .get_or_init(|| Lexicon::load(&self.paths, &needed_by(rule, sink)))
            .as_ref()
    }
}

/// Who needs the dictionaries, in what is said of one that does not load.
fn needed_by(rule: RuleIdx, sink: &Sink<'_>) -> String {
    format!("rule {}", sink.rule(rule).meta.id)
}

/// What the dictionaries say of a word, for `mid-sentence-capital` and `lower-case-acronym`.
pub struct Lexicon {
    english: English,
    capitalised: Arc<Entries>,
}

impl Lexicon {
    pub fn load(paths: &[String], needed_by: &str) -> Option<Lexicon> {
        let english = English::load(paths, needed_by)?;
        Some(Lexicon {
            english,
            capitalised: capitalised_entries(paths),
        })
    }

    /// True when `lower` (a word in lower case) is a common word the dictionaries never
    /// write with a capital, in the singular or plural.
    fn only_common(&self, lower: &str) -> bool {
        let singular = lower.strip_suffix('s').unwrap_or(lower);
        self.english.knows(lower)
            && !self.capitalised.contains(&entry_hash(lower))
            && !self.capitalised.contains(&entry_hash(singular))
    }
}

/// `word` without a final `s` (`Pods` → `Pod`), so that a word and its plural count as one.
fn stem(lower: &str) -> &str {
    match lower.strip_suffix('s') {
        Some(s) if s.len() >= 3 => s,
        _ => lower,
    }
}

/// The lower-case ASCII consonants (`y` counts as a vowel), by byte.
static CONSONANT: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = b'a';
    while c <= b'z' {
        table[c as usize] = !matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
        c += 1;
    }
    table
};

/// True for a lower-case ASCII consonant (as [`CONSONANT`] says), in arithmetic that a block's
/// comparisons vectorise.
#[inline(always)]
fn is_consonant(c: u8) -> bool {
    c.wrapping_sub(b'a') < 26 && !matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// The offsets of the runs of three lower-case consonants or more right after a space (the
/// first of them), in order.
fn consonants_after_space(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    use crate::segment::blocks::{mask_from, BLOCK};
    // Whether the last byte of the block before is a space.
    let mut space_before = false;
    (0..b.len()).step_by(BLOCK).flat_map(move |block| {
        let consonants = mask_from(b, block, is_consonant);
        let spaces = mask_from(b, block, |c| c == b' ');
        let after_space = (spaces << 1) | u64::from(space_before);
        space_before = spaces >> 63 == 1;
        // The second and third consonants may lie in the next block: those starts are kept
        // here and their bytes read below.
        let next = |k: u32| (consonants >> k) | !(u64::MAX >> k);
        let starts = after_space & consonants & next(1) & next(2);
        crate::segment::blocks::offsets(block, starts)
            .filter(move |&start| b[start..].get(..3).is_some_and(|w| w.iter().all(|&c| is_consonant(c))))
    })
}

/// A word in lower case with no vowel (`pbft`, `rpc`), which the dictionaries do not know,
/// written in prose between lower-case words at least twice: an acronym machine translation
/// lower-cased. The fix writes it in capitals and is unsafe (a command may be meant).
pub fn lower_case_acronym(doc: &Document, rule: RuleIdx, lexicon: &LazyLexicon, sink: &mut Sink<'_>) {
    let text = &doc.text;
    let b = text.as_bytes();
    let mut found: HashMap<&str, Vec<Span>> = HashMap::default();
    let consonant = |c: &u8| CONSONANT[usize::from(*c)];
    // The cheap tests first, on the bytes: three lower-case consonants after a space, found 64
    // bytes at a time from the bits of the consonants and of the spaces, with no test per byte.
    for start in consonants_after_space(b) {
        // A run of three to six of them, followed by a space.
        let len = b[start..].iter().take(7).take_while(|c| consonant(c)).count();
        if !(3..=6).contains(&len) || b.get(start + len) != Some(&b' ') {
            continue;
        }
        let span = Span::new(start, start + len);
        if word_before(text, start).is_none_or(|(_, gap)| !matches!(gap, " " | ", "))
            || word_after(text, span.end).is_none()
        {
            continue;
        }
        found.entry(span.text(text)).or_default().push(span);
    }
    if found.values().all(|spans| spans.len() < 2) {
        return;
    }
    let Some(lexicon) = lexicon.get(rule, sink) else {
        return;
    };
    for (w, spans) in found {
        if spans.len() < 2 || lexicon.english.knows(w) {
            continue;
        }
        let upper = w.to_ascii_uppercase();
        for span in spans {
            super::suggest(rule, span, "an acronym in lower case", &upper, sink);
        }
    }
}

/// True when `word` (the word before a full stop) may end an abbreviation rather than a
/// sentence: the pack's titles, abbreviations and words before numbers.
fn is_abbreviation(language: &LanguageData, word: &str) -> bool {
    language.sentences.iter().any(|d| {
        d.titles
            .iter()
            .chain(&d.abbreviations)
            .chain(&d.before_numbers)
            .any(|a| a.eq_ignore_ascii_case(word))
    })
}

/// A sentence that starts in lower case right after a full stop and a space (`the
/// development. subset of the data`): machine translation cut a sentence, or left the next
/// one without its capital. The word before the full stop must be a plain word of two letters
/// or more, not an abbreviation (`etc.`, `No.`) nor part of a dotted form (`e.g.`, `a.m.`,
/// `file.txt`), and the lower-case word must be followed by another. The fix capitalises the
/// word and is unsafe (the full stop may be the mistake).
pub fn after_full_stop(doc: &Document, rule: RuleIdx, sink: &mut Sink<'_>) {
    let text = &doc.text;
    let b = text.as_bytes();
    let language = crate::packs::language_data(&doc.language);
    for dot in memchr::memmem::find_iter(b, b". ") {
        let start = dot + 2;
        let len = b[start..].iter().take_while(|c| c.is_ascii_lowercase()).count();
        if len == 0 || b.get(start + len) != Some(&b' ') || !b.get(start + len + 1).is_some_and(u8::is_ascii_lowercase)
        {
            continue;
        }
        let word_start = b[..dot]
            .iter()
            .rposition(|c| !c.is_ascii_alphabetic())
            .map_or(0, |i| i + 1);
        let before = &text[word_start..dot];
        let plain = word_start == 0 || matches!(b[word_start - 1], b' ' | b'\n' | b'(' | b'"');
        if before.len() < 2 || !plain || is_abbreviation(language, before) {
            continue;
        }
        let span = Span::new(start, start + len);
        let capital = super::super::capitalize(span.text(text));
        super::suggest(rule, span, "a sentence starts in lower case", &capital, sink);
    }
}

/// Pronouns that start sentences; one capitalised between lower-case words shows a sentence
/// boundary lost (`the version It mainly carries`).
const PRONOUNS: [&str; 7] = ["It", "This", "These", "They", "We", "He", "She"];

/// Words that stand before a common noun (`the`, `its`): a capitalised word after one and
/// before a function word is the noun itself, not part of a longer name.
const DETERMINERS: [&str; 14] = [
    "the", "a", "an", "its", "their", "his", "her", "our", "your", "my", "this", "that", "these", "those",
];

/// A common word capitalised mid-sentence (`showed its Charm of maturity`, `reconnection,
/// Retry, etc.`), and a pronoun capitalised between lower-case words (`version It mainly`).
///
/// A common word is flagged only when all of these hold: the dictionaries know it in lower
/// case and never with a capital (so not `March`, `Apple`, `Labour`); the document capitalises
/// it (or its plural) nowhere else; it stands after a determiner (`the`, `its`), after a
/// lower-case word and a comma (a list of common words) or after a bracket closed on a
/// lower-case word; it is followed by punctuation or a function word that does not start a
/// name (`the Ministry of Education`); and its line is no heading or title, nor is it inside
/// quotes or brackets. The fix writes it in lower case and is unsafe; a pronoun is only flagged.
pub fn mid_sentence_capital(
    doc: &Document,
    capitals: &super::by_shape::Capitals,
    rule: RuleIdx,
    lexicon: &LazyLexicon,
    sink: &mut Sink<'_>,
) {
    let text = &doc.text;
    let language = crate::packs::language_data(&doc.language);
    let b = text.as_bytes();
    let mut candidates: Vec<Span> = Vec::new();
    // The capitals after a space.
    let after_space = capitals.ascii(text).filter(|&i| i > 0 && b[i - 1] == b' ');
    for start in after_space {
        // The cheap tests first, on the bytes: a capitalised ASCII word followed by a space or
        // punctuation, after a lower-case word.
        let len = 1 + b[start + 1..].iter().take_while(|c| c.is_ascii_lowercase()).count();
        let next = b.get(start + len).copied();
        if len < 2 || !matches!(next, Some(b' ' | b',' | b'.' | b';' | b':')) {
            continue;
        }
        let span = Span::new(start, start + len);
        let w = span.text(text);
        // Only a pronoun is read when shorter than three letters.
        if len < 3 && !PRONOUNS.contains(&w) {
            continue;
        }
        let Some((before, gap)) = word_before(text, start) else {
            continue;
        };
        if PRONOUNS.contains(&w) {
            if gap == " " {
                // The sub-check reports nothing without its dictionaries, pronouns included.
                if lexicon.get(rule, sink).is_none() {
                    return;
                }
                pronoun(text, span, rule, sink);
            }
            continue;
        }
        let after_ok = match next {
            // A full stop glued to more letters or digits is a dotted name (`Node.js`).
            Some(b'.') => !b.get(span.end + 1).is_some_and(u8::is_ascii_alphanumeric),
            Some(b' ') => word_after(text, span.end).is_some_and(|next| {
                is_function_word(language, next) && !starts_name(language, text, span.end + 1 + next.len())
            }),
            _ => true,
        };
        let before_ok = match gap {
            " " => DETERMINERS.contains(&before),
            // An item of a list of common words: the list goes on or ends after it.
            ", " => {
                matches!(next, Some(b',' | b';')) || word_after(text, span.end).is_some_and(|n| n == "and" || n == "or")
            }
            _ => true,
        };
        if len >= 3 && after_ok && before_ok {
            candidates.push(span);
        }
    }
    if candidates.is_empty() {
        return;
    }
    let Some(lexicon) = lexicon.get(rule, sink) else {
        return;
    };
    candidates.retain(|&s| {
        let lower = s.text(text).to_ascii_lowercase();
        lexicon.only_common(&lower) && !in_title_line(text, s.start) && !inside_quotes(text, s.start)
    });
    for span in candidates {
        let w = span.text(text);
        let lower = w.to_ascii_lowercase();
        if doc.starts_sentence(span.start) || capitalised_elsewhere(doc, span) {
            continue;
        }
        super::suggest(rule, span, "a common word capitalised mid-sentence", &lower, sink);
    }
}

/// A title in title case with one major word left in lower case (`Veteran Members Who live in
/// Difficulties`): a line of six words or more and 300 bytes at most, with no sentence end and nothing but letters,
/// spaces, apostrophes, hyphens, commas and `&` (after a Markdown heading's `#`), whose words of
/// four letters or more that are not function words (the language's minor words and sentence
/// starters) are all capitalised, five or more of them, but one. A hyphenated word counts by its
/// first letter (`Mid-year`). The fix capitalises the word and is unsafe.
pub fn title_line_case(doc: &Document, rule: RuleIdx, sink: &mut Sink<'_>) {
    let text = &doc.text;
    let language = crate::packs::language_data(&doc.language);
    for line in doc.lines() {
        let l = line.text(text);
        // A line shorter than a title is passed over before it is trimmed.
        if l.len() < 20 {
            continue;
        }
        let body = l.trim_start_matches('#').trim();
        // A title is short: a longer line is prose, and is not read.
        // The cheap tests first: a title ends on a letter, an apostrophe or `&`, and has five
        // capitalised words at least.
        let ends_plain =
            body.as_bytes().last().is_some_and(u8::is_ascii_alphabetic) || body.ends_with(['\'', '’', '&']);
        if !(20..=300).contains(&body.len())
            || !ends_plain
            || body.bytes().filter(u8::is_ascii_uppercase).count() < 5
            || !all_plain(body)
        {
            continue;
        }
        let (mut words, mut capital) = (0, 0);
        let mut lower: Option<&str> = None;
        let mut several = false;
        for w in body.split([' ', ',']).filter(|w| !w.is_empty()) {
            words += 1;
            let head = w.split(['-', '\'', '’']).next().unwrap_or("");
            if head.len() < 4 || is_function_word(language, &head.to_ascii_lowercase()) {
                continue;
            }
            if head.as_bytes()[0].is_ascii_uppercase() {
                capital += 1;
            } else if words > 1 && head.bytes().all(|b| b.is_ascii_lowercase()) && w == head {
                several |= lower.is_some();
                lower = Some(w);
            } else {
                several = true;
            }
            if several {
                // Not a title with one word left in lower case: no need to read on.
                break;
            }
        }
        let Some(w) = lower else {
            continue;
        };
        if words < 6 || capital < 5 || several {
            continue;
        }
        // `w` is a slice of the line: its offset in the text.
        let start = w.as_ptr() as usize - text.as_ptr() as usize;
        let span = Span::new(start, start + w.len());
        let capital = super::super::capitalize(w);
        super::suggest(rule, span, "a title's word left in lower case", &capital, sink);
    }
}

/// True when `line` holds nothing but letters, spaces, apostrophes (`'`, `’`), hyphens, commas
/// and `&`; read byte by byte (`’` is the only such character beyond ASCII).
fn all_plain(line: &str) -> bool {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphabetic() || matches!(c, b' ' | b'\'' | b'-' | b',' | b'&') {
            i += 1;
        } else if b[i..].starts_with("’".as_bytes()) {
            i += "’".len();
        } else {
            return false;
        }
    }
    true
}

/// True when the document capitalises the word at `span` (or its singular or plural) anywhere
/// else but at a sentence start.
fn capitalised_elsewhere(doc: &Document, span: Span) -> bool {
    let text = &doc.text;
    let b = text.as_bytes();
    let w = span.text(text);
    let lower = w.to_ascii_lowercase();
    let root = &w[..stem(&lower).len()];
    memchr::memmem::find_iter(b, root.as_bytes()).any(|at| {
        let mut end = at + root.len();
        if b.get(end) == Some(&b's') {
            end += 1;
        }
        let alone = (at == 0 || !b[at - 1].is_ascii_alphabetic()) && !b.get(end).is_some_and(u8::is_ascii_alphabetic);
        alone && at != span.start && !doc.starts_sentence(at)
    })
}

/// Flags the pronoun at `span`, after a lower-case word, when a lower-case word follows it
/// and its line is no title.
fn pronoun(text: &str, span: Span, rule: RuleIdx, sink: &mut Sink<'_>) {
    if word_after(text, span.end).is_some() && !in_title_line(text, span.start) {
        let w = span.text(text);
        sink.flag(
            rule,
            span,
            &[("problem", "a pronoun capitalised mid-sentence"), ("canonical", w)],
        );
    }
}

/// True when a capitalised word follows `at` (after one space, and an article): the function
/// word before `at` then joins a name (`Bill of Lading`, `Ministry of the Interior`).
fn starts_name(language: &LanguageData, text: &str, at: usize) -> bool {
    let mut rest = &text[at..];
    for _ in 0..2 {
        let Some(r) = rest.strip_prefix(' ') else {
            return false;
        };
        let len = r.bytes().take_while(u8::is_ascii_alphabetic).count();
        let w = &r[..len];
        if w.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
            return true;
        }
        if !language.is_minor(&w.to_ascii_lowercase()) {
            return false;
        }
        rest = &r[len..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_around() {
        let text = "the pbft round, Retry, and (a test) Work in";
        assert_eq!(word_before(text, 4), Some(("the", " ")));
        let retry = text.find("Retry").unwrap();
        assert_eq!(word_before(text, retry), Some(("round", ", ")));
        let work = text.find("Work").unwrap();
        assert_eq!(word_before(text, work), Some(("test", ") ")));
        assert_eq!(word_before(text, 0), None);
        assert_eq!(word_after(text, 3), Some("pbft"));
        assert_eq!(word_after(text, text.len()), None);
        assert_eq!(word_before("e.g. the", 5), None);
    }

    #[test]
    fn title_lines_and_quotes() {
        let text = "Three Expos Opened In The City\nthe fair showed its Charm of age.";
        assert!(in_title_line(text, 6));
        assert!(!in_title_line(text, text.find("Charm").unwrap()));
        assert!(in_title_line("## the plan", 3));
        let quoted = "see “Comparing the Guess to it” now";
        assert!(inside_quotes(quoted, quoted.find("Guess").unwrap()));
        assert!(!inside_quotes(quoted, quoted.find("now").unwrap()));
    }

    #[test]
    fn acronym_candidates() {
        // Three consonants after a space, as the plain reading of every space finds them.
        let mut texts = vec![
            "a pbft rpc nth xyz sky. brr, pbftx  ccc\nddd st rrrrrrr".to_string(),
            (0u8..128).map(char::from).collect(),
            "é pbft".to_string(),
        ];
        for k in 55..70 {
            texts.push(format!("{} pbft nth{}xyz", "a".repeat(k), " ".repeat(k % 3)));
        }
        let consonant = |c: &u8| CONSONANT[usize::from(*c)];
        for c in 0..=255u8 {
            assert_eq!(is_consonant(c), consonant(&c), "{c}");
        }
        for text in &texts {
            let b = text.as_bytes();
            let plain: Vec<usize> = (1..b.len())
                .filter(|&s| b[s - 1] == b' ' && b[s..].get(..3).is_some_and(|w| w.iter().all(consonant)))
                .collect();
            assert_eq!(consonants_after_space(b).collect::<Vec<_>>(), plain, "{text}");
        }
    }

    #[test]
    fn line_starts_as_read_line_by_line() {
        let class = |c: u8| !c.is_ascii() || c.is_ascii_uppercase() || c.is_ascii_whitespace();
        let mut texts = vec![
            "3\nApple\nbanana/S\n\n Cherry\r\nÉclair\n".to_string(),
            "\nA\nb".to_string(),
            String::new(),
        ];
        for k in 60..70 {
            texts.push(format!("{}\nAb\n{}\nCd\n\n", "x".repeat(k), "y".repeat(k % 7)));
        }
        for text in &texts {
            let b = text.as_bytes();
            let plain: Vec<usize> = (1..b.len()).filter(|&i| b[i - 1] == b'\n' && class(b[i])).collect();
            assert_eq!(after_line_break(b, class).collect::<Vec<_>>(), plain, "{text:?}");
        }
    }

    #[test]
    fn title_lines_as_read_plainly() {
        let texts = [
            "Three Expos Opened In The City\nthe fair showed its Charm of age.",
            "  # x\n \n\t## Heading Here\n",
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen",
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen Sixteen",
            "Café Über Naïve Élan\n\u{3000}#x",
            "",
        ];
        for text in texts {
            for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                assert_eq!(
                    in_title_line(text, at),
                    in_title_line_plainly(text, at),
                    "{text:?} {at}"
                );
            }
        }
    }

    #[test]
    fn plain_lines() {
        let plain = |c: char| c.is_ascii_alphabetic() || matches!(c, ' ' | '\'' | '’' | '-' | ',' | '&');
        for line in [
            "Old Boat Owners’ Day, Mid-year & More",
            "It's",
            "a.b",
            "x‘y",
            "é",
            "",
            "1",
        ] {
            assert_eq!(all_plain(line), line.chars().all(plain), "{line}");
        }
    }

    #[test]
    fn stems() {
        assert_eq!(stem("pods"), "pod");
        assert_eq!(stem("gas"), "gas");
        assert_eq!(stem("work"), "work");
    }
}
