//! The rule model: what a rule file holds, as types. It sits below every module that reads,
//! compiles or runs rules (`config`, `checks`, `engine`, `output`) and imports none of them.
//!
//! A rule is its common fields ([`RuleDef`]) plus the parameters of its kind ([`Params`]),
//! which the kind deserialises into its own struct ([`Kind::parse`]). A kind describes
//! itself with one [`Kind`] value; the registry of kinds lives with the checks.

mod kind;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Applicability, RuleMeta, Severity};

pub use kind::{one_or_many, parse_params, Kind, KindParams, ParamError, Params};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
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

impl FixPolicy {
    /// The applicability of a fix the kind suggests at `suggested` under this setting: `none`
    /// drops it, `unsafe` lowers it, `safe` never raises it.
    pub fn apply(self, suggested: Applicability) -> Option<Applicability> {
        match self {
            FixPolicy::None => None,
            FixPolicy::Default | FixPolicy::Safe => Some(suggested),
            FixPolicy::Unsafe => Some(suggested.min(Applicability::Unsafe)),
        }
    }
}

/// A rule file's `[pack]` table: the pack's name and the languages it applies to.
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
    /// The target language's word lists for the checks (`[pack.words]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<WordsDef>,
    /// The target language's number words (`[pack.numbers]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numbers: Option<NumbersDef>,
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

/// A language's word lists, read by checks that must know a word's role in the target
/// language. Words are compared case-blind. Read from the shipped packs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct WordsDef {
    /// Articles (`the`, `a`, `an`): a `drop_article` fix removes one standing before the
    /// wrong term with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub articles: Vec<String>,
    /// Short function words that stay lower case inside a capitalised name (`of`, `and` in
    /// "Chamber of Commerce"): a name is not miscapitalised for them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub minor: Vec<String>,
    /// Particles of names from other languages that stay lower case inside a capitalised name
    /// (`de`, `la` in "Place de la Concorde"). Kept apart from `minor`: a romanised Chinese
    /// name uses them as syllables (Du, La), so the romanisation check reads only `minor`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub name_particles: Vec<String>,
}

/// A language's words for numbers, which may stand in for digits (`three` for `3`, `March`
/// for `3`, `5 million` for `5000000`). Keys are compared lowercased; read from the shipped
/// packs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct NumbersDef {
    /// Number words and their values (`three = 3`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub words: BTreeMap<String, u64>,
    /// Month names and abbreviations and their numbers (`march = 3`, `mar = 3`); they count
    /// only capitalised, as some are everyday words too (`may`, `march`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub months: BTreeMap<String, u64>,
    /// Words after a number that multiply it (`million = 1000000` in `3.5 million`), written
    /// as in text (case-sensitive).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub multipliers: BTreeMap<String, u64>,
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

/// The fields every `[[rule]]` table may have, whatever its kind.
pub const COMMON_KEYS: &[&str] = &[
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

/// The common fields of a `[[rule]]` table, as read; `kind` is still a name here.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommonFields {
    pub id: String,
    pub kind: String,
    #[serde(default)]
    pub severity: Option<Severity>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub fix: FixPolicy,
    #[serde(default)]
    pub doc: Option<String>,
    #[serde(default)]
    pub when_document_mentions: Vec<String>,
    #[serde(default)]
    pub examples: Vec<Example>,
}

/// A `[[rule]]` table: the common fields, and the parameters of its kind, typed by the kind.
#[derive(Debug, Clone)]
pub struct RuleDef {
    pub id: String,
    pub kind: &'static Kind,
    pub severity: Option<Severity>,
    pub category: Option<String>,
    pub message: Option<String>,
    pub fix: FixPolicy,
    /// Full documentation, shown by `mtlint explain`; its first sentence is the summary.
    pub doc: Option<String>,
    pub when_document_mentions: Vec<String>,
    pub examples: Vec<Example>,
    pub params: Params,
    /// The table as written (after config overrides): what `explain` shows and what an
    /// override is merged into. Shared: a rule is copied into every engine and catalog that
    /// holds it, and copying its table made up most of that.
    pub table: Arc<toml::Table>,
}

impl RuleDef {
    /// The kind's parameters. The registry pairs each kind with its own parameter type, so
    /// the type always matches.
    pub fn params<P: KindParams>(&self) -> &P {
        self.params.get::<P>(self.kind)
    }

    /// What this rule's fixes are at best: the kind's judgement for these parameters, after
    /// the rule's `fix` setting. `None`: the rule only flags.
    pub fn fixes(&self) -> Option<Applicability> {
        self.fix.apply(self.params.fixes()?)
    }
}

/// A rule as loaded: its definition, its pack and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedRule {
    pub def: RuleDef,
    pub pack: Arc<PackDef>,
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

/// A rule ready to run: its definition plus the resolved metadata diagnostics carry.
#[derive(Debug, Clone)]
pub struct Rule {
    pub meta: Arc<RuleMeta>,
    pub def: RuleDef,
    pub pack: Arc<PackDef>,
    pub origin: PathBuf,
    /// Message template (the rule's own, else its kind's default).
    pub message: String,
}

impl Rule {
    /// The rule of `loaded`, with its kind's defaults filled in.
    pub fn new(loaded: &LoadedRule) -> Self {
        let def = loaded.def.clone();
        let meta = RuleMeta {
            id: loaded.full_id(),
            severity: def.severity.unwrap_or(Severity::Warning),
            category: def.category.clone().unwrap_or_else(|| def.kind.category.to_string()),
        };
        Rule {
            message: def.message.clone().unwrap_or_else(|| def.kind.message.to_string()),
            meta: Arc::new(meta),
            pack: loaded.pack.clone(),
            origin: loaded.origin.clone(),
            def,
        }
    }

    /// The rule's full id, `pack/name`.
    pub fn id(&self) -> &str {
        &self.meta.id
    }

    /// The applicability of a fix the kind suggests at `suggested`, after the rule's `fix`
    /// setting: `none` drops it, `unsafe` lowers it, `safe` never raises it.
    pub fn applicability(&self, suggested: Applicability) -> Option<Applicability> {
        self.def.fix.apply(suggested)
    }

    /// How specific the rule's judgement is, for merging findings of one defect: a rule that
    /// reads the source text of a bilingual file knows most, a rule of a language-pair pack
    /// (zh-en) more than one of a target pack (en).
    pub fn specificity(&self) -> u8 {
        if self.def.kind.reads_source {
            2
        } else {
            u8::from(self.pack.source.is_some())
        }
    }

    /// One line describing the rule: the first sentence of its `doc`, else its message.
    pub fn summary(&self) -> String {
        match &self.def.doc {
            Some(doc) => summary(doc),
            None => self.message.clone(),
        }
    }
}

/// The summary of a rule's documentation: its first sentence (the lines up to one that ends
/// a sentence, or to the first blank line), on one line.
pub fn summary(doc: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in doc.trim().lines() {
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        out.push(line);
        if line.ends_with(['.', '!', '?', '\u{3002}', ')', '"', '\u{201d}']) {
            break;
        }
    }
    out.join(" ")
}
