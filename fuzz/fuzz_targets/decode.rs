//! Reading plain text: strict and lossy decoding agree, and the document facts every check
//! builds on (lines, paragraphs, sentences, line/column) stay inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mtlint::document::Document;
use mtlint::input::{self, ReadError};

fuzz_target!(|data: &[u8]| {
    let strict = input::decode(data.to_vec());
    let lossy = input::decode_lossy(data.to_vec());
    let text = match (strict, lossy) {
        (Ok(text), Ok((same, None))) => {
            assert_eq!(text.as_bytes(), data, "valid UTF-8 is kept byte for byte");
            assert_eq!(text, same);
            text
        }
        (Err(ReadError::InvalidUtf8 { line, column, offset }), Ok((text, Some(r)))) => {
            assert_eq!((line, column, offset), (r.line, r.column, r.offset));
            assert!(r.count >= 1);
            assert!(text.matches('\u{fffd}').count() >= r.count);
            text
        }
        (Err(ReadError::Binary { offset: a }), Err(ReadError::Binary { offset: b })) => {
            assert_eq!(a, b);
            assert_eq!(data[a], 0);
            return;
        }
        (Err(ReadError::WideUnicode { encoding: a }), Err(ReadError::WideUnicode { encoding: b })) => {
            assert_eq!(a, b);
            return;
        }
        (s, l) => panic!("strict and lossy decoding disagree: {s:?} / {l:?}"),
    };
    let doc = Document::new("fuzz.txt", text, None);
    let text = &doc.text;
    let inside = |s: mtlint::span::Span| {
        s.start <= s.end && s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end)
    };
    let mut last = 0;
    for p in doc.paragraphs() {
        assert!(inside(*p) && p.start >= last, "paragraph {p:?}");
        last = p.end;
    }
    let mut last = 0;
    for s in doc.sentences() {
        assert!(inside(*s) && s.start >= last, "sentence {s:?}");
        last = s.end;
    }
    let idx = doc.line_index();
    let mut lines = 0;
    for l in doc.lines() {
        assert!(inside(l), "line {l:?}");
        lines += 1;
    }
    assert!(lines <= idx.line_count());
    let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(7).collect();
    offsets.push(text.len());
    for o in offsets {
        let lc = idx.line_col(text, o);
        assert!(lc.line >= 1 && lc.column >= 1);
    }
});
