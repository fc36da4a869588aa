//! raft-wasm: the JavaScript API over raft-sim (docs/API.md), built with
//! `wasm-pack build --target web`.
//!
//! This crate converts and checks; it holds no simulation logic. The split:
//! - `args`: reading JS arguments (type first, then value; never coercing);
//! - `config`, `link`: the two option objects;
//! - `convert`: Rust values to plain JS objects; `columns` (with `columns.js`): trace events;
//! - `error`: which JS error class a failure becomes and how its message reads;
//! - `simulation`: the `Simulation` class itself;
//! - `types.d.ts`: the TypeScript types of every object that crosses.

pub mod args;
pub mod columns;
pub mod config;
pub mod convert;
pub mod error;
pub mod link;
pub mod simulation;

pub use simulation::JsSimulation;

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// Runs once when the module is instantiated: a panic (which would be a bug: every input is
/// checked) then prints its Rust message and place to the console before the trap ("unreachable",
/// whose JS stack shows where it was called from). Written here rather than taken from
/// console_error_panic_hook, whose `Once` guard and second stack trace cost 0.4 KB more gzipped.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| console_error(&info.to_string())));
}

/// talc instead of Rust's default wasm allocator (dlmalloc): 2.4 KB smaller gzipped, and no
/// slower on `advance` (docs/DESIGN.md, "Session 10: build settings"). The page runs the module
/// on one thread, which is what this allocator's cell assumes.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
