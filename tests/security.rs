//! Hostile repositories: configs and rule files that try to read other files, documents that
//! carry terminal escapes and bidirectional controls, configs planted by other users, FIFOs in
//! the place of files, and rule files built to flood the output (issue 21).

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use tempfile::TempDir;

fn mtlint(dir: &Path) -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("mtlint");
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("MTLINT_TEST_HOLD_BEFORE_WRITE")
        .timeout(Duration::from_secs(30));
    cmd
}

fn tree(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

const SECRET: &str = "hunter2-do-not-print";

/// A rule file whose rule flags "kiln"; its message names the file it came from.
fn rule_file(message: &str) -> String {
    format!(
        "[pack]\nname = \"local\"\n\n[[rule]]\nid = \"kiln\"\nkind = \"term\"\nvariants = [\"kiln\"]\nreplace = \"furnace\"\nmessage = \"{message}\"\n"
    )
}

// ---------------------------------------------------------------------------------------------
// 1. Paths a config names stay inside the project; other files are never quoted

#[test]
fn a_config_cannot_name_rule_files_outside_the_project() {
    let dir = tree(&[
        ("outside/secret.toml", &rule_file(SECRET)),
        ("project/mtlint.toml", "rules = [\"../outside/secret.toml\"]\n"),
        ("project/a.txt", "The kiln fired twice.\n"),
    ]);
    let project = dir.path().join("project");
    mtlint(&project)
        .args(["check", "--format", "concise", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("outside the project"))
        .stderr(predicate::str::contains("--allow-external-rules"))
        .stdout(predicate::str::contains(SECRET).not())
        .stderr(predicate::str::contains(SECRET).not());
    // The documented option lets it through, and so does naming it on the command line.
    mtlint(&project)
        .args(["check", "--format", "concise", "--allow-external-rules", "a.txt"])
        .assert()
        .stdout(predicate::str::contains("local/kiln"));
    fs::write(project.join("mtlint.toml"), "").unwrap();
    mtlint(&project)
        .args([
            "check",
            "--format",
            "concise",
            "--rules",
            "../outside/secret.toml",
            "a.txt",
        ])
        .assert()
        .stdout(predicate::str::contains("local/kiln"));
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_inside_the_project_does_not_lead_outside() {
    let dir = tree(&[
        ("outside/secret.toml", &rule_file(SECRET)),
        ("project/mtlint.toml", "rules = [\"rules.toml\"]\n"),
        ("project/a.txt", "The kiln fired twice.\n"),
    ]);
    let project = dir.path().join("project");
    std::os::unix::fs::symlink(dir.path().join("outside/secret.toml"), project.join("rules.toml")).unwrap();
    mtlint(&project)
        .args(["check", "--format", "concise", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("outside the project"));
}

#[test]
fn a_file_that_is_no_rule_file_is_never_quoted() {
    let dir = tree(&[
        ("a.txt", "The kiln fired twice.\n"),
        ("token.env", &format!("GIT_TOKEN={SECRET}\n")),
        ("keys.toml", &format!("api_key = \"{SECRET}\"\n")),
    ]);
    for file in ["token.env", "keys.toml"] {
        mtlint(dir.path())
            .args(["check", "--rules", file, "a.txt"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("not a rule file"))
            .stderr(predicate::str::contains(SECRET).not());
    }
    // A real rule file's mistakes are still shown with their line.
    fs::write(
        dir.path().join("bad.toml"),
        "[pack]\nname = \"x\"\n[[rule]]\nid = \"k\"\nkind = \"nope\"\n",
    )
    .unwrap();
    mtlint(dir.path())
        .args(["check", "--rules", "bad.toml", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("kind = \"nope\""));
}

// ---------------------------------------------------------------------------------------------
// 2, 3. Terminal output under a real pseudo-terminal; every bidi control flagged

/// Runs `mtlint ARGS` in `dir` under a pseudo-terminal (util-linux `script`), with `input` on
/// its standard input; returns everything the terminal received. None where `script` is
/// missing.
fn on_terminal(dir: &Path, args: &str, input: &str) -> Option<String> {
    let bin = assert_cmd::cargo::cargo_bin!("mtlint");
    let probe = Command::new("script").arg("--version").output().ok()?;
    if !probe.status.success() {
        return None;
    }
    let mut child = Command::new("script")
        .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("MTLINT_TEST_HOLD_BEFORE_WRITE")
        .env("TERM", "xterm")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A document that tries to set the window title, clear the screen and reverse the text.
const HOSTILE: &str = "The the kiln \u{1b}]0;owned\u{7} fired \u{1b}[2J twice \u{202e}deliver\u{202c} now.\n";

fn assert_no_raw_payload(shown: &str, snippet: bool) {
    assert!(
        !shown.contains("\u{1b}]0;"),
        "an OSC title sequence reached the terminal:\n{shown}"
    );
    assert!(
        !shown.contains("\u{1b}[2J"),
        "clear-screen reached the terminal:\n{shown}"
    );
    assert!(!shown.contains('\u{7}'), "a bell reached the terminal:\n{shown}");
    assert!(!shown.contains('\u{202e}'), "U+202E reached the terminal:\n{shown}");
    assert!(!shown.contains('\u{202c}'), "U+202C reached the terminal:\n{shown}");
    if snippet {
        assert!(shown.contains("⟨U+202E⟩"), "U+202E is not shown visibly:\n{shown}");
        assert!(shown.contains("⟨U+001B⟩"), "ESC is not shown visibly:\n{shown}");
    }
}

#[test]
fn terminal_output_never_carries_a_documents_escapes() {
    let dir = tree(&[("a.txt", HOSTILE)]);
    for (args, input) in [
        ("fix --diff a.txt", ""),
        ("fix --diff --color never a.txt", ""),
        ("fix --interactive a.txt", "n\nn\nn\nn\nn\nn\nn\nn\n"),
        ("check a.txt", ""),
        ("check --format concise a.txt", ""),
    ] {
        let Some(shown) = on_terminal(dir.path(), args, input) else {
            eprintln!("skipped: no `script` to make a pseudo-terminal");
            return;
        };
        assert!(shown.contains("a.txt"), "`{args}` printed nothing useful:\n{shown}");
        assert_no_raw_payload(&shown, !args.contains("concise"));
    }
    assert_eq!(fs::read_to_string(dir.path().join("a.txt")).unwrap(), HOSTILE);
}

#[test]
fn rule_file_text_and_file_names_reach_the_terminal_sanitised() {
    let rules = "[pack]\nname = \"local\"\n\n[[rule]]\nid = \"kiln\"\nkind = \"term\"\nvariants = [\"kiln\"]\nreplace = \"furnace\"\nmessage = \"say \\u001B]0;owned\\u0007 \\u202Edeliver\\u202C\"\nexamples = [{ ok = \"the kiln \\u001B]0;owned\\u0007 \\u202Edeliver\" }]\n";
    let name = "odd\u{1b}[2J\u{202e}name.txt";
    let dir = tree(&[("rules.toml", rules), (name, "The kiln fired twice.\n")]);
    for args in [
        format!("check --rules rules.toml '{name}'"),
        format!("check --format concise --rules rules.toml '{name}'"),
        "explain local/kiln --rules rules.toml".to_string(),
        "rules --rules rules.toml --pack local".to_string(),
        "test-rules rules.toml".to_string(),
    ] {
        let Some(shown) = on_terminal(dir.path(), &args, "") else {
            return;
        };
        assert!(shown.contains("kiln"), "`{args}` printed nothing useful:\n{shown}");
        assert!(
            !shown.contains("\u{1b}]0;"),
            "`{args}`: OSC reached the terminal:\n{shown}"
        );
        assert!(
            !shown.contains("\u{1b}[2J"),
            "`{args}`: clear-screen reached the terminal:\n{shown}"
        );
        assert!(
            !shown.contains('\u{202e}'),
            "`{args}`: U+202E reached the terminal:\n{shown}"
        );
    }
}

#[test]
fn an_error_naming_a_hostile_file_is_sanitised() {
    let name = "bad\u{1b}]0;owned\u{7}.toml";
    let dir = tree(&[(name, "not = [ valid"), ("a.txt", "The kiln fired.\n")]);
    let Some(shown) = on_terminal(dir.path(), &format!("check --rules '{name}' a.txt"), "") else {
        return;
    };
    assert!(shown.contains("error"), "{shown}");
    assert!(!shown.contains("\u{1b}]0;"), "{shown}");
    assert!(shown.contains("⟨U+001B⟩"), "{shown}");
}

#[test]
fn every_bidi_control_is_flagged_in_every_language() {
    let controls = [
        '\u{061c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}',
        '\u{2067}', '\u{2068}', '\u{2069}',
    ];
    let samples = [
        ("en", "The kiln fired {} twice in the morning."),
        ("de", "Der Ofen brannte {} zweimal am Morgen."),
        ("fr", "Le four a chauffé {} deux fois ce matin."),
        ("zh", "窑炉{}今天早上烧了两次。"),
    ];
    for (lang, sample) in samples {
        let text: String = controls
            .iter()
            .map(|c| sample.replace("{}", &c.to_string()) + "\n")
            .collect();
        let dir = tree(&[("a.txt", &text)]);
        let out = mtlint(dir.path())
            .args(["check", "--format", "json", "--lang", lang, "a.txt"])
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let lines: Vec<u64> = json["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["message"].as_str().unwrap_or("").contains("invisible character"))
            .map(|d| d["span"]["line"].as_u64().unwrap())
            .collect();
        for line in 1..=controls.len() as u64 {
            assert!(
                lines.contains(&line),
                "{lang}: U+{:04X} (line {line}) is not flagged; flagged lines: {lines:?}",
                controls[line as usize - 1] as u32
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Discovery stops at the repository root and passes over unsafe configs

#[test]
fn discovery_stops_at_the_repository_root() {
    let dir = tree(&[
        ("mtlint.toml", "ignore = [\"en/repeated-word\"]\n"),
        ("repo/a.txt", "The the kiln fired twice.\n"),
    ]);
    let repo = dir.path().join("repo");
    // Without a repository the parent's config applies...
    mtlint(&repo)
        .args(["check", "--format", "concise", "a.txt"])
        .assert()
        .stdout(predicate::str::contains("en/repeated-word").not());
    // ...and inside one, discovery stops at its root.
    fs::create_dir(repo.join(".git")).unwrap();
    mtlint(&repo)
        .args(["check", "--format", "concise", "a.txt"])
        .assert()
        .stdout(predicate::str::contains("en/repeated-word"));
}

#[cfg(unix)]
#[test]
fn a_config_anyone_may_write_is_ignored_with_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[
        ("mtlint.toml", "ignore = [\"en/repeated-word\"]\n"),
        ("a.txt", "The the kiln fired twice.\n"),
    ]);
    let config = dir.path().join("mtlint.toml");
    fs::set_permissions(&config, fs::Permissions::from_mode(0o666)).unwrap();
    mtlint(dir.path())
        .args(["check", "--format", "concise", "a.txt"])
        .assert()
        .stdout(predicate::str::contains("en/repeated-word"))
        .stderr(predicate::str::contains("ignored: it is writable by every user"));
    // Given on the command line, it is the user's choice.
    mtlint(dir.path())
        .args(["check", "--format", "concise", "--config", "mtlint.toml", "a.txt"])
        .assert()
        .stdout(predicate::str::contains("en/repeated-word").not());
    fs::set_permissions(&config, fs::Permissions::from_mode(0o644)).unwrap();
    mtlint(dir.path())
        .args(["check", "--format", "concise", "a.txt"])
        .assert()
        .stdout(predicate::str::contains("en/repeated-word").not())
        .stderr(predicate::str::contains("ignored").not());
}

// ---------------------------------------------------------------------------------------------
// 9. FIFOs are refused, never waited on

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn fifos_are_refused_without_blocking() {
    let dir = tree(&[("a.txt", "The the kiln fired twice.\n")]);
    mkfifo(&dir.path().join("pipe"));
    for args in [
        vec!["check", "--rules", "pipe", "a.txt"],
        vec!["check", "--config", "pipe", "a.txt"],
        vec!["fix", "pipe"],
    ] {
        let started = Instant::now();
        let out = mtlint(dir.path()).args(&args).output().unwrap();
        let said = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {said}");
        assert!(said.contains("not a regular file"), "{args:?}: {said}");
        assert!(started.elapsed() < Duration::from_secs(20), "{args:?} took too long");
    }
}

#[cfg(unix)]
#[test]
fn a_file_swapped_for_a_fifo_before_fix_writes_is_refused() {
    let dir = tree(&[("a.txt", "The the kiln fired twice.\n")]);
    let bin = assert_cmd::cargo::cargo_bin!("mtlint");
    let mut child = Command::new(bin)
        .args(["fix", "a.txt"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("MTLINT_TEST_HOLD_BEFORE_WRITE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.contains("holding before writing"), "{line}");
    fs::remove_file(dir.path().join("a.txt")).unwrap();
    mkfifo(&dir.path().join("a.txt"));
    child.stdin.take().unwrap().write_all(b"\n").unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("fix blocked on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert_eq!(status.code(), Some(2), "{rest}");
    let meta = fs::symlink_metadata(dir.path().join("a.txt")).unwrap();
    assert!(!meta.is_file(), "the FIFO was replaced by a file");
}

// ---------------------------------------------------------------------------------------------
// 11. Caps on messages and replacements

#[test]
fn huge_messages_and_replacements_are_refused() {
    let long = "word ".repeat(1000);
    let dir = tree(&[
        ("a.txt", "The kiln fired twice.\n"),
        ("message.toml", &rule_file(&long)),
        (
            "replace.toml",
            &format!(
                "[pack]\nname = \"local\"\n\n[[rule]]\nid = \"kiln\"\nkind = \"term\"\nvariants = [\"kiln\"]\nreplace = \"{long}\"\n"
            ),
        ),
    ]);
    mtlint(dir.path())
        .args(["check", "--rules", "message.toml", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("messages are capped at 2048 bytes"))
        .stderr(predicate::str::contains("message.toml:9:"));
    mtlint(dir.path())
        .args(["check", "--rules", "replace.toml", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("replacements are capped at 1024 bytes"));
    // Through a config override too.
    fs::write(
        dir.path().join("mtlint.toml"),
        format!("[rule.\"en/repeated-word\"]\nmessage = \"{long}\"\n"),
    )
    .unwrap();
    mtlint(dir.path())
        .args(["check", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("messages are capped"));
}

// ---------------------------------------------------------------------------------------------
// 12. Smaller ones

#[cfg(unix)]
#[test]
fn init_does_not_write_through_a_dangling_link() {
    let dir = tree(&[]);
    let target = dir.path().join("elsewhere.toml");
    std::os::unix::fs::symlink(&target, dir.path().join("mtlint.toml")).unwrap();
    for args in [vec!["init"], vec!["init", "--force"]] {
        mtlint(dir.path())
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("is a symbolic link"));
        assert!(!target.exists(), "{args:?} wrote through the link");
    }
    fs::remove_file(dir.path().join("mtlint.toml")).unwrap();
    mtlint(dir.path()).arg("init").assert().success();
    assert!(fs::read_to_string(dir.path().join("mtlint.toml"))
        .unwrap()
        .contains("[rule."));
}

/// The HTML report's filter script reads its filters from the address: a malformed
/// `%`-escape there must not throw (that stops every filter). Run with node where it exists.
#[test]
fn the_report_script_survives_a_malformed_escape_in_the_address() {
    let script = include_str!("../src/report/report.js");
    let start = script
        .find("function decodePart")
        .expect("the script decodes through decodePart");
    let end = start + script[start..].find("\n  }\n").expect("decodePart ends") + 4;
    let test = format!(
        "{}\nif (decodePart('%E0%A4%A') !== '%E0%A4%A' || decodePart('en%2Frun-on') !== 'en/run-on') process.exit(1);\n",
        &script[start..end]
    );
    let Ok(out) = Command::new("node").args(["-e", &test]).output() else {
        eprintln!("skipped: no node to run the script");
        return;
    };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!script.contains("= decodeURIComponent("), "an unguarded decode is left");
}

#[test]
fn inline_tags_are_not_counted_as_words() {
    let tags = "<x id=\"t\"/>".repeat(50);
    let xliff = format!(
        "<xliff version=\"1.2\"><file source-language=\"zh\" target-language=\"en\"><body>\n\
         <trans-unit id=\"1\"><source>窑炉烧了两次。</source><target>The kiln {tags}fired twice.</target></trans-unit>\n\
         </body></file></xliff>\n"
    );
    let dir = tree(&[
        ("a.xlf", &xliff),
        ("mtlint.toml", "[rule.\"en/run-on\"]\nmax_words = 10\nmin_splices = 0\n"),
    ]);
    mtlint(dir.path())
        .args(["check", "--format", "concise", "a.xlf"])
        .assert()
        .stdout(predicate::str::contains("en/run-on").not());
    // Eleven real words are still too many.
    fs::write(
        dir.path().join("a.xlf"),
        xliff.replace("fired twice.", "fired twice in the old town before the long night."),
    )
    .unwrap();
    mtlint(dir.path())
        .args(["check", "--format", "concise", "a.xlf"])
        .assert()
        .stdout(predicate::str::contains("en/run-on"));
}
