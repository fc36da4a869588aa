//! Reading the inputs (actions, configs, scenarios) from a parsed JSON [`Value`] by hand: the
//! one decoder of each of those types, natively and in the wasm.
//!
//! serde's derived decoders were a copy of the same visitor per type (41 KB of the wasm, plus
//! serde's error formatting with `f64`'s `Display`). Here a struct is a list of field names
//! ([`read_struct!`]) walked by one function ([`fields`]), and each field's type reads itself
//! ([`Read`]). The messages keep serde's words (`unknown field`, `missing field`, `invalid
//! type`, `unknown variant`) and add what serde's could not: the error's `field` names the key
//! that was wrong (`actions[2].action.node`), not just the object. The text is parsed by
//! [`crate::json`].

use crate::error::SimError;
use crate::json::{Number, Value};
use crate::NodeId;

/// A type read from a JSON value. Errors name the bad part below this value in `field`
/// (empty when it is the value itself); the caller prefixes its own place with `within`.
pub trait Read: Sized {
    fn read(value: &Value) -> Result<Self, SimError>;
}

/// `T` from a JSON value (see [`Read`]).
pub fn from_value<T: Read>(value: &Value) -> Result<T, SimError> {
    T::read(value)
}

/// `T` from a JSON string (a mode given by name through the JS API, say).
pub fn from_string<T: Read>(text: String) -> Result<T, SimError> {
    T::read(&Value::String(text))
}

/// How serde_json names a value of the wrong type: `null`, ``integer `3` ``, ``string "x"``.
fn unexpected(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(Number::F64(_)) => format!("floating point `{}`", text(value)),
        Value::Number(_) => format!("integer `{}`", text(value)),
        Value::String(_) => format!("string {}", text(value)),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
    }
}

/// A scalar as compact JSON writes it (`3`, `3.0`, `"c1"`), floats and strings through the
/// crate's own writer (`write.rs`) (`f64`'s `Display` is not needed); a list or an object only as
/// `[…]` or `{…}` (messages name those by kind).
pub fn text(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(Number::U64(n)) => n.to_string(),
        Value::Number(Number::I64(n)) => n.to_string(),
        Value::Number(Number::F64(f)) => crate::write::to_string(f),
        Value::String(s) => crate::write::to_string(s),
        Value::Array(_) => "[…]".into(),
        Value::Object(_) => "{…}".into(),
    }
}

/// "invalid type: string "3", expected u64".
pub fn invalid_type(value: &Value, expected: &str) -> SimError {
    SimError::new(
        "",
        format!("invalid type: {}, expected {expected}", unexpected(value)),
    )
}

/// "invalid value: integer `-3`, expected u64".
fn invalid_value(value: &Value, expected: &str) -> SimError {
    SimError::new(
        "",
        format!("invalid value: {}, expected {expected}", unexpected(value)),
    )
}

/// serde's list of what was expected: `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` ``.
fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [one] => one.clone(),
        [a, b] => format!("{a} or {b}"),
        _ => format!("one of {}", quoted.join(", ")),
    }
}

/// "unknown variant `x`, expected one of `a`, `b`", for a tag not in `names`.
pub fn unknown_variant(tag: &str, names: &[&str]) -> SimError {
    SimError::new(
        "",
        format!("unknown variant `{tag}`, expected {}", one_of(names)),
    )
}

/// A required field that was not given.
pub fn need<T>(value: Option<T>, name: &str) -> Result<T, SimError> {
    value.ok_or_else(|| SimError::new("", format!("missing field `{name}`")))
}

/// Walk the object `value` as the struct `what` whose JSON fields are `names`: `take(i, item)`
/// reads each key given (`names[i]`), in the object's order, and its errors are placed under
/// that key. A key not in `names` is refused by name; with `tagged`, the `type` key (an
/// action's tag, read by the caller) is skipped.
pub fn fields(
    value: &Value,
    what: &str,
    names: &[&str],
    tagged: bool,
    take: &mut dyn FnMut(usize, &Value) -> Result<(), SimError>,
) -> Result<(), SimError> {
    let Value::Object(map) = value else {
        return Err(invalid_type(value, what));
    };
    for (key, item) in map {
        if tagged && key == "type" {
            continue;
        }
        let Some(i) = names.iter().position(|n| n == key) else {
            let message = if names.is_empty() {
                format!("unknown field `{key}`, there are no fields")
            } else {
                format!("unknown field `{key}`, expected {}", one_of(names))
            };
            return Err(SimError::new(key.clone(), message));
        };
        take(i, item).map_err(|e| e.within(key))?;
    }
    Ok(())
}

/// The `type` tag of an object tagged by it (an action), refused unless it is a string.
pub fn tag<'a>(value: &'a Value, what: &str) -> Result<&'a str, SimError> {
    let Value::Object(map) = value else {
        return Err(SimError::new(
            "",
            format!(
                "invalid type: {}, expected {what} (an object with a \"type\" field)",
                unexpected(value)
            ),
        ));
    };
    match map.get("type") {
        Some(Value::String(tag)) => Ok(tag),
        Some(other) => Err(SimError::new(
            "type",
            format!("invalid type: {}, expected a string", unexpected(other)),
        )),
        None => need(None, "type"),
    }
}

/// One of a fixed list of names (a unit enum's variants written as strings).
pub fn variant<T: Copy>(value: &Value, variants: &[(&str, T)]) -> Result<T, SimError> {
    let Value::String(name) = value else {
        return Err(invalid_type(value, "a string"));
    };
    match variants.iter().find(|(n, _)| n == name) {
        Some((_, v)) => Ok(*v),
        None => {
            let names: Vec<&str> = variants.iter().map(|(n, _)| *n).collect();
            Err(unknown_variant(name, &names))
        }
    }
}

/// Read `item` into `slot`. Not inlined: one copy per field type (`u64`, `f64`, ...) serves
/// every struct's fields of that type, where reading in place made each field its own copy of
/// the call and its error's return (about 150 bytes of wasm a field).
#[inline(never)]
pub fn set<T: Read>(slot: &mut T, item: &Value) -> Result<(), SimError> {
    *slot = T::read(item)?;
    Ok(())
}

/// [`set`] for a field read once and checked for afterwards ([`need`]).
#[inline(never)]
pub fn set_some<T: Read>(slot: &mut Option<T>, item: &Value) -> Result<(), SimError> {
    *slot = Some(T::read(item)?);
    Ok(())
}

/// `impl Read` for a struct from its JSON field names, said once:
///
/// ```ignore
/// read_struct!(Crash { node: "node" });                      // every field required
/// read_struct!(ClientGet { key: "key", client: "client" default });  // absent: Default
/// read_struct!(SimConfig = SimConfig::default(), { nodes: "nodes", ... });  // absent: from there
/// ```
///
/// It also gives the struct `read_fields(value, tagged)`, which the action decoder calls with
/// the `type` key skipped.
macro_rules! read_struct {
    ($ty:ident { $($field:ident: $name:literal $($default:ident)?),* $(,)? }) => {
        impl $ty {
            pub(crate) fn read_fields(
                value: &$crate::json::Value,
                tagged: bool,
            ) -> Result<$ty, $crate::error::SimError> {
                $(let mut $field = None;)*
                $crate::read::fields(
                    value,
                    concat!("struct ", stringify!($ty)),
                    &[$($name),*],
                    tagged,
                    // By the field's place in the list: a switch, not a string compare each.
                    &mut |_i, _item| {
                        let mut _at = 0;
                        $(
                            if _i == _at {
                                return $crate::read::set_some(&mut $field, _item);
                            }
                            _at += 1;
                        )*
                        Ok(())
                    },
                )?;
                Ok($ty {
                    $($field: $crate::read::read_struct!(@field $field, $name $($default)?),)*
                })
            }
        }

        impl $crate::read::Read for $ty {
            fn read(value: &$crate::json::Value) -> Result<$ty, $crate::error::SimError> {
                $ty::read_fields(value, false)
            }
        }
    };
    ($ty:ident = $init:expr, { $($field:ident: $name:literal),* $(,)? }) => {
        impl $crate::read::Read for $ty {
            fn read(value: &$crate::json::Value) -> Result<$ty, $crate::error::SimError> {
                let mut out = $init;
                $crate::read::fields(
                    value,
                    concat!("struct ", stringify!($ty)),
                    &[$($name),*],
                    false,
                    &mut |_i, _item| {
                        let mut _at = 0;
                        $(
                            if _i == _at {
                                return $crate::read::set(&mut out.$field, _item);
                            }
                            _at += 1;
                        )*
                        Ok(())
                    },
                )?;
                Ok(out)
            }
        }
    };
    (@field $field:ident, $name:literal) => {
        $crate::read::need($field, $name)?
    };
    (@field $field:ident, $name:literal default) => {
        $field.unwrap_or_default()
    };
}
pub(crate) use read_struct;

impl Read for u64 {
    fn read(value: &Value) -> Result<u64, SimError> {
        match value {
            Value::Number(Number::U64(n)) => Ok(*n),
            Value::Number(Number::I64(_)) => Err(invalid_value(value, "u64")),
            _ => Err(invalid_type(value, "u64")),
        }
    }
}

impl Read for i64 {
    fn read(value: &Value) -> Result<i64, SimError> {
        match value {
            Value::Number(Number::I64(n)) => Ok(*n),
            Value::Number(Number::U64(n)) => {
                i64::try_from(*n).map_err(|_| invalid_value(value, "i64"))
            }
            _ => Err(invalid_type(value, "i64")),
        }
    }
}

impl Read for f64 {
    fn read(value: &Value) -> Result<f64, SimError> {
        value.as_f64().ok_or_else(|| invalid_type(value, "f64"))
    }
}

impl Read for bool {
    fn read(value: &Value) -> Result<bool, SimError> {
        value
            .as_bool()
            .ok_or_else(|| invalid_type(value, "a boolean"))
    }
}

impl Read for String {
    fn read(value: &Value) -> Result<String, SimError> {
        match value {
            Value::String(s) => Ok(s.clone()),
            _ => Err(invalid_type(value, "a string")),
        }
    }
}

impl Read for NodeId {
    fn read(value: &Value) -> Result<NodeId, SimError> {
        u64::read(value).map(NodeId)
    }
}

/// `null` is `None` (an absent field is the struct's business).
impl<T: Read> Read for Option<T> {
    fn read(value: &Value) -> Result<Option<T>, SimError> {
        match value {
            Value::Null => Ok(None),
            _ => T::read(value).map(Some),
        }
    }
}

/// A list; an item's errors are placed under its index (`[2]`).
impl<T: Read> Read for Vec<T> {
    fn read(value: &Value) -> Result<Vec<T>, SimError> {
        let Value::Array(items) = value else {
            return Err(invalid_type(value, "a sequence"));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(T::read(item).map_err(|e| e.within(&format!("[{i}]")))?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value written as serde_json's `json!` writes it.
    macro_rules! json {
        ($($t:tt)+) => {
            Value::from(&serde_json::json!($($t)+))
        };
    }

    fn message<T: Read + std::fmt::Debug>(value: Value) -> String {
        T::read(&value).unwrap_err().to_string()
    }

    #[test]
    fn numbers_are_refused_in_serdes_words() {
        assert_eq!(u64::read(&json!(3)).unwrap(), 3);
        assert_eq!(
            message::<u64>(json!(-3)),
            "invalid value: integer `-3`, expected u64"
        );
        assert_eq!(
            message::<u64>(json!(1.5)),
            "invalid type: floating point `1.5`, expected u64"
        );
        assert_eq!(
            message::<u64>(json!(3.0)),
            "invalid type: floating point `3.0`, expected u64"
        );
        assert_eq!(
            message::<u64>(json!("3")),
            "invalid type: string \"3\", expected u64"
        );
        assert_eq!(i64::read(&json!(-3)).unwrap(), -3);
        assert_eq!(
            message::<i64>(json!(u64::MAX)),
            // Shortened as every number in a message is.
            "invalid value: integer `1.84e19`, expected i64"
        );
        assert_eq!(f64::read(&json!(3)).unwrap(), 3.0);
        assert_eq!(
            message::<f64>(json!(null)),
            "invalid type: null, expected f64"
        );
        assert_eq!(
            message::<bool>(json!(1)),
            "invalid type: integer `1`, expected a boolean"
        );
        assert_eq!(
            message::<String>(json!([])),
            "invalid type: sequence, expected a string"
        );
        assert_eq!(
            message::<Vec<u64>>(json!({})),
            "invalid type: map, expected a sequence"
        );
    }

    #[test]
    fn a_bad_item_is_named_by_its_index() {
        assert_eq!(
            Vec::<Vec<u64>>::read(&json!([[1], [2, true]])).unwrap_err(),
            SimError::new("[1][1]", "invalid type: boolean `true`, expected u64")
        );
        assert_eq!(Option::<u64>::read(&json!(null)).unwrap(), None);
        assert_eq!(Option::<u64>::read(&json!(4)).unwrap(), Some(4));
    }

    #[derive(Debug, PartialEq)]
    struct Pair {
        a: u64,
        b: Option<String>,
    }
    read_struct!(Pair { a: "a", b: "b" default });

    #[test]
    fn structs_name_the_unknown_the_missing_and_the_bad_field() {
        assert_eq!(
            Pair::read(&json!({"a": 1})).unwrap(),
            Pair { a: 1, b: None }
        );
        assert_eq!(
            Pair::read(&json!({"a": 1, "b": "x"})).unwrap(),
            Pair {
                a: 1,
                b: Some("x".into())
            }
        );
        assert_eq!(
            Pair::read(&json!({"a": 1, "c": 2})).unwrap_err(),
            SimError::new("c", "unknown field `c`, expected `a` or `b`")
        );
        assert_eq!(
            Pair::read(&json!({"b": "x"})).unwrap_err(),
            SimError::new("", "missing field `a`")
        );
        assert_eq!(
            Pair::read(&json!({"a": "1"})).unwrap_err(),
            SimError::new("a", "invalid type: string \"1\", expected u64")
        );
        assert_eq!(
            message::<Pair>(json!([1])),
            "invalid type: sequence, expected struct Pair"
        );
        // The tag of an action is skipped only when asked.
        assert_eq!(
            Pair::read_fields(&json!({"type": "pair", "a": 2}), true).unwrap(),
            Pair { a: 2, b: None }
        );
        assert!(Pair::read(&json!({"type": "pair", "a": 2})).is_err());
    }

    #[test]
    fn names_are_one_of_a_list() {
        let modes = [("on", true), ("off", false)];
        assert!(!variant(&json!("off"), &modes).unwrap());
        assert_eq!(
            variant(&json!("up"), &modes).unwrap_err().to_string(),
            "unknown variant `up`, expected `on` or `off`"
        );
        assert_eq!(
            variant(&json!(1), &modes).unwrap_err().to_string(),
            "invalid type: integer `1`, expected a string"
        );
        assert_eq!(
            unknown_variant("x", &["a", "b", "c"]).to_string(),
            "unknown variant `x`, expected one of `a`, `b`, `c`"
        );
    }
}
