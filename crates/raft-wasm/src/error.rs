//! Every failure that crosses into JS: which JS error class it becomes, and a message that starts
//! with the method and names the argument (`crash: node must be ..., got "3" (a string)`).
//!
//! The kinds are plain Rust so the messages can be unit-tested natively; only `into_js` touches
//! JS, and only on wasm does it build a real error object.

use raft_sim::SimError;
use wasm_bindgen::JsValue;

/// Which JS error class a failure maps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The argument has the wrong JS type (a string where a number belongs, a missing argument).
    Type,
    /// The type is right but the value is not accepted (NaN, negative, unknown node, too many).
    Range,
    /// Anything else: a malformed link or scenario, an action the cluster refuses.
    Other,
}

/// A failure on its way to JS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub kind: ErrorKind,
    pub message: String,
}

impl ApiError {
    /// Every number in the message is shortened (`raft_sim::error::shorten_numbers`), whatever
    /// the argument that went in.
    pub fn new(kind: ErrorKind, method: &str, detail: impl std::fmt::Display) -> ApiError {
        ApiError {
            kind,
            message: raft_sim::error::shorten_numbers(&format!("{method}: {detail}")),
        }
    }

    /// `method: arg must be <wanted>, got <got>` as a TypeError.
    pub fn wrong_type(method: &str, arg: &str, wanted: &str, got: &str) -> ApiError {
        ApiError::new(
            ErrorKind::Type,
            method,
            format!("{arg} must be {wanted}, got {got}"),
        )
    }

    /// `method: arg must be <wanted>, got <got>` as a RangeError.
    pub fn out_of_range(method: &str, arg: &str, wanted: &str, got: &str) -> ApiError {
        ApiError::new(
            ErrorKind::Range,
            method,
            format!("{arg} must be {wanted}, got {got}"),
        )
    }

    /// A value the simulator refused (its message names the field). A RangeError: the type was
    /// right, the value was not.
    pub fn rejected(method: &str, err: &SimError) -> ApiError {
        ApiError::new(ErrorKind::Range, method, err)
    }

    /// A link or scenario that does not parse or does not replay.
    pub fn malformed(method: &str, err: &SimError) -> ApiError {
        ApiError::new(ErrorKind::Other, method, err)
    }

    /// The JS error object: `TypeError`, `RangeError` or `Error`.
    pub fn into_js(self) -> JsValue {
        match self.kind {
            ErrorKind::Type => js_sys::TypeError::new(&self.message).into(),
            ErrorKind::Range => js_sys::RangeError::new(&self.message).into(),
            ErrorKind::Other => js_sys::Error::new(&self.message).into(),
        }
    }
}

impl From<ApiError> for JsValue {
    fn from(err: ApiError) -> JsValue {
        err.into_js()
    }
}

/// Results of the bindings' internals.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_starts_with_the_method_and_names_the_argument() {
        let e = ApiError::wrong_type("crash", "node", "a node id", "\"3\" (a string)");
        assert_eq!(e.kind, ErrorKind::Type);
        assert_eq!(
            e.message,
            "crash: node must be a node id, got \"3\" (a string)"
        );
    }

    #[test]
    fn simulator_refusals_keep_the_field_path() {
        let e = ApiError::rejected("new Simulation", &SimError::new("config.nodes", "too many"));
        assert_eq!(e.kind, ErrorKind::Range);
        assert_eq!(e.message, "new Simulation: config.nodes: too many");
        let e = ApiError::malformed("fromLink", &SimError::new("link", "is empty"));
        assert_eq!(e.kind, ErrorKind::Other);
        assert!(e.message.ends_with("link: is empty"), "{}", e.message);
    }
}
