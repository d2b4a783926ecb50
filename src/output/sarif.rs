//! `sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
//!
//! Results are written as files finish; the rule descriptors (only the rules that reported
//! something) and the invocation, which depend on the whole run, follow them in the same `run`
//! object. Columns count Unicode scalar values, as the run's `columnKind` says; relative
//! paths are relative to the `SRCROOT` base, the directory mtlint ran in.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::Serialize;
use serde_json::{json, Value};

use super::{Emitter, FileReport, Fingerprints, RuleCatalog, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::span::Span;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const BASE_ID: &str = "SRCROOT";

/// Characters a URI path segment cannot hold as they are (RFC 3986), `/` kept as separator.
/// Also what the language server escapes in the `file:` URIs it makes.
pub(crate) const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// An artifact location: relative paths against `SRCROOT`, absolute ones as `file:` URIs.
fn artifact_location(path: &str) -> ArtifactLocation {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    let slashed = p.replace(std::path::MAIN_SEPARATOR, "/");
    if Path::new(p).is_absolute() {
        ArtifactLocation {
            uri: format!("file://{}", utf8_percent_encode(&slashed, PATH)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: utf8_percent_encode(&slashed, PATH).to_string(),
            uri_base_id: Some(BASE_ID),
        }
    }
}

impl ArtifactLocation {
    fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

fn region<'a>(doc: &Document, span: Span, snippet: Option<&'a str>) -> Region<'a> {
    let idx = doc.line_index();
    let s = idx.line_col(&doc.text, span.start);
    let e = idx.line_col(&doc.text, span.end);
    Region {
        end_column: e.column,
        end_line: e.line,
        snippet: snippet.map(|text| Text { text }),
        start_column: s.column,
        start_line: s.line,
    }
}

// The objects of a result, typed: a result is serialised straight from them, with no map
// built per finding. Members are declared in alphabetical order, the order SARIF output
// has always had (serde_json's maps are sorted), so that the output is unchanged.

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region<'a> {
    end_column: usize,
    end_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text<'a>>,
    start_column: usize,
    start_line: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: &'a ArtifactLocation,
    region: Region<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation<'a> {
    id: usize,
    message: Text<'a>,
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    inserted_content: Option<Text<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: &'a ArtifactLocation,
    replacements: Vec<Replacement<'a>>,
}

/// A fix's description, written for the finding.
#[derive(Serialize)]
struct Description {
    text: String,
}

#[derive(Serialize)]
struct FixProperties {
    applicability: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    artifact_changes: [ArtifactChange<'a>; 1],
    description: Description,
    properties: FixProperties,
}

#[derive(Serialize)]
struct Fingerprint {
    #[serde(rename = "mtlintFinding/v1")]
    finding: String,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    category: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    fixes: Option<[SarifFix<'a>; 1]>,
    level: &'static str,
    locations: [Location<'a>; 1],
    message: Text<'a>,
    partial_fingerprints: Fingerprint,
    properties: ResultProperties<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation<'a>>,
    rule_id: &'a str,
    rule_index: usize,
}

/// The `sarif` format: one SARIF 2.1.0 log, with the rules that ran described.
pub struct Sarif {
    catalog: Arc<RuleCatalog>,
    /// Rule ids in the order they were first reported: `ruleIndex` points into this.
    rules: Vec<(String, Severity, String)>,
    rule_index: HashMap<String, usize>,
    notifications: Vec<Value>,
    started: bool,
    results: usize,
    /// The fingerprints of the file being written.
    prints: Option<Fingerprints>,
}

impl Sarif {
    pub fn new(catalog: Arc<RuleCatalog>) -> Self {
        Sarif {
            catalog,
            rules: Vec::new(),
            rule_index: HashMap::new(),
            notifications: Vec::new(),
            started: false,
            results: 0,
            prints: None,
        }
    }

    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            write!(
                out,
                "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"results\": ["
            )?;
        }
        Ok(())
    }

    fn rule_index(&mut self, d: &Diagnostic) -> usize {
        if let Some(&i) = self.rule_index.get(d.rule_id()) {
            return i;
        }
        let i = self.rules.len();
        self.rules
            .push((d.rule_id().to_string(), d.rule.severity, d.category().to_string()));
        self.rule_index.insert(d.rule_id().to_string(), i);
        i
    }

    fn result<'a>(
        &mut self,
        location: &'a ArtifactLocation,
        doc: &'a Document,
        d: &'a Diagnostic,
        fingerprint: String,
    ) -> SarifResult<'a> {
        let fixes = d.fix.as_ref().map(|fix| {
            let replacements = fix
                .edits
                .iter()
                .map(|e| Replacement {
                    deleted_region: region(doc, e.span, None),
                    inserted_content: (!e.replacement.is_empty()).then_some(Text { text: &e.replacement }),
                })
                .collect();
            let span = fix.span();
            let before = &doc.text[span.start..span.end];
            let after = fix.preview(&doc.text, span);
            let description = if after.is_empty() {
                format!("Delete \u{201c}{before}\u{201d}")
            } else if before.is_empty() {
                format!("Insert \u{201c}{after}\u{201d}")
            } else {
                format!("Replace \u{201c}{before}\u{201d} with \u{201c}{after}\u{201d}")
            };
            [SarifFix {
                artifact_changes: [ArtifactChange {
                    artifact_location: location,
                    replacements,
                }],
                description: Description { text: description },
                properties: FixProperties {
                    applicability: fix.applicability.as_str(),
                },
            }]
        });
        SarifResult {
            fixes,
            level: level(d.severity),
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: location,
                    region: region(doc, d.span, Some(&doc.text[d.span.start..d.span.end])),
                },
            }],
            message: Text { text: &d.message },
            partial_fingerprints: Fingerprint { finding: fingerprint },
            properties: ResultProperties { category: d.category() },
            related_locations: d
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| RelatedLocation {
                    id: i + 1,
                    message: Text { text: &l.message },
                    physical_location: PhysicalLocation {
                        artifact_location: location,
                        region: region(doc, l.span, None),
                    },
                })
                .collect(),
            rule_id: d.rule_id(),
            rule_index: self.rule_index(d),
        }
    }

    fn descriptor(&self, id: &str, severity: Severity, category: &str) -> Value {
        let doc = self.catalog.get(id).cloned().unwrap_or_default();
        let summary = if doc.summary.is_empty() {
            id.to_string()
        } else {
            doc.summary.clone()
        };
        let mut d = json!({
            "id": id,
            "shortDescription": { "text": summary },
            "help": { "text": doc.help_text(id), "markdown": doc.help_markdown(id) },
            "defaultConfiguration": { "level": level(severity) },
            "properties": { "category": category, "tags": ["translation-quality", category] },
        });
        if let Some(full) = &doc.doc {
            d["fullDescription"] = json!({ "text": full.trim() });
        }
        if !doc.kind.is_empty() {
            d["properties"]["kind"] = json!(doc.kind);
        }
        d
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Tail {
    tool: Value,
    invocations: Value,
    original_uri_base_ids: Value,
    column_kind: &'static str,
}

impl Emitter for Sarif {
    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        self.start(out)?;
        let location = artifact_location(&r.path);
        if let Some(err) = &r.error_message() {
            self.notifications.push(json!({
                "level": "error",
                "message": { "text": err },
                "locations": [{ "physicalLocation": { "artifactLocation": location.to_value() } }],
            }));
        }
        self.file_as_one_chunk(out, r)
    }

    fn streams(&self) -> bool {
        true
    }

    fn start_file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        self.start(out)?;
        self.prints = Some(Fingerprints::new(&r.path));
        Ok(())
    }

    fn file_findings(&mut self, out: &mut dyn Write, r: &FileReport, diags: &[Diagnostic]) -> io::Result<()> {
        let (Some(doc), Some(mut prints)) = (r.document(), self.prints.take()) else {
            return Ok(());
        };
        let location = artifact_location(&r.path);
        for d in diags {
            let result = self.result(&location, doc, d, prints.next(doc, d));
            out.write_all(if self.results == 0 {
                b"\n        "
            } else {
                b",\n        "
            })?;
            self.results += 1;
            serde_json::to_writer(&mut *out, &result)?;
        }
        self.prints = Some(prints);
        Ok(())
    }

    fn end_file(&mut self, _out: &mut dyn Write, _r: &FileReport) -> io::Result<()> {
        self.prints = None;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _s: &Summary) -> io::Result<()> {
        self.start(out)?;
        if self.results > 0 {
            write!(out, "\n      ")?;
        }
        let rules: Vec<Value> = self
            .rules
            .iter()
            .map(|(id, severity, category)| self.descriptor(id, *severity, category))
            .collect();
        let base = std::env::current_dir()
            .map(|d| {
                let mut s = d.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/");
                if !s.ends_with('/') {
                    s.push('/');
                }
                if !s.starts_with('/') {
                    s.insert(0, '/');
                }
                format!("file://{}", utf8_percent_encode(&s, PATH))
            })
            .unwrap_or_else(|_| "file:///".to_string());
        let tail = Tail {
            tool: json!({ "driver": {
                "name": "mtlint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }}),
            invocations: json!([{
                "executionSuccessful": self.notifications.is_empty(),
                "toolExecutionNotifications": self.notifications,
            }]),
            original_uri_base_ids: json!({ BASE_ID: { "uri": base } }),
            column_kind: "unicodeCodePoints",
        };
        let tail = serde_json::to_string_pretty(&tail)?;
        // Splice the tail's members into the run object after `results`.
        let members = tail
            .trim()
            .trim_start_matches('{')
            .trim_end_matches('}')
            .trim_matches('\n');
        write!(out, "],")?;
        for line in members.lines() {
            write!(out, "\n    {line}")?;
        }
        writeln!(out, "\n    }}\n  ]\n}}")
    }
}
