// The playground end to end, in headless Chromium on the built page (vite build into a temporary
// directory, served with COOP/COEP from 127.0.0.1): training from a link for a fixed number of
// updates (an LSTM on the adding problem, a character model, a forecast) with the loss falling,
// finite gradient views, no console error and no main-thread task over 100 ms; the same numbers
// as `recurrent train` from the same seed; bad input answered in the page; the model directory
// round trip with the command line both ways; and every lesson run to its end, screenshotted
// (PLAYGROUND_SCREENSHOTS=DIR keeps the pictures and the lessons' numbers there: that is how
// docs/playground/ is made). One browser and one build for the whole file, to keep it near a minute.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { CHROMIUM, buildPage, launch, metric, ready, serve, trainTo, watchedPage, type Watched } from "./serve.ts";
import { readTar } from "../../src/formats/tar.ts";
import { loadModel } from "../../src/node/model-dir.ts";
import { getTask } from "../../src/data/tasks/index.ts";
import { asTrainerBatch, trainingFor } from "../../src/data/tasks/as-batch.ts";
import { Trainer } from "../../src/train/trainer.ts";
import { makeOptimizer } from "../../src/train/optim/index.ts";
import { useFastBackend } from "../../src/tensor/fast.ts";
import { Rng } from "../../src/rand.ts";
import { LESSONS } from "../../playground/src/lessons.ts";

const skip = !existsSync(CHROMIUM) && process.env.CI !== "true" ? `no ${CHROMIUM}: apt-get install -y chromium to run the playground's browser tests` : false;
const LONG_TASK_MS = 100;

interface CliResult { code: number; stdout: string; stderr: string }
function recurrent(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["bin/recurrent.mjs", ...args], { env: { ...process.env, RECURRENT_SOURCE: "1" } });
    let stdout = "", stderr = "";
    p.stdout.on("data", (d) => { stdout += d; });
    p.stderr.on("data", (d) => { stderr += d; });
    p.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The gradient view's numbers (data attributes the page keeps for scripts). */
async function gradientData(page: Page): Promise<{ step: number; columns: number; norms: Array<{ layer: number; state: string; norms: number[] }>; radius: number[] }> {
  return page.$eval('[data-view="gradients"]', (el) => {
    const d = (el as HTMLElement).dataset;
    return { step: Number(d.step), columns: Number(d.columns), norms: JSON.parse(d.norms ?? "[]"), radius: JSON.parse(d.radius ?? "[]") };
  });
}
async function valLoss(page: Page): Promise<{ step: number; loss: number; metrics: Record<string, number> }> {
  return page.$eval('[data-view="loss"]', (el) => {
    const d = (el as HTMLElement).dataset;
    return { step: Number(d.valStep), loss: Number(d.valLoss), metrics: JSON.parse(d.metrics ?? "{}") };
  });
}
function assertGradientsFinite(g: Awaited<ReturnType<typeof gradientData>>, T: number, what: string): void {
  assert.ok(g.norms.length >= 1, `${what}: gradient series`);
  for (const s of g.norms) {
    assert.equal(s.norms.length, T, `${what}: ‖∂L/∂${s.state}_t‖ for t = 0..T−1`);
    assert.ok(s.norms.every((x) => Number.isFinite(x) && x >= 0), `${what}: finite norms (${s.norms.slice(0, 4).join(", ")}…)`);
    assert.ok(s.norms.some((x) => x > 0), `${what}: some gradient reaches the states`);
  }
  assert.ok(g.radius.length >= 1 && g.radius.every((x) => Number.isFinite(x) && x > 0), `${what}: spectral radii ${g.radius}`);
}
/**
 * No console error, and no main-thread task over 100 ms while the page trained. Long tasks are
 * measured as the issue asks, by the page's PerformanceObserver('longtask'), which counts wall
 * clock: on a machine busy with other work (the rest of the test suite, other jobs) a task can
 * last long because the thread was not running. So each observed long task is matched with the
 * Chromium trace of the same span, which also records the CPU time of every main-thread task: a
 * long task fails the test when the page itself worked 100 ms or more in it, or when the trace
 * cannot account for it; a task that was long only by waiting for a core is reported, not failed.
 */
async function assertQuiet(w: Watched, what: string): Promise<void> {
  assert.deepEqual(w.errors, [], `${what}: console errors`);
  const r = await w.longTaskReport();
  assert.ok(!r.observed.includes(-1), `${what}: this Chromium has no longtask observer`);
  const long = r.observed.filter((d) => d > LONG_TASK_MS);
  const busy = r.traced.filter((t) => t.cpu >= LONG_TASK_MS);
  const timings = long.length || busy.length ? await w.page.evaluate(() => JSON.stringify((window as unknown as { playgroundTimings: unknown }).playgroundTimings)) : "";
  assert.deepEqual(busy.map((t) => Math.round(t.cpu)), [], `${what}: main-thread tasks with 100 ms of CPU or more (the page's slowest work, ms: ${timings})`);
  const explained = long.filter((d) => r.traced.some((t) => Math.abs(t.wall - d) <= 15 && t.cpu < LONG_TASK_MS));
  assert.deepEqual(long.filter((d) => !explained.includes(d)), [], `${what}: long tasks over ${LONG_TASK_MS} ms that the trace does not show as waiting for a core (traced: ${JSON.stringify(r.traced)}; the page's slowest work, ms: ${timings})`);
  if (explained.length) console.error(`${what}: ${explained.length} task(s) over ${LONG_TASK_MS} ms wall clock (${explained.map(Math.round).join(", ")} ms) spent under ${LONG_TASK_MS} ms of CPU each: the machine was busy, not the page (traced: ${JSON.stringify(r.traced.map((t) => [Math.round(t.wall), Math.round(t.cpu)]))})`);
}
async function download(page: Page, dir: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click('[data-action="download"]')]);
  const tar = join(dir, dl.suggestedFilename());
  await dl.saveAs(tar);
  const entries = readTar(new Uint8Array(readFileSync(tar)), tar);
  for (const e of entries) { mkdirSync(join(dir, e.path, ".."), { recursive: true }); writeFileSync(join(dir, e.path), e.bytes); }
  return join(dir, entries[0].path.split("/")[0]);
}

describe("the playground in Chromium", { skip, concurrency: false }, () => {
  let browser: Browser, url: string, stop: () => void;
  const work = mkdtempSync(join(tmpdir(), "recurrent-playground-e2e-"));
  const shots = process.env.PLAYGROUND_SCREENSHOTS ?? join(work, "shots");
  const pages: Record<string, Watched> = {};
  // The command line trains the same LSTM as the first page, at the same time (another process).
  const cliDir = join(work, "cli-adding");
  const ADDING = ["--task", "adding", "--length", "20", "--cell", "lstm", "--hidden", "32", "--init", "glorot", "--lr", "0.01", "--clip", "1", "--batch", "32", "--seed", "1", "--epochs", "4"];
  let cliTrain: Promise<CliResult>;

  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing in CI: .ci/run installs it (apt-get install -y chromium)`);
    cliTrain = recurrent(["train", ...ADDING, "--json", "--out", cliDir]);
    const built = await buildPage();
    const s = await serve(built.dir);
    url = s.url;
    browser = await launch();
    stop = () => { s.server.close(); built.dispose(); };
    mkdirSync(shots, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    stop?.();
    rmSync(work, { recursive: true, force: true });
  });

  it("an LSTM learns the adding problem (T = 20) from a link: loss falls, gradients finite, no console error, no long task", async () => {
    const w = pages.adding = await watchedPage(browser);
    const q = "cell=lstm&task=adding&length=20&hidden=32&layers=1&lr=0.01&clip=1&seed=1&optimizer=adam&init=glorot&steps=200";
    await w.page.goto(`${url}?${q}`);
    await ready(w.page);
    // The link's setup is in the form and stays in the address bar.
    assert.equal(await w.page.inputValue('[name="cell"]'), "lstm");
    assert.equal(await w.page.inputValue('[name="length"]'), "20");
    assert.equal(await w.page.inputValue('[name="lr"]'), "0.01");
    const kept = new URLSearchParams(new URL(w.page.url()).search);
    for (const [k, v] of new URLSearchParams(q)) assert.equal(kept.get(k), v, `the address keeps ${k}`);
    const before = await valLoss(w.page);
    assert.equal(before.step, 0);
    await w.clearLongTasks();   // from here on: the page while it trains
    await trainTo(w.page, 200);
    const afterTraining = await valLoss(w.page);
    assert.equal(afterTraining.step, 200);
    const baseline = getTask("adding").baseline(20).loss;
    assert.ok(afterTraining.loss < before.loss / 10 && afterTraining.loss < baseline / 4, `validation MSE ${before.loss} → ${afterTraining.loss} (constant predictor ${baseline})`);
    assert.ok(await metric(w.page, "rate") > 0, "updates per second shown");
    assert.equal(await metric(w.page, "step"), 200);
    const g = await gradientData(w.page);
    assert.equal(g.step, 200, "the gradient view shows the final weights");
    assert.ok(g.columns >= 10, `a heatmap of ${g.columns} columns over training`);
    assertGradientsFinite(g, 20, "adding");
    assert.equal(g.norms.filter((s) => s.layer === 0).map((s) => s.state).join(","), "h,c");
    assert.equal(await w.page.locator('[data-view="unrolled"] canvas').count(), 6, "h, c and four gates");
    await assertQuiet(w, "adding");
    // Same seed, same options: the same run as the command line, to float32 rounding or better.
    const cli = await cliTrain;
    assert.equal(cli.code, 0, cli.stderr);
    const rows = readFileSync(join(cliDir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const at200 = rows.find((r) => r.step === 200);
    assert.ok(at200, "the CLI validated at update 200");
    assert.ok(Math.abs(at200.val_loss - afterTraining.loss) <= 1e-6 * Math.abs(at200.val_loss), `page ${afterTraining.loss} vs recurrent train ${at200.val_loss} at update 200`);
  });

  it("a character model on two threads: the loss falls from ln V, sampled text follows the temperature", async () => {
    const w = pages.charlm = await watchedPage(browser);
    await w.page.goto(`${url}?cell=gru&task=charlm&hidden=64&layers=1&lr=0.01&clip=5&seed=2&optimizer=adam&seq=32&batch=32&steps=80&threads=2`);
    await ready(w.page);
    const v0 = await valLoss(w.page);
    assert.ok(Math.abs(v0.loss - Math.log(61)) < 0.3, `untrained: about ln 61 = ${Math.log(61).toFixed(3)} nats, got ${v0.loss}`);
    await w.clearLongTasks();
    await trainTo(w.page, 80);
    const v1 = await valLoss(w.page);
    assert.ok(v1.step === 80 && v1.loss < v0.loss - 0.8, `validation ${v0.loss} → ${v1.loss} nats/char`);
    // The page is cross-origin isolated: the kernels ran on two threads, and the second one worked.
    assert.match((await w.page.textContent("[data-backend]"))!, /wasm-(relaxed-)?simd ×2/);   // FMA where the browser runs relaxed SIMD
    assert.equal(await w.page.getAttribute("[data-backend]", "data-threads-ready"), "2");
    assert.ok(Number(await w.page.getAttribute("[data-backend]", "data-chunks-by-workers")) > 0, "the worker thread computed some of the work");
    const sample = (await w.page.textContent("[data-sample]"))!;
    assert.ok(sample.length >= 300, `a sample of 300 characters after the prompt, got ${JSON.stringify(sample)}`);
    await w.page.$eval('[name="temperature"]', (el) => { (el as HTMLInputElement).value = "0"; el.dispatchEvent(new Event("change", { bubbles: true })); });
    await w.page.waitForFunction((s) => document.querySelector("[data-sample]")?.textContent !== s, sample);
    assert.match(new URL(w.page.url()).search, /temp=0(&|$)/);
    assertGradientsFinite(await gradientData(w.page), 32, "charlm");
    await assertQuiet(w, "charlm");
  });

  it("a forecast of the airline series: the validation error falls, forecasts drawn against the series", async () => {
    const w = pages.forecast = await watchedPage(browser);
    await w.page.goto(`${url}?cell=jordan&task=forecast&series=airline&hidden=16&layers=1&lr=0.01&clip=1&seed=1&optimizer=adam&steps=300`);
    await ready(w.page);
    const v0 = await valLoss(w.page);
    await w.clearLongTasks();
    await trainTo(w.page, 300);
    const v1 = await valLoss(w.page);
    assert.ok(v1.loss < v0.loss / 2, `validation MSE (scaled) ${v0.loss} → ${v1.loss}`);
    assert.ok(v1.metrics.mae < v1.metrics.naive_mae, `MAE ${v1.metrics.mae} against the naive forecast's ${v1.metrics.naive_mae}`);
    assert.match((await w.page.textContent('[data-view="output"]'))!, /Validation MAE .* against the naive forecast's/);
    assertGradientsFinite(await gradientData(w.page), 24, "forecast");
    await assertQuiet(w, "forecast");
  });

  it("bad input gets a clear message in the page, never a blank screen", async () => {
    const w = await watchedPage(browser);
    const page = w.page;
    await page.goto(`${url}?cell=lstm&task=adding&length=0&hidden=0&steps=5`);
    await ready(page);
    const messages = () => page.textContent("[data-messages]").then((t) => t ?? "");
    assert.match(await messages(), /link: sequence length: expected an integer from 1 to 200, got "0"; using 20/);
    assert.match(await messages(), /link: hidden size: expected an integer from 1 to 512, got "0"; using 32/);
    // A hidden size of 0 typed into the form: named, marked, and training waits.
    await page.fill('[name="hidden"]', "0");
    await page.dispatchEvent('[name="hidden"]', "change");
    assert.match(await messages(), /hidden size: expected an integer from 1 to 512, got "0"\. Training waits until it is fixed\./);
    assert.equal(await page.getAttribute('[name="hidden"]', "aria-invalid"), "true");
    assert.ok(await page.isDisabled('[data-action="train"]'));
    await page.fill('[name="hidden"]', "8");
    await page.dispatchEvent('[name="hidden"]', "change");
    await ready(page);
    // A pasted empty text for the character model.
    await page.selectOption('[name="task"]', "charlm");
    await ready(page);
    await page.check('input[name="textSource"][value="own"]');
    await page.waitForFunction(() => /This setup cannot be built: text: expected some text to model/.test(document.querySelector("[data-messages]")?.textContent ?? ""));
    assert.ok(await page.isDisabled('[data-action="train"]'));
    assert.ok(await page.isVisible('[data-view="loss"]'), "the views are still there");
    // Files that are not a model directory.
    const upload = async (files: Array<{ name: string; mimeType: string; buffer: Buffer }>, re: RegExp) => {
      await page.setInputFiles('[data-action="upload"]', files);
      await page.waitForFunction((src) => new RegExp(src).test(document.querySelector("[data-messages]")?.textContent ?? ""), re.source, { timeout: 10_000 })
        .catch(async () => assert.fail(`expected ${re} in the page, got: ${await messages()}`));
    };
    await upload([{ name: "photo.png", mimeType: "image/png", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47]) }], /Not loaded: upload: expected a model directory \(config\.json and model\.safetensors\) or a \.tar, got "photo\.png"/);
    await upload([{ name: "config.json", mimeType: "application/json", buffer: Buffer.from("{ not json") }], /Not loaded: upload: config\.json: expected JSON, got a parse error/);
    await upload([{ name: "model.tar", mimeType: "application/x-tar", buffer: Buffer.from("not an archive") }], /Not loaded: model\.tar: expected a tar archive \(a multiple of 512 bytes\), got 14 bytes/);
    assert.deepEqual(w.errors, [], "no uncaught error or console error");
  });

  it("model directories round-trip with the command line: page → eval, generate, forecast; recurrent train → page", async () => {
    useFastBackend();   // the page's kernels, for the recomputation below
    const dirs = { adding: "", charlm: "", forecast: "" };
    for (const k of Object.keys(dirs) as Array<keyof typeof dirs>) dirs[k] = await download(pages[k].page, mkdtempSync(join(work, `dl-${k}-`)));
    const [ev, gen, fc] = await Promise.all([
      recurrent(["eval", "--model", dirs.adding, "--json"]),
      recurrent(["generate", "--model", dirs.charlm, "--prompt", "First", "--length", "60", "--seed", "3"]),
      recurrent(["forecast", "--model", dirs.forecast, "--csv", "playground/data/airline_passengers.csv", "--horizon", "12", "--json"]),
    ]);
    assert.equal(ev.code, 0, ev.stderr);
    const evr = JSON.parse(ev.stdout);
    assert.equal(evr.task, "synthetic");
    assert.ok(evr.parts.fresh.loss < getTask("adding").baseline(20).loss / 4, `recurrent eval: MSE ${evr.parts.fresh.loss} on 1,000 fresh sequences`);
    assert.equal(gen.code, 0, gen.stderr);
    assert.ok(gen.stdout.startsWith("First") && gen.stdout.length >= 60, JSON.stringify(gen.stdout));
    assert.equal(fc.code, 0, fc.stderr);
    assert.equal(JSON.parse(fc.stdout).forecast.length, 12);
    // The weights in the file are the page's, bit for bit: the CLI's validation batch scores as the page showed.
    const saved = loadModel(dirs.adding);
    const task = getTask("adding");
    const val = asTrainerBatch(task.generate({ length: 20, batch: 512, rng: new Rng(1 + 7919) }));
    const loss = new Trainer(saved.model, { ...trainingFor(task.targetKind), optimizer: makeOptimizer("sgd") }).evaluate(val).loss;
    const shown = await valLoss(pages.adding.page);
    assert.ok(Math.abs(loss - shown.loss) <= 1e-6 * shown.loss, `the downloaded weights score ${loss}, the page showed ${shown.loss}`);
    // The other way: the directory `recurrent train` wrote (the first test's run) opens in the page.
    const page = pages.adding.page;
    const files = readdirSync(cliDir).filter((n) => /\.(json|safetensors)$/.test(n)).map((n) => join(cliDir, n));
    assert.ok(files.some((f) => f.endsWith("config.json")) && files.some((f) => f.endsWith("best.safetensors")), files.join(", "));
    await page.setInputFiles('[data-action="upload"]', files);
    await page.waitForFunction(() => /Loaded .*best\.safetensors/.test(document.querySelector("[data-messages]")?.textContent ?? ""));
    // The loaded model's own validation (update 0 of the page's count), not the earlier run's.
    await page.waitForFunction(() => (document.querySelector('[data-view="loss"]') as HTMLElement | null)?.dataset.valStep === "0");
    await ready(page);
    const best = readFileSync(join(cliDir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l)).reduce((a, r) => (r.val_loss < a.val_loss ? r : a));
    const opened = await valLoss(page);
    assert.ok(Math.abs(opened.loss - best.val_loss) <= 1e-6 * best.val_loss, `the page scores the CLI's best weights ${opened.loss}, recurrent train logged ${best.val_loss} at update ${best.step}`);
    assert.equal(await page.inputValue('[name="cell"]'), "lstm");
    assertGradientsFinite(await gradientData(page), 20, "imported");
    assert.deepEqual(pages.adding.errors, []);
  });

  it("every lesson runs to its end with its own numbers; screenshots at laptop and phone width", async () => {
    const w = await watchedPage(browser, { width: 1280, height: 1000 });
    await w.page.goto(url);
    await ready(w.page);
    const rows: string[] = [];
    for (const l of LESSONS) {
      await w.clearLongTasks();   // the previous screenshot is not the page's work
      await w.page.click(`[data-lesson="${l.id}"]`);
      await w.page.waitForSelector(`[data-view="lesson"][data-lesson-state="done"], [data-view="lesson"][data-lesson-state="error"]`, { timeout: 60_000 });
      assert.equal(await w.page.getAttribute('[data-view="lesson"]', "data-lesson-state"), "done", (await w.page.textContent('[data-view="lesson"]'))!);
      const result = (await w.page.textContent("[data-lesson-result]"))!;
      assert.ok(!/NaN|undefined/.test(result), result);
      const numbers = await w.page.evaluate(() => (window as unknown as { lessonResults: unknown }).lessonResults);
      rows.push(JSON.stringify({ lesson: l.id, title: l.title, result, runs: numbers }));
      await assertQuiet(w, `lesson ${l.id}`);
      await w.page.waitForTimeout(300);   // the last frame drawn
      await w.page.screenshot({ path: join(shots, `lesson-${l.id}.png`), fullPage: true });
      if (l.id === "lstm-vs-elman") {
        // The README's first screen: the top of the page, down to the gradient heatmap.
        await w.page.setViewportSize({ width: 1280, height: 1220 });
        await w.page.waitForTimeout(300);
        await w.page.screenshot({ path: join(shots, "playground.png") });
        await w.page.setViewportSize({ width: 1280, height: 1000 });
      }
    }
    // Lesson 1 again at phone width.
    const phone = await watchedPage(browser, { width: 390, height: 844 });
    await phone.page.goto(`${url}?lesson=lstm-vs-elman`);
    await ready(phone.page);
    await phone.clearLongTasks();
    await phone.page.click('[data-view="lesson"] button');
    await phone.page.waitForSelector('[data-view="lesson"][data-lesson-state="done"]', { timeout: 60_000 });
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `nothing wider than a 390 px screen (overflow ${overflow} px)`);
    await assertQuiet(phone, "phone");
    await phone.page.waitForTimeout(300);
    await phone.page.screenshot({ path: join(shots, "phone-lesson-lstm-vs-elman.png"), fullPage: true });
    if (process.env.PLAYGROUND_SCREENSHOTS) writeFileSync(join(shots, "lessons.jsonl"), rows.join("\n") + "\n");
    for (const l of LESSONS) assert.ok(existsSync(join(shots, `lesson-${l.id}.png`)));
  });
});
