//! `untranslated`: a target that is empty, a copy of its source, or still holds text in the
//! source's script.

use super::{Check, CompileError, RuleIdx, Sink};
use crate::diagnostic::Applicability;
use crate::document::Document;
use crate::formats::Segment;
use crate::model::{parse_params, Kind, KindParams, RuleDef};
use crate::span::Span;

super::sub_checks! {
    /// The `untranslated` sub-checks.
    Sub {
        Empty = "empty",
        Same = "same",
        SourceScript = "source-script",
    }
}

/// The `untranslated` kind.
pub static KIND: Kind = Kind {
    name: "untranslated",
    category: "accuracy/untranslated",
    message: "{problem}",
    doc: include_str!("untranslated.md"),
    sees_protected: false,
    reads_source: true,
    parse: parse_params::<UntranslatedParams>,
};

/// Compiles every `untranslated` rule into one check.
pub fn compile(rules: &[(RuleIdx, &RuleDef)]) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(UntranslatedCheck::new(rules)))
}

/// A `untranslated` rule's parameters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UntranslatedParams {
    pub check: Option<Sub>,
    pub min_length: Option<usize>,
}

impl KindParams for UntranslatedParams {
    fn fixes(&self) -> Option<Applicability> {
        None
    }
}

/// Scripts told apart here: enough to see source text left in a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Han,
    Kana,
    Hangul,
    Cyrillic,
    Greek,
    Arabic,
    Hebrew,
    Thai,
    Devanagari,
    Latin,
}

impl Script {
    fn of(c: char) -> Option<Script> {
        Some(match c as u32 {
            0x3040..=0x30FF | 0x31F0..=0x31FF => Script::Kana,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF => Script::Han,
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
            0x0400..=0x052F => Script::Cyrillic,
            0x0370..=0x03FF => Script::Greek,
            0x0600..=0x06FF | 0x0750..=0x077F => Script::Arabic,
            0x0590..=0x05FF => Script::Hebrew,
            0x0E00..=0x0E7F => Script::Thai,
            0x0900..=0x097F => Script::Devanagari,
            _ if c.is_alphabetic() && (c as u32) < 0x250 => Script::Latin,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Script::Han => "Chinese",
            Script::Kana => "Japanese",
            Script::Hangul => "Korean",
            Script::Cyrillic => "Cyrillic",
            Script::Greek => "Greek",
            Script::Arabic => "Arabic",
            Script::Hebrew => "Hebrew",
            Script::Thai => "Thai",
            Script::Devanagari => "Devanagari",
            Script::Latin => "Latin",
        }
    }
}

/// The script most letters of `text` are in (kana makes Han text Japanese).
fn main_script(text: &str) -> Option<Script> {
    let mut counts: Vec<(Script, usize)> = Vec::new();
    for s in text.chars().filter_map(Script::of) {
        match counts.iter_mut().find(|(k, _)| *k == s) {
            Some((_, n)) => *n += 1,
            None => counts.push((s, 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts.first().map(|c| c.0)
}

/// The script a target language is written in.
fn language_script(lang: &str) -> Script {
    match lang {
        "zh" | "yue" => Script::Han,
        "ja" => Script::Kana,
        "ko" => Script::Hangul,
        "ru" | "uk" | "bg" | "sr" | "be" | "mk" | "kk" => Script::Cyrillic,
        "el" => Script::Greek,
        "ar" | "fa" | "ur" => Script::Arabic,
        "he" | "yi" => Script::Hebrew,
        "th" => Script::Thai,
        "hi" | "mr" | "ne" => Script::Devanagari,
        _ => Script::Latin,
    }
}

fn same_script(source: Script, c: char) -> bool {
    match Script::of(c) {
        Some(s) => s == source || (source == Script::Kana && s == Script::Han),
        None => false,
    }
}

/// All `untranslated` rules: each rule's sub-check and the shortest text it judges.
pub struct UntranslatedCheck {
    rules: Vec<(RuleIdx, Option<String>, usize)>,
}

impl UntranslatedCheck {
    pub fn new(rules: &[(RuleIdx, &RuleDef)]) -> Self {
        UntranslatedCheck {
            rules: rules
                .iter()
                .map(|(i, d)| (*i, d.params::<UntranslatedParams>()))
                .map(|(i, d)| (i, d.check.map(|c| c.name().to_string()), d.min_length.unwrap_or(2)))
                .collect(),
        }
    }
}

fn normalized(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Check for UntranslatedCheck {
    fn check(&self, doc: &Document, sink: &mut Sink<'_>) {
        let target_script = Some(language_script(&doc.language));
        for seg in &doc.segments {
            if seg.source.trim().is_empty() {
                continue;
            }
            for (rule, check, min_words) in &self.rules {
                if !sink.is_active(*rule) {
                    continue;
                }
                let wants = |c: &str| check.as_deref().is_none_or(|x| x == c);
                let empty = seg.target_text.trim().is_empty();
                if empty {
                    if wants("empty") {
                        let problem = format!("untranslated: the target of \"{}\" is empty", short(&seg.source));
                        sink.push_unmasked(*rule, seg.anchor(), &[("problem", &problem)], None, Vec::new());
                    }
                    continue;
                }
                let target = seg.target.unwrap_or(seg.source_span);
                let has_letters = seg.source.chars().any(char::is_alphabetic);
                let identical = normalized(&seg.source) == normalized(&seg.target_text);
                if identical && has_letters && crate::segment::count_words(&seg.source) >= *min_words && wants("same") {
                    sink.flag(
                        *rule,
                        target,
                        &[("problem", "untranslated: the target is a copy of the source")],
                    );
                    continue;
                }
                if wants("source-script") {
                    source_script_runs(doc, seg, target, target_script, *rule, sink);
                }
            }
        }
    }
}

/// Flags runs of the source's script in the target, when the target language writes another.
fn source_script_runs(
    doc: &Document,
    seg: &Segment,
    target: Span,
    target_script: Option<Script>,
    rule: RuleIdx,
    sink: &mut Sink<'_>,
) {
    let Some(source_script) = main_script(&seg.source) else {
        return;
    };
    if source_script == Script::Latin || Some(source_script) == target_script {
        return;
    }
    let raw = target.text(&doc.text);
    let mut run: Option<(usize, usize)> = None;
    let mut runs = Vec::new();
    for (i, c) in raw.char_indices() {
        if same_script(source_script, c) {
            run = Some(match run {
                Some((s, _)) => (s, i + c.len_utf8()),
                None => (i, i + c.len_utf8()),
            });
        } else if !(c.is_whitespace()
            || ('\u{3000}'..='\u{303f}').contains(&c)
            || ('\u{ff00}'..='\u{ff0f}').contains(&c))
        {
            runs.extend(run.take());
        }
    }
    runs.extend(run);
    for (s, e) in runs {
        let span = Span::new(s, e).shifted(target.start);
        let problem = format!(
            "untranslated {} text \"{}\" left in the target",
            source_script.name(),
            short(span.text(&doc.text))
        );
        sink.flag(rule, span, &[("problem", &problem)]);
    }
}

fn short(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= 40 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(39).collect::<String>())
    }
}
