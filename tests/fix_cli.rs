//! `mtlint fix` from the command line: in place, `--diff`, `--stdin`, `--unsafe-fixes`,
//! `--interactive`, and the safety of in-place writes (line endings, BOM, permissions,
//! read-only files and directories, a file changed between read and write).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use assert_cmd::cargo::CommandCargoExt;

/// An article in the style of the project's samples: every defect has a safe fix.
const FIXABLE: &str = "The R & D centre opened in the ancient town of Guzhen.\n\
More than 100 people attended the meeting .\n\
In January 18, 2016, the committee met.\n";
const FIXABLE_FIXED: &str = "The R&D centre opened in Guzhen.\n\
More than 100 people attended the meeting.\n\
On January 18, 2016, the committee met.\n";
/// Nothing to fix, nothing to flag.
const CLEAN: &str = "The association held its council in Changsha.\nMembers of the lighting industry attended.\n";

fn mtlint() -> Command {
    let mut cmd = Command::cargo_bin("mtlint").expect("the mtlint binary is built");
    cmd.env("NO_COLOR", "1").env_remove(HOLD);
    cmd
}

const HOLD: &str = "MTLINT_TEST_HOLD_BEFORE_WRITE";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.stdin(Stdio::null()).output().expect("mtlint runs");
    Run {
        code: out.status.code().expect("mtlint exited by itself"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn dir() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("mtlint-fix-cli-").tempdir().unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn read(p: &Path) -> String {
    String::from_utf8(std::fs::read(p).unwrap()).unwrap()
}

/// Sets a file's modification time far in the past, so any rewrite shows.
fn age(p: &Path) -> SystemTime {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    std::fs::File::options()
        .write(true)
        .open(p)
        .unwrap()
        .set_modified(old)
        .unwrap();
    std::fs::metadata(p).unwrap().modified().unwrap()
}

#[test]
fn fixes_in_place_and_leaves_clean_files_untouched() {
    let d = dir();
    let a = write(d.path(), "a.txt", FIXABLE);
    let clean = write(d.path(), "clean.txt", CLEAN);
    let clean_mtime = age(&clean);
    let r = run(mtlint().arg("fix").arg(d.path()));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(read(&a), FIXABLE_FIXED);
    assert_eq!(read(&clean), CLEAN);
    assert_eq!(
        std::fs::metadata(&clean).unwrap().modified().unwrap(),
        clean_mtime,
        "clean file rewritten"
    );
    assert!(
        r.stdout.contains("Fixed 4 problems in 1 file; nothing left."),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("a.txt: 4 fixes (") && r.stderr.contains("en/ampersand-spacing ×1"),
        "{}",
        r.stderr
    );
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");

    // A second run changes nothing, not even the modification time.
    let fixed_mtime = age(&a);
    let r = run(mtlint().arg("fix").arg(d.path()));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Fixed 0 problems in 0 files"), "{}", r.stdout);
    assert_eq!(std::fs::metadata(&a).unwrap().modified().unwrap(), fixed_mtime);
}

#[test]
fn what_is_left_is_listed_and_sets_the_exit_status() {
    let d = dir();
    let a = write(d.path(), "a.txt", "The R & D centre opened. 这是中文.\n");
    let r = run(mtlint().args(["fix", "--lang", "en"]).arg(&a));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(read(&a), "The R&D centre opened. 这是中文.\n");
    assert!(r.stdout.contains("en/untranslated"), "{}", r.stdout);
    assert!(
        r.stdout.contains("Fixed 1 problem in 1 file; 1 left: 1 without a fix."),
        "{}",
        r.stdout
    );
    // What is left below the fail level does not fail the run.
    let b = write(d.path(), "b.txt", "The R & D centre sells “red” and \"blue\" lamps.\n");
    let r = run(mtlint().args(["fix", "--lang", "en"]).arg(&b));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("en/mixed-quote-style"), "{}", r.stdout);
    assert_eq!(read(&b), "The R&D centre sells “red” and \"blue\" lamps.\n");
}

#[test]
fn select_and_ignore_limit_the_fixes() {
    let d = dir();
    let a = write(d.path(), "a.txt", FIXABLE);
    let r = run(mtlint().args(["fix", "--select", "en/ampersand-spacing"]).arg(&a));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(read(&a), FIXABLE.replace("R & D", "R&D"));
    let r = run(mtlint().args(["fix", "--ignore", "zh-en"]).arg(&a));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let expected = FIXABLE_FIXED.replace("in Guzhen", "in the ancient town of Guzhen");
    assert_eq!(read(&a), expected);
}

#[test]
fn diff_writes_nothing_and_fails_when_something_would_change() {
    let d = dir();
    let a = write(d.path(), "a.txt", FIXABLE);
    let mtime = age(&a);
    for sub in ["fix", "check"] {
        let r = run(mtlint().args([sub, "--diff"]).arg(&a));
        assert_eq!(r.code, 1, "{sub}: {}{}", r.stdout, r.stderr);
        assert_eq!(read(&a), FIXABLE);
        assert_eq!(std::fs::metadata(&a).unwrap().modified().unwrap(), mtime);
        let name = a.display().to_string();
        assert!(
            r.stdout
                .starts_with(&format!("--- {name}\n+++ {name}\n@@ -1,3 +1,3 @@\n")),
            "{}",
            r.stdout
        );
        assert!(
            r.stdout.contains("\n-More than 100 people attended the meeting .\n"),
            "{}",
            r.stdout
        );
        assert!(
            r.stdout.contains("\n+More than 100 people attended the meeting.\n"),
            "{}",
            r.stdout
        );
        assert!(!r.stdout.contains('\u{1b}'), "colour in a plain diff");
        assert!(
            r.stderr.contains("4 fixes would change 1 file; nothing was written."),
            "{}",
            r.stderr
        );
    }
    // Nothing to change: exit 0, no diff.
    let clean = write(d.path(), "clean.txt", CLEAN);
    let r = run(mtlint().args(["fix", "--diff"]).arg(&clean));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn diff_in_colour_highlights_the_changed_words() {
    let d = dir();
    let a = write(d.path(), "a.txt", FIXABLE);
    let r = run(mtlint()
        .args(["fix", "--diff", "--color", "always"])
        .arg(&a)
        .env_remove("NO_COLOR"));
    assert_eq!(r.code, 1);
    // The deleted "the ancient town of " and the inserted words are shown in reverse video.
    assert!(r.stdout.contains("\u{1b}[7m"), "{:?}", r.stdout);
    let plain: String = strip_ansi(&r.stdout);
    assert!(
        plain.contains("-The R & D centre opened in the ancient town of Guzhen."),
        "{plain}"
    );
    assert!(plain.contains("+The R&D centre opened in Guzhen."), "{plain}");
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn crlf_bom_and_missing_final_newline_round_trip() {
    let d = dir();
    let text = "\u{feff}The R & D centre opened.\r\nHome Categories Send inquiry\r\nThe meeting . It ended";
    let a = write(d.path(), "a.txt", text);
    let r = run(mtlint().args(["fix", "--lang", "en"]).arg(&a));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(read(&a), "\u{feff}The R&D centre opened.\r\nThe meeting. It ended");

    // Deleting the last line of a file without a final newline leaves none behind.
    let b = write(d.path(), "b.txt", "The centre opened.\r\n\r\nTypeInfo: Industry News");
    let r = run(mtlint().args(["fix", "--lang", "en"]).arg(&b));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(read(&b), "The centre opened.");
}

#[test]
fn stdin_writes_the_fixed_text_to_stdout() {
    let out = mtlint()
        .args(["fix", "--stdin", "--stdin-filename", "draft.txt"])
        .write_stdin_text(FIXABLE);
    assert_eq!(out.0, 0, "{}", out.2);
    assert_eq!(out.1, FIXABLE_FIXED);
    let out = mtlint().args(["fix", "--stdin", "--diff"]).write_stdin_text(FIXABLE);
    assert_eq!(out.0, 1);
    assert!(out.1.starts_with("--- a/<stdin>\n+++ b/<stdin>\n"), "{}", out.1);
    // Bytes that are not UTF-8: an error, and nothing on stdout.
    let mut child = mtlint()
        .args(["fix", "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"ab\xffcd\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("invalid UTF-8 at line 1, column 3"));
}

trait StdinText {
    fn write_stdin_text(&mut self, text: &str) -> (i32, String, String);
}

impl StdinText for Command {
    fn write_stdin_text(&mut self, text: &str) -> (i32, String, String) {
        let mut child = self
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
        let o = child.wait_with_output().unwrap();
        (
            o.status.code().unwrap(),
            String::from_utf8(o.stdout).unwrap(),
            String::from_utf8(o.stderr).unwrap(),
        )
    }
}

#[test]
fn unsafe_fixes_only_with_the_flag() {
    let d = dir();
    let text = "The committee set up a demonstrative hillock in the R & D centre.\n";
    let a = write(d.path(), "a.txt", text);
    let r = run(mtlint().args(["fix", "--lang", "en"]).arg(&a));
    assert_eq!(r.code, 1, "the unsafe fix is left, as a warning: {}", r.stdout);
    assert_eq!(
        read(&a),
        "The committee set up a demonstrative hillock in the R&D centre.\n"
    );
    assert!(
        r.stdout.contains("1 with an unsafe fix (--unsafe-fixes)"),
        "{}",
        r.stdout
    );
    let r = run(mtlint().args(["fix", "--lang", "en", "--unsafe-fixes"]).arg(&a));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(read(&a), "The committee set up a model post in the R&D centre.\n");
}

#[cfg(unix)]
#[test]
fn permissions_are_kept_and_links_stay_links() {
    use std::os::unix::fs::PermissionsExt;
    let d = dir();
    let a = write(d.path(), "a.txt", FIXABLE);
    std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = d.path().join("link.txt");
    let target = write(d.path(), "target.txt", FIXABLE);
    std::os::unix::fs::symlink("target.txt", &link).unwrap();
    let r = run(mtlint().arg("fix").arg(&a).arg(&link));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(read(&a), FIXABLE_FIXED);
    assert_eq!(std::fs::metadata(&a).unwrap().permissions().mode() & 0o777, 0o640);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(read(&target), FIXABLE_FIXED);
}

#[cfg(unix)]
#[test]
fn a_read_only_file_or_directory_is_an_error_and_the_others_are_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let d = dir();
    let locked = write(d.path(), "locked.txt", FIXABLE);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o444)).unwrap();
    let sealed_dir = d.path().join("sealed");
    std::fs::create_dir(&sealed_dir).unwrap();
    let sealed = write(&sealed_dir, "inside.txt", FIXABLE);
    std::fs::set_permissions(&sealed_dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let open = write(d.path(), "open.txt", FIXABLE);

    let r = run(mtlint().arg("fix").arg(&locked).arg(&sealed).arg(&open));
    std::fs::set_permissions(&sealed_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert_eq!(read(&locked), FIXABLE);
    assert_eq!(read(&sealed), FIXABLE);
    assert_eq!(read(&open), FIXABLE_FIXED);
    assert!(r.stdout.contains("the file is read-only; not written"), "{}", r.stdout);
    assert!(
        r.stdout.contains("is read-only, so the fixed file cannot be written"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Fixed 4 problems in 1 file; 2 files not fixed"),
        "{}",
        r.stdout
    );
    assert_eq!(
        std::fs::read_dir(&sealed_dir).unwrap().count(),
        1,
        "a temporary file was left"
    );
}

#[test]
fn a_file_changed_between_read_and_write_is_skipped() {
    let d = dir();
    let a = write(d.path(), "a.txt", FIXABLE);
    let mut child = mtlint()
        .arg("fix")
        .arg(&a)
        .env(HOLD, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "mtlint ended without reaching the hook"
        );
        if line.contains("holding before writing") {
            break;
        }
    }
    // mtlint has read and fixed the file and waits: an editor saves it now.
    let edited = format!("{FIXABLE}A line the translator just added.\n");
    std::fs::write(&a, &edited).unwrap();
    child.stdin.take().unwrap().write_all(b"\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert_eq!(read(&a), edited, "the translator's edit was lost");
    assert!(
        stdout.contains("the file changed on disk while it was being fixed; not written"),
        "{stdout}"
    );
}

#[test]
fn interactive_needs_a_terminal() {
    let d = dir();
    let a = write(d.path(), "a.txt", FIXABLE);
    let r = run(mtlint().args(["fix", "--interactive"]).arg(&a));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("standard input must be a terminal"), "{}", r.stderr);
    assert_eq!(read(&a), FIXABLE);
}

/// Answers questions through a pseudo-terminal made by `script(1)`, when it is installed.
#[cfg(unix)]
#[test]
fn interactive_asks_about_each_fix() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("script(1) is not installed; skipping");
        return;
    }
    let d = dir();
    let text = "The R & D centre. The meeting . The M & A desk. The P & G lab.\n";
    let a = write(d.path(), "a.txt", text);
    let bin = assert_cmd::cargo::cargo_bin("mtlint");
    let cmd = format!("{} fix --interactive --color never {}", bin.display(), a.display());
    // Skip the first R & D, accept "meeting .", then accept all of the ampersand rule.
    let mut child = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"n\ny\na\n").unwrap();
    let out = child.wait_with_output().unwrap();
    drop(stdin);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        read(&a),
        "The R & D centre. The meeting. The M&A desk. The P&G lab.\n",
        "{stdout}"
    );
    assert!(stdout.contains("{+R&D+}"), "{stdout}");
    assert!(stdout.contains("[a]ll fixes of en/ampersand-spacing"), "{stdout}");
    // Two questions about the ampersand rule, one about the space: the third was answered
    // "all", so the fourth fix was applied without asking.
    assert_eq!(stdout.matches("Apply this fix?").count(), 3, "{stdout}");
}

#[test]
fn an_unreadable_file_does_not_stop_the_others() {
    let d = dir();
    std::fs::write(d.path().join("broken.txt"), b"The R & D\xff centre.\n").unwrap();
    let good = write(d.path(), "good.txt", FIXABLE);
    let r = run(mtlint().arg("fix").arg(d.path()));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("invalid UTF-8 at line 1, column 10"), "{}", r.stdout);
    assert_eq!(
        std::fs::read(d.path().join("broken.txt")).unwrap(),
        b"The R & D\xff centre.\n"
    );
    assert_eq!(read(&good), FIXABLE_FIXED);
}

#[test]
fn fixes_that_undo_one_another_are_reported_and_left_out() {
    let d = dir();
    let rules = write(
        d.path(),
        "cycle.toml",
        "[pack]\nname = \"house\"\ntarget = \"en\"\n\n\
         [[rule]]\nid = \"lamp\"\nkind = \"pattern\"\npattern = '\\blamp\\b'\nreplace = \"light\"\n\n\
         [[rule]]\nid = \"light\"\nkind = \"pattern\"\npattern = '\\blight\\b'\nreplace = \"lamp\"\n",
    );
    let a = write(d.path(), "a.txt", "The R & D lamp.\n");
    let r = run(mtlint().args(["fix", "--lang", "en", "--rules"]).arg(&rules).arg(&a));
    assert!(
        r.stderr
            .contains("a.txt:1:11: the fix of house/lamp at \"lamp\" does not converge"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("a.txt:1:11: the fix of house/light at \"lamp\" does not converge"),
        "{}",
        r.stderr
    );
    assert_eq!(read(&a), "The R&D lamp.\n");
    assert_eq!(r.code, 1, "the lamp finding is left: {}", r.stdout);
    // The second run reaches the same text.
    let r = run(mtlint().args(["fix", "--lang", "en", "--rules"]).arg(&rules).arg(&a));
    assert!(r.stdout.contains("Fixed 0 problems in 0 files"), "{}", r.stdout);
    assert_eq!(read(&a), "The R&D lamp.\n");
}

/// `q` stops: what was accepted before is written, nothing after.
#[cfg(unix)]
#[test]
fn interactive_quit_keeps_what_was_accepted() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("script(1) is not installed; skipping");
        return;
    }
    let d = dir();
    let a = write(d.path(), "a.txt", "The R & D centre. The meeting . The M & A desk.\n");
    let b = write(d.path(), "b.txt", FIXABLE);
    let bin = assert_cmd::cargo::cargo_bin("mtlint");
    let cmd = format!("{} fix -i --color never {} {}", bin.display(), a.display(), b.display());
    let mut child = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"maybe\ny\nq\n").unwrap();
    let out = child.wait_with_output().unwrap();
    drop(stdin);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Please answer y, n, e, r, a or q."), "{stdout}");
    assert_eq!(read(&a), "The R&D centre. The meeting . The M & A desk.\n", "{stdout}");
    assert_eq!(read(&b), FIXABLE, "a file after quitting was changed");
}

/// Runs `mtlint fix -i` on `args` in a pseudo-terminal with `answers`, and `env` set;
/// `None` when script(1) is not installed.
#[cfg(unix)]
fn interactive(args: &str, answers: &[u8], env: &[(&str, &Path)]) -> Option<String> {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("script(1) is not installed; skipping");
        return None;
    }
    let bin = assert_cmd::cargo::cargo_bin("mtlint");
    let cmd = format!("{} fix -i --color never {args}", bin.display());
    let mut script = Command::new("script");
    script
        .args(["-qec", &cmd, "/dev/null"])
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        script.env(k, v);
    }
    let mut child = script.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(answers).unwrap();
    let out = child.wait_with_output().unwrap();
    drop(stdin);
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// "Edit this one" with a replacement typed at the prompt, and "skip this rule for this file".
#[cfg(unix)]
#[test]
fn interactive_edit_typed_and_skip_rule() {
    let d = dir();
    let a = write(
        d.path(),
        "a.txt",
        "The R & D centre. The meeting . The M & A desk. The P & G lab.
",
    );
    // The first R & D: edit, type "research"; accept the space before the full stop; at M & A
    // skip the ampersand rule for the file.
    let Some(stdout) = interactive(&a.display().to_string(), b"e\nresearch\ny\nr\n", &[]) else {
        return;
    };
    assert_eq!(
        read(&a),
        "The research centre. The meeting. The M & A desk. The P & G lab.\n",
        "{stdout}"
    );
    assert!(stdout.contains("[e]dit this one"), "{stdout}");
    assert!(stdout.contains("Replace \"R & D\" with"), "{stdout}");
    // Asked about R & D, the space, then M & A (skipped with its rule): P & G never.
    assert_eq!(stdout.matches("Apply this fix?").count(), 3, "{stdout}");
}

/// "Edit this one" with an empty answer opens $EDITOR on the text, at the finding's line.
#[cfg(unix)]
#[test]
fn interactive_edit_opens_the_editor_at_the_place() {
    use std::os::unix::fs::PermissionsExt;
    let d = dir();
    let a = write(d.path(), "a.txt", "A first line.\nThe meeting . It ended.\n");
    // An "editor" that records its arguments and rewrites the second line.
    let log = d.path().join("editor.log");
    let editor = write(
        d.path(),
        "editor.sh",
        &format!(
            "#!/bin/sh\necho \"$@\" > '{}'\nsed -i 's/The meeting \\./The meeting was short./' \"$2\"\n",
            log.display()
        ),
    );
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let Some(stdout) = interactive(&a.display().to_string(), b"e\n\n", &[("EDITOR", &editor)]) else {
        return;
    };
    assert_eq!(
        read(&a),
        "A first line.\nThe meeting was short. It ended.\n",
        "{stdout}"
    );
    let args = read(&log);
    assert!(args.starts_with("+2 "), "opened at line 2: {args}");
    assert!(args.trim_end().ends_with(".txt"), "a file of the same kind: {args}");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
            let mut perms = std::fs::metadata(&dest).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&dest, perms).unwrap();
        }
    }
}

fn tree_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(tree_bytes(&p));
        } else {
            let m = std::fs::metadata(&p).unwrap().modified().unwrap();
            out.push((p.clone(), std::fs::read(&p).unwrap(), m));
        }
    }
    out.sort();
    out
}

/// The project's samples (when present): fix on a copy converges in one run; a second run
/// and `--diff` find nothing more.
#[test]
fn fixing_copies_of_the_samples_converges() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    if !samples.is_dir() {
        eprintln!("no samples/ directory; skipping");
        return;
    }
    let d = dir();
    let copy = d.path().join("samples");
    copy_tree(&samples, &copy);
    let before = tree_bytes(&copy);
    let r = run(mtlint().arg("fix").arg(&copy));
    assert!(r.code == 0 || r.code == 1, "{}{}", r.stdout, r.stderr);
    let fixed = tree_bytes(&copy);
    assert_ne!(
        before, fixed,
        "the samples hold fixable defects, so fix must change something"
    );
    let r = run(mtlint().arg("fix").arg(&copy));
    assert!(r.stdout.contains("Fixed 0 problems in 0 files"), "{}", r.stdout);
    assert_eq!(tree_bytes(&copy), fixed, "a second run changed files");
    let r = run(mtlint().args(["fix", "--diff"]).arg(&copy));
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn a_file_named_twice_is_fixed_once() {
    let d = dir();
    let a = write(d.path(), "a.txt", FIXABLE);
    let r = run(mtlint()
        .arg("fix")
        .arg(&a)
        .arg(d.path())
        .arg(d.path().join(".").join("a.txt")));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(read(&a), FIXABLE_FIXED);
    assert!(
        r.stdout.contains("Fixed 4 problems in 1 file; nothing left."),
        "{}",
        r.stdout
    );
}

/// The plain diff is a real patch: `patch -p1` turns the files into what `fix` writes,
/// CRLF line endings and a missing final newline included.
#[test]
fn the_plain_diff_applies_with_patch() {
    if Command::new("patch").arg("--version").output().is_err() {
        eprintln!("patch(1) is not installed; skipping");
        return;
    }
    let d = dir();
    write(d.path(), "a.txt", FIXABLE);
    write(d.path(), "b.txt", "The R & D centre.\r\nThe meeting . It ended");
    let r = run(mtlint()
        .args(["fix", "--diff", "--lang", "en", "a.txt", "b.txt"])
        .current_dir(d.path()));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let mut patch = Command::new("patch")
        .args(["-p1", "--quiet"])
        .current_dir(d.path())
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    patch.stdin.take().unwrap().write_all(r.stdout.as_bytes()).unwrap();
    assert!(patch.wait().unwrap().success(), "patch refused the diff:\n{}", r.stdout);
    assert_eq!(read(&d.path().join("a.txt")), FIXABLE_FIXED);
    assert_eq!(
        read(&d.path().join("b.txt")),
        "The R&D centre.\r\nThe meeting. It ended"
    );
}

/// `fix -i` and plain `fix` share one fix loop: answering yes to every question gives the
/// plain fix's text, in a Markdown file (whose code blocks and inline code are left alone by
/// both) and in an XLIFF file (where only targets change, entities stay encoded).
#[cfg(unix)]
#[test]
fn interactive_and_plain_fixing_agree() {
    let markdown = "# Notes\n\nThe R & D centre held the meeting . The M & A desk  opened.\n\n\
                    ```\nThe R & D centre held the meeting .\n```\n\nRun `the meeting .` in `R & D`.\n";
    let xliff = read(Path::new("tests/fixtures/formats/xliff12.xlf"));
    for (name, text) in [("notes.md", markdown), ("fair.xlf", xliff.as_str())] {
        let d = dir();
        let plain = write(d.path(), &format!("plain-{name}"), text);
        let asked = write(d.path(), &format!("asked-{name}"), text);
        let r = run(mtlint().args(["fix", "--unsafe-fixes"]).arg(&plain));
        assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
        assert_ne!(read(&plain), text, "{name}: plain fix changed nothing");
        let args = format!("--unsafe-fixes {}", asked.display());
        let Some(stdout) = interactive(&args, "y\n".repeat(200).as_bytes(), &[]) else {
            return;
        };
        assert_eq!(read(&asked), read(&plain), "{name}: {stdout}");
    }
}

/// Two rules whose fixes undo each other (one puts a no-break space before a comma, the other
/// deletes it): the fix engine leaves them out and says where, and the place it names, traced
/// back through edits that changed byte lengths, is whole characters of the file (it panicked).
#[test]
fn a_cycle_through_multibyte_edits_is_reported_not_a_panic() {
    let d = dir();
    let rules = write(
        d.path(),
        "cycle.toml",
        "[pack]\nname = \"cycle\"\n\n[[rule]]\nid = \"nbsp-before\"\nkind = \"typography\"\n\
         check = \"french-spacing\"\nchars = \",.;\"\n\n[[rule]]\nid = \"no-nbsp\"\nkind = \"unicode\"\n\
         check = \"invisible\"\nchars = \"\\u00a0x\"\n",
    );
    let text = "The fair drew buyers, exhibitors and guests.\n";
    let a = write(d.path(), "a.txt", text);
    let r = run(mtlint()
        .args(["fix", "--diff", "--unsafe-fixes", "--rules"])
        .arg(&rules)
        .arg(&a));
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(r.stderr.contains("does not converge"), "{}", r.stderr);
    assert_eq!(read(&a), text, "--diff writes nothing");
}
