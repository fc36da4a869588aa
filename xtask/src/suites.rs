//! `cargo xtask test`: every suite, in order, stopping at the first failure.
//!
//! Each suite's own report is echoed as it runs and parsed for its counts, so the run can end
//! with one line that sums them all: `N passed, N failed`. Checks without a count of their own
//! (fmt, clippy, the site build) count as one test each.

use crate::{build, pack, run, setup};
use std::process::ExitCode;

#[derive(Default, Debug, PartialEq, Eq, Clone, Copy)]
struct Counts {
    passed: u64,
    failed: u64,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

/// How to read a suite's counts from its output.
#[derive(Clone, Copy)]
enum Report {
    /// One check: passed when the command succeeds.
    Single,
    /// libtest and wasm-bindgen-test-runner: `test result: ok. 12 passed; 0 failed; ...`.
    Libtest,
    /// node --test: `# pass 3` / `# fail 0`.
    NodeTest,
    /// Playwright's list reporter: `  12 passed (31.0s)` / `  1 failed`.
    Playwright,
}

struct Suite {
    name: &'static str,
    program: &'static str,
    args: Vec<&'static str>,
    /// Extra environment for this suite only.
    envs: Vec<(&'static str, &'static str)>,
    report: Report,
}

pub fn test_all() -> Result<ExitCode, String> {
    let started = std::time::Instant::now();
    setup::ensure_test_tools()?;
    let mut total = Counts::default();
    let mut failed_suite = None;
    for suite in suites() {
        println!("\n==> {}", suite.name);
        let outcome = match suite.program {
            // The site build has no test report of its own; it gets one check.
            "build-site" => build::build_site().map(|()| (true, String::new())),
            // Packs what the site build just made; the bundler e2e test installs the tarball.
            "pack" => pack::pack(false).map(|_| (true, String::new())),
            program => {
                let mut envs = vec![("CI", "1")];
                envs.extend(suite.envs.iter().copied());
                run::tee(program, &suite.args, &envs)
            }
        };
        let counts = match outcome {
            Ok((success, output)) => counts_of(suite.report, success, &output),
            Err(message) => {
                eprintln!("{message}");
                Counts {
                    passed: 0,
                    failed: 1,
                }
            }
        };
        total.add(counts);
        println!(
            "<== {}: {} passed, {} failed",
            suite.name, counts.passed, counts.failed
        );
        if counts.failed > 0 {
            failed_suite = Some(suite.name);
            break;
        }
    }
    println!("\nall suites took {:.1} s", started.elapsed().as_secs_f64());
    if let Some(name) = failed_suite {
        println!("stopped at the first failing suite: {name}");
    }
    println!("{} passed, {} failed", total.passed, total.failed);
    Ok(if failed_suite.is_some() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn suites() -> Vec<Suite> {
    let mut suites = vec![
        Suite {
            name: "rustfmt",
            program: "cargo",
            args: vec!["fmt", "--all", "--", "--check"],
            envs: vec![],
            report: Report::Single,
        },
        Suite {
            name: "clippy",
            program: "cargo",
            args: vec![
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
            envs: vec![],
            report: Report::Single,
        },
        Suite {
            name: "cargo test",
            program: "cargo",
            args: vec!["test", "--workspace", "--no-fail-fast"],
            envs: vec![],
            report: Report::Libtest,
        },
        Suite {
            name: "wasm tests under Node",
            program: "wasm-pack",
            args: vec!["test", "--node", "crates/raft-wasm"],
            envs: vec![],
            report: Report::Libtest,
        },
        Suite {
            name: "wasm tests in headless Chromium",
            program: "wasm-pack",
            args: vec![
                "test",
                "--headless",
                "--chrome",
                "--chromedriver",
                "/usr/bin/chromedriver",
                "crates/raft-wasm",
            ],
            // Without it wasm-bindgen-test runs the suite in Node mode and skips every test.
            envs: vec![("WASM_BINDGEN_USE_BROWSER", "1")],
            report: Report::Libtest,
        },
        Suite {
            name: "site build (wasm-pack --release, web/ -> www/lib)",
            program: "build-site",
            args: vec![],
            envs: vec![],
            report: Report::Single,
        },
        Suite {
            name: "npm package (cargo xtask pack --no-build)",
            program: "pack",
            args: vec![],
            envs: vec![],
            report: Report::Single,
        },
        Suite {
            // After the site build: the page's `../pkg/raft_wasm.js` types are those of www/pkg.
            name: "type-check the page's JS (tsc --noEmit)",
            program: "node_modules/.bin/tsc",
            args: vec!["--noEmit", "-p", "tsconfig.json"],
            envs: vec![],
            report: Report::Single,
        },
    ];
    if run::root().join("tests/js").is_dir() {
        suites.push(Suite {
            name: "JS API tests under Node",
            program: "node",
            args: vec!["--test", "tests/js/"],
            envs: vec![],
            report: Report::NodeTest,
        });
    }
    suites.push(Suite {
        name: "browser end-to-end (Playwright, Chromium)",
        program: "node_modules/.bin/playwright",
        args: vec!["test"],
        envs: vec![],
        report: Report::Playwright,
    });
    suites
}

/// The counts a suite reported. A failed command always counts at least one failure, even when
/// it died before printing any count (a compile error, say).
fn counts_of(report: Report, success: bool, output: &str) -> Counts {
    let mut counts = match report {
        Report::Single => Counts::default(),
        Report::Libtest => sum_lines(output, |line| {
            let rest = line.trim().strip_prefix("test result: ")?;
            Some(Counts {
                passed: number_before(rest, " passed")?,
                failed: number_before(rest, " failed")?,
            })
        }),
        Report::NodeTest => sum_lines(output, |line| {
            let line = line.trim();
            if let Some(n) = line.strip_prefix("# pass ") {
                return Some(Counts {
                    passed: n.parse().ok()?,
                    failed: 0,
                });
            }
            let n = line.strip_prefix("# fail ")?;
            Some(Counts {
                passed: 0,
                failed: n.parse().ok()?,
            })
        }),
        Report::Playwright => sum_lines(output, |line| {
            let mut words = line.split_whitespace();
            let n: u64 = words.next()?.parse().ok()?;
            match words.next()? {
                "passed" => Some(Counts {
                    passed: n,
                    failed: 0,
                }),
                "failed" | "flaky" => Some(Counts {
                    passed: 0,
                    failed: n,
                }),
                _ => None,
            }
        }),
    };
    if counts == Counts::default() {
        counts.passed = u64::from(success);
    }
    if !success && counts.failed == 0 {
        counts.failed = 1;
    }
    counts
}

fn sum_lines(output: &str, parse: impl Fn(&str) -> Option<Counts>) -> Counts {
    let mut total = Counts::default();
    for counts in output.lines().filter_map(parse) {
        total.add(counts);
    }
    total
}

/// In `12 passed; 0 failed`, the number that stands before `label`.
fn number_before(text: &str, label: &str) -> Option<u64> {
    let head = &text[..text.find(label)?];
    head.rsplit(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libtest_counts_are_summed_over_every_test_binary() {
        let output = "running 3 tests\n\
            test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n\
            test result: FAILED. 4 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out\n";
        assert_eq!(
            counts_of(Report::Libtest, false, output),
            Counts {
                passed: 7,
                failed: 2
            }
        );
    }

    #[test]
    fn a_failed_command_without_counts_is_one_failure() {
        assert_eq!(
            counts_of(Report::Libtest, false, "error[E0425]: cannot find value"),
            Counts {
                passed: 0,
                failed: 1
            }
        );
        assert_eq!(
            counts_of(Report::Single, true, ""),
            Counts {
                passed: 1,
                failed: 0
            }
        );
    }

    #[test]
    fn playwright_and_node_summaries_are_read() {
        let playwright =
            "  1 failed\n    [chromium] › a.spec.mjs:3:1 › boom\n  11 passed (42.0s)\n";
        assert_eq!(
            counts_of(Report::Playwright, false, playwright),
            Counts {
                passed: 11,
                failed: 1
            }
        );
        let node = "# tests 5\n# pass 5\n# fail 0\n";
        assert_eq!(
            counts_of(Report::NodeTest, true, node),
            Counts {
                passed: 5,
                failed: 0
            }
        );
    }
}
