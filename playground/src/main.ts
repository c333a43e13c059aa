// The page: reads the setup from the address bar and the form, hands it to the training worker,
// and draws what the worker reports. Everything heavy (the model, fit(), the diagnostics) runs in
// the worker; this thread only turns numbers into SVG and canvas, at most once per frame.
import { Controls } from "./controls.ts";
import { DEFAULTS, crossCheck, fromQuery, isGradientFree, isSynthetic, toQuery, type PlaygroundConfig } from "./config.ts";
import { getTask } from "../../src/data/tasks/index.ts";
import { trainingFor } from "../../src/data/tasks/as-batch.ts";
import type { FromWorker, ModelInfo, Progress, ToWorker, Views } from "./protocol.ts";
import { LossView } from "./views/loss.ts";
import { OutputPanel } from "./views/output.ts";
import { UnrolledView } from "./views/unrolled.ts";
import { GradientsView } from "./views/gradients.ts";
import { equations, parameterCount } from "./equations.ts";
import { LESSONS, type Lesson, type RunResult } from "./lessons.ts";
import { offerDownload, readChosen } from "./files.ts";
import { fmt } from "./charts/colors.ts";

const $ = <T extends HTMLElement = HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
const metric = (name: string) => $(`[data-metric="${name}"]`);

// --- messages in the page --------------------------------------------------------------------

function say(kind: "error" | "warn" | "info", text: string, key = text): void {
  const box = $("[data-messages]");
  box.querySelector(`[data-key="${CSS.escape(key)}"]`)?.remove();
  const d = document.createElement("div");
  d.className = `msg ${kind}`;
  d.dataset.key = key;
  d.dataset.kind = kind;
  const span = document.createElement("span");
  span.textContent = text;
  const x = document.createElement("button");
  x.type = "button"; x.textContent = "×"; x.setAttribute("aria-label", "dismiss");
  x.onclick = () => d.remove();
  d.append(span, x);
  box.append(d);
}
function unsay(prefix: string): void {
  for (const m of document.querySelectorAll<HTMLElement>("[data-messages] .msg")) if (m.dataset.key!.startsWith(prefix)) m.remove();
}

// --- state -----------------------------------------------------------------------------------

const initial = fromQuery(location.search);
let config: PlaygroundConfig = initial.config;
/** The character model's text: null for the excerpt bundled with the worker, or the user's own. */
let text: string | null = null;
let info: ModelInfo | null = null;
let running = false;
let invalid: string | null = null;
let configId = 0;
let latestViews: Views | null = null;
let view = { row: 0, layer: 0 };
let lastProgress: Progress | null = null;
let lastLoss = NaN, lastVal = NaN, step = 0, rate = 0;
let maxGradNorm = 0, clipEvents = 0;
let waiters: Array<(m: FromWorker) => boolean> = [];
let lastEval: { step: number; val_loss: number; metrics: Record<string, number> } | null = null;
/** The error that stopped the last run, if one did. */
let trainError: string | null = null;
/** Why the last run stopped ("done", "paused", "error"). */
let stopReason = "";

const controls = new Controls(document);
const loss = new LossView($("[data-chart=loss]"));
const output = new OutputPanel($("[data-chart=output]"));
const unrolled = new UnrolledView($("[data-chart=unrolled]"));
const grads = new GradientsView($("[data-chart=norms]"), $("[data-chart=norm-map]"), $("[data-chart=clipping]"), $("[data-chart=radius]"));

const worker = new Worker(new URL("./worker/main.ts", import.meta.url), { type: "module", name: "recurrent-training" });
const send = (m: ToWorker) => worker.postMessage(m);
worker.onerror = (e) => say("error", `The training worker failed: ${e.message || "it could not start (a browser without module workers or WebAssembly?)"}`);

// --- drawing, once per frame -----------------------------------------------------------------

// Each part is drawn in a frame of its own (one short task each, never one long one), the
// loss and gradient charts at most about eight times a second.
type Part = "loss" | "output" | "unrolled" | "gradients" | "training" | "network";
const ORDER: Part[] = ["loss", "output", "gradients", "unrolled", "training", "network"];
const dirty = new Set<Part>();
const lastDrawn: Partial<Record<Part, number>> = {};
const MIN_INTERVAL: Partial<Record<Part, number>> = { loss: 120, training: 120 };
let frame = 0;
function schedule(part: "loss" | "views" | "network"): void {
  if (part === "views") { dirty.add("output"); dirty.add("unrolled"); dirty.add("gradients"); }
  else if (part === "loss") { dirty.add("loss"); dirty.add("training"); }
  else dirty.add("network");
  if (!frame) frame = requestAnimationFrame(render);
}

/** The slowest pieces of main-thread work so far (name → milliseconds), for tests that hunt long tasks. */
const timings: Record<string, number> = {};
(window as unknown as { playgroundTimings: typeof timings }).playgroundTimings = timings;
function timed<T>(name: string, f: () => T): T {
  const t0 = performance.now();
  try { return f(); } finally { timings[name] = Math.max(timings[name] ?? 0, performance.now() - t0); }
}

function render(now: number): void {
  frame = 0;
  const part = ORDER.find((p) => dirty.has(p) && now - (lastDrawn[p] ?? -Infinity) >= (MIN_INTERVAL[p] ?? 0));
  if (part) {
    dirty.delete(part);
    lastDrawn[part] = now;
    timed(part, () => draw(part));
  }
  if (dirty.size) frame = requestAnimationFrame(render);
}

function draw(part: Part): void {
  const v = latestViews;
  switch (part) {
    case "loss": loss.draw(); break;
    case "training": grads.draw(null, view.layer); break;
    case "output": if (v && info) output.draw(v.output); break;
    case "unrolled": if (v && info) unrolled.draw(v.states, v.gates, view.layer, config.act !== "relu"); break;
    case "gradients": if (v && info) grads.draw(v, view.layer); break;
    case "network": drawNetwork(); break;
  }
}

function drawMetrics(): void {
  metric("step").textContent = String(step);
  metric("loss").textContent = Number.isFinite(lastLoss) ? fmt(lastLoss, 4) : "–";
  metric("val-loss").textContent = Number.isFinite(lastVal) ? fmt(lastVal, 4) : "–";
  metric("rate").textContent = rate > 0 ? (rate >= 100 ? rate.toFixed(0) : rate.toFixed(1)) : "–";
  metric("rate-unit").textContent = lastProgress?.unit === "evaluations" ? "loss evaluations/s" : "updates/s";
  const busy = running;
  $("[data-action=train]").toggleAttribute("disabled", busy || invalid !== null || !info);
  $("[data-action=step]").toggleAttribute("disabled", busy || invalid !== null || !info || isGradientFree(config));
  $("[data-action=pause]").toggleAttribute("disabled", !busy);
  $("[data-action=download]").toggleAttribute("disabled", busy || !info);
}
function setState(s: string): void { metric("state").textContent = s; }

function drawNetwork(): void {
  const eq = $("[data-equations]");
  const lines = equations(config);
  if (info) lines.push(`σ<sub>y</sub> = ${info.outputActivation}, trained on the ${info.lossName}`);
  eq.replaceChildren(...lines.map((h) => { const d = document.createElement("div"); d.innerHTML = h; return d; }));
  const count = $("[data-count]");
  if (!info) { count.textContent = "…"; return; }
  const c = parameterCount(config, info.input, info.output);
  const same = info.config.cell === config.cell && info.config.hidden === config.hidden && info.config.layers === config.layers && (config.cell !== "jordan" || info.config.state === config.state);
  const agrees = same ? (c.total === info.params ? `<span class="ok">= the library model's ${info.params.toLocaleString("en-US")} parameters</span>` : `<span class="bad">≠ the library model's ${info.params.toLocaleString("en-US")}</span>`) : "";
  count.innerHTML = `<div>parameters (d<sub>in</sub> = ${info.input}, d<sub>out</sub> = ${info.output}${config.cell === "jordan" ? `, s = ${config.state || info.output}` : ""}${config.layers > 1 ? `, L = ${config.layers}` : ""}):</div>` +
    `<div class="formula">${c.symbols}</div><div class="formula">= ${c.numbers} = <b data-metric="params">${c.total.toLocaleString("en-US")}</b></div><div>${agrees}</div>`;
  $("[data-summary]").textContent = info.summary;
}

// --- the setup -------------------------------------------------------------------------------

function taskShape(c: PlaygroundConfig): { minLength?: number; manyToOne: boolean } {
  if (isSynthetic(c)) { const t = getTask(c.task); return { minLength: t.minLength, manyToOne: trainingFor(t.targetKind).manyToOne }; }
  return { manyToOne: c.task === "forecast" };
}

function updateUrl(lesson?: string): void {
  const q = toQuery(config, lesson ? { lesson } : {});
  history.replaceState(null, "", `${location.pathname}?${q}`);
  $<HTMLInputElement>("[data-share]").value = location.href;
}

/** The form changed: check it; apply at once (learning rate, clipping, view options) or rebuild. */
function formChanged(key: keyof PlaygroundConfig): void {
  if (lessonRunning && key !== "temperature") {
    controls.write(config);
    say("warn", "A lesson is running: pause it first to change the setup.", "form:lesson");
    return;
  }
  const { config: c, errors } = controls.read(config);
  unsay("form:");
  const cross = errors.length ? null : crossCheck(c, taskShape(c));
  controls.showFor(c);
  if (errors.length || cross) {
    invalid = (errors[0] ?? cross)!;
    for (const e of errors.length ? errors : [cross!]) say("error", `${e}. Training waits until it is fixed.`, `form:${e}`);
    drawMetrics();
    return;
  }
  invalid = null;
  config = c;
  updateUrl();
  schedule("network");
  if (key === "lr" || key === "clip" || key === "clipValue") {
    send({ type: "set", lr: c.lr, clip: c.clip, clipValue: c.clipValue });
    grads.setClip(c.clip);
  } else if (key === "temperature") {
    sendView();
  } else if (key !== "steps") {
    leaveLesson();
    rebuild();
  }
  drawMetrics();
}

function sendView(): void { send({ type: "view", row: view.row, layer: view.layer, temperature: config.temperature }); }

function rebuild(): void {
  if (invalid) return;
  running = false;
  info = null;
  configId++;
  setState("building the model…");
  unsay("train:"); unsay("configure:"); unsay("import:");
  send({ type: "configure", id: configId, config, text: config.task === "charlm" ? text : null });
  drawMetrics();
}

// --- worker messages -------------------------------------------------------------------------

worker.onmessage = (e: MessageEvent<FromWorker>) => timed(`message ${e.data.type}`, () => onMessage(e.data));
function onMessage(m: FromWorker): void {
  waiters = waiters.filter((w) => !w(m));
  switch (m.type) {
    case "backend":
      $("[data-backend]").textContent = `Kernels: ${m.name} — ${m.note}.`;
      break;
    case "ready": {
      if (m.info.id !== configId && !m.info.imported) return;
      configId = m.info.id;
      info = m.info;
      if (m.info.imported) {
        config = m.info.config;
        controls.write(config);
        updateUrl();
        say("info", `Loaded ${m.info.imported.source}: ${m.info.name} (${m.info.imported.weights === "best" ? "best.safetensors, the best validation weights" : "model.safetensors"}${m.info.imported.step ? `, trained ${m.info.imported.step} updates` : ""}). The optimiser starts afresh if you train on.`, "import:ok");
      }
      step = 0; lastLoss = NaN; lastVal = NaN; rate = 0; maxGradNorm = 0; clipEvents = 0;
      loss.reset(info, isGradientFree(config) ? "evaluations" : "updates", isGradientFree(config));
      grads.reset(config.clip, info.stateNames[0], isGradientFree(config) ? "loss evaluation" : "update");
      output.clear(); unrolled.reset(); latestViews = null;
      delete $("[data-view=gradients]").dataset.columns;
      fillViewOptions(info);
      $("[data-task-info]").textContent = info.describe;
      setState("ready");
      schedule("network"); schedule("loss");
      break;
    }
    case "progress": {
      const p = m.progress;
      lastProgress = p;
      running = p.running;
      step = p.step;
      if (p.running && p.rate > 0) rate = p.rate;   // a stopped run keeps showing its last rate
      for (const pt of p.losses) { loss.train.push(pt); lastLoss = pt[1]; }
      for (const [s, n, c] of p.grads) { grads.gradNorms.push([s, n]); if (c) { grads.clipSteps.push(s); clipEvents++; } maxGradNorm = Math.max(maxGradNorm, n); }
      for (const ev of p.evals) { loss.val.push([ev.step, ev.val_loss]); lastVal = ev.val_loss; lastEval = ev; }
      if (p.evals.length) {
        // Full precision for scripts and tests (the bar shows 4 digits).
        const lv = $("[data-view=loss]");
        lv.dataset.valLoss = String(lastVal); lv.dataset.valStep = String(lastEval!.step);
        lv.dataset.metrics = JSON.stringify(lastEval!.metrics);
      }
      if (running) setState(p.unit === "evaluations" ? "searching (gradient-free)…" : "training…");
      drawMetrics();
      schedule("loss");
      break;
    }
    case "views":
      if (!info) return;
      latestViews = m.views;
      grads.add(m.views, view.layer);
      markGradients(m.views);
      schedule("views");
      break;
    case "column":
      if (!info) return;
      grads.add(m.column, view.layer);
      markGradients(m.column);
      schedule("loss");
      break;
    case "stopped":
      running = false;
      stopReason = m.reason;
      step = m.step;
      // Training time as fit() counts it (validation excluded), for scripts that compare speeds.
      $("[data-view=loss]").dataset.trainSeconds = String(m.seconds);
      Object.assign($("[data-backend]").dataset, { threadsReady: String(m.threads.ready), chunksByWorkers: String(m.threads.chunksByWorkers) });
      setState(m.reason === "done" ? `done: ${m.step} ${lastProgress?.unit ?? "updates"}` : m.reason === "error" ? "stopped by an error" : "paused");
      drawMetrics();
      break;
    case "error": {
      const text = m.message.replace(/--lr/g, "the learning rate").replace(/--clip/g, "clipping (clip ‖g‖)");
      if (m.where === "train") trainError = text;
      say("error", m.where === "train" ? `Training stopped: ${text}` : m.where === "configure" ? `This setup cannot be built: ${text}` : m.where === "import" ? `Not loaded: ${text}` : text, `${m.where}:${text}`);
      if (m.where === "configure") { setState("not built"); info = null; }
      drawMetrics();
      break;
    }
    case "exported":
      offerDownload(m.name, m.files, $("[data-file-links]"));
      say("info", `Downloaded ${m.name}.tar: unpack it with \`tar xf ${m.name}.tar\`, then \`npx recurrent eval --model ${m.name}\`${config.task === "charlm" ? ` or \`npx recurrent generate --model ${m.name}\`` : config.task === "forecast" ? ` or \`npx recurrent forecast --model ${m.name} --csv FILE\`` : ""}.`, "export:ok");
      if (config.cell === "jordan" && config.feedback === "teacher") {
        say("info", "This Jordan network is teacher-forced: the command line runs it on its own outputs (no targets to feed back), so `recurrent eval` scores it as it predicts, not as it trained here.", "export:teacher");
      }
      break;
  }
}
/** The gradient view's latest numbers as data attributes, for scripts and tests: the step, the
 *  per-step norms of every layer's first state, the spectral radii, and the heatmap's columns. */
function markGradients(v: { step: number; gradients: Views["gradients"]; spectra: Views["spectra"] }): void {
  const d = $("[data-view=gradients]").dataset;
  d.step = String(v.step);
  d.norms = JSON.stringify(v.gradients.map((g) => ({ layer: g.layer, state: g.state, norms: g.norms })));
  d.radius = JSON.stringify(v.spectra.map((x) => x.spectralRadius));
  d.columns = String(Number(d.columns ?? 0) + 1);
}

function fillViewOptions(i: ModelInfo): void {
  const rows = $<HTMLSelectElement>("[data-view-option=row]"), layers = $<HTMLSelectElement>("[data-view-option=layer]");
  rows.replaceChildren(...Array.from({ length: i.rows }, (_, k) => new Option(`${k + 1} of ${i.rows} (probe batch)`, String(k))));
  layers.replaceChildren(...Array.from({ length: i.layers }, (_, k) => new Option(String(k + 1), String(k))));
  view = { row: Math.min(view.row, i.rows - 1), layer: Math.min(view.layer, i.layers - 1) };
  rows.value = String(view.row); layers.value = String(view.layer);
}
for (const sel of document.querySelectorAll<HTMLSelectElement>("[data-view-option]")) {
  sel.addEventListener("change", () => {
    view = { ...view, [sel.dataset.viewOption!]: Number(sel.value) };
    if (sel.dataset.viewOption === "layer") grads.reset(config.clip, info?.stateNames[0] ?? "h");
    sendView();
  });
}

// --- buttons ---------------------------------------------------------------------------------

function train(): void {
  if (!info || invalid || running) return;
  const until = config.steps > 0 && step < config.steps ? config.steps : Infinity;
  running = true;
  trainError = null;
  send({ type: "train", until });
  drawMetrics();
}
$("[data-action=train]").addEventListener("click", train);
$("[data-action=pause]").addEventListener("click", () => send({ type: "pause" }));
$("[data-action=step]").addEventListener("click", () => { if (info && !running) { running = true; send({ type: "step" }); drawMetrics(); } });
$("[data-action=reset]").addEventListener("click", () => { if (lessonRunning) { send({ type: "pause" }); return; } leaveLesson(); rebuild(); });
$("[data-action=download]").addEventListener("click", () => send({ type: "export" }));
// The character model's text: the excerpt the worker bundles, or what the user pastes (the
// excerpt stays out of this thread and out of the textarea: 100 kB there costs a long layout).
const textArea = $<HTMLTextAreaElement>("textarea[name=text]");
const ownText = () => document.querySelector<HTMLInputElement>("input[name=textSource][value=own]")!;
function textChanged(): void {
  text = ownText().checked ? textArea.value : null;
  if (config.task === "charlm") { leaveLesson(); rebuild(); }
}
textArea.addEventListener("input", () => { ownText().checked = true; });
textArea.addEventListener("change", textChanged);
for (const r of document.querySelectorAll<HTMLInputElement>("input[name=textSource]")) r.addEventListener("change", textChanged);
for (const sel of ["[data-action=upload]", "[data-action=upload-dir]"]) {
  $<HTMLInputElement>(sel).addEventListener("change", async (e) => {
    const input = e.target as HTMLInputElement;
    try {
      const { files, source } = await readChosen(input.files!);
      leaveLesson();
      unsay("import:");
      send({ type: "import", files, source });
    } catch (err) {
      say("error", `Not loaded: ${(err as Error).message}`, "import:read");
    } finally {
      input.value = "";
    }
  });
}
controls.onChange(formChanged);

// --- lessons ---------------------------------------------------------------------------------

let lessonRunning: string | null = null;
const lessonCard = $("[data-view=lesson]");

function leaveLesson(): void {
  if (lessonRunning) return;
  loss.references = []; grads.references = []; grads.normReferences = [];
  for (const b of document.querySelectorAll("[data-lesson]")) b.setAttribute("aria-pressed", "false");
}

function until(pred: (m: FromWorker) => boolean): Promise<FromWorker> {
  return new Promise((resolve) => waiters.push((m) => { if (pred(m)) { resolve(m); return true; } return false; }));
}

async function runLesson(l: Lesson): Promise<void> {
  if (lessonRunning) return;
  lessonRunning = l.id;
  for (const b of document.querySelectorAll("[data-lesson]")) { b.setAttribute("aria-pressed", String((b as HTMLElement).dataset.lesson === l.id)); b.toggleAttribute("disabled", true); }
  loss.references = []; grads.references = []; grads.normReferences = [];
  lessonCard.hidden = false;
  lessonCard.dataset.lessonState = "running";
  const results: RunResult[] = [];
  const show = (extra: string) => {
    lessonCard.innerHTML = `<h2></h2><p class="lesson-text"></p><ol></ol><p class="result" data-lesson-result></p>`;
    lessonCard.querySelector("h2")!.textContent = l.title;
    lessonCard.querySelector(".lesson-text")!.textContent = l.text;
    const ol = lessonCard.querySelector("ol")!;
    l.runs.forEach((r, i) => { const li = document.createElement("li"); li.textContent = `${r.label}: ${r.steps.toLocaleString("en-US")} ${/optimizer=(cmaes|ga|pso|anneal)/.test(r.query) ? "loss evaluations" : "updates"}${i < results.length ? " ✓" : i === results.length && extra ? " …" : ""}`; ol.append(li); });
    lessonCard.querySelector("[data-lesson-result]")!.textContent = extra;
  };
  try {
    for (const [i, run] of l.runs.entries()) {
      show("running…");
      const { config: c, errors } = fromQuery(run.query);
      if (errors.length) throw new Error(errors.join("; "));
      config = { ...c, steps: run.steps, threads: config.threads };
      controls.write(config);
      updateUrl(l.id);
      schedule("network");
      invalid = null;
      const ready = until((m) => m.type === "ready" || (m.type === "error" && m.where === "configure"));
      rebuild();
      const r = await ready;
      if (r.type === "error") throw new Error(r.message);
      const firstViews = await until((m) => m.type === "views");
      const firstRatio = ratio((firstViews as { views: Views }).views);
      const stopped = until((m) => m.type === "stopped");
      train();
      await stopped;
      const err = trainError;
      if (stopReason === "paused") throw new Error(`paused at update ${step} (click the lesson again to rerun it)`);
      const lastRatio = latestViews ? ratio(latestViews) : NaN;
      results.push({
        label: run.label, steps: step, valLoss: lastEval?.val_loss ?? NaN, metrics: lastEval?.metrics ?? {}, ratioFirst: firstRatio, ratioLast: lastRatio,
        clipEvents, maxGradNorm, baseline: info?.baseline?.loss ?? null, error: err,
      });
      if (i < l.runs.length - 1) {
        loss.keep(run.label);
        if (l.keepGradients === "first") { grads.references.push({ label: `${run.label}, before training`, norms: (firstViews as { views: Views }).views.gradients.find((g) => g.layer === 0)!.norms }); grads.keepNorms(run.label); }
        else grads.keep(`${run.label} at update ${step}`, run.label);
      }
    }
    show(l.summary(results));
    lessonCard.dataset.lessonState = "done";
    (window as unknown as { lessonResults?: unknown }).lessonResults = { id: l.id, results };
  } catch (e) {
    show(`The lesson stopped: ${(e as Error).message}`);
    lessonCard.dataset.lessonState = "error";
  } finally {
    lessonRunning = null;
    for (const b of document.querySelectorAll("[data-lesson]")) b.toggleAttribute("disabled", false);
  }
}

function ratio(v: Views): number {
  const g = v.gradients.find((x) => x.layer === 0);
  return g && g.norms.length > 1 ? g.norms[0] / g.norms[g.norms.length - 1] : NaN;
}

const lessonList = $("[data-lessons]");
for (const l of LESSONS) {
  const b = document.createElement("button");
  b.type = "button";
  b.dataset.lesson = l.id;
  b.textContent = l.title;
  b.setAttribute("aria-pressed", "false");
  b.addEventListener("click", () => void runLesson(l));
  lessonList.append(b);
}

// --- start -----------------------------------------------------------------------------------

// On a phone the controls come first: fold all but the lessons so the views are a short scroll away.
if (window.matchMedia("(max-width: 760px)").matches) {
  for (const d of document.querySelectorAll<HTMLDetailsElement>("details.group")) if (d.dataset.group !== "lessons") d.open = false;
}

controls.write(config);
for (const e of initial.errors) say("warn", e, `link:${e}`);
const lessonParam = new URLSearchParams(location.search).get("lesson");
const lessonFromLink = LESSONS.find((l) => l.id === lessonParam);
if (lessonParam && !lessonFromLink) say("warn", `link: lesson: expected one of ${LESSONS.map((l) => l.id).join(", ")}, got ${JSON.stringify(lessonParam)}`);
const crossError = crossCheck(config, taskShape(config));
if (crossError) { say("error", `link: ${crossError}; using the defaults`); config = { ...DEFAULTS }; controls.write(config); }
updateUrl(lessonFromLink?.id);
schedule("network");
drawMetrics();
rebuild();
if (lessonFromLink) {
  lessonCard.hidden = false;
  lessonCard.innerHTML = `<h2></h2><p></p><button type="button" class="primary">Run this lesson</button>`;
  lessonCard.querySelector("h2")!.textContent = lessonFromLink.title;
  lessonCard.querySelector("p")!.textContent = lessonFromLink.text;
  lessonCard.querySelector("button")!.addEventListener("click", () => void runLesson(lessonFromLink));
}
