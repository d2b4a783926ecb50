//! The baselines of a run: which accepted-findings file each input is matched against, and
//! taking the accepted findings out of its report.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::Input;
use crate::baseline::{self, Baseline, BaselineError, FileFindings};
use crate::output::{FileReport, Outcome};

/// A baseline a run uses, and the file it came from (or goes to).
pub struct Used {
    pub file: PathBuf,
    pub baseline: Baseline,
}

/// The baselines of a run: `--baseline FILE` for every file, else the one each file's config
/// names (each loaded once).
#[derive(Default)]
pub struct Baselines {
    used: Vec<Used>,
    /// `--baseline` (or `--write-baseline`): the index in `used` every file takes.
    explicit: Option<usize>,
    by_file: HashMap<PathBuf, usize>,
}

/// What matching one checked file against its baseline found.
pub struct FileMatch {
    /// Index of the baseline in the run's list.
    pub baseline: usize,
    /// The file's path in the baseline.
    pub path: String,
    pub found: FileFindings,
    pub hidden: usize,
}

impl Baselines {
    /// Loads `--baseline FILE` when given, else the baselines the inputs' configs name.
    pub fn load(explicit: Option<&Path>, inputs: &[Input]) -> Result<Self, BaselineError> {
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

    fn add(&mut self, file: &Path) -> Result<usize, BaselineError> {
        let baseline = Baseline::load(file).map_err(|e| match e {
            BaselineError::Read { .. } if !file.exists() => BaselineError::Missing {
                path: file.display().to_string(),
            },
            e => e,
        })?;
        self.used.push(Used {
            file: file.to_path_buf(),
            baseline,
        });
        Ok(self.used.len() - 1)
    }

    /// The baselines, in the order their indices ([`FileMatch::baseline`]) refer to.
    pub fn used(&self) -> &[Used] {
        &self.used
    }

    /// True when the run uses no baseline.
    pub fn is_empty(&self) -> bool {
        self.used.is_empty()
    }

    /// How many baselines the run uses.
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
        let Outcome::Checked { document, diagnostics } = &mut report.outcome else {
            return None;
        };
        let matched = used
            .baseline
            .matches(&path, &document.text, std::mem::take(diagnostics));
        *diagnostics = matched.new;
        Some(FileMatch {
            baseline: i,
            path,
            found: matched.found,
            hidden: matched.baselined.len(),
        })
    }
}
