//! The options object of `setLink(from, to, { up, latency, loss, dup })`.
//!
//! The short names are the documented ones; the scenario format's names (`latencyMs`, `lossPct`,
//! ...) are accepted as well, so an action copied from a scenario works. Giving both spellings
//! of one option is refused rather than guessed at.

use wasm_bindgen::JsValue;

use crate::args;
use crate::error::{ApiError, ApiResult, ErrorKind};

/// The parsed options; `None` leaves that property of the link as it is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkOptions {
    pub up: Option<bool>,
    pub latency_ms: Option<f64>,
    pub latency_ms_min: Option<f64>,
    pub latency_ms_max: Option<f64>,
    pub loss_pct: Option<f64>,
    pub dup_pct: Option<f64>,
}

/// Option names: (short name, scenario name).
const NAMES: [(&str, &str); 6] = [
    ("up", "up"),
    ("latency", "latencyMs"),
    ("latencyMin", "latencyMsMin"),
    ("latencyMax", "latencyMsMax"),
    ("loss", "lossPct"),
    ("dup", "dupPct"),
];

/// Which option a key names, if any.
fn option_index(key: &str) -> Option<usize> {
    NAMES
        .iter()
        .position(|(short, long)| key == *short || key == *long)
}

pub fn options(method: &str, value: &JsValue) -> ApiResult<LinkOptions> {
    let wanted = "an object such as { up: false } or { latency: 50, loss: 10 }";
    let keys = args::object_keys(method, "options", value, wanted)?
        .ok_or_else(|| ApiError::wrong_type(method, "options", wanted, &args::describe(value)))?;
    let mut seen: [Option<String>; 6] = Default::default();
    let mut out = LinkOptions::default();
    for key in keys {
        let Some(index) = option_index(&key) else {
            let known: Vec<&str> = NAMES.iter().map(|(short, _)| *short).collect();
            return Err(ApiError::new(
                ErrorKind::Type,
                method,
                format!(
                    "options has no field {}; fields are {}",
                    args::quote(&key),
                    known.join(", ")
                ),
            ));
        };
        if let Some(first) = &seen[index] {
            return Err(ApiError::new(
                ErrorKind::Type,
                method,
                format!("options gives both {first} and {key}; give one"),
            ));
        }
        let item = args::get(method, "options", value, &key)?;
        seen[index] = Some(key.clone());
        if item.is_undefined() {
            continue;
        }
        let arg = format!("options.{key}");
        // Ranges (latency cap, 0..=100 percent) are the simulator's to check; NaN and
        // infinities cannot reach it as JSON numbers, so they stop here.
        match index {
            0 => out.up = Some(args::boolean(method, &arg, &item)?),
            1 => out.latency_ms = Some(args::finite(method, &arg, &item)?),
            2 => out.latency_ms_min = Some(args::finite(method, &arg, &item)?),
            3 => out.latency_ms_max = Some(args::finite(method, &arg, &item)?),
            4 => out.loss_pct = Some(args::finite(method, &arg, &item)?),
            _ => out.dup_pct = Some(args::finite(method, &arg, &item)?),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_name_the_same_option() {
        assert_eq!(option_index("loss"), option_index("lossPct"));
        assert_eq!(option_index("latency"), Some(1));
        assert_eq!(option_index("latencyMsMax"), Some(3));
        assert_eq!(option_index("speed"), None);
    }
}
