//! Running the `examples` of rule files: `mtlint test-rules`, and `cargo test` for the
//! shipped packs.

use crate::config::rulefile::{Example, LoadedRule};
use crate::diagnostic::Applicability;
use crate::document::Document;
use crate::engine::{Engine, EngineError};
use crate::fix;
use crate::formats::FormatError;

/// One failed example.
#[derive(Debug)]
pub struct ExampleFailure {
    pub rule: String,
    pub origin: String,
    pub line: usize,
    pub index: usize,
    pub error: ExampleError,
}

/// Why an example failed, or could not be run.
#[derive(Debug, thiserror::Error)]
pub enum ExampleError {
    /// The rule does not compile on its own.
    #[error("does not compile: {0}")]
    Compile(#[source] EngineError),
    /// A bilingual example whose source and text have different numbers of lines.
    #[error("the example's source has {sources} lines and its text {targets}: they pair line by line")]
    LineCounts { sources: usize, targets: usize },
    /// A bilingual example with a tab, which its TSV document cannot hold.
    #[error("an example with a source cannot hold tabs")]
    Tab,
    /// The bilingual example's document does not parse.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// A `bad` text the rule does not flag.
    #[error("expected a finding in {bad:?}, got none")]
    NotFlagged { bad: String },
    /// Fixing the `bad` text does not give the `good` one.
    #[error("fixing {bad:?} gave {fixed:?}, expected {good:?}")]
    WrongFix { bad: String, fixed: String, good: String },
    /// Fixing the `bad` text does not reach a fixed point.
    #[error("fixing {bad:?} does not converge")]
    NotConverged { bad: String },
    /// The `good` text still gets a fix (`message` is the finding's).
    #[error("the fixed text {good:?} still gets a fix: {message}")]
    FixedAgain { good: String, message: String },
    /// An `ok` text the rule flags (`message` is the finding's, at byte `at`).
    #[error("expected no finding in {ok:?}, got: {message} at byte {at}")]
    Flagged { ok: String, message: String, at: usize },
    /// An example with another combination of fields.
    #[error(
        "an example is either `{{ bad = …, good = … }}`, `{{ bad = … }}` or `{{ ok = … }}`, each with an optional `source`"
    )]
    Shape,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {} example {}: {}",
            self.origin,
            self.line,
            self.rule,
            self.index + 1,
            self.error
        )
    }
}

/// Counts of a run.
#[derive(Debug, Default, Clone, Copy)]
pub struct ExampleStats {
    pub rules: usize,
    pub examples: usize,
}

/// Runs every example of `rules`, each rule alone, in its pack's target language.
pub fn run(rules: &[LoadedRule]) -> (ExampleStats, Vec<ExampleFailure>) {
    let mut failures = Vec::new();
    let mut stats = ExampleStats::default();
    for rule in rules {
        if rule.def.examples.is_empty() {
            continue;
        }
        stats.rules += 1;
        let engine = match Engine::new(std::slice::from_ref(rule), &[]) {
            Ok(e) => e,
            Err(e) => {
                failures.push(failure(rule, 0, ExampleError::Compile(e)));
                continue;
            }
        };
        for (i, ex) in rule.def.examples.iter().enumerate() {
            stats.examples += 1;
            if let Err(e) = run_one(rule, &engine, ex) {
                failures.push(failure(rule, i, e));
            }
        }
    }
    (stats, failures)
}

fn failure(rule: &LoadedRule, index: usize, error: ExampleError) -> ExampleFailure {
    ExampleFailure {
        rule: rule.full_id(),
        origin: rule.origin.display().to_string(),
        line: rule.line,
        index,
        error,
    }
}

/// The document an example's text is checked as: plain text, or with a `source`, a bilingual
/// file of source/target pairs (line N of the text translates line N of the source).
fn example_doc(ex: &Example, text: &str, lang: &str) -> Result<Document, ExampleError> {
    let Some(source) = &ex.source else {
        return Ok(Document::new("example", text.to_string(), Some(lang)));
    };
    let sources: Vec<&str> = source.split('\n').collect();
    let targets: Vec<&str> = text.split('\n').collect();
    if sources.len() != targets.len() {
        return Err(ExampleError::LineCounts {
            sources: sources.len(),
            targets: targets.len(),
        });
    }
    if sources.iter().chain(&targets).any(|l| l.contains('\t')) {
        return Err(ExampleError::Tab);
    }
    let tsv: String = sources
        .iter()
        .zip(&targets)
        .map(|(s, t)| format!("{s}\t{t}\n"))
        .collect();
    Ok(Document::parse(
        "example.tsv",
        tsv,
        Some(lang),
        crate::formats::InputFormat::Tsv,
    )?)
}

/// The example text a document holds: the targets, for a bilingual example.
fn example_text(ex: &Example, doc: &Document) -> String {
    if ex.source.is_none() {
        return doc.text.clone();
    }
    doc.segments
        .iter()
        .filter_map(|s| s.target.map(|t| t.text(&doc.text)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn run_one(rule: &LoadedRule, engine: &Engine, ex: &Example) -> Result<(), ExampleError> {
    let lang = rule.pack.target.as_deref().unwrap_or("en");
    match (&ex.bad, &ex.good, &ex.ok) {
        (Some(bad), good, None) => {
            let doc = example_doc(ex, bad, lang)?;
            let diags = engine.check(&doc);
            if diags.is_empty() {
                return Err(ExampleError::NotFlagged { bad: bad.clone() });
            }
            if let Some(good) = good {
                let outcome = fix::fix_document(engine, doc, Applicability::Unsafe, None);
                let fixed = example_text(ex, &outcome.document);
                if &fixed != good {
                    return Err(ExampleError::WrongFix {
                        bad: bad.clone(),
                        fixed,
                        good: good.clone(),
                    });
                }
                if !outcome.not_converged.is_empty() {
                    return Err(ExampleError::NotConverged { bad: bad.clone() });
                }
                let again = engine.check(&outcome.document);
                if let Some(d) = again.iter().find(|d| d.fix.is_some()) {
                    return Err(ExampleError::FixedAgain {
                        good: good.clone(),
                        message: d.message.clone(),
                    });
                }
            }
            Ok(())
        }
        (None, None, Some(ok)) => {
            let doc = example_doc(ex, ok, lang)?;
            match engine.check(&doc).first() {
                Some(d) => Err(ExampleError::Flagged {
                    ok: ok.clone(),
                    message: d.message.clone(),
                    at: d.span.start,
                }),
                None => Ok(()),
            }
        }
        _ => Err(ExampleError::Shape),
    }
}
