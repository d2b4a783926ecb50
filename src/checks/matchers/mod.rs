//! Matchers the check kinds share: terms matched as whole words ([`WordTerms`]), and
//! characters and a few short strings found with SIMD scans ([`CharSet`], [`ShortStrings`]).

mod chars;
mod words;

pub use chars::{next_non_ascii, non_ascii_runs, CharSet, ShortStrings};
pub use words::WordTerms;
