//! Check kinds: the code that rules (data) instantiate.
//!
//! Each kind receives all its rules at once and compiles them together, so a glossary of
//! 10,000 `term` entries is one automaton and a pack's `pattern` rules share one `RegexSet`.
//! Checks only describe edits; the fix engine decides what is applied.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

use crate::config::rulefile::RuleDef;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Label};
use crate::document::Document;
use crate::engine::Rule;
use crate::span::Span;

mod boilerplate;
mod capitalization;
mod charset;
mod consistency;
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
// Source-aware kinds: they compare each target of a bilingual file with its source.
mod length_ratio;
mod numbers;
mod placeholders;
mod segment_consistency;
mod source_term;
mod untranslated;

/// Index of a rule in the engine's rule table.
pub type RuleIdx = usize;

/// The one registry of check kinds. Adding a kind touches only this enum and its module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckKind {
    Term,
    Consistency,
    Pattern,
    Quotes,
    SentenceLength,
    Boilerplate,
    Typography,
    Script,
    Unicode,
    Repetition,
    Capitalization,
    Numbers,
    Untranslated,
    SourceTerm,
    Placeholders,
    SegmentConsistency,
    LengthRatio,
    Spelling,
    Romanization,
}

impl CheckKind {
    pub const ALL: [CheckKind; 19] = [
        CheckKind::Term,
        CheckKind::Consistency,
        CheckKind::Pattern,
        CheckKind::Quotes,
        CheckKind::SentenceLength,
        CheckKind::Boilerplate,
        CheckKind::Typography,
        CheckKind::Script,
        CheckKind::Unicode,
        CheckKind::Repetition,
        CheckKind::Capitalization,
        CheckKind::Numbers,
        CheckKind::Untranslated,
        CheckKind::SourceTerm,
        CheckKind::Placeholders,
        CheckKind::SegmentConsistency,
        CheckKind::LengthRatio,
        CheckKind::Spelling,
        CheckKind::Romanization,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CheckKind::Term => "term",
            CheckKind::Consistency => "consistency",
            CheckKind::Pattern => "pattern",
            CheckKind::Quotes => "quotes",
            CheckKind::SentenceLength => "sentence-length",
            CheckKind::Boilerplate => "boilerplate",
            CheckKind::Typography => "typography",
            CheckKind::Script => "script",
            CheckKind::Unicode => "unicode",
            CheckKind::Repetition => "repetition",
            CheckKind::Capitalization => "capitalization",
            CheckKind::Numbers => "numbers",
            CheckKind::Untranslated => "untranslated",
            CheckKind::SourceTerm => "source-term",
            CheckKind::Placeholders => "placeholders",
            CheckKind::SegmentConsistency => "segment-consistency",
            CheckKind::LengthRatio => "length-ratio",
            CheckKind::Spelling => "spelling",
            CheckKind::Romanization => "romanization",
        }
    }

    /// The kind parameters a rule of this kind may set.
    pub fn params(self) -> &'static [&'static str] {
        match self {
            CheckKind::Term => &["variants", "replace", "entries", "drop_article", "case_sensitive"],
            CheckKind::Consistency => &["canonical", "variants", "case_sensitive"],
            CheckKind::Pattern => &["pattern", "replace", "case_sensitive"],
            CheckKind::Quotes => &["check", "pairs"],
            CheckKind::SentenceLength => &["max_words", "min_splices", "subjects", "joins", "openers"],
            CheckKind::Boilerplate => &["lines", "labels", "widgets", "menu", "crumbs"],
            CheckKind::Typography => &["check", "chars"],
            CheckKind::Script => &["scripts"],
            CheckKind::Unicode => &["check", "chars"],
            CheckKind::Repetition => &["check", "allow", "doubles"],
            CheckKind::Capitalization => &["terms", "check"],
            CheckKind::Numbers => &["allow"],
            CheckKind::Untranslated => &["check", "min_length"],
            CheckKind::SourceTerm => &["glossary", "drop_article", "case_sensitive"],
            CheckKind::Placeholders => &["check", "pattern"],
            CheckKind::SegmentConsistency => &["check"],
            CheckKind::LengthRatio => &["max_ratio", "min_length"],
            CheckKind::Spelling => &["check", "dictionary", "allow"],
            CheckKind::Romanization => &["check", "dictionary", "surnames", "names", "terms"],
        }
    }

    /// MQM category reported when the rule names none.
    /// True for kinds that are about the text [`crate::protect`] shields from prose checks
    /// (invisible characters, bilingual placeholders and numbers): they report inside URLs,
    /// placeholders and code shapes too.
    pub fn sees_protected(self) -> bool {
        matches!(self, CheckKind::Unicode | CheckKind::Placeholders | CheckKind::Numbers)
    }

    pub fn default_category(self) -> &'static str {
        match self {
            CheckKind::Term => "terminology",
            CheckKind::Consistency => "terminology/inconsistent",
            CheckKind::Pattern => "fluency",
            CheckKind::Quotes => "fluency/punctuation",
            CheckKind::SentenceLength => "style/awkward",
            CheckKind::Boilerplate => "design/markup",
            CheckKind::Typography => "fluency/punctuation",
            CheckKind::Script => "accuracy/untranslated",
            CheckKind::Unicode => "fluency/character-encoding",
            CheckKind::Repetition => "fluency/grammar",
            CheckKind::Capitalization => "fluency/spelling",
            CheckKind::Numbers => "accuracy/mistranslation",
            CheckKind::Untranslated => "accuracy/untranslated",
            CheckKind::SourceTerm => "terminology",
            CheckKind::Placeholders => "design/markup",
            CheckKind::SegmentConsistency => "terminology/inconsistent",
            CheckKind::LengthRatio => "accuracy",
            CheckKind::Spelling => "fluency/spelling",
            CheckKind::Romanization => "fluency/spelling",
        }
    }

    /// The user documentation of the kind, printed by `mtlint explain`.
    pub fn doc(self) -> &'static str {
        match self {
            CheckKind::Term => include_str!("term.md"),
            CheckKind::Consistency => include_str!("consistency.md"),
            CheckKind::Pattern => include_str!("pattern.md"),
            CheckKind::Quotes => include_str!("quotes.md"),
            CheckKind::SentenceLength => include_str!("sentence_length.md"),
            CheckKind::Boilerplate => include_str!("boilerplate.md"),
            CheckKind::Typography => include_str!("typography.md"),
            CheckKind::Script => include_str!("script.md"),
            CheckKind::Unicode => include_str!("unicode.md"),
            CheckKind::Repetition => include_str!("repetition.md"),
            CheckKind::Capitalization => include_str!("capitalization.md"),
            CheckKind::Numbers => include_str!("numbers.md"),
            CheckKind::Untranslated => include_str!("untranslated.md"),
            CheckKind::SourceTerm => include_str!("source_term.md"),
            CheckKind::Placeholders => include_str!("placeholders.md"),
            CheckKind::SegmentConsistency => include_str!("segment_consistency.md"),
            CheckKind::LengthRatio => include_str!("length_ratio.md"),
            CheckKind::Spelling => include_str!("spelling.md"),
            CheckKind::Romanization => include_str!("romanization.md"),
        }
    }

    /// Compiles all rules of this kind into one check.
    pub fn compile(self, rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, String> {
        Ok(match self {
            CheckKind::Term => Box::new(term::TermCheck::new(rules)?),
            CheckKind::Consistency => Box::new(consistency::ConsistencyCheck::new(rules)?),
            CheckKind::Pattern => Box::new(pattern::PatternCheck::new(rules)?),
            CheckKind::Quotes => Box::new(quotes::QuotesCheck::new(rules)?),
            CheckKind::SentenceLength => Box::new(sentence_length::SentenceLengthCheck::new(rules)),
            CheckKind::Boilerplate => Box::new(boilerplate::BoilerplateCheck::new(rules)?),
            CheckKind::Typography => Box::new(typography::TypographyCheck::new(rules)?),
            CheckKind::Script => Box::new(script::ScriptCheck::new(rules)?),
            CheckKind::Unicode => Box::new(unicode::UnicodeCheck::new(rules)?),
            CheckKind::Repetition => Box::new(repetition::RepetitionCheck::new(rules)),
            CheckKind::Capitalization => Box::new(capitalization::CapitalizationCheck::new(rules)?),
            CheckKind::Numbers => Box::new(numbers::NumbersCheck::new(rules)),
            CheckKind::Untranslated => Box::new(untranslated::UntranslatedCheck::new(rules)),
            CheckKind::SourceTerm => Box::new(source_term::SourceTermCheck::new(rules)?),
            CheckKind::Placeholders => Box::new(placeholders::PlaceholdersCheck::new(rules)?),
            CheckKind::SegmentConsistency => Box::new(segment_consistency::SegmentConsistencyCheck::new(rules)),
            CheckKind::LengthRatio => Box::new(length_ratio::LengthRatioCheck::new(rules)),
            CheckKind::Spelling => Box::new(spelling::SpellingCheck::new(rules)),
            CheckKind::Romanization => Box::new(romanization::RomanizationCheck::new(rules)),
        })
    }
}

/// Validates a rule's kind parameters at load time. On error, returns the key to point at.
pub fn validate(def: &RuleDef) -> Result<(), (&'static str, String)> {
    match def.kind {
        CheckKind::Term => term::validate(def),
        CheckKind::Consistency => consistency::validate(def),
        CheckKind::Pattern => pattern::validate(def),
        CheckKind::Quotes => quotes::validate(def),
        CheckKind::SentenceLength => sentence_length::validate(def),
        CheckKind::Boilerplate => boilerplate::validate(def),
        CheckKind::Typography => typography::validate(def),
        CheckKind::Script => script::validate(def),
        CheckKind::Unicode => unicode::validate(def),
        CheckKind::Repetition => repetition::validate(def),
        CheckKind::Capitalization => capitalization::validate(def),
        CheckKind::Numbers => Ok(()),
        CheckKind::Untranslated => untranslated::validate(def),
        CheckKind::SourceTerm => source_term::validate(def),
        CheckKind::Placeholders => placeholders::validate(def),
        CheckKind::SegmentConsistency => segment_consistency::validate(def),
        CheckKind::LengthRatio => length_ratio::validate(def),
        CheckKind::Spelling => spelling::validate(def),
        CheckKind::Romanization => romanization::validate(def),
    }
}

/// Checks an optional `check = "…"` parameter against the sub-checks a kind offers.
fn validate_check(def: &RuleDef, checks: &[&str]) -> Result<(), (&'static str, String)> {
    match def.check.as_deref() {
        Some(c) if !checks.contains(&c) => Err((
            "check",
            format!("unknown check `{c}` (expected one of: {})", checks.join(", ")),
        )),
        _ => Ok(()),
    }
}

/// Regex size limit for user patterns: generous for real rules, small enough that a rule
/// file cannot exhaust memory.
pub const REGEX_SIZE_LIMIT: usize = 4 * 1024 * 1024;
pub const REGEX_NEST_LIMIT: u32 = 64;

pub fn build_regex(pattern: &str, case_insensitive: bool) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(case_insensitive)
        .multi_line(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
        .map_err(|e| describe_regex_error(&e))
}

/// What went wrong compiling a rule's regex, in a rule writer's terms.
pub fn describe_regex_error(e: &regex::Error) -> String {
    match e {
        regex::Error::CompiledTooBig(limit) => format!(
            "regex too large: compiled, it would exceed the limit of {} MiB; use smaller counted \
             repetitions (`{{1000}}` and `\\w` over all of Unicode grow fast), fewer alternatives, \
             or several rules",
            limit / (1024 * 1024)
        ),
        e => format!("invalid regex: {}", e.to_string().replace('\n', "\n    ")),
    }
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

/// The only way a check creates a diagnostic: it names the rule, the span and the message
/// arguments; the sink fills in id, severity, category and message from the rule.
pub struct Sink<'a> {
    rules: &'a [Rule],
    active: &'a [bool],
    doc: &'a Document,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    pub fn new(rules: &'a [Rule], active: &'a [bool], doc: &'a Document) -> Self {
        Sink {
            rules,
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
        if !self.rules[rule].def.kind.sees_protected() && crate::protect::blocks(self.doc.protected(), span) {
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
        let fix = fix.and_then(|(edits, suggested)| {
            let applicability = r.applicability(suggested)?;
            let protected = (!r.def.kind.sees_protected()).then(|| self.doc.protected());
            let blocked = |e: &Edit| {
                self.doc.blocks_edit(e.span) || protected.is_some_and(|p| crate::protect::blocks_edit(p, e.span))
            };
            if edits.is_empty() || edits.iter().any(blocked) {
                return None;
            }
            Some(Fix::new(applicability, edits))
        });
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
            related: Vec::new(),
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
            "match" => Some(shorten(matched, 80)),
            "replacement" => replacement.map(|r| shorten(r, 80)),
            _ => args.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string()),
        };
        match value {
            Some(v) => out.push_str(&v),
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

/// Shortens text for a message: first and last words with an ellipsis between.
fn shorten(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.replace('\n', " ");
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
    format!("{} … {}", head.trim_end(), tail.trim_start()).replace('\n', " ")
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

impl CheckKind {
    /// Message used when the rule names none. `{match}` is the flagged text.
    pub fn default_message(self) -> &'static str {
        match self {
            CheckKind::Term => "\"{match}\" should be \"{replacement}\"",
            CheckKind::Consistency => {
                "\"{match}\" is written differently elsewhere in this document; use \"{replacement}\""
            }
            CheckKind::Pattern => "\"{match}\" matches a known error",
            CheckKind::Quotes => "{problem}",
            CheckKind::SentenceLength => "sentence of {words} words (limit {max}): split it",
            CheckKind::Boilerplate => "web page boilerplate \"{match}\" scraped with the article",
            CheckKind::Typography => "{problem}",
            CheckKind::Script => "untranslated {script} text \"{match}\"",
            CheckKind::Unicode => "{problem}",
            CheckKind::Repetition => "repeated word \"{word}\"",
            CheckKind::Capitalization => "\"{match}\" is capitalised as \"{replacement}\" elsewhere",
            CheckKind::Numbers => "{problem}",
            CheckKind::Untranslated => "{problem}",
            CheckKind::SourceTerm => "{problem}",
            CheckKind::Placeholders => "{problem}",
            CheckKind::SegmentConsistency => "{problem}",
            CheckKind::LengthRatio => "target is {ratio}× the length of its source; this file's norm is {norm}×",
            CheckKind::Spelling => "\"{match}\" is misspelt",
            CheckKind::Romanization => "romanised Chinese name \"{match}\" should be written \"{replacement}\"",
        }
    }
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
