// The messages between the page and its training worker: plain data only (structured clone).
// The worker owns the model, the data and fit(); the page owns the controls and the drawing.
import type { PlaygroundConfig } from "./config.ts";

export type ToWorker =
  /** Build a fresh model and task from a setup (a reset). `text`: the character model's own text (null: the bundled excerpt). */
  | { type: "configure"; id: number; config: PlaygroundConfig; text: string | null }
  /** Train until `until` updates (Infinity: until paused). */
  | { type: "train"; until: number }
  | { type: "pause" }
  /** One batch (one update, or one per TBPTT window). */
  | { type: "step" }
  /** Options that change without a reset: they apply from the next update on. */
  | { type: "set"; lr: number; clip: number; clipValue: number }
  /** What the views show: the probe sequence, the layer, the sampling temperature. */
  | { type: "view"; row: number; layer: number; temperature: number }
  | { type: "export" }
  /** A model directory's files (name → bytes), to inspect and go on training. */
  | { type: "import"; files: Record<string, Uint8Array>; source: string };

export interface ModelInfo {
  id: number;
  /** The setup the model belongs to (for an imported model: read from its config.json). */
  config: PlaygroundConfig;
  input: number;
  output: number;
  /** σ_y of the head: linear (MSE), softmax (cross-entropy) or sigmoid (binary cross-entropy). */
  outputActivation: string;
  /** Parameters of the library's model (its flat array's length). */
  params: number;
  /** The library's summary table (model.summary()). */
  summary: string;
  name: string;
  describe: string;
  lossName: string;
  baseline: { loss: number; what: string } | null;
  layers: number;
  /** Probe sequences the views can show, and their length. */
  rows: number;
  T: number;
  /** Per layer, the names of the carried states and (LSTM, GRU) gates. */
  stateNames: string[];
  gateNames: string[];
  /** Set when the model came from files. */
  imported: { source: string; weights: "best" | "last"; step: number } | null;
}

export interface EvalPoint { step: number; val_loss: number; train_loss?: number; metrics: Record<string, number> }

export interface Progress {
  step: number;
  /** Training loss of every update since the last message: [step, loss]. */
  losses: Array<[number, number]>;
  /** Global gradient norm before clipping and whether clipping fired, per update: [step, norm, clipped]. */
  grads: Array<[number, number, 0 | 1]>;
  evals: EvalPoint[];
  /** Updates per second over the last few seconds (wall clock, everything in the worker counted). */
  rate: number;
  running: boolean;
  /** Gradient-free runs: loss evaluations instead of updates. */
  unit: "updates" | "evaluations";
}

/** A heatmap: rows × cols values, row-major. */
export interface Grid { name: string; rows: number; cols: number; values: Float32Array }

export type OutputView =
  | { kind: "scatter"; title: string; target: number[]; prediction: number[]; accuracy: number; tolerance: number }
  | { kind: "classes"; title: string; target: number[]; probs: number[][]; accuracy: number }
  | { kind: "steps"; title: string; classes: boolean; outputs: number; steps: Array<{ target: number[]; prediction: number[]; scored: boolean }>; accuracy: number; stepAccuracy: number | null }
  | { kind: "forecast"; title: string; dates: string[] | null; actual: number[]; trainEnd: number; valEnd: number; oneStep: Array<[number, number]>; horizon: Array<[number, number]>; mae: number; naiveMae: number; seasonalMae: number | null }
  | { kind: "text"; title: string; prompt: string; text: string; temperature: number };

export interface Views {
  step: number;
  row: number;
  layer: number;
  /** The unrolled network on probe sequence `row`: states (units × steps, t = 0..T) and gates (units × T). */
  states: Grid[];
  gates: Grid[];
  /** ‖∂L/∂state_t‖ over t = 0..T−1 on the probe batch, for every layer and state. */
  gradients: Array<{ layer: number; state: string; norms: number[] }>;
  probeLoss: number;
  /** ρ and σ_max of every recurrent block (recurrentSpectra). */
  spectra: Array<{ tensor: string; block: string; spectralRadius: number; maxSingular: number }>;
  output: OutputView;
  /** Milliseconds the worker spent on these views. */
  ms: number;
}

export interface Column {
  step: number;
  gradients: Views["gradients"];
  spectra: Views["spectra"];
  ms: number;
}

export type FromWorker =
  | { type: "backend"; name: string; threads: number; isolated: boolean; note: string }
  | { type: "ready"; info: ModelInfo }
  | { type: "progress"; progress: Progress }
  | { type: "views"; views: Views }
  /** Between full views, on a schedule of updates: one column of the gradient heatmap and the spectra. */
  | { type: "column"; column: Column }
  /** `seconds`: training time as fit() counts it (validation excluded), over the model's whole run. */
  | { type: "stopped"; reason: string; step: number; seconds: number; threads: { ready: number; chunksByWorkers: number } }
  | { type: "error"; where: "configure" | "train" | "import" | "export"; message: string }
  | { type: "exported"; name: string; files: Record<string, Uint8Array> };
