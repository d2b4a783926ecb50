//! What Hunspell dictionaries said of words, kept on disk between runs, so that a run whose
//! words were all asked before does not load the dictionaries at all.
//!
//! Loading en_US and en_GB takes 25-40 ms, several times the rest of a small file's check, and
//! a short British-spelled text needs both. The answers are kept per dictionary, in a file named
//! after the dictionary's identity: its `.aff` and `.dic` paths, sizes, modification times and
//! inodes, with mtlint's version (which pins spellbook's). A dictionary changed in any of these
//! is another dictionary, asked afresh. A file that is not what this module writes (torn,
//! truncated, another version's) is read as empty; writes go to a temporary file renamed into
//! place, so concurrent runs never see half a file.
//!
//! The directory is `MTLINT_CACHE_DIR` when set (empty: nothing is kept), else
//! `$XDG_CACHE_HOME/mtlint`, else `~/.cache/mtlint`. A directory that cannot be written leaves
//! the runs as they would be without it.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The first bytes of a file of answers, with the format's version.
const MAGIC: &[u8; 12] = b"MTLINTWORDS2";

/// Answers kept per dictionary at most: a batch of varied text asks far more rare words than
/// are worth reading back on every start (about 3 MB of file at this size).
const MAX_WORDS: usize = 250_000;

/// Words longer than this are asked of the dictionary every run (their length is one byte).
const MAX_WORD_LEN: usize = 64;

/// The answers of one dictionary: those read from disk, and those added by this run.
pub(super) struct Answers {
    file: PathBuf,
    identity: Vec<u8>,
    stored: Stored,
    added: Mutex<Vec<Entry>>,
}

/// An entry added by this run: its key and value (see [`Stored`]).
type Entry = (Box<[u8]>, Box<[u8]>);

/// What an entry's key starts with when it holds a word's suggestions (one edit away, as
/// `English::near` keeps them) rather than whether the dictionary knows the word.
const NEAR: u8 = 1;

/// The entries of a file of answers, sorted by key: each a length byte and the key (a word,
/// or [`NEAR`] and a word), a length byte and the value (one byte, 1 when the dictionary knows
/// the word; or the suggestions, each followed by a line break).
#[derive(Default)]
struct Stored {
    data: Vec<u8>,
    /// Where each entry starts in `data`.
    starts: Vec<u32>,
}

impl Stored {
    /// The key and value of the entry at `at` in `data`.
    fn at(&self, at: u32) -> (&[u8], &[u8]) {
        let at = at as usize;
        let len = self.data[at] as usize;
        let value = at + 1 + len;
        let value_len = self.data[value] as usize;
        (&self.data[at + 1..value], &self.data[value + 1..value + 1 + value_len])
    }

    fn entry(&self, i: usize) -> (&[u8], &[u8]) {
        self.at(self.starts[i])
    }

    fn get(&self, key: &[u8]) -> Option<&[u8]> {
        let i = self.starts.binary_search_by(|&at| self.at(at).0.cmp(key)).ok()?;
        Some(self.entry(i).1)
    }

    /// The entries of `body` (a file's content after its header), or `None` when they are not
    /// sorted, distinct and whole.
    fn parse(data: Vec<u8>) -> Option<Stored> {
        let mut starts = Vec::new();
        let mut at = 0;
        let mut last: Option<&[u8]> = None;
        while at < data.len() {
            let len = data[at] as usize;
            let key = data.get(at + 1..at + 1 + len)?;
            let value_at = at + 1 + len;
            let value_len = *data.get(value_at)? as usize;
            let value = data.get(value_at + 1..value_at + 1 + value_len)?;
            let word = key.strip_prefix(&[NEAR]).unwrap_or(key);
            let valid = if key.len() == word.len() {
                value.len() == 1 && value[0] <= 1
            } else {
                value.last().is_none_or(|&b| b == b'\n')
            };
            if !valid
                || word.is_empty()
                || std::str::from_utf8(value).is_err()
                || std::str::from_utf8(word).is_err()
                || last.is_some_and(|l| l >= key)
            {
                return None;
            }
            last = Some(key);
            starts.push(u32::try_from(at).ok()?);
            at = value_at + 1 + value_len;
        }
        (starts.len() <= MAX_WORDS).then_some(Stored { data, starts })
    }
}

impl Answers {
    /// True when answers were kept from an earlier run: the dictionary loaded then, and it
    /// has not changed since.
    pub(super) fn loaded_before(&self) -> bool {
        !self.stored.starts.is_empty()
    }

    /// Whether the dictionary knew `word` in an earlier run.
    pub(super) fn get(&self, word: &str) -> Option<bool> {
        self.stored.get(word.as_bytes()).map(|v| v == [1])
    }

    /// Keeps the dictionary's answer for `word`, to be written by [`save`].
    pub(super) fn add(&self, word: &str, known: bool) {
        self.keep(word.as_bytes().into(), vec![u8::from(known)]);
    }

    /// The suggestions kept for `word` from an earlier run.
    pub(super) fn near(&self, word: &str) -> Option<Vec<String>> {
        let value = self.stored.get(&[&[NEAR], word.as_bytes()].concat())?;
        let value = std::str::from_utf8(value).ok()?;
        Some(value.lines().map(str::to_string).collect())
    }

    /// Keeps the suggestions for `word`, to be written by [`save`] (unless they are too long
    /// to keep).
    pub(super) fn add_near(&self, word: &str, near: &[String]) {
        let value: String = near.iter().map(|s| format!("{s}\n")).collect();
        if value.len() <= usize::from(u8::MAX) && near.iter().all(|s| !s.is_empty() && !s.contains('\n')) {
            self.keep([&[NEAR], word.as_bytes()].concat(), value.into_bytes());
        }
    }

    fn keep(&self, key: Vec<u8>, value: Vec<u8>) {
        if !key.is_empty() && key.len() <= MAX_WORD_LEN + 1 {
            self.added
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((key.into(), value.into()));
        }
    }

    /// Writes the answers read and added to the file, when some were added.
    fn save(&self) -> std::io::Result<()> {
        let mut added = std::mem::take(&mut *self.added.lock().unwrap_or_else(|e| e.into_inner()));
        if added.is_empty() {
            return Ok(());
        }
        added.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        added.dedup_by(|a, b| a.0 == b.0);
        added.retain(|(k, _)| self.stored.get(k).is_none());
        added.truncate(MAX_WORDS.saturating_sub(self.stored.starts.len()));
        if added.is_empty() {
            return Ok(());
        }
        // The stored entries and the added ones, merged in order.
        let mut body = Vec::with_capacity(
            self.stored.data.len() + added.iter().map(|(k, v)| k.len() + v.len() + 2).sum::<usize>(),
        );
        let push = |body: &mut Vec<u8>, key: &[u8], value: &[u8]| {
            body.push(key.len() as u8);
            body.extend_from_slice(key);
            body.push(value.len() as u8);
            body.extend_from_slice(value);
        };
        let mut new = added.iter().peekable();
        for i in 0..self.stored.starts.len() {
            let (key, value) = self.stored.entry(i);
            while let Some((k, v)) = new.next_if(|(k, _)| &k[..] < key) {
                push(&mut body, k, v);
            }
            push(&mut body, key, value);
        }
        for (k, v) in new {
            push(&mut body, k, v);
        }
        let dir = self.file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(
            ".{}.{}.tmp",
            self.file.file_name().and_then(|n| n.to_str()).unwrap_or("words"),
            std::process::id()
        ));
        let written = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&header(&self.identity, &body))?;
            f.write_all(&body)?;
            f.flush()?;
            std::fs::rename(&tmp, &self.file)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written
    }
}

/// The header of a file of answers: the magic bytes, the identity of the dictionary and a
/// checksum of the entries.
fn header(identity: &[u8], body: &[u8]) -> Vec<u8> {
    let mut h = Vec::with_capacity(MAGIC.len() + 12 + identity.len());
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(&(identity.len() as u32).to_le_bytes());
    h.extend_from_slice(identity);
    h.extend_from_slice(&checksum(body).to_le_bytes());
    h
}

/// A checksum of a file's entries (FNV-1a over 8-byte words: a damaged file, not an attack).
fn checksum(body: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut chunks = body.chunks_exact(8);
    for c in &mut chunks {
        h = (h ^ u64::from_le_bytes(c.try_into().expect("eight bytes"))).wrapping_mul(0x0000_0100_0000_01b3);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ body.len() as u64
}

/// The entries of the file at `file` when it holds the answers of the dictionary `identity`
/// names; empty when it does not exist or is not such a file.
fn read(file: &Path, identity: &[u8]) -> Stored {
    let Ok(bytes) = std::fs::read(file) else {
        return Stored::default();
    };
    let parsed = (|| {
        let rest = bytes.strip_prefix(MAGIC.as_slice())?;
        let (len, rest) = rest.split_first_chunk::<4>()?;
        let len = u32::from_le_bytes(*len) as usize;
        let (id, rest) = (rest.get(..len)?, rest.get(len..)?);
        if id != identity {
            return None;
        }
        let (sum, body) = rest.split_first_chunk::<8>()?;
        if u64::from_le_bytes(*sum) != checksum(body) {
            return None;
        }
        Stored::parse(body.to_vec())
    })();
    parsed.unwrap_or_default()
}

/// What names the dictionary at `base` (`base.aff`, `base.dic`): mtlint's version, and for each
/// file its absolute path, size, modification time and inode. `None` when a file cannot be
/// looked at (then nothing is kept: the dictionary's load says what is wrong).
fn identity(base: &Path) -> Option<Vec<u8>> {
    let mut id = format!("mtlint {}\n", env!("CARGO_PKG_VERSION"));
    for ext in ["aff", "dic"] {
        let path = std::fs::canonicalize(base.with_extension(ext)).ok()?;
        let meta = std::fs::metadata(&path).ok()?;
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0u64;
        id.push_str(&format!(
            "{}\n{} {}.{:09} {inode}\n",
            path.display(),
            meta.len(),
            modified.as_secs(),
            modified.subsec_nanos()
        ));
    }
    Some(id.into_bytes())
}

/// The directory the answers are kept in, or `None` when they are not kept.
fn directory() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("MTLINT_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    let absolute = |v: Option<std::ffi::OsString>| v.map(PathBuf::from).filter(|p| p.is_absolute());
    absolute(std::env::var_os("XDG_CACHE_HOME"))
        .or_else(|| absolute(std::env::var_os("HOME")).map(|h| h.join(".cache")))
        .map(|d| d.join("mtlint"))
}

/// Every dictionary's answers opened in this run, by the dictionary's base path.
fn opened() -> std::sync::MutexGuard<'static, HashMap<PathBuf, Option<Arc<Answers>>>> {
    static OPENED: OnceLock<Mutex<HashMap<PathBuf, Option<Arc<Answers>>>>> = OnceLock::new();
    super::process_wide(&OPENED)
}

/// The answers kept for the dictionary at `base`, read once per run; `None` when answers are
/// not kept (no directory, or the dictionary's files cannot be looked at).
pub(super) fn answers(base: &Path) -> Option<Arc<Answers>> {
    let mut opened = opened();
    opened
        .entry(base.to_path_buf())
        .or_insert_with(|| {
            let dir = directory()?;
            let identity = identity(base)?;
            let name = format!("words-{:016x}", checksum(&identity));
            let file = dir.join(name);
            let stored = read(&file, &identity);
            Some(Arc::new(Answers {
                file,
                identity,
                stored,
                added: Mutex::new(Vec::new()),
            }))
        })
        .clone()
}

/// Writes the answers this run added, for each dictionary. A directory or file that cannot be
/// written is left as it is: the next run asks the dictionary again.
pub fn save() {
    let all: Vec<Arc<Answers>> = opened().values().flatten().cloned().collect();
    for a in all {
        let _ = a.save();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers_in(file: PathBuf, identity: &[u8]) -> Answers {
        Answers {
            stored: read(&file, identity),
            file,
            identity: identity.to_vec(),
            added: Mutex::new(Vec::new()),
        }
    }

    #[test]
    fn answers_written_are_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("words");
        let a = answers_in(file.clone(), b"dict 1");
        for (w, k) in [("organised", true), ("th", false), ("colour", true), ("apple", true)] {
            a.add(w, k);
        }
        a.save().unwrap();
        let b = answers_in(file.clone(), b"dict 1");
        assert_eq!(b.get("organised"), Some(true));
        assert_eq!(b.get("th"), Some(false));
        assert_eq!(b.get("apple"), Some(true));
        assert_eq!(b.get("pear"), None);
        // More answers merge with the stored ones.
        b.add("banana", true);
        b.add("zzz", false);
        b.save().unwrap();
        let c = answers_in(file.clone(), b"dict 1");
        for (w, k) in [
            ("apple", true),
            ("banana", true),
            ("colour", true),
            ("th", false),
            ("zzz", false),
        ] {
            assert_eq!(c.get(w), Some(k), "{w}");
        }
        // Suggestions, none or some, are kept beside the answers.
        c.add_near("gardn", &["garden".to_string()]);
        c.add_near("zzz", &[]);
        c.add_near("teh", &["the".to_string(), "ten".to_string()]);
        c.save().unwrap();
        let d = answers_in(file.clone(), b"dict 1");
        assert_eq!(d.near("gardn"), Some(vec!["garden".to_string()]));
        assert_eq!(d.near("zzz"), Some(vec![]));
        assert_eq!(d.near("teh"), Some(vec!["the".to_string(), "ten".to_string()]));
        assert_eq!(d.near("apple"), None);
        assert_eq!(d.get("zzz"), Some(false));
        assert_eq!(d.get("gardn"), None);
        // Another dictionary's identity reads nothing from the file.
        assert_eq!(answers_in(file, b"dict 2").get("apple"), None);
    }

    #[test]
    fn a_damaged_file_is_read_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("words");
        let a = answers_in(file.clone(), b"d");
        a.add("apple", true);
        a.add("pear", true);
        a.save().unwrap();
        let whole = std::fs::read(&file).unwrap();
        for cut in [whole.len() - 1, whole.len() / 2, MAGIC.len(), 0] {
            std::fs::write(&file, &whole[..cut]).unwrap();
            assert_eq!(answers_in(file.clone(), b"d").get("apple"), None, "cut at {cut}");
        }
        let mut flipped = whole.clone();
        *flipped.last_mut().unwrap() ^= 1;
        std::fs::write(&file, &flipped).unwrap();
        assert_eq!(answers_in(file, b"d").get("pear"), None);
    }
}
