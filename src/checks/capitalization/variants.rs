//! `name-variants`: one name written two ways in one document, with no list of names:
//! a romanised name joined and split at a syllable (`Meicheng` / `Mei Cheng`), with and without a hyphen (`Co-op` / `Coop`),
//! with and without accents (`Ríos` / `Rios`). The form the document writes more often is
//! taken as the right one; the other is flagged with it as an unsafe fix.
//!
//! Only capitalised words are names here, and a difference of case alone is left to the
//! other sub-checks: `Party`/`party` and `LUCI`/`Luci` need knowledge this check lacks.

use unicode_normalization::UnicodeNormalization;

use super::super::{RuleIdx, Sink};
use super::by_shape::Capitals;
use crate::document::Document;
use crate::span::Span;

/// Maps keyed by the names' keys, one entry per capitalised word of a document: a fast hash.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// Words of two letters or more that start with a capital, with their spans. Letters,
/// combining marks and hyphens inside make one word (an apostrophe ends it: `Pod's` is `Pod`); a word glued to a digit,
/// `.`, `_`, `/`, `@`, `\`, `$` or `#` belongs to an identifier or a path and is skipped.
///
/// A word runs from a letter over letters, marks and hyphens, so a letter starts one only when
/// the marks and hyphens right before it (if any) follow no letter. Words are looked for only at
/// capitals (ASCII capitals and characters beyond ASCII), which are few: a word that starts in
/// lower case is never read.
fn names<'a>(text: &'a str, capitals: &'a Capitals) -> impl Iterator<Item = Span> + 'a {
    let b = text.as_bytes();
    let mut i = 0;
    // The bytes a name may start at: ASCII capitals and characters beyond ASCII (the others
    // are never read).
    let mut candidates = capitals.or_beyond_ascii();
    std::iter::from_fn(move || {
        for start in candidates.by_ref() {
            if start < i {
                continue;
            }
            let byte = b[start];
            i = start;
            if byte.is_ascii() {
                i += 1;
            } else {
                // A byte inside a character is no start of one.
                let Some(c) = text.get(start..).and_then(|t| t.chars().next()) else {
                    i += 1;
                    continue;
                };
                i += c.len_utf8();
                if !(c.is_alphabetic() && c.is_uppercase()) {
                    continue;
                }
            }
            // Inside a word that started before (`Wi-Fi`, `McD`)? An ASCII character before,
            // as most are, but a hyphen tells at once; the others are decoded.
            let before = start.checked_sub(1).map(|k| b[k]);
            let (prev, in_word) = match before {
                None => (None, false),
                Some(p) if p.is_ascii() && p != b'-' => (Some(char::from(p)), p.is_ascii_alphabetic()),
                Some(_) => {
                    let mut prev_chars = text[..start].chars().rev();
                    let prev = prev_chars.clone().next();
                    let in_word = loop {
                        match prev_chars.next() {
                            Some(p) if p.is_alphabetic() => break true,
                            Some(p) if p == '-' || is_mark(p) => continue,
                            _ => break false,
                        }
                    };
                    (prev, in_word)
                }
            };
            if in_word {
                continue;
            }
            // The word runs over letters, marks and hyphens: ASCII ones byte by byte, and
            // from the first character beyond ASCII on, decoded.
            let mut end = i + b[i..]
                .iter()
                .position(|&c| !(c.is_ascii_alphabetic() || c == b'-'))
                .unwrap_or(b.len() - i);
            if b.get(end).is_some_and(|c| !c.is_ascii()) {
                for n in text[end..].chars() {
                    if n.is_alphabetic() || is_mark(n) || n == '-' {
                        end += n.len_utf8();
                    } else {
                        break;
                    }
                }
            }
            i = end;
            if let Some(span) = name_at(text, start, end, prev) {
                return Some(span);
            }
        }
        None
    })
}

/// The name at `start..end`, a word that starts with a capital and follows `prev`: the word
/// without hyphens at its end, when it has two letters or more and is glued to no identifier.
fn name_at(text: &str, start: usize, end: usize, prev: Option<char>) -> Option<Span> {
    let glued = |c: Option<char>| {
        c.is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | '_' | '/' | '@' | '\\' | '$' | '#'))
    };
    let after = match text.as_bytes().get(end) {
        Some(&c) if c.is_ascii() => Some(char::from(c)),
        _ => text[end..].chars().next(),
    };
    // A full stop after a word ends a sentence unless a letter follows it.
    let dot_ends = after == Some('.') && !text[end + 1..].starts_with(char::is_alphanumeric);
    let word = text[start..end].trim_end_matches('-');
    // Two characters or more.
    (word.chars().nth(1).is_some() && !glued(prev) && (dot_ends || !glued(after)))
        .then(|| Span::new(start, start + word.len()))
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// The key names are compared by: lower case, no accents, no hyphens, apostrophes or spaces.
fn key(form: &str) -> String {
    let mut out = String::new();
    key_into(form, &mut out);
    out
}

/// Writes the [`key`] of `form` into `out` (a buffer kept across words). An ASCII form, as most
/// are, is read byte by byte: its decomposition is itself, and its letters are ASCII letters.
fn key_into(form: &str, out: &mut String) {
    out.clear();
    if form.bytes().all(|b| b.is_ascii_alphabetic()) {
        // A word of ASCII letters, as most names are: the word in lower case.
        out.push_str(form);
        out.make_ascii_lowercase();
    } else if form.is_ascii() {
        out.extend(
            form.bytes()
                .filter(u8::is_ascii_alphabetic)
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
    } else {
        out.extend(
            form.nfd()
                .filter(|c| c.is_alphabetic() && !is_mark(*c))
                .flat_map(char::to_lowercase),
        );
    }
}

/// True when two forms of one key differ in spaces, hyphens, apostrophes or accents, not in
/// case alone. A form in capitals (`LUCI`) never counts: it may be a heading or an acronym;
/// nor does one with an inner capital.
fn differs_by_joins_or_accents(a: &str, b: &str) -> bool {
    let upper = |s: &str| s.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    key(a) == key(b) && a.to_lowercase() != b.to_lowercase() && !upper(a) && !upper(b) && !camel(a) && !camel(b)
}

/// True for a word with a capital inside it (`NetworkPolicy`, `DataSource`): an identifier
/// whose split form in prose (`Network Policy`) is right too.
fn camel(form: &str) -> bool {
    form.split([' ', '-'])
        .any(|w| w.chars().skip(1).any(char::is_uppercase))
}

/// True when `form` holds more than ASCII letters (a hyphen, a space, a letter beyond ASCII,
/// a mark): only then may its [`key`] differ from the form in lower case. Two forms of one
/// key made of ASCII letters alone differ in case alone, which this check leaves alone.
fn beyond_letters(form: &str) -> bool {
    !form.bytes().all(|b| b.is_ascii_alphabetic())
}

/// The lengths (63: 63 bytes or more) and first letters (26: anything but an ASCII letter)
/// of a set of keys, each length with the letters its keys start with: a key whose length and
/// first letter no key of the set has is none of them.
struct KeyShapes([u32; 64]);

impl Default for KeyShapes {
    fn default() -> Self {
        KeyShapes([0; 64])
    }
}

impl KeyShapes {
    /// The slot and bit of a key of `len` bytes starting with `first` (in any case).
    fn at(len: usize, first: u8) -> (usize, u32) {
        let letter = if first.is_ascii_alphabetic() {
            first.to_ascii_lowercase() - b'a'
        } else {
            26
        };
        (len.min(63), 1 << letter)
    }

    /// Adds the key of a name of ASCII letters (the name itself, in any case) or a key (an
    /// empty one as starting with NUL).
    fn add(&mut self, key: &str) {
        let (slot, bit) = Self::at(key.len(), key.as_bytes().first().copied().unwrap_or(0));
        self.0[slot] |= bit;
    }

    /// False when no key added has `len` bytes and starts with `first`.
    fn may_hold(&self, len: usize, first: u8) -> bool {
        let (slot, bit) = Self::at(len, first);
        self.0[slot] & bit != 0
    }
}

// Not inlined into the kind's `check`, so that a profile shows each sub-check apart.
#[inline(never)]
pub fn name_variants(doc: &Document, capitals: &Capitals, rule: RuleIdx, sink: &mut Sink<'_>) {
    let text = &doc.text;
    // A key is compared only when one of its forms is written with more than ASCII letters
    // or is a pair (see [`beyond_letters`]); most documents have few such keys. The first
    // reading finds them, with the pairs, and keeps every name; the second counts the names
    // of those keys only, so that most names are never keyed nor hashed.
    let mut keys: HashMap<String, u32> = HashMap::default();
    let mut buf = String::new();
    // The number of the key of `form`, written into `buf`.
    let key_of = |form: Span, keys: &mut HashMap<String, u32>, buf: &mut String| {
        key_into(form.text(text), buf);
        match keys.get(buf.as_str()) {
            Some(&key) => key,
            None => {
                let key = keys.len() as u32;
                keys.insert(buf.clone(), key);
                key
            }
        }
    };
    let mut names_read: Vec<Span> = Vec::new();
    // Each form of a compared key, with the number of its key (in the order met), and
    // whether it is a pair: one list for all keys, with no list per key.
    let mut forms: Vec<(u32, Span, bool)> = Vec::new();
    // Whether each name follows the one before one space apart (a byte a name), and the
    // lengths and first letters of the single names' keys.
    let mut joined: Vec<bool> = Vec::new();
    let mut singles = KeyShapes::default();
    for span in names(text, capitals) {
        let form = span.text(text);
        if beyond_letters(form) {
            key_of(span, &mut keys, &mut buf);
            singles.add(&buf);
        } else {
            singles.add(form);
        }
        joined.push(
            names_read
                .last()
                .is_some_and(|p: &Span| &text[p.end..span.start] == " "),
        );
        names_read.push(span);
    }
    // A pair counts only when its key is also a single name's (`Mei Cheng` beside
    // `Meicheng`): the others are not asked whether they are romanised.
    let mut last: Option<(Span, bool)> = None;
    // Romanised when it splits into pinyin syllables; the second name of a pair is often the
    // first of the next.
    let mut romanised = |s: Span| match last {
        Some((l, r)) if l == s => r,
        _ => {
            let r = super::super::pinyin::syllable_count(s.text(text)).is_some();
            last = Some((s, r));
            r
        }
    };
    let pairs = (1..names_read.len())
        .filter(|&i| joined[i])
        .map(|i| (names_read[i - 1], names_read[i]));
    for (p, span) in pairs {
        let pair = Span::new(p.start, span.end);
        let (first, second) = (p.text(text), span.text(text));
        let may_match = if beyond_letters(first) || beyond_letters(second) {
            key_into(pair.text(text), &mut buf);
            singles.may_hold(buf.len(), buf.as_bytes().first().copied().unwrap_or(0))
        } else {
            singles.may_hold(first.len() + second.len(), first.as_bytes()[0])
        };
        // Split at a syllable: `Mei Cheng` for `Meicheng`. Two English words written apart
        // and together (`Data Source`, `Datasource`) are a matter of style.
        if may_match && romanised(p) && romanised(span) {
            let key = key_of(pair, &mut keys, &mut buf);
            forms.push((key, pair, true));
        }
    }
    if keys.is_empty() {
        return;
    }
    // The lengths and first letters of the keys: a name of ASCII letters is its key in lower
    // case, so most names are turned away before they are keyed.
    let mut filter = super::by_shape::KeyFilter::default();
    for k in keys.keys() {
        filter.add(k);
    }
    for span in names_read {
        let form = span.text(text);
        if !beyond_letters(form) && !filter.admits(form) {
            continue;
        }
        key_into(form, &mut buf);
        if let Some(&key) = keys.get(buf.as_str()) {
            forms.push((key, span, false));
        }
    }
    // Only the keys written three times or more are compared: their forms, by key. The order
    // within a key does not matter (the forms are counted, and the findings sorted), so the
    // sort needs no buffer: a stable one took half the list again, 100 MB on one line of
    // 200 MB.
    let mut written = vec![0u32; keys.len()];
    for &(key, _, _) in &forms {
        written[key as usize] = written[key as usize].saturating_add(1);
    }
    forms.retain(|&(key, _, _)| written[key as usize] >= 3);
    forms.sort_unstable_by_key(|&(key, _, _)| key);
    let mut found: Vec<(Span, String)> = Vec::new();
    for spans in forms.chunk_by(|a, b| a.0 == b.0) {
        // Count each written form; pairs count only when their key is also a single word's
        // (`Mei Cheng` beside `Meicheng`), so `New York` alone is never compared.
        let has_single = spans.iter().any(|&(_, _, pair)| !pair);
        let has_pair = spans.iter().any(|&(_, _, pair)| pair);
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for &(_, s, _) in spans {
            let w = s.text(text);
            match counts.iter_mut().find(|(f, _)| *f == w) {
                Some((_, n)) => *n += 1,
                None => counts.push((w, 1)),
            }
        }
        if counts.len() < 2 || (has_pair && !has_single) {
            continue;
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let (right, most) = counts[0];
        // A clear majority: written at least twice, and more often than any other form.
        if most < 2 || counts[1].1 == most {
            continue;
        }
        for &(_, s, _) in spans {
            let w = s.text(text);
            if w != right && differs_by_joins_or_accents(w, right) {
                found.push((s, right.to_string()));
            }
        }
    }
    found.sort_by_key(|(s, _)| (s.start, s.end));
    for (span, right) in found {
        let problem = format!("written \"{right}\" elsewhere in this document");
        super::suggest(rule, span, &problem, &right, sink);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<&str> {
        names(text, &Capitals::new(text)).map(|s| s.text(text)).collect()
    }

    /// The names as a reading of every character finds them (the scan [`names`] makes faster).
    fn names_one_by_one(text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        let mut chars = text.char_indices().peekable();
        let mut before: Option<char> = None;
        while let Some((start, c)) = chars.next() {
            if !c.is_alphabetic() {
                before = Some(c);
                continue;
            }
            let mut end = start + c.len_utf8();
            let mut last = c;
            while let Some(&(i, n)) = chars.peek() {
                if n.is_alphabetic() || is_mark(n) || n == '-' {
                    chars.next();
                    end = i + n.len_utf8();
                    last = n;
                } else {
                    break;
                }
            }
            let prev = before;
            before = Some(last);
            if c.is_uppercase() {
                out.extend(name_at(text, start, end, prev));
            }
        }
        out
    }

    #[test]
    fn names_as_read_one_character_at_a_time() {
        let texts = [
            "Ríos met Wi-Fi users in Pod's shop.",
            "see Config.toml and v2.Beta or A. Élan -Dash --Ab a-Bc a\u{301}Bc \u{301}Bc x\u{345}Bc",
            "ÉCOLE École éCole 北京Beijing Beijing北京 Ab-Cd- Ab- Node.js A.B Mc-Do 1Ab Ab1 _Ab #Ab Ab#",
            "Ωmega Σigma ǅemal ⅫIV ⒶB Ab\u{300}\u{301}Cd Ab.",
            "",
            "A",
            "Ab",
        ];
        for text in texts {
            let capitals = Capitals::new(text);
            assert_eq!(
                names(text, &capitals).collect::<Vec<_>>(),
                names_one_by_one(text),
                "{text}"
            );
        }
    }

    #[test]
    fn names_are_capitalised_words() {
        assert_eq!(all("Ríos met Wi-Fi users in Pod's shop."), ["Ríos", "Wi-Fi", "Pod"]);
        assert_eq!(all("see Config.toml and v2.Beta or A."), Vec::<&str>::new());
    }

    #[test]
    fn forms_that_differ_by_joins_or_accents() {
        assert!(differs_by_joins_or_accents("Mei Cheng", "Meicheng"));
        assert!(differs_by_joins_or_accents("Rios", "Ríos"));
        assert!(differs_by_joins_or_accents("Email", "E-mail"));
        assert!(!differs_by_joins_or_accents("Luci", "LUCI"));
        assert!(!differs_by_joins_or_accents("Zookeeper", "ZooKeeper"));
        assert!(!differs_by_joins_or_accents("Network Policy", "NetworkPolicy"));
        assert_eq!(key("Mei Cheng"), key("Meicheng"));
        assert_eq!(key("Ríos"), key("Rios"));
        assert_eq!(key("Co-op's"), "coops");
        assert_eq!(key("Ångström"), "angstrom");
    }
}
