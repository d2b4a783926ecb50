//! The words of a text as the word-level checks read them: ASCII letters with inner
//! apostrophes, split at hyphens, not glued to code or numbers ([`words`]), and a compact table
//! of them with an id per distinct word ([`WordTable`]), which a document keeps
//! (`Document::word_table`) and the checks share (see `checks::words`).
//!
//! Each word is its start and an id: words written alike (byte for byte) share the id, so a
//! check works out what it asks of a word (is it pinyin, does the dictionary know it, is it a
//! known misspelling) once per distinct word of the document, kept in a vector indexed by the
//! id, instead of once per occurrence, and reads the word's case from one byte of the table.

use std::collections::HashMap;

use crate::span::Span;

/// Maps with a fast hash: every word of a document is looked up once.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// A document of up to this many bytes keeps its table.
pub const WHOLE: usize = 4 << 20;
/// The length a larger document is read in, in bytes, each stretch with its own table.
pub const STRETCH: usize = 1 << 20;

/// A word with no ASCII capital letter.
pub const LOWER: u8 = 1;
/// A word with one capital letter, its first.
pub const CAPITALISED: u8 = 2;
/// A word whose first letter is a capital.
pub const FIRST_UPPER: u8 = 4;
/// A word with a capital after its first letter (`PBFT`, `iPhone`, `ZhangHaiCong`).
pub const INNER_UPPER: u8 = 8;
/// A word with a curly apostrophe (its only possible byte that is not ASCII).
pub const CURLY: u8 = 16;
/// A word with a straight apostrophe.
pub const APOSTROPHE: u8 = 32;

/// The case and apostrophe bits of `word`: [`LOWER`], [`CAPITALISED`], [`FIRST_UPPER`],
/// [`INNER_UPPER`], [`CURLY`], [`APOSTROPHE`].
pub fn shape(word: &str) -> u8 {
    let b = word.as_bytes();
    let Some((&first, rest)) = b.split_first() else {
        return LOWER;
    };
    let first_upper = first.is_ascii_uppercase();
    // One pass over the rest, with no branch inside.
    let (mut inner_upper, mut high, mut apostrophe) = (false, first >= 0x80, first == b'\'');
    for &c in rest {
        inner_upper |= c.is_ascii_uppercase();
        high |= c >= 0x80;
        apostrophe |= c == b'\'';
    }
    shape_bits(first_upper, inner_upper, high, apostrophe)
}

/// The [`shape`] bits of a word from what was found of its letters: a capital first, a
/// capital after it, a byte beyond ASCII, an apostrophe.
#[inline]
fn shape_bits(first_upper: bool, inner_upper: bool, high: bool, apostrophe: bool) -> u8 {
    let mut shape = 0;
    if !first_upper && !inner_upper {
        shape |= LOWER;
    }
    if first_upper {
        shape |= FIRST_UPPER;
        if !inner_upper {
            shape |= CAPITALISED;
        }
    }
    if inner_upper {
        shape |= INNER_UPPER;
    }
    if high {
        shape |= CURLY;
    }
    if apostrophe {
        shape |= APOSTROPHE;
    }
    shape
}

/// One occurrence of a word: its start (from the table's base) and its id.
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    start: u32,
    id: u32,
}

/// One distinct word: where it first occurs (from the table's base), its length,
/// [`shape`], and its bytes packed into a number ([`packed`]; 0 for a word over 15 bytes).
#[derive(Debug, Clone, Copy)]
struct Distinct {
    key: u128,
    start: u32,
    len: u32,
    shape: u8,
}

/// The words of a stretch of a text, in order, each with the id of its text. See the module's
/// documentation.
#[derive(Debug, Default)]
pub struct WordTable {
    /// Where the stretch starts and ends in the text: every word lies inside.
    base: usize,
    end: usize,
    words: Vec<Occurrence>,
    distinct: Vec<Distinct>,
}

/// Ids of packed words ([`packed`]) in an open-address table: a multiplication and a probe
/// or two for each word of the document. One is kept per thread and used again for each table
/// it builds: a slot is taken only when it has the table's generation, so nothing is cleared
/// between tables and nothing allocated but when the table grows.
#[derive(Default)]
struct ShortIds {
    /// (packed word, id, generation). The length is a power of two, at least twice the number
    /// of words held (and at least [`MIN_SLOTS`] once renewed).
    slots: Vec<(u128, u32, u32)>,
    /// 64 less the bits of a slot's index, for [`ShortIds::slot`].
    shift: u32,
    held: usize,
    generation: u32,
}

/// Slots kept for the next table at most: a thread that read a large document does not keep
/// its table's memory.
const KEPT_SLOTS: usize = 1 << 16;

/// The slots a table starts with.
const MIN_SLOTS: usize = 1 << 10;

impl ShortIds {
    /// Starts afresh, for a new table.
    fn renew(&mut self) {
        self.held = 0;
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 || self.slots.len() > KEPT_SLOTS || self.slots.is_empty() {
            self.slots = vec![(0, 0, 0); MIN_SLOTS];
            self.shift = 64 - MIN_SLOTS.trailing_zeros();
            self.generation = 1;
        }
    }

    /// The slot to look for `key` in first.
    #[inline(always)]
    fn slot(&self, key: u128) -> usize {
        let x = (key as u64) ^ ((key >> 64) as u64).rotate_left(23);
        (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The id of `key`, given `next` (kept) when it is new. Inlined in the loop of
    /// [`WordTable::build`], as it runs for every word; the table grows only when a word is
    /// added.
    #[inline(always)]
    fn id_or_insert(&mut self, key: u128, next: u32) -> u32 {
        let mask = self.slots.len() - 1;
        let mut at = self.slot(key);
        loop {
            let (k, id, generation) = self.slots[at & mask];
            if generation != self.generation {
                return self.insert(at & mask, key, next);
            }
            if k == key {
                return id;
            }
            at = (at & mask) + 1;
        }
    }

    /// Puts `key` with id `next` in the free slot `at`, or where it goes after the table
    /// grew when it is full; `next`.
    #[inline(always)]
    fn insert(&mut self, at: usize, key: u128, next: u32) -> u32 {
        if 2 * (self.held + 1) > self.slots.len() {
            self.grow();
            return self.place(key, next);
        }
        self.slots[at] = (key, next, self.generation);
        self.held += 1;
        next
    }

    /// Puts `key`, known to be new, with id `id`, where it goes: when the table grows.
    #[cold]
    #[inline(never)]
    fn place(&mut self, key: u128, id: u32) -> u32 {
        let mask = self.slots.len() - 1;
        let mut at = self.slot(key);
        while self.slots[at].2 == self.generation {
            at = (at + 1) & mask;
        }
        self.slots[at] = (key, id, self.generation);
        self.held += 1;
        id
    }

    /// Twice the slots, the words of this generation placed again.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        let slots = (2 * self.slots.len()).max(MIN_SLOTS);
        let old = std::mem::replace(&mut self.slots, vec![(0, 0, 0); slots]);
        self.shift = 64 - slots.trailing_zeros();
        self.held = 0;
        let generation = self.generation;
        for (key, id, _) in old.into_iter().filter(|&(_, _, g)| g == generation) {
            self.place(key, id);
        }
    }
}

/// `len` bytes (1 to 15) at `start` and the length, packed into one integer: the bytes from
/// the low end, the length in the top byte.
#[inline(always)]
fn packed(bytes: &[u8], start: usize, len: usize) -> u128 {
    let sixteen = match bytes.get(start..).and_then(|rest| rest.first_chunk::<16>()) {
        Some(sixteen) => u128::from_le_bytes(*sixteen),
        None => {
            let mut buf = [0u8; 16];
            buf[..len].copy_from_slice(&bytes[start..start + len]);
            u128::from_le_bytes(buf)
        }
    };
    sixteen & KEEP[len] | (len as u128) << 120
}

/// The most distinct words [`WordTable::build`] makes room for before it has read any.
const MAX_DISTINCT_RESERVED: usize = 4096;

/// For each length up to 15, the bits of the bytes of a word that [`packed`] keeps.
static KEEP: [u128; 16] = {
    let mut keep = [0u128; 16];
    let mut len = 0;
    while len < 16 {
        keep[len] = (1u128 << (8 * len)) - 1;
        len += 1;
    }
    keep
};

/// The number [`WordTable::key`] gives a word of `word`'s text, for a word read apart from
/// any table; `None` for a word over 15 bytes.
pub fn word_key(word: &str) -> Option<u128> {
    (word.len() <= 15).then(|| packed(word.as_bytes(), 0, word.len()))
}

impl WordTable {
    /// The table of the words of `text` that start in `from..to`, read with the whole text
    /// around them; `from` and `to` must be cuts ([`cut_at_or_after`], or the text's ends).
    ///
    /// The words of [`words`], found here 64 bytes at a time: the starts of runs of letters
    /// come from a block's letter mask, and each word is read from one of them, so a word
    /// costs a few instructions more than its id's lookup.
    pub fn build(text: &str, from: usize, to: usize) -> WordTable {
        let bytes = text.as_bytes();
        let n = bytes.len();
        // Offsets from the base fit in 32 bits: a stretch is cut short of 4 GiB.
        thread_local! {
            static SHORT: std::cell::RefCell<ShortIds> = std::cell::RefCell::new(ShortIds::default());
        }
        // The ids of words of up to 15 bytes, keyed by their bytes and length packed into one
        // integer (no string to allocate or compare); longer words by their text.
        let mut long: FastMap<&str, u32> = FastMap::default();
        // English prose has a word every six bytes or so: room for them at once, not grown
        // (and copied) by doubling.
        let mut words: Vec<Occurrence> = Vec::with_capacity((to - from) / 6);
        // A word in four is new to the table in a document of some thousand words: room for
        // about that many, so that the vector grows (and is copied) seldom. Larger texts
        // repeat their words: room for at most 4,096 (128 KB) at first, so that a large
        // document does not hold megabytes reserved for words it never has.
        let mut distinct: Vec<Distinct> = Vec::with_capacity(((to - from) / 24).min(MAX_DISTINCT_RESERVED));
        // The thread's table, taken out for the loop: its fields and the vectors above are
        // then the loop's own, kept in registers rather than read through references.
        let mut short = SHORT.with_borrow_mut(std::mem::take);
        short.renew();
        // Where the scan goes on: a run of letters that starts before is part of a word read
        // already (after its apostrophe).
        let mut i = from;
        // Whether the byte before the block is a letter (the byte before `from` is read as
        // none, as the scan of `words_from` does).
        let mut carry = 0;
        let mut base = from;
        while base < to {
            let letters = Letters::window(bytes, base);
            let mut starts = letters & !(letters << 1 | carry);
            carry = letters >> 63;
            // The last block: no word starts at `to` or after.
            if to - base < 64 {
                starts &= (1u64 << (to - base)) - 1;
            }
            while starts != 0 {
                let start = base + starts.trailing_zeros() as usize;
                starts &= starts - 1;
                if start < i {
                    continue;
                }
                let mut end = run_end(bytes, letters, base, start);
                // An apostrophe, straight or curly (E2 80 99), between letters: read on.
                loop {
                    match bytes.get(end) {
                        Some(b'\'') if bytes.get(end + 1).is_some_and(|&c| is_letter(c)) => {
                            end = run_end(bytes, letters, base, end + 2)
                        }
                        Some(0xE2)
                            if bytes.get(end + 1) == Some(&0x80)
                                && bytes.get(end + 2) == Some(&0x99)
                                && bytes.get(end + 3).is_some_and(|&c| is_letter(c)) =>
                        {
                            end = run_end(bytes, letters, base, end + 4)
                        }
                        _ => break,
                    }
                }
                i = end;
                let len = end - start;
                // Glued to a letter of another script, a digit or code characters, or inside
                // a dotted form (`file.txt`, `e.g`): not prose.
                if len < 2
                    || (start > 0 && glued(bytes[start - 1], || glued_before(text, start)))
                    || (end < n && glued(bytes[end], || glued_after(text, end)))
                {
                    continue;
                }
                let next = distinct.len() as u32;
                let rel = (start - from) as u32;
                let id = if len <= 15 {
                    let key = packed(bytes, start, len);
                    let id = short.id_or_insert(key, next);
                    if id == next {
                        distinct.push(Distinct {
                            key,
                            start: rel,
                            len: len as u32,
                            shape: packed_shape(key),
                        });
                    }
                    id
                } else {
                    new_long(text, start, end, rel, &mut long, &mut distinct)
                };
                words.push(Occurrence { start: rel, id });
            }
            base += 64;
            // A word that ran a block or more past this one: the blocks it covers hold no
            // word start to read, so the scan goes on at the block that holds its end, with
            // the letter before that block carried in.
            if i >= base + 64 {
                base += (i - base) / 64 * 64;
                carry = u64::from(is_letter(bytes[base - 1]));
            }
        }
        SHORT.with_borrow_mut(|kept| *kept = short);
        WordTable {
            base: from,
            end: to,
            words,
            distinct,
        }
    }

    /// Where the table's stretch of the text starts and ends.
    pub fn stretch(&self) -> Span {
        Span::new(self.base, self.end)
    }

    /// The number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True when the text read holds no word.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of distinct words: ids run from 0 to this.
    pub fn distinct(&self) -> usize {
        self.distinct.len()
    }

    /// The span of word `i`.
    #[inline]
    pub fn span(&self, i: usize) -> Span {
        let w = self.words[i];
        let start = self.base + w.start as usize;
        Span::new(start, start + self.distinct[w.id as usize].len as usize)
    }

    /// Where word `i` starts.
    #[inline]
    pub fn start(&self, i: usize) -> usize {
        self.base + self.words[i].start as usize
    }

    /// The id of word `i`.
    #[inline]
    pub fn id(&self, i: usize) -> u32 {
        self.words[i].id
    }

    /// The indices of the words whose id `wanted` takes, in order: for a check that works out
    /// once per distinct word which are worth reading, and then reads those alone (a loop of
    /// a few instructions a word, in a function of its own).
    #[inline(never)]
    pub fn indices_where(&self, wanted: impl Fn(u32) -> bool) -> Vec<u32> {
        let mut out = Vec::new();
        for (i, w) in self.words.iter().enumerate() {
            if wanted(w.id) {
                out.push(i as u32);
            }
        }
        out
    }

    /// The [`shape`] of the word with id `id`.
    #[inline]
    pub fn shape(&self, id: u32) -> u8 {
        self.distinct[id as usize].shape
    }

    /// The bytes of the word with id `id` packed into a number, which names the word in any
    /// document (see [`remembered`]); `None` for a word over 15 bytes.
    #[inline]
    pub fn key(&self, id: u32) -> Option<u128> {
        Some(self.distinct[id as usize].key).filter(|&k| k != 0)
    }

    /// The text of the word with id `id`; `text` is the text the table was built from.
    pub fn distinct_word<'t>(&self, text: &'t str, id: u32) -> &'t str {
        let d = self.distinct[id as usize];
        let start = self.base + d.start as usize;
        &text[start..start + d.len as usize]
    }

    /// The distinct words with their ids; `text` is the text the table was built from.
    pub fn distinct_words<'a, 't: 'a>(&'a self, text: &'t str) -> impl Iterator<Item = (&'t str, u32)> + 'a {
        self.distinct.iter().enumerate().map(move |(id, d)| {
            let start = self.base + d.start as usize;
            (&text[start..start + d.len as usize], id as u32)
        })
    }

    /// The indices of the words that start in `span`.
    pub fn starting_in(&self, span: Span) -> std::ops::Range<usize> {
        let at = |offset: usize| {
            let rel = offset.saturating_sub(self.base).min(u32::MAX as usize) as u32;
            self.words.partition_point(|w| w.start < rel)
        };
        at(span.start)..at(span.end)
    }
}

/// A number naming an asker of [`remembered`] for the life of the process: a rule, say. It
/// is a multiple of 64, so that an asker with several questions names each by adding its
/// number (below 64).
pub fn new_asker() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(64);
    NEXT.fetch_add(64, std::sync::atomic::Ordering::Relaxed)
}

/// How many answers a thread keeps in [`remembered`] before starting afresh: at most 16 MB a
/// thread (32 bytes a slot, twice as many slots as answers), since a batch of varied text
/// meets far more distinct words than the common ones worth keeping.
const REMEMBERED: usize = 1 << 18;

/// The answer `asker` ([`new_asker`]) had for the word of key `key` ([`WordTable::key`]) in an
/// earlier document read on this thread, or `answer()`, kept for the next: for what depends
/// only on the word and the asker (is it pinyin, is it in a rule's list), so that it is worked
/// out once per thread, not once per document. A word with no key is answered afresh.
pub fn remembered(asker: u64, key: Option<u128>, answer: impl FnOnce() -> u8) -> u8 {
    let Some(key) = key else {
        return answer();
    };
    if let Some(v) = KEPT.with_borrow(|kept| kept.get(asker, key)) {
        return v;
    }
    // Worked out with the table free: the answer may ask other words.
    let v = answer();
    KEPT.with_borrow_mut(|kept| kept.insert(asker, key, v));
    v
}

thread_local! {
    /// The answers of [`remembered`] and [`remembered_each`].
    static KEPT: std::cell::RefCell<Answers> = std::cell::RefCell::new(Answers::default());
}

/// [`remembered`] for each distinct word of `table` whose id `wanted` takes: its answer at its
/// id, `answer(id)` for the words not asked yet (worked out after all the others are looked
/// up, with the answers free, as [`remembered`] does). One look at the thread's answers for
/// the whole table instead of one a word: a document asks about some hundreds of words.
pub fn remembered_each(
    asker: u64,
    table: &WordTable,
    wanted: impl Fn(u32) -> bool,
    mut answer: impl FnMut(u32) -> u8,
) -> Vec<Option<u8>> {
    let mut out = vec![None; table.distinct.len()];
    let mut missing = Vec::new();
    KEPT.with_borrow(|kept| {
        for (id, d) in table.distinct.iter().enumerate() {
            if !wanted(id as u32) {
                continue;
            }
            match kept.get(asker, d.key) {
                Some(v) if d.key != 0 => out[id] = Some(v),
                _ => missing.push(id),
            }
        }
    });
    for id in missing {
        let v = answer(id as u32);
        let key = table.distinct[id].key;
        if key != 0 {
            KEPT.with_borrow_mut(|kept| kept.insert(asker, key, v));
        }
        out[id] = Some(v);
    }
    out
}

/// The answers of [`remembered`] by asker and word, in an open-address table: a
/// multiplication and a probe or two each (a word is asked about once per document and
/// asker, some hundreds of thousands of times in a run).
#[derive(Default)]
struct Answers {
    /// (key, asker, answer + 1, or 0 for a free slot); the length is a power of two, at least
    /// twice the answers held.
    slots: Vec<(u128, u64, u16)>,
    held: usize,
}

impl Answers {
    /// The slot to look for `asker`'s answer about `key` in first.
    #[inline]
    fn slot(&self, asker: u64, key: u128) -> usize {
        let x = (key as u64) ^ ((key >> 64) as u64).rotate_left(23) ^ asker.wrapping_mul(0x2545_F491_4F6C_DD1D);
        let bits = self.slots.len().trailing_zeros();
        (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    /// The answer kept, if any.
    #[inline]
    fn get(&self, asker: u64, key: u128) -> Option<u8> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut at = self.slot(asker, key);
        loop {
            let (k, a, v) = self.slots[at];
            if v == 0 {
                return None;
            }
            if k == key && a == asker {
                return Some((v - 1) as u8);
            }
            at = (at + 1) & mask;
        }
    }

    /// Keeps `v` as `asker`'s answer about `key`; a table that holds [`REMEMBERED`] answers
    /// starts afresh.
    fn insert(&mut self, asker: u64, key: u128, v: u8) {
        if self.held >= REMEMBERED {
            self.slots.iter_mut().for_each(|s| *s = (0, 0, 0));
            self.held = 0;
        }
        if 2 * (self.held + 1) > self.slots.len() {
            let slots = (2 * self.slots.len()).max(1024);
            let old = std::mem::replace(&mut self.slots, vec![(0, 0, 0); slots]);
            self.held = 0;
            for (k, a, v) in old.into_iter().filter(|s| s.2 != 0) {
                self.insert(a, k, (v - 1) as u8);
            }
        }
        let mask = self.slots.len() - 1;
        let mut at = self.slot(asker, key);
        loop {
            let (k, a, kept) = self.slots[at];
            if kept == 0 {
                self.held += 1;
                break;
            }
            if k == key && a == asker {
                break;
            }
            at = (at + 1) & mask;
        }
        self.slots[at] = (key, asker, u16::from(v) + 1);
    }
}

/// The first place at or after `at` where a stretch of `text` may be cut: the end, or an
/// ASCII byte that is neither a letter nor an apostrophe. No word holds such a byte (a word
/// is letters joined by apostrophes), so no word crosses the cut, and the scan of the words
/// passes there between two words: a scan started there reads what the whole scan reads.
pub fn cut_at_or_after(text: &str, at: usize) -> usize {
    let b = text.as_bytes();
    let mut c = at.min(b.len());
    while c < b.len() && !(b[c].is_ascii() && !b[c].is_ascii_alphabetic() && b[c] != b'\'') {
        c += 1;
    }
    c
}

/// True when a sentence starting or ending beside byte `c` reads the same words alone as in
/// the whole text: an ASCII byte that is no letter, digit, apostrophe, dot nor one of the code
/// characters that glue a word to code (see [`words`]).
pub fn is_quiet(c: u8) -> bool {
    c.is_ascii() && CLASS[usize::from(c)] & CODE == 0 && c != b'\'' && c != b'.'
}

/// True when the words of `text[span]` read on their own are the words of the whole text
/// that start in `span`: the bytes just inside or outside each of its ends are quiet
/// ([`is_quiet`]), so that no word crosses an end and the tests on the characters beside a
/// word see the same there.
pub fn reads_alone_as_in_whole(text: &str, span: Span) -> bool {
    let b = text.as_bytes();
    let start_ok = span.start == 0
        || is_quiet(b[span.start - 1])
        || b.get(span.start).is_some_and(|&c| is_quiet(c) && span.start < span.end);
    let end_ok = span.end == b.len() || is_quiet(b[span.end]) || (span.end > span.start && is_quiet(b[span.end - 1]));
    start_ok && end_ok
}

/// A byte class of [`words`]: an ASCII letter.
const LETTER: u8 = 1;
/// A byte class of [`words`]: an ASCII character that glues a word to code or a number (a
/// letter, a digit or one of ``_@/\#$%&=<>{}|~^`*+``).
const CODE: u8 = 2;

/// The classes of the ASCII bytes, for [`words`].
static CLASS: [u8; 128] = {
    let mut class = [0u8; 128];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        if b.is_ascii_alphabetic() {
            class[c] = LETTER | CODE;
        } else if b.is_ascii_digit() {
            class[c] = CODE;
        }
        c += 1;
    }
    let code = b"_@/\\#$%&=<>{}|~^`*+";
    let mut k = 0;
    while k < code.len() {
        class[code[k] as usize] = CODE;
        k += 1;
    }
    class
};

/// True for an ASCII letter.
#[inline(always)]
fn is_letter(b: u8) -> bool {
    b < 128 && CLASS[usize::from(b)] & LETTER != 0
}

/// Words as the checks see them: ASCII letters with inner apostrophes, split at hyphens,
/// skipping anything glued to digits, markup or path characters, and single letters.
///
/// Read byte by byte with a table of classes; a character beside a word is decoded only when
/// it is not ASCII.
pub fn words(text: &str) -> WordScan<'_> {
    words_from(text, 0)
}

/// [`words`] of `text` from byte `from` on, read with the text before it: the words of the
/// whole scan when no word crosses `from` (see [`super::words::cut_at_or_after`]).
pub fn words_from(text: &str, from: usize) -> WordScan<'_> {
    WordScan {
        text,
        i: from,
        letters: Letters::new(text.as_bytes(), from),
    }
}

/// The scan of [`words_from`]. A struct whose `next` is inlined where it is read (a closure
/// behind `from_fn` was called once a word, its state loaded from memory at each call).
pub struct WordScan<'t> {
    text: &'t str,
    /// Where the scan goes on.
    i: usize,
    letters: Letters<'t>,
}

impl Iterator for WordScan<'_> {
    type Item = Span;

    #[inline(always)]
    fn next(&mut self) -> Option<Span> {
        let text = self.text;
        let b = text.as_bytes();
        let n = b.len();
        let mut i = self.i;
        loop {
            i = self.letters.next_letter(i);
            if i >= n {
                self.i = i;
                return None;
            }
            let start = i;
            loop {
                i = self.letters.run_end(i);
                // An apostrophe, straight or curly (E2 80 99), between letters: read on. Byte
                // by byte, not a call to compare slices: this runs at the end of every word.
                match b.get(i) {
                    Some(b'\'') if b.get(i + 1).is_some_and(|&c| is_letter(c)) => i += 2,
                    Some(0xE2)
                        if b.get(i + 1) == Some(&0x80)
                            && b.get(i + 2) == Some(&0x99)
                            && b.get(i + 3).is_some_and(|&c| is_letter(c)) =>
                    {
                        i += 4
                    }
                    _ => break,
                }
            }
            let end = i;
            // Glued to a letter of another script, a digit or code characters, or inside a
            // dotted form (`file.txt`, `e.g`): not prose.
            if end - start < 2
                || (start > 0 && glued(b[start - 1], || glued_before(text, start)))
                || (end < n && glued(b[end], || glued_after(text, end)))
            {
                continue;
            }
            self.i = i;
            return Some(Span::new(start, end));
        }
    }
}

/// True when the character before byte `at` (there is one) glues a word starting there to
/// code or a number: a letter of another script, a digit, a code character, or a dot after
/// a letter or digit. The common case, a space or a punctuation mark, is told from one byte
/// by [`glued`] before this is called.
#[inline(never)]
fn glued_before(text: &str, at: usize) -> bool {
    match text.as_bytes()[at - 1] {
        b'.' => at > 1 && alphanumeric_before(text, at - 1),
        c if c.is_ascii() => CLASS[usize::from(c)] & CODE != 0,
        _ => alphanumeric_before(text, at),
    }
}

/// [`glued_before`] for the character from byte `at` (there is one), which ends a word.
#[inline(never)]
fn glued_after(text: &str, at: usize) -> bool {
    let b = text.as_bytes();
    match b[at] {
        b'.' => at + 1 < b.len() && alphanumeric_after(text, at + 1),
        c if c.is_ascii() => CLASS[usize::from(c)] & CODE != 0,
        _ => alphanumeric_after(text, at),
    }
}

/// The character before byte `at` (there is one) is alphanumeric; decoded only when it is not
/// ASCII.
fn alphanumeric_before(text: &str, at: usize) -> bool {
    match text.as_bytes()[at - 1] {
        c if c.is_ascii() => c.is_ascii_alphanumeric(),
        _ => text[..at].chars().next_back().is_some_and(char::is_alphanumeric),
    }
}

/// The character from byte `at` (there is one) is alphanumeric; decoded only when it is not
/// ASCII.
fn alphanumeric_after(text: &str, at: usize) -> bool {
    match text.as_bytes()[at] {
        c if c.is_ascii() => c.is_ascii_alphanumeric(),
        _ => text[at..].chars().next().is_some_and(char::is_alphanumeric),
    }
}

/// The id of the word of over 15 bytes at `start..end` (`rel` from the table's base), by its
/// text in `long`, and added to `distinct` when it is new.
#[inline(never)]
fn new_long<'t>(
    text: &'t str,
    start: usize,
    end: usize,
    rel: u32,
    long: &mut FastMap<&'t str, u32>,
    distinct: &mut Vec<Distinct>,
) -> u32 {
    let next = distinct.len() as u32;
    let word = &text[start..end];
    let id = *long.entry(word).or_insert(next);
    if id == next {
        distinct.push(Distinct {
            key: 0,
            start: rel,
            len: (end - start) as u32,
            shape: shape(word),
        });
    }
    id
}

/// Whether the byte `c` beside a word glues it to code or a number, as [`glued_before`] and
/// [`glued_after`] tell: from one lookup for most bytes, and from `slow()` for a dot or a
/// byte that is not ASCII, which need the characters around them.
#[inline(always)]
fn glued(c: u8, slow: impl FnOnce() -> bool) -> bool {
    match GLUE[usize::from(c)] {
        0 => false,
        1 => true,
        _ => slow(),
    }
}

/// For each byte, what it says beside a word ([`glued`]): 0 nothing, 1 glued (a code
/// character, see [`CLASS`]), 2 ask the characters around it.
static GLUE: [u8; 256] = {
    let mut glue = [2u8; 256];
    let mut c = 0;
    while c < 128 {
        glue[c] = if CLASS[c] & CODE != 0 { 1 } else { 0 };
        c += 1;
    }
    glue[b'.' as usize] = 2;
    glue
};

/// The first byte at or after `at` that is no ASCII letter, or the end of the text, where
/// `letters` is the letter mask of the block at `base` (`base <= at`).
#[inline(always)]
fn run_end(bytes: &[u8], letters: u64, base: usize, at: usize) -> usize {
    let k = at - base;
    if k < 64 {
        // The bits past the block shift in as letters: a run that reaches them goes on.
        let others = !letters >> k;
        if others != 0 {
            return at + others.trailing_zeros() as usize;
        }
        return run_end_past(bytes, base + 64);
    }
    run_end_past(bytes, at)
}

/// [`run_end`] from `at` on: for the runs that cross a block's end. Most end a few letters
/// past it, so the first bytes are read one by one (the next block's mask is worked out when
/// the scan gets there); a run longer than that (a long string of letters with no space, as
/// in an encoded blob) is read a block at a time, so it does not cost a test per byte.
#[inline(never)]
fn run_end_past(bytes: &[u8], mut at: usize) -> usize {
    /// Bytes read one by one before the run is read by blocks.
    const SINGLY: usize = 16;
    for _ in 0..SINGLY {
        if !bytes.get(at).is_some_and(|&c| is_letter(c)) {
            return at.min(bytes.len());
        }
        at += 1;
    }
    Letters::new(bytes, at).run_end(at)
}

/// [`shape`] of a word of up to 15 bytes from its key ([`packed`]), eight bytes at a time:
/// its bytes are ASCII letters, apostrophes and the bytes of a curly one (E2 80 99), and a
/// byte is a capital letter when bit 6 is set and bits 5 and 7 are not.
#[inline]
fn packed_shape(key: u128) -> u8 {
    const BIT6: u64 = 0x4040_4040_4040_4040;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    // The length byte (bits 120..127) is no byte of the word.
    let (lo, hi) = (key as u64, (key >> 64) as u64 & (u64::MAX >> 8));
    let upper = |x: u64| x & !(x << 1) & !(x >> 1) & BIT6;
    let first_upper = lo & 0x20 == 0;
    let inner_upper = (upper(lo) & !0xFF) | upper(hi) != 0;
    let high = (lo | hi) & HIGH != 0;
    // A byte of 0x27 is zero after the exclusive or; bytes past the word are 0, never 0x27.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH != 0;
    let apostrophe = zero(lo ^ (0x27 * ONES)) || zero(hi ^ (0x27 * ONES));
    shape_bits(first_upper, inner_upper, high, apostrophe)
}

/// The ASCII letters of a text, 64 bytes at a time as the bits of a number, for [`words`] to
/// find where letters start and stop without a test and a branch at every byte.
struct Letters<'b> {
    bytes: &'b [u8],
    /// Where the window starts: bit `j` of `bits` is set when byte `base + j` is a letter
    /// (bytes past the end are none).
    base: usize,
    bits: u64,
}

impl<'b> Letters<'b> {
    fn new(bytes: &'b [u8], at: usize) -> Self {
        Letters {
            bytes,
            base: at,
            bits: Self::window(bytes, at),
        }
    }

    /// The letter bits of the 64 bytes from `at`.
    #[inline(always)]
    fn window(bytes: &[u8], at: usize) -> u64 {
        crate::segment::blocks::mask_from(bytes, at, crate::segment::blocks::is_ascii_letter)
    }

    /// The bits from byte `i` on (`i` moved into the window first), as many as the window
    /// still holds: `(bits, how many)`.
    #[inline(always)]
    fn from(&mut self, i: usize) -> (u64, usize) {
        if i.wrapping_sub(self.base) >= 64 {
            self.move_to(i);
        }
        let k = i - self.base;
        (self.bits >> k, 64 - k)
    }

    /// The window moved to start at byte `i`: once in some eight words of prose, so kept
    /// out of the loops that read the window (which are inlined where words are read).
    #[inline(never)]
    fn move_to(&mut self, i: usize) {
        self.base = i;
        self.bits = Self::window(self.bytes, i);
    }

    /// The first letter at or after byte `i`, or the end of the text.
    #[inline(always)]
    fn next_letter(&mut self, mut i: usize) -> usize {
        let n = self.bytes.len();
        while i < n {
            let (bits, held) = self.from(i);
            if bits != 0 {
                return i + bits.trailing_zeros() as usize;
            }
            i += held;
        }
        n
    }

    /// The first byte at or after byte `i` that is no letter, or the end of the text.
    #[inline(always)]
    fn run_end(&mut self, mut i: usize) -> usize {
        let n = self.bytes.len();
        while i < n {
            let (bits, held) = self.from(i);
            let others = !bits & (u64::MAX >> (64 - held));
            if others != 0 {
                return (i + others.trailing_zeros() as usize).min(n);
            }
            i += held;
        }
        n
    }
}
