// Benchmark: seeks to random times in a busy run, in wasm under Node, through the built package
// (www/pkg). The run: 9 nodes, 10% loss, 4 clients (or --clients N) writing every 20 ms, played in 1 s steps as
// the page plays it. Prints the seek distribution and the wasm memory; asserts nothing.
//
//   node crates/raft-wasm/bench/seek.mjs [minutes...] [--base DIR] [--clients N]    (default: 1 10 60, 4)
//
// Since clients wait for each answer (issue 17), 4 clients commit about 500 entries a minute here
// where they used to commit about 2800; `--clients 16` comes closest to the old density (about 2000).
//
// With `--base DIR` (a www/pkg built from another checkout, e.g. a git worktree of the
// baseline) each duration runs with both packages, one after the other, so one run compares.
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
function option(name) {
  const at = args.indexOf(name);
  if (at < 0) return null;
  const [, value] = args.splice(at, 2);
  if (!value) throw new Error(`${name} needs the folder of a built package`);
  return pathToFileURL(`${value.replace(/\/$/, "")}/`).href;
}
const baseDir = option("--base");
const clientsAt = args.indexOf("--clients");
const clients = clientsAt < 0 ? 4 : Number(args.splice(clientsAt, 2)[1]);
if (!(clients >= 1)) throw new Error("--clients needs a number of clients (1 to 16)");
const pkgDir = option("--pkg");
const minutesList = args.map(Number);
if (minutesList.length === 0) minutesList.push(1, 10, 60);
for (const m of minutesList) {
  if (!(m > 0)) throw new Error(`minutes must be positive numbers, got ${args.join(" ")}`);
}
const thisPkg = new URL("../../../www/pkg/", import.meta.url).href;
// Wasm memory only grows, so each duration (and each package) runs in a process of its own.
if (minutesList.length > 1 || (baseDir && !pkgDir)) {
  const { execFileSync } = await import("node:child_process");
  const self = new URL(import.meta.url).pathname;
  for (const m of minutesList) {
    const runs = baseDir ? [["base", baseDir], ["this", thisPkg]] : [["this", pkgDir ?? thisPkg]];
    for (const [name, dir] of runs) {
      if (baseDir) process.stdout.write(`${name}: `);
      execFileSync(process.execPath, [self, String(m), "--pkg", new URL(dir).pathname, "--clients", String(clients)], {
        stdio: "inherit",
      });
    }
  }
  process.exit(0);
}
const pkg = new URL(pkgDir ?? thisPkg);
const { default: init, Simulation } = await import(new URL("raft_wasm.js", pkg));
const bytes = await readFile(new URL("raft_wasm_bg.wasm", pkg));
const wasm = await init({ module_or_path: bytes });

const SEEKS = 60;

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
  const sim = new Simulation({ nodes: 9, seed: 1, lossPct: 10, clients, clientWriteEveryMs: 20 });
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
  const commit = Math.max(...sim.state().nodes.map((n) => n.commitIndex));
  const times = [];
  // CPU time too: on a shared machine the wall time of one seek is mostly other processes.
  const cpuTimes = [];
  for (const t of targets(endMs, SEEKS)) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    sim.seek(t);
    const cpu = process.cpuUsage(cpuStarted);
    times.push(performance.now() - started);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  const spread = (xs) => {
    xs.sort((a, b) => a - b);
    return `median ${pct(xs, 0.5).toFixed(1)} ms, p90 ${pct(xs, 0.9).toFixed(1)} ms, max ${xs[xs.length - 1].toFixed(1)} ms`;
  };
  console.log(
    `${minutes} min, ${clients} clients (${SEEKS} seeks): wall ${spread(times)}; CPU ${spread(cpuTimes)}; ` +
      `wasm memory ${mb(wasm.memory.buffer.byteLength)}; played in ${(playMs / 1000).toFixed(1)} s, ` +
      `commitIndex ${commit} at the end`,
  );
  sim.free();
}
