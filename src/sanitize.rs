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
    // Printable ASCII, tab and line feed are safe, and most text is nothing else: bytes are
    // compared until the first other one, characters decoded only from there.
    let ascii_safe = |b: &u8| matches!(b, b' '..=b'~' | b'\t' | b'\n');
    let checked = s.bytes().take_while(ascii_safe).count();
    // `checked` bytes of ASCII end on a character boundary.
    if !s[checked..].chars().any(is_unsafe) {
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
    fn ordinary_text_is_borrowed() {
        assert!(matches!(terminal("Guzhen « lighting » 灯饰"), Cow::Borrowed(_)));
    }
}
