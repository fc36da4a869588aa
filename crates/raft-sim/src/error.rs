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
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        SimError {
            field: field.into(),
            message: message.into(),
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
    match serde_json::from_value::<T>(value.clone()) {
        Ok(v) => Ok(v),
        Err(whole) => {
            if let serde_json::Value::Object(map) = value {
                for (key, v) in map {
                    let mut one = serde_json::Map::new();
                    one.insert(key.clone(), v.clone());
                    if let Err(e) = serde_json::from_value::<T>(serde_json::Value::Object(one)) {
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
pub fn short_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let full = format!("{n}");
    if full.len() <= NUMBER_CHARS_MAX {
        return full;
    }
    // Three significant digits are enough to see what was wrong.
    let e = format!("{n:.2e}");
    let (mantissa, exponent) = e.split_once('e').expect("`{:e}` always has an exponent");
    let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
    format!("{mantissa}e{exponent}")
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
    fn short_numbers_are_printed_in_full() {
        assert_eq!(short_number(5000.0), "5000");
        assert_eq!(short_number(0.25), "0.25");
        assert_eq!(short_number(-3.0), "-3");
        assert_eq!(short_int(86_400_000u64), "86400000");
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
}
