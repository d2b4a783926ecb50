//! Rule files: TOML read with serde, unknown keys rejected with file, line and column.
//!
//! A rule file holds one `[pack]` table and any number of `[[rule]]` tables. Every rule has the
//! common fields (`id`, `kind`, `severity`, …) and the parameters of its kind; a parameter that
//! does not belong to the rule's kind is an error pointing at its line.

use std::path::Path;

use serde::Deserialize;

use crate::model::{CommonFields, ParamError, COMMON_KEYS};
pub use crate::model::{Example, FixPolicy, LoadedRule, PackDef, RuleDef, SentenceDef, SourceError, WordsDef};

/// The longest `message` a rule may have, in bytes: ten times the longest shipped one, far
/// below what would flood a log when the rule fires thousands of times.
pub const MAX_MESSAGE_BYTES: usize = 2048;

/// The longest replacement (`replace`, `canonical`, a glossary target) a rule may have, in
/// bytes: a fix corrects a word or a phrase, never inserts a page.
pub const MAX_REPLACEMENT_BYTES: usize = 1024;

/// A rule's table could not be read: where (if known) and the message.
pub type RuleError = (Option<Place>, String);

/// Where in a rule's table an error is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// At a key that does not belong there.
    Key(String),
    /// At the value of a key.
    Value(String),
}

/// Reads one `[[rule]]` table: the common fields, then the kind's parameters into the kind's
/// own type. With `validate`, the kind's load-time checks run too (regexes compiled).
pub fn rule_from_table(table: toml::Table, validate: bool) -> Result<RuleDef, RuleError> {
    let (common, params): (toml::Table, toml::Table) = table
        .clone()
        .into_iter()
        .partition(|(k, _)| COMMON_KEYS.contains(&k.as_str()));
    let common = read_common(common, &table)?;
    let Some(kind) = crate::checks::kind_named(&common.kind) else {
        return Err((
            Some(Place::Value("kind".into())),
            format!(
                "unknown variant `{}`, expected one of {}",
                common.kind,
                crate::checks::kind_names()
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    };
    let params = (kind.parse)(params).map_err(|e| {
        let place = match &e {
            ParamError::Unknown { key, .. } => Some(Place::Key(key.clone())),
            ParamError::Invalid { key, .. } => key.clone().map(Place::Value),
        };
        (place, e.message(kind.name))
    })?;
    let def = RuleDef {
        id: common.id,
        kind,
        severity: common.severity,
        category: common.category,
        message: common.message,
        fix: common.fix,
        doc: common.doc,
        when_document_mentions: common.when_document_mentions,
        examples: common.examples,
        params,
        table: std::sync::Arc::new(table),
    };
    let with_id =
        |(key, msg): (&'static str, String)| (Some(Place::Key(key.to_string())), format!("rule `{}`: {msg}", def.id));
    if let Some(found) = oversized(&def) {
        return Err(with_id(found));
    }
    if validate {
        def.params.validate().map_err(with_id)?;
    }
    Ok(def)
}

/// Reads the common fields (the entries of `table`, the whole rule, that `common` holds); an
/// error names the key whose value is wrong when it can.
fn read_common(common: toml::Table, table: &toml::Table) -> Result<CommonFields, RuleError> {
    let read = |t: toml::Table| -> Result<CommonFields, toml::de::Error> { toml::Value::Table(t).try_into() };
    read(common).map_err(|e| {
        // Each key alone, beside a valid id and kind: the first that fails is the culprit.
        let key = table.keys().filter(|k| COMMON_KEYS.contains(&k.as_str())).find(|k| {
            let mut one = toml::Table::new();
            one.insert("id".into(), "x".into());
            one.insert("kind".into(), "x".into());
            one.insert(k.to_string(), table[k.as_str()].clone());
            read(one).is_err()
        });
        (key.cloned().map(Place::Value), e.message().trim().to_string())
    })
}

/// The first message or replacement longer than its cap ([`MAX_MESSAGE_BYTES`],
/// [`MAX_REPLACEMENT_BYTES`]): its key and the error. A rule's message is printed with every
/// finding and a replacement is written into documents, so a huge one would multiply into
/// gigabytes of output.
fn oversized(def: &RuleDef) -> Option<(&'static str, String)> {
    if let Some(m) = &def.message {
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
    def.params.replacements().into_iter().find_map(|(key, r)| {
        (r.len() > MAX_REPLACEMENT_BYTES).then(|| {
            (
                key,
                format!(
                    "a replacement in `{key}` is {} bytes long; replacements are capped at {MAX_REPLACEMENT_BYTES} bytes",
                    r.len()
                ),
            )
        })
    })
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleFile {
    pack: PackDef,
    #[serde(default)]
    rule: Vec<toml::Spanned<toml::Table>>,
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

/// The rules of a shipped rule file from its tables as `build.rs` parsed them
/// (`packs::shipped`), as [`parse_shipped_rule_file`] reads them from its TOML; `None` on
/// anything that reading would report as an error, which the caller then reads from the TOML
/// to say where.
pub(crate) fn shipped_rules(
    path: &Path,
    pack: toml::Table,
    rules: Vec<(usize, toml::Table)>,
) -> Option<Vec<LoadedRule>> {
    let mut pack: PackDef = toml::Value::Table(pack).try_into().ok()?;
    for tag in [&mut pack.target, &mut pack.source].into_iter().flatten() {
        *tag = crate::language::primary(tag).ok()?;
    }
    if !is_valid_id(&pack.name) || rules.is_empty() {
        return None;
    }
    let pack = std::sync::Arc::new(pack);
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(rules.len());
    for (line, table) in rules {
        if let Some(id) = table.get("id").and_then(|v| v.as_str()) {
            if !is_valid_id(id) || !seen.insert(id.to_string()) {
                return None;
            }
        }
        out.push(LoadedRule {
            def: rule_from_table(table, false).ok()?,
            pack: pack.clone(),
            origin: path.to_path_buf(),
            line,
        });
    }
    Some(out)
}

fn parse_rules(path: &Path, source: &str, validate: bool) -> Result<Vec<LoadedRule>, SourceError> {
    let raw: RawRuleFile = toml::from_str(source).map_err(|e| SourceError::from_toml(path, source, &e))?;
    if !path.starts_with("<builtin>") {
        // Language data belongs to the shipped packs: a user file that sets it is told so,
        // rather than having it ignored.
        let language_data = [
            (raw.pack.sentences.is_some(), "sentences", "how sentences are split"),
            (raw.pack.words.is_some(), "words", "a language's word lists"),
            (raw.pack.numbers.is_some(), "numbers", "a language's number words"),
        ];
        if let Some(&(_, table, what)) = language_data.iter().find(|d| d.0) {
            return Err(SourceError::at(
                path,
                source,
                pack_table_at(source, table),
                format!("`[pack.{table}]` is read from the shipped packs only; a rule file cannot change {what}"),
            ));
        }
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
        let table = spanned.into_inner();
        // The rule's table runs from its header to the next rule's, with its sub-tables
        // (`[[rule.examples]]`).
        let body_end = source[span.end..]
            .find("\n[[rule]]")
            .map_or(source.len(), |i| span.end + i);
        let rule_src = &source[span.start..body_end.max(span.end)];
        let key_at = |key: &str| {
            let header = [format!("[[rule.{key}]]"), format!("[rule.{key}]")];
            find_key(rule_src, key)
                .or_else(|| header.iter().find_map(|h| rule_src.find(h.as_str())))
                .map_or(span.start, |i| span.start + i)
        };
        let id = table.get("id").and_then(|v| v.as_str()).map(str::to_string);
        if let Some(id) = &id {
            if !is_valid_id(id) {
                return Err(SourceError::at(
                    path,
                    source,
                    key_at("id"),
                    format!("rule id `{id}` must be kebab-case (a-z, 0-9, -)"),
                ));
            }
            if !seen.insert(id.clone()) {
                return Err(SourceError::at(
                    path,
                    source,
                    key_at("id"),
                    format!("rule id `{id}` is defined twice in pack `{}`", pack.name),
                ));
            }
        }
        let def = rule_from_table(table, validate).map_err(|(place, msg)| {
            let at = match place {
                None => span.start,
                Some(Place::Key(key)) => key_at(&key),
                Some(Place::Value(key)) => {
                    // After `key =` and its spaces, where the key is written so.
                    let at = key_at(&key);
                    let line = &source[at..];
                    match line.strip_prefix(key.as_str()).map(str::trim_start) {
                        Some(rest) if rest.starts_with('=') => {
                            let value = rest[1..].trim_start_matches([' ', '\t']);
                            source.len() - value.len()
                        }
                        _ => at,
                    }
                }
            };
            SourceError::at(path, source, at, msg)
        })?;
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

/// Where the sub-table `[pack.<table>]` of the `[pack]` table starts: its header (or that of a
/// table inside it), else a `<table> = …` key (an inline table), else the start of the file.
fn pack_table_at(src: &str, table: &str) -> usize {
    let header = format!("[pack.{table}");
    let mut pos = 0;
    for line in src.split_inclusive('\n') {
        let t = line.trim_start();
        if t.strip_prefix(&header).is_some_and(|rest| rest.starts_with([']', '.'])) {
            return pos + (line.len() - t.len());
        }
        pos += line.len();
    }
    find_key(src, table).unwrap_or(0)
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

    /// Word lists come from the shipped packs too, whether written as a table or inline.
    #[test]
    fn word_lists_in_a_user_file_are_an_error() {
        let src = "[pack]\nname = \"x\"\ntarget = \"it\"\n\n  [pack.words]\narticles = [\"il\", \"la\"]\n";
        let err = parse_rule_file(Path::new("r.toml"), src).unwrap_err();
        assert_eq!((err.line, err.column), (5, 3), "{err}");
        assert!(
            err.message
                .contains("`[pack.words]` is read from the shipped packs only"),
            "{err}"
        );
        assert_eq!(err.path, Path::new("r.toml"));
        let inline = "[pack]\nname = \"x\"\nwords = { minor = [\"di\"] }\n";
        let err = parse_rule_file(Path::new("r.toml"), inline).unwrap_err();
        assert_eq!((err.line, err.column), (3, 1), "{err}");
        assert!(err.message.contains("`[pack.words]`"), "{err}");
    }

    /// The shipped packs as `build.rs` parsed them load as from their TOML.
    #[test]
    fn shipped_tables_load_as_their_toml() {
        let sources = crate::config::builtin_sources();
        let files = crate::packs::shipped::files().expect("build.rs wrote them");
        assert_eq!(files.len(), sources.len());
        for (file, (path, text)) in files.into_iter().zip(sources) {
            assert_eq!(Path::new("<builtin>").join(file.path), path);
            let (pack, rules) = file.tables.expect("every shipped file is written parsed");
            let packed = shipped_rules(&path, pack, rules).expect("loads");
            let parsed = parse_shipped_rule_file(&path, text).unwrap();
            assert_eq!(format!("{packed:?}"), format!("{parsed:?}"), "{}", path.display());
        }
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
