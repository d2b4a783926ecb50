//! `mtlint report`: the HTML page an editor opens and the Markdown for a pull request.

use assert_cmd::Command;

const FIXTURES: &str = "tests/data/reports";

fn report(args: &[&str]) -> (std::process::Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("mtlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("report")
        .args(args.iter().map(|a| a.replace("{dir}", dir.path().to_str().unwrap())))
        .output()
        .unwrap();
    (out, dir)
}

fn html_report() -> String {
    let (out, dir) = report(&[FIXTURES, "--html", "{dir}/r.html"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::read_to_string(dir.path().join("r.html")).unwrap()
}

fn markdown_report() -> String {
    let (out, _dir) = report(&[FIXTURES, "--markdown", "-", "--quiet"]);
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8(out.stdout).unwrap()
}

/// The text between `start` and the next `end` after it.
fn between<'a>(s: &'a str, start: &str, end: &str) -> &'a str {
    let i = s.find(start).unwrap_or_else(|| panic!("no {start}")) + start.len();
    &s[i..i + s[i..].find(end).unwrap()]
}

#[test]
fn html_shows_planted_markup_as_text() {
    let html = html_report();
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(!html.contains("<img src=x"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert_eq!(html.matches("<script").count(), 1, "only the report's own script");
}

#[test]
fn html_is_self_contained() {
    let html = html_report();
    for needle in ["<link", "@import", "src=\"http", "url(http", "<iframe", "<object"] {
        assert!(!html.contains(needle), "the report must not load {needle}");
    }
    let csp = between(&html, r#"http-equiv="Content-Security-Policy" content=""#, "\"");
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    let nonce = between(csp, "'nonce-", "'");
    assert!(nonce.len() >= 16);
    assert!(html.contains(&format!("<script nonce=\"{nonce}\">")));
}

#[test]
fn html_sorts_documents_worst_first_with_their_scores() {
    let html = html_report();
    let mut order = Vec::new();
    let mut scores = Vec::new();
    for section in html.split("<section class=\"document\"").skip(1) {
        order.push(between(section, "<h2>", "</h2>").to_string());
        scores.push(
            between(section, "<span class=\"value\">", "</span>")
                .parse::<f64>()
                .unwrap(),
        );
    }
    assert_eq!(
        order,
        [
            "tests/data/reports/lamp-fair.txt",
            "tests/data/reports/salon-lumiere.txt",
            "tests/data/reports/script-injection.txt",
            "tests/data/reports/clean-control.txt",
        ]
    );
    assert!(scores.windows(2).all(|w| w[0] <= w[1]), "{scores:?}");
    assert_eq!(scores[3], 100.0, "the clean control scores 100");
    assert!(html.contains("No findings."));
}

#[test]
fn html_explains_every_finding_in_place() {
    let html = html_report();
    assert_eq!(html.matches("<a class=\"ref sev-").count(), 20, "one marker a finding");
    // One note a group of findings (the same rule, text, message and fix); together they hold
    // every finding.
    let notes: Vec<usize> = html
        .split("<details class=\"note sev-")
        .skip(1)
        .map(|n| between(n, "data-count=\"", "\"").parse().unwrap())
        .collect();
    assert_eq!(notes.iter().sum::<usize>(), 20, "{notes:?}");
    assert!(
        !html.contains("<details class=\"note sev-warning\" open"),
        "notes start collapsed"
    );
    // Each note carries what the filters select on.
    for attr in [
        "data-sev=\"error\"",
        "data-sev=\"info\"",
        "data-cat=\"terminology\"",
        "data-rule=\"zh-en/guzhen\"",
    ] {
        assert!(html.contains(attr), "{attr}");
    }
    // Fixes show as inline diffs; invisible edits are made visible.
    assert!(html.contains("<del>the ancient town</del><ins>Guzhen</ins>"));
    assert!(html.contains("<del>\u{2423}</del>"), "a deleted space shows as ␣");
    assert!(html.contains("<del>â€™</del><ins>’</ins>"));
    // The filter bar offers each severity, category and rule.
    assert!(html.contains(r#"<option value="fluency/punctuation">"#));
    assert!(html.contains(r#"<option value="en/run-on">"#));
    // A run-on sentence is underlined, not shaded, so the findings inside it stay visible.
    assert!(html.contains("seg hl wide sev-warning"));
    assert!(html.contains("<span class=\"seg hl sev-warning\" data-f=\""));
}

/// Writes `files` to a temporary directory and returns the HTML report of it.
fn html_of(files: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = Command::cargo_bin("mtlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["report", ".", "--html", "r.html"])
        .output()
        .unwrap();
    assert!(
        out.status.code().unwrap() <= 1,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(dir.path().join("r.html")).unwrap()
}

#[test]
fn html_groups_repeated_findings_in_one_note_with_n_more() {
    let html = html_of(&[(
        "a.txt",
        "The R & D team met.\nOur R & D budget grew.\nNo R & D today.\nThe R & D lab came .\n",
    )]);
    let group = html
        .split("<details class=\"note sev-")
        .skip(1)
        .find(|n| n.contains("data-rule=\"en/ampersand-spacing\""))
        .expect("a note of the group");
    assert!(group.contains("data-count=\"4\""), "{group}");
    assert!(group.contains("<span class=\"times\">× 4</span>"), "{group}");
    assert!(group.contains("<summary>3 more</summary>"), "{group}");
    assert_eq!(
        html.matches("data-rule=\"en/ampersand-spacing\"").count(),
        2,
        "one note, one triage row"
    );
    // Each place is still marked in the text, linking to the group's note.
    assert_eq!(html.matches("<a class=\"ref sev-warning\"").count(), 5);
    // The triage view lists the group once, with its count.
    let triage = between(&html, "<section class=\"triage\"", "</section>");
    assert!(triage.contains("<td class=\"num\">4</td>"), "{triage}");
    // Rules in the tables filter when clicked.
    assert!(html.contains("<a class=\"filter\" href=\"#rule=en/ampersand-spacing\""));
}

#[test]
fn html_shows_a_bilingual_file_side_by_side_and_counts_target_words() {
    let tsv = "展会明天开幕。\tThe fair opens tomorrow.\n展会吸引了很多客商。\tThe fair drew 很多客商 from abroad.\n";
    let html = html_of(&[("pair.tsv", tsv)]);
    let table = between(&html, "<table class=\"segments\">", "</table>");
    assert_eq!(table.matches("<tr class=\"seg-row\">").count(), 2, "one row a segment");
    assert!(table.contains(">展会明天开幕。</td>"), "{table}");
    assert!(
        table.contains("<td class=\"tgt\" lang=\"en\">The fair opens tomorrow.</td>"),
        "{table}"
    );
    // The finding is marked in the target cell.
    let second = table.split("<tr class=\"seg-row\">").nth(2).unwrap();
    let target = between(second, "<td class=\"tgt\"", "</td>");
    assert!(target.contains("<a class=\"ref sev-error\""), "{target}");
    // Words of the targets only: 4, then 5 English words and 4 Chinese characters left in it.
    assert!(
        html.contains("13 words of target text"),
        "{}",
        between(&html, "<p class=\"meta\">", "</p>")
    );
}

#[test]
fn html_snapshot() {
    let html = html_report();
    // The style sheet and the script are tested in the browser; the nonce is random.
    let style = between(&html, "<style>", "</style>").to_string();
    let script = between(&html, "<script nonce=", "</script>").to_string();
    let nonce = between(&html, "'nonce-", "'").to_string();
    let page = html
        .replace(&style, "[style]")
        .replace(&script, "[script]")
        .replace(&nonce, "[nonce]")
        .replace(env!("CARGO_PKG_VERSION"), "[version]")
        .replace("><", ">\n<");
    insta::assert_snapshot!("html", page);
}

#[test]
fn markdown_snapshot() {
    let md = markdown_report();
    insta::assert_snapshot!("markdown", md.replace(env!("CARGO_PKG_VERSION"), "[version]"));
    assert!(!md.contains("<script"));
}

/// The score in each row follows the documented formula from the row's own counts.
#[test]
fn markdown_scores_follow_the_formula() {
    let md = markdown_report();
    let table = between(&md, "### Documents, worst first\n\n", "\n\n");
    let mut rows = 0;
    for row in table.lines().filter(|l| l.starts_with("| tests")) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        let num = |i: usize| cells[i].parse::<f64>().unwrap();
        let (words, errors, warnings, infos) = (num(2), num(3), num(4), num(5));
        let penalty = 10.0 * errors + 5.0 * warnings + infos;
        assert!((num(6) - 1000.0 * penalty / words).abs() < 0.051, "{row}");
        assert!(
            (num(7) - (100.0 * (1.0 - penalty / words)).max(0.0)).abs() < 0.051,
            "{row}"
        );
        rows += 1;
    }
    assert_eq!(rows, 4);
    let summary = between(&md, "**Quality score ", "**");
    assert!(summary.parse::<f64>().is_ok(), "{summary}");
}

#[test]
fn report_needs_an_output() {
    let (out, _dir) = report(&[FIXTURES]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--html") && err.contains("--markdown"), "{err}");
}

#[test]
fn report_writes_both_and_says_the_score() {
    let (out, dir) = report(&[FIXTURES, "--html", "{dir}/r.html", "--markdown", "{dir}/r.md"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(dir.path().join("r.html").exists() && dir.path().join("r.md").exists());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("4 files checked, 20 findings"), "{err}");
    assert!(err.contains("quality score"), "{err}");
}

#[test]
fn report_of_clean_text_exits_zero() {
    let (out, dir) = report(&[&format!("{FIXTURES}/clean-control.txt"), "--html", "{dir}/r.html"]);
    assert_eq!(out.status.code(), Some(0));
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(html.contains("<span class=\"value\">100.0</span>"));
}

#[test]
fn report_lists_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.txt"), b"caf\xe9\n").unwrap();
    std::fs::write(dir.path().join("good.txt"), "A short and clean note.\n").unwrap();
    let (out, _d) = report(&[dir.path().to_str().unwrap(), "--markdown", "-"]);
    assert_eq!(out.status.code(), Some(2), "an unreadable file is an error");
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("### Files that could not be checked"), "{md}");
    assert!(md.contains("bad.txt"));
}

#[test]
fn report_cannot_write_is_an_error() {
    let (out, _dir) = report(&[FIXTURES, "--html", "{dir}/missing/dir/r.html"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
}
