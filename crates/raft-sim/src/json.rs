//! JSON text to a [`Value`]: the one JSON parser of the simulator's inputs (actions, configs,
//! scenarios and share links, log entries and snapshots), natively and in the wasm. Only the
//! lesson files, which the CLI and the site build read natively, still go through serde_json.
//!
//! Why not serde_json's: its reader, its `Value` with a B-tree per object, their drops, its
//! error type and its table of powers of ten were about 20 KB of the wasm for the few inputs
//! here. What this one gives is exactly what serde_json 1.x gave (its default build, without
//! `float_roundtrip`), because share links and scenarios written then must replay bit for bit:
//!
//! - numbers: the same `u64`, negative `i64` or `f64`, found the same way (the digits that fit
//!   a u64, then one multiplication or division by a power of ten; not always the nearest
//!   double, but the same one);
//! - objects: keys sorted with the last of a repeated key kept, as serde_json's map (a
//!   `BTreeMap`) kept them; readers walk fields in that order, so the first bad field they name
//!   is the same;
//! - errors: serde_json's words at serde_json's line and column (`expected value at line 1
//!   column 1`), and its nesting limit (127 open arrays or objects).
//!
//! `tests/json.rs` holds it to serde_json on generated numbers, texts and broken texts.

use std::fmt;

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// A JSON number as serde_json reads it: a whole number written without a point or exponent
/// is a `U64` when it fits one, a negative one an `I64` when it fits one; anything else
/// (`1.5`, `3.0`, `1e3`, `-0`, a 30-digit integer) is a finite `F64`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    U64(u64),
    /// Always negative.
    I64(i64),
    F64(f64),
}

impl Number {
    pub fn as_u64(self) -> Option<u64> {
        match self {
            Number::U64(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_i64(self) -> Option<i64> {
        match self {
            Number::U64(n) => i64::try_from(n).ok(),
            Number::I64(n) => Some(n),
            Number::F64(_) => None,
        }
    }

    pub fn as_f64(self) -> f64 {
        match self {
            Number::U64(n) => n as f64,
            Number::I64(n) => n as f64,
            Number::F64(f) => f,
        }
    }

    pub fn is_f64(self) -> bool {
        matches!(self, Number::F64(_))
    }
}

/// A JSON object: its keys in sorted (byte) order, each once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Map(Vec<(String, Value)>);

impl Map {
    pub fn new() -> Map {
        Map::default()
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    /// Add `key`, or replace its value when it is already there.
    pub fn insert(&mut self, key: String, value: Value) {
        match self.find(&key) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (key, value)),
        }
    }

    /// The map of an object's pairs in text order, a repeated key keeping its last value, as
    /// serde_json's map did. Inserting one by one would shift the later keys on every insert:
    /// quadratic for keys in descending order, minutes for the 100,000 a hostile link has room
    /// for, where this sort is n log n (and one pass when the keys came sorted).
    fn from_pairs(mut pairs: Vec<(String, Value)>) -> Map {
        if pairs.windows(2).any(|w| w[0].0 >= w[1].0) {
            // Stable, so equal keys stay in text order and the last of each run is the one kept.
            pairs = sorted_by_key(pairs);
            let mut kept: Vec<(String, Value)> = Vec::with_capacity(pairs.len());
            for pair in pairs {
                match kept.last_mut() {
                    Some(last) if last.0 == pair.0 => *last = pair,
                    _ => kept.push(pair),
                }
            }
            pairs = kept;
        }
        Map(pairs)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }
}

/// `pairs` in key order, equal keys in their text order: a merge sort written out, because
/// std's stable sort instantiated for this one use was 2.9 KB of the gzipped wasm (6 KB raw)
/// and this is a few hundred bytes. Recursion depth is log2 of the key count.
fn sorted_by_key(mut pairs: Vec<(String, Value)>) -> Vec<(String, Value)> {
    if pairs.len() < 2 {
        return pairs;
    }
    let right = pairs.split_off(pairs.len() / 2);
    let mut right = sorted_by_key(right).into_iter().peekable();
    let mut out = Vec::with_capacity(pairs.len() + right.len());
    for left in sorted_by_key(pairs) {
        // Only a strictly smaller key from the right goes first: equal keys keep text order.
        while let Some(pair) = right.next_if(|r| r.0 < left.0) {
            out.push(pair);
        }
        out.push(left);
    }
    out.extend(right);
    out
}

impl<'a> IntoIterator for &'a Map {
    type Item = &'a (String, Value);
    type IntoIter = std::slice::Iter<'a, (String, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Value {
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(n.as_f64()),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }
}

/// serde_json's own value, for the inputs that still come through serde (the lesson files,
/// natively): numbers keep their kind and bits.
impl From<&serde_json::Value> for Value {
    fn from(value: &serde_json::Value) -> Value {
        match value {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Number::U64(u),
                (None, Some(i)) => Number::I64(i),
                _ => Number::F64(n.as_f64().unwrap_or(f64::NAN)),
            }),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::Array(items.iter().map(Value::from).collect())
            }
            serde_json::Value::Object(fields) => {
                let mut map = Map::new();
                for (key, item) in fields {
                    map.insert(key.clone(), Value::from(item));
                }
                Value::Object(map)
            }
        }
    }
}

/// Why a text is not JSON: serde_json's words and place (`line` from 1, `column` counted in
/// bytes from 1, 0 before the first byte of a line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub what: &'static str,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.what, self.line, self.column
        )
    }
}

impl std::error::Error for ParseError {}

/// Parse one JSON value, with nothing but whitespace after it.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let mut p = Parser {
        text,
        at: 0,
        depth_left: DEPTH_MAX,
    };
    let value = p.value().and_then(|value| match p.space() {
        Some(_) => Err(p.peek_error(TRAILING_CHARACTERS)),
        None => Ok(value),
    });
    value.map_err(|Fail { what, at }| {
        let before = &text.as_bytes()[..at];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        ParseError {
            what,
            line: 1 + before[..line_start].iter().filter(|&&b| b == b'\n').count(),
            column: at - line_start,
        }
    })
}

// serde_json's messages.
const EOF_LIST: &str = "EOF while parsing a list";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_STRING: &str = "EOF while parsing a string";
const EOF_VALUE: &str = "EOF while parsing a value";
const EXPECTED_COLON: &str = "expected `:`";
const EXPECTED_LIST_COMMA_OR_END: &str = "expected `,` or `]`";
const EXPECTED_OBJECT_COMMA_OR_END: &str = "expected `,` or `}`";
const EXPECTED_IDENT: &str = "expected ident";
const EXPECTED_VALUE: &str = "expected value";
const INVALID_ESCAPE: &str = "invalid escape";
const INVALID_NUMBER: &str = "invalid number";
const NUMBER_OUT_OF_RANGE: &str = "number out of range";
const CONTROL_CHARACTER: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const KEY_MUST_BE_A_STRING: &str = "key must be a string";
const LONE_SURROGATE: &str = "lone leading surrogate in hex escape";
const TRAILING_COMMA: &str = "trailing comma";
const TRAILING_CHARACTERS: &str = "trailing characters";
const HEX_ESCAPE_END: &str = "unexpected end of hex escape";
const RECURSION_LIMIT: &str = "recursion limit exceeded";

/// serde_json's nesting limit: the 128th array or object open at once is refused.
const DEPTH_MAX: u8 = 128;

/// An error and the byte index its position is counted to.
struct Fail {
    what: &'static str,
    at: usize,
}

type Parsed<T> = Result<T, Fail>;

/// A cursor over the text. Its steps follow serde_json's parser one for one, so that every
/// number and every error position comes out the same: `error` places an error after the last
/// byte read, `peek_error` on the next one.
struct Parser<'a> {
    text: &'a str,
    at: usize,
    depth_left: u8,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// The next byte, or 0 at the end (which nothing here accepts).
    fn peek_or_null(&self) -> u8 {
        self.peek().unwrap_or(0)
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    fn next_digit(&mut self) -> Option<u8> {
        let b = self.peek_or_null();
        b.is_ascii_digit().then(|| b - b'0')
    }

    #[cold]
    fn error(&self, what: &'static str) -> Fail {
        Fail { what, at: self.at }
    }

    #[cold]
    fn peek_error(&self, what: &'static str) -> Fail {
        Fail {
            what,
            at: self.text.len().min(self.at + 1),
        }
    }

    /// Skip whitespace; the next byte, not consumed.
    fn space(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.at += 1;
        }
        self.peek()
    }

    fn value(&mut self) -> Parsed<Value> {
        let Some(first) = self.space() else {
            return Err(self.peek_error(EOF_VALUE));
        };
        Ok(match first {
            b'n' => self.word("null", Value::Null)?,
            b't' => self.word("true", Value::Bool(true))?,
            b'f' => self.word("false", Value::Bool(false))?,
            b'-' => {
                self.at += 1;
                Value::Number(self.number(false)?)
            }
            b'0'..=b'9' => Value::Number(self.number(true)?),
            b'"' => {
                self.at += 1;
                Value::String(self.string()?)
            }
            b'[' => {
                self.nest()?;
                let items = self.items()?;
                self.depth_left += 1;
                Value::Array(items)
            }
            b'{' => {
                self.nest()?;
                let fields = self.fields()?;
                self.depth_left += 1;
                Value::Object(fields)
            }
            _ => return Err(self.peek_error(EXPECTED_VALUE)),
        })
    }

    /// One more level open (the `[` or `{` is consumed).
    fn nest(&mut self) -> Parsed<()> {
        self.depth_left -= 1;
        if self.depth_left == 0 {
            return Err(self.peek_error(RECURSION_LIMIT));
        }
        self.at += 1;
        Ok(())
    }

    /// `null`, `true` or `false`, whose first letter has been seen.
    fn word(&mut self, word: &str, value: Value) -> Parsed<Value> {
        self.at += 1;
        for &want in &word.as_bytes()[1..] {
            match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(b) if b != want => return Err(self.error(EXPECTED_IDENT)),
                Some(_) => {}
            }
        }
        Ok(value)
    }

    /// An array's items after its `[`, through its `]`.
    fn items(&mut self) -> Parsed<Vec<Value>> {
        let mut items = Vec::new();
        loop {
            match self.space() {
                None => return Err(self.peek_error(EOF_LIST)),
                Some(b']') => break,
                Some(_) if items.is_empty() => {}
                Some(b',') => {
                    self.at += 1;
                    match self.space() {
                        Some(b']') => return Err(self.peek_error(TRAILING_COMMA)),
                        Some(_) => {}
                        None => return Err(self.peek_error(EOF_VALUE)),
                    }
                }
                Some(_) => return Err(self.peek_error(EXPECTED_LIST_COMMA_OR_END)),
            }
            items.push(self.value()?);
        }
        self.at += 1;
        Ok(items)
    }

    /// An object's fields after its `{`, through its `}`.
    fn fields(&mut self) -> Parsed<Map> {
        let mut pairs = Vec::new();
        let mut first = true;
        loop {
            match self.space() {
                None => return Err(self.peek_error(EOF_OBJECT)),
                Some(b'}') => break,
                Some(b'"') if first => {}
                Some(_) if first => return Err(self.peek_error(KEY_MUST_BE_A_STRING)),
                Some(b',') => {
                    self.at += 1;
                    match self.space() {
                        Some(b'"') => {}
                        Some(b'}') => return Err(self.peek_error(TRAILING_COMMA)),
                        Some(_) => return Err(self.peek_error(KEY_MUST_BE_A_STRING)),
                        None => return Err(self.peek_error(EOF_VALUE)),
                    }
                }
                Some(_) => return Err(self.peek_error(EXPECTED_OBJECT_COMMA_OR_END)),
            }
            first = false;
            self.at += 1;
            let key = self.string()?;
            match self.space() {
                Some(b':') => self.at += 1,
                Some(_) => return Err(self.peek_error(EXPECTED_COLON)),
                None => return Err(self.peek_error(EOF_OBJECT)),
            }
            pairs.push((key, self.value()?));
        }
        self.at += 1;
        Ok(Map::from_pairs(pairs))
    }

    /// A string's contents after its opening quote, through its closing one.
    fn string(&mut self) -> Parsed<String> {
        let mut out = String::new();
        let mut start = self.at;
        loop {
            while self
                .peek()
                .is_some_and(|b| b != b'"' && b != b'\\' && b >= 0x20)
            {
                self.at += 1;
            }
            let Some(b) = self.peek() else {
                return Err(self.error(EOF_STRING));
            };
            // Quote, backslash and control characters are ASCII, so `at` is on a char boundary.
            // `get`, not slicing: see `error::shorten_token`.
            out.push_str(self.text.get(start..self.at).unwrap_or_default());
            self.at += 1;
            match b {
                b'"' => return Ok(out),
                b'\\' => {
                    let Some(escape) = self.next() else {
                        return Err(self.error(EOF_STRING));
                    };
                    out.push(match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.error(INVALID_ESCAPE)),
                    });
                    start = self.at;
                }
                _ => return Err(self.error(CONTROL_CHARACTER)),
            }
        }
    }

    /// The character of a `\u` escape (a surrogate pair is two of them), after its `\u`.
    #[cold]
    fn unicode_escape(&mut self) -> Parsed<char> {
        let high = self.hex4()?;
        if (0xDC00..=0xDFFF).contains(&high) {
            return Err(self.error(LONE_SURROGATE));
        }
        if !(0xD800..=0xDBFF).contains(&high) {
            return Ok(char::from_u32(high).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
        for want in [b'\\', b'u'] {
            match self.peek() {
                None => return Err(self.error(EOF_STRING)),
                Some(b) => {
                    self.at += 1;
                    if b != want {
                        return Err(self.error(HEX_ESCAPE_END));
                    }
                }
            }
        }
        let low = self.hex4()?;
        if !(0xDC00..=0xDFFF).contains(&low) {
            return Err(self.error(LONE_SURROGATE));
        }
        let code = 0x1_0000 + ((high - 0xD800) << 10 | (low - 0xDC00));
        Ok(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER))
    }

    /// Four hex digits.
    fn hex4(&mut self) -> Parsed<u32> {
        let Some(digits) = self.text.as_bytes().get(self.at..self.at + 4) else {
            self.at = self.text.len();
            return Err(self.error(EOF_STRING));
        };
        self.at += 4;
        let mut n = 0;
        for &d in digits {
            let Some(v) = char::from(d).to_digit(16) else {
                return Err(self.error(INVALID_ESCAPE));
            };
            n = n << 4 | v;
        }
        Ok(n)
    }

    /// A number after its sign.
    fn number(&mut self, positive: bool) -> Parsed<Number> {
        let significand = match self.next() {
            None => return Err(self.error(EOF_VALUE)),
            Some(b'0') => {
                // One leading zero at most.
                if self.peek_or_null().is_ascii_digit() {
                    return Err(self.peek_error(INVALID_NUMBER));
                }
                0
            }
            Some(first @ b'1'..=b'9') => {
                let mut significand = u64::from(first - b'0');
                while let Some(digit) = self.next_digit() {
                    match append_digit(significand, digit) {
                        Some(s) => significand = s,
                        // Longer than a u64: a float from here on.
                        None => return self.long_integer(positive, significand).map(Number::F64),
                    }
                    self.at += 1;
                }
                significand
            }
            Some(_) => return Err(self.error(INVALID_NUMBER)),
        };
        Ok(match self.peek_or_null() {
            b'.' => Number::F64(self.fraction(positive, significand, 0)?),
            b'e' | b'E' => Number::F64(self.exponent(positive, significand, 0)?),
            _ if positive => Number::U64(significand),
            _ => {
                let negative = (significand as i64).wrapping_neg();
                // `-0`, and negatives beyond i64, are floats.
                if negative >= 0 {
                    Number::F64(-(significand as f64))
                } else {
                    Number::I64(negative)
                }
            }
        })
    }

    /// The digits of an integer past the ones a u64 holds: each only scales the result.
    #[cold]
    fn long_integer(&mut self, positive: bool, significand: u64) -> Parsed<f64> {
        let mut exponent = 0i32;
        loop {
            match self.peek_or_null() {
                b'0'..=b'9' => {
                    self.at += 1;
                    exponent += 1;
                }
                b'.' => return self.fraction(positive, significand, exponent),
                b'e' | b'E' => return self.exponent(positive, significand, exponent),
                _ => return self.scale(positive, significand, exponent),
            }
        }
    }

    /// The digits after the point (at the `.`), appended to the significand while they fit.
    fn fraction(&mut self, positive: bool, mut significand: u64, exponent: i32) -> Parsed<f64> {
        self.at += 1;
        let mut after_point = 0i32;
        while let Some(digit) = self.next_digit() {
            let Some(s) = append_digit(significand, digit) else {
                // The rest of the digits are dropped.
                while self.next_digit().is_some() {
                    self.at += 1;
                }
                return self.exponent_or_scale(positive, significand, exponent + after_point);
            };
            self.at += 1;
            significand = s;
            after_point -= 1;
        }
        if after_point == 0 {
            return Err(match self.peek() {
                Some(_) => self.peek_error(INVALID_NUMBER),
                None => self.peek_error(EOF_VALUE),
            });
        }
        self.exponent_or_scale(positive, significand, exponent + after_point)
    }

    fn exponent_or_scale(
        &mut self,
        positive: bool,
        significand: u64,
        exponent: i32,
    ) -> Parsed<f64> {
        match self.peek_or_null() {
            b'e' | b'E' => self.exponent(positive, significand, exponent),
            _ => self.scale(positive, significand, exponent),
        }
    }

    /// An exponent (at the `e`), added to the one the digits so far imply.
    fn exponent(&mut self, positive: bool, significand: u64, exponent: i32) -> Parsed<f64> {
        self.at += 1;
        let positive_exp = match self.peek_or_null() {
            b'+' => {
                self.at += 1;
                true
            }
            b'-' => {
                self.at += 1;
                false
            }
            _ => true,
        };
        let mut exp = match self.next() {
            None => return Err(self.error(EOF_VALUE)),
            Some(d @ b'0'..=b'9') => i32::from(d - b'0'),
            Some(_) => return Err(self.error(INVALID_NUMBER)),
        };
        while let Some(digit) = self.next_digit() {
            self.at += 1;
            match exp
                .checked_mul(10)
                .and_then(|e| e.checked_add(i32::from(digit)))
            {
                Some(e) => exp = e,
                None => {
                    // Beyond i32: zero, or out of range (refused rather than infinite).
                    if significand != 0 && positive_exp {
                        return Err(self.error(NUMBER_OUT_OF_RANGE));
                    }
                    while self.next_digit().is_some() {
                        self.at += 1;
                    }
                    return Ok(if positive { 0.0 } else { -0.0 });
                }
            }
        }
        let exponent = if positive_exp {
            exponent.saturating_add(exp)
        } else {
            exponent.saturating_sub(exp)
        };
        self.scale(positive, significand, exponent)
    }

    /// significand × 10^exponent as serde_json computes it: the significand rounded to a
    /// double, then one multiplication or division by the double nearest 10^|exponent| (by
    /// 1e308 first, as often as needed, below 1e-308).
    fn scale(&mut self, positive: bool, significand: u64, mut exponent: i32) -> Parsed<f64> {
        let mut f = significand as f64;
        loop {
            let abs = exponent.unsigned_abs();
            if abs <= POW10_MAX {
                if exponent >= 0 {
                    f *= pow10(abs);
                    if f.is_infinite() {
                        return Err(self.error(NUMBER_OUT_OF_RANGE));
                    }
                } else {
                    f /= pow10(abs);
                }
                break;
            }
            if f == 0.0 {
                break;
            }
            if exponent >= 0 {
                return Err(self.error(NUMBER_OUT_OF_RANGE));
            }
            f /= pow10(POW10_MAX);
            exponent += POW10_MAX as i32;
        }
        Ok(if positive { f } else { -f })
    }
}

/// `n * 10 + digit`, if it fits a u64.
fn append_digit(n: u64, digit: u8) -> Option<u64> {
    n.checked_mul(10)?.checked_add(u64::from(digit))
}

/// The largest power of ten below `f64::MAX`.
const POW10_MAX: u32 = 308;

/// The double nearest 10^n (ties to even), which is what the literal `1e{n}` is, for n up to
/// [`POW10_MAX`]. Computed rather than kept in a table (2.4 KB of the wasm): up to 10^22 by
/// exact multiplication, above it from 5^n as a big integer, rounded once. Inputs rarely
/// have exponents beyond ±22, and even 10^308 costs a few thousand integer operations.
fn pow10(n: u32) -> f64 {
    if n <= 22 {
        // 10^22 = 2^22 × 5^22 and 5^22 < 2^53: every step is exact.
        let mut p = 1.0;
        for _ in 0..n {
            p *= 10.0;
        }
        return p;
    }
    // 5^n in 32-bit limbs, least significant first: 5^308 has 716 bits.
    let mut limbs = [0u32; 23];
    limbs[0] = 1;
    let mut len = 1;
    let mut left = n;
    while left > 0 {
        // 5^13 is the largest power of five below 2^32.
        let step = left.min(13);
        left -= step;
        let factor = 5u64.pow(step);
        let mut carry = 0u64;
        for limb in &mut limbs[..len] {
            let v = u64::from(*limb) * factor + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            limbs[len] = carry as u32;
            len += 1;
        }
    }
    let bits = 32 * len as u32 - limbs[len - 1].leading_zeros();
    let bit = |i: u32| limbs[(i / 32) as usize] >> (i % 32) & 1 == 1;
    // The top 64 bits (n > 22, so 5^n has more than 53), and whether any below them is set.
    let mut top = 0u64;
    for i in 0..64 {
        top <<= 1;
        if i < bits && bit(bits - 1 - i) {
            top |= 1;
        }
    }
    let sticky = (0..bits.saturating_sub(64)).any(bit);
    let mut mantissa = top >> 11;
    let rest = top & 0x7ff;
    if rest > 0x400 || (rest == 0x400 && (sticky || mantissa & 1 == 1)) {
        mantissa += 1;
    }
    // The leading bit's power of two: 5^n's, times 2^n; one more if rounding carried.
    let mut exponent = u64::from(bits - 1 + n);
    if mantissa == 1 << 53 {
        mantissa >>= 1;
        exponent += 1;
    }
    f64::from_bits((exponent + 1023) << 52 | (mantissa & ((1 << 52) - 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powers_of_ten_are_the_nearest_doubles() {
        for n in 0..=POW10_MAX {
            let literal: f64 = format!("1e{n}").parse().unwrap();
            assert_eq!(pow10(n).to_bits(), literal.to_bits(), "10^{n}");
        }
    }

    #[test]
    fn objects_keep_keys_sorted_and_the_last_repeat() {
        let Value::Object(map) = parse(r#"{"b": 1, "a": 2, "b": 3}"#).unwrap() else {
            panic!("not an object");
        };
        let keys: Vec<&String> = map.keys().collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(map.get("b"), Some(&Value::Number(Number::U64(3))));
    }

    #[test]
    fn errors_say_what_and_where() {
        let e = parse("{\n  \"a\": tru }").unwrap_err();
        assert_eq!(e.to_string(), "expected ident at line 2 column 11");
        assert_eq!(
            parse("").unwrap_err().to_string(),
            "EOF while parsing a value at line 1 column 0"
        );
    }
}
