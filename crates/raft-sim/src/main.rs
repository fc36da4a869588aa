//! `raft-sim`: run scenarios, fuzz with fault schedules, list bugs, benchmark. See `cli.rs`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut out = std::io::stdout();
    let mut err = std::io::stderr();
    let code = raft_sim::cli::main_with(&args, &mut out, &mut err);
    std::process::exit(code);
}
