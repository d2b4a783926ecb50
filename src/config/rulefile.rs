//! Rule files: TOML read with serde, unknown keys rejected with file, line and column.
//!
//! A rule file holds one `[pack]` table and any number of `[[rule]]` tables. Every rule has the
//! common fields (`id`, `kind`, `severity`, …) and the parameters of its kind; a parameter that
//! does not belong to the rule's kind is an error pointing at its line.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::checks::CheckKind;
use crate::diagnostic::Severity;

/// An error in a rule or config file, with the place it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The offending source line, shown under the message.
    pub source_line: Option<String>,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )?;
        if let Some(line) = &self.source_line {
            let pad = " ".repeat(self.line.to_string().len());
            write!(
                f,
                "\n{pad} |\n{} | {line}\n{pad} | {}^",
                self.line,
                " ".repeat(self.column.saturating_sub(1))
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for SourceError {}

impl SourceError {
    /// An error at byte `offset` of `source`.
    pub fn at(path: &Path, source: &str, offset: usize, message: impl Into<String>) -> Self {
        let offset = offset.min(source.len());
        let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[offset..].find('\n').map_or(source.len(), |i| offset + i);
        SourceError {
            path: path.to_path_buf(),
            line: source[..offset].matches('\n').count() + 1,
            column: source[line_start..offset].chars().count() + 1,
            message: message.into(),
            source_line: Some(source[line_start..line_end].trim_end_matches('\r').to_string()),
        }
    }

    /// A TOML parse or schema error from the `toml` crate, placed by its span.
    pub fn from_toml(path: &Path, source: &str, err: &toml::de::Error) -> Self {
        let message = err.message().trim().to_string();
        match err.span() {
            Some(span) => SourceError::at(path, source, span.start, message),
            None => SourceError {
                path: path.to_path_buf(),
                line: 1,
                column: 1,
                message,
                source_line: None,
            },
        }
    }
}

/// Whether and how a rule's fixes are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FixPolicy {
    /// The kind's default.
    #[default]
    Default,
    Safe,
    Unsafe,
    /// Flag only; show no fix.
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackDef {
    pub name: String,
    /// Target language the pack applies to; absent means every language.
    #[serde(default)]
    pub target: Option<String>,
    /// Source language, for packs of machine-translation artefacts of a language pair.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// What the target language brings to sentence splitting (`[pack.sentences]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentences: Option<SentenceDef>,
}

/// A language's sentence-splitting data: the words after which a full stop may not end a
/// sentence, and the words that show one has begun. Words are compared case-blind and without
/// their final full stop; inner full stops stay (`e.g`, `p.m`). Read from the shipped packs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SentenceDef {
    /// Abbreviations always followed by more of their sentence: titles before a name
    /// (`Dr`, `Mr`, French `M`).
    #[serde(default)]
    pub titles: Vec<String>,
    /// Abbreviations that may end a sentence (`etc`, `Inc`, `p.m`): a sentence ends after one
    /// only when a sentence starter follows.
    #[serde(default)]
    pub abbreviations: Vec<String>,
    /// Abbreviations that stand before a number (`No`, `pp`, German `Nr`): no sentence ends
    /// between them and a number.
    #[serde(default)]
    pub before_numbers: Vec<String>,
    /// Words that often begin a sentence and seldom follow an abbreviation inside one
    /// (articles, pronouns, conjunctions).
    #[serde(default)]
    pub starters: Vec<String>,
    /// Words after which a number with a full stop is an ordinal (German `am 3. Oktober`).
    #[serde(default)]
    pub before_ordinal: Vec<String>,
    /// Words before which a number with a full stop is an ordinal (German month names).
    #[serde(default)]
    pub after_ordinal: Vec<String>,
}

/// One rule example: `bad` text to flag (and `good`, the text after fixing), or `ok` text to
/// leave alone. With `source`, the text is the translation of that source (a bilingual
/// segment; several lines make several segments, line by line), for source-aware kinds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bad: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub good: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ok: Option<String>,
}

/// A glossary entry inside a `term` rule with `entries`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermEntry {
    pub variants: Vec<String>,
    pub replace: String,
}

/// A `source-term` glossary entry: a source term, the target term(s) it must be rendered as,
/// and known wrong renderings that a fix replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryEntry {
    pub source: String,
    pub target: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wrong: Vec<String>,
    /// Overrides the rule's `drop_article` for this entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_article: Option<bool>,
}

/// A `[[rule]]` table. Common fields first, then the parameters of every kind; `validate`
/// rejects parameters that the rule's kind does not take.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub kind: CheckKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default)]
    pub fix: FixPolicy,
    /// Full documentation, shown by `mtlint explain`; its first line is the summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when_document_mentions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,

    // term, consistency
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replace: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<TermEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_article: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_sensitive: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    // pattern
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    // quotes, typography, unicode
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pairs: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chars: Option<String>,
    // sentence-length
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_words: Option<usize>,
    /// How many comma splices a long sentence needs to be flagged (0: length alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_splices: Option<usize>,
    /// Words that begin a clause with its subject ("the", "it", "they").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    /// Words that join a clause or phrase to the one before ("and", "which", "because").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joins: Vec<String>,
    /// Words that begin an introductory phrase before the main clause ("in", "after").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub openers: Vec<String>,
    // boilerplate
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<String>,
    /// Labels of scraped metadata (`source`, `hits`, `editor in charge`), each before a colon.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// Words and phrases that only page widgets hold (`share`, `font size`, `chat online`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub widgets: Vec<String>,
    /// Words of menus and section links (`home`, `news`, `contact`), chrome only beside chrome.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub menu: Vec<String>,
    /// How a breadcrumb trail begins (`home`, `your location`, `you are here`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crumbs: Vec<String>,
    // script
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scripts: Vec<String>,
    // repetition
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
    /// Doubled words that are correct: lexicalised ("bye bye") or grammatical ("that that").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doubles: Vec<String>,
    // capitalization
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
    // source-term
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub glossary: Vec<GlossaryEntry>,
    // length-ratio
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_ratio: Option<f64>,
    // length-ratio, untranslated
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    // spelling, romanization: one Hunspell dictionary or a list of them
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "one_or_many")]
    pub dictionary: Vec<String>,
    // romanization
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub surnames: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
}

/// A parameter written as one string or a list of strings.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// The longest `message` a rule may have, in bytes: ten times the longest shipped one, far
/// below what would flood a log when the rule fires thousands of times.
pub const MAX_MESSAGE_BYTES: usize = 2048;

/// The longest replacement (`replace`, `canonical`, a glossary target) a rule may have, in
/// bytes: a fix corrects a word or a phrase, never inserts a page.
pub const MAX_REPLACEMENT_BYTES: usize = 1024;

/// The parameter names every rule may use, whatever its kind.
const COMMON_KEYS: &[&str] = &[
    "id",
    "kind",
    "severity",
    "category",
    "message",
    "fix",
    "doc",
    "when_document_mentions",
    "examples",
];

impl RuleDef {
    /// Names of the kind parameters this rule sets.
    fn set_params(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        let mut add = |set: bool, name: &'static str| {
            if set {
                v.push(name);
            }
        };
        add(!self.variants.is_empty(), "variants");
        add(self.replace.is_some(), "replace");
        add(!self.entries.is_empty(), "entries");
        add(self.drop_article.is_some(), "drop_article");
        add(self.case_sensitive.is_some(), "case_sensitive");
        add(self.canonical.is_some(), "canonical");
        add(self.pattern.is_some(), "pattern");
        add(self.check.is_some(), "check");
        add(!self.pairs.is_empty(), "pairs");
        add(self.chars.is_some(), "chars");
        add(self.max_words.is_some(), "max_words");
        add(self.min_splices.is_some(), "min_splices");
        add(!self.subjects.is_empty(), "subjects");
        add(!self.joins.is_empty(), "joins");
        add(!self.openers.is_empty(), "openers");
        add(!self.doubles.is_empty(), "doubles");
        add(!self.lines.is_empty(), "lines");
        add(!self.labels.is_empty(), "labels");
        add(!self.widgets.is_empty(), "widgets");
        add(!self.menu.is_empty(), "menu");
        add(!self.crumbs.is_empty(), "crumbs");
        add(!self.scripts.is_empty(), "scripts");
        add(!self.allow.is_empty(), "allow");
        add(!self.terms.is_empty(), "terms");
        add(!self.glossary.is_empty(), "glossary");
        add(self.max_ratio.is_some(), "max_ratio");
        add(self.min_length.is_some(), "min_length");
        add(!self.dictionary.is_empty(), "dictionary");
        add(!self.surnames.is_empty(), "surnames");
        add(!self.names.is_empty(), "names");
        v
    }

    /// Checks that every parameter set belongs to the rule's kind.
    /// Returns the first stray parameter's name and the message.
    pub fn stray_param(&self) -> Option<(&'static str, String)> {
        let allowed = self.kind.params();
        self.set_params().into_iter().find(|p| !allowed.contains(p)).map(|p| {
            (
                p,
                format!(
                    "`{p}` is not a parameter of kind `{}` (its parameters: {})",
                    self.kind.name(),
                    if allowed.is_empty() {
                        "none".to_string()
                    } else {
                        allowed.join(", ")
                    }
                ),
            )
        })
    }

    /// The first message or replacement longer than its cap ([`MAX_MESSAGE_BYTES`],
    /// [`MAX_REPLACEMENT_BYTES`]): its key and the error. A rule's message is printed with
    /// every finding and a replacement is written into documents, so a huge one would multiply
    /// into gigabytes of output.
    pub fn oversized(&self) -> Option<(&'static str, String)> {
        if let Some(m) = &self.message {
            if m.len() > MAX_MESSAGE_BYTES {
                return Some((
                    "message",
                    format!(
                        "`message` is {} bytes long; messages are capped at {MAX_MESSAGE_BYTES} bytes (put the explanation in `doc`)",
                        m.len()
                    ),
                ));
            }
        }
        let replacements = self
            .replace
            .iter()
            .map(|r| ("replace", r))
            .chain(self.canonical.iter().map(|r| ("canonical", r)))
            .chain(self.entries.iter().map(|e| ("entries", &e.replace)))
            .chain(
                self.glossary
                    .iter()
                    .flat_map(|g| g.target.iter().map(|t| ("glossary", t))),
            );
        for (key, r) in replacements {
            if r.len() > MAX_REPLACEMENT_BYTES {
                return Some((
                    key,
                    format!(
                        "a replacement in `{key}` is {} bytes long; replacements are capped at {MAX_REPLACEMENT_BYTES} bytes",
                        r.len()
                    ),
                ));
            }
        }
        None
    }

    pub fn is_common_key(key: &str) -> bool {
        COMMON_KEYS.contains(&key)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleFile {
    pack: PackDef,
    #[serde(default)]
    rule: Vec<toml::Spanned<RuleDef>>,
}

/// A rule as loaded: its definition, its pack and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedRule {
    pub def: RuleDef,
    pub pack: std::sync::Arc<PackDef>,
    /// File the rule was read from (`<builtin>/pack/file.toml` for shipped packs).
    pub origin: PathBuf,
    /// Line of the rule's table in its file.
    pub line: usize,
}

impl LoadedRule {
    /// The rule's full id, `pack/name`.
    pub fn full_id(&self) -> String {
        format!("{}/{}", self.pack.name, self.def.id)
    }
}

/// Parses one rule file's text and validates every rule (regexes compiled, parameters
/// checked). `path` is used in errors only.
pub fn parse_rule_file(path: &Path, source: &str) -> Result<Vec<LoadedRule>, SourceError> {
    parse_rules(path, source, true)
}

/// Parses a shipped rule file: the kind-specific validation, which compiles every regex of
/// every pack, is left to the tests that hold the shipped packs to it (it is most of
/// start-up otherwise); an engine still compiles the rules it uses, and fails loudly.
pub(crate) fn parse_shipped_rule_file(path: &Path, source: &str) -> Result<Vec<LoadedRule>, SourceError> {
    parse_rules(path, source, false)
}

fn parse_rules(path: &Path, source: &str, validate: bool) -> Result<Vec<LoadedRule>, SourceError> {
    let raw: RawRuleFile = toml::from_str(source).map_err(|e| SourceError::from_toml(path, source, &e))?;
    if raw.pack.sentences.is_some() && !path.starts_with("<builtin>") {
        let at = source.find("sentences").unwrap_or(0);
        return Err(SourceError::at(
            path,
            source,
            at,
            "`[pack.sentences]` is read from the shipped packs only; a rule file cannot change how sentences are split",
        ));
    }
    let mut pack = raw.pack;
    // Packs are keyed by primary language: `target = "en-US"` is an English pack, and
    // `target = "english"` is an error, not a pack that never runs.
    for (key, tag) in [("target", &mut pack.target), ("source", &mut pack.source)] {
        if let Some(t) = tag {
            *t = crate::language::primary(t).map_err(|e| {
                let known = crate::language::DETECTED.join(", ");
                let at = find_key(source, key).unwrap_or(0);
                SourceError::at(
                    path,
                    source,
                    at,
                    format!("pack `{key}`: {e} (languages detection recognises: {known}; a pack may add any other)"),
                )
            })?;
        }
    }
    let pack = std::sync::Arc::new(pack);
    if !is_valid_id(&pack.name) {
        let at = source.find("name").unwrap_or(0);
        return Err(SourceError::at(
            path,
            source,
            at,
            format!("pack name `{}` must be kebab-case (a-z, 0-9, -)", pack.name),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(raw.rule.len());
    // Lines are counted from the previous rule on, not from the start of the file for each
    // rule: that made loading many rules quadratic.
    let mut counted = (0, 1);
    for spanned in raw.rule {
        let span = spanned.span();
        let def = spanned.into_inner();
        // The rule's table runs from its header to the next table header.
        let body_end = source[span.end..].find("\n[").map_or(source.len(), |i| span.end + i);
        let rule_src = &source[span.start..body_end.max(span.end)];
        let key_at = |key: &str| find_key(rule_src, key).map_or(span.start, |i| span.start + i);
        if !is_valid_id(&def.id) {
            return Err(SourceError::at(
                path,
                source,
                key_at("id"),
                format!("rule id `{}` must be kebab-case (a-z, 0-9, -)", def.id),
            ));
        }
        if !seen.insert(def.id.clone()) {
            return Err(SourceError::at(
                path,
                source,
                key_at("id"),
                format!("rule id `{}` is defined twice in pack `{}`", def.id, pack.name),
            ));
        }
        if let Some((key, msg)) = def.stray_param() {
            return Err(SourceError::at(path, source, key_at(key), msg));
        }
        if let Some((key, msg)) = def.oversized() {
            return Err(SourceError::at(
                path,
                source,
                key_at(key),
                format!("rule `{}`: {msg}", def.id),
            ));
        }
        let checked = if validate {
            crate::checks::validate(&def)
        } else {
            Ok(())
        };
        if let Err((key, msg)) = checked {
            return Err(SourceError::at(
                path,
                source,
                key_at(key),
                format!("rule `{}`: {msg}", def.id),
            ));
        }
        let (from, line_there) = if counted.0 <= span.start { counted } else { (0, 1) };
        let line = line_there + memchr::memchr_iter(b'\n', &source.as_bytes()[from..span.start]).count();
        counted = (span.start, line);
        out.push(LoadedRule {
            def,
            pack: pack.clone(),
            origin: path.to_path_buf(),
            line,
        });
    }
    if out.is_empty() {
        // A file that adds nothing is a mistake (`[[rules]]`, a glossary left empty), and a
        // silent one: every check would pass.
        let at = find_key(source, "name").unwrap_or(0);
        return Err(SourceError::at(
            path,
            source,
            at,
            format!(
                "pack `{}` has no rule: a rule file needs at least one `[[rule]]` table, or it checks nothing",
                pack.name
            ),
        ));
    }
    Ok(out)
}

/// Byte offset of `key = ` at a line start inside a rule's source.
pub(crate) fn find_key(src: &str, key: &str) -> Option<usize> {
    let mut pos = 0;
    for line in src.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                return Some(pos + (line.len() - t.len()));
            }
        }
        pos += line.len();
    }
    None
}

pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_placed() {
        let src = "[pack]\nname = \"x\"\n\n[[rule]]\nid = \"a\"\nkind = \"term\"\nvariantz = [\"b\"]\n";
        let err = parse_rule_file(Path::new("r.toml"), src).unwrap_err();
        assert_eq!((err.line, err.column), (7, 1), "{err}");
        assert!(err.message.contains("variantz"), "{err}");
    }

    #[test]
    fn stray_parameter_is_placed() {
        let src = "[pack]\nname = \"x\"\n\n[[rule]]\nid = \"a\"\nkind = \"term\"\nvariants = [\"b\"]\nreplace = \"c\"\nmax_words = 3\n";
        let err = parse_rule_file(Path::new("r.toml"), src).unwrap_err();
        assert_eq!((err.line, err.column), (9, 1), "{err}");
        assert!(
            err.message.contains("`max_words` is not a parameter of kind `term`"),
            "{err}"
        );
    }

    /// Sentence data comes from the shipped packs; a user file that sets it is told so, rather
    /// than having it ignored.
    #[test]
    fn sentence_data_in_a_user_file_is_an_error() {
        let src = "[pack]\nname = \"x\"\ntarget = \"es\"\n\n[pack.sentences]\ntitles = [\"Sr\"]\n";
        let err = parse_rule_file(Path::new("r.toml"), src).unwrap_err();
        assert_eq!(err.line, 5, "{err}");
        assert!(err.message.contains("shipped packs only"), "{err}");
    }

    /// Start-up skips the kind validation of shipped packs; this holds them to it.
    #[test]
    fn shipped_packs_pass_full_validation() {
        let sources = crate::config::builtin_sources();
        assert!(sources.len() >= 10);
        for (path, text) in sources {
            if let Err(e) = parse_rule_file(&path, text) {
                panic!("{e}");
            }
        }
    }
}
