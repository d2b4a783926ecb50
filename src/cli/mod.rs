//! The command line: parse arguments, run a subcommand, return the exit status.
//!
//! Exit status: 0 nothing at or above the fail level, 1 findings at or above it, 2 usage,
//! config or I/O error (one bad file never stops the others from being checked).

mod check;
pub(crate) mod explain;
mod files;
mod fix;
mod init;
mod progress;
mod records;
mod report;
mod rules;
mod test_rules;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::Overrides;
use crate::diagnostic::Severity;
use crate::output::Format;

/// The command line: a subcommand, or paths to check.
#[derive(Debug, Parser)]
#[command(
    name = "mtlint",
    version,
    about = "A fast, multilingual translation-quality and text-cleanup linter",
    long_about = "A fast, multilingual translation-quality and text-cleanup linter.\n\nChecks machine-translated articles with rules from rule files (garbled terms and names, broken quotes, run-on sentences, scraped boilerplate, spacing and punctuation, untranslated text, mojibake), reports each defect with a suggested fix, and fixes files in place.\n\n`mtlint PATHS…` is short for `mtlint check PATHS…`.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lint files and directories (the default command)
    Check(CheckArgs),
    /// Apply fixes in place (safe ones unless --unsafe-fixes); --diff shows them instead
    Fix(FixArgs),
    /// Write a review report of a whole batch: HTML for editors, Markdown for pull requests
    Report(ReportArgs),
    /// List every rule: id, kind, severity, fix, summary
    Rules(RulesArgs),
    /// Show a rule's full documentation with its examples
    Explain(ExplainArgs),
    /// Run the examples of rule files (the shipped packs when no file is given)
    TestRules(TestRulesArgs),
    /// Write a commented starter mtlint.toml
    Init(InitArgs),
    /// Run a language server on standard input and output, for editors (see docs/editors.md);
    /// --config, --rules, --lang, --select, --ignore… apply to every file it checks
    Server,
}

/// When to colour the output (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// A severity on the command line (`--fail-on`, `--min-severity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Error,
    Warning,
    Info,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Self {
        match s {
            SeverityArg::Error => Severity::Error,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Info => Severity::Info,
        }
    }
}

/// Options every linting command takes.
#[derive(Debug, Clone, Args)]
pub struct SharedArgs {
    /// Use this config file instead of the nearest mtlint.toml / .mtlint.toml
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// Add the rules of this rule file to the shipped packs (repeatable)
    #[arg(long = "rules", value_name = "FILE", global = true)]
    pub rules: Vec<PathBuf>,
    /// Target language of the files (default: from config, else detected per file)
    #[arg(long, value_name = "LANG", global = true)]
    pub lang: Option<String>,
    /// Source language the files were translated from (restricts language-pair packs)
    #[arg(long, value_name = "LANG", global = true)]
    pub source_lang: Option<String>,
    /// Only these rules or packs (comma-separated ids like en/run-on, or pack names)
    #[arg(long, value_delimiter = ',', value_name = "RULES", global = true)]
    pub select: Vec<String>,
    /// Skip these rules or packs (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "RULES", global = true)]
    pub ignore: Vec<String>,
    /// Lowest severity that makes the exit status 1 [default: warning]
    #[arg(long, value_enum, value_name = "LEVEL", global = true)]
    pub fail_on: Option<SeverityArg>,
    /// Let `rules` in a config name rule files outside the config's directory and the current
    /// directory (off by default, so a committed config cannot read other files)
    #[arg(long, global = true)]
    pub allow_external_rules: bool,
    /// Read the text from standard input
    #[arg(long, global = true)]
    pub stdin: bool,
    /// Path of the standard-input text, for output and config discovery
    #[arg(long, value_name = "PATH", global = true)]
    pub stdin_filename: Option<PathBuf>,
    /// When to use colour
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN", global = true)]
    pub color: ColorArg,
    /// Print findings only: no summary line
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Also name each file passed over while walking directories, and why
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// Check files that are not valid UTF-8 anyway: invalid bytes become U+FFFD, with a warning
    /// saying where (`fix` never writes such a file)
    #[arg(long, global = true)]
    pub lossy: bool,
    /// Read every file as this format instead of detecting it by extension and content:
    /// text, markdown, xliff, po, tmx, tsv
    #[arg(long, value_name = "FORMAT", value_parser = parse_input_format, global = true)]
    pub input_format: Option<crate::formats::InputFormat>,
}

fn parse_input_format(s: &str) -> Result<crate::formats::InputFormat, UnknownFormat> {
    crate::formats::InputFormat::from_name(s).ok_or_else(|| UnknownFormat { name: s.to_string() })
}

/// An `--input-format` that names no format.
#[derive(Debug, thiserror::Error)]
#[error(
    "unknown input format `{name}` (expected one of: {})",
    crate::formats::InputFormat::NAMES.join(", ")
)]
struct UnknownFormat {
    name: String,
}

impl SharedArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            lang: self.lang.clone(),
            source_lang: self.source_lang.clone(),
            rules: self.rules.clone(),
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            fail_on: self.fail_on.map(Into::into),
            allow_external_rules: self.allow_external_rules,
        }
    }
}

/// The options of `mtlint check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Files and directories to check (default: the current directory)
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Print the diff `mtlint fix` would apply instead of the findings
    #[arg(long)]
    pub diff: bool,
    /// With --diff: include unsafe fixes
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Read JSON Lines of {"id", "text"} from PATHS (`-` or none: standard input) and write
    /// one result line per record: id, language, diagnostics, error
    #[arg(long, conflicts_with = "diff")]
    pub records: bool,
    /// Hide the findings recorded in this baseline and fail only on new ones; entries whose
    /// findings are gone are reported as stale [default: `baseline` in the config]
    #[arg(long, value_name = "FILE", conflicts_with = "records")]
    pub baseline: Option<PathBuf>,
    /// Record every finding of this run in FILE as the accepted baseline, and print none
    #[arg(long, value_name = "FILE", conflicts_with_all = ["records", "diff", "baseline", "prune_baseline"])]
    pub write_baseline: Option<PathBuf>,
    /// Drop the baseline's stale entries (findings that are gone) from the baseline file
    #[arg(long, conflicts_with_all = ["records", "diff"])]
    pub prune_baseline: bool,
    /// Print the findings counted per rule (with groups and fixable counts) instead of each
    /// finding; `--format json` gives them as JSON
    #[arg(long, conflicts_with_all = ["records", "diff", "write_baseline"])]
    pub statistics: bool,
    /// Exit 0 even when findings are reported (2 still means an error)
    #[arg(long)]
    pub exit_zero: bool,
    /// Write the report to FILE instead of standard output; the summary goes to standard error
    #[arg(long, short = 'o', value_name = "FILE", conflicts_with_all = ["records", "diff", "write_baseline"])]
    pub output_file: Option<PathBuf>,
    /// After the findings, list the fixes `mtlint fix` (and `--unsafe-fixes`) would make,
    /// grouped by rule, text and replacement
    #[arg(long, conflicts_with_all = ["records", "diff", "write_baseline", "statistics"])]
    pub show_fixes: bool,
    #[command(flatten)]
    pub shared: SharedArgs,
}

/// The options of `mtlint fix`.
#[derive(Debug, Clone, Args)]
pub struct FixArgs {
    /// Files and directories to fix (default: the current directory)
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Also apply unsafe fixes (they need a human eye)
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print a unified diff of the changes and write nothing; exit 1 if anything would change
    #[arg(long)]
    pub diff: bool,
    /// Show each fix and ask: apply it, skip it, apply all of its rule, or quit
    #[arg(long, short = 'i')]
    pub interactive: bool,
    /// Output format of the findings left after fixing
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Read JSON Lines of {"id", "text"} from PATHS (`-` or none: standard input) and write
    /// one result line per record, with its fixed text; no file is written
    #[arg(long, conflicts_with_all = ["diff", "interactive"])]
    pub records: bool,
    /// Leave the findings recorded in this baseline unfixed [default: `baseline` in the config]
    #[arg(long, value_name = "FILE", conflicts_with = "records")]
    pub baseline: Option<PathBuf>,
    /// Fix the findings of the baseline too
    #[arg(long, conflicts_with = "baseline")]
    pub include_baselined: bool,
    #[command(flatten)]
    pub shared: SharedArgs,
}

/// The options of `mtlint report`.
#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("outputs").required(true).multiple(true).args(["html", "markdown"])))]
pub struct ReportArgs {
    /// Files and directories to report on (default: the current directory)
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Write a self-contained HTML report to FILE (`-`: standard output)
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Write a Markdown report (for a pull-request comment) to FILE (`-`: standard output)
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Title of the report
    #[arg(long, default_value = "mtlint review report")]
    pub title: String,
    #[command(flatten)]
    pub shared: SharedArgs,
}

/// The options of `mtlint rules`.
#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    /// Only rules of these packs (comma-separated)
    #[arg(long, value_delimiter = ',')]
    pub pack: Vec<String>,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub shared: SharedArgs,
}

/// The options of `mtlint explain`.
#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// Rule id (`pack/name`) or check kind (`term`, `quotes`, …)
    pub rule: String,
    #[command(flatten)]
    pub shared: SharedArgs,
}

/// The options of `mtlint test-rules`.
#[derive(Debug, Clone, Args)]
pub struct TestRulesArgs {
    /// Rule files whose examples to run (default: the shipped packs)
    pub files: Vec<PathBuf>,
}

/// The options of `mtlint init`.
#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Where to write the config
    #[arg(default_value = "mtlint.toml")]
    pub path: PathBuf,
    /// Overwrite an existing file
    #[arg(long)]
    pub force: bool,
}

/// Exit statuses.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

pub fn main() -> ExitCode {
    ExitCode::from(run(std::env::args_os()))
}

/// Runs the command line `args` (the program's name first) and returns the exit status: the
/// `mtlint` command of the Python package calls this in its own process.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    let result = match cli.command {
        None => check::run(cli.check),
        Some(Command::Check(args)) => check::run(args),
        Some(Command::Fix(args)) => fix::run(args),
        Some(Command::Report(args)) => report::run(args),
        Some(Command::Rules(args)) => rules::run(args),
        Some(Command::Explain(args)) => explain::run(args),
        Some(Command::TestRules(args)) => test_rules::run(args),
        Some(Command::Init(args)) => init::run(args),
        Some(Command::Server) => {
            let shared = &cli.check.shared;
            let options = crate::server::Options {
                config: shared.config.clone(),
                overrides: shared.overrides(),
                input_format: shared.input_format,
            };
            crate::server::run(options).map_err(anyhow::Error::from)
        }
    };
    // The dictionaries' answers this run asked for, for the next runs (see `on_disk`).
    crate::checks::save_dictionary_answers();
    crate::timing::report();
    match result {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`mtlint check | head`) is not an error.
            let broken_pipe = e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
                    || c.downcast_ref::<serde_json::Error>()
                        .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
            });
            if broken_pipe {
                return EXIT_OK;
            }
            let mut err = anstream::stderr();
            let style = anstyle::AnsiColor::Red.on_default().bold();
            // Errors quote paths, XML names and rule text: never raw to the terminal.
            let message = format!("{e:#}");
            let _ = writeln!(
                err,
                "{style}error{style:#}: {}",
                crate::output::sanitize::terminal(&message)
            );
            EXIT_ERROR
        }
    }
}

pub fn set_color(choice: ColorArg) {
    let c = match choice {
        ColorArg::Auto => anstream::ColorChoice::Auto,
        ColorArg::Always => anstream::ColorChoice::Always,
        ColorArg::Never => anstream::ColorChoice::Never,
    };
    c.write_global();
}
