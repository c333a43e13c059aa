// Element-wise kernels of the numeric core: activations (forward, and backward from the
// activation's output), bias add, column sums. Each backward sits under its forward and
// takes the forward's output, because σ' = y(1−y), tanh' = 1−y², relu' = [y > 0].
// Offsets index into the arrays, so the time loop slices without allocating views.
import type { Vec } from "./types.ts";
import { gateKernelsFor } from "./gate-kernels.ts";

export type Activation = "tanh" | "sigmoid" | "relu" | "linear";
export const HIDDEN_ACTIVATIONS = ["tanh", "sigmoid", "relu"] as const;

export function sigmoid(v: number): number {
  // Split by sign so exp never overflows.
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** Gate activations of LSTM and GRU: PyTorch's logistic sigmoid, or Keras/tfjs's
 *  hard sigmoid clip(0.2·x + 0.5, 0, 1) (tfjs-layers' default recurrent activation). */
export type GateActivation = "sigmoid" | "hard_sigmoid";
export const GATE_ACTIVATIONS = ["sigmoid", "hard_sigmoid"] as const;

export function hardSigmoid(v: number): number {
  const y = 0.2 * v + 0.5;
  return y <= 0 ? 0 : y >= 1 ? 1 : y;
}

/** d gate / d pre-activation, from the gate's output y. */
export function gateSlope(hard: boolean, y: number): number {
  return hard ? (y > 0 && y < 1 ? 0.2 : 0) : y * (1 - y);
}

/** y[off..off+n) = act(x[off..off+n)); x and y may be the same array. */
export function activate(act: Activation, x: Vec, y: Vec, off: number, n: number): void {
  const end = off + n;
  switch (act) {
    case "tanh": for (let i = off; i < end; i++) y[i] = Math.tanh(x[i]); break;
    case "sigmoid": for (let i = off; i < end; i++) y[i] = sigmoid(x[i]); break;
    case "relu": for (let i = off; i < end; i++) y[i] = x[i] > 0 ? x[i] : 0; break;
    case "linear": if (x !== y) for (let i = off; i < end; i++) y[i] = x[i]; break;
  }
}

/** dx[i] = dy[i] · act'(at y[i]), for n elements from the given offsets. */
export function activateBackward(act: Activation, y: Vec, yOff: number, dy: Vec, dyOff: number,
  dx: Vec, dxOff: number, n: number): void {
  switch (act) {
    case "tanh": for (let i = 0; i < n; i++) { const v = y[yOff + i]; dx[dxOff + i] = dy[dyOff + i] * (1 - v * v); } break;
    case "sigmoid": for (let i = 0; i < n; i++) { const v = y[yOff + i]; dx[dxOff + i] = dy[dyOff + i] * v * (1 - v); } break;
    case "relu": for (let i = 0; i < n; i++) dx[dxOff + i] = y[yOff + i] > 0 ? dy[dyOff + i] : 0; break;
    case "linear": for (let i = 0; i < n; i++) dx[dxOff + i] = dy[dyOff + i]; break;
  }
}

/** x[rows, n] += bias[n], row by row from offset `off`. */
export function addBias(x: Vec, off: number, rows: number, bias: Vec, n: number): void {
  const k = rows * n >= 256 ? gateKernelsFor(x, bias) : null;   // WebAssembly SIMD, same bits
  if (k) { k.addBias(x, off, rows, bias, n); return; }
  for (let r = 0; r < rows; r++) {
    const o = off + r * n;
    for (let j = 0; j < n; j++) x[o + j] += bias[j];
  }
}

/** dbias[n] += Σ_rows dx[rows, n]: the backward of addBias. */
export function addBiasBackward(dbias: Vec, dx: Vec, off: number, rows: number, n: number): void {
  const k = rows * n >= 256 ? gateKernelsFor(dbias, dx) : null;  // WebAssembly SIMD, same bits
  if (k) { k.addBiasBackward(dbias, dx, off, rows, n); return; }
  for (let r = 0; r < rows; r++) {
    const o = off + r * n;
    for (let j = 0; j < n; j++) dbias[j] += dx[o + j];
  }
}

/** Row-wise softmax of x[rows, n] into y (may alias x), numerically stable. */
export function softmaxRows(x: Vec, y: Vec, off: number, rows: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    const o = off + r * n;
    let m = -Infinity;
    for (let j = 0; j < n; j++) if (x[o + j] > m) m = x[o + j];
    let s = 0;
    for (let j = 0; j < n; j++) { const e = Math.exp(x[o + j] - m); y[o + j] = e; s += e; }
    for (let j = 0; j < n; j++) y[o + j] /= s;
  }
}

/** dx += J_softmax(y)ᵀ dy per row: dx_j += y_j (dy_j − Σ_k y_k dy_k). */
export function softmaxRowsBackwardAdd(y: Vec, yOff: number, dy: Vec, dyOff: number, dx: Vec, dxOff: number,
  rows: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    const yo = yOff + r * n, go = dyOff + r * n, xo = dxOff + r * n;
    let dot = 0;
    for (let j = 0; j < n; j++) dot += y[yo + j] * dy[go + j];
    for (let j = 0; j < n; j++) dx[xo + j] += y[yo + j] * (dy[go + j] - dot);
  }
}

/** Copies n numbers between offsets (a row of a block, or a whole (B, n) block), without a view. */
export function copyRow(src: Vec, srcOff: number, dst: Vec, dstOff: number, n: number): void {
  for (let j = 0; j < n; j++) dst[dstOff + j] = src[srcOff + j];
}
