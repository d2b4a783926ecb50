//! The per-file pipeline, used by the command line (`check`, `fix`, `report`), the language
//! server, the Python package, the tests and fuzzing: [`Settings`] → a [`Linter`] that
//! compiles each language's rules once and is shared by every thread; then, per file, read
//! ([`Linter::read_file`]) → detect format and language ([`Linter::parse`]) → check with the
//! file's rules ([`Linter::check_document`], the config's per-file ignores turned off in the
//! engine) → fix ([`Linter::fix_document`]) or render (`output`).
//!
//! [`Linter::check`] and [`Linter::fix`] do it all for one text: a text checked here gets the
//! findings `mtlint check` gives the same text in a file at `path`, and [`Linter::fix`] the
//! text `mtlint fix` writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{ConfigError, Overrides, Profile};
use crate::diagnostic::{Applicability, Diagnostic};
use crate::document::Document;
use crate::engine::{Engine, Engines};
use crate::error::FileError;
use crate::fix::{fix_document_keeping, FixOutcome};
use crate::formats::InputFormat;
use crate::input::{self, Replaced};
use crate::span::Span;
use crate::timing::{self, Stage};

/// What a [`Linter`] is built from: the command line's linting options.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// A config file (`mtlint.toml`); `None` means no config file (nothing is discovered):
    /// the shipped packs with [`Settings::overrides`].
    pub config: Option<PathBuf>,
    /// `--rules`, `--lang`, `--source-lang`, `--select`, `--ignore`, `--fail-on`.
    pub overrides: Overrides,
    /// `--input-format`: read every text as this format instead of detecting it.
    pub input_format: Option<InputFormat>,
}

/// Rules loaded once; each language's engine is compiled on first use and shared.
#[derive(Debug, Clone)]
pub struct Linter {
    engines: Arc<Engines>,
    input_format: Option<InputFormat>,
    /// Documents of twice this size or more are checked in parts on every thread.
    min_part: usize,
}

/// A checked text: the document (line index, language) and its findings, sorted by position.
#[derive(Debug)]
pub struct Checked {
    pub document: Document,
    pub diagnostics: Vec<Diagnostic>,
}

/// A fixed text: the document after every pass, what was applied and what is left.
#[derive(Debug)]
pub struct Fixed {
    /// The fixed document; its spans, and those of `remaining`, index the fixed text.
    pub document: Document,
    /// Fixes applied, per rule id.
    pub applied: BTreeMap<String, usize>,
    /// Findings left in the fixed text.
    pub remaining: Vec<Diagnostic>,
}

/// The name a text without a path is shown under.
pub const NO_PATH: &str = "<text>";

impl Linter {
    /// Loads the rules of `settings`; a bad config or rule file is an error with the message
    /// the command line prints.
    pub fn new(settings: &Settings) -> Result<Linter, ConfigError> {
        let profile = Profile::load(settings.config.as_deref(), &settings.overrides)?;
        Ok(Linter::with_profile(Arc::new(profile), settings.input_format))
    }

    /// A linter over a profile already loaded (one the command line found for a directory).
    pub fn with_profile(profile: Arc<Profile>, input_format: Option<InputFormat>) -> Linter {
        Linter {
            engines: Arc::new(Engines::new(profile)),
            input_format,
            min_part: crate::engine::PART_SIZE,
        }
    }

    /// Checks each text in parts of at least `min_part` bytes on every thread (see
    /// [`crate::engine::Engine::check_split`]): for a caller that checks one text at a time
    /// and waits for it, as an editor does. The findings are the same.
    pub fn split_at(mut self, min_part: usize) -> Linter {
        self.min_part = min_part;
        self
    }

    /// The profile (rules and settings) this linter checks with.
    pub fn profile(&self) -> &Arc<Profile> {
        self.engines.profile()
    }

    /// Reads the file at `path` (shown as `display`) and parses it; with `lossy`, invalid
    /// UTF-8 is replaced instead of refused, and what was replaced is returned.
    pub fn read_file(
        &self,
        path: &Path,
        display: &str,
        lossy: bool,
    ) -> Result<(Document, Option<Replaced>), FileError> {
        let (text, replaced) = timing::time(Stage::Read, || input::read_text_with(path, lossy))?;
        Ok((self.parse(display, text, path)?, replaced))
    }

    /// Parses `text` as the file `path` (shown as `display`) would be read: its format from
    /// `--input-format`, else the extension, else the content; its language from the
    /// settings, else the file, else detection.
    pub fn parse(&self, display: &str, text: String, path: &Path) -> Result<Document, FileError> {
        let format = self.input_format.unwrap_or_else(|| InputFormat::detect(path, &text));
        let doc = timing::time(Stage::Parse, || {
            Document::parse(display, text, self.profile().lang.as_deref(), format)
        })?;
        Ok(doc)
    }

    /// Parses `text` (shown as `display`) as `format`, in `language`, else the language of
    /// the settings, else the one detected: for a caller that knows what the text is, such
    /// as a test or a fuzz target feeding generated text. Check or fix the document with
    /// [`Linter::check_document`] and [`Linter::fix_document`].
    pub fn parse_as(
        &self,
        display: &str,
        text: String,
        format: InputFormat,
        language: Option<&str>,
    ) -> Result<Document, FileError> {
        let language = language.or(self.profile().lang.as_deref());
        let doc = timing::time(Stage::Parse, || Document::parse(display, text, language, format))?;
        Ok(doc)
    }

    /// Reads `text` as the file `path` would be read (see [`Linter::parse`]).
    pub fn document(&self, text: String, path: Option<&str>) -> Result<Document, FileError> {
        let display = path.unwrap_or(NO_PATH);
        self.parse(display, text, Path::new(display))
    }

    /// The engine for `doc`, and the rules the config's `per_file_ignores` leave on for the
    /// file at `path`.
    fn engine(&self, doc: &Document, path: Option<&Path>) -> Result<(Arc<Engine>, Option<Vec<bool>>), FileError> {
        let engine = self.engines.for_document(doc)?;
        let off = path.map(|p| self.profile().ignored_for(p)).unwrap_or_default();
        let mask = engine.mask(&off);
        Ok((engine, mask))
    }

    /// The findings in `doc`, read from the file at `path` (for its per-file ignores).
    pub fn check_document(&self, doc: &Document, path: Option<&Path>) -> Result<Vec<Diagnostic>, FileError> {
        let (engine, mask) = self.engine(doc, path)?;
        Ok(engine.check_masked(doc, self.min_part, mask.as_deref()))
    }

    /// [`Linter::check_document`] for a caller that writes the findings as they come: `each`
    /// receives them in order, in chunks that together are that list (see
    /// [`Engine::check_each`]). The outer error says why the document cannot be checked
    /// (nothing was passed to `each` then); the inner one is `each`'s first error.
    pub fn check_document_each<E>(
        &self,
        doc: &Document,
        path: Option<&Path>,
        each: impl FnMut(Vec<Diagnostic>) -> Result<(), E>,
    ) -> Result<Result<(), E>, FileError> {
        let (engine, mask) = self.engine(doc, path)?;
        Ok(engine.check_each(doc, self.min_part, mask.as_deref(), each))
    }

    /// Fixes `doc`, read from the file at `path`, until nothing more applies: the fixes at or
    /// above `min`, except at the places `kept` holds (rule, span: findings a baseline
    /// accepts).
    pub fn fix_document(
        &self,
        doc: Document,
        path: Option<&Path>,
        min: Applicability,
        kept: std::collections::BTreeSet<(String, Span)>,
    ) -> Result<FixOutcome, FileError> {
        let (engine, mask) = self.engine(&doc, path)?;
        Ok(fix_document_keeping(&engine, doc, min, mask.as_deref(), kept))
    }

    /// Like [`Linter::fix_document`], asking `review` about each fix (`fix --interactive`).
    /// The outer error says why the file cannot be fixed; the inner one that reading the
    /// reviewer's answer failed.
    pub fn review_document(
        &self,
        doc: Document,
        path: Option<&Path>,
        min: Applicability,
        kept: std::collections::BTreeSet<(String, Span)>,
        review: &mut dyn crate::fix::Review,
    ) -> Result<std::io::Result<FixOutcome>, FileError> {
        let (engine, mask) = self.engine(&doc, path)?;
        Ok(crate::fix::review_document(
            &engine,
            doc,
            min,
            mask.as_deref(),
            kept,
            review,
        ))
    }

    /// The findings in `text`. An error says why the text cannot be checked (a bilingual file
    /// that does not parse, say).
    pub fn check(&self, text: String, path: Option<&str>) -> Result<Checked, FileError> {
        let document = self.document(text, path)?;
        let diagnostics = self.check_document(&document, path.map(Path::new))?;
        Ok(Checked { document, diagnostics })
    }

    /// Applies the safe fixes (and the unsafe ones with `unsafe_fixes`) until nothing more
    /// applies, as `mtlint fix` does.
    pub fn fix(&self, text: String, path: Option<&str>, unsafe_fixes: bool) -> Result<Fixed, FileError> {
        let document = self.document(text, path)?;
        let min = if unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        };
        let outcome = self.fix_document(document, path.map(Path::new), min, Default::default())?;
        Ok(Fixed {
            document: outcome.document,
            applied: outcome.applied,
            remaining: outcome.remaining,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linter(lang: &str) -> Linter {
        Linter::new(&Settings {
            overrides: Overrides {
                lang: Some(lang.into()),
                ..Overrides::default()
            },
            ..Settings::default()
        })
        .unwrap()
    }

    #[test]
    fn check_and_fix_agree() {
        let l = linter("en");
        let text = "Prices rose  sharply in 2023 .\n".to_string();
        let checked = l.check(text.clone(), None).unwrap();
        assert!(!checked.diagnostics.is_empty());
        let fixed = l.fix(text.clone(), None, false).unwrap();
        assert_ne!(fixed.document.text, text);
        assert!(fixed.applied.values().sum::<usize>() > 0);
        // Fixing again changes nothing.
        let again = l.fix(fixed.document.text.clone(), None, false).unwrap();
        assert_eq!(again.document.text, fixed.document.text);
        assert!(again.applied.is_empty());
    }

    #[test]
    fn a_path_decides_the_format() {
        let l = linter("en");
        let text = "Run `git  log` to see it.\n".to_string();
        let md = l.check(text.clone(), Some("notes.md")).unwrap();
        assert!(md.diagnostics.is_empty(), "inline code is not prose");
        let txt = l.check(text, Some("notes.txt")).unwrap();
        assert!(!txt.diagnostics.is_empty());
    }

    #[test]
    fn a_missing_config_is_an_error() {
        let err = Linter::new(&Settings {
            config: Some("no/such/mtlint.toml".into()),
            ..Settings::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("no/such/mtlint.toml"), "{err}");
    }
}
