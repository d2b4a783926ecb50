//! `mtlint server` driven as an editor drives it: the built binary, JSON-RPC over its standard
//! input and output.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    /// Messages received while waiting for something else.
    stash: Vec<Value>,
}

impl Client {
    fn start(dir: &Path) -> Client {
        Client::start_with(dir, &[])
    }

    fn start_with(dir: &Path, options: &[&str]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mtlint"))
            .arg("server")
            .args(options)
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = Some(n.parse::<usize>().unwrap());
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                r.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice::<Value>(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            next_id: 0,
            stash: Vec::new(),
        }
    }

    /// Starts a server and initializes it, offering these position encodings.
    fn initialized(dir: &Path, encodings: Option<&[&str]>) -> (Client, Value) {
        let mut c = Client::start(dir);
        let mut caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": false}}});
        if let Some(e) = encodings {
            caps["general"] = json!({ "positionEncodings": e });
        }
        let root = uri(dir);
        let init = c.request(
            "initialize",
            json!({"capabilities": caps, "workspaceFolders": [{"uri": root, "name": "test"}]}),
        );
        c.notify("initialized", json!({}));
        (c, init["result"].clone())
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        self.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    /// The first message (received or stashed) that `pred` accepts.
    fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.stash.iter().position(&pred) {
            return self.stash.remove(i);
        }
        loop {
            match self.rx.recv_timeout(WAIT) {
                Ok(m) if pred(&m) => return m,
                Ok(m) => self.stash.push(m),
                Err(_) => panic!("no such message; received: {:#?}", self.stash),
            }
        }
    }

    /// The diagnostics published for `uri` (for `version` of it, when given).
    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let m = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == json!(v))
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    fn code_actions(&mut self, uri: &str, range: Value, only: Option<&[&str]>) -> Vec<Value> {
        let mut context = json!({"diagnostics": []});
        if let Some(o) = only {
            context["only"] = json!(o);
        }
        let r = self.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range, "context": context}),
        );
        r["result"].as_array().unwrap().clone()
    }

    /// Shuts the server down and returns its exit status.
    fn shutdown(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        self.child.wait().unwrap().code().unwrap()
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A project directory: its own repository root (so no config above it is found), with
/// `lang = "en"` unless `config` says otherwise.
fn project(config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join("mtlint.toml"), config.unwrap_or("lang = \"en\"\n")).unwrap();
    dir
}

fn rule_ids(diags: &[Value]) -> Vec<String> {
    diags.iter().map(|d| d["code"].as_str().unwrap().to_string()).collect()
}

fn find<'a>(diags: &'a [Value], rule: &str) -> &'a Value {
    diags
        .iter()
        .find(|d| d["code"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {diags:#?}"))
}

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

fn range(start: Value, end: Value) -> Value {
    json!({"start": start, "end": end})
}

/// The byte offset of a position counted in UTF-16 units (or bytes, with `utf8`).
fn offset(text: &str, p: &Value, utf8: bool) -> usize {
    let line = p["line"].as_u64().unwrap() as usize;
    let character = p["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += if utf8 { c.len_utf8() } else { c.len_utf16() };
    }
    text.len()
}

/// `text` after a code action's edits to `uri`.
fn apply(text: &str, action: &Value, uri: &str) -> String {
    let mut edits: Vec<(usize, usize, String)> = action["edit"]["changes"][uri]
        .as_array()
        .unwrap_or_else(|| panic!("no edit of {uri} in {action}"))
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"], false),
                offset(text, &e["range"]["end"], false),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

// A line with a combining accent, CJK and an emoji before a double space.
const MIXED: &str = "The first line is plain.\nAt the cafe\u{301} 北京 team 😀 met  again.\n";

#[test]
fn positions_count_utf16_units_by_default() {
    let dir = project(None);
    let (mut c, init) = Client::initialized(dir.path(), None);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    let file = uri(&dir.path().join("a.txt"));
    c.open(&file, "plaintext", MIXED);
    let diags = c.diagnostics(&file, Some(1));
    // 11 + 2 (e and its accent) + 1 + 2 (北京) + 6 + 2 (the emoji's surrogates) + 4.
    assert_eq!(find(&diags, "en/double-space")["range"], range(pos(1, 27), pos(1, 29)));
    assert_eq!(find(&diags, "en/untranslated")["range"], range(pos(1, 13), pos(1, 15)));
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn positions_count_bytes_when_the_client_offers_utf8() {
    let dir = project(None);
    let (mut c, init) = Client::initialized(dir.path(), Some(&["utf-16", "utf-8"]));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let file = uri(&dir.path().join("a.txt"));
    c.open(&file, "plaintext", MIXED);
    let diags = c.diagnostics(&file, Some(1));
    assert_eq!(find(&diags, "en/double-space")["range"], range(pos(1, 34), pos(1, 36)));
    assert_eq!(find(&diags, "en/untranslated")["range"], range(pos(1, 14), pos(1, 20)));
    // An incremental change placed in bytes: a double space after the emoji.
    let emoji_end = "At the cafe\u{301} 北京 team 😀".len() as u32;
    c.change(
        &file,
        2,
        json!([{"range": range(pos(1, emoji_end), pos(1, emoji_end + 1)), "text": "  "}]),
    );
    let diags = c.diagnostics(&file, Some(2));
    let doubles: Vec<&Value> = diags.iter().filter(|d| d["code"] == "en/double-space").collect();
    assert_eq!(doubles.len(), 2, "{diags:#?}");
    assert_eq!(doubles[0]["range"], range(pos(1, emoji_end), pos(1, emoji_end + 2)));
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn incremental_and_full_changes_are_checked() {
    let dir = project(None);
    let (mut c, _) = Client::initialized(dir.path(), None);
    let file = uri(&dir.path().join("notes.txt"));
    c.open(&file, "plaintext", "日本 😀 is far away.\n");
    assert_eq!(rule_ids(&c.diagnostics(&file, Some(1))), ["en/untranslated"]);
    // UTF-16: 日本 is 2 units, the emoji 2 more: the full stop is at 17. A space before it,
    // then a word before "is" (each change's positions count in the text the one before left).
    c.change(
        &file,
        2,
        json!([{"range": range(pos(0, 17), pos(0, 17)), "text": " "}, {"range": range(pos(0, 6), pos(0, 6)), "text": "the "}]),
    );
    let diags = c.diagnostics(&file, Some(2));
    assert_eq!(
        find(&diags, "en/space-before-punctuation")["range"],
        range(pos(0, 21), pos(0, 23)),
        "{diags:#?}"
    );
    // A change out of range is reported, not applied, and the server goes on.
    c.change(&file, 3, json!([{"range": range(pos(7, 0), pos(7, 1)), "text": "x"}]));
    let log = c.wait(|m| m["method"] == "window/logMessage");
    assert!(
        log["params"]["message"].as_str().unwrap().contains("out of range"),
        "{log}"
    );
    let diags = c.diagnostics(&file, Some(3));
    assert!(rule_ids(&diags).contains(&"en/space-before-punctuation".to_string()));
    // A full-text change.
    c.change(&file, 4, json!([{"text": "It is far away.\n"}]));
    assert_eq!(c.diagnostics(&file, Some(4)), Vec::<Value>::new());
    assert_eq!(c.shutdown(), 0);
}

const HOUSE_RULES: &str = r#"[pack]
name = "house"
target = "en"

[[rule]]
id = "utilise"
kind = "pattern"
pattern = '\butilise\b'
replace = "use"
fix = "unsafe"
message = "plain English prefers \"use\""
examples = [{ bad = "We utilise it.", good = "We use it." }]
"#;

#[test]
fn quick_fixes_fix_all_and_ignore_here() {
    let dir = project(Some("lang = \"en\"\nrules = [\"house.toml\"]\n"));
    std::fs::write(dir.path().join("house.toml"), HOUSE_RULES).unwrap();
    let text = "We tested the new build , and it worked.\n\n- The team will utilise it  soon.\n";
    let path = dir.path().join("post.md");
    std::fs::write(&path, text).unwrap();
    let (mut c, _) = Client::initialized(dir.path(), None);
    let file = uri(&path);
    c.open(&file, "markdown", text);
    let diags = c.diagnostics(&file, Some(1));
    assert_eq!(
        rule_ids(&diags),
        ["en/space-before-punctuation", "house/utilise", "en/double-space"]
    );

    // One quick fix per finding in the range, plus "ignore here" (Markdown has comments).
    let actions = c.code_actions(
        &file,
        find(&diags, "en/space-before-punctuation")["range"].clone(),
        None,
    );
    let fix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["title"].as_str().unwrap().contains("delete"))
        .unwrap_or_else(|| panic!("{actions:#?}"));
    assert_eq!(fix["title"], "en/space-before-punctuation: delete “ ”");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(
        apply(text, fix, &file),
        "We tested the new build, and it worked.\n\n- The team will utilise it  soon.\n"
    );

    // An unsafe fix says so.
    let actions = c.code_actions(
        &file,
        find(&diags, "house/utilise")["range"].clone(),
        Some(&["quickfix"]),
    );
    let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert!(
        titles.contains(&"house/utilise: replace “utilise” with “use” (unsafe)"),
        "{titles:?}"
    );
    assert!(!actions.iter().any(|a| a["kind"] == "source.fixAll.mtlint"));

    // Fix all: the safe fixes, the text `mtlint fix` writes.
    let all = c.code_actions(&file, range(pos(0, 0), pos(0, 0)), Some(&["source.fixAll"]));
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["kind"], "source.fixAll.mtlint");
    let fixed = apply(text, &all[0], &file);
    let status = Command::new(env!("CARGO_BIN_EXE_mtlint"))
        .args(["fix", "--quiet", "post.md"])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(status.code().is_some_and(|c| c <= 1), "{status}");
    assert_eq!(fixed, std::fs::read_to_string(&path).unwrap());
    assert_eq!(
        fixed,
        "We tested the new build, and it worked.\n\n- The team will utilise it soon.\n"
    );

    // Ignore here: a disable-next-line comment, indented into the list item; the finding goes.
    let double = find(&diags, "en/double-space")["range"].clone();
    let actions = c.code_actions(&file, double, None);
    let ignore = actions
        .iter()
        .find(|a| a["title"] == "Ignore en/double-space on this line")
        .unwrap_or_else(|| panic!("{actions:#?}"));
    let ignored = apply(text, ignore, &file);
    assert_eq!(
        ignored,
        "We tested the new build , and it worked.\n\n<!-- mtlint-disable-next-line en/double-space -->\n- The team will utilise it  soon.\n"
    );
    c.change(&file, 2, json!([{"text": ignored}]));
    let diags = c.diagnostics(&file, Some(2));
    assert_eq!(rule_ids(&diags), ["en/space-before-punctuation", "house/utilise"]);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn plain_text_has_no_ignore_action() {
    let dir = project(None);
    let (mut c, _) = Client::initialized(dir.path(), None);
    let file = uri(&dir.path().join("a.txt"));
    c.open(&file, "plaintext", "It ships  soon.\n");
    let diags = c.diagnostics(&file, Some(1));
    let actions = c.code_actions(&file, find(&diags, "en/double-space")["range"].clone(), None);
    assert!(actions
        .iter()
        .all(|a| !a["title"].as_str().unwrap().starts_with("Ignore")));
    assert!(actions.iter().any(|a| a["kind"] == "quickfix"));
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn hover_shows_what_explain_prints() {
    let dir = project(None);
    let (mut c, _) = Client::initialized(dir.path(), None);
    let file = uri(&dir.path().join("a.txt"));
    c.open(&file, "plaintext", MIXED);
    c.diagnostics(&file, Some(1));
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": file}, "position": pos(1, 28)}),
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    let explain = Command::new(env!("CARGO_BIN_EXE_mtlint"))
        .args(["explain", "en/double-space", "--color", "never"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(shown, String::from_utf8(explain.stdout).unwrap().trim_end());
    assert_eq!(hover["result"]["range"], range(pos(1, 27), pos(1, 29)));
    // Nothing to say away from findings.
    let none = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": file}, "position": pos(0, 3)}),
    );
    assert_eq!(none["result"], Value::Null);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_config_change_is_picked_up() {
    let dir = project(None);
    let (mut c, _) = Client::initialized(dir.path(), None);
    let file = uri(&dir.path().join("a.txt"));
    c.open(&file, "plaintext", "It ships  soon , they said.\n");
    let before = rule_ids(&c.diagnostics(&file, Some(1)));
    assert_eq!(before, ["en/double-space", "en/space-before-punctuation"]);
    let config = dir.path().join("mtlint.toml");
    std::fs::write(&config, "lang = \"en\"\nignore = [\"en/double-space\"]\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 2}]}),
    );
    assert_eq!(
        rule_ids(&c.diagnostics(&file, Some(1))),
        ["en/space-before-punctuation"]
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_baseline_hides_what_it_records_as_check_does() {
    let dir = project(Some("lang = \"en\"\nbaseline = \"accepted.jsonl\"\n"));
    let path = dir.path().join("a.txt");
    std::fs::write(&path, "It ships  soon.\n").unwrap();
    let written = Command::new(env!("CARGO_BIN_EXE_mtlint"))
        .current_dir(dir.path())
        .args(["check", "--write-baseline", "accepted.jsonl", "a.txt"])
        .output()
        .unwrap();
    assert!(written.status.success(), "{written:?}");
    let (mut c, _) = Client::initialized(dir.path(), None);
    let file = uri(&path);
    c.open(&file, "plaintext", "It ships  soon.\n");
    assert_eq!(c.diagnostics(&file, Some(1)), Vec::<Value>::new());
    // A new defect shows; the recorded one stays hidden.
    c.change(&file, 2, json!([{"text": "It ships  soon.\nThey said so .\n"}]));
    assert_eq!(
        rule_ids(&c.diagnostics(&file, Some(2))),
        ["en/space-before-punctuation"]
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_broken_rule_file_is_one_diagnostic_and_the_rest_is_served() {
    let dir = project(Some("lang = \"en\"\nrules = [\"house.toml\"]\n"));
    let rules = dir.path().join("house.toml");
    std::fs::write(&rules, HOUSE_RULES.replace("kind = \"pattern\"", "kind = \"patern\"")).unwrap();
    // A second folder with a good config.
    let other = tempfile::tempdir().unwrap();
    std::fs::create_dir(other.path().join(".git")).unwrap();
    std::fs::write(other.path().join("mtlint.toml"), "lang = \"en\"\n").unwrap();

    let (mut c, _) = Client::initialized(dir.path(), None);
    let broken = uri(&dir.path().join("a.txt"));
    let fine = uri(&other.path().join("b.txt"));
    c.open(&broken, "plaintext", "We utilise it  now.\n");
    let on_rules = c.diagnostics(&uri(&rules), None);
    assert_eq!(on_rules.len(), 1, "{on_rules:#?}");
    // At the bad value: the rule file's line 7 (0-based 6), after `kind = `.
    assert_eq!(on_rules[0]["range"]["start"], pos(6, 7), "{on_rules:#?}");
    assert!(
        on_rules[0]["message"].as_str().unwrap().contains("patern"),
        "{on_rules:#?}"
    );
    assert_eq!(on_rules[0]["severity"], 1);
    let on_doc = c.diagnostics(&broken, Some(1));
    assert_eq!(on_doc.len(), 1, "{on_doc:#?}");
    let message = on_doc[0]["message"].as_str().unwrap();
    assert!(
        message.contains("configuration") && message.contains("house.toml:7:8"),
        "{message}"
    );
    c.open(&fine, "plaintext", "It ships  soon.\n");
    assert_eq!(rule_ids(&c.diagnostics(&fine, Some(1))), ["en/double-space"]);

    // Repaired: the rule file's diagnostic is cleared and the document checked with the rules.
    std::fs::write(&rules, HOUSE_RULES).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&rules), "type": 2}]}),
    );
    assert_eq!(c.diagnostics(&uri(&rules), None), Vec::<Value>::new());
    assert_eq!(
        rule_ids(&c.diagnostics(&broken, Some(1))),
        ["house/utilise", "en/double-space"]
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn malformed_messages_are_answered_not_fatal() {
    let dir = project(None);
    let mut c = Client::start(dir.path());
    // Before `initialize`.
    let early = c.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002);
    c.raw(b"Content-Length: 9\r\n\r\n{\"id\": 1,");
    let bad_json = c.wait(|m| m["error"]["code"] == -32700);
    assert_eq!(bad_json["id"], Value::Null);
    c.raw(b"Content-Length: x\r\n\r\n");
    c.wait(|m| m["error"]["code"] == -32700);
    c.send(json!({"jsonrpc": "2.0", "id": 40, "method": 5}));
    let invalid = c.wait(|m| m["id"] == 40);
    assert_eq!(invalid["error"]["code"], -32600, "{invalid}");
    let init = c.request("initialize", json!({"capabilities": {}}));
    assert!(init["result"]["capabilities"].is_object(), "{init}");
    let unknown = c.request("textDocument/definition", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad_params = c.request("textDocument/codeAction", json!({"textDocument": 3}));
    assert_eq!(bad_params["error"]["code"], -32602);
    let file = uri(&dir.path().join("a.txt"));
    c.open(&file, "plaintext", "One line.\n");
    c.diagnostics(&file, Some(1));
    let far = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": file}, "position": pos(99, 0)}),
    );
    assert_eq!(far["error"]["code"], -32602, "{far}");
    let backwards = c.code_actions_raw(&file, range(pos(0, 5), pos(0, 1)));
    assert_eq!(backwards["error"]["code"], -32602, "{backwards}");
    c.notify("textDocument/didChange", json!({"nonsense": true}));
    c.notify("no/such/notification", json!({}));
    // Still serving.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": file}, "position": pos(0, 0)}),
    );
    assert_eq!(hover["result"], Value::Null);
    assert_eq!(c.shutdown(), 0);
}

/// The byte offset of an LSP position counted in bytes.
fn byte_offset(text: &str, p: &Value) -> usize {
    offset(text, p, true)
}

#[test]
fn every_format_gets_the_findings_check_gives_the_saved_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    let names = [
        "draft.txt",
        "article.md",
        "messages.po",
        "memory.tmx",
        "pairs.tsv",
        "xliff12.xlf",
        "xliff20.xlf",
    ];
    for name in &names[1..] {
        std::fs::copy(fixtures.join(name), dir.path().join(name)).unwrap();
    }
    std::fs::write(dir.path().join("draft.txt"), MIXED).unwrap();
    let cli = Command::new(env!("CARGO_BIN_EXE_mtlint"))
        .args(["check", "--format", "json"])
        .args(names)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&cli.stdout).unwrap();
    // Byte positions, so the comparison needs no conversion of our own.
    let (mut c, _) = Client::initialized(dir.path(), Some(&["utf-8"]));
    for file in report["files"].as_array().unwrap() {
        let name = file["path"].as_str().unwrap();
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let file_uri = uri(&dir.path().join(name));
        c.open(&file_uri, "", &text);
        let got: Vec<(String, usize, usize, String)> = c
            .diagnostics(&file_uri, Some(1))
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    byte_offset(&text, &d["range"]["start"]),
                    byte_offset(&text, &d["range"]["end"]),
                    d["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let want: Vec<(String, usize, usize, String)> = file["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["rule"].as_str().unwrap().to_string(),
                    d["span"]["start"].as_u64().unwrap() as usize,
                    d["span"]["end"].as_u64().unwrap() as usize,
                    d["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert!(!want.is_empty(), "{name}: the fixture has findings");
        assert_eq!(got, want, "{name}");
    }
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn command_line_options_apply_to_every_file() {
    // No config at all: --lang and --ignore from the command line.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let mut c = Client::start_with(dir.path(), &["--lang", "en", "--ignore", "en/double-space"]);
    c.request("initialize", json!({"capabilities": {}}));
    let file = uri(&dir.path().join("a.txt"));
    c.open(&file, "plaintext", "It ships  soon , they said.\n");
    assert_eq!(
        rule_ids(&c.diagnostics(&file, Some(1))),
        ["en/space-before-punctuation"]
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let dir = project(None);
    let (mut c, _) = Client::initialized(dir.path(), None);
    c.notify("exit", Value::Null);
    assert_eq!(c.child.wait().unwrap().code(), Some(1));
}

impl Client {
    fn code_actions_raw(&mut self, uri: &str, range: Value) -> Value {
        self.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": []}}),
        )
    }
}
