// The package as a user gets it: build, `npm pack`, install the tarball into a scratch
// project, and use it by name from plain Node ESM, CommonJS, a strict NodeNext TypeScript
// project, a browser page bundled by esbuild and run in headless Chromium, and the `recurrent`
// command. Nothing here reads the checkout's sources: a missing file in `files`, a `.ts`
// specifier left in a `.d.ts`, a Node import reaching the browser entry or a bin that needs tsx
// fails here. The scratch project installs the tarball's dependencies from npm's cache (filled
// by `npm ci`), falling back to the registry. Set PACK_TEST_SCREENSHOT=FILE.png to keep a
// screenshot of the browser page, PACK_TEST_KEEP=1 to keep the scratch project. Without Chromium (/usr/bin/chromium, `apt-get install -y
// chromium`) the browser part is skipped, except in CI (CI=true), where it fails.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";
import { chromium } from "playwright-core";

const ROOT = resolve(import.meta.dirname, "../..");
const CHROMIUM = "/usr/bin/chromium";
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; version: string; devDependencies: Record<string, string> };

/** The environment for nested npm and node calls: none of the calling npm's per-script variables
 *  (npm test sets npm_config_local_prefix, npm_package_*, ...), which would point a nested npm
 *  back at the checkout; the cache and registry settings stay. RECURRENT_SOURCE is dropped too. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === "RECURRENT_SOURCE") continue;
    if (k.toLowerCase().startsWith("npm_") && !/^npm_config_(cache|registry|userconfig)$/i.test(k)) continue;
    env[k] = v;
  }
  return env;
}

function run(cmd: string, args: string[], opts: SpawnSyncOptions & { cwd: string }): { stdout: string; stderr: string; ms: number } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", env: cleanEnv(), timeout: 120_000, ...opts });
  const ms = performance.now() - t0;
  const out = { stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? ""), ms };
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")} (in ${opts.cwd}) exited ${r.status}${r.error ? ` (${r.error.message})` : ""}\n${out.stdout}\n${out.stderr}`);
  return out;
}

// One tiny model, run the same way by every consumer (`lib` is the package's exports): an LSTM
// forward on the reference and on the WebAssembly backend, and a short training run.
const BODY = `
  function forward(lib) {
    const m = new lib.Sequence({ cell: "lstm", input: 3, hidden: 5, output: 2 });
    lib.initialize(m, new lib.Rng(7), "glorot");
    const T = 4, B = 2;
    const x = new Float32Array(T * B * 3).map((_, i) => Math.sin(i));
    return { model: m, x, T, B, out: Array.from(m.forward(x, T, B).out) };
  }
  function tiny(lib) {
    const atLoad = lib.defaultBackend();           // what importing the package installed
    lib.useReferenceBackend();
    const reference = forward(lib);
    lib.useFastBackend();
    const fast = forward(lib);
    const rng = new lib.Rng(3);
    const m = new lib.Sequence({ cell: "gru", input: 2, hidden: 8, output: 1 });
    lib.initialize(m, rng, "glorot");
    const tr = new lib.Trainer(m, { loss: "mse", optimizer: lib.makeOptimizer("adam", { lr: 0.02 }) });
    const x = new Float32Array(6 * 4 * 2).map(() => rng.normal());
    const y = new Float32Array(6 * 4).map((_, k) => Math.sin(k));
    const losses = [];
    for (let i = 0; i < 40; i++) losses.push(tr.trainStep({ x, T: 6, B: 4, targets: y }).loss);
    lib.useReferenceBackend();
    return { atLoad, name: reference.model.toString(), reference: reference.out, fast: fast.out, firstLoss: losses[0], lastLoss: losses[39], keep: reference };
  }
`;

interface Tiny { atLoad: { name: string }; name: string; reference: number[]; fast: number[]; firstLoss: number; lastLoss: number }

function checkTiny(r: Tiny, where: string): void {
  assert.match(r.atLoad.name, /^wasm-(relaxed-)?simd$/, `${where}: fast by default (the WebAssembly backend is installed on import, with FMA where the host runs relaxed SIMD)`);
  assert.match(r.name, /^LSTM\(3 => 5\) => 2 linear\s+# 212 parameters$/, where);
  assert.equal(r.reference.length, 4 * 2 * 2, where);
  assert.ok(r.reference.every(Number.isFinite), `${where}: finite outputs`);
  for (let i = 0; i < r.reference.length; i++) assert.ok(Math.abs(r.reference[i] - r.fast[i]) < 1e-5, `${where}: fast backend agrees with the reference at ${i}`);
  assert.ok(r.lastLoss < r.firstLoss * 0.5, `${where}: training lowers the loss (${r.firstLoss} → ${r.lastLoss})`);
}

function closeArrays(a: number[], b: number[], where: string): void {
  assert.equal(a.length, b.length, where);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-6 * Math.max(1, Math.abs(b[i])), `${where}: ${a[i]} vs ${b[i]} at ${i}`);
}

describe("the packed package, installed into a scratch project", { timeout: 240_000 }, () => {
  let work = "";      // temp root: the tarball and the scratch project
  let app = "";       // the scratch project
  let tarball = "";
  let files: { path: string; size: number }[] = [];
  let packedSize = 0;
  let nodeResult: Tiny | null = null;

  before(() => {
    work = mkdtempSync(join(tmpdir(), "recurrent-pack-"));
    // The build (skipped when dist/ is newer than every source), then a pack without scripts.
    run(process.execPath, ["scripts/build.mjs"], { cwd: ROOT });
    const packed = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: ROOT });
    const info = (JSON.parse(packed.stdout) as { filename: string; size: number; files: { path: string; size: number }[] }[])[0];
    tarball = join(work, info.filename);
    files = info.files;
    packedSize = info.size;
    app = join(work, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "scratch-app", version: "1.0.0", private: true, type: "module" }, null, 2));
    // The tarball and the same @types/node the checkout uses (for the TypeScript project).
    const inst = run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball, `@types/node@${pkg.devDependencies["@types/node"]}`], { cwd: app });
    console.error(`pack test: tarball ${(packedSize / 1024).toFixed(0)} KiB, ${files.length} files; npm install into the scratch project ${(inst.ms / 1000).toFixed(1)} s`);
  });

  after(() => {
    if (!work) return;
    if (process.env.PACK_TEST_KEEP === "1") console.error(`pack test: kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  });

  it("npm pack holds the build, the bin and the tour's data: no sources, tests, images or dev files, well under 1 MB", () => {
    const paths = files.map((f) => f.path);
    assert.ok(packedSize < 1_000_000, `packed ${packedSize} bytes`);
    for (const p of ["package.json", "README.md", "bin/recurrent.mjs", "dist/index.js", "dist/index.d.ts", "dist/browser.js", "dist/browser.d.ts", "dist/cli/main.js", "data/tinyshakespeare-100k.txt"]) {
      assert.ok(paths.includes(p), `${p} is packed`);
    }
    const unwanted = paths.filter((p) => /^(test|bench|docs|scripts|src|\.ci)\//.test(p) || /\.(png|jpe?g|svg|wasm|tsbuildinfo)$/.test(p) || (p.endsWith(".ts") && !p.endsWith(".d.ts")) || p === "dist/.built");
    assert.deepEqual(unwanted, []);
    const installed = join(app, "node_modules", pkg.name);
    assert.equal(existsSync(join(installed, "src")), false);
    assert.equal(JSON.parse(readFileSync(join(installed, "package.json"), "utf8")).version, pkg.version);
    // No dev tool came along with the package.
    for (const dev of ["tsx", "esbuild", "typescript", "onnxruntime-node", "@tensorflow/tfjs", "brain.js", "assemblyscript"]) {
      assert.equal(existsSync(join(app, "node_modules", dev)), false, `${dev} installed for a user`);
    }
  });

  it("plain Node ESM: import { Sequence, ... } from \"recurrent\" runs a model forward (reference, WebAssembly, two threads), trains, and saves and loads a model directory", () => {
    writeFileSync(join(app, "main.mjs"), `import * as lib from "recurrent";
import { saveModel, loadModel } from "recurrent";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
${BODY}
const r = tiny(lib);
// The worker-thread backend: its workers run plain JavaScript, so they start from the package too.
const fb = lib.useFastBackendNode({ threads: 2 });
r.threadsReady = await lib.threadsReady(fb);
r.threaded = forward(lib).out;
lib.useReferenceBackend();
const dir = mkdtempSync(join(tmpdir(), "recurrent-app-model-"));
saveModel(dir, r.keep.model);
const loaded = loadModel(dir).model;
r.reloaded = Array.from(loaded.forward(r.keep.x, r.keep.T, r.keep.B).out);
rmSync(dir, { recursive: true });
delete r.keep;
console.log(JSON.stringify(r));
`);
    const out = run(process.execPath, ["main.mjs"], { cwd: app });
    const r = JSON.parse(out.stdout) as Tiny & { reloaded: number[]; threadsReady: boolean; threaded: number[] };
    checkTiny(r, "node esm");
    assert.equal(r.atLoad.name, "wasm-relaxed-simd", "node esm: FMA by default (the Node entry lets Node 20 validate relaxed SIMD first)");
    assert.equal(r.threadsReady, true, "the worker threads started");
    closeArrays(r.threaded, r.fast, "two threads against one");
    assert.deepEqual(r.reloaded, r.reference, "a saved and loaded model gives the same outputs");
    assert.equal(out.stderr, "");
    nodeResult = r;
  });

  it("the README's library example (examples/quickstart.mjs) runs as written: fit() lowers the validation loss, generate() writes text", () => {
    mkdirSync(join(app, "data"), { recursive: true });
    copyFileSync(join(ROOT, "examples", "quickstart.mjs"), join(app, "quickstart.mjs"));
    copyFileSync(join(ROOT, "data", "tinyshakespeare-100k.txt"), join(app, "data", "tinyshakespeare-100k.txt"));
    const out = run(process.execPath, ["quickstart.mjs"], { cwd: app });
    assert.match(out.stdout, /^LSTM\(\d+ => 128\) => \d+ softmax {2}# [\d,]+ parameters\n/);
    const vals = [...out.stdout.matchAll(/^epoch (\d): train [\d.]+, validation ([\d.]+) nats\/char$/gm)].map((m) => Number(m[2]));
    assert.equal(vals.length, 3, out.stdout);
    assert.ok(vals[2] < vals[0] && vals[2] < 2.5, `validation ${vals.join(" → ")} nats/char`);
    const tail = out.stdout.slice(out.stdout.indexOf("stopped (epochs) after 132 updates"));
    assert.ok(tail.length > 200, "a generated sample follows the summary line");
  });

  it("CommonJS: require(\"recurrent\") works on Node ≥ 20.19 (Node's require of ES modules), the same numbers as ESM", () => {
    writeFileSync(join(app, "main.cjs"), `const lib = require("recurrent");\n${BODY}\nconst r = tiny(lib); delete r.keep; console.log(JSON.stringify(r));\n`);
    const [major, minor] = process.versions.node.split(".").map(Number);
    if (major === 20 && minor < 19) {
      const r = spawnSync(process.execPath, ["main.cjs"], { cwd: app, encoding: "utf8", env: cleanEnv() });
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /ERR_REQUIRE_ESM/);
      return;
    }
    const out = run(process.execPath, ["main.cjs"], { cwd: app });
    const r = JSON.parse(out.stdout) as Tiny;
    checkTiny(r, "commonjs");
    if (nodeResult) assert.deepEqual(r.reference, nodeResult.reference);
  });

  it("a strict NodeNext TypeScript project (skipLibCheck false) type-checks against the package's declarations", () => {
    // lib "DOM" (TypeScript's default when `lib` is not set) for the WebAssembly namespace, which
    // the fast backend's types name (FastBackend's heap memory) and @types/node 20 lacks.
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({
      compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, skipLibCheck: false, noEmit: true, types: ["node"], lib: ["ES2022"] },
      files: ["typed.ts"],
    }, null, 2));
    writeFileSync(join(app, "typed.ts"), `import { Sequence, initialize, Rng, Trainer, makeOptimizer, saveModel, loadModel, useFastBackendNode, type ModelConfig, type SavedModel, type FastBackend } from "recurrent";
import { Sequence as BrowserSequence, paramCount } from "recurrent/browser";
import { main } from "recurrent/cli";

const config: Partial<ModelConfig> = { cell: "gru", input: 2, hidden: 3, output: 1 };
const model: Sequence = new Sequence(config);
initialize(model, new Rng(1), "pytorch");
const out: Float32Array | Float64Array = model.forward(new Float32Array(2 * 1 * 2), 2, 1).out;
const trainer = new Trainer(model, { loss: "mse", optimizer: makeOptimizer("adam", { lr: 0.01 }) });
const loss: number = trainer.trainStep({ x: new Float32Array(4), T: 2, B: 1, targets: new Float32Array(2) }).loss;
const count: number = paramCount(model.config);
const same: boolean = model instanceof BrowserSequence;
export function roundTrip(dir: string): SavedModel { saveModel(dir, model); return loadModel(dir); }
export function fast(): FastBackend { return useFastBackendNode({ threads: 1 }); }
export const exitCode: Promise<number> = main(["--version"]);
// The declarations are real types, not any: a wrong cell is an error.
// @ts-expect-error "transformer" is not a CellKind
new Sequence({ cell: "transformer", input: 2, hidden: 3 });
export { out, loss, count, same };
`);
    run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: app });
  });

  it("a browser page bundled by esbuild from \"recurrent\" (the browser entry) runs a model in headless Chromium, equal to Node", async (t) => {
    writeFileSync(join(app, "page.js"), `import * as lib from "recurrent";
${BODY}
let result;
try { result = tiny(lib); delete result.keep; } catch (e) { result = { error: String(e && e.stack || e) }; }
window.result = result;
document.getElementById("out").textContent = result.error ?? [
  "recurrent in the browser: " + result.name,
  "outputs (reference backend): " + result.reference.slice(0, 4).map((v) => v.toFixed(5)).join(", ") + ", ...",
  "outputs (WebAssembly backend): " + result.fast.slice(0, 4).map((v) => v.toFixed(5)).join(", ") + ", ...",
  "GRU training loss: " + result.firstLoss.toFixed(4) + " → " + result.lastLoss.toFixed(4),
].join("\\n");
`);
    const bundled = await build({ entryPoints: [join(app, "page.js")], bundle: true, platform: "browser", format: "esm", outfile: join(app, "public/page.js"), metafile: true, logLevel: "silent", absWorkingDir: app });
    const inputs = Object.keys(bundled.metafile.inputs);
    assert.ok(inputs.includes("node_modules/recurrent/dist/browser.js"), "the bundler took the browser entry");
    assert.equal(inputs.filter((p) => p.includes("dist/io/model-dir") || p.includes("threads-node")).length, 0, "no Node-only module in the bundle");
    writeFileSync(join(app, "public/index.html"), `<!doctype html><html><head><meta charset="utf-8"><title>recurrent</title></head>
<body style="font: 16px monospace; margin: 2em"><pre id="out">running…</pre><script type="module" src="page.js"></script></body></html>`);
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI === "true") assert.fail(`${CHROMIUM} is missing in CI: .ci/run installs it (apt-get install -y chromium)`);
      t.skip(`no ${CHROMIUM}: apt-get install -y chromium to run the browser half of this test`);
      return;
    }
    // A page as a user serves it: over HTTP on the loopback interface (Chromium runs no module
    // script from file://).
    const server = createServer((req, res) => {
      const name = req.url === "/page.js" ? "page.js" : "index.html";
      res.writeHead(200, { "content-type": name.endsWith(".js") ? "text/javascript" : "text/html" });
      res.end(readFileSync(join(app, "public", name)));
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const port = (server.address() as AddressInfo).port;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
      await page.goto(`http://127.0.0.1:${port}/index.html`);
      await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, { timeout: 30_000 })
        .catch((e: Error) => assert.fail(`the page reported no result: ${e.message}\n${errors.join("\n")}`));
      const r = await page.evaluate(() => (window as unknown as { result: Tiny & { error?: string } }).result);
      if (process.env.PACK_TEST_SCREENSHOT) await page.screenshot({ path: process.env.PACK_TEST_SCREENSHOT });
      assert.equal(r.error, undefined, r.error);
      assert.deepEqual(errors, []);
      checkTiny(r, "chromium");
      if (nodeResult) {
        closeArrays(r.reference, nodeResult.reference, "chromium vs node, reference backend");
        closeArrays(r.fast, nodeResult.fast, "chromium vs node, WebAssembly backend");
      }
    } finally {
      await browser.close();
      server.close();
    }
  });

  it("the installed `recurrent` command runs the built JavaScript: --version, --help, and the tour on the shipped text", () => {
    const bin = join(app, "node_modules/.bin/recurrent");
    assert.equal(run("npx", ["--no", "--", "recurrent", "--version"], { cwd: app }).stdout.trim(), pkg.version);
    assert.equal(run(bin, ["-V"], { cwd: app }).stdout.trim(), pkg.version);
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const h = run(bin, ["--help"], { cwd: app });
      assert.match(h.stdout, /Usage: recurrent/);
      best = Math.min(best, h.ms);
    }
    console.error(`pack test: installed \`recurrent --help\` ${best.toFixed(0)} ms (fastest of 3)`);
    const tour = run(bin, ["tour", "--seconds", "1", "--cells", "elman", "--hidden", "8", "--seq", "8", "--batch", "4"], { cwd: app });
    assert.match(tour.stdout, /100 kB/);
    assert.match(tour.stdout, /Summary/);
  });
});
