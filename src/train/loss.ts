// Losses, each fused with the head's activation so the gradient wrt the logits is exact and
// stable: cross-entropy over softmax ("ce"), binary cross-entropy over sigmoid ("bce"), and
// mean squared error on linear outputs ("mse"). Means follow PyTorch's 'mean' reduction
// (per row for ce, per element for mse and bce), over unmasked rows only.
import { check } from "../errors.ts";
import type { Vec } from "../tensor/types.ts";
import type { OutputActivation } from "../model/config.ts";
import { gateKernelsFor } from "../tensor/gate-kernels.ts";

export type LossKind = "mse" | "ce" | "bce";

/** The loss that goes with a head activation. */
export function lossForActivation(act: OutputActivation): LossKind {
  return act === "softmax" ? "ce" : act === "sigmoid" ? "bce" : "mse";
}

/**
 * Loss over N rows of O logits; writes dL/dlogits into `dLogits` (N, O) when given.
 * targets: "ce" class indices (N) as Int32Array (or any numeric array of integers);
 * "mse"/"bce" values (N, O). rowMask (N): 1 = counted, 0 = ignored (padding), or null.
 * gradScale: dLogits is the gradient of gradScale × the loss (the returned loss is unscaled):
 * a summed-over-time loss scales it here rather than in another pass over (N, O).
 */
export function lossAndGrad(kind: LossKind, logits: Vec, N: number, O: number, targets: ArrayLike<number>,
  rowMask: Uint8Array | null, dLogits: Vec | null, gradScale = 1): number {
  check(logits.length >= N * O, "loss logits", `at least N·O = ${N * O} values`, logits.length);
  check(targets.length === (kind === "ce" ? N : N * O), "loss targets", `length ${kind === "ce" ? `N = ${N}` : `N·O = ${N * O}`}`, targets.length);
  let rows = 0;
  for (let n = 0; n < N; n++) if (!rowMask || rowMask[n]) rows++;
  if (rows === 0) { dLogits?.fill(0, 0, N * O); return 0; }
  let total = 0;
  if (kind === "ce") {
    // Every counted row's gradient is written whole below, so only ignored rows are zeroed: over
    // a 10,000-word vocabulary a pass over (N, O) is a few percent of a step.
    const scale = gradScale / rows;
    const fast = dLogits ? gateKernelsFor(logits, dLogits) : gateKernelsFor(logits);
    for (let n = 0; n < N; n++) {
      if (rowMask && !rowMask[n]) { dLogits?.fill(0, n * O, (n + 1) * O); continue; }
      const o = n * O, y = targets[n];
      check(Number.isInteger(y) && y >= 0 && y < O, `loss targets[${n}]`, `a class index in [0, ${O})`, y);
      if (fast) {
        // The fast backend's SIMD exp (float32, Cephes expf) and float64 sum: over a
        // 10,000-word vocabulary this loop was 40 % of a PTB step with Math.exp.
        const m = fast.rowMax(logits, o, O);
        const s = fast.softmaxRow(logits, o, dLogits, o, O, m, scale);
        if (dLogits) dLogits[o + y] -= scale;
        total += m + Math.log(s) - logits[o + y];
        continue;
      }
      let m = -Infinity;
      for (let j = 0; j < O; j++) if (logits[o + j] > m) m = logits[o + j];
      let s = 0;
      if (dLogits) {
        // One exp per logit, kept in dLogits and then scaled: over a 10,000-word vocabulary the
        // exps are most of a language model's loss (with two passes of them the loss was 37 % of a
        // PTB step in a CPU profile).
        for (let j = 0; j < O; j++) { const e = Math.exp(logits[o + j] - m); dLogits[o + j] = e; s += e; }
        const k = scale / s;
        for (let j = 0; j < O; j++) dLogits[o + j] *= k;
        dLogits[o + y] -= scale;
      } else {
        for (let j = 0; j < O; j++) s += Math.exp(logits[o + j] - m);
      }
      total += m + Math.log(s) - logits[o + y];
    }
    return total / rows;
  }
  if (dLogits) dLogits.fill(0, 0, N * O);
  const scale = gradScale / (rows * O);
  for (let n = 0; n < N; n++) {
    if (rowMask && !rowMask[n]) continue;
    for (let j = 0; j < O; j++) {
      const k = n * O + j, z = logits[k], y = targets[k];
      if (kind === "mse") {
        const d = z - y;
        total += d * d;
        if (dLogits) dLogits[k] = 2 * d * scale;
      } else {
        // BCE with logits, stable form: max(z,0) − z·y + log(1 + e^{−|z|}).
        total += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
        if (dLogits) dLogits[k] = (sigmoidOf(z) - y) * scale;
      }
    }
  }
  return total * scale;
}

function sigmoidOf(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** For many-to-one: the outputs (B, O) at each sequence's last real step (lengths (B), default T). */
export function gatherLast(out: Vec, T: number, B: number, O: number, lengths: ArrayLike<number> | null, dst: Vec): Vec {
  for (let b = 0; b < B; b++) {
    const t = (lengths ? lengths[b] : T) - 1;
    dst.set(out.subarray((t * B + b) * O, (t * B + b + 1) * O), b * O);
  }
  return dst;
}

/** The backward of gatherLast: dOut (T, B, O) zero except the last real step of each sequence. */
export function scatterLast(dLast: Vec, T: number, B: number, O: number, lengths: ArrayLike<number> | null, dOut: Vec): Vec {
  dOut.fill(0);
  for (let b = 0; b < B; b++) {
    const t = (lengths ? lengths[b] : T) - 1;
    dOut.set(dLast.subarray(b * O, (b + 1) * O), (t * B + b) * O);
  }
  return dOut;
}
