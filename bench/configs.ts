// The benchmark configurations of ../shared/BENCHMARKS.md (C1 char-LM, C2 time series,
// C3 large), their FLOP count, and the synthetic batches every tool is fed. Inputs are
// random (the speed of a step does not depend on the data); every tool gets the same
// shapes, one-hot inputs for C1 and the same loss.

import { Rng } from "../src/rand.ts";

export type Cell = "elman" | "lstm" | "gru";
export type Mode = "train" | "infer";
export interface Config {
  name: "C1" | "C2" | "C3";
  input: number; hidden: number; layers: number; T: number; B: number;
  /** Head outputs (0 = none: MSE on the top layer's h). */
  output: number;
  loss: "ce" | "mse";
  oneHot: boolean;
  cells: Cell[];
}

export const CONFIGS: Config[] = [
  { name: "C1", input: 65, hidden: 256, layers: 1, T: 64, B: 32, output: 65, loss: "ce", oneHot: true, cells: ["elman", "lstm", "gru"] },
  { name: "C2", input: 1, hidden: 32, layers: 1, T: 50, B: 64, output: 1, loss: "mse", oneHot: false, cells: ["elman", "lstm", "gru"] },
  { name: "C3", input: 512, hidden: 512, layers: 2, T: 100, B: 64, output: 0, loss: "mse", oneHot: false, cells: ["lstm"] },
];

export const GATES: Record<Cell, number> = { elman: 1, lstm: 4, gru: 3 };

/** Matrix FLOPs per token (BENCHMARKS.md): Σ_layers 2·G·H·(I+H) + 2·H·O; training counts 3×. */
export function flopsPerToken(c: Config, cell: Cell, mode: Mode): number {
  let f = 0;
  for (let l = 0; l < c.layers; l++) f += 2 * GATES[cell] * c.hidden * ((l === 0 ? c.input : c.hidden) + c.hidden);
  f += 2 * c.hidden * c.output;
  return mode === "train" ? 3 * f : f;
}

/** One batch, time-major: x (T, B, I); targets: class ids (T·B) for ce, values (T, B, O or H) for mse. */
export interface Batch { x: Float32Array; classes: Int32Array; values: Float32Array }

export function makeBatch(c: Config, seed = 1): Batch {
  const rng = new Rng(seed);
  const N = c.T * c.B;
  const x = new Float32Array(N * c.input);
  const classes = new Int32Array(c.loss === "ce" ? N : 0);
  const outW = c.output > 0 ? c.output : c.hidden;
  const values = new Float32Array(c.loss === "mse" ? N * outW : 0);
  if (c.oneHot) {
    const sym = Array.from({ length: N + 1 }, () => rng.int(c.input));
    for (let n = 0; n < N; n++) { x[n * c.input + sym[n]] = 1; classes[n] = sym[n + 1]; }
  } else {
    for (let i = 0; i < x.length; i++) x[i] = rng.normal() * 0.5;
    for (let i = 0; i < values.length; i++) values[i] = rng.normal() * 0.5;
  }
  return { x, classes, values };
}

/** Bytes the C-config's training needs at minimum (float32): parameters ×4 (θ, grad, Adam m, v)
 *  plus the per-token activations BPTT must keep (LSTM: 4 gates, h, c, tanh c; GRU: 3 gates,
 *  h, and the candidate's recurrent part; Elman: h) and the input. */
export function minTrainBytes(c: Config, cell: Cell): number {
  let params = 0, act = 0;
  const G = GATES[cell], H = c.hidden;
  for (let l = 0; l < c.layers; l++) {
    const I = l === 0 ? c.input : H;
    params += G * H * (I + H) + 2 * G * H;
    act += cell === "lstm" ? 7 * H : cell === "gru" ? 5 * H : H;
  }
  params += c.output * (H + 1);
  const N = c.T * c.B;
  return 4 * (4 * params + N * (act + c.input + (c.output || H)));
}
