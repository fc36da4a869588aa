//! Running child processes with the project's tool folders on PATH.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository root (the xtask crate lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the repository")
        .to_path_buf()
}

/// PATH with npm's binaries (wasm-opt, playwright) and cargo's install folder in front, so
/// wasm-pack finds the pinned wasm-bindgen and a recent wasm-opt instead of downloading them.
pub fn tool_path() -> String {
    let mut parts = vec![root().join("node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        parts.push(PathBuf::from(home).join("bin"));
    } else if let Some(home) = std::env::var_os("HOME") {
        parts.push(PathBuf::from(home).join(".cargo/bin"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        parts.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(parts)
        .expect("tool folders contain no path separator")
        .to_string_lossy()
        .into_owned()
}

/// A command rooted at the repository with the tool PATH.
pub fn command(program: &str, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(root())
        .env("PATH", tool_path());
    // wasm-pack refuses a cache folder that does not exist; let it pick its own.
    command.env_remove("WASM_PACK_CACHE");
    command
}

/// Runs a command with inherited output; Err names the command when it fails or cannot start.
pub fn status(program: &str, args: &[&str]) -> Result<(), String> {
    let shown = display(program, args);
    println!("$ {shown}");
    let status = command(program, args)
        .status()
        .map_err(|err| format!("cannot start `{shown}`: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs a command, echoing its stdout line by line while keeping it for the caller to parse.
/// Returns whether it succeeded, and the captured stdout.
pub fn tee(program: &str, args: &[&str], envs: &[(&str, &str)]) -> Result<(bool, String), String> {
    let shown = display(program, args);
    println!("$ {shown}");
    let mut command = command(program, args);
    command.envs(envs.iter().copied());
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|err| format!("cannot start `{shown}`: {err}"))?;
    let mut captured = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap_or_default();
            println!("{line}");
            captured.push_str(&line);
            captured.push('\n');
        }
    }
    let status = child
        .wait()
        .map_err(|err| format!("`{shown}` did not finish: {err}"))?;
    Ok((status.success(), captured))
}

/// The first line of a command's stdout, or None when it cannot run or fails.
pub fn output_line(program: &str, args: &[&str]) -> Option<String> {
    let output = command(program, args).stderr(Stdio::null()).output().ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .next()
        .map(|line| line.trim().to_string())
}

fn display(program: &str, args: &[&str]) -> String {
    std::iter::once(program)
        .chain(args.iter().copied())
        .collect::<Vec<_>>()
        .join(" ")
}
