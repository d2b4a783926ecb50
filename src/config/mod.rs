//! Configuration: the shipped rules (their files embedded by `packs`), `mtlint.toml` discovery
//! and merging, and the profile (rules + settings) that files are checked with.

pub mod rulefile;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::diagnostic::Severity;
pub use crate::packs::builtin_sources;
use rulefile::{parse_rule_file, parse_shipped_rule_file, LoadedRule, RuleDef, SourceError};

/// Names a config file may have, in order of preference.
pub const CONFIG_NAMES: [&str; 2] = ["mtlint.toml", ".mtlint.toml"];

/// Why a config or rule file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    // Transparent: the message is the source error's own, printed once, not "e: e".
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("{}: {err}", path.display())]
    Io { path: PathBuf, err: std::io::Error },
    #[error("{0}")]
    Invalid(String),
}

/// The shipped rules, parsed once per process.
pub fn builtin_rules() -> Result<&'static [LoadedRule], ConfigError> {
    static RULES: OnceLock<Result<Vec<LoadedRule>, SourceError>> = OnceLock::new();
    let loaded = RULES.get_or_init(|| {
        let sources = builtin_sources();
        // As `build.rs` parsed them, when it wrote every file: no TOML to parse.
        let mut files = crate::packs::shipped::files()
            .filter(|f| f.len() == sources.len())
            .map(|f| f.into_iter().map(|f| (f.path, f.tables)).collect::<Vec<_>>())
            .unwrap_or_default();
        files.resize_with(sources.len(), || ("", None));
        let mut all = Vec::new();
        for ((path, text), (packed_path, tables)) in sources.into_iter().zip(files) {
            let packed = tables
                .filter(|_| path == Path::new("<builtin>").join(packed_path))
                .and_then(|(pack, rules)| rulefile::shipped_rules(&path, pack, rules));
            match packed {
                Some(rules) => all.extend(rules),
                None => all.extend(parse_shipped_rule_file(&path, text)?),
            }
        }
        Ok(all)
    });
    match loaded {
        Ok(v) => Ok(v),
        Err(e) => Err(ConfigError::Source(e.clone())),
    }
}

/// The largest rule or config file read, in bytes: far above any real glossary, small enough
/// that a wrong path (a corpus dump, a disk image) fails at once instead of filling memory.
pub const MAX_RULE_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The most glossary entries (term and consistency variants, canonical forms, capitalization
/// terms, boilerplate lines) one run compiles, over all its rule files.
pub const MAX_GLOSSARY_TERMS: usize = 200_000;

/// Reads a rule or config file as UTF-8 text, refusing files over [`MAX_RULE_FILE_BYTES`].
fn read_source(path: &Path) -> Result<String, ConfigError> {
    use std::io::Read;
    let invalid = |msg: String| ConfigError::Invalid(format!("{}: {msg}", path.display()));
    let file = crate::input::open_regular(path).map_err(|e| invalid(crate::input::ReadError::Io(e).to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_RULE_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| invalid(crate::input::ReadError::Io(e).to_string()))?;
    if bytes.len() as u64 > MAX_RULE_FILE_BYTES {
        return Err(invalid(format!(
            "larger than {} MiB, the limit for rule and config files; split it into several files",
            MAX_RULE_FILE_BYTES / (1024 * 1024)
        )));
    }
    crate::input::decode(bytes).map_err(|e| invalid(e.to_string().replace("; not checked", "")))
}

/// Reads and parses a user rule file.
pub fn load_rule_file(path: &Path) -> Result<Vec<LoadedRule>, ConfigError> {
    let text = read_source(path)?;
    if !looks_like_rule_file(&text) {
        // Errors quote the offending line; a file that is no rule file at all (a key file, a
        // `.env`) is refused without a word of its content.
        return Err(ConfigError::Invalid(format!(
            "{}: not a rule file: it has no `[pack]` table and no `[[rule]]` table (its content is not shown)",
            path.display()
        )));
    }
    let rules = parse_rule_file(path, &text)?;
    check_glossary_size(&rules)?;
    Ok(rules)
}

/// Whether `text` has the shape of a rule file: a `[pack]` or `[[rule]]` table header on a
/// line of its own.
fn looks_like_rule_file(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        let header = |name: &str| {
            l.strip_prefix(name)
                .is_some_and(|rest| rest.trim_start().is_empty() || rest.trim_start().starts_with('#'))
        };
        header("[pack]") || header("[[rule]]")
    })
}

/// How many glossary entries a rule compiles.
fn glossary_terms(def: &RuleDef) -> usize {
    def.params.glossary_terms()
}

/// Refuses a run whose rules hold more than [`MAX_GLOSSARY_TERMS`] glossary entries, naming
/// the rule file that goes over.
pub fn check_glossary_size(rules: &[LoadedRule]) -> Result<(), ConfigError> {
    let mut total = 0usize;
    for r in rules {
        total += glossary_terms(&r.def);
        if total > MAX_GLOSSARY_TERMS {
            return Err(ConfigError::Invalid(format!(
                "{}: too many glossary entries: with this file the run has more than {MAX_GLOSSARY_TERMS} \
                 (term and consistency variants, capitalization terms, boilerplate lines); \
                 split the glossary by language pair or drop duplicates",
                r.origin.display()
            )));
        }
    }
    Ok(())
}

/// `mtlint.toml` / `.mtlint.toml`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Target language of the checked files; absent means detect per file.
    pub lang: Option<String>,
    /// Source language the files were translated from.
    pub source_lang: Option<String>,
    /// Shipped packs to use; absent means every pack for the file's language.
    pub packs: Option<Vec<String>>,
    /// Extra rule files, relative to the config file.
    #[serde(default)]
    pub rules: Vec<String>,
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    pub fail_on: Option<Severity>,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Phrases never flagged.
    #[serde(default)]
    pub accept: Vec<String>,
    /// Per-rule overrides: `[rule."en/run-on"] max_words = 60`.
    #[serde(default)]
    pub rule: BTreeMap<String, toml::Table>,
    /// Glob → rule ids or packs ignored in matching files.
    #[serde(default)]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
    /// Baseline of accepted findings (`mtlint check --write-baseline`), relative to the config
    /// file: `check` and `fix` leave its findings alone.
    pub baseline: Option<String>,
}

/// Finds the nearest `mtlint.toml` or `.mtlint.toml` in `dir` or its ancestors, up to the
/// root of the repository `dir` is in (the first directory holding `.git`), the way git finds
/// its own files. A config another user owns or others may write to is passed over with a
/// warning (see [`unsafe_config`]): in a shared directory such as `/tmp` anyone could plant one.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    let mut cur = Some(dir);
    while let Some(d) = cur {
        for name in CONFIG_NAMES {
            let p = d.join(name);
            if p.is_file() {
                match unsafe_config(&p) {
                    None => return Some(p),
                    Some(why) => warn_unsafe_once(&p, why),
                }
            }
        }
        if d.join(".git").exists() {
            // The repository's root: a config above it belongs to something else.
            return None;
        }
        cur = d.parent();
    }
    None
}

/// Why a discovered config file is not trusted, if it is not: writable by every user, or
/// owned by a user other than the one running mtlint (root's files are trusted too, as they
/// are a system's own). A config given with `--config` is not checked.
#[cfg(unix)]
pub fn unsafe_config(path: &Path) -> Option<&'static str> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    // SAFETY: getuid has no preconditions and cannot fail.
    let me = unsafe { libc::getuid() };
    if meta.mode() & 0o002 != 0 {
        return Some("it is writable by every user");
    }
    if meta.uid() != me && meta.uid() != 0 {
        return Some("it is owned by another user");
    }
    None
}

#[cfg(not(unix))]
pub fn unsafe_config(_path: &Path) -> Option<&'static str> {
    None
}

/// Warns once a run about a config file discovery passed over.
fn warn_unsafe_once(path: &Path, why: &str) {
    static WARNED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    let mut warned = WARNED.lock().unwrap_or_else(|e| e.into_inner());
    if warned.iter().any(|p| p == path) {
        return;
    }
    warned.push(path.to_path_buf());
    eprintln!(
        "warning: {}: ignored: {why}, so anyone could have put it there; use it with --config if you trust it",
        crate::sanitize::one_line(&path.display().to_string())
    );
}

/// Whether `path` (which exists) lies inside `base` or the current directory, after
/// following symbolic links.
fn inside_project(path: &Path, base: &Path) -> bool {
    let Ok(real) = path.canonicalize() else {
        return false;
    };
    let roots = [
        base.canonicalize(),
        std::env::current_dir().and_then(|d| d.canonicalize()),
    ];
    roots.iter().flatten().any(|root| real.starts_with(root))
}

pub fn load_config(path: &Path) -> Result<(ConfigFile, String), ConfigError> {
    let text = read_source(path)?;
    let cfg: ConfigFile = toml::from_str(&text).map_err(|e| SourceError::from_toml(path, &text, &e))?;
    Ok((cfg, text))
}

/// Settings given on the command line; they override the config file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub lang: Option<String>,
    pub source_lang: Option<String>,
    pub rules: Vec<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub fail_on: Option<Severity>,
    /// Let a config's `rules` name files outside its directory and the current directory
    /// (`--allow-external-rules`).
    pub allow_external_rules: bool,
}

/// Everything files under one config are checked with: the rules, languages, file selection
/// and settings. The engine module compiles its rules once per language (`Engines`).
pub struct Profile {
    pub config_path: Option<PathBuf>,
    pub base_dir: PathBuf,
    pub lang: Option<String>,
    pub source_lang: Option<String>,
    pub fail_on: Severity,
    /// The config's `baseline`, resolved against its directory.
    pub baseline: Option<PathBuf>,
    packs: Option<Vec<String>>,
    rules: Vec<LoadedRule>,
    accept: Vec<String>,
    include: Option<GlobSet>,
    exclude: GlobSet,
    per_file_ignores: Vec<(GlobSet, Vec<String>)>,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("config_path", &self.config_path)
            .field("rules", &self.rules.len())
            .finish()
    }
}

fn globset(patterns: &[String], what: &str, config: Option<&Path>) -> Result<GlobSet, ConfigError> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p).map_err(|e| {
            ConfigError::Invalid(format!(
                "{}: bad glob in `{what}`: {e}",
                config.map_or("<command line>".into(), |c| c.display().to_string())
            ))
        })?;
        b.add(glob);
        // "drafts/" or "drafts" should match everything below too.
        if !p.contains('*') {
            if let Ok(g) = Glob::new(&format!("{}/**", p.trim_end_matches('/'))) {
                b.add(g);
            }
        }
    }
    b.build()
        .map_err(|e| ConfigError::Invalid(format!("bad glob in `{what}`: {e}")))
}

impl Profile {
    /// Builds the profile from an optional config file and the command line.
    pub fn load(config_path: Option<&Path>, cli: &Overrides) -> Result<Profile, ConfigError> {
        let (cfg, cfg_text) = match config_path {
            Some(p) => load_config(p)?,
            None => (ConfigFile::default(), String::new()),
        };
        let base_dir = config_path
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
        let mut rules: Vec<LoadedRule> = builtin_rules()?.to_vec();
        let cfg_path = config_path.unwrap_or(Path::new("mtlint.toml"));
        for r in &cfg.rules {
            let path = base_dir.join(r);
            if path.exists() && !cli.allow_external_rules && !inside_project(&path, &base_dir) {
                // A committed config must not read (and quote in errors) files elsewhere on
                // the machine: `../../home/ci/.git-credentials`.
                let at = cfg_text
                    .find(&format!("\"{r}\""))
                    .or_else(|| cfg_text.find(&format!("'{r}'")));
                return Err(SourceError::at(
                    cfg_path,
                    &cfg_text,
                    at.unwrap_or(0),
                    format!(
                        "`rules` names `{r}`, which is outside the project (the config's directory and the \
                         current directory); not read. Give it with --rules, or allow it with --allow-external-rules"
                    ),
                )
                .into());
            }
            if !path.is_file() {
                // Say which line of the config names the missing file, not only the path.
                let at = cfg_text
                    .find(&format!("\"{r}\""))
                    .or_else(|| cfg_text.find(&format!("'{r}'")));
                let why = match std::fs::metadata(&path) {
                    Ok(_) => "it is not a file".to_string(),
                    Err(e) => crate::input::ReadError::Io(e).to_string(),
                };
                return Err(SourceError::at(
                    cfg_path,
                    &cfg_text,
                    at.unwrap_or(0),
                    format!("`rules` names `{r}` ({}): {why}", path.display()),
                )
                .into());
            }
            rules.extend(load_rule_file(&path)?);
        }
        for r in &cli.rules {
            rules.extend(load_rule_file(r)?);
        }
        check_glossary_size(&rules)?;
        let known = known_languages(&rules);
        let setting = |key: &str, given: &Option<String>| -> Result<Option<String>, ConfigError> {
            let Some(given) = given else { return Ok(None) };
            language_setting(given, &format!("`{key}`"), &known)
                .map(Some)
                .map_err(|m| {
                    let at = rulefile::find_key(&cfg_text, key).unwrap_or(0);
                    SourceError::at(cfg_path, &cfg_text, at, m.to_string()).into()
                })
        };
        let cfg_lang = setting("lang", &cfg.lang)?;
        let cfg_source_lang = setting("source_lang", &cfg.source_lang)?;
        let option = |flag: &str, given: &Option<String>| -> Result<Option<String>, ConfigError> {
            given
                .as_deref()
                .map(|g| language_setting(g, flag, &known))
                .transpose()
                .map_err(|e| ConfigError::Invalid(e.to_string()))
        };
        let cli_lang = option("--lang", &cli.lang)?;
        let cli_source_lang = option("--source-lang", &cli.source_lang)?;
        // Two files defining the same pack/rule id: the later one wins, like a later layer.
        let mut seen = HashMap::new();
        for (i, r) in rules.iter().enumerate() {
            seen.insert(r.full_id(), i);
        }
        let rules: Vec<LoadedRule> = rules
            .into_iter()
            .enumerate()
            .filter(|(i, r)| seen.get(&r.full_id()) == Some(i))
            .map(|(_, r)| r)
            .collect();
        let mut rules = rules;
        // Rules by full id, and the pack names: each override and selector below is a look-up,
        // not a walk over every rule (with many rules and many overrides that was quadratic).
        let by_id: HashMap<String, usize> = rules.iter().enumerate().map(|(i, r)| (r.full_id(), i)).collect();
        for (id, table) in &cfg.rule {
            let path = cfg_path;
            // Where the override is written, looked for only when there is an error to place.
            let at = || cfg_text.find(&format!("\"{id}\"")).unwrap_or(0);
            let Some(rule) = by_id.get(id).map(|&i| &mut rules[i]) else {
                return Err(SourceError::at(
                    path,
                    &cfg_text,
                    at(),
                    format!("no rule `{id}` to configure (see `mtlint rules`)"),
                )
                .into());
            };
            rule.def = apply_override(&rule.def, table)
                .map_err(|m| SourceError::at(path, &cfg_text, at(), format!("[rule.\"{id}\"]: {m}")))?;
        }
        let packs_by_name: HashMap<&str, &Arc<rulefile::PackDef>> =
            rules.iter().rev().map(|r| (r.pack.name.as_str(), &r.pack)).collect();
        if let Some(packs) = &cfg.packs {
            for name in packs {
                let at = cfg_text.find(&format!("\"{name}\"")).unwrap_or(0);
                let Some(pack) = packs_by_name.get(name.as_str()) else {
                    return Err(SourceError::at(
                        cfg_path,
                        &cfg_text,
                        at,
                        format!("`packs` names `{name}`, which no rule file defines (see `mtlint rules`)"),
                    )
                    .into());
                };
                if let (Some(lang), Some(target)) = (&cfg_lang, &pack.target) {
                    if lang != target {
                        return Err(SourceError::at(
                            cfg_path,
                            &cfg_text,
                            at,
                            format!(
                                "`packs` names `{name}`, a pack for `{target}` text, but `lang` is `{lang}`: \
                                 its rules would never run"
                            ),
                        )
                        .into());
                    }
                }
            }
        }
        // One source naming a selector both ways is a contradiction; across sources the command
        // line wins: `--select X` replaces the config's `select` and lifts its `ignore` of X,
        // `--ignore X` adds to the config's `ignore`.
        let both = |select: &[String], ignore: &[String]| select.iter().find(|s| ignore.contains(s)).cloned();
        if let Some(sel) = both(&cfg.select, &cfg.ignore) {
            let at = cfg_text.find("ignore").unwrap_or(0);
            return Err(SourceError::at(
                cfg_path,
                &cfg_text,
                at,
                format!("`{sel}` is both in `select` and in `ignore`; keep it in one"),
            )
            .into());
        }
        if let Some(sel) = both(&cli.select, &cli.ignore) {
            return Err(ConfigError::Invalid(format!(
                "`{sel}` is given both to --select and to --ignore; keep it in one"
            )));
        }
        let select: Vec<String> = if cli.select.is_empty() {
            cfg.select.clone()
        } else {
            cli.select.clone()
        };
        let ignore: Vec<String> = cfg
            .ignore
            .iter()
            .filter(|s| !cli.select.contains(s))
            .chain(&cli.ignore)
            .cloned()
            .collect();
        for sel in select.iter().chain(&ignore) {
            if !by_id.contains_key(sel) && !packs_by_name.contains_key(sel.as_str()) {
                return Err(ConfigError::Invalid(format!(
                    "unknown rule or pack `{sel}` in select/ignore (see `mtlint rules`)"
                )));
            }
        }
        let select: HashSet<&str> = select.iter().map(String::as_str).collect();
        let ignore: HashSet<&str> = ignore.iter().map(String::as_str).collect();
        let matches = |set: &HashSet<&str>, r: &LoadedRule| {
            set.contains(r.pack.name.as_str()) || set.contains(r.full_id().as_str())
        };
        rules.retain(|r| (select.is_empty() || matches(&select, r)) && !matches(&ignore, r));
        let cfgp = config_path;
        let include = if cfg.include.is_empty() {
            None
        } else {
            Some(globset(&cfg.include, "include", cfgp)?)
        };
        let exclude = globset(&cfg.exclude, "exclude", cfgp)?;
        let mut per_file_ignores = Vec::new();
        for (glob, ids) in &cfg.per_file_ignores {
            per_file_ignores.push((
                globset(std::slice::from_ref(glob), "per_file_ignores", cfgp)?,
                ids.clone(),
            ));
        }
        let baseline = cfg.baseline.as_ref().map(|b| base_dir.join(b));
        Ok(Profile {
            config_path: config_path.map(Path::to_path_buf),
            base_dir,
            lang: cli_lang.or(cfg_lang),
            source_lang: cli_source_lang.or(cfg_source_lang),
            fail_on: cli.fail_on.or(cfg.fail_on).unwrap_or(Severity::Warning),
            baseline,
            packs: cfg.packs,
            rules,
            accept: cfg.accept,
            include,
            exclude,
            per_file_ignores,
        })
    }

    /// All rules of the profile, whatever the language.
    pub fn all_rules(&self) -> &[LoadedRule] {
        &self.rules
    }

    /// The rules that apply to a document in `lang`, translated from the profile's source
    /// language (any source when none is set).
    pub fn rules_for(&self, lang: &str) -> Vec<LoadedRule> {
        self.rules_for_pair(lang, self.source_lang.as_deref())
    }

    /// The rules that apply to a document in `lang` translated from `source`: packs for
    /// another language pair are left out; with no source, every pair targeting `lang` applies.
    pub fn rules_for_pair(&self, lang: &str, source: Option<&str>) -> Vec<LoadedRule> {
        self.rules
            .iter()
            .filter(|r| {
                let p = &r.pack;
                let builtin = r.origin.starts_with("<builtin>");
                let listed = !builtin || self.packs.as_ref().is_none_or(|l| l.contains(&p.name));
                let target_ok = p.target.as_deref().is_none_or(|t| t == lang);
                let source_ok = match (&p.source, source) {
                    (Some(ps), Some(s)) => ps == s,
                    _ => true,
                };
                listed && target_ok && source_ok
            })
            .cloned()
            .collect()
    }

    /// Phrases never flagged (the config's `accept`).
    pub fn accept(&self) -> &[String] {
        &self.accept
    }

    fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.base_dir)
            .or_else(|_| path.strip_prefix("./"))
            .unwrap_or(path)
    }

    /// Rule ids and packs ignored for `path` by `per_file_ignores`.
    pub fn ignored_for(&self, path: &Path) -> Vec<&str> {
        let rel = self.relative(path);
        self.per_file_ignores
            .iter()
            .filter(|(g, _)| g.is_match(rel))
            .flat_map(|(_, ids)| ids.iter().map(String::as_str))
            .collect()
    }

    /// Whether a file found by walking a directory is checked.
    pub fn wants(&self, path: &Path) -> bool {
        let rel = self.relative(path);
        if self.exclude.is_match(rel) {
            return false;
        }
        match &self.include {
            Some(inc) => inc.is_match(rel),
            None => path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| DEFAULT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())),
        }
    }

    /// Whether the config lists `include` globs (else files are chosen by extension).
    pub fn has_include(&self) -> bool {
        self.include.is_some()
    }

    pub fn is_excluded(&self, path: &Path) -> bool {
        self.exclude.is_match(self.relative(path))
    }
}

/// The languages a run knows: those detection can return and those its rule packs target or
/// translate from, sorted.
pub fn known_languages(rules: &[LoadedRule]) -> Vec<String> {
    let mut known: Vec<String> = crate::language::DETECTED.iter().map(|l| l.to_string()).collect();
    for r in rules {
        known.extend(r.pack.target.iter().chain(&r.pack.source).cloned());
    }
    known.sort();
    known.dedup();
    known
}

/// A language given in the config or on the command line, reduced to its primary language
/// (`en-US` → `en`); an error naming `what` when it is no tag or no language the run knows.
fn language_setting(given: &str, what: &str, known: &[String]) -> Result<String, LanguageError> {
    let lang = crate::language::primary(given).map_err(|source| LanguageError::BadTag {
        what: what.to_string(),
        source,
        known: known.to_vec(),
    })?;
    if !known.contains(&lang) {
        return Err(LanguageError::Unknown {
            what: what.to_string(),
            given: given.to_string(),
            known: known.to_vec(),
        });
    }
    Ok(lang)
}

/// A language setting (`lang` in the config, `--lang`, …) that names no language the run
/// knows; `what` names the setting and `known` lists the languages the run knows.
#[derive(Debug, thiserror::Error)]
enum LanguageError {
    /// It is no language tag.
    #[error("{what}: {source}; known languages are {}", known.join(", "))]
    BadTag {
        what: String,
        source: crate::language::BadTag,
        known: Vec<String>,
    },
    /// It is a tag, but of a language no rule pack or detection knows.
    #[error("{}", crate::language::unknown(what, given, known))]
    Unknown {
        what: String,
        given: String,
        known: Vec<String>,
    },
}

/// File extensions checked when walking a directory and no `include` is configured.
pub const DEFAULT_EXTENSIONS: &[&str] = &["txt", "text", "md", "markdown", "xlf", "xliff", "po", "tmx", "tsv"];

/// Applies a `[rule."id"]` table from the config to a rule definition: merged into the
/// rule's table, which is read again as a whole.
fn apply_override(def: &RuleDef, table: &toml::Table) -> Result<RuleDef, OverrideError> {
    for key in ["id", "kind"] {
        if table.contains_key(key) {
            return Err(OverrideError::Fixed(key));
        }
    }
    let mut merged = (*def.table).clone();
    for (k, v) in table {
        merged.insert(k.clone(), v.clone());
    }
    rulefile::rule_from_table(merged, true).map_err(|(_, message)| OverrideError::Rule(message))
}

/// Why a config's `[rule."id"]` table could not be applied to the rule.
#[derive(Debug, thiserror::Error)]
enum OverrideError {
    /// It sets a field no override may change.
    #[error("`{0}` cannot be overridden")]
    Fixed(&'static str),
    /// The rule, merged with it, is not a valid rule; the message is the rule file reader's.
    #[error("{0}")]
    Rule(String),
}
