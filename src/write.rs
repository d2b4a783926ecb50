//! Atomic in-place writing, for `mtlint fix`.
//!
//! An in-place write never leaves a file half written: the new text goes to a temporary file
//! in the same directory, is synced, gets the original's permissions, and is renamed over the
//! original. Immediately before the rename, after the temporary file is written and synced,
//! the file is checked again: its size, modification time and inode must be what they were
//! when the write began and its content must be the bytes that were fixed (compared in full);
//! otherwise (someone saved it meanwhile) it is skipped with an error and the temporary file
//! removed. What remains is the time between that last check and the rename (microseconds),
//! and a writer that still holds the old file open: its later writes go to the replaced file.
//! A file with nothing to fix is never written. A read-only file or directory is an error for
//! that file only.
//!
//! Test hooks: when the environment variable `MTLINT_TEST_HOLD_BEFORE_WRITE` is set, `fix`
//! prints `mtlint: holding before writing PATH` on standard error before each in-place write
//! and waits for a line on standard input; with `MTLINT_TEST_HOLD_BEFORE_RENAME`, it does the
//! same (`mtlint: holding before renaming PATH`) once the temporary file is written and synced,
//! before the last check. The tests use them to change a file between read and write;
//! nothing else reads them.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};

/// Why a fixed file was not written back. Nothing is written in any case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    #[error("the file is read-only; not written (make it writable to fix it)")]
    ReadOnly,
    #[error("the directory {0} is read-only, so the fixed file cannot be written beside the original; not written")]
    ReadOnlyDirectory(String),
    #[error("not a regular file any more; not written")]
    NotRegular,
    /// `--lossy` replaced invalid UTF-8 in it: writing it would make that for good.
    #[error("not fixed: writing it would replace its invalid UTF-8 for good")]
    Lossy,
    /// Someone changed the file between reading and writing it.
    #[error("the file changed on disk while it was being fixed; not written (run fix again)")]
    Changed,
    /// The file system refused: what was being done, and why.
    #[error("{0}")]
    Io(String),
}

const HOLD_HOOK: &str = "MTLINT_TEST_HOLD_BEFORE_WRITE";
const HOLD_RENAME_HOOK: &str = "MTLINT_TEST_HOLD_BEFORE_RENAME";

/// The directories in which files were replaced, each synced once (when the run's writes are
/// done, or when this is dropped) to make the renames durable: one directory sync for a
/// batch of files rather than one per file.
/// Shared by the threads that write ([`Background`]).
#[derive(Debug, Default)]
pub struct Renames(Mutex<std::collections::BTreeSet<PathBuf>>);

impl Renames {
    /// Syncs each directory once. A failure leaves correct files (the renames happened; only
    /// their durability across a crash is in question), so it is not an error.
    pub fn sync(&self) {
        let dirs = match self.0.lock() {
            Ok(mut dirs) => std::mem::take(&mut *dirs),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        };
        for dir in dirs {
            if let Ok(d) = std::fs::File::open(&dir) {
                let _ = d.sync_all();
            }
        }
    }
}

impl Drop for Renames {
    fn drop(&mut self) {
        self.sync();
    }
}

/// Replaces the content of `path` with `text` atomically, if the file still holds `expected`
/// (the bytes that were read and fixed). A symbolic link is followed: the file it points to is
/// rewritten and the link stays a link. The new content is synced before the rename; the
/// directory is left to `renames` to sync.
pub fn write_atomically(path: &Path, expected: &str, text: &str, renames: &Renames) -> Result<(), WriteError> {
    let target = resolve_link(path)?;
    let meta = std::fs::metadata(&target)
        .map_err(|e| WriteError::Io(format!("cannot read the file's permissions: {}", reason(&e))))?;
    if meta.permissions().readonly() {
        return Err(WriteError::ReadOnly);
    }
    // Opening for writing (without truncating) checks the permission without changing a byte.
    // Without blocking: a FIFO put in the file's place would hold the run forever.
    let mut probe = std::fs::OpenOptions::new();
    probe.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        probe.custom_flags(libc::O_NONBLOCK);
    }
    if !meta.is_file() {
        return Err(WriteError::NotRegular);
    }
    probe
        .open(&target)
        .map_err(|e| WriteError::Io(format!("cannot write to the file: {}; not written", reason(&e))))?;
    // Not blocking on a file swapped for a FIFO since it was read.
    let current = crate::input::read_regular(&target)
        .map_err(|e| WriteError::Io(format!("cannot read the file again: {}", reason(&e))))?;
    if current != expected.as_bytes() {
        return Err(WriteError::Changed);
    }
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dir_meta = std::fs::metadata(&dir)
        .map_err(|e| WriteError::Io(format!("cannot read {}: {}", dir.display(), reason(&e))))?;
    if dir_meta.permissions().readonly() {
        return Err(WriteError::ReadOnlyDirectory(dir.display().to_string()));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".mtlint-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| {
            WriteError::Io(format!(
                "cannot create a temporary file in {}: {}; not written",
                dir.display(),
                reason(&e)
            ))
        })?;
    tmp.write_all(text.as_bytes())
        .map_err(|e| WriteError::Io(format!("cannot write the temporary file: {}; not written", reason(&e))))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| WriteError::Io(format!("cannot sync the temporary file: {}; not written", reason(&e))))?;
    std::fs::set_permissions(tmp.path(), meta.permissions()).map_err(|e| {
        WriteError::Io(format!(
            "cannot give the new file the original's permissions: {}; not written",
            reason(&e)
        ))
    })?;
    keep_owner(tmp.path(), &meta);
    hold(HOLD_RENAME_HOOK, "renaming", path);
    // The last check, as close to the rename as it can be: a write that landed while the
    // temporary file was written and synced would otherwise be lost. On failure the temporary
    // file is dropped, which removes it.
    unchanged_since(&target, &meta, expected)?;
    tmp.persist(&target)
        .map_err(|e| WriteError::Io(format!("cannot replace the file: {}; not written", reason(&e.error))))?;
    // The rename is made durable with the other renames in this directory.
    if let Ok(mut dirs) = renames.0.lock() {
        dirs.insert(dir);
    }
    Ok(())
}

/// Threads that write fixed files in place ([`hold_before_write`], then [`write_atomically`]),
/// so that `fix` goes on checking the next files while one file's new content is synced to
/// disk: a sync waits for the disk, often longer than checking a file takes, and many of them
/// in flight overlap. Each file is still written and synced in full before its rename.
pub struct Background {
    jobs: mpsc::Sender<Job>,
    /// Set when the run stops early: the writes not yet begun are not made.
    stop: Arc<AtomicBool>,
}

/// One file to write.
struct Job {
    path: PathBuf,
    /// The file's name as the run shows it (for the test hook).
    shown: String,
    expected: String,
    text: String,
    done: mpsc::Sender<Result<(), WriteError>>,
}

/// A write handed to [`Background`]: [`Pending::poll`] or [`Pending::wait`] tell how it went.
pub struct Pending {
    answer: mpsc::Receiver<Result<(), WriteError>>,
    got: Option<Result<(), WriteError>>,
}

impl Pending {
    /// True when the write is over (done, failed, or not made because the run stopped).
    pub fn poll(&mut self) -> bool {
        if self.got.is_none() {
            match self.answer.try_recv() {
                Ok(r) => self.got = Some(r),
                Err(mpsc::TryRecvError::Empty) => return false,
                Err(mpsc::TryRecvError::Disconnected) => self.got = Some(Err(not_made())),
            }
        }
        true
    }

    /// How the write went, once it is over.
    pub fn wait(self) -> Result<(), WriteError> {
        match self.got {
            Some(r) => r,
            None => self.answer.recv().unwrap_or_else(|_| Err(not_made())),
        }
    }
}

/// A write that was never made: the run stopped before it began.
fn not_made() -> WriteError {
    WriteError::Io("the run stopped before the file was written; not written".into())
}

impl Background {
    /// Starts `threads` writing threads in `scope`; the directories of the renames are left to
    /// `renames`. The threads end when this is dropped, once the writes handed to them are over.
    pub fn start<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        threads: usize,
        renames: &'scope Renames,
    ) -> Background {
        let (jobs, rx) = mpsc::channel::<Job>();
        let stop = Arc::new(AtomicBool::new(false));
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..threads.max(1) {
            let (rx, stop) = (rx.clone(), stop.clone());
            scope.spawn(move || loop {
                let job = match rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok(job) = job else { return };
                if stop.load(Ordering::SeqCst) {
                    // Dropping the job tells its `Pending` that it was not made.
                    continue;
                }
                hold_before_write(&job.shown);
                let written = write_atomically(&job.path, &job.expected, &job.text, renames);
                let _ = job.done.send(written);
            });
        }
        Background { jobs, stop }
    }

    /// Writes `text` over the file at `path` (shown as `shown`) if it still holds `expected`,
    /// on one of the writing threads.
    pub fn write(&self, path: &Path, shown: &str, expected: &str, text: &str) -> Pending {
        let (done, answer) = mpsc::channel();
        let job = Job {
            path: path.to_path_buf(),
            shown: shown.to_string(),
            expected: expected.to_string(),
            text: text.to_string(),
            done,
        };
        // A send fails only when every writing thread is gone; the dropped job then answers
        // "not made".
        let _ = self.jobs.send(job);
        Pending { answer, got: None }
    }

    /// Makes none of the writes not yet begun (the run stopped early).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// The identity of a file's state: size, modification time and inode.
fn stamp(m: &std::fs::Metadata) -> (u64, Option<std::time::SystemTime>, u64) {
    #[cfg(unix)]
    let inode = {
        use std::os::unix::fs::MetadataExt;
        m.ino() ^ m.dev().rotate_left(32)
    };
    #[cfg(not(unix))]
    let inode = 0;
    (m.len(), m.modified().ok(), inode)
}

/// Checks that `target` is still the file `before` describes (size, modification time, inode)
/// and still holds `expected` (compared byte for byte, which is what a content hash would
/// stand in for), and did not change while it was read.
fn unchanged_since(target: &Path, before: &std::fs::Metadata, expected: &str) -> Result<(), WriteError> {
    let meta = |what: &str| {
        std::fs::metadata(target)
            .map_err(|e| WriteError::Io(format!("cannot read the file {what}: {}; not written", reason(&e))))
    };
    let now = meta("again")?;
    if !now.is_file() || stamp(&now) != stamp(before) || now.len() != expected.len() as u64 {
        return Err(WriteError::Changed);
    }
    let current = crate::input::read_regular(target)
        .map_err(|e| WriteError::Io(format!("cannot read the file again: {}", reason(&e))))?;
    if current != expected.as_bytes() {
        return Err(WriteError::Changed);
    }
    if stamp(&meta("again")?) != stamp(&now) {
        return Err(WriteError::Changed);
    }
    Ok(())
}

fn resolve_link(path: &Path) -> Result<PathBuf, WriteError> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        std::fs::canonicalize(path)
            .map_err(|e| WriteError::Io(format!("cannot follow the symbolic link: {}", reason(&e))))
    } else {
        Ok(path.to_path_buf())
    }
}

/// Keeps owner and group when the process may (as root); otherwise the new file is the
/// process's, as with any editor that saves by renaming.
#[cfg(unix)]
fn keep_owner(path: &Path, meta: &std::fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let _ = std::os::unix::fs::chown(path, Some(meta.uid()), Some(meta.gid()));
}

#[cfg(not(unix))]
fn keep_owner(_path: &Path, _meta: &std::fs::Metadata) {}

fn reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::InvalidInput => e.to_string(),
        _ => {
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_string()
        }
    }
}

/// The test hook described in the module documentation.
pub fn hold_before_write(path: &str) {
    hold(HOLD_HOOK, "writing", Path::new(path));
}

/// The test hooks described in the module documentation.
fn hold(hook: &str, what: &str, path: &Path) {
    if std::env::var_os(hook).is_some_and(|v| !v.is_empty()) {
        eprintln!("mtlint: holding before {what} {}", path.display());
        let mut line = String::new();
        let _ = std::io::stdin().lock().read_line(&mut line);
    }
}
