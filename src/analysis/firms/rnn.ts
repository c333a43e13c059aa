// The RNN view of each firm: one GRU next-day forecaster shared by all firms, trained on
// short windows of standardised growth rates, gives every firm an embedding; similarity is
// the cosine of embeddings (centred over firms, so the part every firm shares does not make
// all firms look alike).
//
//   input per day   x_t = (z_{i,t}, m_t): the firm's standardised growth rate and the
//                   standardised equal-weighted market factor (so the state can encode how
//                   the firm moves with the market, not only its own path)
//   target          z_{i,t+1}, MSE over every step of an L-day window (many-to-many)
//   state summary   h_w(i) = final hidden state (H) of window w for firm i; windows of L days
//                   every `stride` days over the period (all firms run as one batch)
//   embedding       "trajectory": the sequence (h_w(i))_w flattened (W·H): two firms are
//                   alike when their states move together in time, a nonlinear cousin of
//                   correlation;
//                   "mean": the mean over windows of h_w(i) (H): a time-free profile of the
//                   firm's dynamics (what the brief's first sketch suggests)
//   bidirectional   each window is also read backwards: h_w(i) = [h→ ; h←] (2H), both final
//                   states (PyTorch's h_n). A next-day target at every step would be read by
//                   the reverse direction, so this model forecasts the day after each window
//                   from both directions' summary (many-to-one, src/train/readout.ts).
//
// Pure TypeScript on the toolkit's own Sequence model and Trainer (no node: imports).
// Not here: the classical measures (similarity.ts).
import { Rng } from "../../rand.ts";
import { Sequence } from "../../train/sequence.ts";
import { initialize } from "../../model/initialize.ts";
import { Trainer } from "../../train/trainer.ts";
import { makeOptimizer } from "../../train/optim/index.ts";
import { standardise, gram } from "./similarity.ts";

export type RnnEmbedding = "trajectory" | "mean";

export interface RnnOptions {
  cell: "gru" | "lstm";
  hidden: number;          // H
  window: number;          // L, days per training and embedding window
  stride: number;          // days between embedding windows
  steps: number;           // optimiser updates
  batch: number;           // windows per update
  lr: number;
  seed: number;
  embedding: RnnEmbedding;
  /** Read each window both ways (states 2H); forecasts the day after each window. */
  bidirectional?: boolean;
}

export const RNN_DEFAULTS: RnnOptions = { cell: "gru", hidden: 16, window: 20, stride: 5, steps: 600, batch: 64, lr: 3e-3, seed: 7, embedding: "trajectory", bidirectional: false };

export interface RnnModelResult {
  model: Sequence;
  states: Float64Array;    // (W, N, D·H) final hidden state of each embedding window (both directions': D = 2)
  width: number;           // D·H, the state size per window
  windowEnds: Int32Array;  // (W) index of the last day of each window
  trainLoss: number;       // mean MSE over the last 10% of updates
  baselineLoss: number;    // MSE of predicting 0 (the mean) on the same batches
  seconds: number;
}

/** Standardised inputs (T, N, 2) = (z_i, m) in float32 and targets z (T, N). */
function inputs(growth: Float64Array, T: number, N: number): { z: Float64Array; m: Float64Array } {
  const z = standardise(growth, T, N);
  // standardise() scales to unit norm; rescale to unit variance.
  const s = Math.sqrt(T);
  for (let k = 0; k < z.length; k++) z[k] *= s;
  const m = new Float64Array(T);
  for (let t = 0; t < T; t++) { let a = 0; for (let j = 0; j < N; j++) a += growth[t * N + j]; m[t] = a / N; }
  const mz = standardise(m, T, 1);
  for (let t = 0; t < T; t++) m[t] = mz[t] * s;
  return { z, m };
}

/** Trains the shared forecaster and collects the final states of every embedding window;
 * `onStep(done, steps)` after each update (a progress display). */
export function trainRnn(growth: Float64Array, T: number, N: number, opt: RnnOptions = RNN_DEFAULTS, onStep?: (done: number, steps: number) => void): RnnModelResult {
  const t0 = performance.now();
  const { z, m } = inputs(growth, T, N);
  const L = opt.window, B = opt.batch, H = opt.hidden;
  const rng = new Rng(opt.seed);
  const bi = Boolean(opt.bidirectional), D = bi ? 2 : 1;
  const model = new Sequence({ cell: opt.cell, input: 2, hidden: H, output: 1, ...(bi ? { bidirectional: true } : {}) }, "float32");
  // PyTorch's defaults (the library's initialiser): U(−1/√H, 1/√H) for the recurrent layers,
  // U(−1/√fan_in, 1/√fan_in) for the head; one draw per parameter, so the batches after are the same.
  initialize(model, rng, "pytorch");
  const trainer = new Trainer(model, { loss: "mse", optimizer: makeOptimizer("adam", { lr: opt.lr }), clipNorm: 1, manyToOne: bi });
  const x = new Float32Array(L * B * 2), y = new Float32Array(bi ? B : L * B);
  let lossTail = 0, baseTail = 0, tailN = 0;
  const tailFrom = Math.floor(opt.steps * 0.9);
  for (let step = 0; step < opt.steps; step++) {
    // A batch of random (firm, start) windows; the target is the next day's growth.
    let base = 0;
    for (let b = 0; b < B; b++) {
      const i = rng.int(N), s = rng.int(T - L);
      for (let t = 0; t < L; t++) {
        x[(t * B + b) * 2] = z[(s + t) * N + i];
        x[(t * B + b) * 2 + 1] = m[s + t];
        if (bi) continue;
        const target = z[(s + t + 1) * N + i];
        y[t * B + b] = target; base += target * target;
      }
      if (bi) { const target = z[(s + L) * N + i]; y[b] = target; base += target * target; }   // the day after the window
    }
    const r = trainer.trainStep({ x, T: L, B, targets: y });
    if (step >= tailFrom) { lossTail += r.loss; baseTail += base / y.length; tailN++; }
    onStep?.(step + 1, opt.steps);
  }

  // Embedding windows: every `stride` days, all firms as one batch of N.
  const ends: number[] = [];
  for (let e = L - 1; e < T; e += opt.stride) ends.push(e);
  const states = new Float64Array(ends.length * N * D * H);
  const xe = new Float32Array(L * N * 2);
  ends.forEach((e, w) => {
    const s = e - L + 1;
    for (let t = 0; t < L; t++) for (let i = 0; i < N; i++) {
      xe[(t * N + i) * 2] = z[(s + t) * N + i];
      xe[(t * N + i) * 2 + 1] = m[s + t];
    }
    const st = model.forward(xe, L, N).state[0];   // per direction: (N, H) h (then c for LSTM)
    const K = st.length / D;
    for (let i = 0; i < N; i++) for (let d = 0; d < D; d++) for (let k = 0; k < H; k++) states[((w * N + i) * D + d) * H + k] = st[d * K][i * H + k];
  });
  return {
    model, states, width: D * H, windowEnds: Int32Array.from(ends),
    trainLoss: tailN ? lossTail / tailN : NaN, baselineLoss: tailN ? baseTail / tailN : NaN,
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * Cosine similarity (N, N) of firm embeddings built from windows [w0, w1) of `states`
 * (W, N, H), centred over firms.
 */
export function rnnSimilarity(states: Float64Array, N: number, H: number, w0: number, w1: number, embedding: RnnEmbedding): Float64Array {
  const W = w1 - w0;
  const D = embedding === "mean" ? H : W * H;
  const E = new Float64Array(D * N); // (D, N): feature-major so that S = Eᵀ E is one GEMM
  for (let w = w0; w < w1; w++) for (let i = 0; i < N; i++) for (let h = 0; h < H; h++) {
    const v = states[(w * N + i) * H + h];
    if (embedding === "mean") E[h * N + i] += v / W;
    else E[((w - w0) * H + h) * N + i] = v;
  }
  // Centre each feature over firms, then unit-normalise each firm's embedding.
  for (let d = 0; d < D; d++) {
    let mean = 0;
    for (let i = 0; i < N; i++) mean += E[d * N + i];
    mean /= N;
    for (let i = 0; i < N; i++) E[d * N + i] -= mean;
  }
  const norm = new Float64Array(N);
  for (let d = 0; d < D; d++) for (let i = 0; i < N; i++) norm[i] += E[d * N + i] ** 2;
  for (let d = 0; d < D; d++) for (let i = 0; i < N; i++) E[d * N + i] /= Math.sqrt(norm[i]) || 1;
  return gram(E, D, N, true);
}
