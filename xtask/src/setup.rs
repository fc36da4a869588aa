//! Installs what the build and the tests need, skipping what is already there.
//!
//! The recipe and its pitfalls are in shared/notes/toolchain.md: `RUSTUP_AUTO_INSTALL=0` means
//! the wasm target must be added explicitly; wasm-bindgen-cli must match the crate to the patch
//! and its `--locked` install can fail; wasm-pack must find wasm-bindgen and npm's wasm-opt on
//! PATH or it tries to download them; Debian's binaryen is too old to use.

use crate::run;
use std::path::Path;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const WASM_PACK_VERSION: &str = "0.15.1";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Everything `serve` needs.
pub fn ensure_build_tools() -> Result<(), String> {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_wasm_pack()?;
    ensure_npm_packages()
}

/// Everything `test` needs: the build tools plus Chromium and its driver.
pub fn ensure_test_tools() -> Result<(), String> {
    ensure_build_tools()?;
    ensure_chromium()
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = run::command("rustup", &["target", "list", "--installed"])
        .output()
        .map_err(|err| {
            format!(
                "cannot run rustup ({err}); add the `{WASM_TARGET}` target to your Rust toolchain"
            )
        })?;
    let has_target = String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|line| line.trim() == WASM_TARGET);
    if has_target {
        return Ok(());
    }
    run::status("rustup", &["target", "add", WASM_TARGET])
}

/// The version of package `name` in Cargo.lock: wasm-bindgen's (the CLI must be exactly this
/// version) or raft-wasm's (the npm package follows it).
pub fn locked_version(name: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(run::root().join("Cargo.lock"))
        .map_err(|err| format!("cannot read Cargo.lock: {err}"))?;
    version_in_lock(&lock, name).ok_or_else(|| format!("Cargo.lock names no {name} package"))
}

fn version_in_lock(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == wanted {
            let version = lines.next()?.strip_prefix("version = \"")?;
            return Some(version.trim_end_matches('"').to_string());
        }
    }
    None
}

fn ensure_wasm_bindgen() -> Result<(), String> {
    let wanted = locked_version("wasm-bindgen")?;
    let have = run::output_line("wasm-bindgen", &["--version"]);
    if have.as_deref() == Some(&format!("wasm-bindgen {wanted}")) {
        return Ok(());
    }
    let version = format!("={wanted}");
    // `--locked` fails here (its lock names a crate version the registry lacks): fall back.
    run::status(
        "cargo",
        &[
            "install",
            "wasm-bindgen-cli",
            "--version",
            &version,
            "--locked",
        ],
    )
    .or_else(|_| {
        run::status(
            "cargo",
            &["install", "wasm-bindgen-cli", "--version", &version],
        )
    })
}

fn ensure_wasm_pack() -> Result<(), String> {
    let have = run::output_line("wasm-pack", &["--version"]);
    if have.as_deref() == Some(&format!("wasm-pack {WASM_PACK_VERSION}")) {
        return Ok(());
    }
    run::status(
        "cargo",
        &[
            "install",
            "wasm-pack",
            "--version",
            WASM_PACK_VERSION,
            "--locked",
        ],
    )
}

fn ensure_npm_packages() -> Result<(), String> {
    let root = run::root();
    // Vite and React are there for the bundler test (tests/e2e/bundler.spec.mjs), which builds
    // pages from the packed npm package offline.
    let present = [
        "node_modules/.bin/wasm-opt",
        "node_modules/@playwright/test/package.json",
        "node_modules/vite/package.json",
        "node_modules/react-dom/package.json",
        "node_modules/.bin/tsc",
        // The e2e suite's accessibility audit (tests/e2e/a11y.spec.mjs).
        "node_modules/axe-core/axe.min.js",
    ]
    .iter()
    .all(|path| root.join(path).exists());
    if present {
        return Ok(());
    }
    if run::output_line("npm", &["--version"]).is_none() {
        return Err("npm is not installed; install Node.js 20 or newer with npm".to_string());
    }
    run::status("npm", &["ci", "--no-audit", "--no-fund"])
}

fn ensure_chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    let advice = "install Debian's packages `chromium` and `chromium-driver` \
                  (apt-get install -y --no-install-recommends chromium chromium-driver)";
    let is_root = run::output_line("id", &["-u"]).as_deref() == Some("0");
    if !is_root || !Path::new("/usr/bin/apt-get").exists() {
        return Err(format!("Chromium is missing: {advice}"));
    }
    run::status("apt-get", &["update"])
        .and_then(|()| {
            run::status(
                "apt-get",
                &[
                    "install",
                    "-y",
                    "--no-install-recommends",
                    "chromium",
                    "chromium-driver",
                ],
            )
        })
        .map_err(|err| format!("{err}; {advice}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_from_the_lock_by_exact_package_name() {
        let lock = "[[package]]\nname = \"wasm-bindgen-macro\"\nversion = \"9.9.9\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(
            version_in_lock(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(version_in_lock(lock, "raft-wasm"), None);
    }
}
