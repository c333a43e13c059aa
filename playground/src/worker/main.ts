// The training worker: the library runs here, off the page's main thread, with the WebAssembly
// SIMD kernels (and their worker threads where the page is cross-origin isolated). It answers
// the page's messages (../protocol.ts): build a model for a setup, train, pause, step, change the
// learning rate or clipping, export and import model directories; and it reports progress about
// ten times a second and the views as often as they cost at most a tenth of the time.
import { fastBackend, useFastBackend, useReferenceBackend } from "../../../src/tensor/fast.ts";
import { Sequence } from "../../../src/train/sequence.ts";
import { modelFromFiles } from "../../../src/formats/model-files.ts";
import { readTar } from "../../../src/formats/tar.ts";
import { Vocab } from "../../../src/data/vocab.ts";
import { StandardScaler } from "../../../src/data/scaler.ts";
import { STATE_NAMES } from "../../../src/analysis/gradients/state-grads.ts";
import { getTask } from "../../../src/data/tasks/index.ts";
import { DEFAULTS, isGradientFree, type PlaygroundConfig } from "../config.ts";
import type { EvalPoint, FromWorker, ModelInfo, Progress, ToWorker } from "../protocol.ts";
import { buildProblem, type PageProblem, type ProblemOptions } from "./problem.ts";
import { Session, networkConfig, type Reporter } from "./session.ts";
import { computeColumn, computeViews, type ViewOptions } from "./views.ts";
import { GATE_NAMES } from "./gates.ts";
import { spawnBrowser, threadCount } from "./threads.ts";
import airlineCsv from "../../data/airline_passengers.csv?raw";
import sunspotsCsv from "../../data/sunspots_monthly.csv?raw";
import shakespeare from "../../../data/tinyshakespeare-100k.txt?raw";

const scope = self as unknown as { postMessage(m: FromWorker, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };
const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

let backendThreads = -1;
async function ensureBackend(asked: number): Promise<void> {
  const { threads, note } = threadCount(asked);
  if (threads === backendThreads) return;
  try {
    const fb = useFastBackend(threads > 1 ? { threads, spawn: spawnBrowser } : {});
    // The threads start asynchronously; a model is built once they run (or after 5 s without them,
    // when the kernels simply do the work on this thread).
    for (const until = performance.now() + 5000; fb.readyThreads() < threads && performance.now() < until;) await new Promise((r) => setTimeout(r, 5));
    post({ type: "backend", name: threads > 1 ? `${fb.name} ×${threads}` : fb.name, threads, isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true, note });
  } catch (e) {
    useReferenceBackend();
    post({ type: "backend", name: "reference", threads: 1, isolated: false, note: `plain TypeScript kernels: WebAssembly SIMD is unavailable here (${(e as Error).message})` });
  }
  backendThreads = threads;
}

/** Threads started, and the work chunks worker threads have computed so far (0 on one thread). */
function threadStats(): { ready: number; chunksByWorkers: number } {
  const fb = fastBackend();
  return { ready: fb ? fb.readyThreads() : 1, chunksByWorkers: fb ? fb.chunksByWorkers() : 0 };
}

let session: Session | null = null;
let info: ModelInfo | null = null;
let view: ViewOptions = { row: 0, layer: 0, temperature: DEFAULTS.temperature };

// --- progress and views ----------------------------------------------------------------------

class WorkerReporter implements Reporter {
  private losses: Array<[number, number]> = [];
  private grads: Array<[number, number, 0 | 1]> = [];
  private evals: EvalPoint[] = [];
  private lastPost = 0;
  private lastViews = 0;
  private viewMs = 0;
  private samples: Array<[number, number]> = [];
  private lastColumn = 0;
  private lastColumnStep = 0;
  private columnMs = 0;
  /** Updates between heatmap columns: about 100 columns over a run of known length. */
  columnEvery = 0;
  constructor(private unit: Progress["unit"]) {}

  update(step: number, r: { loss: number; gradNorm: number; clipped: boolean }): void {
    this.losses.push([step, r.loss]);
    if (Number.isFinite(r.gradNorm)) this.grads.push([step, r.gradNorm, r.clipped ? 1 : 0]);
    const now = performance.now();
    if (now - this.lastPost >= 100) this.flush(true, step);
  }
  evaluation(e: EvalPoint): void { this.evals.push(e); }
  between(step: number): void {
    const now = performance.now();
    // Views cost at most about a twentieth of the time: wait at least 19× their last cost.
    if (now - this.lastViews >= Math.max(300, 19 * this.viewMs)) { this.views(step); this.lastViews = this.lastColumn = performance.now(); this.lastColumnStep = step; return; }
    // Heatmap columns on a schedule of updates (a fast run still draws its history), at most a fifth of the time.
    if (this.columnEvery > 0 && step - this.lastColumnStep >= this.columnEvery && now - this.lastColumn >= 4 * this.columnMs) {
      this.column(step);
      this.lastColumn = performance.now(); this.lastColumnStep = step;
    }
  }
  column(step: number): void {
    if (!session) return;
    const c = computeColumn(session.model, session.problem, step);
    this.columnMs = c.ms;
    post({ type: "column", column: c });
  }
  views(step: number): void {
    if (!session || !info) return;
    const v = computeViews(session.model, session.problem, step, view);
    this.viewMs = v.ms;
    // The heatmaps' arrays move to the page instead of being copied.
    post({ type: "views", views: v }, [...v.states, ...v.gates].map((g) => g.values.buffer as ArrayBuffer));
  }
  rate(step: number): number {
    const now = performance.now();
    this.samples.push([now, step]);
    while (this.samples.length > 2 && now - this.samples[1][0] > 3000) this.samples.shift();
    const [t0, s0] = this.samples[0];
    return now - t0 > 200 ? ((step - s0) * 1000) / (now - t0) : 0;
  }
  flush(running: boolean, step: number): void {
    const progress: Progress = { step, losses: this.losses, grads: this.grads, evals: this.evals, rate: running ? this.rate(step) : 0, running, unit: this.unit };
    post({ type: "progress", progress });
    this.losses = []; this.grads = []; this.evals = [];
    this.lastPost = performance.now();
    if (!running) this.samples = [];
  }
}

let reporter: WorkerReporter | null = null;

async function train(until: number): Promise<void> {
  if (!session || session.running) return;
  const s = session;
  reporter ??= new WorkerReporter(isGradientFree(s.config) ? "evaluations" : "updates");
  const rep = reporter;
  rep.columnEvery = Number.isFinite(until) ? Math.max(1, Math.ceil((until - s.step) / 100)) : 0;
  rep.flush(true, s.step);
  try {
    const why = await s.run(until, rep);
    if (s !== session) return;
    rep.flush(false, s.step);
    rep.views(s.step);
    post({ type: "stopped", reason: why, step: s.step, seconds: s.fitState?.seconds ?? 0, threads: threadStats() });
  } catch (e) {
    if (s !== session) return;
    rep.flush(false, s.step);
    post({ type: "error", where: "train", message: message(e) });
    post({ type: "stopped", reason: "error", step: s.step, seconds: s.fitState?.seconds ?? 0, threads: threadStats() });
  }
}

function message(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split("\n")[0];
}

// --- building and importing ------------------------------------------------------------------

function describeModel(id: number, s: Session, imported: ModelInfo["imported"]): ModelInfo {
  const m = s.model, p = s.problem;
  return {
    id, config: s.config, input: p.input, output: p.output, outputActivation: p.outputActivation, params: m.paramCount, summary: m.summary(), name: m.toString(),
    describe: p.describe, lossName: p.loss === "ce" ? "cross-entropy (nats)" : p.loss === "mse" ? "mean squared error" : "binary cross-entropy",
    baseline: p.baseline, layers: m.layers.length, rows: p.probe.B, T: p.probe.T,
    stateNames: STATE_NAMES[m.config.cell], gateNames: GATE_NAMES[m.config.cell], imported,
  };
}

function start(id: number, s: Session, imported: ModelInfo["imported"]): void {
  session = s;
  reporter = new WorkerReporter(isGradientFree(s.config) ? "evaluations" : "updates");
  info = describeModel(id, s, imported);
  view = { ...view, row: Math.min(view.row, info.rows - 1), layer: Math.min(view.layer, info.layers - 1), temperature: s.config.temperature };
  post({ type: "ready", info });
  reporter.evaluation(s.evaluate());
  reporter.flush(false, s.step);
  reporter.views(s.step);
}

async function configure(id: number, c: PlaygroundConfig, text: string | null): Promise<void> {
  await ensureBackend(c.threads);
  if (id !== lastId) return;   // a newer setup arrived meanwhile
  const problem = buildProblem(c, sources(text));
  const model = new Sequence(networkConfig(c, problem));
  start(id, new Session(c, problem, model, false), null);
}

let lastText: string | null = null;

/** A setup that fits an imported model: its network and task from config.json, the rest as now. */
function configFor(opened: ReturnType<typeof modelFromFiles>, now: PlaygroundConfig): { config: PlaygroundConfig; problem: NonNullable<ProblemOptions["saved"]> } {
  const m = opened.model.config, task = opened.task as Record<string, unknown>;
  const training = opened.training as { options?: Record<string, unknown>; playground?: Partial<PlaygroundConfig> };
  const o = training.options ?? {}, pg = training.playground ?? {};
  const num = (v: unknown, d: number) => (typeof v === "number" && Number.isFinite(v) ? v : d);
  const c: PlaygroundConfig = {
    ...now, ...pg,
    cell: m.cell as PlaygroundConfig["cell"], layers: m.layers, hidden: m.hidden, state: m.cell === "jordan" ? m.state : 0, feedback: m.feedback,
    act: m.hiddenActivation as PlaygroundConfig["act"], stateAct: m.stateActivation as PlaygroundConfig["stateAct"], init: now.init === "radius" && m.cell !== "elman" ? "pytorch" : now.init,
    seed: num(o.seed, num(pg.seed, now.seed)), batch: num(o.batch, num(pg.batch, now.batch)),
    lr: num(o.lr, num(pg.lr, now.lr)), clip: num(o.clip, num(pg.clip, now.clip)),
    optimizer: typeof o.optimizer === "string" ? (o.optimizer as PlaygroundConfig["optimizer"]) : (pg.optimizer ?? now.optimizer),
    steps: 0,
  };
  if (isGradientFree(c)) c.optimizer = "adam";
  const kind = task.kind;
  if (kind === "synthetic") {
    const t = getTask(String(task.name));
    return { config: { ...c, task: t.name as PlaygroundConfig["task"], length: num(task.length, c.length), k1: 0, k2: 0 }, problem: {} };
  }
  if (kind === "forecast") {
    const fc = task.config as { target?: string; window?: number; horizon?: number };
    const series = fc?.target === "passengers_thousands" ? "airline" : fc?.target === "sunspot_number" ? "sunspots" : null;
    if (!series) throw new Error(`config.json: task: expected a forecast of the page's series (passengers_thousands or sunspot_number), got one of ${JSON.stringify(fc?.target)}`);
    return { config: { ...c, task: "forecast", series, window: num(fc.window, 0), horizon: num(fc.horizon, 0), k1: 0, k2: 0 }, problem: { scaler: StandardScaler.fromJSON(task.scaler as never, "config.json scaler") } };
  }
  if (kind === "charlm") {
    const vocab = Vocab.fromJSON(task.vocab as never, "config.json vocabulary");
    return { config: { ...c, task: "charlm", seq: num(task.seq, c.seq) }, problem: { vocab, ids: m.embedding > 0 } };
  }
  throw new Error(`config.json: task: expected a model of a synthetic task, a forecast or a character model (what the page shows), got ${kind === undefined ? "a model without a training task" : `a ${JSON.stringify(kind)} model`}`);
}

async function importModel(id: number, raw: Record<string, Uint8Array>, source: string, now: PlaygroundConfig): Promise<void> {
  let files = raw;
  const tars = Object.keys(raw).filter((n) => n.endsWith(".tar"));
  if (tars.length === 1 && Object.keys(raw).length === 1) {
    files = Object.fromEntries(readTar(raw[tars[0]], tars[0]).map((e) => [e.path, e.bytes]));
  }
  const opened = modelFromFiles(files, source);
  const { config, problem: saved } = configFor(opened, now);
  await ensureBackend(config.threads);
  const problem: PageProblem = buildProblem(config, { ...sources(lastText), saved });
  if (problem.input !== opened.model.config.input || problem.output !== opened.model.outputSize) {
    throw new Error(`${source}: the model takes ${opened.model.config.input} inputs and gives ${opened.model.outputSize} outputs, but its task here has ${problem.input} and ${problem.output}`);
  }
  const s = new Session(config, problem, opened.model, true);
  const step = num0((opened.training as { step?: unknown }).step);
  start(id, s, { source, weights: opened.weights, step });
}

const num0 = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
/** The data: the shipped series, and the page's text (null: the bundled Shakespeare excerpt). */
const sources = (text: string | null): ProblemOptions => ({ airline: airlineCsv, sunspots: sunspotsCsv, text: text ?? shakespeare });

// --- messages --------------------------------------------------------------------------------

let lastId = 0;
let lastConfig: PlaygroundConfig = { ...DEFAULTS };

scope.onmessage = async (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  try {
    switch (m.type) {
      case "configure":
        session?.pause();
        lastId = m.id; lastConfig = m.config; lastText = m.text;
        await configure(m.id, m.config, m.text);
        break;
      case "train":
        void train(m.until);
        break;
      case "step":
        if (session && !session.running) void train(session.step + 1);
        break;
      case "pause":
        session?.pause();
        break;
      case "set":
        session?.set({ lr: m.lr, clip: m.clip, clipValue: m.clipValue });
        break;
      case "view":
        view = { row: m.row, layer: m.layer, temperature: m.temperature };
        if (session && !session.running) reporter?.views(session.step);
        break;
      case "export": {
        if (!session) throw new Error("no model to download yet");
        const c = session.config;
        const name = `${c.task === "forecast" ? c.series : c.task}-${c.cell}-h${c.hidden}`;
        const out = session.files();
        post({ type: "exported", name, files: out }, Object.values(out).map((b) => b.buffer as ArrayBuffer));
        break;
      }
      case "import":
        session?.pause();
        await importModel(++lastId, m.files, m.source, lastConfig);
        break;
    }
  } catch (err) {
    const where = m.type === "configure" || m.type === "import" || m.type === "export" ? m.type : "train";
    post({ type: "error", where, message: message(err) });
  }
};
