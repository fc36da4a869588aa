// Types of `import 'raft-playground'`: importing the package defines the <raft-playground>
// element (once per page). The simulation's own API and its types are in 'raft-playground/api'.

/** The attributes <raft-playground> reads. Every one is optional; all are strings in HTML. */
export interface RaftPlaygroundAttributes {
  /** Cluster size, 1 to 9 (default 5). */
  nodes?: number | string;
  /** The seed that decides every timeout, delay and loss (default: random). */
  seed?: number | string;
  /** A share link's payload (`v1.…`): replays that run, paused at the moment it was shared. */
  link?: string;
  /** `full`, `minimal` (time, faults, client) or `none` (just the animation). Default `full`. */
  controls?: "full" | "minimal" | "none";
  /** Present: start playing once loaded. */
  autoplay?: boolean | "";
  /** Simulated ms per real ms, 0.001 to 100 (default 0.02). */
  speed?: number | string;
  /** `en` or `zh` (default: the reader's browser language). */
  lang?: "en" | "zh";
  /** A CSS length (`600px`, `80vh`, …); the element scrolls inside it. Default: its content's height. */
  height?: string;
  /** `light` or `dark` (default: the reader's setting). */
  theme?: "light" | "dark";
  /** Present: read a run from the page's `#link=…` fragment, and follow later changes to it. */
  "share-hash"?: boolean | "";
  /** A guided scenario to open, by id. */
  scenario?: string;
  /** A lesson to open, by id (docs/LESSONS.md); it opens at its introduction. */
  lesson?: string;
  /** With `lesson`: open paused at this step, counted from 1. */
  "lesson-step"?: string;
  /** A title shown above the cluster. */
  "scenario-title"?: string;
  /** Where `raft_wasm_bg.wasm` is, when the page hosts it apart from the library. */
  "wasm-url"?: string;
}

/** The element class; `customElements.get('raft-playground')` returns it. */
export declare class RaftPlayground extends HTMLElement {
  /** Milliseconds from navigation start until the first run was drawn (0 until then). */
  readonly readyAtMs: number;
  /** Switch the language; fires `raft-lang`. */
  setLang(lang: "en" | "zh"): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "raft-playground": RaftPlayground;
  }
  interface HTMLElementEventMap {
    /** The first run is drawn (bubbles out of the shadow root). */
    "raft-ready": CustomEvent<undefined>;
    /** The reader switched the language. */
    "raft-lang": CustomEvent<{ lang: "en" | "zh" }>;
  }
}
