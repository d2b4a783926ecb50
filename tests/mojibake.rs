//! Mojibake and HTML entity residue as a user meets them: each damaged case is made here by
//! encoding a sentence of ours and decoding the bytes with the wrong codec, then checked and
//! fixed through the command line. Correct text with the same characters must come through
//! untouched.

use std::fs;
use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use encoding_rs::{GBK, MACINTOSH, WINDOWS_1252};

fn utf8_as_cp1252(s: &str) -> String {
    WINDOWS_1252.decode_without_bom_handling(s.as_bytes()).0.into_owned()
}

fn utf8_as_latin1(s: &str) -> String {
    s.bytes().map(char::from).collect()
}

fn utf8_as_mac_roman(s: &str) -> String {
    MACINTOSH.decode_without_bom_handling(s.as_bytes()).0.into_owned()
}

fn gbk_as_latin1(s: &str) -> String {
    let (bytes, _, unmappable) = GBK.encode(s);
    assert!(!unmappable, "{s} has characters GBK lacks");
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// Runs `mtlint check --format json` on the files of `dir`: (file name, rule, applicability).
fn findings(dir: &Path, extra: &[&str]) -> Vec<(String, String, String)> {
    let out = cargo_bin_cmd!("mtlint")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["check", ".", "--format", "json"])
        .args(extra)
        .output()
        .expect("mtlint runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let mut found = Vec::new();
    for file in json["files"].as_array().unwrap() {
        let name = Path::new(file["path"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        for d in file["diagnostics"].as_array().unwrap() {
            let applicability = d["fix"]["applicability"].as_str().unwrap_or("none").to_string();
            found.push((name.clone(), d["rule"].as_str().unwrap().to_string(), applicability));
        }
    }
    found
}

fn fix(dir: &Path, extra: &[&str]) {
    cargo_bin_cmd!("mtlint")
        .current_dir(dir)
        .args(["fix", "."])
        .args(extra)
        .output()
        .expect("mtlint runs");
}

/// (file, damaged text, text after `mtlint fix`)
fn damaged_cases() -> Vec<(&'static str, String, String)> {
    let sentence = "The lamp fair’s “best stand” award went to a café in Zhongshan — again.\n";
    vec![
        ("cp1252.txt", utf8_as_cp1252(sentence), sentence.to_string()),
        (
            "cp1252-twice.txt",
            utf8_as_cp1252(&utf8_as_cp1252(sentence)),
            sentence.to_string(),
        ),
        (
            "latin1.txt",
            utf8_as_latin1("Ángel said the naïve plan for Łódź costs 20 €.\n"),
            "Ángel said the naïve plan for Łódź costs 20 €.\n".to_string(),
        ),
        (
            "mac-roman.txt",
            utf8_as_mac_roman("The café’s owner opened at noon.\n"),
            "The café’s owner opened at noon.\n".to_string(),
        ),
        (
            "gbk-punctuation.txt",
            gbk_as_latin1("He said “welcome” to the guests —— twice.\n"),
            "He said “welcome” to the guests — twice.\n".to_string(),
        ),
        (
            "gbk-hanzi.txt",
            gbk_as_latin1("The fair (展会开幕) opened on Monday in the town hall.\n"),
            "The fair (展会开幕) opened on Monday in the town hall.\n".to_string(),
        ),
        (
            "cyrillic.txt",
            utf8_as_cp1252("Привет, мир. Выставка открылась в понедельник.\n"),
            "Привет, мир. Выставка открылась в понедельник.\n".to_string(),
        ),
        (
            // Spanish: a language without a pack of its own still gets the check.
            "spanish.txt",
            utf8_as_cp1252("El niño está en la estación con su compañero.\n"),
            "El niño está en la estación con su compañero.\n".to_string(),
        ),
    ]
}

#[test]
fn mojibake_made_by_wrong_codecs_is_repaired_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let cases = damaged_cases();
    for (name, damaged, _) in &cases {
        assert_ne!(damaged.as_str(), cases[0].2.as_str());
        fs::write(dir.path().join(name), damaged).unwrap();
    }
    let found = findings(dir.path(), &["--select", "encoding"]);
    for (name, _, _) in &cases {
        let mine: Vec<_> = found.iter().filter(|f| f.0 == *name).collect();
        assert!(!mine.is_empty(), "{name}: no finding");
        assert!(
            mine.iter().all(|f| f.1 == "encoding/mojibake" && f.2 == "safe"),
            "{name}: {mine:?}"
        );
    }
    fix(dir.path(), &["--select", "encoding"]);
    for (name, _, want) in &cases {
        assert_eq!(&fs::read_to_string(dir.path().join(name)).unwrap(), want, "{name}");
    }
}

#[test]
fn correct_text_is_never_flagged_or_changed() {
    let texts = [
        "Draw a 3×4 grid; the kit costs £20 at Zoë’s café.",
        "Press the (“+” and “−” keys) to zoom; a naïve reader from São Paulo.",
        "Add ½ cup of water and heat to 80 °C; one Ångström is tiny. ¿Qué? ¡¡Olé!!",
        "Die „Größe“ der Halle ist äußerst beeindruckend, sagte Jürgen Müßig.",
        "L’été à Noël : « déjà vu », dit l’élève ; le cœur de l’œuvre.",
        "SÃO PAULO and IRMÃ are written in capitals; Âge is French.",
        "For x = √±y the derivative ∂f/∂x ≈ 0 holds.",
        "展会在古镇开幕，“灯饰”企业参展。",
        "Þórður visited Ærø and Kraków in the summer.",
    ];
    let dir = tempfile::tempdir().unwrap();
    for (i, t) in texts.iter().enumerate() {
        fs::write(dir.path().join(format!("ok{i}.txt")), format!("{t}\n")).unwrap();
    }
    let found = findings(dir.path(), &["--select", "encoding"]);
    assert!(found.is_empty(), "{found:?}");
    fix(dir.path(), &["--select", "encoding", "--unsafe-fixes"]);
    for (i, t) in texts.iter().enumerate() {
        let now = fs::read_to_string(dir.path().join(format!("ok{i}.txt"))).unwrap();
        assert_eq!(now, format!("{t}\n"));
    }
}

#[test]
fn a_lone_lead_byte_is_flagged_but_not_fixed_safely() {
    let dir = tempfile::tempdir().unwrap();
    let text = "The stand is over thereÃ next to the door, 10Â metres away.\n";
    fs::write(dir.path().join("lone.txt"), text).unwrap();
    let found = findings(dir.path(), &["--select", "encoding"]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|f| f.2 != "safe"), "{found:?}");
    fix(dir.path(), &["--select", "encoding"]);
    assert_eq!(fs::read_to_string(dir.path().join("lone.txt")).unwrap(), text);
}

#[test]
fn entity_residue_is_decoded_in_text_and_only_indentation_in_markdown() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("scraped.txt"),
        "&emsp;&emsp;The R&amp;D centre opened&nbsp;today.\nIt shapes the country & apos; s plan for &#8220;smart lamps&#8221;.\n",
    )
    .unwrap();
    let md = "&emsp;&emsp;The fair opened on Monday.\n\nWrite `&amp;` in code, and &copy; or &amp; stay as written.\n";
    fs::write(dir.path().join("page.md"), md).unwrap();
    let found = findings(dir.path(), &["--select", "encoding"]);
    let md_found: Vec<_> = found.iter().filter(|f| f.0 == "page.md").collect();
    assert_eq!(md_found.len(), 1, "{md_found:?}");
    fix(dir.path(), &["--select", "encoding"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("scraped.txt")).unwrap(),
        "The R&D centre opened today.\nIt shapes the country's plan for “smart lamps”.\n"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("page.md")).unwrap(),
        md.replacen("&emsp;&emsp;", "", 1)
    );
}
