// @ts-check
// The two origins of the e2e suite. The site (www/) is served on PORT; a second server on
// HOST_PORT plays a documentation site on another host: it serves HOST_DIR, where the specs put
// the Vite build of the npm package and the pages that embed the site cross-origin.
// Not a spec itself (playwright.config.mjs only picks up *.spec.mjs).
import { mkdirSync } from 'node:fs';

export const PORT = Number(process.env.E2E_PORT ?? 8123);
/** Ten above PORT, so each engineer's pair of ports stays apart from the others'. */
export const HOST_PORT = PORT + 10;
export const SITE = `http://127.0.0.1:${PORT}`;
export const HOST = `http://127.0.0.1:${HOST_PORT}`;
/** Served on HOST_PORT; git-ignored build output like the rest of target/. */
export const HOST_DIR = 'target/e2e-host';
mkdirSync(HOST_DIR, { recursive: true });
