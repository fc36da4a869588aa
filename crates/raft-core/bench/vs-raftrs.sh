#!/usr/bin/env bash
# Issue 16's core target, before and after: runs the side-by-side harness (raft-core against
# tikv's raft 0.7, same workload, one process; see its README) once against BASE_ROOT (e.g. a
# worktree of an older main) and once against this checkout, then prints both summaries one
# above the other. Each summary's ratios pair raft-core with raft-rs round by round, so they
# stay comparable even when the machine's load changes between the two runs.
#
#   crates/raft-core/bench/vs-raftrs.sh BASE_ROOT [harness options, e.g. --rounds 11]
#
# HARNESS names the harness folder (default: the shared copy on the workplace machines); OUT a
# folder to build in (default: a new temporary one; reusing one skips the cold builds).
set -eu
here=$(cd "$(dirname "$0")/../../.." && pwd)
base=$(cd "${1:?usage: vs-raftrs.sh BASE_ROOT [harness options]}" && pwd); shift
harness=${HARNESS:-/work/shared/bench/core-vs-raftrs}
out=${OUT:-$(mktemp -d)}
for side in base head; do
  root=$base; [ "$side" = head ] && root=$here
  echo "== $side: $root ($(git -C "$root" log --oneline -1 | cut -c1-60))"
  # Separate build folders, so the two copies of raft-core never share a target directory.
  mkdir -p "$out/$side"
  # Since 328e98d RawNode::new also takes the node's start time; the harness calls it with the
  # config alone. Each side runs its own copy of the harness, which passes 0 to a checkout that
  # asks for it (the harness never ticks, so the workload is the same).
  h="$out/$side/harness"
  rm -rf "$h" && cp -r "$harness" "$h" && chmod -R u+w "$h"
  if grep -q 'pub fn new(config: Config, now_ms: u64)' "$root/crates/raft-core/src/rawnode.rs"; then
    sed -i 's/RawNode::new(c)\.expect/RawNode::new(c, 0).expect/' "$h/src/main.rs"
  fi
  TMPDIR="$out/$side" "$h/run.sh" "$root" "$@" > "$out/$side.txt" 2>&1 || { tail -20 "$out/$side.txt"; exit 1; }
done
for side in base head; do
  echo
  echo "== $side"
  sed -n '/^| nodes | core |/,$p' "$out/$side.txt"
done
