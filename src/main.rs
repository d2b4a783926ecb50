use std::process::ExitCode;

/// jemalloc instead of glibc's malloc, as ruff does on Unix. Files are read and checked on
/// worker threads and their reports freed on the writing thread; glibc's per-thread heaps
/// then keep being trimmed and their pages faulted back in, so two threads spent half as
/// much CPU time again as one for the same work. With jemalloc a run is about 6% faster
/// with one thread or two, for a few MB more peak memory.
#[cfg(all(unix, not(target_os = "openbsd")))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    #[cfg(all(unix, not(target_os = "openbsd")))]
    mtlint::engine::on_large_document(return_freed_memory_at_once);
    mtlint::cli::main()
}

/// From the first large document on, jemalloc returns the pages it frees to the system at once
/// instead of keeping them for ten seconds. A large document is checked in parts on every
/// thread, and each thread's arena kept what it freed: one 10 MB file peaked at 80 MB, of which
/// 65 MB were live. Returning pages costs a system call each time: about 5 % more time on a
/// large file, and 20 % on a batch of small files, which is why it waits for a large one.
#[cfg(all(unix, not(target_os = "openbsd")))]
fn return_freed_memory_at_once() {
    use tikv_jemalloc_ctl::{arenas, raw};
    // SAFETY: `arenas.dirty_decay_ms` and `arena.<i>.dirty_decay_ms` are `ssize_t` in
    // jemalloc's manual, `isize` here, and the names end with a NUL. A failure (an arena not
    // initialised) leaves that arena as it was.
    unsafe {
        let _ = raw::write(b"arenas.dirty_decay_ms\0", 0isize);
    }
    let Ok(n) = arenas::narenas::read() else { return };
    for i in 0..n {
        let name = format!("arena.{i}.dirty_decay_ms\0");
        // SAFETY: as above.
        unsafe {
            let _ = raw::write(name.as_bytes(), 0isize);
        }
    }
}
