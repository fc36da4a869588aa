//! One error type for every bad input: it names the field (a JSON path such as
//! `config.latencyMsMin` or `actions[3].action.node`) and says what is wrong with it.

use std::fmt;

/// A rejected input. `field` is a JSON-style path, `message` a sentence about what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimError {
    pub field: String,
    pub message: String,
}

impl SimError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        SimError {
            field: field.into(),
            message: message.into(),
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
