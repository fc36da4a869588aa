//! Helpers shared by the wasm test binaries (each file in tests/ is its own binary, so not every
//! helper is used by every one of them).
#![allow(dead_code)]

use js_sys::{Array, Object, Reflect};
use raft_wasm::JsSimulation;
use wasm_bindgen::{JsCast, JsValue};

/// Which JS error class a failure came as.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum Class {
    Type,
    Range,
    Plain,
}

/// The class and message of a thrown error. Fails the test when the value is not a JS `Error`
/// (a string, say) or when it is a wasm trap.
pub fn error_of(err: &JsValue) -> (Class, String) {
    assert!(
        !err.is_instance_of::<js_sys::WebAssembly::RuntimeError>(),
        "a wasm trap reached JS: {err:?}"
    );
    let error = err
        .dyn_ref::<js_sys::Error>()
        .unwrap_or_else(|| panic!("thrown value is not an Error: {err:?}"));
    let message: String = error.message().into();
    let class = if err.is_instance_of::<js_sys::TypeError>() {
        Class::Type
    } else if err.is_instance_of::<js_sys::RangeError>() {
        Class::Range
    } else {
        Class::Plain
    };
    (class, message)
}

/// Expect a thrown error whose message starts with `method:` and mentions `needle`.
pub fn expect_err<T>(result: Result<T, JsValue>, class: Class, method: &str, needle: &str) {
    let err = match result {
        Ok(_) => panic!("{method}: expected an error mentioning {needle:?}, got Ok"),
        Err(err) => err,
    };
    let (got, message) = error_of(&err);
    assert!(
        message.starts_with(&format!("{method}: ")),
        "message does not start with the method: {message}"
    );
    assert!(
        message.contains(needle),
        "{message:?} does not mention {needle:?}"
    );
    assert_eq!(got, class, "{message}");
}

pub fn num(n: f64) -> JsValue {
    JsValue::from_f64(n)
}

pub fn s(text: &str) -> JsValue {
    JsValue::from_str(text)
}

/// A plain object from (key, value) pairs.
pub fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        Reflect::set(&object, &JsValue::from_str(key), value).unwrap();
    }
    object.into()
}

/// A JS array of values.
pub fn arr(items: &[JsValue]) -> JsValue {
    items.iter().collect::<Array>().into()
}

/// A JS array of numbers.
pub fn nums(items: &[f64]) -> JsValue {
    arr(&items.iter().map(|n| num(*n)).collect::<Vec<_>>())
}

pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

pub fn get_f64(value: &JsValue, key: &str) -> f64 {
    get(value, key)
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number in {value:?}"))
}

pub fn get_str(value: &JsValue, key: &str) -> String {
    get(value, key)
        .as_string()
        .unwrap_or_else(|| panic!("{key} is not a string in {value:?}"))
}

pub fn items(value: &JsValue) -> Vec<JsValue> {
    assert!(Array::is_array(value), "not an array: {value:?}");
    Array::from(value).iter().collect()
}

/// A 5-node cluster with a fixed seed.
pub fn sim(seed: f64) -> JsSimulation {
    JsSimulation::new(obj(&[("seed", num(seed))])).unwrap()
}

/// A cluster run until it has a leader (at most 10 simulated seconds).
pub fn sim_with_leader(seed: f64) -> (JsSimulation, f64) {
    let mut sim = sim(seed);
    for _ in 0..100 {
        sim.advance(num(100.0)).unwrap();
        if let Some(leader) = sim.leader().as_f64() {
            return (sim, leader);
        }
    }
    panic!("no leader within 10 s for seed {seed}");
}

/// The trace events of one kind.
pub fn of_kind(events: &JsValue, kind: &str) -> Vec<JsValue> {
    items(events)
        .into_iter()
        .filter(|e| get(e, "kind").as_string().as_deref() == Some(kind))
        .collect()
}
