// Browser test of the web page served at GET /: starts the server given after "--" on a free loopback
// port, drives Debian's chromium (headless) with playwright-core, types a phrase, clicks Classify and
// checks the rendered label equals the API's answer for the same text, with bars and timing shown.
// Usage: node page_test.mjs [--chromium /usr/bin/chromium] -- SERVER_COMMAND... ({PORT} is replaced)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

function parseArgs(argv) {
  const split = argv.indexOf("--");
  if (split < 0 || split === argv.length - 1) throw new Error("usage: node page_test.mjs [--chromium PATH] -- SERVER_COMMAND...");
  const own = argv.slice(0, split);
  const chromiumIndex = own.indexOf("--chromium");
  return { chromium: chromiumIndex >= 0 ? own[chromiumIndex + 1] : "/usr/bin/chromium", server: argv.slice(split + 1) };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(base, child) {
  const deadline = Date.now() + 120000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(base + "/ready")).status === 200) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("server not ready after 120 s");
}

async function loadPlaywright() {
  try {
    return (await import("playwright-core")).chromium;
  } catch (error) {
    throw new Error(`playwright-core is not installed: run 'npm ci' in tests/web (scripts/setup.sh does) (${error.message})`);
  }
}

async function main() {
  const chromium = await loadPlaywright();
  const args = parseArgs(process.argv.slice(2));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const command = args.server.map((part) => part.replaceAll("{PORT}", String(port)));
  const child = spawn(command[0], command.slice(1), { stdio: ["ignore", "inherit", "inherit"] });
  const profile = mkdtempSync(join(tmpdir(), "fastintent-chromium-"));
  let browser;
  try {
    await waitReady(base, child);
    const phrase = "хочу подключить безлимитный интернет";
    const api = await (await fetch(base + "/v1/classify", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: phrase, top_k: 5 })
    })).json();
    const expected = api.results[0].label;

    // A fresh profile directory per run (playwright passes it to chromium as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: args.chromium,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run"],
    });
    const page = browser.pages()[0] ?? await browser.newPage();
    const consoleErrors = [];
    page.on("pageerror", (error) => consoleErrors.push(String(error)));
    await page.goto(base + "/");
    await page.waitForSelector("#model option", { state: "attached" });  // the page loaded GET /v1/models
    await page.fill("#text", phrase);
    await page.click("#classify");
    await page.waitForSelector("#result:not([hidden])", { timeout: 30000 });
    const label = (await page.textContent("#label")).trim();
    const bars = await page.locator("#bars .bar").count();
    const timing = await page.textContent("#timing");
    const failures = [];
    if (label !== expected) failures.push(`rendered label '${label}', API says '${expected}'`);
    if (bars !== Math.min(5, api.results[0].top.length)) failures.push(`${bars} bars, expected ${api.results[0].top.length}`);
    if (!/inference/.test(timing) || !/round trip/.test(timing)) failures.push(`timing not shown: '${timing}'`);

    // An example button classifies its phrase too; an empty text shows the API's error, not a crash.
    await page.click("#examples button >> nth=3");
    await page.waitForFunction(() => document.getElementById("text").value === "I want to change my tariff plan");
    await page.fill("#text", "   ");
    await page.click("#classify");
    await page.waitForFunction(() => document.getElementById("error").textContent.includes("empty_text"));
    if (consoleErrors.length) failures.push(`page errors: ${consoleErrors.join("; ")}`);

    if (failures.length) {
      console.error("FAIL:\n  " + failures.join("\n  "));
      process.exitCode = 1;
    } else {
      console.log(`page test passed: '${phrase}' -> ${label} (${bars} bars)`);
    }
  } finally {
    if (browser) await browser.close();
    child.kill("SIGTERM");
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on("exit", resolve)));
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error("FAIL:", error);
  process.exitCode = 1;
});
