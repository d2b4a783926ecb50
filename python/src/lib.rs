//! `mtlint._mtlint`: the Python face of mtlint's library — a `Linter` compiled once and
//! shared by threads, typed results, and the command line run in-process for the `mtlint`
//! command the wheel installs. The Python package (`mtlint/`) re-exports it.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use rayon::prelude::*;

use mtlint::api::{self, Settings};
use mtlint::config::Overrides;
use mtlint::diagnostic as core;
use mtlint::document::Document;
use mtlint::formats::InputFormat;

create_exception!(
    mtlint,
    ConfigError,
    PyValueError,
    "A config file, rule file or option is invalid; the message is the one the command line prints."
);
create_exception!(
    mtlint,
    CheckError,
    PyValueError,
    "A text cannot be checked (a bilingual file that does not parse, say)."
);

/// Where a finding is: byte offsets into the UTF-8 text (as in the JSON output), the same as
/// character offsets into the Python string, and 1-based lines and columns.
#[pyclass(frozen, eq, module = "mtlint", get_all)]
#[derive(Debug, Clone, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
    char_start: usize,
    char_end: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[pymethods]
impl Span {
    fn __repr__(&self) -> String {
        format!(
            "Span(start={}, end={}, char_start={}, char_end={}, line={}, column={}, end_line={}, end_column={})",
            self.start,
            self.end,
            self.char_start,
            self.char_end,
            self.line,
            self.column,
            self.end_line,
            self.end_column
        )
    }

    /// The span as the JSON output has it (byte offsets, lines and columns).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("line", self.line)?;
        d.set_item("column", self.column)?;
        d.set_item("end_line", self.end_line)?;
        d.set_item("end_column", self.end_column)?;
        Ok(d)
    }
}

/// One replacement: `text[char_start:char_end]` becomes `replacement` (empty: a deletion;
/// an empty range: an insertion). `start`/`end` are the same place in UTF-8 bytes.
#[pyclass(frozen, eq, module = "mtlint", get_all)]
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    start: usize,
    end: usize,
    char_start: usize,
    char_end: usize,
    replacement: String,
}

#[pymethods]
impl Edit {
    fn __repr__(&self) -> String {
        format!(
            "Edit(char_start={}, char_end={}, replacement={:?})",
            self.char_start, self.char_end, self.replacement
        )
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("replacement", &self.replacement)?;
        Ok(d)
    }
}

/// A suggested fix: edits applied together or not at all. `applicability` is `"safe"`
/// (applied by `fix`), `"unsafe"` (applied with `unsafe=True`) or `"display-only"`.
#[pyclass(frozen, eq, module = "mtlint", get_all)]
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fix {
    applicability: &'static str,
    edits: Vec<Edit>,
}

#[pymethods]
impl Fix {
    fn __repr__(&self) -> String {
        let edits: Vec<String> = self.edits.iter().map(Edit::__repr__).collect();
        format!(
            "Fix(applicability={:?}, edits=[{}])",
            self.applicability,
            edits.join(", ")
        )
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("applicability", self.applicability)?;
        let edits = PyList::empty(py);
        for e in &self.edits {
            edits.append(e.to_dict(py)?)?;
        }
        d.set_item("edits", edits)?;
        Ok(d)
    }
}

/// A secondary place a finding points at (the opening quote of an unbalanced pair, say).
#[pyclass(frozen, eq, module = "mtlint", get_all)]
#[derive(Debug, Clone, PartialEq, Eq)]
struct Label {
    start: usize,
    end: usize,
    char_start: usize,
    char_end: usize,
    message: String,
}

#[pymethods]
impl Label {
    fn __repr__(&self) -> String {
        format!(
            "Label(char_start={}, char_end={}, message={:?})",
            self.char_start, self.char_end, self.message
        )
    }
}

/// Another rule's finding of the same defect at the same place, kept with the more specific
/// one (JSON's `related`).
#[pyclass(frozen, eq, module = "mtlint", get_all)]
#[derive(Debug, Clone, PartialEq, Eq)]
struct Related {
    rule: String,
    severity: &'static str,
    message: String,
}

#[pymethods]
impl Related {
    fn __repr__(&self) -> String {
        format!("Related(rule={:?}, message={:?})", self.rule, self.message)
    }
}

/// One finding, with the fields of the JSON output.
#[pyclass(frozen, eq, module = "mtlint", get_all)]
#[derive(Debug, Clone, PartialEq, Eq)]
struct Diagnostic {
    rule: String,
    severity: &'static str,
    category: String,
    message: String,
    span: Span,
    fix: Option<Fix>,
    labels: Vec<Label>,
    related: Vec<Related>,
}

#[pymethods]
impl Diagnostic {
    fn __repr__(&self) -> String {
        format!(
            "Diagnostic(rule={:?}, severity={:?}, line={}, column={}, message={:?})",
            self.rule, self.severity, self.span.line, self.span.column, self.message
        )
    }

    /// The finding exactly as `mtlint check --format json` writes it.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("rule", &self.rule)?;
        d.set_item("severity", self.severity)?;
        d.set_item("category", &self.category)?;
        d.set_item("message", &self.message)?;
        d.set_item("span", self.span.to_dict(py)?)?;
        match &self.fix {
            Some(f) => d.set_item("fix", f.to_dict(py)?)?,
            None => d.set_item("fix", py.None())?,
        }
        if !self.labels.is_empty() {
            let labels = PyList::empty(py);
            for l in &self.labels {
                let ld = PyDict::new(py);
                ld.set_item("start", l.start)?;
                ld.set_item("end", l.end)?;
                ld.set_item("message", &l.message)?;
                labels.append(ld)?;
            }
            d.set_item("labels", labels)?;
        }
        if !self.related.is_empty() {
            let related = PyList::empty(py);
            for r in &self.related {
                let rd = PyDict::new(py);
                rd.set_item("rule", &r.rule)?;
                rd.set_item("severity", r.severity)?;
                rd.set_item("message", &r.message)?;
                related.append(rd)?;
            }
            d.set_item("related", related)?;
        }
        Ok(d)
    }
}

/// The result of `Linter.fix`: the fixed `text`, the fixes `applied` per rule id, and the
/// findings `remaining` in the fixed text.
#[pyclass(frozen, module = "mtlint", get_all)]
#[derive(Debug, Clone)]
struct Fixed {
    text: String,
    applied: BTreeMap<String, usize>,
    remaining: Vec<Diagnostic>,
}

#[pymethods]
impl Fixed {
    fn __repr__(&self) -> String {
        format!(
            "Fixed(applied={}, remaining={})",
            self.applied.values().sum::<usize>(),
            self.remaining.len()
        )
    }
}

/// Byte offsets → character offsets (what a Python string is indexed by), for a set of
/// offsets known in advance: one walk over the text.
struct CharOffsets {
    bytes: Vec<usize>,
    chars: Vec<usize>,
}

impl CharOffsets {
    fn new(text: &str, mut bytes: Vec<usize>) -> Self {
        bytes.sort_unstable();
        bytes.dedup();
        let mut chars = Vec::with_capacity(bytes.len());
        let (mut at, mut count) = (0, 0);
        for &b in &bytes {
            let b = b.min(text.len());
            count += text.get(at..b).map_or(0, |s| s.chars().count());
            at = b.max(at);
            chars.push(count);
        }
        CharOffsets { bytes, chars }
    }

    fn of(&self, byte: usize) -> usize {
        match self.bytes.binary_search(&byte) {
            Ok(i) => self.chars[i],
            Err(_) => 0,
        }
    }
}

fn convert(doc: &Document, diags: &[core::Diagnostic]) -> Vec<Diagnostic> {
    let mut offsets = Vec::with_capacity(diags.len() * 4);
    for d in diags {
        offsets.extend([d.span.start, d.span.end]);
        offsets.extend(d.labels.iter().flat_map(|l| [l.span.start, l.span.end]));
        offsets.extend(
            d.fix
                .iter()
                .flat_map(|f| &f.edits)
                .flat_map(|e| [e.span.start, e.span.end]),
        );
    }
    let chars = CharOffsets::new(&doc.text, offsets);
    let index = doc.line_index();
    diags
        .iter()
        .map(|d| {
            let (s, e) = (
                index.line_col(&doc.text, d.span.start),
                index.line_col(&doc.text, d.span.end),
            );
            Diagnostic {
                rule: d.rule_id().to_string(),
                severity: d.severity.as_str(),
                category: d.category().to_string(),
                message: d.message.clone(),
                span: Span {
                    start: d.span.start,
                    end: d.span.end,
                    char_start: chars.of(d.span.start),
                    char_end: chars.of(d.span.end),
                    line: s.line,
                    column: s.column,
                    end_line: e.line,
                    end_column: e.column,
                },
                fix: d.fix.as_ref().map(|f| Fix {
                    applicability: f.applicability.as_str(),
                    edits: f
                        .edits
                        .iter()
                        .map(|e| Edit {
                            start: e.span.start,
                            end: e.span.end,
                            char_start: chars.of(e.span.start),
                            char_end: chars.of(e.span.end),
                            replacement: e.replacement.clone(),
                        })
                        .collect(),
                }),
                labels: d
                    .labels
                    .iter()
                    .map(|l| Label {
                        start: l.span.start,
                        end: l.span.end,
                        char_start: chars.of(l.span.start),
                        char_end: chars.of(l.span.end),
                        message: l.message.clone(),
                    })
                    .collect(),
                related: d
                    .related
                    .to_vec()
                    .into_iter()
                    .map(|r| Related {
                        rule: r.rule.id.clone(),
                        severity: r.rule.severity.as_str(),
                        message: r.message,
                    })
                    .collect(),
            }
        })
        .collect()
}

/// `select=` and `ignore=`: `"en,zh-en/guzhen"` or a list of ids and packs.
fn selectors(value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    let Some(v) = value else { return Ok(Vec::new()) };
    if v.is_none() {
        return Ok(Vec::new());
    }
    let items: Vec<String> = match v.cast::<PyString>() {
        Ok(_) => vec![v.extract::<String>()?],
        Err(_) => v.extract()?,
    };
    Ok(items
        .iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect())
}

fn absolute(p: PathBuf) -> PathBuf {
    std::path::absolute(&p).unwrap_or(p)
}

/// Rules loaded and compiled once, reused for every text; safe to share between threads.
///
/// `config` is an `mtlint.toml` (none: no config file, the shipped packs), `rules` extra rule
/// files, `lang`/`source_lang` the target and source languages (detected per text when not
/// given), `select`/`ignore` rule ids or pack names, `input_format` one of text, markdown,
/// xliff, po, tmx, tsv (detected from `path` or the content when not given). A Linter pickles
/// by these settings, so it can be sent to worker processes (the files must be readable
/// there).
#[pyclass(frozen, module = "mtlint")]
struct Linter {
    inner: api::Linter,
    config: Option<PathBuf>,
    rules: Vec<PathBuf>,
    lang: Option<String>,
    select: Vec<String>,
    ignore: Vec<String>,
    source_lang: Option<String>,
    input_format: Option<InputFormat>,
}

fn check_error(index: Option<usize>, e: String) -> PyErr {
    match index {
        Some(i) => CheckError::new_err(format!("text {i}: {e}")),
        None => CheckError::new_err(e),
    }
}

impl Linter {
    fn check_one(&self, text: String, path: Option<&str>) -> Result<Vec<Diagnostic>, String> {
        let checked = self.inner.check(text, path).map_err(|e| e.to_string())?;
        Ok(convert(&checked.document, &checked.diagnostics))
    }

    fn fix_one(&self, text: String, path: Option<&str>, unsafe_fixes: bool) -> Result<Fixed, String> {
        let fixed = self.inner.fix(text, path, unsafe_fixes).map_err(|e| e.to_string())?;
        let remaining = convert(&fixed.document, &fixed.remaining);
        Ok(Fixed {
            text: fixed.document.text,
            applied: fixed.applied,
            remaining,
        })
    }
}

/// The paths of `check_many`/`fix_many`: none, or one per text.
fn paths_for(paths: Option<Vec<Option<String>>>, n: usize) -> PyResult<Vec<Option<String>>> {
    match paths {
        None => Ok(vec![None; n]),
        Some(p) if p.len() == n => Ok(p),
        Some(p) => Err(PyValueError::new_err(format!(
            "{} paths for {n} texts: give one path per text, or none",
            p.len()
        ))),
    }
}

#[pymethods]
impl Linter {
    #[new]
    #[pyo3(signature = (config=None, rules=Vec::new(), lang=None, select=None, ignore=None, source_lang=None, input_format=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        config: Option<PathBuf>,
        rules: Vec<PathBuf>,
        lang: Option<String>,
        select: Option<&Bound<'_, PyAny>>,
        ignore: Option<&Bound<'_, PyAny>>,
        source_lang: Option<String>,
        input_format: Option<String>,
    ) -> PyResult<Self> {
        let input_format = match input_format {
            None => None,
            Some(name) => Some(InputFormat::from_name(&name).ok_or_else(|| {
                ConfigError::new_err(format!(
                    "unknown input format `{name}` (expected one of: {})",
                    InputFormat::NAMES.join(", ")
                ))
            })?),
        };
        let config = config.map(absolute);
        let rules: Vec<PathBuf> = rules.into_iter().map(absolute).collect();
        let (select, ignore) = (selectors(select)?, selectors(ignore)?);
        let settings = Settings {
            config: config.clone(),
            overrides: Overrides {
                lang: lang.clone(),
                source_lang: source_lang.clone(),
                rules: rules.clone(),
                select: select.clone(),
                ignore: ignore.clone(),
                fail_on: None,
                allow_external_rules: false,
            },
            input_format,
        };
        let inner = py
            .detach(|| api::Linter::new(&settings))
            .map_err(|e| ConfigError::new_err(e.to_string()))?;
        Ok(Linter {
            inner,
            config,
            rules,
            lang,
            select,
            ignore,
            source_lang,
            input_format,
        })
    }

    /// The findings in `text`, sorted by position. `path` (not read) says what file the text
    /// is: its extension decides the format, and the config's `per_file_ignores` apply.
    #[pyo3(signature = (text, path=None))]
    fn check(&self, py: Python<'_>, text: String, path: Option<String>) -> PyResult<Vec<Diagnostic>> {
        py.detach(|| self.check_one(text, path.as_deref()))
            .map_err(|e| check_error(None, e))
    }

    /// Applies the safe fixes (and the unsafe ones with `unsafe=True`) until nothing more
    /// applies, as `mtlint fix` does.
    #[pyo3(signature = (text, r#unsafe=false, path=None))]
    fn fix(&self, py: Python<'_>, text: String, r#unsafe: bool, path: Option<String>) -> PyResult<Fixed> {
        py.detach(|| self.fix_one(text, path.as_deref(), r#unsafe))
            .map_err(|e| check_error(None, e))
    }

    /// `check` of every text, in parallel on all cores; the results in the texts' order.
    #[pyo3(signature = (texts, paths=None))]
    fn check_many(
        &self,
        py: Python<'_>,
        texts: Vec<String>,
        paths: Option<Vec<Option<String>>>,
    ) -> PyResult<Vec<Vec<Diagnostic>>> {
        let paths = paths_for(paths, texts.len())?;
        let results: Vec<Result<Vec<Diagnostic>, String>> = py.detach(|| {
            texts
                .into_par_iter()
                .zip(paths.par_iter())
                .map(|(t, p)| self.check_one(t, p.as_deref()))
                .collect()
        });
        results
            .into_iter()
            .enumerate()
            .map(|(i, r)| r.map_err(|e| check_error(Some(i), e)))
            .collect()
    }

    /// `fix` of every text, in parallel on all cores; the results in the texts' order.
    #[pyo3(signature = (texts, r#unsafe=false, paths=None))]
    fn fix_many(
        &self,
        py: Python<'_>,
        texts: Vec<String>,
        r#unsafe: bool,
        paths: Option<Vec<Option<String>>>,
    ) -> PyResult<Vec<Fixed>> {
        let paths = paths_for(paths, texts.len())?;
        let results: Vec<Result<Fixed, String>> = py.detach(|| {
            texts
                .into_par_iter()
                .zip(paths.par_iter())
                .map(|(t, p)| self.fix_one(t, p.as_deref(), r#unsafe))
                .collect()
        });
        results
            .into_iter()
            .enumerate()
            .map(|(i, r)| r.map_err(|e| check_error(Some(i), e)))
            .collect()
    }

    /// The ids of the rules this linter runs on texts in `lang`.
    fn rule_ids(&self, lang: &str) -> Vec<String> {
        self.inner
            .profile()
            .rules_for(lang)
            .iter()
            .map(|r| r.full_id())
            .collect()
    }

    #[getter]
    fn config(&self) -> Option<PathBuf> {
        self.config.clone()
    }

    #[getter]
    fn rules(&self) -> Vec<PathBuf> {
        self.rules.clone()
    }

    #[getter]
    fn lang(&self) -> Option<String> {
        self.lang.clone()
    }

    #[getter]
    fn source_lang(&self) -> Option<String> {
        self.source_lang.clone()
    }

    #[getter]
    fn select(&self) -> Vec<String> {
        self.select.clone()
    }

    #[getter]
    fn ignore(&self) -> Vec<String> {
        self.ignore.clone()
    }

    #[getter]
    fn input_format(&self) -> Option<&'static str> {
        self.input_format.map(InputFormat::name)
    }

    /// Pickled by its settings; unpickled through `mtlint._restore`, which builds one Linter
    /// per process for the same settings.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let restore = py.import("mtlint")?.getattr("_restore")?;
        let state = (
            self.config.clone(),
            PyTuple::new(py, &self.rules)?,
            self.lang.clone(),
            PyTuple::new(py, &self.select)?,
            PyTuple::new(py, &self.ignore)?,
            self.source_lang.clone(),
            self.input_format.map(InputFormat::name),
        )
            .into_pyobject(py)?;
        Ok((restore, PyTuple::new(py, [state])?))
    }

    fn __repr__(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = &self.config {
            parts.push(format!("config={:?}", c.display().to_string()));
        }
        if !self.rules.is_empty() {
            let r: Vec<String> = self
                .rules
                .iter()
                .map(|p| format!("{:?}", p.display().to_string()))
                .collect();
            parts.push(format!("rules=[{}]", r.join(", ")));
        }
        if let Some(l) = &self.lang {
            parts.push(format!("lang={l:?}"));
        }
        if let Some(l) = &self.source_lang {
            parts.push(format!("source_lang={l:?}"));
        }
        if !self.select.is_empty() {
            parts.push(format!("select={:?}", self.select));
        }
        if !self.ignore.is_empty() {
            parts.push(format!("ignore={:?}", self.ignore));
        }
        if let Some(f) = self.input_format {
            parts.push(format!("input_format={:?}", f.name()));
        }
        format!("Linter({})", parts.join(", "))
    }
}

/// Runs the command line with `argv` (the program's name first) in this process and returns
/// its exit status: the `mtlint` command of the wheel.
#[pyfunction]
fn main(py: Python<'_>, argv: Vec<OsString>) -> u8 {
    py.detach(|| {
        let code = mtlint::cli::run(argv);
        // A program's exit flushes its standard output; this process goes on in Python.
        let _ = std::io::stdout().flush();
        let _ = std::io::stderr().flush();
        code
    })
}

#[pymodule]
fn _mtlint(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Linter>()?;
    m.add_class::<Diagnostic>()?;
    m.add_class::<Span>()?;
    m.add_class::<Fix>()?;
    m.add_class::<Edit>()?;
    m.add_class::<Label>()?;
    m.add_class::<Related>()?;
    m.add_class::<Fixed>()?;
    m.add("ConfigError", m.py().get_type::<ConfigError>())?;
    m.add("CheckError", m.py().get_type::<CheckError>())?;
    m.add_function(wrap_pyfunction!(main, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
