//! `pattern`: regular expressions with a message and a replacement template, prefiltered by
//! one `RegexSet` so the text is scanned once for all rules before any rule runs.

use regex::{Regex, RegexSet, RegexSetBuilder};

use super::{build_regex, is_word_char, match_case, Check, RuleIdx, Sink, REGEX_NEST_LIMIT, REGEX_SIZE_LIMIT};
use crate::config::rulefile::RuleDef;
use crate::diagnostic::{Applicability, Edit};
use crate::document::Document;
use crate::span::Span;

pub fn validate(def: &RuleDef) -> Result<(), (&'static str, String)> {
    let Some(p) = &def.pattern else {
        return Err((
            "pattern",
            "a pattern rule needs `pattern` (a regular expression)".into(),
        ));
    };
    let re = build_regex(p, !def.case_sensitive.unwrap_or(true)).map_err(|e| ("pattern", e))?;
    if re.is_match("") {
        return Err((
            "pattern",
            "the pattern matches the empty string; it would flag every position".into(),
        ));
    }
    if let Some(r) = &def.replace {
        let mut groups: Vec<&str> = re.capture_names().flatten().collect();
        let n = re.captures_len();
        let mut i = 0;
        let b = r.as_bytes();
        while i < b.len() {
            if b[i] == b'$' && i + 1 < b.len() && b[i + 1] != b'$' {
                let rest = &r[i + 1..];
                let name: String = if let Some(inner) = rest.strip_prefix('{') {
                    inner.split('}').next().unwrap_or("").to_string()
                } else {
                    rest.chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect()
                };
                let ok = match name.parse::<usize>() {
                    Ok(k) => k < n,
                    Err(_) => groups.contains(&name.as_str()),
                };
                if !ok {
                    return Err((
                        "replace",
                        format!("`replace` refers to ${name}, which the pattern does not capture"),
                    ));
                }
                i += 1;
            } else if b[i] == b'$' {
                i += 2;
                continue;
            }
            i += 1;
        }
        groups.clear();
    }
    Ok(())
}

pub struct PatternCheck {
    set: RegexSet,
    regexes: Vec<Regex>,
    rules: Vec<RuleIdx>,
    replaces: Vec<Option<String>>,
}

impl PatternCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Result<Self, String> {
        let mut sources = Vec::new();
        let mut regexes = Vec::new();
        for (_, def) in rules {
            let p = def.pattern.as_deref().unwrap_or("");
            let ci = !def.case_sensitive.unwrap_or(true);
            regexes.push(build_regex(p, ci)?);
            sources.push(if ci { format!("(?im:{p})") } else { format!("(?m:{p})") });
        }
        let set = RegexSetBuilder::new(&sources)
            .size_limit(REGEX_SIZE_LIMIT * 4)
            .nest_limit(REGEX_NEST_LIMIT)
            .build()
            .map_err(|e| format!("pattern rules, compiled together: {}", super::describe_regex_error(&e)))?;
        Ok(PatternCheck {
            set,
            regexes,
            rules: rules.iter().map(|r| r.0).collect(),
            replaces: rules.iter().map(|r| r.1.replace.clone()).collect(),
        })
    }
}

impl Check for PatternCheck {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        let text = doc.text.as_str();
        for i in self.set.matches(text).iter() {
            let rule = self.rules[i];
            if !sink.is_active(rule) {
                continue;
            }
            for caps in self.regexes[i].captures_iter(text) {
                let m = caps.get(0).expect("group 0 always matches");
                if m.is_empty() {
                    continue;
                }
                let span = Span::new(m.start(), m.end());
                let groups: Vec<(String, String)> = (1..caps.len())
                    .filter_map(|g| caps.get(g).map(|c| (g.to_string(), c.as_str().to_string())))
                    .collect();
                let args: Vec<(&str, &str)> = groups.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                match &self.replaces[i] {
                    Some(template) => {
                        let mut out = String::new();
                        caps.expand(template, &mut out);
                        // A capitalised match at a sentence start keeps its capital.
                        let starts_upper = m.as_str().starts_with(|c: char| c.is_uppercase())
                            && out.starts_with(|c: char| c.is_lowercase());
                        if starts_upper && !text[..m.start()].ends_with(is_word_char) {
                            out = match_case(m.as_str(), &out);
                        }
                        sink.fix(rule, span, &args, vec![Edit::replace(span, out)], Applicability::Safe);
                    }
                    None => sink.flag(rule, span, &args),
                }
            }
        }
    }
}
