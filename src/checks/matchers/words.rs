//! A set of literal terms matched ignoring ASCII case: the matcher of the `term`,
//! `consistency` and `capitalization` kinds, whose cost does not grow with the glossary.
//!
//! All three kinds keep only whole-word matches. A term that starts with a word character
//! (not CJK) can only be whole-word where a word starts, and then the text's first word is the
//! term's first word: so those terms sit in a hash index keyed by their first word, and the
//! scan looks each word start up once (a bitmap probed with the first word and the bytes after
//! it, read in one load, turns most away before the lookup). Building the index is a hash-map
//! build, and a lookup costs the same for 10 terms as for 10,000. At a word start the longest term that matches as a whole word wins.
//! When the terms are few (their first bytes fit one Teddy searcher, as the shipped packs'
//! do), a Teddy scan for those bytes finds the places to look up instead.
//!
//! The other terms (starting with punctuation, a quote, a CJK character) can match anywhere:
//! they go to an Aho-Corasick automaton (ASCII case-insensitive, leftmost-longest), with a
//! Teddy prefilter on their first bytes when there are few enough of them. A search takes the
//! earlier of the two engines' matches.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use aho_corasick::packed;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, BuildError, Input, Match, MatchKind, StartKind};

use crate::checks::is_word_char;
use crate::segment::blocks::{ascii_block, folded_head, is_alnum, mask, BLOCK};
use crate::segment::is_cjk;

/// Teddy looks at up to four bytes of each pattern.
const MAX_PREFIX: usize = 4;
/// Starts shorter than this occur so often in text (every "th", every "co") that checking
/// each candidate costs more than running the automaton over the whole text: terms whose
/// three-byte starts do not fit one searcher go without the prefilter.
const MIN_PREFIX: usize = 3;
/// The most patterns one Teddy searcher takes (the builder's limit).
const MAX_VARIANTS: usize = 128;

/// A set of literal terms matched as whole words (case-blind where asked) in one pass over a text.
pub struct WordTerms {
    words: WordIndex,
    /// The terms that do not start with a word character, or start with a CJK one.
    anywhere: Option<Anywhere>,
}

impl WordTerms {
    /// An empty term never matches as a whole word, so it is left out.
    pub fn new<P: AsRef<str>>(patterns: &[P]) -> Result<Self, BuildError> {
        let mut words = Vec::new();
        let mut anywhere = Vec::new();
        for (id, p) in patterns.iter().enumerate() {
            let p = p.as_ref();
            match p.chars().next() {
                Some(c) if starts_word(c) => words.push((id, p)),
                Some(_) => anywhere.push((id, p)),
                None => {}
            }
        }
        let anywhere = if anywhere.is_empty() {
            None
        } else {
            Some(Anywhere::new(&anywhere)?)
        };
        Ok(WordTerms {
            words: WordIndex::new(&words),
            anywhere,
        })
    }

    /// Successive non-overlapping matches: at each start the longest whole-word term (for a
    /// term that can match anywhere, the longest term, whole-word or not), and of terms
    /// differing only in ASCII case, the one added first. The iterator is also a cursor:
    /// [`Matches::find_from`] searches from any later place.
    pub fn find_iter<'a>(&'a self, text: &'a str) -> Matches<'a> {
        Matches {
            literals: self,
            text,
            next: 0,
            word: None,
            anywhere: None,
        }
    }
}

/// A search of one text, remembering each engine's last match so that searching on from a
/// place before it costs nothing.
pub struct Matches<'a> {
    literals: &'a WordTerms,
    text: &'a str,
    /// Where the iterator goes on.
    next: usize,
    word: Option<Found>,
    anywhere: Option<Found>,
}

/// One engine's search from `from`: its first match there or later, if any.
#[derive(Clone, Copy)]
struct Found {
    from: usize,
    found: Option<Match>,
}

impl Found {
    /// The answer for a search from `from`, when this one also is.
    fn reuse(self, from: usize) -> Option<Option<Match>> {
        (self.from <= from && self.found.is_none_or(|m| m.start() >= from)).then_some(self.found)
    }
}

fn cached(slot: &mut Option<Found>, from: usize, search: impl FnOnce() -> Option<Match>) -> Option<Match> {
    if let Some(found) = slot.and_then(|f| f.reuse(from)) {
        return found;
    }
    let found = search();
    *slot = Some(Found { from, found });
    found
}

impl Matches<'_> {
    /// The first match that starts at `from` (a char boundary) or later.
    pub fn find_from(&mut self, from: usize) -> Option<Match> {
        let (literals, text) = (self.literals, self.text);
        let word = cached(&mut self.word, from, || literals.words.find(text, from));
        let Some(anywhere) = &literals.anywhere else {
            return word;
        };
        let other = cached(&mut self.anywhere, from, || anywhere.find(text, from));
        match (word, other) {
            (Some(w), Some(o)) => {
                // The earlier; at one start the longer, then the term added first.
                let rank = |m: Match| (m.start(), std::cmp::Reverse(m.len()), m.pattern());
                Some(if rank(o) < rank(w) { o } else { w })
            }
            (w, o) => w.or(o),
        }
    }
}

impl Iterator for Matches<'_> {
    type Item = Match;

    fn next(&mut self) -> Option<Match> {
        // No term is empty, so each match moves the search on.
        let m = self.find_from(self.next)?;
        self.next = m.end();
        Some(m)
    }
}

/// A character a term may start with to be found only where a word starts.
fn starts_word(c: char) -> bool {
    is_word_char(c) && !is_cjk(c)
}

fn is_word_byte(b: u8) -> bool {
    is_alnum(b) || b == b'_'
}

/// Bytes of the first word that go into its key, beside its length.
const KEY_BYTES: usize = 7;

/// The key of a first word: its first bytes folded, and its length.
fn key(word: &[u8]) -> u64 {
    let head = word
        .iter()
        .take(KEY_BYTES)
        .enumerate()
        .fold(0, |k, (i, &b)| k | u64::from(b | 0x20) << (8 * i));
    head | (word.len().min(255) as u64) << 56
}

/// [`key`] of `bytes[start..end]`, from one load where eight bytes are there. Folding with
/// bit 5 keeps digits and `_` apart from letters; it merges a few other bytes, which only
/// puts more candidates under a key.
#[inline]
fn key_at(bytes: &[u8], start: usize, end: usize) -> u64 {
    let len = end - start;
    match folded_head(bytes, start, len.min(KEY_BYTES)) {
        Some(head) => head | (len.min(255) as u64) << 56,
        None => key(&bytes[start..end]),
    }
}

/// Bytes after a first word that a word start's probe takes in with the word.
const FOLLOW: usize = 3;

/// The eight bytes at `at`, folded with bit 5 as [`key`] folds them (padded past the end, as
/// if with spaces: a probe never needs bytes the text does not have).
#[inline]
fn head_at(bytes: &[u8], at: usize) -> u64 {
    let mut eight = [0u8; 8];
    match bytes.get(at..at + 8) {
        Some(there) => eight.copy_from_slice(there),
        None => {
            let rest = bytes.get(at..).unwrap_or_default();
            eight[..rest.len()].copy_from_slice(rest);
        }
    }
    u64::from_le_bytes(eight) | 0x2020_2020_2020_2020
}

/// The mask of the first `n` bytes of a number read little-endian, `n` at most eight.
fn keep(n: usize) -> u64 {
    match n {
        8.. => u64::MAX,
        _ => (1 << (8 * n)) - 1,
    }
}

/// The bit in [`WordIndex::heads`] of a probe: the bytes of a [`head_at`] that a mask of
/// [`WordIndex::by_len`] keeps, as the top bits of a multiplication, which depend on all of
/// them. (The length of the first word is left out: bytes other than NUL stay other than NUL
/// folded, so a first word shorter than the probe has its length in it.)
#[inline]
fn head_bit(probe: u64) -> usize {
    (probe.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 48) as usize
}

/// Where the word (its run of non-CJK word characters) that starts at `start` ends.
fn word_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = start;
    while let Some(&b) = bytes.get(at) {
        if b < 0x80 {
            if !is_word_byte(b) {
                break;
            }
            at += 1;
        } else {
            match text[at..].chars().next() {
                Some(c) if starts_word(c) => at += c.len_utf8(),
                _ => break,
            }
        }
    }
    at
}

fn is_word_char_at(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at) {
        Some(&b) if b < 0x80 => is_word_byte(b),
        Some(_) => text[at..].chars().next().is_some_and(is_word_char),
        None => false,
    }
}

/// A term that starts with a word character, under its first word's key.
struct Candidate {
    id: usize,
    /// Its bytes in `WordIndex::bytes`.
    start: usize,
    len: usize,
    /// Its last character is a word character (not CJK): the text must not go on with one.
    needs_end: bool,
    /// Up to eight bytes after its first word, lowercased ([`Tail`]): the candidates under one
    /// key share their first word, and most differ from the text in the bytes after it, which
    /// one comparison of numbers tells before the bytes are compared one by one.
    tail: Tail,
}

/// Up to eight bytes, ASCII-lowercased, as one little-endian number, with the mask of the
/// bytes that are there.
#[derive(Clone, Copy)]
struct Tail {
    bytes: u64,
    mask: u64,
}

impl Tail {
    fn of(bytes: &[u8]) -> Tail {
        let mut eight = [0u8; 8];
        let n = bytes.len().min(8);
        eight[..n].copy_from_slice(&bytes[..n]);
        let mask = if n == 8 { u64::MAX } else { (1u64 << (8 * n)) - 1 };
        Tail {
            bytes: lowercase(u64::from_le_bytes(eight)),
            mask,
        }
    }

    /// False when `text` (a [`Tail::of`] a text, with its eight bytes) cannot begin with these
    /// bytes in any ASCII case.
    #[inline]
    fn may_start(self, text: u64) -> bool {
        text & self.mask == self.bytes
    }
}

/// The eight bytes as `u8::to_ascii_lowercase` makes each of them, at once: bit 5 is added to
/// each byte from `A` to `Z`.
#[inline]
fn lowercase(x: u64) -> u64 {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let seven = x & !HIGH;
    // The high bit of each byte: its low seven bits are at least `A`, more than `Z`.
    let from_a = seven + LOW * u64::from(0x80 - b'A');
    let past_z = seven + LOW * u64::from(0x80 - b'Z' - 1);
    let upper = (from_a ^ past_z) & !x & HIGH;
    x | upper >> 2
}

/// The eight bytes at `at` lowercased, as [`Tail::of`] reads them (NUL past the end).
#[inline]
fn tail_at(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(eight) => lowercase(u64::from_le_bytes(eight.try_into().unwrap_or_default())),
        None => Tail::of(bytes.get(at..).unwrap_or_default()).bytes,
    }
}

/// A multiply-and-fold hasher for `u64` keys (the std hasher costs more than the lookup).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, k: u64) {
        let m = u128::from(k ^ self.0) * 0x9e37_79b9_7f4a_7c15;
        self.0 = (m as u64) ^ (m >> 64) as u64;
    }
}

/// The terms that start with a word character, by their first word.
struct WordIndex {
    /// Bit `fold(b1) << 8 | fold(b0)` is set when some term starts with those two bytes (a
    /// one-byte term sets every second byte): 8 KB, so most word starts are turned away
    /// without touching the hash table.
    first_two: Box<[u64; 1024]>,
    /// For each term, the [`head_bit`] of its first bytes that [`WordIndex::by_len`] keeps
    /// for its first word's length: 8 KB again. A term that matches at a word start has the
    /// text's first word as its own, so the text there has the same probe. Word starts are
    /// turned away here by their first bytes, read in one load, most by the bytes after their
    /// first word: a common word that begins only long terms ("the", "on" in a large
    /// glossary) is turned away by the bytes after it.
    heads: Box<[u64; 1024]>,
    /// By the length of a first word (the last for eight bytes and more), the mask of the
    /// bytes its probe takes: the word and the [`FOLLOW`] bytes after it, at most eight; or
    /// the word alone, when some term with a first word of that length has fewer bytes after
    /// it (such a length lets more words through: [`WordIndex::may_begin`] looks again).
    by_len: [u64; 9],
    /// [`WordIndex::by_len`] by the word bytes of the eight bytes at a word start, as a mask
    /// (bit `i` for byte `i`; the first word's length is its trailing ones).
    by_bits: Box<[u64; 256]>,
    /// The [`head_bit`] of each term's first word and the [`FOLLOW`] bytes after it (at most
    /// eight bytes), or of its first word alone where fewer bytes follow, in two tables: what
    /// [`WordIndex::heads`] lets through is looked at again here before the hash lookup.
    followed: Box<[u64; 1024]>,
    alone: Box<[u64; 1024]>,
    /// First word's key → range of `candidates`, longest first, then in the order added.
    groups: HashMap<u64, (usize, usize), BuildHasherDefault<KeyHasher>>,
    candidates: Vec<Candidate>,
    /// The candidates' bytes, in their order.
    bytes: Vec<u8>,
    /// Where the terms' first bytes occur, when they are few enough for one Teddy searcher
    /// (the shipped packs' terms are): faster than looking at every word start.
    starts: Option<packed::Searcher>,
}

impl WordIndex {
    fn new(patterns: &[(usize, &str)]) -> Self {
        let mut first_two = Box::new([0u64; 1024]);
        let mut keyed: Vec<(u64, usize, usize, &str)> = Vec::with_capacity(patterns.len());
        for &(id, p) in patterns {
            let b = p.as_bytes();
            let b0 = usize::from(b[0] | 0x20);
            match b.get(1) {
                Some(&b1) => set_bit(&mut first_two, b0 | usize::from(b1 | 0x20) << 8),
                None => (0..256).for_each(|b1| set_bit(&mut first_two, b0 | b1 << 8)),
            }
            keyed.push((key(&b[..word_end(p, 0)]), p.len(), id, p));
        }
        keyed.sort_unstable_by_key(|&(key, len, id, _)| (key, std::cmp::Reverse(len), id));
        // The first-word lengths (below eight) of terms shorter than their first word and
        // the bytes after it that a probe would take: the text goes on as it likes after
        // those, so their probe is the word alone, and so for every term of that length.
        let follow = |first: usize| (first + FOLLOW).min(8);
        let alone = keyed.iter().fold(0u16, |alone, &(.., p)| match word_end(p, 0) {
            first if first < 8 && p.len() < follow(first) => alone | 1 << first,
            _ => alone,
        });
        let probe_len = |first: usize| match alone >> first & 1 {
            1 => first,
            _ => follow(first),
        };
        let by_len: [u64; 9] = std::array::from_fn(|first| keep(probe_len(first)));
        let by_bits = Box::new(std::array::from_fn(|m: usize| {
            by_len[(!m).trailing_zeros().min(8) as usize]
        }));
        let mut heads = Box::new([0u64; 1024]);
        let mut followed = Box::new([0u64; 1024]);
        let mut alone_heads = Box::new([0u64; 1024]);
        for &(.., p) in &keyed {
            let first = word_end(p, 0);
            let head = head_at(p.as_bytes(), 0);
            set_bit(&mut heads, head_bit(head & by_len[first.min(8)]));
            match p.len() < follow(first) {
                true => set_bit(&mut alone_heads, head_bit(head & keep(first))),
                false => set_bit(&mut followed, head_bit(head & keep(follow(first)))),
            }
        }
        let mut groups = HashMap::default();
        let mut candidates = Vec::with_capacity(keyed.len());
        let mut bytes = Vec::new();
        for (i, &(key, len, id, p)) in keyed.iter().enumerate() {
            groups.entry(key).or_insert((i, i)).1 = i + 1;
            let last = p.chars().next_back().is_some_and(starts_word);
            candidates.push(Candidate {
                id,
                start: bytes.len(),
                len,
                needs_end: last,
                tail: Tail::of(&p.as_bytes()[word_end(p, 0)..]),
            });
            bytes.extend_from_slice(p.as_bytes());
        }
        let terms: Vec<&str> = patterns.iter().map(|p| p.1).collect();
        WordIndex {
            first_two,
            heads,
            by_len,
            by_bits,
            followed,
            alone: alone_heads,
            groups,
            candidates,
            bytes,
            starts: starts_searcher(&terms),
        }
    }

    /// Whether some term starts with the two bytes at `at` (folded).
    #[inline]
    fn may_start(&self, bytes: &[u8], at: usize) -> bool {
        let b1 = bytes.get(at + 1).copied().unwrap_or(0);
        let bit = usize::from(u16::from_le_bytes([bytes[at], b1]) | 0x2020);
        self.first_two[bit / 64] >> (bit % 64) & 1 == 1
    }

    /// Whether the bit of `probe` (a [`head_bit`]) is set in [`WordIndex::heads`].
    #[inline]
    fn has(&self, probe: u64) -> bool {
        has_bit(&self.heads, head_bit(probe))
    }

    /// Whether some term may match at a word start whose first word is `len` bytes long,
    /// with `head` (its [`head_at`]) there, by [`WordIndex::heads`].
    #[inline]
    fn may_begin_here(&self, head: u64, len: usize) -> bool {
        self.has(head & self.by_len[len.min(8)])
    }

    /// Whether some term may match at a word start whose first word is `len` bytes long,
    /// with `head` (its [`head_at`]) there, by the word and the bytes after it where the
    /// term has them ([`WordIndex::followed`], [`WordIndex::alone`]).
    fn may_begin(&self, head: u64, len: usize) -> bool {
        let follow = (len + FOLLOW).min(8);
        has_bit(&self.followed, head_bit(head & keep(follow)))
            || len < 8 && has_bit(&self.alone, head_bit(head & keep(len)))
    }

    /// Of the word starts `starts` of an ASCII block whose word bytes are `word`, those where
    /// some term may match ([`WordIndex::may_begin_here`]); and the start of a word that runs to
    /// the block's end where the eight bytes after the block do not tell its length. `padded`
    /// is the block and the eight bytes after it (NUL past the text). A text has a word start
    /// every six bytes and few of them begin a term: each is turned away with one load and a
    /// bit, in a loop that does nothing else.
    #[inline(never)]
    fn may_begin_in(&self, padded: &[u8; BLOCK + 8], word: u64, starts: u64) -> u64 {
        // The last word starts after the last byte that is not a word byte.
        let last = match word >> 63 {
            1 => starts & 1 << ((BLOCK as u32 - (!word).leading_zeros()) % 64),
            _ => 0,
        };
        let head = |j: usize| {
            let eight: [u8; 8] = padded[j..j + 8].try_into().unwrap_or_default();
            u64::from_le_bytes(eight) | 0x2020_2020_2020_2020
        };
        let mut rest = starts & !last;
        let mut kept = 0;
        while rest != 0 {
            let j = rest.trailing_zeros() as usize & (BLOCK - 1);
            rest &= rest - 1;
            // The word ends in the block: its bytes' bits say how long it is.
            let keep = self.by_bits[usize::from((word >> j) as u8)];
            kept |= u64::from(self.has(head(j) & keep)) << j;
        }
        if last != 0 {
            let j = last.trailing_zeros() as usize & (BLOCK - 1);
            // Its length up to eight, from the bytes after the block: unknown where a byte
            // beyond ASCII comes first (it may be a letter).
            let mut len = BLOCK - j;
            let known = loop {
                match padded.get(j + len) {
                    _ if len >= 8 => break true,
                    Some(&b) if b >= 0x80 => break false,
                    Some(&b) if is_word_byte(b) => len += 1,
                    _ => break true,
                }
            };
            if !known || self.may_begin_here(head(j), len) {
                kept |= last;
            }
        }
        kept
    }

    /// The longest term that matches as a whole word at `start`, a word start whose first
    /// word ends at `end`.
    fn match_at(&self, text: &str, start: usize, end: usize) -> Option<Match> {
        let bytes = text.as_bytes();
        self.match_keyed(text, start, key_at(bytes, start, end), tail_at(bytes, end))
    }

    /// [`WordIndex::match_at`], with the first word's key and the [`tail_at`] its end.
    #[inline]
    fn match_keyed(&self, text: &str, start: usize, key: u64, tail: u64) -> Option<Match> {
        let bytes = text.as_bytes();
        let &(lo, hi) = self.groups.get(&key)?;
        // A term that matches here has its first word where the text's ends (see `Tail`).
        self.candidates[lo..hi].iter().find_map(|c| {
            if !c.tail.may_start(tail) {
                return None;
            }
            let stop = start + c.len;
            let found = bytes.get(start..stop)?;
            let whole = found.eq_ignore_ascii_case(&self.bytes[c.start..c.start + c.len])
                && !(c.needs_end && is_word_char_at(text, stop));
            whole.then(|| Match::must(c.id, start..stop))
        })
    }

    /// The first whole-word match at `from` or later.
    fn find(&self, text: &str, from: usize) -> Option<Match> {
        if self.candidates.is_empty() {
            return None;
        }
        if let Some(starts) = &self.starts {
            return self.find_by_starts(starts, text, from);
        }
        let bytes = text.as_bytes();
        let mut at = from;
        let mut after_word = text[..from].chars().next_back().is_some_and(is_word_char);
        while at < bytes.len() {
            if let Some(block) = ascii_block(bytes, at) {
                let word = mask(block, is_word_byte);
                let starts = word & !(word << 1 | u64::from(after_word));
                // The block and the eight bytes after it, for the probes of its word starts.
                let mut padded = [0u8; BLOCK + 8];
                padded[..BLOCK].copy_from_slice(block);
                match bytes.get(at + BLOCK..at + BLOCK + 8) {
                    Some(eight) => padded[BLOCK..].copy_from_slice(eight),
                    None => {
                        let rest = bytes.get(at + BLOCK..).unwrap_or_default();
                        padded[BLOCK..BLOCK + rest.len()].copy_from_slice(rest);
                    }
                }
                let mut kept = self.may_begin_in(&padded, word, starts);
                while kept != 0 {
                    let j = kept.trailing_zeros() as usize;
                    kept &= kept - 1;
                    let len = (!(word >> j)).trailing_zeros() as usize;
                    // A word that goes on into the next block ends where the text says.
                    let (start, end) = match j + len < BLOCK {
                        true => (at + j, at + j + len),
                        false => (at + j, word_end(text, at + BLOCK)),
                    };
                    if !self.may_begin(head_at(bytes, start), end - start) {
                        continue;
                    }
                    let found = self.match_keyed(text, start, key_at(bytes, start, end), tail_at(bytes, end));
                    if found.is_some() {
                        return found;
                    }
                }
                after_word = word >> 63 == 1;
                at += BLOCK;
            } else {
                let mut stop = (at + BLOCK).min(bytes.len());
                while !text.is_char_boundary(stop) {
                    stop += 1;
                }
                for (i, c) in text[at..stop].char_indices() {
                    let is_word = is_word_char(c);
                    if is_word && !after_word && !is_cjk(c) && self.may_start(bytes, at + i) {
                        if let Some(m) = self.match_at(text, at + i, word_end(text, at + i)) {
                            return Some(m);
                        }
                    }
                    after_word = is_word;
                }
                at = stop;
            }
        }
        None
    }

    /// [`WordIndex::find`] where the prefilter says some term's first bytes are.
    fn find_by_starts(&self, starts: &packed::Searcher, text: &str, from: usize) -> Option<Match> {
        let mut at = from;
        while at < text.len() {
            // The bytes found begin as a term does: with a character, so on a boundary.
            let start = starts.find_in(text, aho_corasick::Span::from(at..text.len()))?.start();
            if !text[..start].chars().next_back().is_some_and(is_word_char) {
                if let Some(m) = self.match_at(text, start, word_end(text, start)) {
                    return Some(m);
                }
            }
            at = start + 1;
        }
        None
    }
}

fn set_bit(bits: &mut [u64; 1024], bit: usize) {
    bits[bit / 64] |= 1 << (bit % 64);
}

#[inline]
fn has_bit(bits: &[u64; 1024], bit: usize) -> bool {
    bits[bit / 64] & 1 << (bit % 64) != 0
}

/// The terms that may match anywhere: Aho-Corasick's own prefilters give up on ASCII case
/// folding (a few common letters are all they can look for), so a Teddy searcher (SIMD, from
/// the same crate) finds where the first three or four bytes of some term occur, in any case,
/// and the automaton only runs, anchored, from there.
struct Anywhere {
    automaton: AhoCorasick,
    /// Every case variant of the terms' first bytes; `None` when Teddy cannot be used (no
    /// SIMD, too many variants, a short term): then the automaton scans alone.
    starts: Option<packed::Searcher>,
    /// The automaton's pattern → the term's number.
    ids: Vec<usize>,
}

impl Anywhere {
    fn new(patterns: &[(usize, &str)]) -> Result<Self, BuildError> {
        let terms: Vec<&str> = patterns.iter().map(|p| p.1).collect();
        let starts = starts_searcher(&terms);
        // With the prefilter, the automaton only runs anchored: building the unanchored start
        // as well would double the work of compiling it.
        let start_kind = if starts.is_some() {
            StartKind::Anchored
        } else {
            StartKind::Unanchored
        };
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(start_kind)
            .build(&terms)?;
        Ok(Anywhere {
            automaton,
            starts,
            ids: patterns.iter().map(|p| p.0).collect(),
        })
    }

    /// The leftmost-longest match that starts at `from` or later.
    fn find(&self, text: &str, from: usize) -> Option<Match> {
        let m = self.find_local(text, from)?;
        Some(Match::must(self.ids[m.pattern().as_usize()], m.range()))
    }

    fn find_local(&self, text: &str, from: usize) -> Option<Match> {
        let Some(starts) = &self.starts else {
            return self.automaton.find(Input::new(text).range(from..));
        };
        let mut at = from;
        // A match starts where some term's first bytes do; the first place where one of the
        // terms matches in full is the leftmost match, and the automaton there picks the longest.
        while at < text.len() {
            let candidate = starts.find_in(text, aho_corasick::Span::from(at..text.len()))?.start();
            let anchored = Input::new(text).range(candidate..).anchored(Anchored::Yes);
            if let Some(m) = self.automaton.find(anchored) {
                return Some(m);
            }
            at = candidate + 1;
        }
        None
    }
}

/// A Teddy searcher for the first bytes of the patterns in every ASCII case: as many bytes (up
/// to four) as keep the variants within what one searcher takes.
fn starts_searcher(patterns: &[&str]) -> Option<packed::Searcher> {
    let shortest = patterns.iter().map(|p| p.len()).min()?;
    let variants = (MIN_PREFIX..=shortest.min(MAX_PREFIX))
        .rev()
        .map(|len| case_variants(patterns, len))
        .find(|v| v.len() <= MAX_VARIANTS)?;
    packed::Config::new()
        .match_kind(packed::MatchKind::LeftmostFirst)
        // Beyond Teddy's usual 64 patterns: the case variants of one start share a bucket.
        .heuristic_pattern_limits(false)
        .builder()
        .extend(variants)
        .build()
}

/// The first `len` bytes of the patterns, deduplicated, in every ASCII case. Teddy puts
/// patterns whose bytes have the same low nibbles (the case variants of one start) in one
/// bucket, and picks a new start's bucket from its index: so the starts come first, each
/// in one case, and the other cases after, to give each start a bucket of its own.
fn case_variants(patterns: &[&str], len: usize) -> Vec<Vec<u8>> {
    // In pattern order (the bucket choice depends on it), each start once; thousands of terms
    // have thousands of starts, so duplicates are found by hashing. More starts than a
    // searcher takes end the count early: the caller then does without.
    let mut starts: Vec<Vec<u8>> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in patterns {
        let start = p.as_bytes()[..len].to_ascii_lowercase();
        if seen.insert(start.clone()) {
            starts.push(start);
            if starts.len() > MAX_VARIANTS {
                return starts;
            }
        }
    }
    let forms: Vec<Vec<Vec<u8>>> = starts
        .into_iter()
        .map(|start| {
            let mut forms = vec![start];
            for i in 0..len {
                if forms[0][i].is_ascii_alphabetic() {
                    for j in 0..forms.len() {
                        let mut upper = forms[j].clone();
                        upper[i] = upper[i].to_ascii_uppercase();
                        forms.push(upper);
                    }
                }
            }
            forms
        })
        .collect();
    let most = forms.iter().map(Vec::len).max().unwrap_or(0);
    (0..most)
        .flat_map(|k| forms.iter().filter_map(move |f| f.get(k).cloned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::is_whole_word;
    use crate::span::Span;

    /// The matches as `(start, end, pattern)`.
    fn all(matches: impl Iterator<Item = Match>) -> Vec<(usize, usize, usize)> {
        matches.map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect()
    }

    /// The first match at `from` or later, by trying every term at every start: the longest
    /// term that matches there (as a whole word, for a term starting with a non-CJK word
    /// character), the one added first among equals.
    fn reference(patterns: &[&str], text: &str, from: usize) -> Option<(usize, usize, usize)> {
        (from..=text.len()).filter(|&s| text.is_char_boundary(s)).find_map(|s| {
            let mut best: Option<(usize, usize, usize)> = None;
            for (id, p) in patterns.iter().enumerate() {
                let end = s + p.len();
                let Some(found) = text.as_bytes().get(s..end) else {
                    continue;
                };
                let Some(first) = p.chars().next() else { continue };
                if !found.eq_ignore_ascii_case(p.as_bytes()) {
                    continue;
                }
                if starts_word(first) && !is_whole_word(text, Span::new(s, end)) {
                    continue;
                }
                if best.is_none_or(|b| p.len() > b.1 - b.0) {
                    best = Some((s, end, id));
                }
            }
            best
        })
    }

    fn reference_iter(patterns: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(m) = reference(patterns, text, from) {
            from = m.1;
            out.push(m);
        }
        out
    }

    /// A small deterministic generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    const WORDS: &[&str] = &[
        "the",
        "The",
        "THE",
        "party",
        "Party",
        "PARTY",
        "pArty",
        "parties",
        "building",
        "buildings",
        "a",
        "A",
        "an",
        "I",
        "us",
        "US",
        "x",
        "ray",
        "x-ray",
        "X-Ray",
        "U.S.",
        "U.S",
        "café",
        "Café",
        "cafés",
        "über",
        "Über",
        "Zürich",
        "古镇",
        "古镇party",
        "Mirror",
        "“Mirror”",
        "9",
        "_id",
        "party_line",
        "town",
        "old",
        "hall",
        "é",
        "partyé",
        "naïve",
    ];
    const SEPARATORS: &[&str] = &[
        " ", " ", " ", " ", "  ", "-", ". ", ", ", "\n", "“", "”", "‘", "’", "", "é", ".",
    ];

    /// Text of words and separators; `ascii` of 10 times drawn from the ASCII words only, so
    /// that most 64-byte blocks take the fast path and some do not.
    fn text(rng: &mut Rng, words: usize, ascii: usize) -> String {
        let mut t = String::new();
        for _ in 0..words {
            let word = loop {
                let w = WORDS[rng.below(WORDS.len())];
                if rng.below(10) >= ascii || w.is_ascii() {
                    break w;
                }
            };
            t += word;
            let sep = loop {
                let s = SEPARATORS[rng.below(SEPARATORS.len())];
                if rng.below(10) >= ascii || s.is_ascii() {
                    break s;
                }
            };
            t += sep;
        }
        t
    }

    fn check(patterns: &[&str], text: &str) {
        let literals = WordTerms::new(patterns).unwrap();
        assert_eq!(
            all(literals.find_iter(text)),
            reference_iter(patterns, text),
            "{patterns:?} in {text:?}"
        );
        // One cursor moving on, as the term check's loop uses it, and fresh ones.
        let mut cursor = literals.find_iter(text);
        for from in (0..=text.len()).filter(|&f| text.is_char_boundary(f)) {
            let want = reference(patterns, text, from);
            let got = |m: Option<Match>| m.map(|m| (m.start(), m.end(), m.pattern().as_usize()));
            assert_eq!(got(cursor.find_from(from)), want, "from {from} in {text:?}");
            assert_eq!(got(literals.find_iter(text).find_from(from)), want, "from {from}");
        }
    }

    const GLOSSARIES: &[&[&str]] = &[
        // One- and two-byte terms.
        &["a", "I", "an", "us", "x", "9"],
        // Terms of every kind: inner punctuation, non-ASCII, duplicates differing in case,
        // one term the start of another, terms that start with a quote or a CJK character.
        &[
            "party",
            "Party",
            "PARTY",
            "party building",
            "the party",
            "the party building",
            "x-ray",
            "X-ray",
            "U.S.",
            "U.S",
            "café",
            "Café",
            "Über",
            "über",
            "naïve",
            "古镇",
            "古镇party",
            "“Mirror”",
            "Zürich",
            "ray",
            "9",
            "_id",
            "building",
            "a",
            "old town",
            "town hall",
            "’",
            "x古镇",
            "party古",
        ],
        // Few terms of three bytes or more: the prefilter path.
        &[
            "party",
            "the party building",
            "the party",
            "x-ray",
            "U.S.",
            "café",
            "Zürich",
            "town hall",
        ],
        // Only terms that match anywhere.
        &["古镇", "“Mirror”", "-ray", ".S.", "’s"],
    ];

    #[test]
    fn matches_the_reference_on_generated_text() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..40 {
            let t = text(&mut rng, 60 + round * 5, round % 11);
            for glossary in GLOSSARIES {
                check(glossary, &t);
            }
        }
    }

    #[test]
    fn a_large_glossary_matches_the_reference() {
        let mut rng = Rng(7);
        let mut terms: Vec<String> = Vec::new();
        for _ in 0..300 {
            let words = 1 + rng.below(3);
            let term: Vec<&str> = (0..words).map(|_| WORDS[rng.below(WORDS.len())]).collect();
            terms.push(term.join(" "));
        }
        terms.extend(GLOSSARIES[1].iter().map(|t| t.to_string()));
        let patterns: Vec<&str> = terms.iter().map(String::as_str).collect();
        let literals = WordTerms::new(&patterns).unwrap();
        assert!(literals.words.starts.is_none());
        for round in 0..10 {
            check(&patterns, &text(&mut rng, 300, round));
        }
    }

    #[test]
    fn words_across_block_ends_match_the_reference() {
        // ASCII text, so every block takes the probes, shifted so that each place of a word
        // meets a block's end; one-word terms of every length up to nine, and longer terms.
        let mut rng = Rng(11);
        let mut terms: Vec<String> = [
            "a",
            "of",
            "the",
            "town",
            "party",
            "buyers",
            "ledgers",
            "building",
            "buildings",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        for _ in 0..200 {
            let words = 1 + rng.below(3);
            let term: Vec<&str> = (0..words)
                .map(|_| loop {
                    let w = WORDS[rng.below(WORDS.len())];
                    if w.is_ascii() {
                        break w;
                    }
                })
                .collect();
            terms.push(term.join(" "));
        }
        let patterns: Vec<&str> = terms.iter().map(String::as_str).collect();
        let body = text(&mut rng, 60, 10);
        for shift in 0..BLOCK {
            check(&patterns, &format!("{}{body}", " ".repeat(shift)));
        }
    }

    #[test]
    fn few_long_terms_use_the_prefilter() {
        assert!(WordTerms::new(GLOSSARIES[2]).unwrap().words.starts.is_some());
        assert!(WordTerms::new(GLOSSARIES[0]).unwrap().words.starts.is_none());
    }

    #[test]
    fn the_longest_whole_word_term_wins() {
        let patterns = ["the party building", "the party"];
        let literals = WordTerms::new(&patterns).unwrap();
        // "the party building" is part of "buildings": the shorter term is what is there.
        assert_eq!(all(literals.find_iter("the party buildings")), [(0, 9, 1)]);
        assert_eq!(all(literals.find_iter("The Party Building.")), [(0, 18, 0)]);
        // Inside a word, nothing.
        assert_eq!(all(literals.find_iter("bathe party")), []);
    }

    #[test]
    fn terms_differing_in_case_report_the_first_added_as_the_automaton() {
        let patterns = ["Party", "PARTY", "party"];
        let text = "party Party PARTY pArty";
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns)
            .unwrap();
        let literals = WordTerms::new(&patterns).unwrap();
        assert_eq!(all(literals.find_iter(text)), all(automaton.find_iter(text)));
        assert_eq!(
            all(literals.find_iter(text)),
            [(0, 5, 0), (6, 11, 0), (12, 17, 0), (18, 23, 0)]
        );
    }

    #[test]
    fn keys_from_one_load_equal_keys_byte_by_byte() {
        let text = "Party x-ray Ünicode naïve a_9 supercalifragilistic";
        let bytes = text.as_bytes();
        for start in (0..text.len()).filter(|&s| text.is_char_boundary(s)) {
            for end in (start + 1..=text.len()).filter(|&e| text.is_char_boundary(e)) {
                assert_eq!(key_at(bytes, start, end), key(&bytes[start..end]), "{start}..{end}");
            }
        }
    }

    #[test]
    fn eight_bytes_lowercase_as_each_byte_does() {
        for b in 0..=255u8 {
            for other in [0u8, b'A', b'z', 0x80, 0xff] {
                let eight = [b, other, b, 0x5a, b, 0x41, other, b];
                let want = eight.map(|c| c.to_ascii_lowercase());
                assert_eq!(lowercase(u64::from_le_bytes(eight)), u64::from_le_bytes(want), "{b:#x}");
            }
        }
    }

    #[test]
    fn empty_terms_never_match() {
        let literals = WordTerms::new(&["", "x"]).unwrap();
        assert_eq!(all(literals.find_iter("x y")), [(0, 1, 1)]);
    }
}
