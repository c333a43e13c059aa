// Parameter initialisers. Each fills a view of the flat parameter array in place: a
// (rows, cols) row-major weight matrix, or a vector, drawing from the one seeded Rng, so
// the same seed gives the same weights. They know matrix shapes, not cells: the model
// decides which tensor gets which initialiser (and splits gate blocks with `perBlock`).
//
// Shapes follow PyTorch: a weight is (out, in) = (rows, cols), so fan_in = cols and
// fan_out = rows; e.g. LSTM weight_hh_l0 is (4H, H), four (H, H) gate blocks i|f|g|o.

import type { Vec } from "../tensor/types.ts";
import type { Rng } from "../rand.ts";
import { check, checkInt } from "../errors.ts";

/** wᵢ ~ U(lo, hi), in index order. */
export function uniform(w: Vec, lo: number, hi: number, rng: Rng): void {
  check(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi, "uniform: range", "finite lo <= hi", `[${lo}, ${hi}]`);
  for (let i = 0; i < w.length; i++) w[i] = rng.range(lo, hi);
}

/** wᵢ ~ N(mean, std²), in index order. */
export function normal(w: Vec, mean: number, std: number, rng: Rng): void {
  check(Number.isFinite(mean) && Number.isFinite(std) && std >= 0, "normal: mean, std", "finite numbers with std >= 0", `${mean}, ${std}`);
  for (let i = 0; i < w.length; i++) w[i] = mean + std * rng.normal();
}

/** wᵢ = value (e.g. 0 for biases, 1 for the LSTM forget-gate bias). */
export function constant(w: Vec, value: number): void {
  check(Number.isFinite(value), "constant: value", "a finite number", value);
  w.fill(value);
}

/**
 * Glorot & Bengio (2010) uniform, as torch.nn.init.xavier_uniform_:
 *   W ~ U(−a, a),  a = gain · √(6 / (fan_in + fan_out)),  so Var W = gain² · 2 / (fan_in + fan_out)
 * with fan_in = cols, fan_out = rows.
 */
export function glorotUniform(w: Vec, rows: number, cols: number, rng: Rng, gain = 1): void {
  checkMatrix("glorotUniform", w, rows, cols, gain);
  const a = gain * Math.sqrt(6 / (rows + cols));
  uniform(w, -a, a, rng);
}

/**
 * Glorot & Bengio (2010) normal, as torch.nn.init.xavier_normal_:
 *   W ~ N(0, σ²),  σ = gain · √(2 / (fan_in + fan_out))
 */
export function glorotNormal(w: Vec, rows: number, cols: number, rng: Rng, gain = 1): void {
  checkMatrix("glorotNormal", w, rows, cols, gain);
  normal(w, 0, gain * Math.sqrt(2 / (rows + cols)), rng);
}

/**
 * A random orthogonal matrix (Saxe et al. 2014), as torch.nn.init.orthogonal_: draw a
 * Gaussian A of shape (n, m), n = max(rows, cols), m = min(rows, cols), and take Q from
 * A = QR with diag(R) > 0 (modified Gram–Schmidt, run twice for accuracy; the positive
 * diagonal is PyTorch's sign correction, which makes Q uniform over orthogonal matrices).
 *   rows ≥ cols:  W = gain · Q      (orthonormal columns, WᵀW = gain² I)
 *   rows < cols:  W = gain · Qᵀ     (orthonormal rows,    WWᵀ = gain² I)
 * Works in float64, then stores into w. Meant for recurrent matrices U (H, H); for
 * gated cells apply it per (H, H) gate block with `perBlock`.
 */
export function orthogonal(w: Vec, rows: number, cols: number, rng: Rng, gain = 1): void {
  checkMatrix("orthogonal", w, rows, cols, gain);
  const n = Math.max(rows, cols), m = Math.min(rows, cols);
  const q: Float64Array[] = [];                       // m columns of length n
  for (let j = 0; j < m; j++) {
    for (let attempt = 0; ; attempt++) {
      const c = new Float64Array(n);
      for (let i = 0; i < n; i++) c[i] = rng.normal();
      const before = norm2(c);
      for (let pass = 0; pass < 2; pass++) {
        for (const prev of q) {
          let d = 0;
          for (let i = 0; i < n; i++) d += prev[i] * c[i];
          for (let i = 0; i < n; i++) c[i] -= d * prev[i];
        }
      }
      const len = norm2(c);
      // A column (almost) in the span of the previous ones has probability zero; redraw it.
      if (len > 1e-8 * before || attempt >= 10) {
        for (let i = 0; i < n; i++) c[i] /= len;
        q.push(c);
        break;
      }
    }
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      w[r * cols + c] = gain * (rows >= cols ? q[c][r] : q[r][c]);
    }
  }
}

/**
 * PyTorch's default for nn.RNN / nn.LSTM / nn.GRU: every weight and bias
 *   wᵢ ~ U(−1/√H, 1/√H),  H = hidden size.
 */
export function pytorchRnnDefault(w: Vec, hidden: number, rng: Rng): void {
  checkInt(hidden, "pytorchRnnDefault: hidden");
  const k = 1 / Math.sqrt(hidden);
  uniform(w, -k, k, rng);
}

/**
 * Sets the forget-gate slice of an LSTM bias (4H, gate order i|f|g|o as PyTorch):
 *   b[H : 2H] = value   (Jozefowicz et al. 2015 recommend 1)
 * PyTorch has two biases, b_ih and b_hh, that add up: set it on one of them only.
 */
export function lstmForgetGateBias(b: Vec, hidden: number, value = 1): void {
  checkInt(hidden, "lstmForgetGateBias: hidden");
  check(b.length === 4 * hidden, "lstmForgetGateBias: bias", `length 4H = ${4 * hidden}`, b.length);
  constant(b.subarray(hidden, 2 * hidden), value);
}

/**
 * Applies a matrix initialiser to each of `blocks` equal row blocks of a (rows, cols)
 * matrix, e.g. orthogonal per gate of weight_hh (4H, H): four (H, H) blocks.
 */
export function perBlock(w: Vec, rows: number, cols: number, blocks: number,
  init: (block: Vec, rows: number, cols: number) => void): void {
  checkMatrix("perBlock", w, rows, cols, 1);
  checkInt(blocks, "perBlock: blocks");
  check(rows % blocks === 0, "perBlock: rows", `a multiple of blocks (${blocks})`, rows);
  const r = rows / blocks;
  for (let k = 0; k < blocks; k++) init(w.subarray(k * r * cols, (k + 1) * r * cols), r, cols);
}

function checkMatrix(where: string, w: Vec, rows: number, cols: number, gain: number): void {
  check(w instanceof Float32Array || w instanceof Float64Array, `${where}: w`, "a Float32Array or Float64Array", w);
  checkInt(rows, `${where}: rows`);
  checkInt(cols, `${where}: cols`);
  check(w.length === rows * cols, `${where}: w`, `length rows × cols = ${rows} × ${cols} = ${rows * cols}`, w.length);
  check(Number.isFinite(gain) && gain > 0, `${where}: gain`, "a finite number > 0", gain);
}

function norm2(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
