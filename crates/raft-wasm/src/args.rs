//! Reading JS arguments. Every reader checks the JS type first (TypeError), then the value
//! (RangeError), and names the method and the argument in the message. Nothing here coerces:
//! `"3"` is not a node id and `1` is not `true`, because a silent coercion is a bug report
//! that never gets written.
//!
//! Readers never call a JS function that can throw without catching it: a JS exception that
//! unwinds through wasm frames would skip Rust's cleanup and leave the instance borrowed.

use js_sys::Reflect;
use raft_sim::NodeId;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::{ApiError, ApiResult, ErrorKind};

/// The largest integer a JS number holds exactly (2^53 - 1).
pub const SAFE_INTEGER_MAX: f64 = 9_007_199_254_740_991.0;
/// Longest list the readers walk (a partition of at most 9 nodes needs far fewer).
pub const LIST_ITEMS_MAX: u32 = 64;
/// Characters of a bad string quoted back in an error message.
const QUOTE_CHARS_MAX: usize = 40;

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`, which throws for a revoked Proxy; js-sys's binding does not catch.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array_or_throw(value: &JsValue) -> Result<bool, JsValue>;
}

/// Whether `value` is an array; a value that cannot even say (a revoked Proxy) is not.
pub fn is_array(value: &JsValue) -> bool {
    is_array_or_throw(value).unwrap_or(false)
}

/// A short description of a JS value for error messages: `NaN`, `-1`, `"3" (a string)`,
/// `an object`. Never throws and never calls user code (no `toString`).
pub fn describe(value: &JsValue) -> String {
    if value.is_undefined() {
        return "undefined".into();
    }
    if value.is_null() {
        return "null".into();
    }
    if let Some(b) = value.as_bool() {
        return format!("{b} (a boolean)");
    }
    if let Some(n) = value.as_f64() {
        return describe_number(n);
    }
    if let Some(s) = value.as_string() {
        return format!("{} (a string)", quote(&s));
    }
    if value.is_bigint() {
        return "a BigInt".into();
    }
    if value.is_symbol() {
        return "a symbol".into();
    }
    if value.is_function() {
        return "a function".into();
    }
    if is_array(value) {
        return "an array".into();
    }
    "an object".into()
}

/// Numbers as JS prints them (`3`, not `3.0`).
pub fn describe_number(n: f64) -> String {
    raft_sim::error::short_number(n)
}

/// A string quoted as JSON, cut short when long.
pub fn quote(s: &str) -> String {
    if s.chars().count() > QUOTE_CHARS_MAX {
        let head: String = s.chars().take(QUOTE_CHARS_MAX).collect();
        format!("{}…", json_string(&head))
    } else {
        json_string(s)
    }
}

/// `s` as a JSON string (raft-sim's writer, which its messages use too).
fn json_string(s: &str) -> String {
    raft_sim::write::to_string(s)
}

/// A JS number (any value, NaN included; callers check the range).
pub fn number(method: &str, arg: &str, value: &JsValue, wanted: &str) -> ApiResult<f64> {
    value
        .as_f64()
        .ok_or_else(|| ApiError::wrong_type(method, arg, wanted, &describe(value)))
}

/// A finite, non-negative, whole JS number no larger than `max`.
pub fn whole(method: &str, arg: &str, value: &JsValue, max: f64) -> ApiResult<u64> {
    let wanted = format!("a whole number from 0 to {}", describe_number(max));
    let n = number(method, arg, value, &wanted)?;
    check_whole(method, arg, n, max, &wanted)
}

/// The range half of [`whole`], on a number already read.
pub fn check_whole(method: &str, arg: &str, n: f64, max: f64, wanted: &str) -> ApiResult<u64> {
    if !n.is_finite() || n < 0.0 || n.fract() != 0.0 || n > max {
        return Err(ApiError::out_of_range(
            method,
            arg,
            wanted,
            &describe_number(n),
        ));
    }
    Ok(n as u64)
}

/// A node id: a whole JS number. Which ids exist is the simulator's call (it names the field).
pub fn node(method: &str, arg: &str, value: &JsValue) -> ApiResult<NodeId> {
    let wanted = "a node id (a whole number from 1)";
    let n = number(method, arg, value, wanted)?;
    if !n.is_finite() || n < 1.0 || n.fract() != 0.0 || n > SAFE_INTEGER_MAX {
        return Err(ApiError::out_of_range(
            method,
            arg,
            wanted,
            &describe_number(n),
        ));
    }
    Ok(NodeId(n as u64))
}

/// One end of a link: a node id, or a client written `"c1"`.
pub fn endpoint(
    method: &str,
    arg: &str,
    value: &JsValue,
) -> ApiResult<raft_sim::network::Endpoint> {
    use raft_sim::network::Endpoint;
    let Some(text) = value.as_string() else {
        return node(method, arg, value).map(Endpoint::Node);
    };
    let client = text
        .strip_prefix('c')
        .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|d| d.parse::<u64>().ok());
    match client {
        Some(c) => Ok(Endpoint::Client(c)),
        None => Err(ApiError::out_of_range(
            method,
            arg,
            raft_sim::network::ENDPOINT_EXPECTED,
            &quote(&text),
        )),
    }
}

/// Simulated milliseconds: finite, not negative, at most `max_ms`. Fractions are fine (the
/// simulator keeps microseconds).
pub fn millis(method: &str, arg: &str, value: &JsValue, max_ms: f64) -> ApiResult<f64> {
    let wanted = format!(
        "a number of milliseconds from 0 to {}",
        describe_number(max_ms)
    );
    let n = number(method, arg, value, &wanted)?;
    if !n.is_finite() || n < 0.0 || n > max_ms {
        return Err(ApiError::out_of_range(
            method,
            arg,
            &wanted,
            &describe_number(n),
        ));
    }
    Ok(n)
}

/// A finite JS number (may be negative or fractional).
pub fn finite(method: &str, arg: &str, value: &JsValue) -> ApiResult<f64> {
    let n = number(method, arg, value, "a finite number")?;
    if !n.is_finite() {
        return Err(ApiError::out_of_range(
            method,
            arg,
            "a finite number",
            &describe_number(n),
        ));
    }
    Ok(n)
}

/// A whole JS number that may be negative (clock skew in ppm).
pub fn signed_whole(method: &str, arg: &str, value: &JsValue) -> ApiResult<i64> {
    let n = finite(method, arg, value)?;
    if n.fract() != 0.0 || n.abs() > SAFE_INTEGER_MAX {
        return Err(ApiError::out_of_range(
            method,
            arg,
            "a whole number",
            &describe_number(n),
        ));
    }
    Ok(n as i64)
}

/// A JS boolean; `1` and `"true"` are refused.
pub fn boolean(method: &str, arg: &str, value: &JsValue) -> ApiResult<bool> {
    value
        .as_bool()
        .ok_or_else(|| ApiError::wrong_type(method, arg, "true or false", &describe(value)))
}

/// A JS string.
pub fn string(method: &str, arg: &str, value: &JsValue) -> ApiResult<String> {
    value
        .as_string()
        .ok_or_else(|| ApiError::wrong_type(method, arg, "a string", &describe(value)))
}

/// A JS string, or `null` for "none".
pub fn string_or_null(method: &str, arg: &str, value: &JsValue) -> ApiResult<Option<String>> {
    if value.is_null() {
        return Ok(None);
    }
    value
        .as_string()
        .map(Some)
        .ok_or_else(|| ApiError::wrong_type(method, arg, "a string or null", &describe(value)))
}

/// An optional whole number: `undefined` means absent.
pub fn optional_whole(
    method: &str,
    arg: &str,
    value: &JsValue,
    max: f64,
) -> ApiResult<Option<u64>> {
    if value.is_undefined() {
        return Ok(None);
    }
    whole(method, arg, value, max).map(Some)
}

/// A JS array, walked item by item (at most [`LIST_ITEMS_MAX`]).
pub fn list(method: &str, arg: &str, value: &JsValue, wanted: &str) -> ApiResult<Vec<JsValue>> {
    if !value.is_object() || !is_array(value) {
        return Err(ApiError::wrong_type(method, arg, wanted, &describe(value)));
    }
    let length = get(method, arg, value, "length")?.as_f64().unwrap_or(0.0);
    if length > f64::from(LIST_ITEMS_MAX) {
        return Err(ApiError::out_of_range(
            method,
            arg,
            &format!("an array of at most {LIST_ITEMS_MAX} items"),
            &format!("{} items", describe_number(length)),
        ));
    }
    let mut items = Vec::new();
    for i in 0..length as u32 {
        let item = Reflect::get_u32(value, i).map_err(|_| {
            ApiError::new(
                ErrorKind::Type,
                method,
                format!("{arg}[{i}] could not be read"),
            )
        })?;
        items.push(item);
    }
    Ok(items)
}

/// The own enumerable-or-not keys of a plain object (`undefined`/`null` give none). Anything
/// that is not an object, or is an array or function, is a TypeError.
pub fn object_keys(
    method: &str,
    arg: &str,
    value: &JsValue,
    wanted: &str,
) -> ApiResult<Option<Vec<String>>> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if !value.is_object() || value.is_function() {
        return Err(ApiError::wrong_type(method, arg, wanted, &describe(value)));
    }
    let keys = Reflect::own_keys(value.unchecked_ref()).map_err(|_| {
        ApiError::wrong_type(method, arg, wanted, "an object whose keys cannot be read")
    })?;
    if is_array(value) {
        return Err(ApiError::wrong_type(method, arg, wanted, "an array"));
    }
    let mut names = Vec::new();
    for key in keys.iter() {
        match key.as_string() {
            Some(name) => names.push(name),
            None => {
                return Err(ApiError::wrong_type(
                    method,
                    arg,
                    wanted,
                    "an object with a symbol key",
                ))
            }
        }
    }
    Ok(Some(names))
}

/// One property of an object, catching throwing getters and proxies.
pub fn get(method: &str, arg: &str, object: &JsValue, key: &str) -> ApiResult<JsValue> {
    Reflect::get(object, &JsValue::from_str(key)).map_err(|_| {
        ApiError::new(
            ErrorKind::Type,
            method,
            format!("{arg}.{key} could not be read"),
        )
    })
}

/// `JSON.stringify(value)`, catching cycles, BigInts and throwing `toJSON`s.
pub fn stringify(method: &str, arg: &str, value: &JsValue, wanted: &str) -> ApiResult<String> {
    let text = js_sys::JSON::stringify(value).map_err(|_| {
        ApiError::wrong_type(method, arg, wanted, "a value JSON.stringify cannot encode")
    })?;
    text.as_string()
        .ok_or_else(|| ApiError::wrong_type(method, arg, wanted, &describe(value)))
}

/// The options of `fromLink` and `fromScenario`: `{ replay }` (default true). Missing or
/// undefined means the default.
pub fn replay_option(method: &str, options: &JsValue) -> ApiResult<bool> {
    if options.is_undefined() || options.is_null() {
        return Ok(true);
    }
    let wanted = "an options object such as { replay: false }";
    let Some(keys) = object_keys(method, "options", options, wanted)? else {
        return Err(ApiError::wrong_type(
            method,
            "options",
            wanted,
            &describe(options),
        ));
    };
    if let Some(key) = keys.iter().find(|k| k.as_str() != "replay") {
        return Err(ApiError::out_of_range(
            method,
            "options",
            "an object with only the key replay",
            &format!("the key {}", quote(key)),
        ));
    }
    let value = Reflect::get(options, &JsValue::from_str("replay")).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() {
        return Ok(true);
    }
    boolean(method, "options.replay", &value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_described_as_js_prints_them() {
        assert_eq!(describe_number(3.0), "3");
        assert_eq!(describe_number(-1.0), "-1");
        assert_eq!(describe_number(0.5), "0.5");
        assert_eq!(describe_number(f64::NAN), "NaN");
        assert_eq!(describe_number(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn long_strings_are_cut_when_quoted() {
        assert_eq!(quote("a\"b"), "\"a\\\"b\"");
        let long = "x".repeat(100);
        let quoted = quote(&long);
        assert!(quoted.chars().count() < 50, "{quoted}");
        assert!(quoted.ends_with('…'));
    }

    #[test]
    fn whole_numbers_refuse_fractions_negatives_and_nan() {
        assert_eq!(check_whole("m", "a", 3.0, 10.0, "w").unwrap(), 3);
        for bad in [f64::NAN, -1.0, 0.5, 11.0, f64::INFINITY] {
            let e = check_whole("m", "a", bad, 10.0, "w").unwrap_err();
            assert_eq!(e.kind, ErrorKind::Range, "{bad}");
            assert!(e.message.starts_with("m: a must be w"), "{}", e.message);
        }
    }
}
