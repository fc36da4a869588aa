//! Rust values to plain JS objects.
//!
//! A value crosses as JSON text and `JSON.parse` builds the objects (trace events excepted:
//! see `columns`): one crossing per call instead of one per field. The text is raft-sim's own
//! (`raft_sim::write`, the writer it hashes and hands out state with; serde-wasm-bindgen
//! measured no faster for `advance` and added its own copy of every `Serialize`). `null`
//! stays `null`, so `state()` is exactly the JSON the CLI prints.
//!
//! The one number that may not fit a JS number is the seed; `config()` and `scenario()` put it
//! back as a BigInt when it is above 2^53 - 1 (see `seed_to_js`).

use raft_sim::write::WriteJson;
use wasm_bindgen::JsValue;

use crate::args::SAFE_INTEGER_MAX;
use crate::error::{ApiError, ApiResult, ErrorKind};

/// A plain JS object, array or primitive for `value`.
pub fn to_js<T: WriteJson + ?Sized>(method: &str, value: &T) -> ApiResult<JsValue> {
    parse(method, &raft_sim::write::to_string(value))
}

/// Trace events as a JS array: the objects [`to_js`] would give, built from columns
/// (`columns`): the common kinds cross as numbers, not text.
pub fn trace_to_js(method: &str, events: &[raft_sim::TraceEvent]) -> ApiResult<JsValue> {
    crate::columns::Columns::new(events).to_js(method)
}

pub fn parse(method: &str, text: &str) -> ApiResult<JsValue> {
    js_sys::JSON::parse(text).map_err(|_| {
        ApiError::new(
            ErrorKind::Other,
            method,
            "the result could not be parsed as JSON",
        )
    })
}

/// A JS array of strings, built in place: constant lists need no JSON text.
pub fn strings(items: &[&str]) -> JsValue {
    items
        .iter()
        .map(|&item| JsValue::from_str(item))
        .collect::<js_sys::Array>()
        .into()
}

/// A plain JS object with these keys, in this order.
pub fn object(entries: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in entries {
        // Setting a key on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// A seed as JS sees it: a number when exact, else a BigInt.
pub fn seed_to_js(seed: u64) -> JsValue {
    if seed as f64 <= SAFE_INTEGER_MAX {
        JsValue::from_f64(seed as f64)
    } else {
        js_sys::BigInt::from(seed).into()
    }
}

/// A u64 hash as 16 hex digits: exact (a JS number would round it) and easy to compare.
pub fn hex64(value: u64) -> String {
    format!("{value:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_sixteen_hex_digits() {
        assert_eq!(hex64(0), "0000000000000000");
        assert_eq!(hex64(u64::MAX), "ffffffffffffffff");
        assert_eq!(hex64(0xab), "00000000000000ab");
    }
}
