//! One error type for every bad input: it names the field (a JSON path such as
//! `config.latencyMsMin` or `actions[3].action.node`) and says what is wrong with it.

use std::fmt;

/// A rejected input. `field` is a JSON-style path, `message` a sentence about what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimError {
    pub field: String,
    pub message: String,
    /// The limit a call reached (`eventsPerCallMax`, `simMsMax`, ...), when that is why it
    /// failed; the input itself may be fine.
    pub limit: Option<&'static str>,
}

impl SimError {
    /// Every number in `message` is shortened ([`shorten_numbers`]): messages quote values
    /// that came from a link, a scenario or the JS API, and those may be hundreds of digits long.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        SimError {
            field: field.into(),
            message: shorten_numbers(&message.into()),
            limit: None,
        }
    }

    /// A call that reached the limit `name` (the key in `limits()`).
    pub fn limit(name: &'static str, field: impl Into<String>, message: impl Into<String>) -> Self {
        SimError {
            limit: Some(name),
            ..SimError::new(field, message)
        }
    }

    /// Prefix the field path, e.g. `nodes` inside `config` becomes `config.nodes`.
    pub fn within(mut self, parent: &str) -> Self {
        self.field = if self.field.is_empty() {
            parent.to_string()
        } else if self.field.starts_with('[') {
            format!("{parent}{}", self.field)
        } else {
            format!("{parent}.{}", self.field)
        };
        self
    }
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for SimError {}

/// Deserialize a JSON value into `T`, and when that fails, find which top-level key is at fault
/// by deserializing each key alone (every field of our input types has a default, so a
/// one-key object is valid exactly when that key's value is).
pub fn from_value_named<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
) -> Result<T, SimError> {
    match crate::tagged::from_object::<T>(value.clone()) {
        Ok(v) => Ok(v),
        Err(whole) => {
            if let serde_json::Value::Object(map) = value {
                for (key, v) in map {
                    let mut one = serde_json::Map::new();
                    one.insert(key.clone(), v.clone());
                    if let Err(e) = crate::tagged::from_object::<T>(serde_json::Value::Object(one))
                    {
                        let text = e.to_string();
                        // A missing required field is a property of the whole object, not this key.
                        if !text.starts_with("missing field") {
                            return Err(SimError::new(key.clone(), clean_serde_message(&text)));
                        }
                    }
                }
            }
            Err(SimError::new("", clean_serde_message(&whole.to_string())))
        }
    }
}

/// A JSON value as a message quotes it: compact JSON, as `Value`'s own `Display` writes it,
/// through `serde_json::to_string`. Only the lesson files' messages use it (natively): the
/// wasm writes no JSON through serde_json (see `write.rs`).
pub struct Json<'a>(pub &'a serde_json::Value);

impl fmt::Display for Json<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&serde_json::to_string(self.0).expect("a JSON value always serializes"))
    }
}

/// serde_json appends "at line 1 column 7" to messages about values that came from a string;
/// those positions mean nothing to someone who built the object in JS, so drop them.
pub fn clean_serde_message(text: &str) -> String {
    match text.find(" at line ") {
        Some(pos) => text[..pos].to_string(),
        None => text.to_string(),
    }
}

/// Longest number an error message prints in full; longer ones are written with an exponent.
const NUMBER_CHARS_MAX: usize = 16;

/// A number as an error message shows it: in full when short (`5000`, `0.25`), with an exponent
/// when it would be long (`1e300`, `1.8e16`, `-9.2e18`), so a hostile value cannot make a message
/// hundreds of characters long. Rust's `Display` for f64 never uses an exponent.
///
/// The long form is rounded from the shortest digits that `Display` prints, by the same rule
/// as [`shorten_numbers`] (half up on the digits, as JS's `toPrecision` does), not with
/// `{:.2e}`: that formats the exact binary value, which only differs on a tie such as
/// 1.125e17, and its code (exact float formatting) was about 9 KB of the wasm.
///
/// Every float a message shows goes through here (not through `{}`), so that `f64`'s
/// `Display` is not in the wasm at all (see [`plain_decimal`]).
pub fn short_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let full = plain_decimal(n);
    if full.len() <= NUMBER_CHARS_MAX {
        return full;
    }
    // Three significant digits are enough to see what was wrong.
    shorten_token(&full)
}

/// A finite `n` as `f64`'s `Display` writes it (`5000`, `0.25`, `-0`, `0.0000001`: the
/// shortest digits that read back as `n`, never an exponent), built from the shortest digits
/// JSON has (`5000.0`, `0.25`, `-0.0`, `1e-7`; `write::float`, serde_json's formatter).
/// `Display` would bring a second float formatter into the wasm (about 18 KB with its tables);
/// the JSON writer's is there anyway. The two pick different last digits for a few 17-digit numbers
/// (`1658206780088562.2` here, `.3` by `Display`: both read back as the same double), which
/// messages shorten to three digits anyway; a test holds every message's form to `Display`'s.
fn plain_decimal(n: f64) -> String {
    let mut json = Vec::with_capacity(24);
    crate::write::float(&mut json, n);
    // `-`, digits with maybe a point, then maybe `e`, a sign and the exponent's digits.
    let (mut negative, mut exp_negative, mut in_exp) = (false, false, false);
    let (mut digits, mut point, mut exp) = (Vec::with_capacity(24), None, 0i64);
    for &b in &json {
        match b {
            b'-' if in_exp => exp_negative = true,
            b'-' => negative = true,
            b'.' => point = Some(digits.len()),
            b'e' | b'E' => in_exp = true,
            b'0'..=b'9' if in_exp => exp = exp * 10 + i64::from(b - b'0'),
            b'0'..=b'9' => digits.push(b),
            _ => {}
        }
    }
    if exp_negative {
        exp = -exp;
    }
    // Where the decimal point falls, counted from the first significant digit.
    let lead = digits.iter().take_while(|&&d| d == b'0').count();
    let point = point.unwrap_or(digits.len()) as i64 - lead as i64 + exp;
    let trail = digits.iter().rev().take_while(|&&d| d == b'0').count();
    let digits = &digits[lead.min(digits.len() - trail)..digits.len() - trail];
    let mut out = Vec::with_capacity(digits.len() + 8);
    if negative {
        out.push(b'-');
    }
    let len = digits.len() as i64;
    if digits.is_empty() {
        out.push(b'0');
    } else if point <= 0 {
        out.extend_from_slice(b"0.");
        out.resize(out.len() + (-point) as usize, b'0');
        out.extend_from_slice(digits);
    } else if point >= len {
        out.extend_from_slice(digits);
        out.resize(out.len() + (point - len) as usize, b'0');
    } else {
        out.extend_from_slice(&digits[..point as usize]);
        out.push(b'.');
        out.extend_from_slice(&digits[point as usize..]);
    }
    // ASCII throughout, so each byte is its char (no UTF-8 check, whose error brings its
    // `Debug` into the wasm).
    out.iter().map(|&b| char::from(b)).collect()
}

/// `text` with every number longer than [`NUMBER_CHARS_MAX`] characters written as
/// [`short_number`] would write it (`1.8e16`, `-1e300`): the one rule for numbers in messages,
/// applied to whole messages where they are made (`SimError`, the wasm `ApiError`, the CLI's
/// error line), so no format string can forget it. It works on the digits themselves, not on an
/// f64, so a number of 400 digits becomes `1.23e399`, not `Infinity`. Short numbers, words and
/// field paths (`actions[3]`) are left as they are; so are digits inside a word (`v2`, `x123`).
pub fn shorten_numbers(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len().min(256));
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        let starts_number = bytes[i].is_ascii_digit()
            || (bytes[i] == b'-' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit));
        let inside_word = i > 0
            && (bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'_'
                || bytes[i - 1] == b'.');
        if !starts_number || inside_word {
            i += 1;
            continue;
        }
        let end = number_end(bytes, i);
        // `get`, not slicing (see `shorten_token`): every place here is at an ASCII byte.
        if end - i > NUMBER_CHARS_MAX {
            out.push_str(text.get(copied..i).unwrap_or_default());
            out.push_str(&shorten_token(text.get(i..end).unwrap_or_default()));
            copied = end;
        }
        i = end;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// Where the number starting at `start` ends: `-`, digits, `.digits`, then `e±digits`.
fn number_end(bytes: &[u8], start: usize) -> usize {
    let digits = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let mut i = digits(start + usize::from(bytes[start] == b'-'));
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i = digits(i + 1);
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(i + 1), Some(b'+' | b'-')));
        if bytes.get(i + 1 + sign).is_some_and(u8::is_ascii_digit) {
            i = digits(i + 1 + sign);
        }
    }
    i
}

/// One long number token as `d.dde±N` (three significant digits, trailing zeros dropped),
/// computed from its digits: `-` `int` `.frac` `e exp`.
fn shorten_token(token: &str) -> String {
    let (negative, rest) = match token.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, token),
    };
    // Split, not sliced at a found place: `&str` slicing brings core's char-boundary panic,
    // whose message formats a `char` with `Debug` (its escaping code and Unicode tables, about
    // 4 KB of the wasm); these four were its only callers there.
    let (mantissa, exp) = match rest.split_once(['e', 'E']) {
        Some((mantissa, exp)) => (mantissa, exp.parse::<i64>().unwrap_or(0)),
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all: String = format!("{int}{frac}");
    let lead = all.bytes().position(|b| b != b'0');
    let Some(lead) = lead else {
        return if negative { "-0".into() } else { "0".into() };
    };
    // The decimal exponent of the first significant digit.
    let exponent = int.len() as i64 - 1 - lead as i64 + exp;
    let sig = &all.as_bytes()[lead..];
    // Round to three significant digits (half up, on the digits).
    let mut d: Vec<u8> = sig.iter().take(3).map(|b| b - b'0').collect();
    d.resize(3, 0);
    let mut exponent = exponent;
    if sig.get(3).is_some_and(|&b| b >= b'5') {
        let mut k = 2;
        loop {
            if d[k] < 9 {
                d[k] += 1;
                break;
            }
            d[k] = 0;
            if k == 0 {
                d.insert(0, 1);
                d.truncate(3);
                exponent += 1;
                break;
            }
            k -= 1;
        }
    }
    let mut mant = format!("{}.{}{}", d[0], d[1], d[2]);
    while mant.ends_with('0') {
        mant.pop();
    }
    if mant.ends_with('.') {
        mant.pop();
    }
    format!("{}{mant}e{exponent}", if negative { "-" } else { "" })
}

/// An integer as an error message shows it (see [`short_number`]).
pub fn short_int(n: impl Into<i128>) -> String {
    let n: i128 = n.into();
    let full = n.to_string();
    if full.len() <= NUMBER_CHARS_MAX {
        full
    } else {
        short_number(n as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_a_message_reads_as_the_value_displays() {
        let values = serde_json::json!([
            null, true, 3, -3, 2.5, 1e300, "q\"\\\n\u{1}é",
            {"kind": "msgSent", "to": [1, 2], "x": {}}, []
        ]);
        for v in values.as_array().unwrap().iter().chain([&values]) {
            assert_eq!(Json(v).to_string(), v.to_string());
        }
    }

    #[test]
    fn short_numbers_are_printed_in_full() {
        assert_eq!(short_number(5000.0), "5000");
        assert_eq!(short_number(0.25), "0.25");
        assert_eq!(short_number(-3.0), "-3");
        assert_eq!(short_int(86_400_000u64), "86400000");
    }

    #[test]
    fn every_long_number_in_a_message_is_shortened() {
        let huge = format!("1{}", "0".repeat(300));
        assert_eq!(
            shorten_numbers(&format!(
                "{huge} is in the past: the previous action is at 5"
            )),
            "1e300 is in the past: the previous action is at 5"
        );
        let digits400 = "123456789".repeat(45);
        assert_eq!(
            shorten_numbers(&format!("got \"{digits400}\"")),
            "got \"1.23e404\""
        );
        assert_eq!(
            shorten_numbers("at -18000000000000000.5 ms"),
            "at -1.8e16 ms"
        );
        assert_eq!(shorten_numbers("0.000000000000000000123 ms"), "1.23e-19 ms");
        assert_eq!(shorten_numbers("rate 99999999999999999999"), "rate 1e20");
        assert_eq!(
            shorten_numbers("x 1.2345678901234567e300 y"),
            "x 1.23e300 y"
        );
        // Short numbers, field paths and digits inside words stay.
        let plain = "actions[12].atMs: 5000 is before 0.25 (v2 link, S3, x1234567890123456789)";
        assert_eq!(shorten_numbers(plain), plain);
    }

    #[test]
    fn an_error_built_with_a_huge_value_is_short() {
        let e = SimError::new("endMs", format!("{} is before the last action at 3", 1e300));
        assert_eq!(e.to_string(), "endMs: 1e300 is before the last action at 3");
    }

    #[test]
    fn numbers_read_as_display_writes_them_in_messages() {
        for n in [
            0.0,
            -0.0,
            1.0,
            -3.0,
            0.25,
            5000.0,
            1e-7,
            1.5e-7,
            1e15,
            1e16,
            1.8e16,
            123.456,
            1e21,
            1e300,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            0.1 + 0.2,
            9_007_199_254_740_993.0,
        ] {
            assert_eq!(plain_decimal(n), format!("{n}"), "{n:e}");
        }
        // As a message shows a number: in full (then as `Display` writes it), or shortened
        // from the digits `Display` writes.
        let as_display = |n: f64| shorten_numbers(&format!("{n}"));
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for i in 0..300_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Any double, integers of up to 20 digits, and times in microseconds.
            let n = match i % 3 {
                0 => f64::from_bits(x),
                1 => (x >> (x % 64)) as f64,
                _ => (x % 1_000_000_000_000) as f64 / 1000.0,
            };
            if n.is_finite() {
                assert_eq!(short_number(n), as_display(n), "{n:e}");
            }
        }
    }

    #[test]
    fn huge_and_tiny_numbers_get_an_exponent() {
        assert_eq!(short_number(1e300), "1e300");
        assert_eq!(short_number(1.8e16), "1.8e16");
        assert_eq!(short_number(-1.23456e20), "-1.23e20");
        assert_eq!(short_number(f64::MAX), "1.8e308");
        assert!(short_number(1e-300).len() <= NUMBER_CHARS_MAX);
        assert_eq!(short_int(i64::MIN), "-9.22e18");
        assert_eq!(short_int(u64::MAX), "1.84e19");
    }

    #[test]
    fn long_numbers_round_as_their_exact_value_does_except_on_a_tie() {
        // `{:.2e}` rounds the exact binary value: the rule before, and still the answer
        // wherever the shortest digits are not themselves a tie.
        let exact = |n: f64| {
            let e = format!("{n:.2e}");
            let (m, x) = e.split_once('e').unwrap();
            format!("{}e{x}", m.trim_end_matches('0').trim_end_matches('.'))
        };
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut compared = 0;
        for i in 0..300_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Any double, and integers of 17 to 20 digits.
            let n = if i % 2 == 0 {
                f64::from_bits(x)
            } else {
                (x >> (x % 8)) as f64
            };
            if !n.is_finite() || format!("{n}").len() <= NUMBER_CHARS_MAX {
                continue;
            }
            compared += 1;
            assert_eq!(short_number(n), exact(n), "{n:e}");
        }
        assert!(compared > 200_000, "{compared}");
        // On a tie the digits round up, as JS's toPrecision(3) does; `{:.2e}` rounds the exact
        // 1.125e17 to even.
        assert_eq!(exact(1.125e17), "1.12e17");
        assert_eq!(short_number(1.125e17), "1.13e17");
    }
}
