//! Why a kind's rules did not compile: the typed errors of each kind's `compile`. Their
//! messages are in a rule writer's terms; the library's own error is kept as the source.

use regex_automata::nfa::thompson;

/// Why the rules of one kind could not be compiled together.
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    /// A rule's regular expression does not parse, or is too large.
    #[error("{source}")]
    Regex {
        /// The rule's id within its pack.
        rule: String,
        source: RegexError,
    },
    /// The `pattern` rules' regexes, compiled together into one set, did not build.
    #[error("pattern rules, compiled together: {}", pattern_set(.0))]
    PatternSet(#[source] Box<thompson::BuildError>),
    /// The `boilerplate` rules' line patterns, compiled together into one set, did not build.
    #[error("boilerplate rules, compiled together: {0}")]
    BoilerplateSet(#[source] RegexError),
    /// The terms of a kind's rules did not build into one automaton; `what` names them
    /// (`term glossary`, `consistency sets`).
    #[error("{what}: {source}")]
    Automaton {
        what: &'static str,
        source: aho_corasick::BuildError,
    },
}

/// A regular expression that does not compile, as `build_regex` words it. (The libraries'
/// errors are boxed: they are large, and an error travels in every result.)
#[derive(Debug, thiserror::Error)]
pub enum RegexError {
    /// It does not parse.
    #[error("invalid regex: {}", indented(.0))]
    Syntax(#[source] Box<regex_syntax::Error>),
    /// It parses but could not be compiled to an automaton.
    #[error("invalid regex: {}", indented(.0))]
    Nfa(#[source] Box<thompson::BuildError>),
    /// `regex` refused it (for a reason other than its size).
    #[error("invalid regex: {}", indented(.0))]
    Regex(#[source] Box<regex::Error>),
    /// Compiled, it would exceed the size limit of `limit` bytes.
    #[error(
        "regex too large: compiled, it would exceed the limit of {} MiB; use smaller counted \
         repetitions (`{{1000}}` and `\\w` over all of Unicode grow fast), fewer alternatives, \
         or several rules",
        .limit / (1024 * 1024)
    )]
    TooBig { limit: usize },
}

impl From<regex::Error> for RegexError {
    fn from(e: regex::Error) -> Self {
        match e {
            regex::Error::CompiledTooBig(limit) => RegexError::TooBig { limit },
            e => RegexError::Regex(Box::new(e)),
        }
    }
}

impl From<thompson::BuildError> for RegexError {
    fn from(e: thompson::BuildError) -> Self {
        match e.size_limit() {
            Some(limit) => RegexError::TooBig { limit },
            None => RegexError::Nfa(Box::new(e)),
        }
    }
}

impl From<regex_syntax::Error> for RegexError {
    fn from(e: regex_syntax::Error) -> Self {
        RegexError::Syntax(Box::new(e))
    }
}

/// A library's multi-line message, its later lines indented under the first.
fn indented(e: &impl std::fmt::Display) -> String {
    e.to_string().replace('\n', "\n    ")
}

/// What went wrong building the `pattern` rules' set.
fn pattern_set(e: &thompson::BuildError) -> String {
    match e.size_limit() {
        Some(limit) => format!(
            "regex too large: they would exceed the limit of {} MiB; \
             use smaller counted repetitions, fewer alternatives, or split the rules into packs",
            limit / (1024 * 1024)
        ),
        None => e.to_string(),
    }
}
