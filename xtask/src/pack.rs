//! `cargo xtask pack`: the npm package `raft-playground`, as
//! `target/npm/raft-playground-<version>.tgz`.
//!
//! The package is the site's two halves side by side, exactly as `www/` holds them: `lib/` (a copy
//! of `web/`, its lesson files with their plans: plans.rs) and `pkg/` (the wasm-pack output). `lib/driver.js` imports `../pkg/raft_wasm.js` by
//! a literal path and the glue finds the wasm with `new URL('raft_wasm_bg.wasm',
//! import.meta.url)`, so a bundler follows both with no configuration, and the same files also
//! work unbundled from any static folder. The hand-written parts (package.json, the README for
//! npm users, the element's types) live in `npm/`; the version is the raft-wasm crate's.

use crate::{build, run, setup};
use std::path::{Path, PathBuf};

/// Where the package is staged and packed, relative to the repository root.
pub const OUT_DIR: &str = "target/npm";
const NAME: &str = "raft-playground";
/// The crate whose version the package carries.
const VERSION_CRATE: &str = "raft-wasm";
/// Stands in npm/package.json for the version, so the template cannot be packed by mistake.
const VERSION_PLACEHOLDER: &str = "\"version\": \"set-by-cargo-xtask-pack\"";
/// The wasm-pack output that goes into `pkg/` (its .gitignore and other leftovers do not), with
/// `PKG_SNIPPETS`.
const PKG_FILES: [&str; 4] = [
    "raft_wasm.js",
    "raft_wasm.d.ts",
    "raft_wasm_bg.wasm",
    "raft_wasm_bg.wasm.d.ts",
];
/// The JS files the glue imports from raft-wasm's sources (`#[wasm_bindgen(module = ...)]`).
const PKG_SNIPPETS: &str = "snippets";
/// Files of `npm/` copied to the package root as they are.
const ROOT_FILES: [&str; 2] = ["README.md", "index.d.ts"];

/// Builds the site unless `build` is false (the test suite has just built it), stages the package
/// and packs it. Returns the tarball's path.
pub fn pack(build: bool) -> Result<PathBuf, String> {
    if build {
        setup::ensure_build_tools()?;
        build::build_site()?;
    }
    let root = run::root();
    let version = setup::locked_version(VERSION_CRATE)?;
    let out = root.join(OUT_DIR);
    let stage = out.join(NAME);
    if stage.exists() {
        std::fs::remove_dir_all(&stage)
            .map_err(|err| format!("cannot clear {}: {err}", stage.display()))?;
    }
    build::copy_library(&root.join("web"), &stage.join("lib"))?;
    // web/README.md is for people working on the library; the package has its own README.
    remove(&stage.join("lib/README.md"))?;
    let pkg = stage.join("pkg");
    std::fs::create_dir_all(&pkg)
        .map_err(|err| format!("cannot create {}: {err}", pkg.display()))?;
    for file in PKG_FILES {
        let from = root.join("www/pkg").join(file);
        if !from.exists() {
            return Err(format!(
                "{} is missing: build the wasm package first (`cargo xtask pack` without --no-build does)",
                from.display()
            ));
        }
        copy(&from, &pkg.join(file))?;
    }
    build::copy_tree(
        &root.join("www/pkg").join(PKG_SNIPPETS),
        &pkg.join(PKG_SNIPPETS),
    )?;
    for file in ROOT_FILES {
        copy(&root.join("npm").join(file), &stage.join(file))?;
    }
    let template = std::fs::read_to_string(root.join("npm/package.json"))
        .map_err(|err| format!("cannot read npm/package.json: {err}"))?;
    let manifest = with_version(&template, &version)?;
    std::fs::write(stage.join("package.json"), manifest)
        .map_err(|err| format!("cannot write the package's package.json: {err}"))?;

    let tarball = out.join(format!("{NAME}-{version}.tgz"));
    if tarball.exists() {
        remove(&tarball)?;
    }
    // npm pack prints the file list and the packed and unpacked sizes.
    let status = run::command("npm", &["pack", "--pack-destination", ".."])
        .current_dir(&stage)
        .status()
        .map_err(|err| format!("cannot start `npm pack`: {err}"))?;
    if !status.success() {
        return Err(format!(
            "`npm pack` in {} failed ({status})",
            stage.display()
        ));
    }
    if !tarball.exists() {
        return Err(format!("`npm pack` did not write {}", tarball.display()));
    }
    println!("packed {}", tarball.display());
    Ok(tarball)
}

/// The template with its version placeholder replaced; an error when the placeholder is not
/// there exactly once.
fn with_version(template: &str, version: &str) -> Result<String, String> {
    if template.matches(VERSION_PLACEHOLDER).count() != 1 {
        return Err(format!(
            "npm/package.json must hold `{VERSION_PLACEHOLDER}` exactly once"
        ));
    }
    Ok(template.replace(VERSION_PLACEHOLDER, &format!("\"version\": \"{version}\"")))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|err| format!("cannot copy {} to {}: {err}", from.display(), to.display()))
}

fn remove(path: &Path) -> Result<(), String> {
    std::fs::remove_file(path).map_err(|err| format!("cannot remove {}: {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_version_replaces_the_placeholder_once() {
        let template = std::fs::read_to_string(run::root().join("npm/package.json")).unwrap();
        let manifest = with_version(&template, "1.2.3").unwrap();
        assert!(manifest.contains("\"version\": \"1.2.3\""));
        assert!(!manifest.contains("set-by-cargo-xtask-pack"));
        assert!(with_version("{}", "1.2.3").is_err());
    }
}
