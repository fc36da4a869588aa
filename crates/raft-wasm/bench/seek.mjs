// Benchmark: seeks to random times in a busy run, in wasm under Node, through the built package
// (www/pkg). The run: 9 nodes, 10% loss, 4 clients writing every 20 ms, played in 1 s steps as
// the page plays it. Prints the seek distribution and the wasm memory; asserts nothing.
//
//   node crates/raft-wasm/bench/seek.mjs [minutes...]      (default: 1 10 60)
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";

const pkg = new URL("../../../www/pkg/", import.meta.url);
const { default: init, Simulation } = await import(new URL("raft_wasm.js", pkg));
const bytes = await readFile(new URL("raft_wasm_bg.wasm", pkg));
const wasm = await init({ module_or_path: bytes });

const SEEKS = 60;
const minutesList = process.argv.slice(2).map(Number);
if (minutesList.length === 0) minutesList.push(1, 10, 60);
// Wasm memory only grows, so each duration runs in a process of its own.
if (minutesList.length > 1) {
  const { execFileSync } = await import("node:child_process");
  const self = new URL(import.meta.url).pathname;
  for (const m of minutesList) {
    execFileSync(process.execPath, [self, String(m)], { stdio: "inherit" });
  }
  process.exit(0);
}

// A fixed sequence of seek targets (a small LCG: the bench must be repeatable too).
function targets(endMs, count) {
  let x = 12345;
  const out = [];
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(Math.floor((x / 2147483648) * endMs));
  }
  return out;
}

const mb = (b) => `${(b / 1048576).toFixed(0)} MB`;
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

for (const minutes of minutesList) {
  const sim = new Simulation({ nodes: 9, seed: 1, lossPct: 10, clients: 4, clientWriteEveryMs: 20 });
  const endMs = minutes * 60_000;
  const playStarted = performance.now();
  try {
    for (let t = 0; t < endMs; t += 1000) sim.advance(1000);
  } catch (err) {
    console.log(`${minutes} min: playing stopped at ${sim.now()} ms: ${err.message}`);
    sim.free();
    continue;
  }
  const playMs = performance.now() - playStarted;
  const times = [];
  for (const t of targets(endMs, SEEKS)) {
    const started = performance.now();
    sim.seek(t);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const commit = Math.max(...sim.state().nodes.map((n) => n.commitIndex));
  console.log(
    `${minutes} min (${SEEKS} seeks): median ${pct(times, 0.5).toFixed(1)} ms, ` +
      `p90 ${pct(times, 0.9).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms, ` +
      `wasm memory ${mb(wasm.memory.buffer.byteLength)}; played in ${(playMs / 1000).toFixed(1)} s, ` +
      `commitIndex ${commit} at the last seek`,
  );
  sim.free();
}
