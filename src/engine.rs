//! The engine: rules compiled once, applied to documents.

use std::collections::BTreeMap;
use std::sync::Arc;

use aho_corasick::AhoCorasick;

use crate::checks::{Check, CheckKind, RuleIdx, Sink};
use crate::config::rulefile::{FixPolicy, LoadedRule, PackDef, RuleDef};
use crate::diagnostic::{Applicability, Diagnostic, RuleMeta, Severity};
use crate::document::Document;
use crate::timing::{self, Stage};

/// A rule ready to run: its definition plus the resolved metadata diagnostics carry.
#[derive(Debug, Clone)]
pub struct Rule {
    pub meta: Arc<RuleMeta>,
    pub def: RuleDef,
    pub pack: Arc<PackDef>,
    pub origin: std::path::PathBuf,
    /// Message template (the rule's own, else its kind's default).
    pub message: String,
}

impl Rule {
    pub fn new(loaded: &LoadedRule) -> Self {
        let def = loaded.def.clone();
        let meta = RuleMeta {
            id: loaded.full_id(),
            severity: def.severity.unwrap_or(Severity::Warning),
            category: def
                .category
                .clone()
                .unwrap_or_else(|| def.kind.default_category().to_string()),
        };
        Rule {
            message: def
                .message
                .clone()
                .unwrap_or_else(|| def.kind.default_message().to_string()),
            meta: Arc::new(meta),
            pack: loaded.pack.clone(),
            origin: loaded.origin.clone(),
            def,
        }
    }

    pub fn id(&self) -> &str {
        &self.meta.id
    }

    /// The applicability of a fix the kind suggests at `suggested`, after the rule's `fix`
    /// setting: `none` drops it, `unsafe` lowers it, `safe` never raises it.
    pub fn applicability(&self, suggested: Applicability) -> Option<Applicability> {
        match self.def.fix {
            FixPolicy::None => None,
            FixPolicy::Default | FixPolicy::Safe => Some(suggested),
            FixPolicy::Unsafe => Some(suggested.min(Applicability::Unsafe)),
        }
    }

    /// One line describing the rule: the first line of its `doc`, else its message.
    pub fn summary(&self) -> String {
        match &self.def.doc {
            Some(doc) => doc.lines().next().unwrap_or("").trim().to_string(),
            None => self.message.clone(),
        }
    }
}

/// Rules compiled once and shared by every thread.
pub struct Engine {
    rules: Vec<Rule>,
    checks: Vec<(CheckKind, Box<dyn Check>)>,
    accept: Option<AhoCorasick>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("rules", &self.rules.len()).finish()
    }
}

impl Engine {
    /// Compiles `rules`; `accept` lists phrases that are never flagged.
    pub fn new(rules: &[LoadedRule], accept: &[String]) -> Result<Engine, String> {
        let rules: Vec<Rule> = rules.iter().map(Rule::new).collect();
        let mut by_kind: BTreeMap<CheckKind, Vec<(RuleIdx, &RuleDef)>> = BTreeMap::new();
        for (i, r) in rules.iter().enumerate() {
            by_kind.entry(r.def.kind).or_default().push((i, &r.def));
        }
        let mut checks = Vec::with_capacity(by_kind.len());
        for (kind, members) in by_kind {
            checks.push((kind, kind.compile(&members)?));
        }
        let accept = if accept.is_empty() {
            None
        } else {
            Some(AhoCorasick::new(accept).map_err(|e| format!("accept list: {e}"))?)
        };
        Ok(Engine { rules, checks, accept })
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// All diagnostics for `doc`, sorted by position then rule id.
    pub fn check(&self, doc: &Document) -> Vec<Diagnostic> {
        let active: Vec<bool> = self
            .rules
            .iter()
            .map(|r| mentions_hold(&r.def.when_document_mentions, &doc.text))
            .collect();
        if timing::enabled() {
            timing::time(Stage::Segment, || doc.sentences().len());
        }
        let mut sink = Sink::new(&self.rules, &active, doc);
        for (kind, check) in &self.checks {
            timing::time(Stage::Check(*kind), || check.check(doc, &mut sink));
        }
        timing::time(Stage::Finish, || self.finish(doc, sink))
    }

    fn finish(&self, doc: &Document, sink: Sink<'_>) -> Vec<Diagnostic> {
        let mut diags = sink.finish();
        if let Some(accept) = &self.accept {
            let accepted: Vec<_> = accept.find_iter(&doc.text).map(|m| m.start()..m.end()).collect();
            if !accepted.is_empty() {
                diags.retain(|d| !accepted.iter().any(|a| a.start <= d.span.start && d.span.end <= a.end));
            }
        }
        diags.sort_by(|a, b| (a.span.start, a.span.end, &a.rule.id).cmp(&(b.span.start, b.span.end, &b.rule.id)));
        diags
    }
}

fn mentions_hold(mentions: &[String], text: &str) -> bool {
    mentions.is_empty()
        || mentions
            .iter()
            .any(|m| memchr::memmem::find(text.as_bytes(), m.as_bytes()).is_some())
}
