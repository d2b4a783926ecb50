//! `MTLINT_TIMING=1`: where a run's time went, by stage and by check kind, printed on standard
//! error when the command ends (like ESLint's `TIMING`). Times are summed over all threads, so
//! they are CPU time, and they add up to the whole run less start-up and waiting.
//!
//! Off, it costs one relaxed load per document; on, two clock reads per check per document.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

use crate::checks::{kind_index, KINDS};
use crate::model::Kind;

/// A part of the work a run can spend time in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stage {
    /// Reading files and decoding UTF-8.
    Read,
    /// Parsing the file's format and detecting its language.
    Parse,
    /// Splitting into paragraphs and sentences.
    Segment,
    /// Which rules' `when_document_mentions` conditions hold.
    Conditions,
    /// One check kind, all its rules together.
    Check(&'static Kind),
    /// Suppressions, the accept list and sorting findings.
    Finish,
    /// Writing the output.
    Output,
}

const FIXED: [(Stage, &str); 6] = [
    (Stage::Read, "read files"),
    (Stage::Parse, "parse + detect language"),
    (Stage::Segment, "paragraphs + sentences"),
    (Stage::Conditions, "rule conditions"),
    (Stage::Finish, "sort + filter findings"),
    (Stage::Output, "write output"),
];
/// Slots for the check kinds: more than the registry holds.
const KIND_SLOTS: usize = 32;
const SLOTS: usize = FIXED.len() + KIND_SLOTS;

static NANOS: [AtomicU64; SLOTS] = [const { AtomicU64::new(0) }; SLOTS];
static CALLS: [AtomicU64; SLOTS] = [const { AtomicU64::new(0) }; SLOTS];

impl Stage {
    fn slot(self) -> usize {
        match self {
            Stage::Check(kind) => FIXED.len() + kind_index(kind).min(KIND_SLOTS - 1),
            other => FIXED.iter().position(|(s, _)| *s == other).unwrap_or(0),
        }
    }
}

/// True when `MTLINT_TIMING` is set to anything but `0` or the empty string.
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("MTLINT_TIMING").is_some_and(|v| !v.is_empty() && v != "0"))
}

/// Runs `f`, adding its time to `stage` when timing is on.
pub fn time<T>(stage: Stage, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    let slot = stage.slot();
    NANOS[slot].fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
    CALLS[slot].fetch_add(1, Ordering::Relaxed);
    out
}

/// The table of times so far, slowest first; `None` when timing is off or nothing was timed.
pub fn table() -> Option<String> {
    if !enabled() {
        return None;
    }
    let mut rows: Vec<(String, u64, u64)> = FIXED
        .iter()
        .map(|(s, name)| (name.to_string(), *s))
        .chain(
            KINDS
                .iter()
                .map(|r| (format!("check: {}", r.kind.name), Stage::Check(r.kind))),
        )
        .map(|(name, s)| {
            let slot = s.slot();
            (
                name,
                NANOS[slot].load(Ordering::Relaxed),
                CALLS[slot].load(Ordering::Relaxed),
            )
        })
        .filter(|(_, _, calls)| *calls > 0)
        .collect();
    if rows.is_empty() {
        return None;
    }
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let total: u64 = rows.iter().map(|r| r.1).sum();
    let mut out = format!("{:<28} {:>10} {:>7} {:>8}\n", "stage", "time (ms)", "share", "calls");
    for (name, nanos, calls) in &rows {
        let share = if total == 0 {
            0.0
        } else {
            100.0 * *nanos as f64 / total as f64
        };
        out.push_str(&format!(
            "{name:<28} {:>10.1} {share:>6.1}% {calls:>8}\n",
            *nanos as f64 / 1e6
        ));
    }
    out.push_str(&format!("{:<28} {:>10.1}\n", "total", total as f64 / 1e6));
    Some(out)
}

/// Prints [`table`] on standard error.
pub fn report() {
    if let Some(t) = table() {
        eprint!("{t}");
    }
}
