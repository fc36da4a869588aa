// Benchmark: the simulator's speed in wasm under Node, through a built package. The workload of
// issue 16: 5 nodes, a client writing every 20 ms, 60 simulated seconds, timed three ways:
//   seek(60000)      replaying unseen (no events returned), as a link replays or a seek jumps;
//   advance(60000)   one call returning every event;
//   play in 16 ms    advance(16) slices, as the page plays it.
// Prints figures; asserts nothing about speed.
//
//   node crates/raft-wasm/bench/advance.mjs [runs] [--base DIR] [--cpu]
//
// With `--base DIR` (a www/pkg built from another checkout, e.g. a git worktree of the
// baseline) both packages run in this one process, interleaved, and the ratios are printed:
// the machine's load changes from minute to minute, so only a side-by-side run compares.
// `--cpu` times each call by the process's CPU time instead of the wall clock: on a machine
// busy with other work, the time this process was not running stays out of the figures.
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const baseAt = args.indexOf("--base");
const baseDir = baseAt >= 0 ? args.splice(baseAt, 2)[1] : null;
const cpuAt = args.indexOf("--cpu");
if (cpuAt >= 0) args.splice(cpuAt, 1);
if (baseAt >= 0 && !baseDir) throw new Error("--base needs the folder of a built package");
const runs = Number(args[0] ?? 3);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a whole number >= 1, got ${args[0]}`);

async function load(dir) {
  const { default: init, Simulation } = await import(new URL("raft_wasm.js", dir));
  await init({ module_or_path: await readFile(new URL("raft_wasm_bg.wasm", dir)) });
  return Simulation;
}

const packages = [["this", await load(new URL("../../../www/pkg/", import.meta.url))]];
if (baseDir) {
  packages.unshift(["base", await load(pathToFileURL(`${baseDir.replace(/\/$/, "")}/`))]);
}

const SIM_MS = 60_000;
const config = (run) => ({ nodes: 5, seed: 7 + run, clientWriteEveryMs: 20 });

function time(fn) {
  if (cpuAt >= 0) {
    const started = process.cpuUsage();
    const out = fn();
    const used = process.cpuUsage(started);
    return [(used.user + used.system) / 1000, out];
  }
  const started = performance.now();
  const out = fn();
  return [performance.now() - started, out];
}

const ways = {
  "seek(60000)": (Simulation, run) => {
    const sim = new Simulation(config(run));
    const [ms] = time(() => sim.seek(SIM_MS));
    const hash = sim.traceHash();
    sim.free();
    return [ms, hash];
  },
  "advance(60000)": (Simulation, run) => {
    const sim = new Simulation(config(run));
    const [ms] = time(() => sim.advance(SIM_MS));
    const hash = sim.traceHash();
    sim.free();
    return [ms, hash];
  },
  "play in 16 ms slices": (Simulation, run) => {
    const sim = new Simulation(config(run));
    const [ms] = time(() => {
      for (let t = 0; t < SIM_MS; t += 16) sim.advance(Math.min(16, SIM_MS - t));
    });
    const hash = sim.traceHash();
    sim.free();
    return [ms, hash];
  },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`5 nodes, a client writing every 20 ms, ${SIM_MS / 1000} simulated s; median of ${runs} runs`);
for (const [way, fn] of Object.entries(ways)) {
  const times = Object.fromEntries(packages.map(([name]) => [name, []]));
  for (let run = 0; run < runs; run++) {
    const hashes = new Set();
    for (const [name, Simulation] of packages) {
      const [ms, hash] = fn(Simulation, run);
      times[name].push(ms);
      hashes.add(String(hash));
    }
    // Both builds must simulate the same run, or the comparison means nothing.
    if (hashes.size > 1) console.log(`  note: run ${run + 1} traced differently in the two builds`);
  }
  const line = packages.map(([name]) => {
    const ms = median(times[name]);
    return `${name} ${ms.toFixed(0)} ms (${(SIM_MS / ms).toFixed(0)} simulated s per ${cpuAt >= 0 ? "CPU" : "wall"} s)`;
  });
  if (baseDir) line.push(`${(median(times.base) / median(times.this)).toFixed(2)}x`);
  console.log(`${way}: ${line.join(", ")}`);
}
