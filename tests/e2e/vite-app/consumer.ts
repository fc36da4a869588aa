// Not built: bundler.spec.mjs type-checks it with tsc against the installed package, as a
// TypeScript user's code would see it (the types are found through package.json `exports`).
import 'raft-playground';
import type { RaftPlaygroundAttributes } from 'raft-playground';
import init, { Simulation } from 'raft-playground/api';

await init();
const sim: Simulation = new Simulation({ nodes: 3, seed: 7 });
const leader: number | null = sim.leader();
const link: string = sim.toLink();
const element = document.createElement('raft-playground');
element.setLang('zh');
element.addEventListener('raft-lang', (e) => console.log(e.detail.lang, leader, link));
const attributes: RaftPlaygroundAttributes = { nodes: 3, controls: 'minimal', 'wasm-url': '/raft_wasm_bg.wasm' };
// @ts-expect-error: `controls` takes full, minimal or none only.
const wrong: RaftPlaygroundAttributes = { controls: 'some' };
console.log(attributes, wrong);
