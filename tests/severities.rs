//! Severity is triage (docs/rules-and-kinds.md, "Severities"): `error` when the meaning is
//! wrong or the text damaged, `warning` when a reader will notice, `info` for style and house
//! style. Every shipped rule is listed here with the severity it ships with, so a change of
//! severity, or a new rule, is a decision someone wrote down.

use std::collections::BTreeMap;

use mtlint::config::builtin_rules;
use mtlint::diagnostic::Severity::{self, Error, Info, Warning};

const TABLE: &[(&str, Severity)] = &[
    ("bilingual/number-mismatch", Error),
    ("bilingual/empty-target", Error),
    ("bilingual/copied-source", Error),
    ("bilingual/source-script-left", Error),
    ("bilingual/placeholder-missing", Error),
    ("bilingual/placeholder-added", Error),
    ("bilingual/placeholder-order", Warning),
    ("bilingual/inconsistent-translation", Warning),
    ("bilingual/ambiguous-translation", Info),
    ("bilingual/length-outlier", Info),
    ("de/anfuehrungszeichen-unausgeglichen", Warning),
    ("de/anfuehrungszeichen-doppelt", Warning),
    ("de/anfuehrungszeichen-gemischt", Info),
    ("de/englische-anfuehrungszeichen", Warning),
    ("de/leerzeichen-vor-satzzeichen", Warning),
    ("de/doppeltes-leerzeichen", Info),
    ("de/satz-zu-lang", Warning),
    ("de/wortwiederholung", Warning),
    ("de/nicht-uebersetzt", Error),
    ("de/unsichtbares-zeichen", Warning),
    ("de/chinesische-satzzeichen", Warning),
    ("en/web-navigation", Warning),
    ("en/page-chrome", Warning),
    ("en/untranslated", Error),
    ("en/invisible-character", Warning),
    ("en/control-character", Error),
    ("en/not-nfc", Info),
    ("en/no-break-space", Info),
    ("en/run-on", Warning),
    ("en/repeated-word", Warning),
    ("en/repeated-phrase", Warning),
    ("en/name-case", Warning),
    ("en/name-variant", Warning),
    ("en/title-case", Warning),
    ("en/heading-case", Warning),
    ("en/unbalanced-quote", Warning),
    ("en/doubled-quote", Warning),
    ("en/detached-quote", Warning),
    ("en/mixed-quote-style", Info),
    ("en/lost-quote", Warning),
    ("en/misspelling", Warning),
    ("en/unknown-word", Info),
    ("en/space-before-punctuation", Warning),
    ("en/double-space", Info),
    ("en/missing-space-after-punctuation", Warning),
    ("en/chinese-list-numbering", Warning),
    ("en/fullwidth-punctuation", Warning),
    ("en/ampersand-spacing", Warning),
    ("en/ellipsis-after-colon", Warning),
    ("en/date-preposition", Warning),
    ("en/ordinal-suffix-st", Warning),
    ("en/ordinal-suffix-nd", Warning),
    ("en/ordinal-suffix-rd", Warning),
    ("en/ordinal-suffix-th", Warning),
    ("en/split-decimal", Warning),
    ("en/million-and-thousand", Warning),
    ("en/glued-date", Warning),
    ("en/glued-punctuation", Warning),
    ("en/doubled-punctuation", Warning),
    ("en/list-number-space", Warning),
    ("en/space-inside-quotes", Warning),
    ("en/backtick-apostrophe", Warning),
    ("en/etc-full-stop", Warning),
    ("en/uncountable-plural", Warning),
    ("en/space-inside-parentheses", Warning),
    ("en/split-thousands", Warning),
    ("en/glued-function-word", Warning),
    ("en/glued-parenthesis", Warning),
    ("en/glued-colon", Warning),
    ("en/percent-space", Info),
    ("en/doubled-full-stop", Warning),
    ("en/product-name-case", Warning),
    ("en/paragraph-case", Warning),
    ("en/semicolon-case", Warning),
    ("en/full-stop-case", Warning),
    ("en/acronym-case", Warning),
    ("en/common-word-capital", Warning),
    ("en/title-line-case", Warning),
    ("en/can-not", Warning),
    ("en/recent-year", Warning),
    ("en/at-that-night", Warning),
    ("en/past-after-modal", Warning),
    ("en/these-uncountable", Warning),
    ("en/those-uncountable", Warning),
    ("en/spare-no-efforts", Warning),
    ("en/with-time-goes-on", Warning),
    ("en/passive-base-form", Warning),
    ("en/a-uncountable", Warning),
    ("en/non-prefix-spaced", Warning),
    ("en/reversed-curly-quotes", Warning),
    ("en/markdown-heading-space", Warning),
    ("en/markdown-image-space", Warning),
    ("en/emphasis-inner-space", Warning),
    ("en/in-ago", Warning),
    ("en/its-before-article", Warning),
    ("en/born-present", Warning),
    ("en/said-after-quote", Warning),
    ("encoding/mojibake", Error),
    ("encoding/html-entity", Warning),
    ("fr/espace-insecable", Info),
    ("fr/guillemets-desequilibres", Warning),
    ("fr/guillemets-doubles", Warning),
    ("fr/guillemets-droits", Info),
    ("fr/espace-avant-virgule", Warning),
    ("fr/double-espace", Info),
    ("fr/phrase-trop-longue", Warning),
    ("fr/mot-repete", Warning),
    ("fr/non-traduit", Error),
    ("fr/caractere-invisible", Warning),
    ("fr/ponctuation-chinoise", Warning),
    ("zh/halfwidth-punctuation", Warning),
    ("zh/cjk-latin-spacing", Info),
    ("zh/unbalanced-quote", Warning),
    ("zh/doubled-punctuation", Warning),
    ("zh/run-on", Warning),
    ("zh/invisible-character", Warning),
    ("zh/untranslated", Error),
    ("zh-en/site-metadata", Warning),
    ("zh-en/party-capital", Info),
    ("zh-en/chamber-of-commerce", Warning),
    ("zh-en/holiday-case", Warning),
    ("zh-en/institution-case", Warning),
    ("zh-en/institution-lower-case", Warning),
    ("zh-en/reporter-without-article", Warning),
    ("zh-en/original-intention", Warning),
    ("zh-en/train-locomotive", Error),
    ("zh-en/both-hands-hard", Error),
    ("zh-en/bricks-and-tiles", Warning),
    ("zh-en/people-mountain", Warning),
    ("zh-en/romanised-name", Warning),
    ("zh-en/source-term", Error),
    ("zh-en/source-term-choice", Error),
    ("zh-en/guzhen", Error),
    ("zh-en/party-building", Error),
    ("zh-en/eyewear-mirror", Error),
    ("zh-en/eye-care-day", Error),
    ("zh-en/model-post", Error),
    ("zh-en/starlight-alliance", Error),
    ("zh-en/cpc-terms", Error),
    ("zh-en/cpc-context", Error),
    ("zh-en/institutions", Error),
    ("zh-en/economy-terms", Error),
    ("zh-en/society-terms", Error),
    ("zh-en/blockchain-terms", Error),
    ("zh-en/tech-terms", Error),
    ("zh-en/tech-context", Error),
    ("zh-en/alibaba-terms", Error),
    ("zh-en/astronomy-terms", Error),
    ("zh-en/zookeeper-terms", Error),
    ("zh-en/ddd-terms", Error),
    ("zh-en/microservice-terms", Error),
    ("zh-en/database-terms", Error),
    ("zh-en/ticket-not-lading", Error),
    ("zh-en/china-context", Error),
    ("zh-en/literal-terms", Error),
    ("zh-en/school-subjects", Error),
    ("zh-en/heartbeat-packet", Error),
    ("zh-en/since-18th-congress", Error),
    ("zh-en/since-eighteen-years", Error),
    ("zh-en/compacting-responsibility", Error),
    ("zh-en/grasp-hand", Error),
    ("zh-en/landing-of-projects", Error),
    ("zh-en/short-board", Error),
    ("zh-en/green-mountains", Error),
    ("zh-en/autonomous-prefecture", Error),
    ("zh-en/banner-not-flag", Error),
    ("zh-en/my-city-government", Error),
];

#[test]
fn every_shipped_rule_has_the_severity_of_its_defect() {
    let rules = builtin_rules().expect("the shipped packs load");
    let table: BTreeMap<&str, Severity> = TABLE.iter().copied().collect();
    let mut wrong = Vec::new();
    for r in rules {
        let id = r.full_id();
        let shipped = r.def.severity.unwrap_or(Warning);
        match table.get(id.as_str()) {
            Some(&want) if want == shipped => {}
            Some(&want) => wrong.push(format!("{id}: ships as {shipped}, the table says {want}")),
            None => wrong.push(format!(
                "{id}: not in the table (add it with the severity docs/rules-and-kinds.md gives its defect)"
            )),
        }
    }
    for id in table.keys() {
        if !rules.iter().any(|r| r.full_id() == *id) {
            wrong.push(format!("{id}: in the table but not shipped"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn mistranslated_names_outweigh_spacing_and_house_style() {
    let rules = builtin_rules().expect("the shipped packs load");
    let severity = |id: &str| {
        rules
            .iter()
            .find(|r| r.full_id() == id)
            .map(|r| r.def.severity.unwrap_or(Warning))
            .unwrap_or_else(|| panic!("{id} is shipped"))
    };
    // The issue that set these: a mistranslated name weighed the same as `R & D`.
    assert!(severity("zh-en/guzhen") > severity("en/ampersand-spacing"));
    assert!(severity("en/ampersand-spacing") > severity("zh-en/party-capital"));
    assert_eq!(severity("encoding/mojibake"), Error);
    assert_eq!(severity("en/no-break-space"), Info);
}
