//! Correct text stays correct: `mtlint fix` on short texts the project's authors wrote, each
//! holding something a careless linter would "repair" — URLs, placeholders, template code,
//! times, MAC addresses, emoticons, identifiers, glosses in another script, typing
//! conventions, metadata-like labels followed by prose. Each case is fixed with the shipped
//! packs and must come back byte for byte (or, where the text also holds a real defect, with
//! only that defect fixed).

use std::process::Stdio;

use assert_cmd::cargo::CommandCargoExt;
use std::process::Command;

/// Runs `mtlint fix --stdin` on `text` as a file named `name` in language `lang` and returns
/// the fixed text.
fn fixed(text: &str, name: &str, lang: &str) -> String {
    let mut cmd = Command::cargo_bin("mtlint").expect("the mtlint binary is built");
    let out = cmd
        .env("NO_COLOR", "1")
        .args(["fix", "--stdin", "--stdin-filename", name, "--lang", lang])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().expect("stdin").write_all(text.as_bytes())?;
            child.wait_with_output()
        })
        .expect("mtlint runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "mtlint fix failed on {text:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn assert_unchanged(lang: &str, name: &str, cases: &[&str]) {
    for case in cases {
        let text = format!("{case}\n");
        assert_eq!(fixed(&text, name, lang), text, "fix changed correct {lang} text");
    }
}

#[test]
fn urls_paths_and_addresses_are_not_prose() {
    assert_unchanged(
        "en",
        "a.txt",
        &[
            "The report is at https://example.com/news/2024/report.html,and nowhere else.",
            "Read https://example.com/a,b;c/index.html for the list.",
            "Write to press.office@example.org.The office answers in a day.",
            "The router's MAC address is 00:1A:2B:3C:4D:5E and it restarts at 07:30.",
            "Open C:\\Program Files\\Example\\config.ini in a text editor.",
            "The class Intl.NumberFormat formats numbers; call console.log() to print them.",
        ],
    );
    assert_unchanged(
        "zh",
        "a.txt",
        &["详情请访问https://example.com/新闻/index.html，或致电客服。"],
    );
}

#[test]
fn placeholders_and_template_code_are_not_prose() {
    assert_unchanged(
        "zh",
        "a.txt",
        &[
            "共%d个文件，已处理%s。",
            "欢迎${user}：${name}登录。",
            "你好{name}，你有{count}条消息。",
        ],
    );
    assert_unchanged(
        "en",
        "a.txt",
        &[
            "Hello {name},you have {count} new messages.",
            "Set the colour to #ff8800;the default is {{ theme.colour }}.",
            "It went well :-) and the team celebrated.",
        ],
    );
}

#[test]
fn glosses_and_quoted_examples_in_another_script_are_not_untranslated() {
    assert_unchanged(
        "en",
        "a.txt",
        &[
            "The poet Du Fu (杜甫, 712–770) wrote about the war.",
            "The greeting \"здравствуйте\" is formal.",
        ],
    );
    // A bare run is still flagged (and has no fix to apply).
    let text = "The meeting was held in 会议室 on Monday.\n";
    assert_eq!(fixed(text, "a.txt", "en"), text);
}

#[test]
fn typing_conventions_and_markup_keep_their_spaces() {
    assert_unchanged(
        "en",
        "a.md",
        &[
            "The plant opened in May.  It employs forty people.",
            "Term\n:   The definition of the term.",
        ],
    );
    assert_unchanged("zh", "a.md", &["<span class=\"filename\">文件名: src/main.rs</span>"]);
    assert_unchanged("fr", "a.md", &["Il a écrit «&nbsp;bonjour&nbsp;» au tableau."]);
}

#[test]
fn a_label_followed_by_a_sentence_is_prose() {
    assert_unchanged(
        "en",
        "a.txt",
        &[
            "Reading: students read two novels a term and discuss them in class.",
            "Views: the members held different views on the plan.",
        ],
    );
    let text = "Title\n\nNumber of visits: 123 The mayor opened the fair and many firms took part.\n";
    assert_eq!(
        fixed(text, "a.txt", "en"),
        "Title\n\nThe mayor opened the fair and many firms took part.\n"
    );
    // Metadata alone is still removed whole.
    let text = "Title\n\nRelease time: 2021-03-04 Views: 302\n\nThe fair opened.\n";
    assert_eq!(fixed(text, "a.txt", "en"), "Title\n\nThe fair opened.\n");
}

#[test]
fn real_defects_next_to_protected_text_are_still_fixed() {
    let text = "See https://example.com/a for details,the fair opened.\n";
    assert_eq!(
        fixed(text, "a.txt", "en"),
        "See https://example.com/a for details, the fair opened.\n"
    );
    let text = "今年第三季度,中山市灯饰企业的订单增加。\n";
    assert_eq!(fixed(text, "a.txt", "zh"), "今年第三季度，中山市灯饰企业的订单增加。\n");
}
