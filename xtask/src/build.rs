//! Builds the deployable site: the wasm package into `www/pkg/` and the JS library into
//! `www/lib/` (both git-ignored), so `www/` can be copied to any static host as it is.

use crate::{plans, run};
use std::path::Path;

/// Size over speed for the code the page downloads, for this build only (native release builds
/// stay at opt-level 3). It applies to every crate, dependencies included; the root Cargo.toml
/// writes down the measured trade-off that chose it over keeping hot crates at 3.
const WASM_OPT_LEVEL: (&str, &str) = ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "s");

/// Smaller still for raft-sim and raft-wasm (the shims): 8.2 KB gzipped for a tenth to a sixth of
/// the simulator's speed in wasm. raft-core stays at "s": "z" there too would cost another tenth
/// and bring `seek` and `advance` near issue 16's 3x floor. Measured in docs/DESIGN.md
/// ("Session 10: build settings").
const WASM_SMALLEST_PACKAGES: [&str; 2] = [
    "profile.release.package.raft-sim.opt-level=\"z\"",
    "profile.release.package.raft-wasm.opt-level=\"z\"",
];

/// Wasm SIMD (128-bit vectors) for every crate of this build: LLVM then moves and copies structs
/// 16 bytes per instruction instead of 8, all over the simulator (`drive`, `World::clone`, the
/// action bodies, raft-core's `SharedVec`): 2.9 KB smaller gzipped, no slower, the same traces
/// (docs/DESIGN.md, "Session 11: build settings"). It needs Chrome 91, Firefox 89, Safari 16.4 or
/// Node 16.4 (2021-2023). For the wasm target only: build scripts and native builds are untouched.
const WASM_RUSTFLAGS: &str =
    "target.wasm32-unknown-unknown.rustflags=[\"-C\", \"target-feature=+simd128\"]";

/// `wasm-pack build --release --target web` into www/pkg, then copy web/ to www/lib (with each
/// lesson's plan).
pub fn build_site() -> Result<(), String> {
    let status = run::command(
        "wasm-pack",
        &[
            "build",
            "crates/raft-wasm",
            "--release",
            "--target",
            "web",
            "--out-dir",
            "../../www/pkg",
            "--out-name",
            "raft_wasm",
            "--no-pack",
            // What follows `--` goes to `cargo build`.
            "--",
            "--config",
            WASM_SMALLEST_PACKAGES[0],
            "--config",
            WASM_SMALLEST_PACKAGES[1],
            "--config",
            WASM_RUSTFLAGS,
        ],
    )
    .env(WASM_OPT_LEVEL.0, WASM_OPT_LEVEL.1)
    .status()
    .map_err(|err| format!("cannot start wasm-pack: {err}"))?;
    if !status.success() {
        return Err(format!(
            "`wasm-pack build crates/raft-wasm` failed ({status})"
        ));
    }
    let root = run::root();
    let lib = root.join("www/lib");
    if lib.exists() {
        std::fs::remove_dir_all(&lib)
            .map_err(|err| format!("cannot clear {}: {err}", lib.display()))?;
    }
    copy_library(&root.join("web"), &lib)
}

/// The page's library as shipped (site and npm package): a copy of web/ whose lesson files carry
/// their plans (plans.rs). Fails when a lesson fails its check.
pub fn copy_library(web: &Path, to: &Path) -> Result<(), String> {
    copy_tree(web, to)?;
    plans::add_plans(&to.join("lessons"))
}

pub fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|err| format!("cannot create {}: {err}", to.display()))?;
    let entries =
        std::fs::read_dir(from).map_err(|err| format!("cannot read {}: {err}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|err| format!("cannot read {}: {err}", from.display()))?;
        let source = entry.path();
        let target = to.join(entry.file_name());
        if source.is_dir() {
            copy_tree(&source, &target)?;
        } else {
            std::fs::copy(&source, &target)
                .map_err(|err| format!("cannot copy {}: {err}", source.display()))?;
        }
    }
    Ok(())
}
