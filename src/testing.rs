//! Helpers for unit tests.

/// A small deterministic generator (xorshift64) for generated test texts: `next(n)` gives a
/// number below `n`. The same seed gives the same texts on every run and machine.
pub fn picker(seed: u64) -> impl FnMut(usize) -> usize {
    let mut state = seed.max(1);
    move |n| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    }
}
