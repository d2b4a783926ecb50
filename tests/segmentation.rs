//! Sentence segmentation, case by case: each paragraph with the sentences it must be split
//! into, in English, French and German (the shipped packs' `[pack.sentences]` data), and the
//! language-neutral cases (CJK ends, lists, ellipses). All sentences are the project's own.
//!
//! The cases are grouped by the difficulty they stand for, in the manner of the segmentation
//! "golden rules": abbreviations inside and at the end of a sentence, titles and initials,
//! numbers, quotations and parentheses, ellipses, list markers, and CJK ends glued to Latin
//! ones.

use mtlint::document::Document;

/// (language, paragraph, the sentences it holds).
const CASES: &[(&str, &str, &[&str])] = &[
    // Plain ends.
    (
        "en",
        "The fair opened. Buyers came early.",
        &["The fair opened.", "Buyers came early."],
    ),
    (
        "en",
        "Is the hall ready? The doors open at nine.",
        &["Is the hall ready?", "The doors open at nine."],
    ),
    (
        "en",
        "We won! The team celebrated.",
        &["We won!", "The team celebrated."],
    ),
    ("en", "Really?! Nobody told me.", &["Really?!", "Nobody told me."]),
    ("en", "Stop!! Wait for the signal.", &["Stop!!", "Wait for the signal."]),
    (
        "en",
        "Who called?? Nobody answered.",
        &["Who called??", "Nobody answered."],
    ),
    ("en", "One sentence only.", &["One sentence only."]),
    ("en", "No full stop at the end", &["No full stop at the end"]),
    // Abbreviations inside a sentence.
    (
        "en",
        "Dr. Wang opened the laboratory.",
        &["Dr. Wang opened the laboratory."],
    ),
    (
        "en",
        "Mr. and Mrs. Lee arrived late.",
        &["Mr. and Mrs. Lee arrived late."],
    ),
    (
        "en",
        "Prof. Ortiz and Gen. Park spoke first.",
        &["Prof. Ortiz and Gen. Park spoke first."],
    ),
    (
        "en",
        "We drove past Mt. Hood on the way.",
        &["We drove past Mt. Hood on the way."],
    ),
    (
        "en",
        "She works for Acme Inc. in the sales office.",
        &["She works for Acme Inc. in the sales office."],
    ),
    (
        "en",
        "Bring tools, cables, etc. to the site.",
        &["Bring tools, cables, etc. to the site."],
    ),
    (
        "en",
        "Fruit, e.g. apples and pears, sold well.",
        &["Fruit, e.g. apples and pears, sold well."],
    ),
    (
        "en",
        "The team, i.e. the four engineers, agreed.",
        &["The team, i.e. the four engineers, agreed."],
    ),
    (
        "en",
        "It is Lin vs. Ortega in the final.",
        &["It is Lin vs. Ortega in the final."],
    ),
    (
        "en",
        "Turn to p. 42 for the tables.",
        &["Turn to p. 42 for the tables."],
    ),
    (
        "en",
        "See pp. 10-12 and Fig. 3 for details.",
        &["See pp. 10-12 and Fig. 3 for details."],
    ),
    (
        "en",
        "The plant is at No. 8 Harbour Road.",
        &["The plant is at No. 8 Harbour Road."],
    ),
    (
        "en",
        "Ask Jane and co. about the plan.",
        &["Ask Jane and co. about the plan."],
    ),
    (
        "en",
        "The meeting is on Sept. 9 this year.",
        &["The meeting is on Sept. 9 this year."],
    ),
    (
        "en",
        "Smith Jr.'s shop sells lamps.",
        &["Smith Jr.'s shop sells lamps."],
    ),
    (
        "en",
        "The deal with Hale & Co. closed at noon.",
        &["The deal with Hale & Co. closed at noon."],
    ),
    // Abbreviations that end a sentence.
    (
        "en",
        "He moved to the U.K. Then he left.",
        &["He moved to the U.K.", "Then he left."],
    ),
    (
        "en",
        "We met at 5 p.m. The next day we signed.",
        &["We met at 5 p.m.", "The next day we signed."],
    ),
    (
        "en",
        "They bought bolts, nuts, etc. The order was large.",
        &["They bought bolts, nuts, etc.", "The order was large."],
    ),
    (
        "en",
        "Ask Jane and co. They will know.",
        &["Ask Jane and co.", "They will know."],
    ),
    (
        "en",
        "The contract went to Hale & Co. It was signed today.",
        &["The contract went to Hale & Co.", "It was signed today."],
    ),
    (
        "en",
        "I studied in the U.S. How about you?",
        &["I studied in the U.S.", "How about you?"],
    ),
    (
        "en",
        "She lives in the E.U. Her brother does not.",
        &["She lives in the E.U.", "Her brother does not."],
    ),
    (
        "en",
        "He holds a Ph.D. In May he starts teaching.",
        &["He holds a Ph.D.", "In May he starts teaching."],
    ),
    (
        "en",
        "The store opens at 9 a.m. We will be there.",
        &["The store opens at 9 a.m.", "We will be there."],
    ),
    // Abbreviations before a capitalised word that continues the sentence.
    (
        "en",
        "She works for the U.S. Navy in Norfolk.",
        &["She works for the U.S. Navy in Norfolk."],
    ),
    (
        "en",
        "At 7 a.m. Mr. Díaz opened the shop.",
        &["At 7 a.m. Mr. Díaz opened the shop."],
    ),
    (
        "en",
        "We have lived in the U.S. for ten years.",
        &["We have lived in the U.S. for ten years."],
    ),
    (
        "en",
        "He visited the U.S.A. last spring.",
        &["He visited the U.S.A. last spring."],
    ),
    (
        "en",
        "The firm is Lumen Ltd. Shenzhen branch.",
        &["The firm is Lumen Ltd. Shenzhen branch."],
    ),
    // Initials.
    ("en", "The poem is by W. H. Auden.", &["The poem is by W. H. Auden."]),
    (
        "en",
        "Our guide was Anna K. Berg from Oslo.",
        &["Our guide was Anna K. Berg from Oslo."],
    ),
    (
        "en",
        "J. R. Okafor chairs the board.",
        &["J. R. Okafor chairs the board."],
    ),
    (
        "en",
        "It was just you and I. Did you see the report?",
        &["It was just you and I.", "Did you see the report?"],
    ),
    (
        "en",
        "Her grade was an A. The teacher was pleased.",
        &["Her grade was an A.", "The teacher was pleased."],
    ),
    // Numbers.
    (
        "en",
        "Output rose 3.5 percent in the year.",
        &["Output rose 3.5 percent in the year."],
    ),
    (
        "en",
        "The lamp costs $12.50 in the shop.",
        &["The lamp costs $12.50 in the shop."],
    ),
    (
        "en",
        "The lamp costs $12.50. It sells well.",
        &["The lamp costs $12.50.", "It sells well."],
    ),
    (
        "en",
        "Install version 2.4.1 before Friday.",
        &["Install version 2.4.1 before Friday."],
    ),
    (
        "en",
        "Sales reached 2023. Profits did not.",
        &["Sales reached 2023.", "Profits did not."],
    ),
    ("en", "They won 3. The fair grew.", &["They won 3.", "The fair grew."]),
    (
        "en",
        "The score was 3:2. Fans cheered.",
        &["The score was 3:2.", "Fans cheered."],
    ),
    // Addresses.
    (
        "en",
        "Write to li.na@example.org. She replies fast.",
        &["Write to li.na@example.org.", "She replies fast."],
    ),
    (
        "en",
        "The page is https://example.com/a/b.html. Read it first.",
        &["The page is https://example.com/a/b.html.", "Read it first."],
    ),
    // Quotations and parentheses.
    (
        "en",
        "He said, \"We are ready.\" Then he left.",
        &["He said, \"We are ready.\"", "Then he left."],
    ),
    (
        "en",
        "She looked up, \"That is fine.\" she said.",
        &["She looked up, \"That is fine.\" she said."],
    ),
    (
        "en",
        "She looked up, 'That is fine.' she said.",
        &["She looked up, 'That is fine.' she said."],
    ),
    (
        "en",
        "“We are ready.” Wu says. It works.",
        &["“We are ready.”", "Wu says.", "It works."],
    ),
    (
        "en",
        "He taught maths (He had trained as a pilot.) at the school.",
        &["He taught maths (He had trained as a pilot.) at the school."],
    ),
    (
        "en",
        "The plant doubled output (see the table). Costs fell.",
        &["The plant doubled output (see the table).", "Costs fell."],
    ),
    (
        "en",
        "The results were clear (Wong 2019). Others agree.",
        &["The results were clear (Wong 2019).", "Others agree."],
    ),
    (
        "en",
        "The method works (Lee et al. 2020) in most cases.",
        &["The method works (Lee et al. 2020) in most cases."],
    ),
    (
        "en",
        "He left. (The door was open.) We stayed.",
        &["He left.", "(The door was open.)", "We stayed."],
    ),
    (
        "en",
        "Bring keys, cards (badges, etc.). The guard checks them.",
        &["Bring keys, cards (badges, etc.).", "The guard checks them."],
    ),
    (
        "en",
        "The hall opened in 1990.[3] It seats 800 people.",
        &["The hall opened in 1990.[3]", "It seats 800 people."],
    ),
    (
        "en",
        "Each lamp has a fixed size. *Small* and *large* are common.",
        &["Each lamp has a fixed size.", "*Small* and *large* are common."],
    ),
    // Ellipses.
    ("en", "I waited... Nobody came.", &["I waited...", "Nobody came."]),
    ("en", "I waited…. Nobody came.", &["I waited….", "Nobody came."]),
    ("en", "I mean... well, you know.", &["I mean... well, you know."]),
    (
        "en",
        "The plan . . . I cannot explain it here.",
        &["The plan . . . I cannot explain it here."],
    ),
    (
        "en",
        "It was over . . . . The rest is history.",
        &["It was over . . . .", "The rest is history."],
    ),
    // Glued ends left by machine translation.
    (
        "en",
        "The guests arrived.Then the show began.",
        &["The guests arrived.", "Then the show began."],
    ),
    (
        "en",
        "Is it open?Yes, since noon.",
        &["Is it open?", "Yes, since noon."],
    ),
    (
        "en",
        "The site runs on ASP.NET and Node.js today.",
        &["The site runs on ASP.NET and Node.js today."],
    ),
    ("en", "Open www.example.Com now.", &["Open www.example.Com now."]),
    // List markers.
    (
        "en",
        "1.) Check the wiring 2.) Replace the fuse",
        &["1.) Check the wiring", "2.) Replace the fuse"],
    ),
    (
        "en",
        "1.) Check the wiring. 2.) Replace the fuse.",
        &["1.) Check the wiring.", "2.) Replace the fuse."],
    ),
    (
        "en",
        "1) Check the wiring 2) Replace the fuse 3) Test it",
        &["1) Check the wiring", "2) Replace the fuse", "3) Test it"],
    ),
    (
        "en",
        "1. Check the wiring 2. Replace the fuse",
        &["1. Check the wiring", "2. Replace the fuse"],
    ),
    (
        "en",
        "1. Check the wiring. 2. Replace the fuse.",
        &["1. Check the wiring.", "2. Replace the fuse."],
    ),
    (
        "en",
        "a. Check the wiring b. Replace the fuse c. Test the lamp",
        &["a. Check the wiring", "b. Replace the fuse", "c. Test the lamp"],
    ),
    (
        "en",
        "a) Check the wiring b) Replace the fuse",
        &["a) Check the wiring", "b) Replace the fuse"],
    ),
    (
        "en",
        "• 4. Check the wiring • 5. Replace the fuse",
        &["• 4. Check the wiring", "• 5. Replace the fuse"],
    ),
    (
        "en",
        "• Check the wiring • Replace the fuse",
        &["• Check the wiring", "• Replace the fuse"],
    ),
    (
        "en",
        "3. The meeting approved the budget.",
        &["3. The meeting approved the budget."],
    ),
    (
        "en",
        "We need 2 lamps and 3) spare cables.",
        &["We need 2 lamps and 3) spare cables."],
    ),
    // CJK ends, and CJK ends glued to Latin ones.
    (
        "zh",
        "今年增长。我们招聘了人员！好吗？",
        &["今年增长。", "我们招聘了人员！", "好吗？"],
    ),
    (
        "en",
        "The fair opened.。The buyers came.",
        &["The fair opened.。", "The buyers came."],
    ),
    (
        "en",
        "The fair opened.；the buyers came.",
        &["The fair opened.；", "the buyers came."],
    ),
    (
        "en",
        "The fair opened。The buyers came.",
        &["The fair opened。", "The buyers came."],
    ),
    (
        "en",
        "The fair opened。the buyers came.",
        &["The fair opened。", "the buyers came."],
    ),
    ("en", "Sales grew；costs fell.", &["Sales grew；", "costs fell."]),
    // French.
    (
        "fr",
        "M. Dupont est arrivé hier. Il repart demain.",
        &["M. Dupont est arrivé hier.", "Il repart demain."],
    ),
    ("fr", "M. Le Gall dirige l'usine.", &["M. Le Gall dirige l'usine."]),
    (
        "fr",
        "Mme Roux et Dr. Petit ont signé.",
        &["Mme Roux et Dr. Petit ont signé."],
    ),
    (
        "fr",
        "On y vend des lampes, des câbles, etc. Les prix sont bas.",
        &["On y vend des lampes, des câbles, etc.", "Les prix sont bas."],
    ),
    (
        "fr",
        "Certains métaux, p. ex. le cuivre, coûtent cher.",
        &["Certains métaux, p. ex. le cuivre, coûtent cher."],
    ),
    (
        "fr",
        "Voir p. 12 et art. 4 du contrat.",
        &["Voir p. 12 et art. 4 du contrat."],
    ),
    (
        "fr",
        "La ville date du IIe siècle av. J.-C. Elle a grandi depuis.",
        &["La ville date du IIe siècle av. J.-C.", "Elle a grandi depuis."],
    ),
    (
        "fr",
        "Le salon a ouvert. L'affluence était forte.",
        &["Le salon a ouvert.", "L'affluence était forte."],
    ),
    (
        "fr",
        "Il a dit : « Nous sommes prêts. » Puis il est parti.",
        &["Il a dit : « Nous sommes prêts. »", "Puis il est parti."],
    ),
    // German.
    (
        "de",
        "Am 3. Oktober ist Feiertag. Die Läden sind zu.",
        &["Am 3. Oktober ist Feiertag.", "Die Läden sind zu."],
    ),
    (
        "de",
        "Die 12. Internationale Messe beginnt heute.",
        &["Die 12. Internationale Messe beginnt heute."],
    ),
    ("de", "Sie dauert bis 14. Oktober.", &["Sie dauert bis 14. Oktober."]),
    (
        "de",
        "Das Werk liefert z. B. Lampen und Kabel.",
        &["Das Werk liefert z. B. Lampen und Kabel."],
    ),
    (
        "de",
        "Das Werk liefert z.B. Lampen und Kabel.",
        &["Das Werk liefert z.B. Lampen und Kabel."],
    ),
    (
        "de",
        "Es gilt ab sofort, d. h. ab Montag.",
        &["Es gilt ab sofort, d. h. ab Montag."],
    ),
    ("de", "Siehe Nr. 4 der Liste.", &["Siehe Nr. 4 der Liste."]),
    ("de", "Dr. Weber leitet das Labor.", &["Dr. Weber leitet das Labor."]),
    (
        "de",
        "Art. 5 Abs. 2 regelt den Fall.",
        &["Art. 5 Abs. 2 regelt den Fall."],
    ),
    (
        "de",
        "Wir liefern Lampen, Kabel usw. Die Preise sind fest.",
        &["Wir liefern Lampen, Kabel usw.", "Die Preise sind fest."],
    ),
    (
        "de",
        "Der Umsatz betrug 5 Mio. Euro im Jahr.",
        &["Der Umsatz betrug 5 Mio. Euro im Jahr."],
    ),
    (
        "de",
        "Im 19. Jahrhundert wuchs die Stadt.",
        &["Im 19. Jahrhundert wuchs die Stadt."],
    ),
    (
        "de",
        "Sie gewannen 3. Danach feierten sie.",
        &["Sie gewannen 3.", "Danach feierten sie."],
    ),
    (
        "de",
        "Die Messe ist eröffnet. Sie dauert drei Tage.",
        &["Die Messe ist eröffnet.", "Sie dauert drei Tage."],
    ),
    (
        "de",
        "Prof. Krause und Hr. Lang kamen. Wir begrüßten sie.",
        &["Prof. Krause und Hr. Lang kamen.", "Wir begrüßten sie."],
    ),
];

fn split(lang: &str, text: &str) -> Vec<String> {
    let doc = Document::new("case.txt", text.to_string(), Some(lang));
    doc.sentences().iter().map(|s| s.text(&doc.text).to_string()).collect()
}

#[test]
fn segmentation_cases() {
    assert!(CASES.len() >= 80, "{} cases", CASES.len());
    let mut failed = Vec::new();
    for &(lang, text, want) in CASES {
        let got = split(lang, text);
        if got != want {
            failed.push(format!("[{lang}] {text:?}\n   want {want:?}\n    got {got:?}"));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} cases fail:\n{}",
        failed.len(),
        CASES.len(),
        failed.join("\n")
    );
}

/// A language no shipped pack describes still gets the language-neutral rules.
#[test]
fn unknown_language_splits_at_plain_ends() {
    assert_eq!(split("xx", "Uno. Dos? Tres!"), ["Uno.", "Dos?", "Tres!"]);
    assert_eq!(split("xx", "J. K. Barros vino."), ["J. K. Barros vino."]);
}
