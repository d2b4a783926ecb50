//! `mtlint check`.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::files::{self, Input, Profiles};
use super::{progress, set_color, CheckArgs};
use crate::baseline::{self, Baseline, BaselineError, FileFindings};
use crate::output::{self, EmitOptions, FileReport, Format, HumanOptions, Summary};
use crate::timing::{self, Stage};

pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    set_color(args.shared.color);
    if args.diff {
        return super::fix::run(super::FixArgs {
            paths: args.paths,
            unsafe_fixes: args.unsafe_fixes,
            diff: true,
            interactive: false,
            format: args.format,
            records: false,
            baseline: args.baseline,
            include_baselined: false,
            shared: args.shared,
        });
    }
    if args.records {
        return super::records::run(&args.paths, &args.shared, None);
    }
    if args.show_fixes && !matches!(args.format, Format::Human | Format::Concise) {
        anyhow::bail!("--show-fixes lists the fixes as text: use it with --format human or concise");
    }
    let mut profiles = Profiles::new(&args.shared)?;
    let collected = files::collect(&args.paths, &args.shared, &mut profiles)?;
    collected.say_skipped(&args.shared);
    let mut inputs = collected.inputs;
    let writing = args.write_baseline.is_some();
    let baselines = match &args.write_baseline {
        Some(file) => Baselines::to_write(file),
        None => Baselines::load(args.baseline.as_deref(), &inputs)?,
    };
    if args.prune_baseline && baselines.is_empty() {
        anyhow::bail!("--prune-baseline needs a baseline: --baseline FILE, or `baseline` in the config");
    }
    // A baseline is never checked itself (its excerpts would be findings of the next write).
    inputs.retain(|i| !baselines.holds_file(&i.path));
    // Per baseline: what each checked file holds now, by its path in the baseline.
    let mut checked: Vec<BTreeMap<String, FileFindings>> = vec![BTreeMap::new(); baselines.len()];
    let mut hidden = 0usize;
    // With -o the report goes to the file, plain, and the summary to standard error.
    let to_file = args.output_file.is_some();
    let mut out: Box<dyn Write> = match &args.output_file {
        Some(path) => {
            Box::new(std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| {
                anyhow::anyhow!("cannot write the report to {}: {e}", path.display())
            })?))
        }
        None => output::stdout(args.format),
    };
    let human = HumanOptions {
        summary: !args.shared.quiet && !to_file && !args.statistics,
        fix_hint: true,
        width: if to_file { 0 } else { output::terminal_width() },
        plain: to_file,
    };
    let mut statistics = output::Statistics::default();
    let mut fixes: Vec<u8> = Vec::new();
    let fix_palette = output::Palette::for_output(&human);
    let opts = EmitOptions {
        human,
        rules: Arc::new(files::rule_catalog(&inputs)),
        fail_on: files::fail_level(&inputs),
    };
    let output::Writers { mut emitter, renderer } = output::writers(args.format, &opts);
    let mut summary = Summary {
        skipped: collected.skipped.len(),
        ..Summary::default()
    };
    let mut status = files::Status::default();
    let bar = progress::bar(inputs.len(), args.shared.quiet);
    let stdout_is_terminal = !to_file && std::io::IsTerminal::is_terminal(&std::io::stdout());
    // Formats that need nothing from other files are rendered by the worker that checked the
    // file; the others are written here, in order, from the report.
    let renderer = renderer.filter(|_| !args.statistics);
    let github_summary = match args.format {
        Format::Github => std::env::var_os("GITHUB_STEP_SUMMARY").filter(|v| !v.is_empty()),
        _ => None,
    };
    let count_rules = args.statistics || github_summary.is_some();
    let check = |input: &Input| {
        let mut report = input.check();
        let matched = baselines.split(input, &mut report);
        let rendered = match writing || args.statistics {
            true => None,
            false => renderer
                .as_ref()
                .map(|r| timing::time(Stage::Output, || r.render(&report))),
        };
        (report, rendered, matched)
    };
    crate::runner::for_each_ordered(
        &inputs,
        progress::counted(&bar, check),
        |input, (report, rendered, matched)| {
            if let Some(m) = matched {
                hidden += m.hidden;
                checked[m.baseline].insert(m.path, m.found);
            }
            if writing {
                status.errors |= report.error().is_some();
                if let Some(e) = &report.error_message() {
                    progress::suspend(&bar, || -> std::io::Result<()> {
                        eprintln!(
                            "error: {}: {}",
                            crate::output::sanitize::one_line(&report.path),
                            crate::output::sanitize::terminal(e)
                        );
                        Ok(())
                    })?;
                }
                return Ok(());
            }
            summary.add(&report);
            status.add(input, &report);
            if count_rules {
                statistics.add(&report);
            }
            if let (true, Some(doc)) = (args.show_fixes, report.document()) {
                output::write_fixes(&mut fixes, &fix_palette, &report.path, doc, report.diagnostics())?;
            }
            if args.statistics {
                if let Some(e) = &report.error_message() {
                    eprintln!(
                        "error: {}: {}",
                        crate::output::sanitize::one_line(&report.path),
                        crate::output::sanitize::terminal(e)
                    );
                }
                return Ok(());
            }
            let write = || -> std::io::Result<()> {
                match rendered {
                    Some(pieces) => {
                        emitter.before_rendered(&mut out)?;
                        for piece in pieces? {
                            out.write_all(&piece)?;
                        }
                    }
                    None => emitter.file(&mut out, &report)?,
                }
                if stdout_is_terminal {
                    // Someone is watching: show each file as it is done.
                    out.flush()?;
                }
                // Machine formats carry file errors in their own fields; say them on stderr too.
                if let (Some(e), true) = (&report.error_message(), args.format != Format::Human) {
                    eprintln!(
                        "error: {}: {}",
                        crate::output::sanitize::one_line(&report.path),
                        crate::output::sanitize::terminal(e)
                    );
                }
                Ok(())
            };
            // The bar is taken off the terminal only when something is written to it.
            timing::time(Stage::Output, || {
                if stdout_is_terminal || report.error().is_some() {
                    progress::suspend(&bar, write)
                } else {
                    write()
                }
            })
        },
    )?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if let Some(file) = &args.write_baseline {
        let mut baseline = Baseline::new();
        for (path, found) in checked.into_iter().flatten() {
            baseline.record(&path, found);
        }
        baseline.write(file)?;
        if !args.shared.quiet {
            eprintln!(
                "Wrote the baseline {}: {} in {}.",
                file.display(),
                plural(baseline.len(), "finding", "findings"),
                plural(baseline.file_count(), "file", "files")
            );
        }
        return Ok(status.code());
    }
    if args.statistics {
        match args.format {
            Format::Json => statistics.write_json(&mut out)?,
            _ => statistics.write_text(&mut out)?,
        }
    } else {
        emitter.finish(&mut out, &summary)?;
    }
    if args.show_fixes && !fixes.is_empty() {
        writeln!(out, "Fixes (`mtlint fix`; unsafe ones with `--unsafe-fixes`):")?;
        out.write_all(&fixes)?;
    }
    out.flush()?;
    // The summary goes to standard error when the report went to a file (or was replaced by
    // the statistics), so a terminal still sees it.
    if (to_file || args.statistics) && !args.shared.quiet {
        let mut err = anstream::stderr();
        output::write_summary(&mut err, &output::Palette::for_stdout(), &summary, true)?;
    }
    if let Some(file) = github_summary {
        let md = output::step_summary(&summary, &statistics);
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&file)
            .map_err(|e| anyhow::anyhow!("cannot write the step summary to {}: {e}", Path::new(&file).display()))?;
        f.write_all(md.as_bytes())?;
    }
    if hidden > 0 && !args.shared.quiet {
        eprintln!("{} hidden by the baseline.", plural(hidden, "finding", "findings"));
    }
    for (used, checked) in baselines.used.iter().zip(&checked) {
        let exists = |p: &str| baseline::resolve(&used.file, p).exists();
        let file = used.file.display();
        if args.prune_baseline {
            let pruned = used.baseline.pruned(checked, exists);
            let dropped = used.baseline.len() - pruned.len();
            if pruned != used.baseline {
                pruned.write(&used.file)?;
            }
            if !args.shared.quiet {
                eprintln!(
                    "Pruned the baseline {file}: {} dropped.",
                    plural(dropped, "stale finding", "stale findings")
                );
            }
            continue;
        }
        let stale = used.baseline.stale(checked, exists);
        if stale.is_empty() || args.shared.quiet {
            continue;
        }
        let total: usize = stale.iter().map(|s| s.missing).sum();
        eprintln!(
            "warning: the baseline {file} holds {} no longer found (--prune-baseline drops them):",
            plural(total, "finding", "findings")
        );
        for s in &stale {
            let gone = if s.file_gone { " (the file is gone)" } else { "" };
            let times = if s.missing > 1 {
                format!(" ×{}", s.missing)
            } else {
                String::new()
            };
            eprintln!(
                "  {}: {}{times} \"{}\"{gone}",
                crate::output::sanitize::one_line(&s.path),
                s.rule,
                crate::output::sanitize::one_line(&s.text)
            );
        }
    }
    Ok(match (args.exit_zero, status.code()) {
        (true, super::EXIT_FINDINGS) => super::EXIT_OK,
        (_, code) => code,
    })
}

use crate::sanitize::plural;

/// A baseline a run uses, and the file it came from (or goes to).
pub(super) struct Used {
    pub file: PathBuf,
    pub baseline: Baseline,
}

/// The baselines of a run: `--baseline FILE` for every file, else the one each file's config
/// names (each loaded once).
#[derive(Default)]
pub(super) struct Baselines {
    used: Vec<Used>,
    /// `--baseline` (or `--write-baseline`): the index in `used` every file takes.
    explicit: Option<usize>,
    by_file: HashMap<PathBuf, usize>,
}

/// What matching one checked file against its baseline found.
pub(super) struct FileMatch {
    /// Index of the baseline in the run's list.
    pub baseline: usize,
    /// The file's path in the baseline.
    pub path: String,
    pub found: FileFindings,
    pub hidden: usize,
}

impl Baselines {
    /// Loads `--baseline FILE` when given, else the baselines the inputs' configs name.
    pub fn load(explicit: Option<&Path>, inputs: &[Input]) -> anyhow::Result<Self> {
        let mut b = Baselines::default();
        if let Some(file) = explicit {
            b.explicit = Some(b.add(file)?);
            return Ok(b);
        }
        for input in inputs {
            if let Some(file) = &input.profile().baseline {
                if !b.by_file.contains_key(file) {
                    let i = b.add(file)?;
                    b.by_file.insert(file.clone(), i);
                }
            }
        }
        Ok(b)
    }

    /// An empty baseline to be written to `file`: every finding is recorded.
    pub fn to_write(file: &Path) -> Self {
        Baselines {
            used: vec![Used {
                file: file.to_path_buf(),
                baseline: Baseline::new(),
            }],
            explicit: Some(0),
            by_file: HashMap::new(),
        }
    }

    fn add(&mut self, file: &Path) -> anyhow::Result<usize> {
        let baseline = Baseline::load(file).map_err(|e| match e {
            BaselineError::Read { .. } if !file.exists() => anyhow::anyhow!(
                "the baseline {} does not exist (write it with `mtlint check --write-baseline {}`)",
                file.display(),
                file.display()
            ),
            e => e.into(),
        })?;
        self.used.push(Used {
            file: file.to_path_buf(),
            baseline,
        });
        Ok(self.used.len() - 1)
    }

    pub fn is_empty(&self) -> bool {
        self.used.is_empty()
    }

    pub fn len(&self) -> usize {
        self.used.len()
    }

    /// True when `path` is one of the baseline files.
    pub fn holds_file(&self, path: &Path) -> bool {
        self.used.iter().any(|u| {
            u.file
                .file_name()
                .is_some_and(|name| baseline::path_key(&u.file, path) == name.to_string_lossy())
        })
    }

    /// The baseline `input` is checked against, with its index, and the input's path in it.
    pub fn for_input(&self, input: &Input) -> Option<(usize, &Used, String)> {
        let i = self.explicit.or_else(|| {
            input
                .profile()
                .baseline
                .as_ref()
                .and_then(|f| self.by_file.get(f).copied())
        })?;
        let used = &self.used[i];
        Some((i, used, baseline::path_key(&used.file, &input.path)))
    }

    /// Takes the baselined findings out of `report`; says what the file holds by key.
    pub fn split(&self, input: &Input, report: &mut FileReport) -> Option<FileMatch> {
        let (i, used, path) = self.for_input(input)?;
        let text = report.document()?.text.clone();
        let diagnostics = report.diagnostics_mut()?;
        let matched = used.baseline.matches(&path, &text, std::mem::take(diagnostics));
        *diagnostics = matched.new;
        Some(FileMatch {
            baseline: i,
            path,
            found: matched.found,
            hidden: matched.baselined.len(),
        })
    }
}
