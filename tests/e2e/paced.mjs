// @ts-check
// Frames at a fixed pace, for the figures of the page's cost (embeds.spec.mjs, embeds-ab.mjs).
// Not a spec itself (playwright.config.mjs only picks up *.spec.mjs).

/**
 * An init script (`page.addInitScript(installPacedFrames)`): installed before the page loads, it
 * holds the animation-frame callbacks of the page while `__paced.on` and runs them on
 * `__tick()`, each time with a timestamp 1/60 s later, then lets the browser draw that frame.
 * So every measured frame covers exactly 16.7 ms of wall time for the simulation, as at 60 fps
 * (on a loaded machine real frames come late and each covers more simulated time).
 */
export function installPacedFrames() {
  const w = /** @type {any} */ (window);
  const raf = window.requestAnimationFrame.bind(window);
  const caf = window.cancelAnimationFrame.bind(window);
  /** @type {Map<number, FrameRequestCallback>} */
  let held = new Map();
  let next = 1e9;
  w.__paced = { on: false, wall: 0 };
  window.requestAnimationFrame = (cb) => {
    if (!w.__paced.on) return raf(cb);
    held.set(++next, cb);
    return next;
  };
  window.cancelAnimationFrame = (id) => (held.delete(id) ? undefined : caf(id));
  w.__tick = async () => {
    const due = [...held.values()];
    held = new Map();
    w.__paced.wall += 1000 / 60;
    for (const cb of due) cb(w.__paced.wall);
    // The next real frame draws what these callbacks changed.
    await new Promise((done) => raf(() => done(null)));
  };
  w.__unpace = () => {
    w.__paced.on = false;
    const due = [...held.values()];
    held = new Map();
    for (const cb of due) raf(cb);
  };
}
