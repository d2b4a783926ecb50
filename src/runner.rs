//! The ordered parallel runner: work on many inputs on every core, results handed on in
//! input order as soon as each is next in line, with memory bounded by a window.

use std::collections::HashMap;
use std::sync::{mpsc, Condvar, Mutex};

/// Results a worker may run ahead of the writer, per thread. Memory holds at most this many
/// documents per thread (plus the ones being checked), whatever the corpus size.
pub const WINDOW_PER_THREAD: usize = 16;

/// Where the workers of [`for_each_ordered`] stand.
struct Window {
    /// The next input to claim.
    next: usize,
    /// Inputs handed to `each` so far.
    written: usize,
    /// Workers waiting for room, so the writer wakes someone only when someone sleeps.
    waiting: usize,
    /// Set when `each` failed or a worker panicked: claim nothing more.
    stop: bool,
}

impl Window {
    /// Claims the next input if one is left and it is within `size` of the writer.
    fn claim(&mut self, len: usize, size: usize) -> Option<usize> {
        (!self.stop && self.next < len && self.next < self.written + size).then(|| {
            self.next += 1;
            self.next - 1
        })
    }
}

/// Runs `work` on every input in parallel, handing the results to `each` in input order, as
/// soon as each is next in line.
///
/// The calling thread is one of the workers (so `RAYON_NUM_THREADS` threads check in all) and
/// also the writer: between its own inputs it hands every result that is next in line to
/// `each`. Nobody sleeps while there is work, so a run on N cores has N busy threads and no
/// wake-up per file; the writer blocks on the others' results only when every input is
/// claimed or it is a whole window behind. Workers claim inputs in order, so the input the
/// writer waits for is always being worked on, and a worker stops claiming while it is more
/// than a window ahead of the writer, which bounds memory. With one thread everything runs
/// here, in order.
pub fn for_each_ordered<'a, I: Sync, T: Send>(
    inputs: &'a [I],
    work: impl Fn(&'a I) -> T + Sync,
    mut each: impl FnMut(&'a I, T) -> std::io::Result<()>,
) -> std::io::Result<()> {
    // One input is checked here: asking rayon for its thread count would start its pool (a
    // thread per core, each setting up its allocator arena and spinning a while for work),
    // which a run over one small file does not need. A large file still gets the pool when
    // its check asks for it.
    let threads = if inputs.len() <= 1 {
        1
    } else {
        rayon::current_num_threads().min(inputs.len())
    };
    if threads == 1 {
        for input in inputs {
            each(input, work(input))?;
        }
        return Ok(());
    }
    let window_size = threads * WINDOW_PER_THREAD;
    let window = Mutex::new(Window {
        next: 0,
        written: 0,
        waiting: 0,
        stop: false,
    });
    let room = Condvar::new();
    let stop_all = || {
        if let Ok(mut w) = window.lock() {
            w.stop = true;
        }
        room.notify_all();
    };
    let (tx, rx) = mpsc::channel::<(usize, T)>();
    std::thread::scope(|scope| {
        let mut workers = Vec::with_capacity(threads - 1);
        for _ in 1..threads {
            let tx = tx.clone();
            let (work, window, room) = (&work, &window, &room);
            workers.push(scope.spawn(move || {
                // A panicking worker must not leave the others waiting for room forever.
                let guard = StopOnPanic(&stop_all);
                loop {
                    let claimed = {
                        let Ok(mut w) = window.lock() else { break };
                        loop {
                            if let Some(i) = w.claim(inputs.len(), window_size) {
                                break Some(i);
                            }
                            if w.stop || w.next >= inputs.len() {
                                break None;
                            }
                            w.waiting += 1;
                            w = match room.wait(w) {
                                Ok(w) => w,
                                Err(_) => return,
                            };
                            w.waiting -= 1;
                        }
                    };
                    let Some(claimed) = claimed else { break };
                    if tx.send((claimed, work(&inputs[claimed]))).is_err() {
                        break;
                    }
                }
                std::mem::forget(guard);
            }));
        }
        drop(tx);
        let guard = StopOnPanic(&stop_all);
        let mut pending: HashMap<usize, T> = HashMap::new();
        let mut written = 0;
        while written < inputs.len() {
            // Write everything that is next in line.
            pending.extend(rx.try_iter());
            let before = written;
            while let Some(result) = pending.remove(&written) {
                if let Err(e) = each(&inputs[written], result) {
                    stop_all();
                    return Err(e);
                }
                written += 1;
            }
            let claimed = match window.lock() {
                Ok(mut w) => {
                    if written > before {
                        w.written = written;
                        if w.waiting > 0 {
                            room.notify_all();
                        }
                    }
                    w.claim(inputs.len(), window_size)
                }
                Err(_) => None,
            };
            // Then check the next input, or wait for the others when there is none to claim.
            match claimed {
                Some(i) => {
                    pending.insert(i, work(&inputs[i]));
                }
                None => match rx.recv() {
                    Ok((i, result)) => {
                        pending.insert(i, result);
                    }
                    // Every worker has stopped, after a panic: it is raised below.
                    Err(_) => break,
                },
            }
        }
        std::mem::forget(guard);
        // A worker's panic is the run's, with its own message.
        for worker in workers {
            if let Err(payload) = worker.join() {
                std::panic::resume_unwind(payload);
            }
        }
        Ok(())
    })
}

/// Calls its function when dropped during a panic (it is forgotten otherwise).
struct StopOnPanic<'a, F: Fn()>(&'a F);

impl<F: Fn()> Drop for StopOnPanic<'_, F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

#[cfg(test)]
mod tests {
    use super::for_each_ordered;

    /// Work of uneven length, so results finish out of order.
    fn slow_square(i: &u64) -> u64 {
        std::thread::sleep(std::time::Duration::from_micros((i * 7919) % 13 * 50));
        i * i
    }

    #[test]
    fn results_come_in_input_order() {
        let inputs: Vec<u64> = (0..500).collect();
        let mut seen = Vec::new();
        for_each_ordered(&inputs, slow_square, |i, r| {
            assert_eq!(r, i * i);
            seen.push(*i);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, inputs);
    }

    #[test]
    fn a_write_error_stops_the_run_and_is_returned() {
        let inputs: Vec<u64> = (0..2000).collect();
        let worked = std::sync::atomic::AtomicUsize::new(0);
        let mut written = 0;
        let result = for_each_ordered(
            &inputs,
            |i| {
                worked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                slow_square(i)
            },
            |i, _| {
                written += 1;
                match *i {
                    10 => Err(std::io::Error::new(std::io::ErrorKind::BrokenPipe, "closed")),
                    _ => Ok(()),
                }
            },
        );
        assert_eq!(result.unwrap_err().kind(), std::io::ErrorKind::BrokenPipe);
        assert_eq!(written, 11);
        // Workers stopped near the writer instead of checking the whole batch.
        assert!(worked.into_inner() < 200);
    }

    #[test]
    #[should_panic(expected = "worker failed")]
    fn a_panicking_worker_does_not_hang_the_run() {
        let inputs: Vec<u64> = (0..2000).collect();
        let _ = for_each_ordered(
            &inputs,
            |i| {
                if *i == 3 {
                    panic!("worker failed");
                }
                *i
            },
            |_, _| Ok(()),
        );
    }
}
