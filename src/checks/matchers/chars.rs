//! Finding the characters of a small set in a text without decoding the text: only the bytes
//! a member's UTF-8 encoding can start with are looked at (with `memchr` when there are at most
//! three of them), so the checks that look for a few punctuation marks or invisible characters
//! pass over the rest of the text at memory speed.

/// A set of characters, searchable by the first byte of their UTF-8 encoding.
#[derive(Debug, Clone)]
pub struct CharSet {
    chars: Vec<char>,
    /// The distinct first bytes of the members' encodings.
    leads: Vec<u8>,
    is_lead: [bool; 256],
}

impl CharSet {
    pub fn new(chars: impl IntoIterator<Item = char>) -> Self {
        let mut set = CharSet {
            chars: Vec::new(),
            leads: Vec::new(),
            is_lead: [false; 256],
        };
        for c in chars {
            if set.chars.contains(&c) {
                continue;
            }
            set.chars.push(c);
            let mut buf = [0u8; 4];
            let lead = c.encode_utf8(&mut buf).as_bytes()[0];
            if !set.is_lead[lead as usize] {
                set.is_lead[lead as usize] = true;
                set.leads.push(lead);
            }
        }
        set
    }

    /// The members, each once.
    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    /// Position of the next byte at or after `from` that may start a member.
    fn next_lead(&self, bytes: &[u8], from: usize) -> Option<usize> {
        let hay = bytes.get(from..)?;
        let found = match *self.leads.as_slice() {
            [] => None,
            [a] => memchr::memchr(a, hay),
            [a, b] => memchr::memchr2(a, b, hay),
            [a, b, c] => memchr::memchr3(a, b, c, hay),
            _ if self.leads.iter().all(|&b| !b.is_ascii()) => self.next_non_ascii_lead(hay),
            _ => hay.iter().position(|&b| self.is_lead[b as usize]),
        };
        found.map(|i| from + i)
    }

    /// The first lead byte in `hay` when every lead byte is non-ASCII: runs of ASCII, most of
    /// a text in a Latin script, are passed over a block at a time, and only the runs of other
    /// bytes are looked at one by one.
    fn next_non_ascii_lead(&self, hay: &[u8]) -> Option<usize> {
        let mut at = 0;
        loop {
            let run = next_non_ascii(hay, at)?;
            match hay[run..]
                .iter()
                .position(|&b| b.is_ascii() || self.is_lead[b as usize])
            {
                Some(k) if !hay[run + k].is_ascii() => return Some(run + k),
                Some(k) => at = run + k,
                None => return None,
            }
        }
    }

    /// The first member at or after byte `from` (a char boundary), with its offset.
    pub fn find(&self, text: &str, from: usize) -> Option<(usize, char)> {
        let bytes = text.as_bytes();
        let mut at = from;
        loop {
            let i = self.next_lead(bytes, at)?;
            // A lead byte is never a continuation byte, so `i` is a char boundary.
            let c = text[i..].chars().next()?;
            if c.is_ascii() || self.chars.contains(&c) {
                return Some((i, c));
            }
            at = i + c.len_utf8();
        }
    }

    /// Every member in `text`, in order, with its offset.
    pub fn find_iter<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, char)> + 'a {
        let mut at = 0;
        std::iter::from_fn(move || {
            let (i, c) = self.find(text, at)?;
            at = i + c.len_utf8();
            Some((i, c))
        })
    }
}

/// Offset of the first non-ASCII byte at or after `from`. ASCII is checked a block at a time
/// (`is_ascii` reads a word at a time), so mostly-English text passes at memory speed.
pub fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    const BLOCK: usize = 64;
    let mut at = from;
    while let Some(block) = bytes.get(at..at + BLOCK) {
        if !block.is_ascii() {
            break;
        }
        at += BLOCK;
    }
    bytes.get(at..)?.iter().position(|b| !b.is_ascii()).map(|i| at + i)
}

/// The maximal runs of non-ASCII characters in `text`, as byte ranges.
pub fn non_ascii_runs(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = next_non_ascii(bytes, at)?;
        let end = bytes[start..]
            .iter()
            .position(u8::is_ascii)
            .map_or(bytes.len(), |i| start + i);
        at = end;
        Some(start..end)
    })
}

/// A few short strings (at most 128), searched for leftmost first: with Teddy (SIMD) where the
/// CPU has it. `AhoCorasick` picks its prefilter by heuristics that, for strings beginning with
/// the same common byte (` ,`, ` .`) or for more than 64 strings, walk the text byte by byte.
pub struct ShortStrings(Finder);

enum Finder {
    Packed(aho_corasick::packed::Searcher),
    Automaton(aho_corasick::AhoCorasick),
}

impl ShortStrings {
    pub fn new<P: AsRef<[u8]>>(literals: &[P]) -> Result<Self, aho_corasick::BuildError> {
        use aho_corasick::packed;
        let packed = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .heuristic_pattern_limits(false)
            .builder()
            .extend(literals)
            .build();
        Ok(ShortStrings(match packed {
            Some(searcher) => Finder::Packed(searcher),
            None => Finder::Automaton(
                aho_corasick::AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                    .build(literals)?,
            ),
        }))
    }

    /// The first literal starting at or after `at`: its index and offset.
    pub fn find(&self, haystack: &[u8], at: usize) -> Option<(usize, usize)> {
        let m = match &self.0 {
            Finder::Packed(s) => s.find_in(haystack, aho_corasick::Span::from(at..haystack.len())),
            Finder::Automaton(ac) => ac.find(aho_corasick::Input::new(haystack).range(at..)),
        }?;
        Some((m.pattern().as_usize(), m.start()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(set: &str, text: &str) -> Vec<(usize, char)> {
        text.char_indices().filter(|&(_, c)| set.contains(c)).collect()
    }

    #[test]
    fn finds_what_a_scan_of_every_char_finds() {
        let text = "Guzhen’s “lamp” fair , 古镇，R & D。a\u{a0}b\u{200b}c — “end”";
        for set in [
            ",",
            ",.;:!?",
            "，。：；（）！？、",
            "\u{a0}\u{202f}",
            "\"”’",
            "“”‘’—，\u{200b}",
            // More than three lead bytes, none of them ASCII.
            "\u{ad}\u{61c}\u{200b}\u{feff}é",
            "",
        ] {
            let cs = CharSet::new(set.chars());
            assert_eq!(cs.find_iter(text).collect::<Vec<_>>(), naive(set, text), "set {set:?}");
            let long = format!(
                "{}\u{200b}{}é古镇\u{ad}{}\u{feff}",
                "a".repeat(130),
                "b".repeat(64),
                "c".repeat(70)
            );
            assert_eq!(
                cs.find_iter(&long).collect::<Vec<_>>(),
                naive(set, &long),
                "set {set:?}"
            );
        }
    }

    #[test]
    fn non_ascii_is_found_past_long_ascii() {
        let text = format!("{}é{}古镇, ok ’", "a".repeat(100), "b".repeat(70));
        let runs: Vec<_> = non_ascii_runs(&text).map(|r| &text[r]).collect();
        assert_eq!(runs, ["é", "古镇", "’"]);
        assert_eq!(next_non_ascii(text.as_bytes(), 103), Some(172));
        assert_eq!(next_non_ascii(b"plain", 0), None);
        assert_eq!(next_non_ascii(b"plain", 9), None);
    }

    #[test]
    fn members_sharing_a_lead_byte_with_other_text() {
        // ’ and — start with the same byte as “ but are not members.
        let cs = CharSet::new(['“']);
        assert_eq!(cs.find_iter("a’b—c“d").collect::<Vec<_>>(), vec![(9, '“')]);
        assert_eq!(cs.find("“x“", 3), Some((4, '“')));
    }
}
