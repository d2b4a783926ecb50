//! Quotation marks as a user meets them: inch and second marks, guillemets in either
//! direction and nested, a guillemet used as a separator, `?` for lost quotes, and a "safe"
//! fix that would leave its quotes unbalanced.

use std::fs;
use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;

fn concise(dir: &Path, file: &str, args: &[&str]) -> String {
    let out = cargo_bin_cmd!("mtlint")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["check", file, "--format", "concise"])
        .args(args)
        .output()
        .expect("mtlint runs");
    String::from_utf8(out.stdout).unwrap()
}

fn check(text: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), text).unwrap();
    concise(dir.path(), "a.txt", args)
}

fn fixed(text: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt");
    fs::write(&path, text).unwrap();
    cargo_bin_cmd!("mtlint")
        .current_dir(dir.path())
        .args(["fix", "a.txt"])
        .args(args)
        .output()
        .expect("mtlint runs");
    fs::read_to_string(path).unwrap()
}

#[test]
fn inch_and_second_marks_are_not_quotes() {
    let text = "She bought a 27\" monitor and a 32\" one. The guard is 6'2\" and his friend 5' 11\".\n\nThe tile measures 12\" x 8\" and the clip runs 30\".\n\nA 15” screen was cheaper.\n";
    let out = check(text, &["--select", "en/unbalanced-quote"]);
    assert_eq!(out, "", "{out}");
    // A quotation that ends on a number still closes.
    let out = check(
        "He wrote \"the answer is 42\" on the board.\n",
        &["--select", "en/unbalanced-quote"],
    );
    assert_eq!(out, "");
    let out = check(
        "He wrote the answer is 42\" on the board \"again.\n",
        &["--select", "en/unbalanced-quote"],
    );
    assert!(out.contains("en/unbalanced-quote"), "{out}");
}

#[test]
fn a_quotation_running_over_paragraphs_and_an_empty_pair_are_balanced() {
    let text = "The mayor said: \"We will open the hall in May.\n\n\"Then the fair will follow,\" she added.\n\nSet the name to \"\", then save.\n";
    let out = check(text, &["--select", "en/unbalanced-quote"]);
    assert_eq!(out, "", "{out}");
}

#[test]
fn guillemets_are_read_in_the_paragraphs_direction_and_nest() {
    let ok = "Er sagte: »Das Modell heißt ›Lampe eins‹ und ist fertig.«\n\nSie sagte: «Wir nennen es ‹Lampe› im Katalog.»\n\nStart » Aktuelles » Messe\n";
    let out = check(
        ok,
        &["--lang", "de", "--select", "de/anfuehrungszeichen-unausgeglichen"],
    );
    assert_eq!(out, "", "{out}");
    let bad = "Er sagte: »Das Modell ist fertig.\n";
    let out = check(
        bad,
        &["--lang", "de", "--select", "de/anfuehrungszeichen-unausgeglichen"],
    );
    assert!(out.contains("anfuehrungszeichen-unausgeglichen"), "{out}");
    let fr = "Elle a dit\u{a0}: «\u{a0}Nous appelons ce modèle ‹\u{a0}lampe\u{a0}› au catalogue.\u{a0}»\n\nAccueil » Actualités » Salon\n";
    let out = check(fr, &["--lang", "fr", "--select", "fr/guillemets-desequilibres"]);
    assert_eq!(out, "", "{out}");
}

#[test]
fn question_marks_for_lost_quotes_are_flagged_with_an_unsafe_fix() {
    let text = "The town backs the ?Belt and Road? initiative.\nParty Leaders?Visit the Villages\nWhy now? Because the fair opens. See https://example.com/find?q=lamps today.\n";
    let out = check(text, &["--select", "en/lost-quote"]);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert_eq!(fixed(text, &["--select", "en/lost-quote"]), text);
    assert!(fixed(text, &["--select", "en/lost-quote", "--unsafe-fixes"]).contains("the “Belt and Road” initiative"));
}

#[test]
fn a_quote_fix_that_leaves_its_paragraph_unbalanced_is_not_safe() {
    // The fix writes one whole pair (`"two new"`), but the quote before "combination" stays
    // open: the paragraph is still unbalanced, so the fix waits for a human.
    let messy = "The \"two new\" groups. The pin \"combination of\" two new \"building mode.\n";
    let out = check(messy, &["--select", "en/detached-quote"]);
    assert!(
        out.contains("en/detached-quote") && out.contains("[unsafe fix]"),
        "{out}"
    );
    assert_eq!(fixed(messy, &["--select", "en/detached-quote"]), messy);
    assert_eq!(
        fixed(messy, &["--select", "en/detached-quote", "--unsafe-fixes"]),
        "The \"two new\" groups. The pin \"combination of \"two new\" building mode.\n"
    );
    // The same fix in a paragraph it leaves balanced is applied.
    let clean = "The \"two new\" groups. To reach the\" two new \"goal, they met.\n";
    assert_eq!(
        fixed(clean, &["--select", "en/detached-quote"]),
        "The \"two new\" groups. To reach the \"two new\" goal, they met.\n"
    );
}

#[test]
fn two_quote_fixes_that_together_balance_a_paragraph_are_both_safe() {
    // Alone, each fix leaves the other defect unbalanced; together they balance it.
    let text = "The \"two new\" groups. To reach the\" two new \"goal, they met the \"old\"\" ones.\n";
    let out = check(text, &["--select", "en/detached-quote,en/doubled-quote"]);
    assert!(!out.contains("unsafe"), "{out}");
    assert_eq!(
        fixed(text, &["--select", "en/detached-quote,en/doubled-quote"]),
        "The \"two new\" groups. To reach the \"two new\" goal, they met the \"old\" ones.\n"
    );
}

#[test]
fn a_quoted_version_number_still_closes_its_quote() {
    let text = "Use the tag with version=\"v1.12\" and state=\"alpha\" in the page.\n";
    let out = check(text, &["--select", "en/unbalanced-quote"]);
    assert_eq!(out, "", "{out}");
}

#[test]
fn a_detached_curly_pair_is_rechecked_without_slicing_inside_a_quote() {
    // The quotes a fix writes are several bytes wide: the re-check must step over them whole
    // (this paragraph once made the check panic).
    let text = "The events held during the “Children's Day” this year include the ”Lamp Fair\" Learning Carnival, the first Art Festival, the ”Book Carnival “activities and a parade.\n";
    for cmd in ["check", "fix"] {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), text).unwrap();
        let out = cargo_bin_cmd!("mtlint")
            .current_dir(dir.path())
            .args([cmd, "a.txt"])
            .output()
            .expect("mtlint runs");
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A page that quotes typographically in its prose, around code and markup full of straight
/// quotes, uses one quote style: only the prose's marks are counted. A straight quote in the
/// prose is still the odd one out.
#[test]
fn quote_style_is_the_prose_style_not_the_codes() {
    let page = "# Parsing numbers\n\n\
                <span class=\"caption\">Listing 1: reading a number</span>\n\n\
                ```rust\nlet guess: u32 = \"42\".parse().expect(\"Not a number!\");\nlet name = \"Ferris\";\n```\n\n\
                The value is written as `\"42\"` in the source, as the “Parsing” section and \
                the “Numbers” appendix explain.\n";
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("page.md"), page).unwrap();
    let out = concise(dir.path(), "page.md", &["--lang", "en"]);
    assert!(!out.contains("mixed-quote-style"), "{out}");

    let odd = page.replace("the “Numbers” appendix", "the \"Numbers\" appendix");
    fs::write(dir.path().join("odd.md"), odd).unwrap();
    let out = concise(dir.path(), "odd.md", &["--lang", "en"]);
    assert_eq!(out.matches("en/mixed-quote-style").count(), 2, "{out}");
}
