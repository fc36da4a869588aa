//! base64url without padding (RFC 4648 §5), the encoding of share links.
//!
//! Written here rather than taken from the `base64` crate, whose general engine (unrolled
//! decoding, every alphabet and padding mode) was about 6 KB of the wasm for the one encoding
//! links use. It accepts and refuses exactly what `base64`'s `URL_SAFE_NO_PAD` does, with the
//! same messages (a link error quotes them), which a test checks against that crate.

use std::fmt;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Why some text is not base64url; displayed as `base64` 0.22 displays its `DecodeError`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// A byte outside the alphabet (or a `=` where padding cannot be), and its offset.
    Symbol(usize, u8),
    /// Text that ends one symbol into a group of four.
    Length(usize),
    /// A last symbol with bits set below the last whole byte: no encoder writes it.
    LastSymbol(usize, u8),
    /// Padding, which this encoding does not have.
    Padding,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Symbol(index, byte) => {
                write!(f, "Invalid symbol {byte}, offset {index}.")
            }
            Self::Length(len) => write!(f, "Invalid input length: {len}"),
            Self::LastSymbol(index, byte) => {
                write!(f, "Invalid last symbol {byte}, offset {index}.")
            }
            Self::Padding => write!(f, "Invalid padding"),
        }
    }
}

/// `bytes` as base64url, without padding.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        // 2, 3 or 4 symbols for 1, 2 or 3 bytes.
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The value of one symbol, if it is one.
fn symbol(b: u8) -> Option<u32> {
    let v = match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decode base64url text without padding. Errors are found in the order `base64` finds them:
/// a bad last byte of a length that is 1 past a multiple of 4 first, then bytes in order, then
/// the last group's length, padding and trailing bits.
pub fn decode(text: &str) -> Result<Vec<u8>, DecodeError> {
    let input = text.as_bytes();
    let rem = input.len() % 4;
    if rem == 1 {
        let last = input[input.len() - 1];
        if last != b'=' && symbol(last).is_none() {
            return Err(DecodeError::Symbol(input.len() - 1, last));
        }
    }
    // Every group of four but the last (which may be short, padded or end early).
    let body = input.len().saturating_sub(if rem == 0 { 4 } else { rem });
    let mut out = Vec::with_capacity(input.len() / 4 * 3 + 3);
    for (g, group) in input[..body].chunks_exact(4).enumerate() {
        let mut n = 0;
        for (i, &b) in group.iter().enumerate() {
            n = n << 6 | symbol(b).ok_or(DecodeError::Symbol(g * 4 + i, b))?;
        }
        out.extend_from_slice(&n.to_be_bytes()[1..]);
    }
    decode_last(input, body, out)
}

/// The last group, from `start`: up to four symbols, perhaps followed by (refused) padding.
fn decode_last(input: &[u8], start: usize, mut out: Vec<u8>) -> Result<Vec<u8>, DecodeError> {
    let mut symbols = 0;
    let mut padding = 0;
    let mut first_pad = 0;
    let mut last = 0;
    let mut n: u32 = 0;
    for (i, &b) in input[start..].iter().enumerate() {
        if b == b'=' {
            if i < 2 {
                return Err(DecodeError::Symbol(start + i, b));
            }
            if padding == 0 {
                first_pad = i;
            }
            padding += 1;
            continue;
        }
        if padding > 0 {
            return Err(DecodeError::Symbol(start + first_pad, b'='));
        }
        last = b;
        n |= symbol(b).ok_or(DecodeError::Symbol(start + i, b))? << (26 - 6 * symbols);
        symbols += 1;
    }
    if !input.is_empty() && symbols < 2 {
        return Err(DecodeError::Length(start + symbols as usize));
    }
    if padding > 0 {
        return Err(DecodeError::Padding);
    }
    let whole_bytes = symbols * 6 / 8;
    if n & (!0u32 >> (whole_bytes * 8)) != 0 {
        return Err(DecodeError::LastSymbol(start + symbols as usize - 1, last));
    }
    out.extend_from_slice(&n.to_be_bytes()[..whole_bytes as usize]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn reference(text: &str) -> Result<Vec<u8>, String> {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn encodes_as_the_base64_crate_does() {
        let mut bytes = Vec::new();
        for i in 0..300u32 {
            assert_eq!(
                encode(&bytes),
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes)
            );
            assert_eq!(decode(&encode(&bytes)), Ok(bytes.clone()));
            bytes.push((i.wrapping_mul(2_654_435_761) >> 13) as u8);
        }
    }

    #[test]
    fn accepts_and_refuses_what_the_base64_crate_does_with_its_messages() {
        // Short texts over an alphabet of valid symbols, both padding characters, the other
        // alphabet's symbols and bytes outside ASCII; every text up to length 5, then random
        // ones up to length 14.
        let symbols = ["A", "Q", "w", "_", "-", "8", "=", "+", "/", " ", ".", "é"];
        let mut texts = vec![String::new()];
        let mut frontier = vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for t in &frontier {
                for s in symbols {
                    next.push(format!("{t}{s}"));
                }
            }
            texts.extend(next.iter().cloned());
            frontier = next;
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 15) as usize;
            let mut t = String::new();
            let mut y = x;
            for _ in 0..len {
                // Mostly valid symbols, so the errors come late in the text too.
                t.push_str(if y.is_multiple_of(5) {
                    symbols[(y / 5 % symbols.len() as u64) as usize]
                } else {
                    let i = (y / 5 % 64) as usize;
                    &ALPHABET_STR[i..i + 1]
                });
                y = y.rotate_right(7).wrapping_mul(0x2545_f491_4f6c_dd1d);
            }
            texts.push(t);
        }
        let mut refused = 0;
        for t in &texts {
            let ours = decode(t).map_err(|e| e.to_string());
            assert_eq!(ours, reference(t), "{t:?}");
            refused += usize::from(ours.is_err());
        }
        assert!(refused > 1000 && refused < texts.len() - 1000, "{refused}");
    }

    const ALPHABET_STR: &str = match std::str::from_utf8(ALPHABET) {
        Ok(s) => s,
        Err(_) => panic!("the alphabet is ASCII"),
    };
}
