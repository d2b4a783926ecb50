//! mtlint: a fast, multilingual translation-quality and text-cleanup linter.
//!
//! The flow: [`config::Profile`] loads rules (shipped packs and user files) → an
//! [`engine::Engine`] compiles them once per language → [`document::Document`]s are checked
//! in parallel → [`diagnostic::Diagnostic`]s go to an [`output`] format, or to [`fix`].

pub mod api;
pub mod baseline;
pub mod checks;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod engine;
pub mod error;
pub mod fix;
pub mod formats;
pub mod input;
pub mod inputs;
pub mod language;
pub mod model;
pub mod output;
pub mod packs;
pub mod protect;
pub mod report;
pub mod rule_examples;
pub mod runner;
pub mod sanitize;
pub mod segment;
pub mod server;
pub mod span;
#[cfg(test)]
mod testing;
pub mod timing;
pub mod write;
