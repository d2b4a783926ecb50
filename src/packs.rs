//! The shipped rule packs, embedded at build time, and the language data their `[pack]` tables
//! hold: how sentences end (`[pack.sentences]`) and the word lists checks need
//! (`[pack.words]`). The engine knows no language; a new language is a pack with these tables.
//!
//! This module sits at the bottom with `model`: `segment`, `checks` and `config` read it, and
//! it reads none of them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use include_dir::{include_dir, Dir};
use serde::Deserialize;

use crate::model::{PackDef, SentenceDef};

pub(crate) mod shipped;

static RULES_DIR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// The shipped rule files: (path shown in errors, text), in path order.
pub fn builtin_sources() -> Vec<(PathBuf, &'static str)> {
    let mut out = Vec::new();
    let mut dirs: Vec<_> = RULES_DIR.dirs().collect();
    dirs.sort_by_key(|d| d.path());
    for dir in dirs {
        let mut files: Vec<_> = dir
            .files()
            .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort_by_key(|f| f.path());
        for f in files {
            if let Some(text) = f.contents_utf8() {
                out.push((Path::new("<builtin>").join(f.path()), text));
            }
        }
    }
    out
}

/// What the shipped packs say about one target language, merged over its packs.
#[derive(Debug, Default)]
pub struct LanguageData {
    /// The `[pack.sentences]` tables, in file order.
    pub sentences: Vec<SentenceDef>,
    articles: Vec<String>,
    /// Looked up for many words of a document (by `capitalization`): a fast hash.
    minor: HashSet<String, foldhash::fast::FixedState>,
    name_particles: HashSet<String, foldhash::fast::FixedState>,
    number_words: HashMap<String, f64>,
    months: HashMap<String, f64>,
    multipliers: HashMap<String, f64>,
}

impl LanguageData {
    /// True when `word` is an article (`[pack.words] articles`), in any ASCII case.
    pub fn is_article(&self, word: &str) -> bool {
        self.articles.iter().any(|a| word.eq_ignore_ascii_case(a))
    }

    /// True when `lower`, a lowercased word, stays lower case inside a capitalised name
    /// (`[pack.words] minor`).
    pub fn is_minor(&self, lower: &str) -> bool {
        self.minor.contains(lower)
    }

    /// True when `lower`, a lowercased word, is a particle of a name from another language
    /// (`[pack.words] name_particles`).
    pub fn is_name_particle(&self, lower: &str) -> bool {
        self.name_particles.contains(lower)
    }

    /// The value of a number word (`three`), by its lowercased form.
    pub fn number_word(&self, lower: &str) -> Option<f64> {
        self.number_words.get(lower).copied()
    }

    /// The number of a month name or abbreviation (`march`, `mar`), by its lowercased form.
    pub fn month(&self, lower: &str) -> Option<f64> {
        self.months.get(lower).copied()
    }

    /// The factor of a multiplier word after a number (`million`), as written.
    pub fn multiplier(&self, word: &str) -> Option<f64> {
        self.multipliers.get(word).copied()
    }

    fn add(&mut self, pack: PackDef) {
        if let Some(s) = pack.sentences {
            self.sentences.push(s);
        }
        if let Some(w) = pack.words {
            let lower = |words: Vec<String>| words.into_iter().map(|w| w.trim().to_lowercase());
            self.articles.extend(lower(w.articles));
            self.minor.extend(lower(w.minor));
            self.name_particles.extend(lower(w.name_particles));
        }
        if let Some(n) = pack.numbers {
            // Values are small integers (a year at most), exact as f64.
            let values = |map: BTreeMap<String, u64>, lower: bool| {
                map.into_iter()
                    .map(move |(w, v)| (if lower { w.to_lowercase() } else { w }, v as f64))
            };
            self.number_words.extend(values(n.words, true));
            self.months.extend(values(n.months, true));
            self.multipliers.extend(values(n.multipliers, false));
        }
    }
}

/// The `[pack]` table of a shipped file; the `[[rule]]` tables are skipped unread.
#[derive(Deserialize)]
struct PackOnly {
    pack: PackDef,
}

/// A shipped file's `[pack]` table. Read from the text before the first `[[rule]]` when no
/// `[pack…]` table header comes after it (root keys and the pack's own tables can only come
/// before then): the rules are most of each file, and parsing them only to skip them was a
/// tenth of start-up. Otherwise, or if that text does not parse (a `[[rule]]` line inside a
/// multi-line string), from the whole text.
fn pack_table(text: &str) -> Option<PackDef> {
    /// A table header's name, from the line's start on (`rule]]` for `[[rule]]`).
    fn header(line: &str) -> Option<&str> {
        let name = line.trim_start().strip_prefix('[')?;
        Some(name.trim_start_matches(['[', ' ', '"', '\'']))
    }
    let first_rule = text.match_indices('\n').map(|(i, _)| i + 1).find(|&at| {
        header(&text[at..]).is_some_and(|h| h.starts_with("rule") && text[at..].trim_start().starts_with("[["))
    });
    let head = first_rule.filter(|&at| {
        !text[at..]
            .lines()
            .any(|line| header(line).is_some_and(|h| h.starts_with("pack")))
    });
    if let Some(pack) = head.and_then(|at| toml::from_str::<PackOnly>(&text[..at]).ok()) {
        return Some(pack.pack);
    }
    Some(toml::from_str::<PackOnly>(text).ok()?.pack)
}

/// Every shipped pack's `[pack]` table, by file, read once per process. A shipped file whose
/// `[pack]` table cannot be read is left out here; loading the shipped rules reports it.
fn shipped_packs() -> &'static [(PathBuf, PackDef)] {
    static PACKS: LazyLock<Vec<(PathBuf, PackDef)>> = LazyLock::new(|| {
        let sources = builtin_sources();
        // As `build.rs` parsed them, where it did; else read from the TOML.
        let mut packed = shipped::packs()
            .filter(|p| p.len() == sources.len())
            .unwrap_or_default();
        packed.resize_with(sources.len(), || shipped::ShippedFile { path: "", tables: None });
        sources
            .into_iter()
            .zip(packed)
            .filter_map(|((path, text), file)| {
                let parsed = file
                    .tables
                    .filter(|_| path == Path::new("<builtin>").join(file.path))
                    .and_then(|(pack, _)| toml::Value::Table(pack).try_into().ok());
                Some((path, parsed.or_else(|| pack_table(text))?))
            })
            .collect()
    });
    &PACKS
}

/// The data of the shipped packs that target `lang` (a primary language tag); empty for a
/// language no shipped pack describes.
pub fn language_data(lang: &str) -> &'static LanguageData {
    static BY_LANGUAGE: LazyLock<HashMap<String, LanguageData>> = LazyLock::new(|| {
        let mut by_language: HashMap<String, LanguageData> = HashMap::new();
        for (_, pack) in shipped_packs() {
            if let Some(target) = &pack.target {
                by_language.entry(target.clone()).or_default().add(pack.clone());
            }
        }
        by_language
    });
    static NONE: LazyLock<LanguageData> = LazyLock::new(LanguageData::default);
    BY_LANGUAGE.get(lang).unwrap_or(&NONE)
}

/// The languages the shipped packs hold data for.
pub fn languages() -> impl Iterator<Item = &'static str> {
    let mut langs: Vec<&'static str> = shipped_packs()
        .iter()
        .filter_map(|(_, p)| p.target.as_deref())
        .collect();
    langs.sort_unstable();
    langs.dedup();
    langs.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_table_read_before_the_rules_is_the_whole_files() {
        for (path, text) in builtin_sources() {
            let whole = toml::from_str::<PackOnly>(text).map(|p| p.pack).ok();
            assert_eq!(pack_table(text), whole, "{}", path.display());
        }
        // A pack table after the rules, and a `[[rule]]` line inside a string, are read whole.
        let later = "[pack]\nname = \"a\"\n[[rule]]\nid = \"r\"\n[pack.words]\narticles = [\"the\"]\n";
        assert_eq!(
            pack_table(later).unwrap().words.unwrap().articles,
            vec!["the".to_string()]
        );
        let quoted = "[pack]\nname = \"a\"\ndescription = \"\"\"\n[[rule]]\n\"\"\"\n";
        assert_eq!(pack_table(quoted).unwrap().name, "a");
    }

    #[test]
    fn every_shipped_pack_table_is_read() {
        let sources = builtin_sources();
        assert!(sources.len() >= 10);
        assert_eq!(shipped_packs().len(), sources.len());
        // As from their TOML.
        for ((path, pack), (_, text)) in shipped_packs().iter().zip(&sources) {
            assert_eq!(Some(pack), pack_table(text).as_ref(), "{}", path.display());
        }
    }

    #[test]
    fn english_has_its_words() {
        let en = language_data("en");
        for article in ["the", "a", "an", "The", "AN"] {
            assert!(en.is_article(article), "{article}");
        }
        assert!(!en.is_article("one"));
        assert!(en.is_minor("of") && en.is_minor("the") && !en.is_minor("de"));
        assert!(en.is_name_particle("de") && !en.is_name_particle("of"));
        assert!(!en.sentences.is_empty());
        assert_eq!(en.number_word("twelve"), Some(12.0));
        assert_eq!(en.month("sept"), Some(9.0));
        assert_eq!(en.multiplier("million"), Some(1e6));
        assert_eq!(en.multiplier("Million"), None);
    }

    /// A language is what its packs say: one without packs has no data, so no check applies
    /// another language's words to it.
    #[test]
    fn a_language_without_packs_has_no_data() {
        let it = language_data("it");
        assert!(!it.is_article("the") && !it.is_article("il"));
        assert!(!it.is_minor("of") && !it.is_name_particle("de"));
        assert!(it.sentences.is_empty());
        assert_eq!(it.number_word("three"), None);
        assert!(!languages().any(|l| l == "it"));
        assert!(languages().any(|l| l == "en") && languages().any(|l| l == "fr"));
    }

    /// Shipped packs are keyed by the tag as written; it must already be a primary tag.
    #[test]
    fn shipped_targets_are_primary_tags() {
        for lang in languages() {
            assert_eq!(crate::language::primary(lang).ok().as_deref(), Some(lang), "{lang}");
        }
    }
}
