//! 64-byte blocks of ASCII text as bit masks, so word scans over English prose handle a block
//! in a few dozen instructions instead of decoding and branching on every character. Callers
//! take the slow, character-by-character path wherever a block holds a non-ASCII byte.

/// Bytes in a block: one bit of a `u64` each.
pub const BLOCK: usize = 64;

/// The 64 bytes at `at`, when there are that many and all are ASCII.
#[inline]
pub fn ascii_block(bytes: &[u8], at: usize) -> Option<&[u8; BLOCK]> {
    let block: &[u8; BLOCK] = bytes.get(at..at + BLOCK)?.try_into().ok()?;
    let high = block
        .chunks_exact(8)
        .fold(0, |acc, w| acc | u64::from_le_bytes(w.try_into().unwrap_or_default()));
    (high & 0x8080_8080_8080_8080 == 0).then_some(block)
}

/// A stretch of a text: a whole ASCII block, or the characters up to the next place a block
/// may start (at least a block's length, or to the end).
pub enum Piece<'a> {
    Ascii(&'a [u8; BLOCK]),
    Other(&'a str),
}

/// `s` cut into [`Piece`]s, each with its byte offset.
pub fn pieces(s: &str) -> impl Iterator<Item = (usize, Piece<'_>)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= s.len() {
            return None;
        }
        let start = at;
        if let Some(block) = ascii_block(s.as_bytes(), at) {
            at += BLOCK;
            return Some((start, Piece::Ascii(block)));
        }
        at = (at + BLOCK).min(s.len());
        while !s.is_char_boundary(at) {
            at += 1;
        }
        Some((start, Piece::Other(&s[start..at])))
    })
}

/// Bit `j` is set when `class(block[j])`. The comparisons vectorise; the multiplication
/// gathers eight 0-or-1 bytes into eight bits.
#[inline(always)]
pub fn mask(block: &[u8; BLOCK], class: impl Fn(u8) -> bool) -> u64 {
    let flags: [u8; BLOCK] = std::array::from_fn(|j| u8::from(class(block[j])));
    flags.chunks_exact(8).enumerate().fold(0, |m, (k, chunk)| {
        let bytes = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        m | (bytes.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k)
    })
}

/// [`mask`] of the 64 bytes of `bytes` from `at`, where fewer are left read as if padded
/// with NUL bytes (which `class` must not take): for scans that look at every byte, ASCII or
/// not, a block at a time.
#[inline(always)]
pub fn mask_from(bytes: &[u8], at: usize, class: impl Fn(u8) -> bool) -> u64 {
    match bytes.get(at..at + BLOCK).and_then(|s| <&[u8; BLOCK]>::try_from(s).ok()) {
        Some(block) => mask(block, class),
        None => {
            let mut block = [0u8; BLOCK];
            let rest = &bytes[at.min(bytes.len())..];
            block[..rest.len()].copy_from_slice(rest);
            mask(&block, class)
        }
    }
}

/// The offsets of the set bits of `bits`, a block's mask, from `base` (the block's offset),
/// in order.
#[inline(always)]
pub fn offsets(base: usize, mut bits: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (bits != 0).then(|| {
            let at = base + bits.trailing_zeros() as usize;
            bits &= bits - 1;
            at
        })
    })
}

/// True for an ASCII letter: one subtraction, which a block's comparisons vectorise.
#[inline(always)]
pub fn is_ascii_letter(c: u8) -> bool {
    (c | 0x20).wrapping_sub(b'a') < 26
}

/// The `len` bytes (at most eight) at `start` as one little-endian number with bit 5 set in
/// each (which lowercases ASCII letters), read with one load: how short words are keyed
/// without a loop. `None` when fewer than eight bytes are left from `start`.
#[inline]
pub fn folded_head(bytes: &[u8], start: usize, len: usize) -> Option<u64> {
    let eight: [u8; 8] = bytes.get(start..start + 8)?.try_into().ok()?;
    let keep = match len {
        8.. => u64::MAX,
        _ => (1u64 << (8 * len)) - 1,
    };
    Some((u64::from_le_bytes(eight) | 0x2020_2020_2020_2020) & keep)
}

/// ASCII white space as words are separated: the characters `u8::is_ascii_whitespace` takes,
/// and the vertical tab.
#[inline(always)]
pub fn is_space(b: u8) -> bool {
    b == b' ' || b.wrapping_sub(0x09) < 5
}

#[inline(always)]
pub fn is_alnum(b: u8) -> bool {
    b.wrapping_sub(b'0') < 10 || (b | 0x20).wrapping_sub(b'a') < 26
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_have_one_bit_per_byte_in_order() {
        let text: Vec<u8> = (0..BLOCK).map(|j| if j % 3 == 0 { b' ' } else { b'x' }).collect();
        let block = ascii_block(&text, 0).unwrap();
        let want = (0..BLOCK).filter(|j| j % 3 == 0).fold(0u64, |m, j| m | 1 << j);
        assert_eq!(mask(block, is_space), want);
        assert_eq!(mask(block, is_alnum), !want);
    }

    #[test]
    fn pieces_cover_the_text_at_char_boundaries() {
        let text = format!("{}é{}", "a".repeat(100), "b".repeat(200));
        let mut next = 0;
        for (at, piece) in pieces(&text) {
            assert_eq!(at, next);
            next += match piece {
                Piece::Ascii(b) => b.len(),
                Piece::Other(s) => s.len(),
            };
        }
        assert_eq!(next, text.len());
    }

    #[test]
    fn blocks_are_ascii_and_whole() {
        let mut text = vec![b'a'; 70];
        assert!(ascii_block(&text, 6).is_some());
        assert!(ascii_block(&text, 7).is_none());
        text[40] = 0xc3;
        assert!(ascii_block(&text, 0).is_none());
    }

    #[test]
    fn byte_classes_match_the_standard_library() {
        for b in 0..=127u8 {
            assert_eq!(is_space(b), b.is_ascii_whitespace() || b == 0x0b, "{b}");
            assert_eq!(is_alnum(b), b.is_ascii_alphanumeric(), "{b}");
        }
    }
}
