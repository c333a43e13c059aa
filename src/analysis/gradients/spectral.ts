// Spectral radius ρ(A) and largest singular value σ_max(A) of a matrix by power iteration,
// and both for every recurrent weight matrix of a model, per gate block for LSTM and GRU.
// Pascanu et al. (2013, §2.2): with a bounded activation derivative γ, σ_max(U) < 1/γ is
// sufficient for vanishing gradients and ρ(U) > 1 necessary for exploding ones (tanh: γ = 1).
//
//   σ_max: power iteration on AᵀA (converges for every matrix; σ = √ of the Rayleigh quotient).
//   ρ:     Gelfand's formula ρ = lim ‖A^k v‖^{1/k}: the mean log growth of ‖A v‖ over the
//          second half of the iterations. It works when the dominant eigenvalues are a complex
//          pair or several of equal modulus (where plain power iteration oscillates); the error
//          falls like 1/k (about 1e-3 relative after 2000 iterations for random 64 × 64).
// Start vectors are fixed (not random), so results are reproducible bit for bit.
import { cellSpec } from "../../cells/registry.ts";
import { check } from "../../errors.ts";
import type { Sequence } from "../../train/sequence.ts";

type Mat = ArrayLike<number>;

function startVector(n: number): Float64Array {
  // Deterministic and with no special structure, so it is not orthogonal to a dominant vector.
  return Float64Array.from({ length: n }, (_, i) => 1 + 0.5 * Math.sin(1.3 * i + 0.7));
}

/** y = A x, A (rows, cols) row-major. */
function mv(A: Mat, rows: number, cols: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += A[i * cols + j] * x[j];
    y[i] = s;
  }
}

/** y = Aᵀ x, A (rows, cols) row-major. */
function mtv(A: Mat, rows: number, cols: number, x: Float64Array, y: Float64Array): void {
  y.fill(0);
  for (let i = 0; i < rows; i++) {
    const xi = x[i];
    for (let j = 0; j < cols; j++) y[j] += A[i * cols + j] * xi;
  }
}

function norm2(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** σ_max(A) = ‖A‖₂ for A (rows, cols) row-major. Stops when the estimate changes by < tol (relative). */
export function maxSingularValue(A: Mat, rows: number, cols: number, opts: { iters?: number; tol?: number } = {}): number {
  check(A.length === rows * cols, "maxSingularValue: A", `length rows·cols = ${rows * cols}`, A.length);
  const iters = opts.iters ?? 500, tol = opts.tol ?? 1e-12;
  let v = startVector(cols);
  const u = new Float64Array(rows), w = new Float64Array(cols);
  let sigma = 0;
  for (let k = 0; k < iters; k++) {
    const nv = norm2(v);
    if (nv === 0 || !Number.isFinite(nv)) return nv === 0 ? 0 : NaN;
    for (let j = 0; j < cols; j++) v[j] /= nv;
    mv(A, rows, cols, v, u);
    const s = norm2(u);                 // ‖A v‖ with ‖v‖ = 1: a lower bound that rises to σ_max
    if (s === 0) return sigma;
    mtv(A, rows, cols, u, w);
    const converged = Math.abs(s - sigma) <= tol * s;
    sigma = Math.max(sigma, s);
    if (converged && k > 2) break;
    v = w.slice();
  }
  return sigma;
}

/** ρ(A) = max |λ| for a square (n, n) row-major A, by Gelfand's formula (see the file comment). */
export function spectralRadius(A: Mat, n: number, opts: { iters?: number } = {}): number {
  check(A.length === n * n, "spectralRadius: A", `length n² = ${n * n}`, A.length);
  const iters = opts.iters ?? 2000;
  let v: Float64Array = startVector(n);
  let y: Float64Array = new Float64Array(n);
  let logSum = 0, counted = 0;
  for (let k = 0; k < iters; k++) {
    const nv = norm2(v);
    for (let j = 0; j < n; j++) v[j] /= nv;
    mv(A, n, n, v, y);
    const g = norm2(y);
    if (g === 0) return 0;               // A^k v = 0: nilpotent along v
    if (!Number.isFinite(g)) return NaN;
    if (k >= iters / 2) { logSum += Math.log(g); counted++; }
    [v, y] = [y, v];
  }
  return Math.exp(logSum / counted);
}

export interface MatrixSpectrum {
  /** The tensor, e.g. "weight_hh_l0". */
  tensor: string;
  /** The gate block ("i", "f", "g", "o" for LSTM; "r", "z", "n" for GRU; "U" Elman; "ss" Jordan). */
  block: string;
  size: number;
  spectralRadius: number;
  maxSingular: number;
}

/** ρ and σ_max of every square recurrent block of every layer (each (n, n) gate block of weight_hh). */
export function recurrentSpectra(model: Sequence, opts: { iters?: number } = {}): MatrixSpectrum[] {
  const out: MatrixSpectrum[] = [];
  model.layers.forEach((layer, l) => {
    // The layer's recurrent matrix by its role in the cell's description, its blocks by name.
    const cell = cellSpec(layer.kind);
    const recurrent = Object.entries(cell.tensors).find(([, t]) => t.role === "recurrent");
    if (!recurrent) return;
    const spec = { tensor: recurrent[0], names: recurrent[1].blocks ?? cell.gates };
    const name = `${spec.tensor}_l${l}`;
    const e = model.entry(name), [rows, cols] = e.shape;
    const W = model.get(name);
    const n = cols, G = rows / cols;
    for (let g = 0; g < G; g++) {
      const blk = W.subarray(g * n * n, (g + 1) * n * n);
      out.push({ tensor: name, block: spec.names[g], size: n, spectralRadius: spectralRadius(blk, n, opts), maxSingular: maxSingularValue(blk, n, n) });
    }
  });
  return out;
}
