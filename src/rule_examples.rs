//! Running the `examples` of rule files: `mtlint test-rules`, and `cargo test` for the
//! shipped packs.

use crate::config::rulefile::{Example, LoadedRule};
use crate::diagnostic::Applicability;
use crate::document::Document;
use crate::engine::Engine;
use crate::fix;

/// One failed example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    pub rule: String,
    pub origin: String,
    pub line: usize,
    pub index: usize,
    pub message: String,
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
            self.message
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
                failures.push(failure(rule, 0, format!("does not compile: {e}")));
                continue;
            }
        };
        for (i, ex) in rule.def.examples.iter().enumerate() {
            stats.examples += 1;
            if let Err(msg) = run_one(rule, &engine, ex) {
                failures.push(failure(rule, i, msg));
            }
        }
    }
    (stats, failures)
}

fn failure(rule: &LoadedRule, index: usize, message: String) -> ExampleFailure {
    ExampleFailure {
        rule: rule.full_id(),
        origin: rule.origin.display().to_string(),
        line: rule.line,
        index,
        message,
    }
}

/// The document an example's text is checked as: plain text, or with a `source`, a bilingual
/// file of source/target pairs (line N of the text translates line N of the source).
fn example_doc(ex: &Example, text: &str, lang: &str) -> Result<Document, String> {
    let Some(source) = &ex.source else {
        return Ok(Document::new("example", text.to_string(), Some(lang)));
    };
    let sources: Vec<&str> = source.split('\n').collect();
    let targets: Vec<&str> = text.split('\n').collect();
    if sources.len() != targets.len() {
        return Err(format!(
            "the example's source has {} lines and its text {}: they pair line by line",
            sources.len(),
            targets.len()
        ));
    }
    if sources.iter().chain(&targets).any(|l| l.contains('\t')) {
        return Err("an example with a source cannot hold tabs".into());
    }
    let tsv: String = sources
        .iter()
        .zip(&targets)
        .map(|(s, t)| format!("{s}\t{t}\n"))
        .collect();
    Document::parse("example.tsv", tsv, Some(lang), crate::formats::InputFormat::Tsv).map_err(|e| e.to_string())
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

fn run_one(rule: &LoadedRule, engine: &Engine, ex: &Example) -> Result<(), String> {
    let lang = rule.pack.target.as_deref().unwrap_or("en");
    match (&ex.bad, &ex.good, &ex.ok) {
        (Some(bad), good, None) => {
            let doc = example_doc(ex, bad, lang)?;
            let diags = engine.check(&doc);
            if diags.is_empty() {
                return Err(format!("expected a finding in {bad:?}, got none"));
            }
            if let Some(good) = good {
                let outcome = fix::fix_document(engine, doc, Applicability::Unsafe, None);
                let fixed = example_text(ex, &outcome.document);
                if &fixed != good {
                    return Err(format!("fixing {bad:?} gave {fixed:?}, expected {good:?}"));
                }
                if !outcome.not_converged.is_empty() {
                    return Err(format!("fixing {bad:?} does not converge"));
                }
                let again = engine.check(&outcome.document);
                if let Some(d) = again.iter().find(|d| d.fix.is_some()) {
                    return Err(format!("the fixed text {good:?} still gets a fix: {}", d.message));
                }
            }
            Ok(())
        }
        (None, None, Some(ok)) => {
            let doc = example_doc(ex, ok, lang)?;
            match engine.check(&doc).first() {
                Some(d) => Err(format!(
                    "expected no finding in {ok:?}, got: {} at byte {}",
                    d.message, d.span.start
                )),
                None => Ok(()),
            }
        }
        _ => Err(
            "an example is either `{ bad = …, good = … }`, `{ bad = … }` or `{ ok = … }`, each with an optional `source`"
                .into(),
        ),
    }
}
