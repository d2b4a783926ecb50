//! `mtlint fix` killed (SIGKILL) at random moments while it rewrites a large batch: every file
//! must hold either its old or its new content, never a mixture, never empty.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use assert_cmd::cargo::CommandCargoExt;

const FILES: usize = 160;
const KILLS: usize = 20;

/// Paragraphs with defects the shipped packs fix safely, in the style of the samples.
const PARAGRAPHS: &[&str] = &[
    "The R & D centre of the lighting building opened in the ancient town of Guzhen, and more than 100 people attended the meeting .",
    "In January 18, 2016, the \"two new\" organization committee was formally established in the old town, with 181 member units.",
    "The association has two main points:… growth of the industry and the quality of its products.",
    "Number of visits: Date:2017-8-3 11:29",
    "Sales of lamps grew by ten percent in the first half, and the the exporters shipped more to Europe.",
    "The company set up a training centre for young designers，and its R & D staff doubled。",
    "Guzhen is known across China for its lamps; the town hosts a lighting fair every spring.",
];

fn article(i: usize) -> String {
    // Each file differs (its number and the order of its paragraphs) and is a few kilobytes.
    let mut out = format!("Report {i} of the lighting association\n\n");
    for k in 0..12 {
        out.push_str(PARAGRAPHS[(i * 7 + k * 3) % PARAGRAPHS.len()]);
        out.push('\n');
    }
    out
}

fn mtlint() -> Command {
    let mut cmd = Command::cargo_bin("mtlint").expect("the mtlint binary is built");
    cmd.env("NO_COLOR", "1")
        .env_remove("MTLINT_TEST_HOLD_BEFORE_WRITE")
        .args(["fix", "--quiet", "--format", "concise", "--lang", "en"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn names() -> Vec<String> {
    (0..FILES).map(|i| format!("report-{i:04}.txt")).collect()
}

fn write_batch(dir: &Path) {
    for (i, name) in names().iter().enumerate() {
        std::fs::write(dir.join(name), article(i)).unwrap();
    }
}

/// A small xorshift generator, seeded from the clock (the seed is printed to replay a run).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[cfg(unix)]
#[test]
fn killed_at_random_moments_every_file_is_old_or_new() {
    let root = tempfile::Builder::new().prefix("mtlint-fix-kill-").tempdir().unwrap();
    let batch: PathBuf = root.path().join("batch");
    std::fs::create_dir(&batch).unwrap();

    // The new content of every file, from one run left to finish.
    write_batch(&batch);
    let started = Instant::now();
    let status = mtlint().arg(&batch).status().unwrap();
    let full = started.elapsed();
    assert!(status.code().is_some_and(|c| c <= 1), "a full run failed: {status:?}");
    let old: BTreeMap<String, Vec<u8>> = names()
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), article(i).into_bytes()))
        .collect();
    let new: BTreeMap<String, Vec<u8>> = names()
        .iter()
        .map(|n| (n.clone(), std::fs::read(batch.join(n)).unwrap()))
        .collect();
    assert!(
        old.iter().all(|(n, o)| new[n] != *o),
        "every file must have something to fix"
    );

    let seed = std::env::var("MTLINT_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("kill test: {FILES} files, {KILLS} kills, full run {full:?}, seed {seed} (MTLINT_KILL_SEED)");
    let mut rng = Rng(seed);
    let (mut none_new, mut some_new, mut all_new, mut stray_temp) = (0, 0, 0, 0);
    for kill in 0..KILLS {
        for e in std::fs::read_dir(&batch).unwrap() {
            std::fs::remove_file(e.unwrap().path()).unwrap();
        }
        write_batch(&batch);
        // Anywhere from the start to a little past the length of a full run.
        let delay = Duration::from_micros(rng.next() % (full.as_micros() as u64 * 11 / 10 + 1));
        let mut child = mtlint().arg(&batch).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();

        let mut rewritten = 0;
        for (name, old_bytes) in &old {
            let now = std::fs::read(batch.join(name)).unwrap_or_else(|e| panic!("kill {kill}: {name}: {e}"));
            if now == new[name] {
                rewritten += 1;
            } else {
                assert!(
                    now == *old_bytes,
                    "kill {kill} after {delay:?}: {name} is neither its old nor its new content ({} bytes)",
                    now.len()
                );
            }
        }
        match rewritten {
            0 => none_new += 1,
            n if n == FILES => all_new += 1,
            _ => some_new += 1,
        }
        stray_temp += std::fs::read_dir(&batch)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with(".mtlint-")
            })
            .count();
    }
    eprintln!(
        "kill test: {none_new} kills before any write, {some_new} in the middle of the batch, {all_new} after the last write; {stray_temp} temporary files left by killed runs"
    );
    // The kills must have hit the rewriting itself, not only its edges.
    assert!(
        some_new > 0,
        "no kill landed while files were being rewritten; the test proves nothing"
    );

    // A run after a kill finishes the job and leaves no mixture either.
    let status = mtlint().arg(&batch).status().unwrap();
    assert!(status.code().is_some_and(|c| c <= 1));
    for (name, new_bytes) in &new {
        assert_eq!(&std::fs::read(batch.join(name)).unwrap(), new_bytes, "{name}");
    }
}
