//! The command line's view of its inputs: the options that choose them, what was skipped,
//! and the exit status over a run. Finding the inputs is the library's (`crate::inputs`).

use std::path::PathBuf;

use super::SharedArgs;
pub use crate::inputs::{collect, fail_level, rule_catalog, Collected, Input, InputOptions, Profiles};
use crate::output::FileReport;

impl SharedArgs {
    /// What these options say about the inputs.
    pub fn input_options(&self) -> InputOptions {
        InputOptions {
            config: self.config.clone(),
            overrides: self.overrides(),
            input_format: self.input_format,
            lossy: self.lossy,
            stdin: self.stdin,
            stdin_filename: self.stdin_filename.clone(),
        }
    }
}

/// With `--verbose`, names each skipped file and why on standard error.
pub fn say_skipped(collected: &Collected, shared: &SharedArgs) {
    if shared.verbose {
        for s in &collected.skipped {
            eprintln!(
                "skipped {}: {}",
                crate::output::sanitize::one_line(&s.path.display().to_string()),
                s.why
            );
        }
    }
}

/// True when the command reads standard input: `--stdin`, or `-` as the only path.
pub fn reads_stdin(paths: &[PathBuf], shared: &SharedArgs) -> bool {
    shared.stdin || (paths.len() == 1 && paths[0].as_os_str() == "-")
}

/// Tracks the exit status over a run: 2 if a file could not be checked, 1 if a finding is at
/// or above its profile's fail level, else 0.
#[derive(Debug, Default, Clone, Copy)]
pub struct Status {
    pub errors: bool,
    pub failing: bool,
}

impl Status {
    pub fn add(&mut self, input: &Input, r: &FileReport) {
        self.errors |= r.error().is_some();
        self.failing |= r.diagnostics().iter().any(|d| d.severity >= input.profile().fail_on);
    }

    /// Counts findings of `input` written as they were found (its report holds none).
    pub fn add_findings(&mut self, input: &Input, diags: &[crate::diagnostic::Diagnostic]) {
        self.failing |= diags.iter().any(|d| d.severity >= input.profile().fail_on);
    }

    pub fn code(self) -> u8 {
        if self.errors {
            super::EXIT_ERROR
        } else if self.failing {
            super::EXIT_FINDINGS
        } else {
            super::EXIT_OK
        }
    }
}
