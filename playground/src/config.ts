// The playground's whole setup as one plain object, and its URL query form: every field has a
// query name, a default, and a check that turns bad input into one line naming the field
// ("hidden size: expected an integer from 1 to 512, got 0"). A link holds the setup, so the same
// link trains the same network on the same data from the same seed. Shared by the page and the
// training worker; no DOM, no library state.
import { TASK_NAMES } from "../../src/data/tasks/index.ts";

export const CELLS = ["elman", "jordan", "lstm", "gru"] as const;
export const SYNTHETIC = TASK_NAMES as readonly string[];
export const TASKS = [...TASK_NAMES, "forecast", "charlm"] as const;
export const SERIES = ["airline", "sunspots"] as const;
export const GRADIENT_OPTIMIZERS = ["adam", "sgd", "adamw", "rmsprop", "adagrad"] as const;
export const GRADIENT_FREE = ["cmaes", "ga", "pso", "anneal"] as const;
export const OPTIMIZERS = [...GRADIENT_OPTIMIZERS, ...GRADIENT_FREE] as const;
export const ACTIVATIONS = ["tanh", "sigmoid", "relu"] as const;
export const INITS = ["pytorch", "glorot", "radius"] as const;

export type Cell = (typeof CELLS)[number];
export type Optimizer = (typeof OPTIMIZERS)[number];

export interface PlaygroundConfig {
  /** The network. */
  cell: Cell;
  layers: number;
  hidden: number;
  /** Jordan: state size S (0: the output size, the lecture's default). */
  state: number;
  /** Jordan: feed back the network's own y_{t−1} ("output") or the target ("teacher"). */
  feedback: "output" | "teacher";
  /** σ_h (Elman, Jordan) and σ_s (Jordan). */
  act: (typeof ACTIVATIONS)[number];
  stateAct: (typeof ACTIVATIONS)[number];
  /** Initial weights: PyTorch's defaults, Glorot/orthogonal, or (Elman) a Gaussian recurrent
   *  matrix rescaled to spectral radius `radius`. */
  init: (typeof INITS)[number];
  radius: number;
  /** The task: a synthetic one (src/data/tasks), a forecast, or a character model. */
  task: (typeof TASKS)[number];
  /** Synthetic tasks: sequence length T. */
  length: number;
  /** Forecasts: which series, input window and horizon (0: the series' defaults). */
  series: (typeof SERIES)[number];
  window: number;
  horizon: number;
  /** Character model: steps per chunk (how far truncated BPTT reaches between batches). */
  seq: number;
  /** Sequences (or streams, or windows) per batch. */
  batch: number;
  /** Training. */
  optimizer: Optimizer;
  lr: number;
  momentum: number;
  /** Global-norm clipping (0: off) and clipping each gradient element to ±clipValue (0: off). */
  clip: number;
  clipValue: number;
  /** Truncated BPTT within a batch: an update every k1 steps, back k2 steps (0: whole batch). */
  k1: number;
  k2: number;
  seed: number;
  /** Stop by itself after this many updates (loss evaluations for gradient-free methods); 0: run until paused. */
  steps: number;
  /** Character model: sampling temperature of the shown text. */
  temperature: number;
  /** Worker threads for the WebAssembly kernels (0: one per core, on cross-origin-isolated pages). */
  threads: number;
}

export const DEFAULTS: Readonly<PlaygroundConfig> = {
  cell: "lstm", layers: 1, hidden: 32, state: 0, feedback: "output", act: "tanh", stateAct: "tanh", init: "pytorch", radius: 1,
  task: "adding", length: 20, series: "airline", window: 0, horizon: 0, seq: 32, batch: 32,
  optimizer: "adam", lr: 0.003, momentum: 0, clip: 1, clipValue: 0, k1: 0, k2: 0, seed: 1, steps: 0, temperature: 0.8, threads: 0,
};

type Field = { key: keyof PlaygroundConfig; query: string; label: string } & (
  | { kind: "enum"; values: readonly string[] }
  | { kind: "int"; min: number; max: number }
  | { kind: "num"; min: number; max: number; open?: boolean });

/** Every field: its query name, its label in messages, and what it may hold. */
export const FIELDS: readonly Field[] = [
  { key: "cell", query: "cell", label: "cell", kind: "enum", values: CELLS },
  { key: "task", query: "task", label: "task", kind: "enum", values: TASKS },
  { key: "length", query: "length", label: "sequence length", kind: "int", min: 1, max: 200 },
  { key: "hidden", query: "hidden", label: "hidden size", kind: "int", min: 1, max: 512 },
  { key: "layers", query: "layers", label: "layers", kind: "int", min: 1, max: 4 },
  { key: "lr", query: "lr", label: "learning rate", kind: "num", min: 0, max: 10, open: true },
  { key: "clip", query: "clip", label: "clip norm", kind: "num", min: 0, max: 1e6 },
  { key: "seed", query: "seed", label: "seed", kind: "int", min: 0, max: 2 ** 31 - 1 },
  { key: "optimizer", query: "optimizer", label: "optimizer", kind: "enum", values: OPTIMIZERS },
  { key: "state", query: "state", label: "Jordan state size", kind: "int", min: 0, max: 512 },
  { key: "feedback", query: "feedback", label: "Jordan feedback", kind: "enum", values: ["output", "teacher"] },
  { key: "act", query: "act", label: "hidden activation", kind: "enum", values: ACTIVATIONS },
  { key: "stateAct", query: "sact", label: "state activation", kind: "enum", values: ACTIVATIONS },
  { key: "init", query: "init", label: "initialisation", kind: "enum", values: INITS },
  { key: "radius", query: "rho", label: "spectral radius", kind: "num", min: 0, max: 10 },
  { key: "series", query: "series", label: "series", kind: "enum", values: SERIES },
  { key: "window", query: "window", label: "window", kind: "int", min: 0, max: 256 },
  { key: "horizon", query: "horizon", label: "horizon", kind: "int", min: 0, max: 64 },
  { key: "seq", query: "seq", label: "chunk length", kind: "int", min: 1, max: 256 },
  { key: "batch", query: "batch", label: "batch size", kind: "int", min: 1, max: 512 },
  { key: "momentum", query: "momentum", label: "momentum", kind: "num", min: 0, max: 0.999 },
  { key: "clipValue", query: "clipvalue", label: "clip value", kind: "num", min: 0, max: 1e6 },
  { key: "k1", query: "k1", label: "TBPTT k1", kind: "int", min: 0, max: 256 },
  { key: "k2", query: "k2", label: "TBPTT k2", kind: "int", min: 0, max: 256 },
  { key: "steps", query: "steps", label: "updates", kind: "int", min: 0, max: 10_000_000 },
  { key: "temperature", query: "temp", label: "temperature", kind: "num", min: 0, max: 5 },
  { key: "threads", query: "threads", label: "threads", kind: "int", min: 0, max: 16 },
];

/** Query names that always appear in a link (the list), even at their defaults. */
const ALWAYS = new Set(["cell", "task", "length", "hidden", "layers", "lr", "clip", "seed", "optimizer"]);

export const field = (key: keyof PlaygroundConfig): Field => FIELDS.find((f) => f.key === key)!;

/** Checks one raw value (a string from the URL or a form) for a field: the value, or an error line. */
export function parseField(f: Field, raw: string): { value: string | number } | { error: string } {
  const s = raw.trim();
  if (f.kind === "enum") {
    return f.values.includes(s) ? { value: s } : { error: `${f.label}: expected one of ${f.values.join(", ")}, got ${JSON.stringify(s)}` };
  }
  const n = s === "" ? NaN : Number(s);
  if (f.kind === "int") {
    return Number.isInteger(n) && n >= f.min && n <= f.max ? { value: n } : { error: `${f.label}: expected an integer from ${f.min} to ${f.max}, got ${JSON.stringify(s)}` };
  }
  const ok = Number.isFinite(n) && (f.open ? n > f.min : n >= f.min) && n <= f.max;
  return ok ? { value: n } : { error: `${f.label}: expected a number ${f.open ? "above" : "from"} ${f.min} ${f.open ? "up to" : "to"} ${f.max}, got ${JSON.stringify(s)}` };
}

/** A setup from a URL query: defaults where absent; each bad parameter leaves its default and adds a message. */
export function fromQuery(query: string): { config: PlaygroundConfig; errors: string[] } {
  const q = new URLSearchParams(query);
  const config: PlaygroundConfig = { ...DEFAULTS };
  const errors: string[] = [];
  const known = new Set(FIELDS.map((f) => f.query).concat(["lesson"]));
  for (const [k] of q) if (!known.has(k)) errors.push(`link: unknown parameter ${JSON.stringify(k)} (ignored)`);
  for (const f of FIELDS) {
    const raw = q.get(f.query);
    if (raw === null) continue;
    const r = parseField(f, raw);
    if ("error" in r) errors.push(`link: ${r.error}; using ${config[f.key]}`);
    else (config as unknown as Record<string, unknown>)[f.key] = r.value;
  }
  return { config, errors };
}

/** The query string of a setup: the parameters always, the others when not at their defaults. */
export function toQuery(c: PlaygroundConfig, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const f of FIELDS) {
    const v = c[f.key];
    if (ALWAYS.has(f.query) || v !== DEFAULTS[f.key]) q.set(f.query, String(v));
  }
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}

export const isGradientFree = (c: Pick<PlaygroundConfig, "optimizer">) => (GRADIENT_FREE as readonly string[]).includes(c.optimizer);
export const isSynthetic = (c: Pick<PlaygroundConfig, "task">) => SYNTHETIC.includes(c.task);

/** Checks that depend on several fields (the single-field ranges are parseField's); the first problem, or null. */
export function crossCheck(c: PlaygroundConfig, task: { minLength?: number; manyToOne: boolean }): string | null {
  if (task.minLength !== undefined && c.length < task.minLength) return `sequence length: the ${c.task} task needs T of at least ${task.minLength}, got ${c.length}`;
  if ((c.k1 > 0) !== (c.k2 > 0)) return `truncated BPTT: set both k1 and k2 (or both to 0 for full BPTT), got k1 ${c.k1}, k2 ${c.k2}`;
  if (c.k1 > 0 && c.k2 < c.k1) return `truncated BPTT: expected k2 ≥ k1 (back at least as far as an update covers), got k1 ${c.k1}, k2 ${c.k2}`;
  if (c.k1 > 0 && task.manyToOne) return `truncated BPTT: needs a loss at every step; the ${c.task} task scores only the last step (use k1 = k2 = 0)`;
  if (c.init === "radius" && c.cell !== "elman") return `initialisation: a given spectral radius is for Elman networks (one recurrent matrix U), got ${c.cell}`;
  if (c.cell === "jordan" && c.feedback === "teacher" && task.manyToOne) return `Jordan feedback: teacher forcing feeds back the target of every step; the ${c.task} task has one at the end only (feed back the network's own output)`;
  if (isGradientFree(c) && c.k1 > 0) return `truncated BPTT: gradient-free methods use no gradient, so no BPTT; set k1 = k2 = 0`;
  return null;
}
