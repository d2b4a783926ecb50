//! `boilerplate`: whole lines of scraped web page chrome, matched by the rules' patterns
//! (`lines`) or judged by their shape and their neighbours ([`shape`]).

mod shape;

use regex::{RegexSet, RegexSetBuilder};

use super::{Check, RuleIdx, Sink, REGEX_NEST_LIMIT, REGEX_SIZE_LIMIT};
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
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, String> {
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
        super::pattern::check_regex(&anchored(l), true).map_err(|e| ("lines", e))?;
    }
    Ok(())
}

fn anchored(p: &str) -> String {
    format!(r"^(?:{p})$")
}

/// All `boilerplate` rules compiled: their line patterns in one set, their page-chrome vocabularies.
pub struct BoilerplateCheck {
    set: RegexSet,
    /// Set pattern → rule.
    owners: Vec<RuleIdx>,
    /// Rules that judge lines by their shape.
    shapes: Vec<(RuleIdx, shape::Vocabulary)>,
}

impl BoilerplateCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Result<Self, String> {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        let mut shapes = Vec::new();
        for &(rule, def) in rules {
            let def: &BoilerplateParams = def.params();
            for l in &def.lines {
                patterns.push(anchored(l));
                owners.push(rule);
            }
            if shape::Vocabulary::is_set(def) {
                shapes.push((rule, shape::Vocabulary::new(def)));
            }
        }
        let set = RegexSetBuilder::new(&patterns)
            .case_insensitive(true)
            .size_limit(REGEX_SIZE_LIMIT * 4)
            .nest_limit(REGEX_NEST_LIMIT)
            .build()
            .map_err(|e| {
                format!(
                    "boilerplate rules, compiled together: {}",
                    super::describe_regex_error(&e)
                )
            })?;
        Ok(BoilerplateCheck { set, owners, shapes })
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
            let Some(i) = self.set.matches(content).iter().next() else {
                continue;
            };
            taken.push(line.start);
            let rule = self.owners[i];
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
    use super::prose_start;

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
