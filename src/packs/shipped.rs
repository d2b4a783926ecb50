//! The shipped rule files as `build.rs` parsed them: each file's `[pack]` table and its
//! `[[rule]]` tables with their lines, in a flat binary form read without parsing TOML.
//! Parsing the shipped packs' 200 KB of TOML was a quarter of a run over one small file (and
//! their `[pack]` tables alone, for the language data, another 4 %).
//!
//! The tables are the ones the TOML reader gives (the same crate, in file order), and what is
//! made of them is checked as for a rule file; a file this cannot read (which `build.rs`
//! leaves to the TOML reader), or whose rules do not load, is read from its TOML instead, so
//! an error in a shipped pack is reported as from any rule file.

/// What `build.rs` wrote (see its `write_shipped_rules`).
static PACKED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/shipped-rules.bin"));

/// One shipped rule file, as parsed.
pub(crate) struct ShippedFile {
    /// Its path under `rules/` (`en/fluency.toml`).
    pub path: &'static str,
    /// Its `[pack]` table and its rules' tables with their lines (none from [`packs`]); `None`
    /// when the file is to be read from its TOML.
    pub tables: Option<(toml::Table, Vec<(usize, toml::Table)>)>,
}

/// The shipped rule files in path order, as [`super::builtin_sources`] lists them; `None`
/// if what `build.rs` wrote cannot be read (which would be a bug).
pub(crate) fn files() -> Option<Vec<ShippedFile>> {
    read(true)
}

/// [`files`] with their `[pack]` tables only (no rules).
pub(super) fn packs() -> Option<Vec<ShippedFile>> {
    read(false)
}

fn read(with_rules: bool) -> Option<Vec<ShippedFile>> {
    let mut r = Reader(PACKED);
    let mut files = Vec::new();
    while !r.0.is_empty() {
        let path = r.str()?;
        let Some(pack_len) = r.len_or_none()? else {
            files.push(ShippedFile { path, tables: None });
            continue;
        };
        let pack = r.table(pack_len)?;
        let rules_len = r.len()?;
        if !with_rules {
            r.take(rules_len)?;
            files.push(ShippedFile {
                path,
                tables: Some((pack, Vec::new())),
            });
            continue;
        }
        let n = r.len()?;
        let mut rules = Vec::with_capacity(n);
        for _ in 0..n {
            let line = r.len()?;
            let len = r.len()?;
            rules.push((line, r.table(len)?));
        }
        files.push(ShippedFile {
            path,
            tables: Some((pack, rules)),
        });
    }
    Some(files)
}

/// Reads the bytes `build.rs` wrote, from the front.
struct Reader(&'static [u8]);

impl Reader {
    fn take(&mut self, n: usize) -> Option<&'static [u8]> {
        let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn len(&mut self) -> Option<usize> {
        self.len_or_none()?
    }

    /// A length, or `Some(None)` for the marker of a file read from its TOML.
    fn len_or_none(&mut self) -> Option<Option<usize>> {
        let n = self.u32()?;
        Some((n != u32::MAX).then_some(n as usize))
    }

    fn str(&mut self) -> Option<&'static str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    /// A table of `len` entries.
    fn table(&mut self, len: usize) -> Option<toml::Table> {
        let mut table = toml::Table::with_capacity(len);
        for _ in 0..len {
            let key = self.str()?;
            let value = self.value()?;
            table.insert(key.to_string(), value);
        }
        Some(table)
    }

    fn value(&mut self) -> Option<toml::Value> {
        Some(match self.take(1)?[0] {
            b's' => toml::Value::String(self.str()?.to_string()),
            b'i' => toml::Value::Integer(self.u64()? as i64),
            b'f' => toml::Value::Float(f64::from_bits(self.u64()?)),
            b'b' => toml::Value::Boolean(self.take(1)?[0] != 0),
            b'a' => {
                let n = self.len()?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.value()?);
                }
                toml::Value::Array(items)
            }
            b't' => {
                let n = self.len()?;
                toml::Value::Table(self.table(n)?)
            }
            _ => return None,
        })
    }
}
