// Benchmark: wall time of advance(60000) for 5 nodes with a client writing every 20 ms, under
// Node, through the built package (www/pkg). Prints figures; asserts nothing about speed.
//
//   node crates/raft-wasm/bench/advance.mjs [runs]
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";

const pkg = new URL("../../../www/pkg/", import.meta.url);
const { default: init, Simulation } = await import(new URL("raft_wasm.js", pkg));
const bytes = await readFile(new URL("raft_wasm_bg.wasm", pkg));
await init({ module_or_path: bytes });

const runs = Number(process.argv[2] ?? 3);
const times = [];
for (let run = 0; run < runs; run++) {
  const sim = new Simulation({ nodes: 5, seed: 7 + run, clientWriteEveryMs: 20 });
  const started = performance.now();
  const events = sim.advance(60_000);
  const ms = performance.now() - started;
  times.push(ms);
  const t0 = performance.now();
  const state = sim.state();
  const stateMs = performance.now() - t0;
  const committed = Math.max(...state.nodes.map((n) => n.commitIndex));
  console.log(
    `run ${run + 1}: advance(60000) ${ms.toFixed(0)} ms, ${events.length} events returned, ` +
      `${sim.eventsTotal()} processed, commitIndex ${committed}, state() ${stateMs.toFixed(2)} ms, ` +
      `check ok=${sim.check().ok}`,
  );
  sim.free();
}
times.sort((a, b) => a - b);
console.log(
  `advance(60000), 5 nodes, client every 20 ms: median ${times[Math.floor(runs / 2)].toFixed(0)} ms, ` +
    `best ${times[0].toFixed(0)} ms over ${runs} runs`,
);
