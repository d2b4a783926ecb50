//! The language server's message handling on arbitrary input, in-process: framing, JSON-RPC,
//! params, text edits and positions. Nothing may panic, and everything the server sends must
//! be writable as a frame.
//!
//! The first byte chooses how the rest is read: bit 0 set, as lines, each line one message
//! body (so a fuzzer mutates JSON, not Content-Length headers); clear, as the raw byte stream.
//! Bit 1 set puts an `initialize` (bit 2: offering UTF-8 positions) and the opening of a
//! document before it, so the input starts in a running server.
#![no_main]

use std::sync::Mutex;

use libfuzzer_sys::fuzz_target;
use mtlint::server::{run_session, ProfileCache};

static PROFILES: Mutex<Option<ProfileCache>> = Mutex::new(None);

fn frame(out: &mut Vec<u8>, body: &[u8]) {
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
}

/// `initialize` (offering UTF-8 positions when `utf8`) and the opening of a document.
fn prelude(input: &mut Vec<u8>, utf8: bool) {
    let encodings = if utf8 { r#"["utf-8"]"# } else { "[]" };
    let init = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"initialize","params":{{"capabilities":{{"general":{{"positionEncodings":{encodings}}}}}}}}}"#
    );
    frame(input, init.as_bytes());
    frame(input, br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#);
    frame(
        input,
        r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"untitled:fuzz","languageId":"markdown","version":1,"text":"The 北京 team 😀 met  again , twice.\n\n- A list item\n"}}}"#.as_bytes(),
    );
}

/// Builds the profile and engine the prelude's document needs before the first input, so
/// start-up, slow under AddressSanitizer, is not charged to an input's `-timeout`.
fn warm_up() {
    let mut input = Vec::new();
    prelude(&mut input, false);
    // Documents in the other shipped languages, so their engines are built too.
    for (n, text) in [
        "这是一篇中文文章，内容很简单，只是为了测试。",
        "Le texte est écrit en français, avec des accents et des virgules.",
        "Der Text ist auf Deutsch geschrieben und nicht sehr lang, aber deutlich.",
    ]
    .iter()
    .enumerate()
    {
        let open = format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"untitled:warm{n}","languageId":"plaintext","version":1,"text":"{text}"}}}}}}"#
        );
        frame(&mut input, open.as_bytes());
    }
    let mut guard = PROFILES.lock().unwrap_or_else(|e| e.into_inner());
    let profiles = guard.get_or_insert_with(ProfileCache::default);
    let _ = run_session(&input, profiles);
}

fuzz_target!(init: warm_up(), |data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut input = Vec::new();
    if mode & 2 != 0 {
        prelude(&mut input, mode & 4 != 0);
    }
    if mode & 1 != 0 {
        for line in rest.split(|&b| b == b'\n') {
            frame(&mut input, line);
        }
    } else {
        input.extend_from_slice(rest);
    }
    let mut guard = PROFILES.lock().unwrap_or_else(|e| e.into_inner());
    let profiles = guard.get_or_insert_with(ProfileCache::default);
    for msg in run_session(&input, profiles) {
        let mut out = Vec::new();
        msg.write(&mut out).expect("writing to memory");
    }
});
