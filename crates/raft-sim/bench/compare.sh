#!/usr/bin/env bash
# The native simulator against a baseline build, side by side in one run (the machine's load
# changes from minute to minute, so figures from two runs do not compare). Issue 16's workload:
# 5 nodes, a client writing every 20 ms, 60 simulated seconds.
#   seek     `raft-sim run` of that scenario: a replay that returns no events, as a seek;
#   advance  `raft-sim bench --sim-ms 60000`: advance in 1 s steps, every event returned;
#   fuzz     `raft-sim fuzz --seeds N`.
# Each is run RUNS times, alternating the two builds; the median wall time is printed.
#
#   crates/raft-sim/bench/compare.sh BASE_CHECKOUT [RUNS] [FUZZ_SEEDS]
#
# Both checkouts need `cargo build --release -p raft-sim` first (BASE_CHECKOUT is e.g. a git
# worktree of the baseline commit).
set -euo pipefail
base=${1:?usage: compare.sh BASE_CHECKOUT [RUNS] [FUZZ_SEEDS]}
runs=${2:-5}
seeds=${3:-200}
here=$(cd "$(dirname "$0")/../../.." && pwd)
declare -A bin=([base]="$base/target/release/raft-sim" [this]="$here/target/release/raft-sim")
for b in "${bin[@]}"; do
  [ -x "$b" ] || { echo "error: $b is missing; run cargo build --release -p raft-sim there" >&2; exit 2; }
done
scenario=$(mktemp --suffix=.json)
trap 'rm -f "$scenario"' EXIT
echo '{"config":{"nodes":5,"seed":7,"clientWriteEveryMs":20},"actions":[],"endMs":60000}' >"$scenario"

field() { python3 -c "import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])['$1'])"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A seek advance fuzz hash
for _ in $(seq "$runs"); do
  for which in base this; do
    b=${bin[$which]}
    out=$("$b" run "$scenario" --json)
    seek[$which]+=" $(field elapsed_ms <<<"$out")"
    hash[$which]=$(field traceHash <<<"$out")
    advance[$which]+=" $("$b" bench --sim-ms 60000 --json | field wallMs)"
    fuzz[$which]+=" $("$b" fuzz --seeds "$seeds" --json | field elapsed_ms)"
  done
done
[ "${hash[base]}" = "${hash[this]}" ] || echo "note: the two builds traced the run differently (${hash[base]} vs ${hash[this]})"
echo "5 nodes, a client writing every 20 ms, 60 simulated s; median wall ms of $runs runs each"
for what in seek advance fuzz; do
  declare -n m=$what
  b=$(median ${m[base]}) t=$(median ${m[this]})
  label=$what; [ "$what" = fuzz ] && label="fuzz ($seeds seeds)"
  awk -v l="$label" -v b="$b" -v t="$t" 'BEGIN {printf "%-18s base %8.0f ms   this %8.0f ms   %.2fx\n", l, b, t, b / t}'
done
