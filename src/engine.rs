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
    mentions: Mentions,
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
        let mentions = Mentions::new(&rules);
        Ok(Engine {
            rules,
            checks,
            accept,
            mentions,
        })
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// All diagnostics for `doc`, sorted by position then rule id.
    pub fn check(&self, doc: &Document) -> Vec<Diagnostic> {
        let active = timing::time(Stage::Conditions, || self.mentions.active(&doc.text));
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

/// The rules' `when_document_mentions` conditions, all decided in one scan of the text.
///
/// Most documents mention none of the phrases, so searching for each phrase of each rule
/// would read the whole text once per phrase. A Teddy searcher (SIMD, from aho-corasick)
/// finds every place where some phrase starts in one pass; there, the phrases not yet seen
/// are compared. Where Teddy is unavailable, each phrase is searched for on its own.
struct Mentions {
    /// Every distinct phrase that some condition names.
    phrases: Vec<String>,
    /// Over `phrases`, in the same order; `None` without SIMD or phrases.
    starts: Option<aho_corasick::packed::Searcher>,
    /// For each rule, the phrases (indices into `phrases`) of which it needs one; empty: on.
    needs: Vec<Vec<usize>>,
}

impl Mentions {
    fn new(rules: &[Rule]) -> Self {
        let mut phrases: Vec<String> = Vec::new();
        let mut ids: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let needs = rules
            .iter()
            .map(|r| {
                r.def
                    .when_document_mentions
                    .iter()
                    .map(|m| {
                        *ids.entry(m.as_str()).or_insert_with(|| {
                            phrases.push(m.clone());
                            phrases.len() - 1
                        })
                    })
                    .collect()
            })
            .collect();
        // An empty phrase is in every text; Teddy cannot look for one.
        let starts = match phrases.is_empty() || phrases.iter().any(String::is_empty) {
            true => None,
            false => aho_corasick::packed::Searcher::new(&phrases),
        };
        Mentions { phrases, starts, needs }
    }

    /// For each rule, whether its condition holds in `text`.
    fn active(&self, text: &str) -> Vec<bool> {
        let mut seen = vec![false; self.phrases.len()];
        if let Some(starts) = &self.starts {
            let mut left = seen.len();
            let mut at = 0;
            // A match at `m` may hide other phrases starting there ("Party" and "Party
            // committee"), so every phrase not yet seen is compared at each match, and the
            // search goes on from the next byte, not from the match's end.
            while left > 0 {
                let Some(m) = starts.find_in(text, aho_corasick::Span::from(at..text.len())) else {
                    break;
                };
                let rest = &text.as_bytes()[m.start()..];
                for (id, phrase) in self.phrases.iter().enumerate() {
                    if !seen[id] && rest.starts_with(phrase.as_bytes()) {
                        seen[id] = true;
                        left -= 1;
                    }
                }
                at = m.start() + 1;
            }
        } else {
            for (id, phrase) in self.phrases.iter().enumerate() {
                seen[id] = memchr::memmem::find(text.as_bytes(), phrase.as_bytes()).is_some();
            }
        }
        self.needs
            .iter()
            .map(|n| n.is_empty() || n.iter().any(|&id| seen[id]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::rulefile::parse_rule_file;

    fn engine(conditions: &[&[&str]]) -> Engine {
        let mut toml = String::from("[pack]\nname = \"t\"\n");
        for (i, phrases) in conditions.iter().enumerate() {
            let list: Vec<String> = phrases.iter().map(|p| format!("{p:?}")).collect();
            toml += &format!(
                "[[rule]]\nid = \"r{i}\"\nkind = \"pattern\"\npattern = \"zzz\"\nwhen_document_mentions = [{}]\n",
                list.join(", ")
            );
        }
        let rules = parse_rule_file(std::path::Path::new("t.toml"), &toml).unwrap();
        Engine::new(&rules, &[]).unwrap()
    }

    #[test]
    fn a_rule_is_on_when_the_document_mentions_any_of_its_phrases() {
        let mut e = engine(&[
            &[],
            &["Guzhen", "古镇"],
            &["Party", "Party committee"],
            &["committee of"],
            &["lamp"],
        ]);
        // With the SIMD searcher, and with the phrase-by-phrase search used without it.
        for teddy in [true, false] {
            if !teddy {
                e.mentions.starts = None;
            }
            let active = |text: &str| e.mentions.active(text);
            assert_eq!(active("Nothing here."), [true, false, false, false, false]);
            assert_eq!(active("In 古镇 the lamps"), [true, true, false, false, true]);
            // Phrases that start at one place or overlap one another are each found.
            assert_eq!(active("the Party committee of Guzhen"), [true, true, true, true, false]);
            // Case counts, as in a substring search.
            assert_eq!(
                active("the party COMMITTEE OF guzhen"),
                [true, false, false, false, false]
            );
        }
    }

    #[test]
    fn without_conditions_every_rule_is_on() {
        let e = engine(&[&[], &[]]);
        assert!(e.mentions.starts.is_none());
        assert_eq!(e.mentions.active("x"), [true, true]);
    }

    #[test]
    fn an_empty_phrase_is_in_every_text() {
        let e = engine(&[&["", "never"], &["never"]]);
        assert_eq!(e.mentions.active(""), [true, false]);
        assert_eq!(e.mentions.active("abc"), [true, false]);
    }
}
