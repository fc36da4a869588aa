//! `new Simulation(config)`: a JS object to a `SimConfig`.
//!
//! The bindings check only JS types here; ranges are `SimConfig::validate`'s job, whose errors
//! already name the field. Which JS type each field takes is read from the serialized default
//! config, so a field the simulator adds is accepted without touching this file.

use raft_sim::json::{Map, Number, Value};
use raft_sim::SimConfig;
use wasm_bindgen::JsValue;

use crate::args::{self, SAFE_INTEGER_MAX};
use crate::error::{ApiError, ApiResult, ErrorKind};

const METHOD: &str = "new Simulation";

/// What a config field holds, from its default value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FieldKind {
    Whole,
    Real,
    Bool,
    Text,
    TextList,
    /// Unknown to this file (an optional field, say): read from its JSON.
    Any,
}

fn kind_of(default: &Value) -> FieldKind {
    match default {
        Value::Number(Number::U64(_)) => FieldKind::Whole,
        Value::Number(_) => FieldKind::Real,
        Value::Bool(_) => FieldKind::Bool,
        Value::String(_) => FieldKind::Text,
        Value::Array(_) => FieldKind::TextList,
        _ => FieldKind::Any,
    }
}

/// The default config as a JSON object (field name -> default value).
pub fn default_fields() -> Map {
    // Through JSON text: the writer and the parser are in the wasm anyway.
    let text = raft_sim::write::to_string(&SimConfig::default());
    let mut map = match raft_sim::json::parse(&text) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    // The one field the config leaves out at its default (so automatic runs' scenarios stay as
    // they were); its default names its JS type.
    let delivery = raft_sim::write::to_string(&raft_sim::Delivery::default());
    if let Ok(value) = raft_sim::json::parse(&delivery) {
        map.insert("delivery".into(), value);
    }
    map
}

/// A fresh seed for a config that names none. 53 bits, so it survives a round trip through a
/// JS number unchanged.
pub fn random_seed() -> u64 {
    let mut bytes = [0u8; 8];
    // With no entropy source the seed is still valid, just not random; never fail a constructor
    // over it.
    if getrandom::fill(&mut bytes).is_err() {
        return 1;
    }
    u64::from_le_bytes(bytes) & (SAFE_INTEGER_MAX as u64)
}

/// Read a JS config object (or `undefined`/`null` for all defaults) into a validated
/// `SimConfig`.
pub fn from_js(config: &JsValue) -> ApiResult<SimConfig> {
    let defaults = default_fields();
    let wanted = "an object such as { nodes: 5 }, or undefined";
    let mut fields = Map::new();
    let mut seed = None;
    if let Some(keys) = args::object_keys(METHOD, "config", config, wanted)? {
        for key in keys {
            let value = args::get(METHOD, "config", config, &key)?;
            let arg = format!("config.{key}");
            // `undefined` means "use the default", as with a missing key.
            if value.is_undefined() {
                continue;
            }
            if key == "seed" {
                seed = Some(read_seed(&arg, &value)?);
                continue;
            }
            let Some(default) = defaults.get(&key) else {
                // A JSON object keeps its keys sorted, so the list reads alphabetically as is.
                let known: Vec<&str> = defaults.keys().map(String::as_str).collect();
                return Err(ApiError::new(
                    ErrorKind::Type,
                    METHOD,
                    format!(
                        "config has no field {}; fields are {}",
                        args::quote(&key),
                        known.join(", ")
                    ),
                ));
            };
            fields.insert(key, read_field(&arg, kind_of(default), &value)?);
        }
    }
    let seed = seed.unwrap_or_else(random_seed);
    fields.insert("seed".into(), Value::Number(Number::U64(seed)));
    let config: SimConfig = raft_sim::read::from_value(&Value::Object(fields))
        .map_err(|e| ApiError::rejected(METHOD, &e.within("config")))?;
    config
        .validate()
        .map_err(|e| ApiError::rejected(METHOD, &e.within("config")))?;
    Ok(config)
}

/// A seed: a whole JS number up to 2^53 - 1, or a BigInt up to 2^64 - 1.
fn read_seed(arg: &str, value: &JsValue) -> ApiResult<u64> {
    let wanted = "a whole number from 0 to 2^53 - 1, or a BigInt below 2^64";
    if value.is_bigint() {
        let big = js_sys::BigInt::from(value.clone());
        return u64::try_from(big)
            .map_err(|_| ApiError::out_of_range(METHOD, arg, wanted, "a BigInt out of range"));
    }
    let n = args::number(METHOD, arg, value, wanted)?;
    args::check_whole(METHOD, arg, n, SAFE_INTEGER_MAX, wanted)
}

fn read_field(arg: &str, kind: FieldKind, value: &JsValue) -> ApiResult<Value> {
    match kind {
        FieldKind::Whole => {
            let wanted = "a whole number";
            let n = args::number(METHOD, arg, value, wanted)?;
            let n = args::check_whole(METHOD, arg, n, SAFE_INTEGER_MAX, "a whole number from 0")?;
            Ok(Value::Number(Number::U64(n)))
        }
        FieldKind::Real => {
            // `finite` refuses NaN and infinities, which JSON has no numbers for.
            let n = args::finite(METHOD, arg, value)?;
            Ok(Value::Number(Number::F64(n)))
        }
        FieldKind::Bool => Ok(Value::Bool(args::boolean(METHOD, arg, value)?)),
        FieldKind::Text => Ok(Value::String(args::string(METHOD, arg, value)?)),
        FieldKind::TextList => {
            let items = args::list(METHOD, arg, value, "an array of strings")?;
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                out.push(Value::String(args::string(
                    METHOD,
                    &format!("{arg}[{i}]"),
                    item,
                )?));
            }
            Ok(Value::Array(out))
        }
        FieldKind::Any => {
            let text = args::stringify(METHOD, arg, value, "a JSON value")?;
            raft_sim::json::parse(&text).map_err(|e| {
                ApiError::new(
                    ErrorKind::Type,
                    METHOD,
                    format!("{arg} is not JSON data: {e}"),
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_kinds_come_from_the_default_config() {
        let d = default_fields();
        let kind = |key: &str| kind_of(d.get(key).unwrap());
        assert_eq!(kind("nodes"), FieldKind::Whole);
        assert_eq!(kind("latencyMsMin"), FieldKind::Real);
        assert_eq!(kind("preVote"), FieldKind::Bool);
        assert_eq!(kind("readMode"), FieldKind::Text);
        assert_eq!(kind("bugs"), FieldKind::TextList);
        assert_eq!(d.get("delivery").and_then(Value::as_str), Some("auto"));
    }

    #[test]
    fn random_seeds_fit_in_a_js_number() {
        for _ in 0..100 {
            assert!(random_seed() <= SAFE_INTEGER_MAX as u64);
        }
        // Two draws agreeing would mean the entropy source is not being read.
        assert_ne!(random_seed(), random_seed());
    }
}
