//! The inputs of a run: the files the command line's paths expand to (directories walked,
//! globs expanded, standard input), each with the linter of the config that governs it, and
//! what was passed over and why.

pub mod baselines;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::api::Linter;
use crate::config::Overrides;
use crate::config::{self, ConfigError, Profile};
use crate::document::Document;
use crate::error::FileError;
use crate::input;
use crate::output::FileReport;

/// One thing to check: a path with the linter of its profile, or the error met while finding
/// it.
pub struct Input {
    pub path: PathBuf,
    pub display: String,
    pub linter: Linter,
    /// Text already read (standard input).
    pub text: Option<String>,
    pub error: Option<String>,
    /// Replace invalid UTF-8 instead of refusing the file (`--lossy`).
    pub lossy: bool,
    /// What `--lossy` replaced in standard input.
    pub replaced: Option<input::Replaced>,
}

/// What the command line says about its inputs.
#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    /// `--config`: one config for every file, instead of the nearest one to each.
    pub config: Option<PathBuf>,
    /// `--rules`, `--lang`, `--select` and the other settings over the config's.
    pub overrides: Overrides,
    /// `--input-format`: read every file as this format.
    pub input_format: Option<crate::formats::InputFormat>,
    /// `--lossy`: replace invalid UTF-8 instead of refusing the file.
    pub lossy: bool,
    /// `--stdin`: read standard input.
    pub stdin: bool,
    /// `--stdin-filename`: the path standard input stands for.
    pub stdin_filename: Option<PathBuf>,
}

/// Linters (a profile and its engines) by config file, found once per directory.
pub struct Profiles {
    explicit: Option<Linter>,
    opts: InputOptions,
    by_config: HashMap<Option<PathBuf>, Linter>,
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
}

impl Profiles {
    pub fn new(opts: &InputOptions) -> Result<Self, ConfigError> {
        let explicit = match &opts.config {
            Some(p) => Some(Linter::with_profile(
                Arc::new(Profile::load(Some(p), &opts.overrides)?),
                opts.input_format,
            )),
            None => None,
        };
        Ok(Profiles {
            explicit,
            opts: opts.clone(),
            by_config: HashMap::new(),
            by_dir: HashMap::new(),
        })
    }

    /// The linter for files in `dir`: `--config`, else the nearest config file.
    pub fn for_dir(&mut self, dir: &Path) -> Result<Linter, ConfigError> {
        if let Some(p) = &self.explicit {
            return Ok(p.clone());
        }
        let abs = if dir.as_os_str().is_empty() {
            std::env::current_dir().unwrap_or_default()
        } else {
            std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
        };
        let config = match self.by_dir.get(&abs) {
            Some(c) => c.clone(),
            None => {
                let c = config::discover(&abs);
                self.by_dir.insert(abs.clone(), c.clone());
                c
            }
        };
        if let Some(p) = self.by_config.get(&config) {
            return Ok(p.clone());
        }
        let profile = Arc::new(Profile::load(config.as_deref(), &self.opts.overrides)?);
        let linter = Linter::with_profile(profile, self.opts.input_format);
        self.by_config.insert(config, linter.clone());
        Ok(linter)
    }
}

fn parent_of(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new("."))
}

/// A file found while walking a directory and not checked.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub path: PathBuf,
    pub why: &'static str,
}

/// What the command line's paths expand to.
#[derive(Default)]
pub struct Collected {
    pub inputs: Vec<Input>,
    /// Files under the directories given that were passed over (by extension, `include` or
    /// `exclude`), in walking order.
    pub skipped: Vec<Skipped>,
}

/// Expands the command line's paths (or standard input) into inputs: `-` is standard input, a
/// pattern the shell did not expand (`'*.txt'`, `'docs/**/*.md'`) is expanded here, and a path
/// that names nothing is an input with an error, so the others are still checked.
pub fn collect(paths: &[PathBuf], profiles: &mut Profiles) -> Result<Collected, ConfigError> {
    let opts = &profiles.opts.clone();
    let mut found = Collected::default();
    if opts.stdin {
        if !paths.is_empty() {
            return Err(ConfigError::Invalid(
                "--stdin reads standard input, so it takes no PATHS (write `-` among the paths to check \
                 standard input with files)"
                    .into(),
            ));
        }
        found.inputs.push(stdin_input(opts, profiles)?);
        return Ok(found);
    }
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() { &default[..] } else { paths };
    if paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(ConfigError::Invalid(
            "`-` (standard input) is given more than once".into(),
        ));
    }
    for root in paths {
        if root.as_os_str() == "-" {
            found.inputs.push(stdin_input(opts, profiles)?);
            continue;
        }
        if std::fs::symlink_metadata(root).is_err() {
            if let Some(matches) = expand_glob(root) {
                if matches.is_empty() {
                    let error = format!("no file matches the pattern `{}`", root.display());
                    found.inputs.push(failed_input(root, error, opts, profiles)?);
                }
                for m in matches {
                    collect_root(&m, opts, profiles, &mut found)?;
                }
                continue;
            }
        }
        collect_root(root, opts, profiles, &mut found)?;
    }
    Ok(found)
}

/// Standard input as an input, read to its end.
fn stdin_input(opts: &InputOptions, profiles: &mut Profiles) -> Result<Input, ConfigError> {
    let mut text = String::new();
    let mut replaced = None;
    let mut bytes = Vec::new();
    let decoded = |bytes| match opts.lossy {
        true => input::decode_lossy(bytes),
        false => input::decode(bytes).map(|t| (t, None)),
    };
    let error = match std::io::stdin().read_to_end(&mut bytes) {
        Ok(_) => match decoded(bytes) {
            Ok((t, r)) => {
                text = t;
                replaced = r;
                None
            }
            Err(e) => Some(e.to_string()),
        },
        Err(e) => Some(format!("cannot read standard input: {e}")),
    };
    let path = opts.stdin_filename.clone().unwrap_or_else(|| PathBuf::from("<stdin>"));
    let linter = profiles.for_dir(parent_of(&path))?;
    Ok(Input {
        display: path.display().to_string(),
        path,
        linter,
        text: Some(text),
        error,
        lossy: opts.lossy,
        replaced,
    })
}

/// An input that is only an error: `path` could not be checked.
fn failed_input(
    path: &Path,
    error: String,
    opts: &InputOptions,
    profiles: &mut Profiles,
) -> Result<Input, ConfigError> {
    Ok(Input {
        path: path.to_path_buf(),
        display: path.display().to_string(),
        linter: profiles.for_dir(parent_of(path))?,
        text: None,
        error: Some(error),
        lossy: opts.lossy,
        replaced: None,
    })
}

/// The paths a glob pattern matches, sorted, when `pattern` is one (`None`: no glob
/// characters). `*` and `?` stay within a path component and `**` crosses them, as in a shell
/// with globstar; hidden and git-ignored files are passed over, as when walking a directory.
/// A matched directory is checked like a directory given on the command line, unless the
/// pattern holds `**` (which reaches the files inside it anyway).
fn expand_glob(pattern: &Path) -> Option<Vec<PathBuf>> {
    let text = pattern.to_str()?;
    if !text.contains(['*', '?', '[', '{']) {
        return None;
    }
    let glob = globset::GlobBuilder::new(text.strip_prefix("./").unwrap_or(text))
        .literal_separator(true)
        .build()
        .ok()?
        .compile_matcher();
    // Walk from the longest leading part without glob characters.
    let mut base = PathBuf::new();
    for c in Path::new(text).components() {
        if c.as_os_str().to_str().is_some_and(|c| c.contains(['*', '?', '[', '{'])) {
            break;
        }
        base.push(c);
    }
    let walk_from = if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base.clone()
    };
    let crosses = text.contains("**");
    let mut matches = Vec::new();
    for entry in ignore::WalkBuilder::new(&walk_from)
        .require_git(false)
        .follow_links(false)
        .build()
    {
        let Ok(entry) = entry else { continue };
        if entry.depth() == 0 {
            continue;
        }
        let is_file = entry.file_type().is_some_and(|t| t.is_file());
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        if !is_file && (!is_dir || crosses) {
            continue;
        }
        let path = entry.into_path();
        let relative = if base.as_os_str().is_empty() {
            path.strip_prefix(".").unwrap_or(&path).to_path_buf()
        } else {
            path.clone()
        };
        let relative = relative.to_str().map(|r| r.strip_prefix("./").unwrap_or(r).to_string());
        if let Some(r) = relative.filter(|r| glob.is_match(r)) {
            // Named as the shell would have named it: `a.txt`, not `./a.txt`.
            matches.push(if base.as_os_str().is_empty() {
                PathBuf::from(r)
            } else {
                path
            });
        }
    }
    matches.sort();
    // A directory's files are not matched twice: only what the pattern names at its depth.
    let dirs: Vec<PathBuf> = matches.iter().filter(|p| p.is_dir()).cloned().collect();
    matches.retain(|p| !dirs.iter().any(|d| p != d && p.starts_with(d)));
    Some(matches)
}

/// Adds the inputs one existing (or missing) path stands for: a file, or the files under a
/// directory that its profile wants.
fn collect_root(
    root: &Path,
    opts: &InputOptions,
    profiles: &mut Profiles,
    found: &mut Collected,
) -> Result<(), ConfigError> {
    let inputs = &mut found.inputs;
    let root = &root.to_path_buf();
    {
        let meta = std::fs::metadata(root);
        match meta {
            Err(e) => {
                let error = input::ReadError::Io(e).to_string();
                inputs.push(failed_input(root, error, opts, profiles)?);
            }
            Ok(m) if !m.is_file() && !m.is_dir() => {
                // A FIFO or a device would block or never end: say so instead of reading it.
                let error = "not a regular file (a FIFO, socket or device); not checked".to_string();
                inputs.push(failed_input(root, error, opts, profiles)?);
            }
            Ok(m) if m.is_file() => {
                let linter = profiles.for_dir(parent_of(root))?;
                inputs.push(Input {
                    path: root.clone(),
                    display: root.display().to_string(),
                    linter,
                    text: None,
                    error: None,
                    lossy: opts.lossy,
                    replaced: None,
                });
            }
            Ok(_) => {
                let mut files = Vec::new();
                let walker = ignore::WalkBuilder::new(root)
                    .require_git(false)
                    .follow_links(false)
                    .build();
                for entry in walker {
                    match entry {
                        Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => files.push(e.into_path()),
                        Ok(_) => {}
                        Err(err) => {
                            let path = match &err {
                                ignore::Error::WithPath { path, .. } => path.clone(),
                                _ => root.clone(),
                            };
                            let reason = err.io_error().map_or_else(
                                || err.to_string().rsplit(": ").next().unwrap_or("").to_string(),
                                input::io_reason,
                            );
                            let msg = format!("cannot walk: {reason}");
                            inputs.push(failed_input(&path, msg, opts, profiles)?);
                        }
                    }
                }
                files.sort();
                for path in files {
                    let linter = profiles.for_dir(parent_of(&path))?;
                    let profile = linter.profile().clone();
                    if !profile.wants(&path) {
                        let why = if profile.is_excluded(&path) {
                            "excluded by `exclude` in the config"
                        } else if profile.has_include() {
                            "not matched by `include` in the config"
                        } else {
                            "not a file type mtlint checks by default (add it to `include`, or name the file)"
                        };
                        found.skipped.push(Skipped { path, why });
                        continue;
                    }
                    inputs.push(Input {
                        display: path.display().to_string(),
                        path,
                        linter,
                        text: None,
                        error: None,
                        lossy: opts.lossy,
                        replaced: None,
                    });
                }
            }
        }
    }
    Ok(())
}

impl Input {
    /// The profile this input is checked with.
    pub fn profile(&self) -> &Profile {
        self.linter.profile()
    }

    /// Reads the input into a document, or says why it cannot be checked; with `--lossy`, also
    /// what was replaced to make it text.
    pub fn read(&self) -> Result<(Document, Option<input::Replaced>), FileError> {
        if let Some(e) = &self.error {
            return Err(FileError::Input(e.clone()));
        }
        match &self.text {
            Some(t) => Ok((
                self.linter.parse(&self.display, t.clone(), &self.path)?,
                self.replaced.clone(),
            )),
            None => self.linter.read_file(&self.path, &self.display, self.lossy),
        }
    }

    /// Like [`Input::read`], but says what `--lossy` replaced on standard error (so the caller
    /// must not hold the standard-error lock).
    pub fn load(&self) -> Result<Document, FileError> {
        let (doc, replaced) = self.read()?;
        if let Some(r) = replaced {
            eprintln!("warning: {}: {r}", crate::sanitize::one_line(&self.display));
        }
        Ok(doc)
    }

    /// Reads and checks the input.
    pub fn check(&self) -> FileReport {
        match self.load() {
            Ok(doc) => self.check_loaded(doc),
            Err(e) => FileReport::failed(self.display.clone(), e),
        }
    }

    /// Checks the input's document, read by [`Input::load`].
    pub fn check_loaded(&self, doc: Document) -> FileReport {
        match self.linter.check_document(&doc, Some(&self.path)) {
            Ok(diagnostics) => FileReport::checked(self.display.clone(), doc, diagnostics),
            Err(e) => FileReport::failed(self.display.clone(), e),
        }
    }
}

/// The documentation of every rule the inputs' profiles hold, for formats that describe rules.
pub fn rule_catalog(inputs: &[Input]) -> crate::output::RuleCatalog {
    let mut catalog = crate::output::RuleCatalog::default();
    let mut seen: Vec<*const Profile> = Vec::new();
    for input in inputs {
        let p: *const Profile = input.profile();
        if !seen.contains(&p) {
            seen.push(p);
            catalog.extend(input.profile().all_rules());
        }
    }
    catalog
}

/// The lowest fail level among the inputs' profiles (warning when there are no inputs).
pub fn fail_level(inputs: &[Input]) -> crate::diagnostic::Severity {
    inputs
        .iter()
        .map(|i| i.profile().fail_on)
        .min()
        .unwrap_or(crate::diagnostic::Severity::Warning)
}
