// The Vite recipe of npm/README.md: one import defines <raft-playground>, the other is the
// simulation's API. Vite copies the wasm (found with new URL(..., import.meta.url)) by itself.
import 'raft-playground';
import init, { Simulation } from 'raft-playground/api';

init().then(() => {
  const sim = new Simulation({ nodes: 3, seed: 7 });
  sim.advance(2000);
  document.getElementById('api').textContent = `leader after 2000 ms: S${sim.leader()}`;
});
