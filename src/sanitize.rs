//! The one terminal sanitiser: text that comes from a document, a file name or a rule file is
//! passed through [`terminal`] before it reaches a terminal, so it can neither run escape
//! sequences (window titles, hyperlinks, clearing the screen) nor reorder what the reader sees
//! (Trojan Source bidirectional controls).
//!
//! Every C0 control but tab and line feed, DEL, every C1 control (U+0080–U+009F, which holds the
//! one-byte CSI and OSC introducers), and every bidirectional control or isolate is shown as
//! `⟨U+XXXX⟩`; everything else passes unchanged.

use std::borrow::Cow;

/// The noun for a count: `one` when `n` is 1, else `many`. Every count in mtlint's messages
/// and reports chooses its noun here.
pub fn noun<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// `n` and its noun: `1 file`, `3 files`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", noun(n, one, many))
}

/// The bidirectional formatting characters: the Arabic letter mark, the left-to-right and
/// right-to-left marks, the embeddings, overrides and their terminator, and the isolates.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` must not reach a terminal as itself: a control character (tab and line feed
/// aside) or a bidirectional control.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || is_bidi_control(c)
}

/// `s` with every character [`is_unsafe`] spelled out as `⟨U+XXXX⟩`; borrowed when nothing
/// needed it.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if is_safe(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// True when no character of `s` [`is_unsafe`], decided on the bytes: a C0 control but tab and
/// line feed, or DEL, is one byte; a C1 control is `C2 80`–`C2 9F`, the Arabic letter mark
/// `D8 9C`, and the other bidirectional controls `E2 80 8E`–`8F`, `E2 80 AA`–`AE` and
/// `E2 81 A6`–`A9`. (Decoding every character of every message cost more than writing it.)
fn is_safe(s: &str) -> bool {
    let b = s.as_bytes();
    // No early exit, so that the comparisons vectorise: most text holds no control at all.
    let control = b.iter().fold(false, |seen, &c| {
        seen | ((c < 0x20) & (c != b'\t') & (c != b'\n')) | (c == 0x7f)
    });
    if control {
        return false;
    }
    !memchr::memchr3_iter(0xc2, 0xd8, 0xe2, b).any(|i| {
        matches!(
            (b[i], b.get(i + 1), b.get(i + 2)),
            (0xc2, Some(0x80..=0x9f), _)
                | (0xd8, Some(0x9c), _)
                | (0xe2, Some(0x80), Some(0x8e | 0x8f | 0xaa..=0xae))
                | (0xe2, Some(0x81), Some(0xa6..=0xa9))
        )
    })
}

/// Like [`terminal`], and line feeds too, for text that must stay on one line (a file name).
pub fn one_line(s: &str) -> Cow<'_, str> {
    if !s.contains('\n') {
        return terminal(s);
    }
    Cow::Owned(terminal(s).replace('\n', "⟨U+000A⟩"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_controls_become_visible() {
        assert_eq!(terminal("a\u{1b}]0;title\u{7}b"), "a⟨U+001B⟩]0;title⟨U+0007⟩b");
        assert_eq!(terminal("x\u{9b}2Jy"), "x⟨U+009B⟩2Jy");
        assert_eq!(terminal("\r"), "⟨U+000D⟩");
        assert_eq!(terminal("tab\tand\nline"), "tab\tand\nline");
        assert_eq!(one_line("a\nb"), "a⟨U+000A⟩b");
    }

    #[test]
    fn every_bidi_control_is_shown() {
        for c in [
            '\u{061c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}',
        ]
        .into_iter()
        .chain('\u{2066}'..='\u{2069}')
        {
            let shown = terminal(&format!("a{c}b")).into_owned();
            assert_eq!(shown, format!("a⟨U+{:04X}⟩b", c as u32));
        }
    }

    #[test]
    fn the_byte_check_finds_what_the_character_check_does() {
        // Every character around the unsafe ones, alone and between others.
        let around = |c: u32| (c.saturating_sub(2)..=c + 2).filter_map(char::from_u32);
        let chars: Vec<char> = [
            0x00, 0x09, 0x0a, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0x9f, 0xa0, 0x61c, 0x200e, 0x200f,
        ]
        .into_iter()
        .chain([
            0x2029, 0x202a, 0x202e, 0x202f, 0x2065, 0x2066, 0x2069, 0x206a, 0x201c, 0x4e2d,
        ])
        .flat_map(around)
        .collect();
        for &c in &chars {
            for s in [format!("{c}"), format!("ab{c}“cd"), format!("“{c}")] {
                assert_eq!(is_safe(&s), !s.chars().any(is_unsafe), "{:?}", c as u32);
            }
        }
    }

    #[test]
    fn ordinary_text_is_borrowed() {
        assert!(matches!(terminal("Guzhen « lighting » 灯饰"), Cow::Borrowed(_)));
    }
}
