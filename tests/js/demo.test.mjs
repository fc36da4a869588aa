// www/demo.html in headless Chromium: it loads the package, prints a leader before and after a
// crash, and logs no errors. Served by a throwaway static server (wasm needs application/wasm).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { chromium } from "playwright-core";

const www = new URL("../../www/", import.meta.url);
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

test("the demo page prints a leader, then a new one after the crash", async () => {
  const server = createServer(async (req, res) => {
    try {
      const path = new URL(`.${new URL(req.url, "http://x").pathname}`, www);
      if (!path.href.startsWith(www.href)) throw new Error("outside www");
      const body = await readFile(path);
      res.writeHead(200, { "content-type": TYPES[extname(path.pathname)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (err) => errors.push(String(err)));
    page.on("console", (msg) => msg.type() === "error" && errors.push(msg.text()));
    const base = `http://127.0.0.1:${server.address().port}/demo.html`;
    await page.goto(`${base}?seed=42`);
    await page.waitForFunction(() => /checkers|no leader/.test(document.getElementById("out").textContent));
    const text = await page.textContent("#out");
    assert.match(text, /after 2000 ms the leader is S\d/);
    assert.match(text, /after 5000 ms the leader is S\d \(term \d+\)/);
    assert.match(text, /checkers: ok/);
    assert.match(text, /^seed 42$/m);
    // A bad seed in the URL is reported on the page, not thrown at the console.
    await page.goto(`${base}?seed=-1`);
    await page.waitForFunction(() => document.getElementById("out").textContent.includes("Error"));
    assert.match(await page.textContent("#out"), /RangeError: new Simulation: config\.seed/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});
