//! `boilerplate`: whole lines of scraped web page chrome, matched by the rules' patterns
//! (`lines`) or judged by their shape and their neighbours ([`shape`]).

mod shape;

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use super::{Check, CompileError, RuleIdx, Sink, REGEX_NEST_LIMIT, REGEX_SIZE_LIMIT};
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::span::Span;

/// The `boilerplate` kind.
pub static KIND: Kind = Kind {
    name: "boilerplate",
    category: "design/markup",
    message: "web page boilerplate \"{match}\" scraped with the article",
    doc: include_str!("../boilerplate.md"),
    sees_protected: false,
    reads_source: false,
    parse: parse_params::<BoilerplateParams>,
};

/// Compiles every `boilerplate` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(BoilerplateCheck::new(rules)?))
}

/// A `boilerplate` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BoilerplateParams {
    pub lines: Vec<String>,
    /// Labels of scraped metadata (`source`, `hits`, `editor in charge`), each before a colon.
    pub labels: Vec<String>,
    /// Words and phrases that only page widgets hold (`share`, `font size`, `chat online`).
    pub widgets: Vec<String>,
    /// Words of menus and section links (`home`, `news`, `contact`), chrome only beside chrome.
    pub menu: Vec<String>,
    /// How a breadcrumb trail begins (`home`, `your location`, `you are here`).
    pub crumbs: Vec<String>,
}

impl KindParams for BoilerplateParams {
    fn fixes(&self) -> Option<Applicability> {
        Some(Applicability::Safe)
    }

    fn glossary_terms(&self) -> usize {
        self.lines.len()
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        validate(self)
    }
}

fn validate(def: &BoilerplateParams) -> Result<(), (&'static str, String)> {
    if def.lines.is_empty() && !shape::Vocabulary::is_set(def) {
        return Err((
            "lines",
            "a boilerplate rule needs `lines` (regular expressions matching whole lines) or the \
             vocabulary of page shapes (`labels`, `widgets`, `menu`, `crumbs`)"
                .into(),
        ));
    }
    shape::Vocabulary::validate(def)?;
    for l in &def.lines {
        super::pattern::check_regex(&anchored(l), true).map_err(|e| ("lines", e.to_string()))?;
    }
    Ok(())
}

fn anchored(p: &str) -> String {
    format!(r"^(?:{p})$")
}

/// All `boilerplate` rules compiled: their line patterns in one set, their page-chrome vocabularies.
pub struct BoilerplateCheck {
    /// Every rule's `lines`, in order, with the rule each belongs to. A line is taken by the
    /// first pattern that matches it.
    patterns: Vec<LinePattern>,
    /// The patterns without start literals, in one set: set pattern → index in `patterns`.
    set: RegexSet,
    in_set: Vec<usize>,
    /// The others by their start literals (ASCII lowercase): they can only match a line that
    /// begins with one, and run on such lines alone. Ten thousand patterns in one set
    /// outgrow its size limit and take long to compile; most patterns start with a label.
    starts: HashMap<Vec<u8>, Vec<usize>, foldhash::fast::FixedState>,
    /// The lengths of the start literals, ascending: a line's heads of these lengths alone
    /// are looked up (a line used to cost one lookup per byte up to the longest).
    start_lengths: Vec<usize>,
    /// Rules that judge lines by their shape.
    shapes: Vec<(RuleIdx, shape::Vocabulary)>,
}

struct LinePattern {
    rule: RuleIdx,
    /// The anchored pattern; compiled on the first line its start literals select it for.
    source: String,
    regex: OnceLock<Option<Regex>>,
}

impl LinePattern {
    fn is_match(&self, line: &str) -> bool {
        self.regex
            .get_or_init(|| line_regex(&self.source).ok())
            .as_ref()
            .is_some_and(|r| r.is_match(line))
    }
}

fn line_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
}

/// The literals every line `pattern` matches starts with, as [`super::pattern`] finds them.
fn start_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
        .parse(pattern)
        .ok()?;
    if hir.properties().minimum_len().is_none_or(|n| n == 0) {
        return None;
    }
    super::pattern::starts::start_literals(&hir)
}

impl BoilerplateCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Result<Self, CompileError> {
        let mut patterns = Vec::new();
        let mut set_patterns = Vec::new();
        let mut in_set = Vec::new();
        let mut starts: HashMap<Vec<u8>, Vec<usize>, foldhash::fast::FixedState> = HashMap::default();
        let mut shapes = Vec::new();
        for &(rule, def) in rules {
            let def: &BoilerplateParams = def.params();
            for l in &def.lines {
                let source = anchored(l);
                match start_literals(&source) {
                    Some(lits) => {
                        for lit in lits {
                            starts.entry(lit).or_default().push(patterns.len());
                        }
                    }
                    None => {
                        set_patterns.push(source.clone());
                        in_set.push(patterns.len());
                    }
                }
                patterns.push(LinePattern {
                    rule,
                    source,
                    regex: OnceLock::new(),
                });
            }
            if shape::Vocabulary::is_set(def) {
                shapes.push((rule, shape::Vocabulary::new(def)));
            }
        }
        let set = RegexSetBuilder::new(&set_patterns)
            .case_insensitive(true)
            .size_limit(REGEX_SIZE_LIMIT * 4)
            .nest_limit(REGEX_NEST_LIMIT)
            .build()
            .map_err(|e| CompileError::BoilerplateSet(e.into()))?;
        let mut start_lengths: Vec<usize> = starts.keys().map(Vec::len).collect();
        start_lengths.sort_unstable();
        start_lengths.dedup();
        Ok(BoilerplateCheck {
            patterns,
            set,
            in_set,
            starts,
            start_lengths,
            shapes,
        })
    }

    /// The first pattern that matches `line` (trimmed).
    fn first_match(&self, line: &str) -> Option<usize> {
        let in_set = self.set.matches(line).iter().next().map(|i| self.in_set[i]);
        if self.starts.is_empty() {
            return in_set;
        }
        let longest = self.start_lengths.last().copied().unwrap_or(0);
        let head = line.as_bytes()[..line.len().min(longest)].to_ascii_lowercase();
        let mut candidates: Vec<usize> = self
            .start_lengths
            .iter()
            .take_while(|&&n| n <= head.len())
            .filter_map(|&n| self.starts.get(&head[..n]))
            .flatten()
            .copied()
            .filter(|&i| in_set.is_none_or(|s| i < s))
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .find(|&i| self.patterns[i].is_match(line))
            .or(in_set)
    }
}

impl Check for BoilerplateCheck {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        let text = &doc.text;
        // Lines the patterns took: the shape rules leave them alone but count them as page
        // chrome beside their neighbours.
        let mut taken = Vec::new();
        for line in doc.lines() {
            let content = line.text(text).trim();
            if content.is_empty() || content.len() > 300 {
                continue;
            }
            let Some(i) = self.first_match(content) else {
                continue;
            };
            taken.push(line.start);
            let rule = self.patterns[i].rule;
            let lead = line.text(text).len() - line.text(text).trim_start().len();
            let content_start = line.start + lead;
            let mut applicability = Applicability::Safe;
            if let Some(prose) = prose_start(content) {
                // A label followed by a sentence is prose (`Views: the members held different
                // views`): not boilerplate at all.
                let head = content[..prose].trim_end();
                if head.is_empty() || head.ends_with([':', '：']) && head.matches([':', '：']).count() == 1 {
                    continue;
                }
                // Prose glued after scraped metadata (`Visits: 123 The mayor opened …`): only
                // the metadata goes, and only when the prose starts a sentence.
                let starts_sentence = content[prose..].chars().next().is_some_and(char::is_uppercase);
                if starts_sentence {
                    let span = Span::new(content_start, content_start + prose);
                    sink.fix(
                        rule,
                        Span::new(content_start, content_start + head.len()),
                        &[],
                        vec![Edit::delete(span)],
                        Applicability::Safe,
                    );
                    continue;
                }
                applicability = Applicability::Unsafe;
            }
            let (trimmed, removal) = line_removal(doc, line);
            sink.fix(rule, trimmed, &[], vec![Edit::delete(removal)], applicability);
        }
        for (rule, vocabulary) in &self.shapes {
            if sink.is_active(*rule) {
                shape::check(vocabulary, *rule, doc, &taken, sink);
            }
        }
    }
}

/// A line's trimmed content and what deleting the whole line removes: the line with its
/// terminator, and between blank lines (or at the top) the blank line after it too, so the
/// removal leaves one paragraph break rather than two; a last line without a terminator takes
/// the line breaks before it.
fn line_removal(doc: &Document, line: Span) -> (Span, Span) {
    let text = &doc.text;
    let after = &text[line.end..];
    let terminator = if after.starts_with("\r\n") {
        2
    } else {
        usize::from(after.starts_with('\n'))
    };
    let blank_before =
        line.start == doc.body || text[..line.start].ends_with("\n\n") || text[..line.start].ends_with("\n\r\n");
    let removal = if terminator > 0 {
        // Between blank lines (or at the top), the blank line after goes too, so the
        // removal leaves one paragraph break rather than two.
        let next = line.end + terminator;
        let rest = &text[next..];
        let blank_after = if rest.starts_with("\r\n") {
            2
        } else {
            usize::from(rest.starts_with('\n'))
        };
        let extra = if blank_before { blank_after } else { 0 };
        Span::new(line.start, next + extra)
    } else {
        let mut start = line.start;
        // The last line takes the line breaks before it, back to the text.
        while start > doc.body && text.as_bytes()[start - 1] == b'\n' {
            start -= 1;
            if start > doc.body && text.as_bytes()[start - 1] == b'\r' {
                start -= 1;
            }
            if !blank_before {
                break;
            }
        }
        Span::new(start, line.end)
    };
    let trimmed = Span::new(
        line.start + (line.len() - line.text(text).trim_start().len()),
        line.start + line.text(text).trim_end().len(),
    );
    (trimmed, removal)
}

/// Where running prose starts in a line, if it holds any: the first run of at least five
/// words, three of them in lower case, not broken by digits, colons, commas or separators.
/// Scraped metadata (`Date: 2017-8-3 11:29`, `Source: Xianning Daily`, `Font size: large,
/// medium and small`) holds short values; a sentence holds such a run.
fn prose_start(line: &str) -> Option<usize> {
    const MIN_WORDS: usize = 5;
    const MIN_LOWER: usize = 3;
    let mut run_start = None;
    let (mut words, mut lower) = (0, 0);
    for (at, token) in tokens(line) {
        let word = token.trim_end_matches(['.', ',', ';', '!', '?', '"', '\'', '”', '’', ')']);
        let is_word = !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_alphabetic() || c == '\'' || c == '’' || c == '-')
            && word.chars().next().is_some_and(char::is_alphabetic);
        if !is_word {
            run_start = None;
            (words, lower) = (0, 0);
            continue;
        }
        let start = *run_start.get_or_insert(at);
        words += 1;
        lower += usize::from(word.chars().all(|c| !c.is_uppercase()));
        if words >= MIN_WORDS && lower >= MIN_LOWER {
            return Some(start);
        }
        if token.len() != word.len() && !token.ends_with(['"', '\'', '”', '’', ')']) {
            // A comma or a full stop ends the run; a sentence is long enough before it.
            run_start = None;
            (words, lower) = (0, 0);
        }
    }
    None
}

/// White-space-separated tokens with their byte offsets.
fn tokens(line: &str) -> impl Iterator<Item = (usize, &str)> {
    line.split_whitespace()
        .map(move |t| (t.as_ptr() as usize - line.as_ptr() as usize, t))
}

#[cfg(test)]
mod tests {
    use super::{prose_start, BoilerplateCheck};
    use crate::config::rulefile::parse_rule_file;

    fn check(lines: &[&str]) -> BoilerplateCheck {
        let mut toml = String::from("[pack]\nname = \"t\"\n");
        for (i, l) in lines.iter().enumerate() {
            toml += &format!("[[rule]]\nid = \"r{i}\"\nkind = \"boilerplate\"\nlines = ['{l}']\n");
        }
        let rules = parse_rule_file(std::path::Path::new("t.toml"), &toml).unwrap();
        let defs: Vec<_> = rules.iter().enumerate().map(|(i, r)| (i, &r.def)).collect();
        BoilerplateCheck::new(&defs).unwrap()
    }

    #[test]
    fn the_first_pattern_that_matches_takes_the_line() {
        // With start literals and without, in both orders.
        let c = check(&[r"\d+ views?", "source:.*", r"source: \w+", r".*daily"]);
        assert_eq!(c.first_match("Source: Xianning Daily"), Some(1));
        assert_eq!(c.first_match("302 views"), Some(0));
        assert_eq!(c.first_match("Xianning Daily"), Some(3));
        assert_eq!(c.first_match("Sources differ"), None);
        let c = check(&[r".*daily", "source:.*"]);
        assert_eq!(c.first_match("SOURCE: Xianning Daily"), Some(0));
        assert_eq!(c.first_match("source: the mayor"), Some(1));
    }

    #[test]
    fn ten_thousand_labelled_lines_compile() {
        let labels: Vec<String> = (0..10_000).map(|i| format!("label {i}:.*")).collect();
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let c = check(&labels);
        assert_eq!(c.first_match("Label 9999: anything"), Some(9999));
        assert_eq!(c.first_match("Label 99999: anything"), None);
    }

    #[test]
    fn metadata_holds_no_prose() {
        for meta in [
            "Number of visits: Date:2017-8-3 11:29",
            "Source: Xianning Daily Date: 2019-12-31 Font size: large, medium and small",
            "TypeInfo: Industry News",
            "Editor: Zhang Wei",
            "Release time: 2021-03-04 Views: 302",
        ] {
            assert_eq!(prose_start(meta), None, "{meta}");
        }
    }

    #[test]
    fn sentences_are_prose() {
        let line = "Reading: students read two novels a term and discuss them in class.";
        assert_eq!(prose_start(line), Some(9));
        let line = "Number of visits: 123 The mayor opened the fair and 181 companies took part.";
        assert_eq!(&line[prose_start(line).unwrap()..][..9], "The mayor");
    }
}
