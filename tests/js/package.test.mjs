// The npm package's hand-written parts (npm/) against what they describe: the element's
// attributes, the recipes on docs.html, the iframe-sizing line and the files `exports` names.
// The package itself is built and used in a browser by tests/e2e/bundler.spec.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { IFRAME_RESIZE_SNIPPET } from "../../web/share.js";

const root = new URL("../../", import.meta.url);
const read = (path) => readFile(new URL(path, root), "utf8");
const readme = await read("npm/README.md");

test("every attribute the element reads is typed in index.d.ts and listed in the npm README", async () => {
  const element = await read("web/raft-playground.js");
  const names = new Set([...element.matchAll(/this\.(?:get|has)Attribute\('([\w-]+)'\)/g)].map((m) => m[1]));
  assert.ok(names.has("nodes") && names.has("wasm-url"), `read from the element: ${[...names]}`);
  const types = await read("npm/index.d.ts");
  const typed = types.slice(types.indexOf("interface RaftPlaygroundAttributes"), types.indexOf("export declare class"));
  for (const name of names) {
    assert.match(typed, new RegExp(`^\\s+"?${name}"?\\?:`, "m"), `${name} in RaftPlaygroundAttributes`);
    assert.ok(readme.includes(`| \`${name}\` |`), `${name} in the README's attribute table`);
  }
});

test("the recipes on docs.html are the npm README's, word for word", async () => {
  const docs = await read("www/docs.html");
  const recipes = [...docs.matchAll(/<code[^>]*data-recipe="([\w-]+)"[^>]*>([\s\S]*?)<\/code>/g)];
  assert.deepEqual(recipes.map((m) => m[1]), ["cors", "vite", "vite-dev", "vitepress", "react", "mdbook"]);
  for (const [, name, html] of recipes) {
    const code = html.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
    assert.ok(readme.includes(code), `recipe ${name} is in npm/README.md:\n${code}`);
  }
});

test("the npm README shows the iframe-sizing line the site ships", () => {
  assert.ok(readme.includes(IFRAME_RESIZE_SNIPPET));
});

test("every file the package exports exists in the repository or the wasm build", async () => {
  const manifest = JSON.parse(await read("npm/package.json"));
  /** Package path -> where the file comes from (xtask/src/pack.rs copies it). */
  const source = (path) => path.replace(/^\.\/lib\//, "web/").replace(/^\.\/pkg\//, "www/pkg/").replace(/^\.\/(index\.d\.ts|package\.json)$/, "npm/$1");
  const targets = Object.values(manifest.exports).flatMap((t) => (typeof t === "string" ? [t] : Object.values(t)));
  assert.ok(targets.includes("./lib/raft-playground.js") && targets.includes("./pkg/raft_wasm.js"));
  for (const target of [...targets, manifest.types]) {
    assert.ok(existsSync(new URL(source(target), root)), `${target} (from ${source(target)})`);
  }
});
