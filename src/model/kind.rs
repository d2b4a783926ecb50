//! Check kinds as the rule model sees them: a descriptor per kind, and each rule's kind
//! parameters as the kind's own typed struct.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::diagnostic::Applicability;

/// What a check kind is, for the code that loads and describes rules. Each kind module in
/// `checks/` defines one and the checks' registry lists it; nothing else names a kind.
pub struct Kind {
    /// The name rule files use (`kind = "term"`).
    pub name: &'static str,
    /// MQM category reported when the rule names none.
    pub category: &'static str,
    /// Message used when the rule names none; `{match}` is the flagged text.
    pub message: &'static str,
    /// The user documentation of the kind, printed by `mtlint explain`.
    pub doc: &'static str,
    /// True for kinds that are about the text the `protect` module shields from prose checks
    /// (invisible characters, bilingual placeholders and numbers): they report inside URLs,
    /// placeholders and code shapes too.
    pub sees_protected: bool,
    /// True for kinds that compare a bilingual segment's target with its source: when two
    /// rules report the same defect, theirs is the finding kept.
    pub reads_source: bool,
    /// Reads a rule's kind parameters (the table without the common fields).
    pub parse: fn(toml::Table) -> Result<Params, ParamError>,
}

impl fmt::Debug for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for Kind {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Kind {}

/// A kind's parameter struct: read with serde (unknown keys rejected), checked at load time.
pub trait KindParams: Any + fmt::Debug + Send + Sync {
    /// Load-time checks beyond the types (a parameter another one needs, a regex that must
    /// compile). On error, the key to point at and the message.
    fn validate(&self) -> Result<(), (&'static str, String)> {
        Ok(())
    }

    /// How safe the fixes of a rule with these parameters are at best; `None` when it only
    /// flags. `mtlint rules` shows it.
    fn fixes(&self) -> Option<Applicability>;

    /// How many glossary entries the rule compiles (counted against the run's limit).
    fn glossary_terms(&self) -> usize {
        0
    }

    /// The replacements the rule writes into documents, with the key each is under (capped
    /// in size at load time).
    fn replacements(&self) -> Vec<(&'static str, &str)> {
        Vec::new()
    }
}

/// A rule's kind parameters, typed by its kind.
#[derive(Clone)]
pub struct Params(Arc<dyn KindParams>);

impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Params {
    /// Wraps a kind's parameter struct.
    pub fn new<P: KindParams>(params: P) -> Self {
        Params(Arc::new(params))
    }

    /// The parameters as `P`. Every kind's `parse` builds its own type and its `compile`
    /// asks for the same, so a mismatch is a bug in the registry, reported with the kind.
    pub fn get<P: KindParams>(&self, kind: &Kind) -> &P {
        let any: &dyn Any = &*self.0;
        match any.downcast_ref::<P>() {
            Some(p) => p,
            None => panic!(
                "the parameters of a `{}` rule are not a {}",
                kind.name,
                std::any::type_name::<P>()
            ),
        }
    }
}

impl std::ops::Deref for Params {
    type Target = dyn KindParams;

    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

/// A kind parameter that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamError {
    /// A key the kind does not take; `expected` lists the ones it does (`a, b`), or is empty.
    Unknown { key: String, expected: String },
    /// A value of the wrong type or out of range, at `key` when known.
    Invalid { key: Option<String>, message: String },
}

impl ParamError {
    /// The key to point at, if known.
    pub fn key(&self) -> Option<&str> {
        match self {
            ParamError::Unknown { key, .. } => Some(key),
            ParamError::Invalid { key, .. } => key.as_deref(),
        }
    }

    /// The error for a rule of kind `kind`.
    pub fn message(&self, kind: &str) -> String {
        match self {
            ParamError::Unknown { key, expected } => format!(
                "`{key}` is not a parameter of kind `{kind}` (its parameters: {})",
                if expected.is_empty() { "none" } else { expected }
            ),
            ParamError::Invalid { message, .. } => message.clone(),
        }
    }
}

/// Reads kind parameters into `P`: what a kind's [`Kind::parse`] usually is. Serde's
/// messages are turned into a rule writer's terms, and the error placed at its key.
pub fn parse_params<P: KindParams + DeserializeOwned>(table: toml::Table) -> Result<Params, ParamError> {
    let err = match P::deserialize(toml::Value::Table(table.clone())) {
        Ok(p) => return Ok(Params::new(p)),
        Err(e) => e,
    };
    let message = err.message().trim();
    if let Some((field, expected)) = unknown_field(message) {
        return Err(ParamError::Unknown {
            key: field.to_string(),
            expected,
        });
    }
    // Serde names no key for a value of the wrong type. Every parameter has a default, so
    // the key is the one whose value the struct refuses on its own.
    let key = table.keys().find(|k| {
        let one: toml::Table = table
            .iter()
            .filter(|(o, _)| o == k)
            .map(|(o, v)| (o.clone(), v.clone()))
            .collect();
        P::deserialize(toml::Value::Table(one)).is_err()
    });
    let message = match (key.map(String::as_str), unknown_variant(message)) {
        (Some("check"), Some((value, choices))) => {
            format!("unknown check `{value}` (expected one of: {choices})")
        }
        (Some(k), _) => format!("`{k}`: {message}"),
        (None, _) => message.to_string(),
    };
    Err(ParamError::Invalid {
        key: key.cloned(),
        message,
    })
}

/// The field and the expected ones (`a, b`, or empty) named by serde's "unknown field `x`,
/// expected one of `a`, `b`" message.
fn unknown_field(message: &str) -> Option<(&str, String)> {
    let rest = message.strip_prefix("unknown field `")?;
    let field = &rest[..rest.find('`')?];
    let expected = match rest.split_once("expected ") {
        Some((_, list)) => list.strip_prefix("one of ").unwrap_or(list).replace('`', ""),
        None => String::new(),
    };
    Some((field, expected))
}

/// The value and the choices named by serde's "unknown variant `x`, expected one of `a`,
/// `b`" message, the choices as `a, b`.
fn unknown_variant(message: &str) -> Option<(&str, String)> {
    let rest = message.strip_prefix("unknown variant `")?;
    let value = &rest[..rest.find('`')?];
    let choices = rest.split_once("expected ")?.1;
    let choices = choices.strip_prefix("one of ").unwrap_or(choices);
    Some((value, choices.replace('`', "")))
}

/// A parameter written as one string or a list of strings.
pub fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match <OneOrMany as serde::Deserialize>::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}
