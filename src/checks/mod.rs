//! Check kinds: the code that rules (data) instantiate.
//!
//! Each kind receives all its rules at once and compiles them together, so a glossary of
//! 10,000 `term` entries is one automaton and a pack's `pattern` rules share one `RegexSet`.
//! Checks only describe edits; the fix engine decides what is applied.

use std::borrow::Cow;
use std::sync::Arc;

use crate::diagnostic::{Applicability, DeferredRelated, Diagnostic, Edit, Fix, Label, Related};
use crate::document::Document;
use crate::model::{Kind, Rule, RuleDef};
use crate::span::Span;

mod boilerplate;
mod capitalization;
mod consistency;
mod error;
pub mod matchers;
mod pattern;
mod pinyin;
mod quotes;
mod repetition;
mod romanization;
mod script;
mod sentence_length;
mod spelling;
mod term;
mod typography;
mod unicode;
pub(crate) mod words;
// Source-aware kinds: they compare each target of a bilingual file with its source.
mod length_ratio;
mod numbers;
mod placeholders;
mod segment_consistency;
mod source_term;
mod untranslated;

pub use error::{CompileError, RegexError};
pub use spelling::on_disk::save as save_dictionary_answers;

/// Index of a rule in the engine's rule table.
pub type RuleIdx = usize;

/// Compiles all rules of one kind into one check.
pub type Compile = fn(&[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError>;

/// Starts, in the background, loading what a kind's rules need from outside the binary (a
/// Hunspell dictionary), before any kind is compiled.
pub type Preload = fn(&[(RuleIdx, &RuleDef)]);

/// A check kind in the registry: its descriptor, how its rules are compiled, and what they
/// load in the background while the engine is compiled (`kind: preload` in the list).
pub struct Registered {
    pub kind: &'static Kind,
    pub compile: Compile,
    pub preload: Option<Preload>,
}

macro_rules! registered {
    ($($module:ident $(: $preload:ident)?),* $(,)?) => {
        [$(Registered {
            kind: &$module::KIND,
            compile: $module::compile,
            preload: registered!(@preload $module $($preload)?),
        }),*]
    };
    (@preload $module:ident) => { None };
    (@preload $module:ident $preload:ident) => { Some($module::$preload) };
}

/// The one registry of check kinds: a new kind is its module (with a `KIND` descriptor and a
/// `compile` function), its `.md` documentation and a name in this list. Kinds run in this
/// order.
pub static KINDS: &[Registered] = &registered![
    term,
    consistency,
    pattern,
    quotes,
    sentence_length,
    boilerplate,
    typography,
    script,
    unicode,
    repetition,
    capitalization: preload,
    numbers,
    untranslated,
    source_term,
    placeholders,
    segment_consistency,
    length_ratio,
    spelling: preload,
    romanization: preload,
];

/// The kind rule files call `name`.
pub fn kind_named(name: &str) -> Option<&'static Kind> {
    KINDS.iter().map(|r| r.kind).find(|k| k.name == name)
}

/// The position of `kind` in [`KINDS`].
pub fn kind_index(kind: &Kind) -> usize {
    KINDS.iter().position(|r| r.kind == kind).unwrap_or(KINDS.len())
}

/// The names of every kind, in registry order.
pub fn kind_names() -> Vec<&'static str> {
    KINDS.iter().map(|r| r.kind.name).collect()
}

/// Declares the sub-checks of a kind (`check = "…"` in a rule) as an enum.
macro_rules! sub_checks {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),*
        }

        impl $name {
            /// The name rule files use.
            #[allow(dead_code)]
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),*
                }
            }
        }
    };
}
pub(crate) use sub_checks;

/// Regex size limit for user patterns: generous for real rules, small enough that a rule
/// file cannot exhaust memory.
pub const REGEX_SIZE_LIMIT: usize = 4 * 1024 * 1024;
pub const REGEX_NEST_LIMIT: u32 = 64;

/// `pattern` as a regex, with the flags and limits every rule's regex gets.
pub fn build_regex(pattern: &str, case_insensitive: bool) -> Result<regex::Regex, RegexError> {
    Ok(regex::RegexBuilder::new(pattern)
        .case_insensitive(case_insensitive)
        .multi_line(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .nest_limit(REGEX_NEST_LIMIT)
        .build()?)
}

/// Rules grouped by the part of their parameters that decides what a scan finds (`key`),
/// groups in the order their first rule comes: a check scans once per group and reports each
/// finding for every rule of the group, so 10,000 rules alike cost one pass.
pub fn group_rules<K: Eq + std::hash::Hash + Clone>(
    rules: impl IntoIterator<Item = (K, RuleIdx)>,
) -> Vec<(K, Vec<RuleIdx>)> {
    let mut index: std::collections::HashMap<K, usize> = std::collections::HashMap::new();
    let mut groups: Vec<(K, Vec<RuleIdx>)> = Vec::new();
    for (key, rule) in rules {
        match index.get(&key) {
            Some(&g) => groups[g].1.push(rule),
            None => {
                index.insert(key.clone(), groups.len());
                groups.push((key, vec![rule]));
            }
        }
    }
    groups
}

/// A compiled check kind with all its rules.
pub trait Check: Send + Sync {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>);

    /// True when what `rule` reports in a paragraph can depend on text outside it: a form
    /// used elsewhere, a style the rest of the document follows, a match across a paragraph
    /// break. A large document is checked in parts, in parallel; such rules are run on the
    /// whole document instead.
    fn document_wide(&self, rule: RuleIdx) -> bool {
        let _ = rule;
        false
    }
}

/// The engine's rules, with what the sink needs to report a group of them as one finding.
pub struct RuleTable {
    rules: Arc<[Rule]>,
    /// Per rule: its place in rule-id order.
    rank: Vec<u32>,
    /// Per rule: rules with the same number have the same category, severity, specificity
    /// and fix policy, so the engine merges their findings of one span into one, kept by the
    /// rule first in id order (see `merge_same_defect`).
    class: Vec<u32>,
}

impl RuleTable {
    pub fn new(rules: Vec<Rule>) -> Self {
        let mut by_id: Vec<usize> = (0..rules.len()).collect();
        by_id.sort_by(|&a, &b| rules[a].meta.id.cmp(&rules[b].meta.id));
        let mut rank = vec![0; rules.len()];
        for (place, &i) in by_id.iter().enumerate() {
            rank[i] = place as u32;
        }
        let mut classes = std::collections::HashMap::new();
        let class = rules
            .iter()
            .map(|r| {
                let key = (r.meta.category.as_str(), r.meta.severity, r.specificity(), r.def.fix);
                let next = classes.len() as u32;
                *classes.entry(key).or_insert(next)
            })
            .collect();
        RuleTable {
            rules: rules.into(),
            rank,
            class,
        }
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }
}

/// Message arguments that differ between the rules of a group (a sentence-length rule's
/// `max`), worked out from a rule's definition.
pub type MemberArgs = fn(&RuleDef) -> Vec<(&'static str, String)>;

/// The other rules of a group that found the same defect as the finding that holds this;
/// their messages are rendered only when an output prints `related` entries.
struct GroupRelated {
    rules: Arc<[Rule]>,
    members: Vec<u32>,
    matched: String,
    replacement: Option<String>,
    args: Vec<(String, String)>,
    member_args: Option<MemberArgs>,
}

impl DeferredRelated for GroupRelated {
    fn len(&self) -> usize {
        self.members.len()
    }

    fn render_into(&self, out: &mut Vec<Related>) {
        let shared: Vec<(&str, &str)> = self.args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        for &m in &self.members {
            let rule = &self.rules[m as usize];
            let message = with_member_args(&shared, self.member_args, &rule.def, |args| {
                render_message(&rule.message, &self.matched, self.replacement.as_deref(), args)
            });
            out.push(Related {
                rule: rule.meta.clone(),
                message,
            });
        }
    }
}

/// Calls `f` with `args` plus the arguments `member_args` gives for `def`.
fn with_member_args<T>(
    args: &[(&str, &str)],
    member_args: Option<MemberArgs>,
    def: &RuleDef,
    f: impl FnOnce(&[(&str, &str)]) -> T,
) -> T {
    let Some(member_args) = member_args else {
        return f(args);
    };
    let own = member_args(def);
    let all: Vec<(&str, &str)> = args
        .iter()
        .copied()
        .chain(own.iter().map(|(k, v)| (*k, v.as_str())))
        .collect();
    f(&all)
}

/// The only way a check creates a diagnostic: it names the rule, the span and the message
/// arguments; the sink fills in id, severity, category and message from the rule.
pub struct Sink<'a> {
    table: &'a RuleTable,
    rules: &'a [Rule],
    active: &'a [bool],
    doc: &'a Document,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    pub fn new(table: &'a RuleTable, active: &'a [bool], doc: &'a Document) -> Self {
        Sink {
            table,
            rules: &table.rules,
            active,
            doc,
            diagnostics: Vec::new(),
        }
    }

    /// False when the rule is off for this document (its `when_document_mentions` condition
    /// does not hold, or it is not selected): checks skip its work.
    pub fn is_active(&self, rule: RuleIdx) -> bool {
        self.active[rule]
    }

    /// True when some rule of `rules` is active.
    pub fn any_active(&self, rules: &[RuleIdx]) -> bool {
        rules.iter().any(|&r| self.active[r])
    }

    pub fn rule(&self, rule: RuleIdx) -> &Rule {
        &self.rules[rule]
    }

    /// Reports a finding with no fix.
    pub fn flag(&mut self, rule: RuleIdx, span: Span, args: &[(&str, &str)]) {
        self.push(rule, span, args, None, Vec::new());
    }

    /// Reports a finding with a fix. `suggested` is how safe the kind judges this fix; the
    /// rule's `fix` setting can lower it (or drop the fix) but never raise it.
    pub fn fix(
        &mut self,
        rule: RuleIdx,
        span: Span,
        args: &[(&str, &str)],
        edits: Vec<Edit>,
        suggested: Applicability,
    ) {
        self.push(rule, span, args, Some((edits, suggested)), Vec::new());
    }

    /// Reports a finding with no fix for each of `rules`: rules whose parameters make the
    /// same scan find the same things, found once (see [`group_rules`]).
    pub fn flag_each(&mut self, rules: &[RuleIdx], span: Span, args: &[(&str, &str)]) {
        self.push_each(rules, span, args, None, Vec::new());
    }

    /// [`Sink::fix`] for each of `rules`.
    pub fn fix_each(
        &mut self,
        rules: &[RuleIdx],
        span: Span,
        args: &[(&str, &str)],
        edits: Vec<Edit>,
        suggested: Applicability,
    ) {
        self.push_each(rules, span, args, Some((edits, suggested)), Vec::new());
    }

    /// [`Sink::push`] for each of `rules` that is active.
    pub fn push_each(
        &mut self,
        rules: &[RuleIdx],
        span: Span,
        args: &[(&str, &str)],
        fix: Option<(Vec<Edit>, Applicability)>,
        labels: Vec<Label>,
    ) {
        self.push_group(rules, None, span, args, fix, labels);
    }

    /// Reports the same finding for each of `rules`, a group whose shared scan found it; the
    /// arguments of each rule's message are `args` plus its `member_args`.
    ///
    /// The engine would merge the group's findings into one (one defect, one finding) when
    /// their rules agree in category, severity, specificity and fix policy; the sink then
    /// makes that one finding itself, for the rule first in id order, with the others as
    /// `related` entries rendered only when printed. Ten thousand rules firing on one
    /// sentence cost one finding, not ten thousand.
    pub fn push_group(
        &mut self,
        rules: &[RuleIdx],
        member_args: Option<MemberArgs>,
        span: Span,
        args: &[(&str, &str)],
        fix: Option<(Vec<Edit>, Applicability)>,
        labels: Vec<Label>,
    ) {
        let one = |sink: &mut Self, rule: RuleIdx, fix, labels| {
            let def = &sink.rules[rule].def;
            with_member_args(args, member_args, def, |args| sink.push(rule, span, args, fix, labels));
        };
        let [first, ..] = rules else {
            return;
        };
        if rules.len() == 1 {
            return one(self, *first, fix, labels);
        }
        // What `push` decides from the span alone: the same for every rule of one kind.
        if self.doc.blocks_finding(span)
            || (!self.rules[*first].def.kind.sees_protected && crate::protect::blocks(self.doc.protected(), span))
        {
            return;
        }
        // A group may be thousands of rules: tight loops over their indices.
        let mut members: Vec<u32> = Vec::with_capacity(rules.len());
        if self.doc.suppressions.is_empty() {
            members.extend(rules.iter().filter(|&&r| self.active[r]).map(|&r| r as u32));
        } else {
            let suppressed = |r: RuleIdx| self.doc.is_suppressed(&self.rules[r].meta.id, span);
            members.extend(
                rules
                    .iter()
                    .filter(|&&r| self.active[r] && !suppressed(r))
                    .map(|&r| r as u32),
            );
        }
        let (rank, class) = (&self.table.rank, &self.table.class);
        let Some(at) = (0..members.len()).min_by_key(|&i| rank[members[i] as usize]) else {
            return;
        };
        let keeper = members[at] as usize;
        if members.len() == 1 || members.iter().any(|&m| class[m as usize] != class[keeper]) {
            for rule in members {
                one(self, rule as usize, fix.clone(), labels.clone());
            }
            return;
        }
        members.swap_remove(at);
        let fix = self.resolve_fix(keeper, fix);
        let replacement = fix.as_ref().map(|f| f.preview(&self.doc.text, span));
        let before = self.diagnostics.len();
        let def = &self.rules[keeper].def;
        with_member_args(args, member_args, def, |args| {
            self.emit(keeper, span, args, fix, labels)
        });
        let Some(kept) = self.diagnostics.get_mut(before) else {
            return;
        };
        kept.related.defer(Arc::new(GroupRelated {
            rules: Arc::clone(&self.table.rules),
            members,
            matched: span.text(&self.doc.text).to_string(),
            replacement,
            args: args.iter().map(|&(k, v)| (k.to_string(), v.to_string())).collect(),
            member_args,
        }));
    }

    /// Reports with secondary labels.
    pub fn push(
        &mut self,
        rule: RuleIdx,
        span: Span,
        args: &[(&str, &str)],
        fix: Option<(Vec<Edit>, Applicability)>,
        labels: Vec<Label>,
    ) {
        if !self.active[rule] || self.doc.blocks_finding(span) {
            return;
        }
        if !self.rules[rule].def.kind.sees_protected && crate::protect::blocks(self.doc.protected(), span) {
            return;
        }
        self.push_unmasked(rule, span, args, fix, labels);
    }

    /// Reports like [`Sink::push`], at a span that may lie outside the checked text (the
    /// source of a bilingual segment whose target is missing). Fixes still never touch masked
    /// text or markup.
    pub fn push_unmasked(
        &mut self,
        rule: RuleIdx,
        span: Span,
        args: &[(&str, &str)],
        fix: Option<(Vec<Edit>, Applicability)>,
        labels: Vec<Label>,
    ) {
        let r = &self.rules[rule];
        if !self.active[rule] || self.doc.is_suppressed(&r.meta.id, span) {
            return;
        }
        let fix = self.resolve_fix(rule, fix);
        self.emit(rule, span, args, fix, labels);
    }

    /// The fix `rule` reports: at the safety its `fix` setting allows, none when an edit
    /// would touch masked text or markup (or protected text, for kinds that do not see it),
    /// or would make Markdown block syntax of a line's start.
    fn resolve_fix(&self, rule: RuleIdx, fix: Option<(Vec<Edit>, Applicability)>) -> Option<Fix> {
        let r = &self.rules[rule];
        fix.and_then(|(edits, suggested)| {
            let applicability = r.applicability(suggested)?;
            let protected = (!r.def.kind.sees_protected).then(|| self.doc.protected());
            let blocked = |e: &Edit| {
                self.doc.blocks_edit(e.span)
                    || self.doc.edit_leaves_bare_block(e)
                    || protected.is_some_and(|p| crate::protect::blocks_edit(p, e.span))
            };
            if edits.is_empty() || edits.iter().any(blocked) {
                return None;
            }
            Some(Fix::new(applicability, edits))
        })
    }

    /// Renders `rule`'s message and adds the finding.
    fn emit(&mut self, rule: RuleIdx, span: Span, args: &[(&str, &str)], fix: Option<Fix>, labels: Vec<Label>) {
        let r = &self.rules[rule];
        let text = &self.doc.text;
        let matched = span.text(text);
        // The fixed text is only worked out for messages that show it.
        let replacement = match fix.as_ref() {
            Some(f) if r.message.contains("{replacement}") => Some(f.preview(text, span)),
            _ => None,
        };
        let message = render_message(&r.message, matched, replacement.as_deref(), args);
        // Replacements are written the way the format stores text (`&amp;` in XLIFF); a fix
        // the format cannot hold is dropped.
        let fix = fix.and_then(|mut f| {
            for e in &mut f.edits {
                if let Cow::Owned(encoded) = self.doc.encode_at(e.span, &e.replacement)? {
                    e.replacement = encoded;
                }
            }
            Some(f)
        });
        self.diagnostics.push(Diagnostic {
            rule: r.meta.clone(),
            severity: r.meta.severity,
            message,
            span,
            labels,
            fix,
            related: Default::default(),
        });
    }

    pub fn finish(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
}

/// Fills `{match}`, `{replacement}` and the kind's named arguments into a message template.
/// Unknown placeholders are left as written.
pub fn render_message(template: &str, matched: &str, replacement: Option<&str>, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let name = &after[..close];
        let value = match name {
            "match" => Some(matched),
            "replacement" => replacement,
            _ => args.iter().find(|(k, _)| *k == name).map(|&(_, v)| v),
        };
        match value {
            Some(v) if matches!(name, "match" | "replacement") => push_shortened(&mut out, v, 80),
            Some(v) => out.push_str(v),
            None => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Writes text shortened for a message to `out`: first and last words with an ellipsis
/// between when it is over `max` characters, line breaks as spaces.
fn push_shortened(out: &mut String, s: &str, max: usize) {
    let s = s.trim();
    let push_one_line = |out: &mut String, s: &str| {
        for (i, part) in s.split('\n').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(part);
        }
    };
    // Counting stops at the first character past `max`.
    if s.chars().nth(max).is_none() {
        push_one_line(out, s);
        return;
    }
    let head: String = s.chars().take(max / 2).collect();
    let tail: String = s
        .chars()
        .rev()
        .take(max / 2 - 4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    push_one_line(out, &format!("{} … {}", head.trim_end(), tail.trim_start()));
}

/// True when `c` can be part of a word for whole-word matching.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// True when `span` in `text` is not glued to word characters on either side. A side whose
/// own edge character is not a word character (or is CJK) needs no boundary.
pub fn is_whole_word(text: &str, span: Span) -> bool {
    let inner = span.text(text);
    let (Some(first), Some(last)) = (inner.chars().next(), inner.chars().next_back()) else {
        return false;
    };
    let before = text[..span.start].chars().next_back();
    let after = text[span.end..].chars().next();
    let left_ok = !is_word_char(first) || crate::segment::is_cjk(first) || !before.is_some_and(is_word_char);
    let right_ok = !is_word_char(last) || crate::segment::is_cjk(last) || !after.is_some_and(is_word_char);
    left_ok && right_ok
}

/// Uppercases the first character of `s`.
pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Fits `replacement` to the casing of `matched`: all capitals stay all capitals, a capital
/// first letter (sentence start) stays capital; a replacement that is itself capitalised
/// (a name) keeps its own casing.
pub fn match_case(matched: &str, replacement: &str) -> String {
    let letters: Vec<char> = matched.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return replacement.to_uppercase();
    }
    if matched.chars().next().is_some_and(char::is_uppercase) {
        return capitalize(replacement);
    }
    replacement.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_fill_placeholders() {
        assert_eq!(
            render_message(
                "\"{match}\" → {replacement} ({n}, {other})",
                "old",
                Some("new"),
                &[("n", "3")]
            ),
            "\"old\" → new (3, {other})"
        );
    }

    #[test]
    fn case_is_kept() {
        assert_eq!(match_case("The ancient town", "Guzhen"), "Guzhen");
        assert_eq!(match_case("Party construction", "party building"), "Party building");
        assert_eq!(match_case("PARTY CONSTRUCTION", "Party building"), "PARTY BUILDING");
        assert_eq!(match_case("party construction", "Party building"), "Party building");
    }

    #[test]
    fn whole_words() {
        let t = "the oldtown old town 古镇x";
        assert!(!is_whole_word(t, Span::new(4, 7)));
        assert!(is_whole_word(t, Span::new(12, 20)));
        let p = t.find("古镇").unwrap();
        assert!(is_whole_word(t, Span::new(p, p + 6)));
    }
}
