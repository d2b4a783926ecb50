//! A progress bar on standard error for long runs.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs over fewer files than this finish too soon for a bar to help.
pub const MIN_FILES: usize = 50;

/// A bar counting `files`, or `None` when standard error is not a terminal, the run is short,
/// or the user asked for quiet output.
pub fn bar(files: usize, quiet: bool) -> Option<ProgressBar> {
    if quiet || files < MIN_FILES || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{spinner} checking {pos}/{len} files [{bar:30}] {elapsed} {wide_msg}")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

/// `work`, advancing the bar (if any) by one after each input.
pub fn counted<'a, I, T>(
    bar: &'a Option<ProgressBar>,
    work: impl Fn(&I) -> T + Sync + 'a,
) -> impl Fn(&I) -> T + Sync + 'a {
    move |input| {
        let out = work(input);
        if let Some(b) = bar {
            b.inc(1);
        }
        out
    }
}

/// Runs `f` with the bar (if any) taken off the screen, so output written to the same
/// terminal is not mixed into it.
pub fn suspend<R>(bar: &Option<ProgressBar>, f: impl FnOnce() -> R) -> R {
    match bar {
        Some(b) => b.suspend(f),
        None => f(),
    }
}
