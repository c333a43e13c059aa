// Central-difference gradient checking in float64 (STYLE §9): every parameter tensor and
// every initial state. Relative error |a − n| / max(|a| + |n|, 1e-5): below 1e-5 a gradient
// entry is held to an absolute error of 1e-11, about the precision to which a float64 finite
// difference of an O(1) loss can be known at all.
import { Rng } from "../../src/rand.ts";
import { Sequence } from "../../src/train/sequence.ts";
import type { ModelConfig } from "../../src/model/config.ts";
import { gatherLast, lossAndGrad, lossForActivation, scatterLast } from "../../src/train/loss.ts";

export interface Case {
  config: Partial<ModelConfig>;
  T: number; B: number;
  manyToOne?: boolean;
  masked?: boolean;
  seed?: number;
  /** Training forward with dropout (config.dropout > 0): the same fixed mask in every pass
   *  (the source is re-seeded for each forward). */
  dropout?: boolean;
}

export interface CheckResult { maxRel: number; worst: string; checked: number }

export function relErr(a: number, n: number): number {
  return Math.abs(a - n) / Math.max(Math.abs(a) + Math.abs(n), 1e-5);
}

/** Builds a float64 model and a random batch, and returns loss(params, state0) plus the analytic gradients. */
export function setup(c: Case) {
  const rng = new Rng(c.seed ?? 1);
  const m = new Sequence(c.config, "float64");
  for (let i = 0; i < m.params.length; i++) m.params[i] = rng.normal() * 0.4;
  const { T, B } = c, I = m.inputWidth, O = m.outputSize;
  // With an embedding the inputs are token ids (T, B); otherwise features (T, B, I).
  const x = new Float64Array(T * B * I).map(() => (m.config.embedding > 0 ? rng.int(m.config.input) : rng.normal()));
  const lengths = Array.from({ length: B }, (_, b) => (c.masked ? Math.max(1, T - (b % T)) : T));
  const mask = c.masked ? new Uint8Array(T * B).map((_, k) => (Math.floor(k / B) < lengths[k % B] ? 1 : 0)) : null;
  const kind = m.head || m.config.cell === "jordan" ? lossForActivation(m.config.outputActivation) : "mse";
  const rows = c.manyToOne ? B : T * B;
  const targets = kind === "ce"
    ? new Int32Array(rows).map(() => rng.int(O))
    : new Float64Array(rows * O).map(() => (kind === "bce" ? (rng.uniform() < 0.5 ? 0 : 1) : rng.normal()));
  const teacher = m.config.cell === "jordan" && m.config.feedback === "teacher"
    ? new Float64Array(T * B * O).map(() => rng.uniform()) : null;
  const state0 = m.zeroState(B).map((s) => s.map((v) => v.map(() => rng.normal() * 0.5)));
  // A fixed random weighting of the final states joins the loss, so dL/d(final state) is tested too.
  const stateW = m.zeroState(B).map((s) => s.map((v) => v.map(() => rng.normal())));
  const rowMask = c.manyToOne ? null : mask;
  const last = new Float64Array(B * O);
  const dropout = () => (c.dropout ? new Rng(977) : null);   // a fixed mask: the same draws every pass
  // Many-to-one on a bidirectional model reads both directions' summary (src/train/readout.ts).
  const summary = Boolean(c.manyToOne && m.config.bidirectional);
  const run = () => (summary ? m.forwardSummary(x, T, B, { state0, mask, dropout: dropout() }) : m.forward(x, T, B, { state0, mask, teacher, dropout: dropout() }));
  const last_ = (out: Float64Array | Float32Array) => (summary ? out : gatherLast(out, T, B, O, lengths, last));

  const loss = (): number => {
    const { out, state } = run();
    const logits = c.manyToOne ? last_(out) : out;
    let L = lossAndGrad(kind, logits, rows, O, targets, rowMask, null);
    state.forEach((s, l) => s.forEach((v, k) => v.forEach((val, i) => { L += val * stateW[l][k][i]; })));
    return L;
  };

  const analytic = () => {
    m.zeroGrads();
    const { out } = run();
    const dLogits = new Float64Array(rows * O);
    const logits = c.manyToOne ? last_(out) : out;
    lossAndGrad(kind, logits, rows, O, targets, rowMask, dLogits);
    if (summary) { const { dState0 } = m.backwardSummary(dLogits, stateW); return { grads: m.grads.slice(), dState0 }; }
    const dOut = c.manyToOne ? scatterLast(dLogits, T, B, O, lengths, new Float64Array(T * B * O)) : dLogits;
    const { dState0 } = m.backward(dOut, stateW);
    return { grads: m.grads.slice(), dState0 };
  };
  return { m, loss, analytic, state0 };
}

/** Compares the analytic gradients with central differences for every parameter and state. */
export function gradCheck(c: Case, eps = defaultEps(c)): CheckResult {
  const { m, loss, analytic, state0 } = setup(c);
  const { grads, dState0 } = analytic();
  let maxRel = 0, worst = "", checked = 0;
  const probe = (arr: Float64Array | Float32Array, i: number, a: number, label: string) => {
    const old = arr[i];
    // Five-point central stencil: truncation error O(eps⁴), so eps can be large enough that
    // float64 rounding of the loss stays far below the gradients being checked.
    arr[i] = old + eps; const l1 = loss();
    arr[i] = old - eps; const m1 = loss();
    arr[i] = old + 2 * eps; const l2 = loss();
    arr[i] = old - 2 * eps; const m2 = loss();
    arr[i] = old;
    const n = (8 * (l1 - m1) - (l2 - m2)) / (12 * eps);
    const r = relErr(a, n);
    checked++;
    if (r > maxRel) { maxRel = r; worst = `${label} analytic ${a} numeric ${n}`; }
  };
  for (const t of m.tensors) for (let i = 0; i < t.size; i++) probe(m.params, t.offset + i, grads[t.offset + i], `${t.name}[${i}]`);
  state0.forEach((s, l) => s.forEach((v, k) => { for (let i = 0; i < v.length; i++) probe(v, i, dState0[l][k][i], `state0[${l}][${k}][${i}]`); }));
  return { maxRel, worst, checked };
}

/** A step large enough to beat rounding, except across ReLU's kink, where a small step is safer. */
function defaultEps(c: Case): number {
  return c.config.hiddenActivation === "relu" || c.config.stateActivation === "relu" ? 1e-4 : 3e-4;
}
