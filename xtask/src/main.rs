//! The project's two commands, and the npm package.
//!
//! - `cargo xtask serve [--port N] [--no-build] [--dir DIR]`: installs what is missing, builds the
//!   wasm package and the site, and serves `www/` (or DIR) on 127.0.0.1.
//! - `cargo xtask test`: installs what is missing and runs every suite, stopping at the first
//!   failure, then prints one line `N passed, N failed`.
//! - `cargo xtask pack [--no-build]`: builds the npm package `raft-playground` into
//!   `target/npm/raft-playground-<version>.tgz` (see pack.rs).
//!
//! Both are meant to be the only thing a newcomer runs on a fresh machine, so each install step
//! checks first and skips when the tool is already there (a second run is fast).

mod build;
mod pack;
mod plans;
mod run;
mod serve;
mod setup;
mod suites;

use std::process::ExitCode;

const USAGE: &str =
    "usage: cargo xtask <serve [--port N] [--no-build] [--dir DIR] | test | pack [--no-build]>";

/// Port used when `--port` is not given.
const DEFAULT_PORT: u16 = 8000;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(args: &[String]) -> Result<ExitCode, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err(format!("no command given; {USAGE}"));
    };
    match command.as_str() {
        "serve" => {
            let options = parse_serve_options(rest)?;
            serve::serve(&options)
        }
        "test" => {
            if let Some(extra) = rest.first() {
                return Err(format!("`test` takes no arguments, got `{extra}`; {USAGE}"));
            }
            suites::test_all()
        }
        "pack" => {
            let build = match rest {
                [] => true,
                [flag] if flag == "--no-build" => false,
                [other, ..] => {
                    return Err(format!("unknown option `{other}` for pack; {USAGE}"));
                }
            };
            pack::pack(build).map(|_| ExitCode::SUCCESS)
        }
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command `{other}`; {USAGE}")),
    }
}

/// Options of `cargo xtask serve`.
pub struct ServeOptions {
    pub port: u16,
    /// Serve `www/` as it is, without installing tools or rebuilding (used by the e2e suite,
    /// which builds first).
    pub build: bool,
    /// Serve this folder instead of `www/` (relative to the repository root unless absolute);
    /// the e2e suite's second origin uses it.
    pub dir: Option<std::path::PathBuf>,
}

fn parse_serve_options(args: &[String]) -> Result<ServeOptions, String> {
    let mut options = ServeOptions {
        port: DEFAULT_PORT,
        build: true,
        dir: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                let value = args
                    .next()
                    .ok_or_else(|| "`--port` needs a number, e.g. `--port 8080`".to_string())?;
                options.port = value
                    .parse::<u16>()
                    .ok()
                    .filter(|port| *port != 0)
                    .ok_or_else(|| {
                        format!("`--port` must be a number from 1 to 65535, got `{value}`")
                    })?;
            }
            "--no-build" => options.build = false,
            "--dir" => {
                let value = args.next().ok_or_else(|| {
                    "`--dir` needs a folder, e.g. `--dir target/site`".to_string()
                })?;
                options.dir = Some(std::path::PathBuf::from(value));
            }
            other => return Err(format!("unknown option `{other}` for serve; {USAGE}")),
        }
    }
    Ok(options)
}
