//! Reliability under hostile or huge input, round two (issue 21, items 5-8 and 10): long lines
//! with many findings, elements with many attributes, CDATA targets, a file changed while
//! `fix` writes it, and packs with many rules.

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
        .env_remove("MTLINT_TEST_HOLD_BEFORE_RENAME")
        .timeout(Duration::from_secs(60));
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

fn stdout_of(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

// ---------------------------------------------------------------------------------------------
// 5. Positions on a long line with many findings

/// A sentence with one finding (the spaced ampersand) and a letter that is two bytes long.
const SENTENCE: &str = "The R & D café hired ninety people in May. ";

#[test]
fn positions_on_a_long_line_match_the_line_broken_text() {
    let n = 3000;
    let one_line = SENTENCE.repeat(n) + "\n";
    let broken = format!("{}\n", SENTENCE.trim_end()).repeat(n);
    let dir = tree(&[("one.txt", &one_line), ("broken.txt", &broken)]);
    let concise = |file: &str| stdout_of(mtlint(dir.path()).args(["check", "--format", "concise", file]));
    let (one, lines) = (concise("one.txt"), concise("broken.txt"));
    let width = SENTENCE.chars().count();
    let mut count = 0;
    for (a, b) in one.lines().zip(lines.lines()) {
        // `one.txt:1:COL: rule: message` against `broken.txt:LINE:COL: rule: message`.
        let a: Vec<&str> = a.splitn(4, ':').collect();
        let b: Vec<&str> = b.splitn(4, ':').collect();
        let (line, col): (usize, usize) = (b[1].parse().unwrap(), b[2].parse().unwrap());
        assert_eq!(a[1], "1");
        assert_eq!(
            a[2].parse::<usize>().unwrap(),
            (line - 1) * width + col,
            "{a:?} / {b:?}"
        );
        assert_eq!(a[3], b[3]);
        count += 1;
    }
    assert_eq!(count, n, "{one}");
    assert_eq!(one.lines().count(), lines.lines().count());

    // JSON carries start and end columns: the same columns, shifted by the sentences before.
    let json = |file: &str| -> serde_json::Value {
        serde_json::from_str(&stdout_of(mtlint(dir.path()).args(["check", "--format", "json", file]))).unwrap()
    };
    let (one, lines) = (json("one.txt"), json("broken.txt"));
    let diags = |v: &serde_json::Value| v["files"][0]["diagnostics"].as_array().unwrap().clone();
    let at = |d: &serde_json::Value, key: &str| d["span"][key].as_u64().unwrap() as usize;
    let (one, lines) = (diags(&one), diags(&lines));
    assert_eq!(one.len(), n);
    for (a, b) in one.iter().zip(&lines) {
        let shift = (at(b, "line") - 1) * width;
        assert_eq!(at(a, "column"), at(b, "column") + shift, "{a} / {b}");
        assert_eq!(at(a, "end_column"), at(b, "end_column") + shift, "{a} / {b}");
    }

    // The human snippet shows the same context on both.
    let human = |file: &str| stdout_of(mtlint(dir.path()).args(["check", "--format", "human", file]));
    let snippet = |out: &str| -> Vec<String> {
        out.lines()
            .filter(|l| l.contains("| ") && l.contains("R & D"))
            .map(|l| l.split_once("| ").unwrap().1.trim_start_matches('…').to_string())
            .collect()
    };
    let (a, b) = (human("one.txt"), human("broken.txt"));
    let (a, b) = (snippet(&a), snippet(&b));
    // Repeats of one finding are grouped (one snippet shown per group), the same on both.
    assert_eq!(a.len(), b.len());
    assert!(!a.is_empty());
    // A snippet on the long line is a window that fits a terminal, not the whole line.
    for line in &a {
        assert!(line.contains("R & D") && line.chars().count() <= 200, "{line}");
    }
    assert_eq!(b[0], "The R & D café hired ninety people in May.");
}

// ---------------------------------------------------------------------------------------------
// 8. A write that lands while `fix` writes its temporary file is not lost

#[test]
fn an_append_after_the_temporary_file_is_written_is_not_lost() {
    let original = "The R & D centre opened .\n";
    let dir = tree(&[("a.txt", original)]);
    let bin = assert_cmd::cargo::cargo_bin!("mtlint");
    let mut child = Command::new(bin)
        .args(["fix", "a.txt"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env_remove("MTLINT_TEST_HOLD_BEFORE_WRITE")
        .env("MTLINT_TEST_HOLD_BEFORE_RENAME", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.contains("holding before renaming"), "{line}");
    // The temporary file is written and synced by now: another program appends a line.
    let a = dir.path().join("a.txt");
    fs::OpenOptions::new()
        .append(true)
        .open(&a)
        .unwrap()
        .write_all(b"A line saved by someone else.\n")
        .unwrap();
    child.stdin.take().unwrap().write_all(b"\n").unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("fix did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut rest).unwrap();
    assert_eq!(status.code(), Some(2), "{rest}");
    assert!(
        rest.contains("the file changed on disk while it was being fixed"),
        "{rest}"
    );
    assert_eq!(
        fs::read_to_string(&a).unwrap(),
        format!("{original}A line saved by someone else.\n"),
        "the other program's write was lost"
    );
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "a temporary file was left behind: {names:?}");
}

// ---------------------------------------------------------------------------------------------
// 6. Elements with many attributes

#[test]
fn an_element_with_a_flood_of_attributes_is_refused_with_its_place() {
    let flood: String = (0..200_000).map(|i| format!(" a{i}=\"{i}\"")).collect();
    let xliff = format!(
        "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\">\n  <file{flood} source-language=\"zh\" target-language=\"en\"><body>\n<trans-unit id=\"1\"><source>研发</source><target>The new lab , near the river , opened in May.</target></trans-unit>\n</body></file></xliff>\n"
    );
    let tmx_flood: String = (0..300).map(|i| format!(" x{i}='{i}'")).collect();
    let tmx = format!(
        "<tmx version=\"1.4\"><header srclang=\"zh\"/><body>\n<tu tuid=\"1\"><tuv xml:lang=\"zh\"><seg>研发</seg></tuv><tuv xml:lang=\"en\"{tmx_flood}><seg>R &amp; D</seg></tuv></tu></body></tmx>\n"
    );
    let dir = tree(&[("flood.xlf", &xliff), ("flood.tmx", &tmx)]);
    mtlint(dir.path())
        .args(["check", "flood.xlf"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("flood.xlf"))
        .stdout(predicate::str::contains("line 3, column 3"))
        .stdout(predicate::str::contains(
            "<file> has more than 256 attributes: an XLIFF or TMX element needs a handful",
        ));
    mtlint(dir.path())
        .args(["check", "flood.tmx"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("line 2, column 52"))
        .stdout(predicate::str::contains("<tuv> has more than 256 attributes"));
    // Up to the limit, attributes are read (and a repeated one is still named).
    let ok: String = (0..200).map(|i| format!(" a{i}=\"{i}\"")).collect();
    let fine = xliff.replace(&flood, &ok);
    fs::write(dir.path().join("fine.xlf"), &fine).unwrap();
    mtlint(dir.path())
        .args(["check", "--format", "concise", "fine.xlf"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("en/space-before-punctuation"));
    fs::write(dir.path().join("twice.xlf"), fine.replace(" a7=\"7\"", " a3=\"x\"")).unwrap();
    mtlint(dir.path())
        .args(["check", "twice.xlf"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("bad attribute in <file>"))
        .stdout(predicate::str::contains("duplicated attribute"));
}

// ---------------------------------------------------------------------------------------------
// 7. Fixes inside CDATA targets

fn xliff_with_target(target: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\"><file source-language=\"zh\" target-language=\"en\"><body>\n<trans-unit id=\"1\"><source>研发中心开张了。</source><target>{target}</target></trans-unit>\n</body></file></xliff>\n"
    )
}

#[test]
fn a_fix_in_a_cdata_target_is_written_as_cdata_and_round_trips() {
    let xliff = xliff_with_target("<![CDATA[The R & D centre opened , near the river.]]>");
    let tmx = "<tmx version=\"1.4\"><header srclang=\"zh\"/><body>\n<tu tuid=\"1\"><tuv xml:lang=\"zh\"><seg>研发中心</seg></tuv><tuv xml:lang=\"en\"><seg>The lab , <![CDATA[the R & D centre]]> opened.</seg></tuv></tu>\n</body></tmx>\n";
    let dir = tree(&[("a.xlf", &xliff), ("a.tmx", tmx)]);

    // JSON carries the replacement as the file will hold it: `R&D` inside CDATA, no entity.
    let out = stdout_of(mtlint(dir.path()).args(["check", "--format", "json", "a.xlf"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    let amp = diags
        .iter()
        .find(|d| d["rule"] == "en/ampersand-spacing")
        .expect("R & D is found");
    assert_eq!(amp["fix"]["edits"][0]["replacement"], "R&D", "{amp}");

    mtlint(dir.path()).args(["fix", "a.xlf", "a.tmx"]).assert().code(0);
    let fixed = fs::read_to_string(dir.path().join("a.xlf")).unwrap();
    assert!(
        fixed.contains("<target><![CDATA[The R&D centre opened, near the river.]]></target>"),
        "{fixed}"
    );
    let fixed = fs::read_to_string(dir.path().join("a.tmx")).unwrap();
    assert!(
        fixed.contains("<seg>The lab, <![CDATA[the R&D centre]]> opened.</seg>"),
        "{fixed}"
    );
    // The fixed files still read, and a second run finds nothing more to fix.
    mtlint(dir.path())
        .args(["fix", "--diff", "a.xlf", "a.tmx"])
        .assert()
        .code(0)
        .stdout(predicate::str::is_empty());
}

#[test]
fn a_fix_never_closes_a_cdata_section_early() {
    // A house rule whose replacement holds `]]>`, and one whose deletion would join `]]` and `>`.
    let rules = "[pack]\nname = \"house\"\ntarget = \"en\"\n\n[[rule]]\nid = \"arrow\"\nkind = \"pattern\"\npattern = '=>'\nreplace = \"]]>\"\nmessage = \"write the arrow as the house style has it\"\n\n[[rule]]\nid = \"stray-x\"\nkind = \"pattern\"\npattern = '\\]\\]X'\nreplace = \"]]\"\nmessage = \"a stray X\"\n";
    let xliff = xliff_with_target("<![CDATA[Press => to go on, then ]]X> to stop.]]>");
    let dir = tree(&[("a.xlf", &xliff), ("house.toml", rules)]);
    let select = ["--rules", "house.toml", "--select", "house"];
    let out = stdout_of(
        mtlint(dir.path())
            .args(["check", "--format", "json"])
            .args(select)
            .arg("a.xlf"),
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let edits: Vec<String> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["fix"]["edits"][0]["replacement"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(edits, ["]]]]><![CDATA[>", "]]]]><![CDATA["], "{out}");
    mtlint(dir.path())
        .args(["fix"])
        .args(select)
        .arg("a.xlf")
        .assert()
        .code(0);
    let fixed = fs::read_to_string(dir.path().join("a.xlf")).unwrap();
    assert!(
        fixed.contains("<target><![CDATA[Press ]]]]><![CDATA[> to go on, then ]]]]><![CDATA[> to stop.]]></target>"),
        "{fixed}"
    );
    // The file still parses, and its target reads as the rules meant.
    mtlint(dir.path())
        .args(["check", "--format", "json"])
        .args(select)
        .arg("a.xlf")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("\"diagnostics\": []"));
}

// ---------------------------------------------------------------------------------------------
// 10. Packs with many rules

#[test]
fn a_pack_of_twenty_thousand_rules_loads_with_its_lines_and_overrides() {
    let n = 20_000;
    let mut pack = String::from("[pack]\nname = \"many\"\ntarget = \"en\"\n");
    let mut last_line = 0;
    for i in 0..n {
        // Each rule takes six lines and its header is the second (after a blank line).
        last_line = 3 + 6 * i + 2;
        pack.push_str(&format!(
            "\n[[rule]]\nid = \"rule-{i}\"\nkind = \"pattern\"\npattern = '\\bzq{i}x\\b'\nmessage = \"made-up word {i}\"\n"
        ));
    }
    // The last rule's example is wrong on purpose: `test-rules` names its line.
    pack.push_str("examples = [{ bad = \"nothing to find\" }]\n");
    let overrides: String = (0..n)
        .step_by(4)
        .map(|i| format!("[rule.\"many/rule-{i}\"]\nseverity = \"error\"\n"))
        .collect();
    let config = format!(
        "rules = [\"many.toml\"]\nselect = [\"many/rule-0\", \"many/rule-19999\", \"many/rule-7\"]\n\n{overrides}"
    );
    let dir = tree(&[
        ("many.toml", &pack),
        ("mtlint.toml", &config),
        ("a.txt", "Words zq0x and zq7x and zq19999x and zq5x.\n"),
    ]);
    let out = stdout_of(mtlint(dir.path()).args(["check", "--format", "json", "a.txt"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let found: Vec<(String, String)> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().into(),
                d["severity"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected = [
        ("many/rule-0", "error"),
        ("many/rule-7", "warning"),
        ("many/rule-19999", "warning"),
    ];
    assert_eq!(found, expected.map(|(r, s)| (r.to_string(), s.to_string())), "{out}");
    mtlint(dir.path())
        .args(["test-rules", "many.toml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "FAIL many.toml:{last_line}: many/rule-19999 example 1"
        )));
}
