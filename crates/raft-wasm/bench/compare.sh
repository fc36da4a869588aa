#!/usr/bin/env bash
# Issue 16's wasm targets, before and after, in one run: the size of the built wasm (raw and
# gzip -9) and advance(60000) under Node (advance.mjs), for BASE_ROOT (e.g. a worktree of an
# older main) and this checkout, interleaved in one process so load falls on both alike. Both
# must have a site build in www/pkg (`cargo xtask serve` or `cargo xtask test` makes one).
#
#   crates/raft-wasm/bench/compare.sh BASE_ROOT [runs]
set -eu
here=$(cd "$(dirname "$0")/../../.." && pwd)
base=$(cd "${1:?usage: compare.sh BASE_ROOT [runs]}" && pwd)
rounds=${2:-3}
for side in base head; do
  root=$base; [ "$side" = head ] && root=$here
  wasm="$root/www/pkg/raft_wasm_bg.wasm"
  [ -f "$wasm" ] || { echo "$wasm is missing: build the site there first" >&2; exit 1; }
  printf '%-4s %s  wasm %d bytes, gzip -9 %d bytes\n' "$side" \
    "$(git -C "$root" log --oneline -1 | cut -c1-40)" "$(stat -c %s "$wasm")" "$(gzip -9 -c "$wasm" | wc -c)"
done
# Speed: this checkout's advance.mjs loads both packages into one process and prints their
# ratios (an older checkout's own advance.mjs may print other lines, or none to compare).
node "$here/crates/raft-wasm/bench/advance.mjs" "$rounds" --base "$base/www/pkg"
