// AssemblyScript source of the fused gate kernels (compiled to WebAssembly with SIMD by
// ../build.mjs; the compiled bytes are committed as ../gates.wasm and ../gates-wasm.ts).
// It is NOT TypeScript for tsc: it uses AssemblyScript's types (i32, usize, v128).
//
// One call does one time step of one layer for `rows` consecutive batch rows: the gate
// activations, the cell and hidden update (forward), or the gate gradients (backward).
// The equations are those of src/cells/{lstm,gru,elman}.ts, whose JavaScript loops stay the
// reference (and the float64 path); see there for the maths. All arrays are float32,
// addressed by byte pointers into the one shared linear memory; rows are contiguous
// (gates 4H or 3H floats a row, states H floats a row).
//
// exp and tanh are Cephes's single-precision algorithms (expf, tanhf): within 2 ulp of
// the true value over the range used. Each lane is computed with f32 vector arithmetic, and
// the scalar tail is a splat with one lane kept, so it gives the same bits as a full vector,
// and a row's result never depends on how many rows a call covers. That keeps the step API
// (T = 1, one call per step) bit-identical to the whole-sequence forward.
//
// Built twice (../build.mjs), like the GEMM: every a·b + c (and c − a·b) below goes through
// madd (nmadd), a mul then an add in the SIMD build and f32x4.relaxed_madd (relaxed_nmadd)
// in the relaxed-SIMD build (gates-fma.wasm), fused where the CPU has FMA. Either way every
// lane of every call takes the same instruction, so the bit-identities above hold in each.
//
// No static data: the module shares memory with the GEMM module and the heap's allocator.
// It imports the GEMM module's `gemm` for the whole-sequence loops at the end of this file.

// @ts-ignore: decorator
@external("env", "gemm")
declare function gemm(transA: i32, transB: i32, M: i32, N: i32, K: i32,
  a: usize, b: usize, c: usize, accumulate: i32, j0: i32, j1: i32, scratch: usize): void;

const LOG2E = f32x4.splat(1.44269504088896341);
const EXP_C1 = f32x4.splat(0.693359375);
const EXP_C2 = f32x4.splat(-2.12194440e-4);
const EXP_HI = f32x4.splat(88.0);     // 2^127 ≈ e^88.03: the largest finite power below
const EXP_LO = f32x4.splat(-87.3);    // 2^-126 ≈ e^-87.34: the smallest normal power above
const ONE = f32x4.splat(1.0);
const HALF = f32x4.splat(0.5);
const ZERO = f32x4.splat(0.0);
const TANH_SMALL = f32x4.splat(0.625);

/** a·b + c, lane-wise: fused (relaxed_madd) in the relaxed-SIMD build, else mul then add. */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** c − a·b, lane-wise: fused (relaxed_nmadd) in the relaxed-SIMD build, else mul then sub. */
// @ts-ignore: decorator
@inline function nmadd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_nmadd(a, b, c);
  return f32x4.sub(c, f32x4.mul(a, b));
}

/** e^x, lane-wise (Cephes expf: x = n·ln2 + r, a degree-6 polynomial in r, times 2^n). */
// @ts-ignore: decorator
@inline function expv(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, EXP_LO), EXP_HI);
  const n = f32x4.floor(madd(x, LOG2E, HALF));
  x = nmadd(n, EXP_C1, x);
  x = nmadd(n, EXP_C2, x);
  const z = f32x4.mul(x, x);
  let y = f32x4.splat(1.9875691500e-4);
  y = madd(y, x, f32x4.splat(1.3981999507e-3));
  y = madd(y, x, f32x4.splat(8.3334519073e-3));
  y = madd(y, x, f32x4.splat(4.1665795894e-2));
  y = madd(y, x, f32x4.splat(1.6666665459e-1));
  y = madd(y, x, f32x4.splat(5.0000001201e-1));
  y = f32x4.add(madd(y, z, x), ONE);
  // 2^n built in the exponent field: n ∈ [-126, 127] after the clamp, so always normal.
  const p = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(y, p);
}

/** The logistic sigmoid 1 / (1 + e^−x). */
// @ts-ignore: decorator
@inline function sigmoidv(x: v128): v128 {
  return f32x4.div(ONE, f32x4.add(ONE, expv(f32x4.neg(x))));
}

/** tfjs's hard sigmoid clip(0.2·x + 0.5, 0, 1). */
// @ts-ignore: decorator
@inline function hardSigmoidv(x: v128): v128 {
  return f32x4.pmin(f32x4.pmax(madd(x, f32x4.splat(0.2), HALF), ZERO), ONE);
}

// @ts-ignore: decorator
@inline function gatev(x: v128, hard: bool): v128 { return hard ? hardSigmoidv(x) : sigmoidv(x); }

/** d gate / d pre-activation from the gate's output y: y(1 − y), or 0.2 inside (0, 1) when hard. */
// @ts-ignore: decorator
@inline function slopev(y: v128, hard: bool): v128 {
  if (!hard) return f32x4.mul(y, f32x4.sub(ONE, y));
  return v128.and(f32x4.splat(0.2), v128.and(f32x4.gt(y, ZERO), f32x4.lt(y, ONE)));
}

/** tanh (Cephes tanhf) of |x|: an odd polynomial below 0.625 (no cancellation near 0),
 *  else 1 − 2/(e^{2|x|} + 1); then x's sign. */
// @ts-ignore: decorator
@inline function tanhv(x: v128): v128 {
  const a = f32x4.abs(x);
  const s = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = madd(p, s, f32x4.splat(2.06390887954e-2));
  p = madd(p, s, f32x4.splat(-5.37397155531e-2));
  p = madd(p, s, f32x4.splat(1.33314422036e-1));
  p = madd(p, s, f32x4.splat(-3.33332819422e-1));
  const small = madd(f32x4.mul(p, s), a, a);   // ≥ 0: |p·s| < 0.14 here
  const e = expv(f32x4.add(a, a));
  const big = f32x4.sub(ONE, f32x4.div(f32x4.splat(2.0), f32x4.add(e, ONE)));
  // |tanh x| from either branch, then x's sign bit (so tanh(−0) = −0).
  const mag = v128.bitselect(small, big, f32x4.lt(a, TANH_SMALL));
  return v128.or(mag, v128.and(x, f32x4.splat(-0.0)));
}

// ---- loads and stores of a 4-lane chunk, or of the 1-lane tail (lane 0 of a splat) ----
// @ts-ignore: decorator
@inline function ld(p: usize, full: bool): v128 { return full ? v128.load(p) : f32x4.splat(load<f32>(p)); }
// @ts-ignore: decorator
@inline function st(p: usize, v: v128, full: bool): void {
  if (full) v128.store(p, v); else store<f32>(p, f32x4.extract_lane(v, 0));
}

/**
 * LSTM forward, one step. gates (rows, 4H): in, i|f|g|o pre-activations; out, activations.
 * cPrev → cCur (rows, H); hCur (rows, H) gets o ⊙ tanh(c_t). tanh(c_t) is not kept: the
 * backward recomputes it from c_t, the same bits, and the cache is a (T, B, H) array smaller.
 */
export function lstmForward(gates: usize, cPrev: usize, cCur: usize, hCur: usize,
  rows: i32, H: i32, hard: i32): void {
  const hb = <usize>H * 4;
  for (let b = 0; b < rows; b++) {
    const g0 = gates + <usize>b * 4 * hb, r = <usize>b * hb;
    for (let j = 0; j < H; ) {
      const full = j + 4 <= H, o = <usize>j * 4;
      const i = gatev(ld(g0 + o, full), hard != 0);
      const f = gatev(ld(g0 + hb + o, full), hard != 0);
      const g = tanhv(ld(g0 + 2 * hb + o, full));
      const og = gatev(ld(g0 + 3 * hb + o, full), hard != 0);
      st(g0 + o, i, full); st(g0 + hb + o, f, full); st(g0 + 2 * hb + o, g, full); st(g0 + 3 * hb + o, og, full);
      const c = madd(f, ld(cPrev + r + o, full), f32x4.mul(i, g));
      const th = tanhv(c);
      st(cCur + r + o, c, full);
      st(hCur + r + o, f32x4.mul(og, th), full);
      j += full ? 4 : 1;
    }
  }
}

/**
 * LSTM backward, one step. gates (rows, 4H): in, the activations; out, the gradient wrt the
 * pre-activations (in place). cPrev, cCur (rows, H): c_{t-1} and c_t. dh (rows, H): ∂L/∂h_t
 * from later steps; dOut (0 for none) is added to it. dc (rows, H): in ∂L/∂c_t from later
 * steps, out ∂L/∂c_{t-1}.
 */
export function lstmBackward(gates: usize, cPrev: usize, cCur: usize, dh: usize, dOut: usize, dc: usize,
  rows: i32, H: i32, hard: i32): void {
  const hb = <usize>H * 4, soft = hard == 0;
  for (let b = 0; b < rows; b++) {
    const g0 = gates + <usize>b * 4 * hb, r = <usize>b * hb;
    for (let j = 0; j < H; ) {
      const full = j + 4 <= H, o = <usize>j * 4;
      const i = ld(g0 + o, full), f = ld(g0 + hb + o, full), g = ld(g0 + 2 * hb + o, full), og = ld(g0 + 3 * hb + o, full);
      const th = tanhv(ld(cCur + r + o, full));   // as the forward computed it
      let d = ld(dh + r + o, full);
      if (dOut) d = f32x4.add(d, ld(dOut + r + o, full));
      const dcj = madd(f32x4.mul(d, og), nmadd(th, th, ONE), ld(dc + r + o, full));
      st(g0 + o, f32x4.mul(f32x4.mul(dcj, g), slopev(i, !soft)), full);
      st(g0 + hb + o, f32x4.mul(f32x4.mul(dcj, ld(cPrev + r + o, full)), slopev(f, !soft)), full);
      st(g0 + 2 * hb + o, f32x4.mul(f32x4.mul(dcj, i), nmadd(g, g, ONE)), full);
      st(g0 + 3 * hb + o, f32x4.mul(f32x4.mul(d, th), slopev(og, !soft)), full);
      st(dc + r + o, f32x4.mul(dcj, f), full);
      j += full ? 4 : 1;
    }
  }
}

/**
 * GRU forward (reset after, PyTorch's), one step. xw (rows, 3H): in, W_ih x + b_ih; out,
 * the activations r|z|n. hw (rows, 3H): W_hh h_{t-1} without its bias, which is bhh (3H).
 * hn (rows, H) gets W_hn h_{t-1} + b_hn; hCur (rows, H) gets h_t.
 */
export function gruForward(xw: usize, hw: usize, bhh: usize, hPrev: usize, hCur: usize, hn: usize,
  rows: i32, H: i32, hard: i32): void {
  const hb = <usize>H * 4;
  for (let b = 0; b < rows; b++) {
    const x0 = xw + <usize>b * 3 * hb, w0 = hw + <usize>b * 3 * hb, r0 = <usize>b * hb;
    for (let j = 0; j < H; ) {
      const full = j + 4 <= H, o = <usize>j * 4;
      const ar = f32x4.add(ld(x0 + o, full), f32x4.add(ld(w0 + o, full), ld(bhh + o, full)));
      const az = f32x4.add(ld(x0 + hb + o, full), f32x4.add(ld(w0 + hb + o, full), ld(bhh + hb + o, full)));
      const r = gatev(ar, hard != 0), z = gatev(az, hard != 0);
      const hnj = f32x4.add(ld(w0 + 2 * hb + o, full), ld(bhh + 2 * hb + o, full));
      const n = tanhv(madd(r, hnj, ld(x0 + 2 * hb + o, full)));
      st(x0 + o, r, full); st(x0 + hb + o, z, full); st(x0 + 2 * hb + o, n, full);
      st(hn + r0 + o, hnj, full);
      const h = madd(z, ld(hPrev + r0 + o, full), f32x4.mul(f32x4.sub(ONE, z), n));
      st(hCur + r0 + o, h, full);
      j += full ? 4 : 1;
    }
  }
}

/**
 * GRU backward (reset after), one step. act (rows, 3H): in, the activations r|z|n; out, the
 * gradient wrt W_ih x + b_ih (in place). dhw (rows, 3H) gets the gradient wrt W_hh h + b_hh.
 * dh (rows, H): in ∂L/∂h_t from later steps (plus dOut unless 0); out, its direct part of
 * ∂L/∂h_{t-1} (d ⊙ z; the caller adds dhw W_hh).
 */
export function gruBackward(act: usize, hn: usize, hPrev: usize, dh: usize, dOut: usize, dhw: usize,
  rows: i32, H: i32, hard: i32): void {
  const hb = <usize>H * 4, soft = hard == 0;
  for (let b = 0; b < rows; b++) {
    const a0 = act + <usize>b * 3 * hb, w0 = dhw + <usize>b * 3 * hb, r0 = <usize>b * hb;
    for (let j = 0; j < H; ) {
      const full = j + 4 <= H, o = <usize>j * 4;
      const r = ld(a0 + o, full), z = ld(a0 + hb + o, full), n = ld(a0 + 2 * hb + o, full);
      let d = ld(dh + r0 + o, full);
      if (dOut) d = f32x4.add(d, ld(dOut + r0 + o, full));
      const dn = f32x4.mul(f32x4.mul(d, f32x4.sub(ONE, z)), nmadd(n, n, ONE));
      const dz = f32x4.mul(f32x4.mul(d, f32x4.sub(ld(hPrev + r0 + o, full), n)), slopev(z, !soft));
      const dr = f32x4.mul(f32x4.mul(dn, ld(hn + r0 + o, full)), slopev(r, !soft));
      st(a0 + o, dr, full); st(a0 + hb + o, dz, full); st(a0 + 2 * hb + o, dn, full);
      st(w0 + o, dr, full); st(w0 + hb + o, dz, full); st(w0 + 2 * hb + o, f32x4.mul(dn, r), full);
      st(dh + r0 + o, f32x4.mul(d, z), full);
      j += full ? 4 : 1;
    }
  }
}

/** y = act(x) over n floats (x and y may be the same); act 0 tanh, 1 sigmoid. */
export function activate(x: usize, y: usize, n: i32, act: i32): void {
  for (let j = 0; j < n; ) {
    const full = j + 4 <= n, o = <usize>j * 4;
    const v = ld(x + o, full);
    st(y + o, act == 0 ? tanhv(v) : sigmoidv(v), full);
    j += full ? 4 : 1;
  }
}

/**
 * Elman backward, one step over n floats: d = dh (+ dOut unless 0); dpre = d · act'(y)
 * from the activation's output y; act 0 tanh (1 − y²), 1 sigmoid (y(1 − y)).
 */
export function activateBackward(y: usize, dh: usize, dOut: usize, dpre: usize, n: i32, act: i32): void {
  for (let j = 0; j < n; ) {
    const full = j + 4 <= n, o = <usize>j * 4;
    const v = ld(y + o, full);
    let d = ld(dh + o, full);
    if (dOut) d = f32x4.add(d, ld(dOut + o, full));
    const s = act == 0 ? nmadd(v, v, ONE) : f32x4.mul(v, f32x4.sub(ONE, v));
    st(dpre + o, f32x4.mul(d, s), full);
    j += full ? 4 : 1;
  }
}

/** x (rows, n) += bias (n), row by row. f32 adds, so the same bits as the JavaScript loop. */
export function addBias(x: usize, rows: i32, bias: usize, n: i32): void {
  const rb = <usize>n * 4;
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * rb;
    for (let j = 0; j < n; ) {
      const full = j + 4 <= n, o = <usize>j * 4;
      st(row + o, f32x4.add(ld(row + o, full), ld(bias + o, full)), full);
      j += full ? 4 : 1;
    }
  }
}

/** dbias (n) += Σ_rows dx (rows, n), accumulated row by row in order into dbias's value, as
 *  the JavaScript loop does (so the same bits); four columns at a time down the rows. */
export function addBiasBackward(dbias: usize, dx: usize, rows: i32, n: i32): void {
  const rb = <usize>n * 4;
  for (let j = 0; j < n; ) {
    const full = j + 4 <= n, o = <usize>j * 4;
    let acc = ld(dbias + o, full);
    for (let r = 0; r < rows; r++) acc = f32x4.add(acc, ld(dx + <usize>r * rb + o, full));
    st(dbias + o, acc, full);
    j += full ? 4 : 1;
  }
}

// ---- Softmax cross-entropy, one row at a time ----------------------------------------------
//
// A language model's loss over a 10,000-word vocabulary takes one exp per logit: in JavaScript
// (Math.exp, float64) that was 40 % of a PTB step's time on the main thread, more than the
// head's GEMM. The loss (src/train/loss.ts) calls these two per row: the row's max, then the
// shifted exps, their sum and, for training, the gradient's softmax part. The sum is kept in
// float64 (two f64x2 per vector), so its rounding does not grow with the vocabulary.

/** The largest of the n floats at z (NaN if any is NaN; −∞ for n = 0). */
export function rowMax(z: usize, n: i32): f32 {
  let m = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= n; j += 4) m = f32x4.max(m, v128.load(z + <usize>j * 4));
  let r = max(max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), max(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
  for (; j < n; j++) r = max(r, load<f32>(z + <usize>j * 4));
  return r;
}

/**
 * Σ_j e^{z_j − m} over the n floats at z (m: the row's max, so every term is ≤ 1). With d ≠ 0
 * it also writes d_j = e^{z_j − m} · scale / Σ: the softmax times the loss's scale, to which the
 * caller adds −scale at the target. z and d may be the same row.
 */
export function softmaxRow(z: usize, d: usize, n: i32, m: f32, scale: f32): f64 {
  const mv = f32x4.splat(m);
  let lo = f64x2.splat(0.0), hi = f64x2.splat(0.0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j * 4;
    const e = expv(f32x4.sub(v128.load(z + o), mv));
    if (d) v128.store(d + o, e);
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(e));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 0, 1)));
  }
  let s = f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1) + f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1);
  for (; j < n; j++) {   // the tail, lane 0 of a splat: the same bits as a full vector's lane
    const o = <usize>j * 4;
    const e = f32x4.extract_lane(expv(f32x4.sub(f32x4.splat(load<f32>(z + o)), mv)), 0);
    if (d) store<f32>(d + o, e);
    s += <f64>e;
  }
  if (d) {
    const k = <f32>(<f64>scale / s), kv = f32x4.splat(k);
    j = 0;
    for (; j + 4 <= n; j += 4) { const o = <usize>j * 4; v128.store(d + o, f32x4.mul(v128.load(d + o), kv)); }
    for (; j < n; j++) { const o = <usize>j * 4; store<f32>(d + o, load<f32>(d + o) * k); }
  }
  return s;
}

// ---- Whole-sequence loops over a range of batch rows -------------------------------------
//
// The time loop of a layer (without masks) for rows [b0, b1) of the batch: per step the
// recurrent GEMM on those rows, then the step's gate kernel on them. Batch rows never meet
// inside a layer's time loop, and a GEMM row's bits do not depend on how many rows it is
// computed with (gemm.ts's contract), so any split of the rows between threads gives the
// same bits as one call over all of them, and as the per-step loop in the cells.
//
// Arguments come as an i32 block in memory (the thread pool's control block, or the
// caller's), so a worker can run the same job: see SEQ_* below for the layout.

const SEQ_KIND = 0, SEQ_T = 1, SEQ_B = 2, SEQ_H = 3, SEQ_FLAG = 4, SEQ_P = 5;  // SEQ_P.. pointers
export const SEQ_LSTM_FORWARD = 1;  // gates, hs, cs, W_hh
export const SEQ_LSTM_BACKWARD = 2; // gates (→ gradients), cs, dh, dc, dOut, W_hh
export const SEQ_GRU_FORWARD = 3;   // xw, hw, hs, hn, W_hh, b_hh
export const SEQ_GRU_BACKWARD = 4;  // act (→ gradients), hn, hs, dh, dOut, dhw, W_hh
export const SEQ_ELMAN_FORWARD = 5; // hs, U
export const SEQ_ELMAN_BACKWARD = 6; // hs, dh, dOut, dpre, U
/** i32 slots a job's argument block needs. */
export const SEQ_ARGS = 12;

// @ts-ignore: decorator
@inline function arg(args: usize, i: i32): i32 { return load<i32>(args + <usize>i * 4); }
// @ts-ignore: decorator
@inline function ptr(args: usize, i: i32): usize { return <usize>load<i32>(args + <usize>(SEQ_P + i) * 4); }

/** Runs the job in the argument block at `args` for batch rows [b0, b1), with this thread's scratch. */
export function sequence(args: usize, b0: i32, b1: i32, scratch: usize): void {
  const kind = arg(args, SEQ_KIND), T = arg(args, SEQ_T), B = arg(args, SEQ_B), H = arg(args, SEQ_H);
  const flag = arg(args, SEQ_FLAG), rows = b1 - b0;
  if (rows <= 0) return;
  const hb = <usize>H * 4;                 // bytes of one row of a (·, H) array
  const bo = <usize>b0 * hb;               // byte offset of row b0 in a (B, H) block
  const step = <usize>B * hb;              // bytes of one step of a (·, B, H) array
  if (kind == SEQ_LSTM_FORWARD) {
    const gates = ptr(args, 0), hs = ptr(args, 1), cs = ptr(args, 2), W = ptr(args, 3);
    const G = 4 * H, gb = <usize>G * 4;
    for (let t = 0; t < T; t++) {
      const g = gates + <usize>t * B * gb + <usize>b0 * gb, prev = <usize>t * step + bo, cur = prev + step;
      gemm(0, 1, rows, G, H, hs + prev, W, g, 1, 0, G, scratch);
      lstmForward(g, cs + prev, cs + cur, hs + cur, rows, H, flag);
    }
  } else if (kind == SEQ_LSTM_BACKWARD) {
    const gates = ptr(args, 0), cs = ptr(args, 1), dh = ptr(args, 2) + bo, dc = ptr(args, 3) + bo;
    const dOut = ptr(args, 4), W = ptr(args, 5);
    const G = 4 * H, gb = <usize>G * 4;
    for (let t = T - 1; t >= 0; t--) {
      const g = gates + <usize>t * B * gb + <usize>b0 * gb, prev = <usize>t * step + bo;
      lstmBackward(g, cs + prev, cs + prev + step, dh, dOut ? dOut + prev : 0, dc, rows, H, flag);
      gemm(0, 0, rows, H, G, g, W, dh, 0, 0, H, scratch);            // dh_{t-1} = dg_t W_hh
    }
  } else if (kind == SEQ_GRU_FORWARD) {
    const xw = ptr(args, 0), hw = ptr(args, 1), hs = ptr(args, 2), hn = ptr(args, 3), W = ptr(args, 4), bhh = ptr(args, 5);
    const G = 3 * H, gb = <usize>G * 4, w = hw + <usize>b0 * gb;
    for (let t = 0; t < T; t++) {
      const x = xw + <usize>t * B * gb + <usize>b0 * gb, prev = <usize>t * step + bo;
      gemm(0, 1, rows, G, H, hs + prev, W, w, 0, 0, G, scratch);
      gruForward(x, w, bhh, hs + prev, hs + prev + step, hn + prev, rows, H, flag);
    }
  } else if (kind == SEQ_GRU_BACKWARD) {
    const act = ptr(args, 0), hn = ptr(args, 1), hs = ptr(args, 2), dh = ptr(args, 3) + bo, dOut = ptr(args, 4);
    const dhw = ptr(args, 5), W = ptr(args, 6);
    const G = 3 * H, gb = <usize>G * 4;
    for (let t = T - 1; t >= 0; t--) {
      const off = <usize>t * B * gb + <usize>b0 * gb, prev = <usize>t * step + bo;
      gruBackward(act + off, hn + prev, hs + prev, dh, dOut ? dOut + prev : 0, dhw + off, rows, H, flag);
      gemm(0, 0, rows, H, G, dhw + off, W, dh, 1, 0, H, scratch);     // dh_{t-1} += dhw_t W_hh
    }
  } else if (kind == SEQ_ELMAN_FORWARD) {
    const hs = ptr(args, 0), U = ptr(args, 1);
    for (let t = 0; t < T; t++) {
      const prev = <usize>t * step + bo, cur = prev + step;
      gemm(0, 1, rows, H, H, hs + prev, U, hs + cur, 1, 0, H, scratch);
      activate(hs + cur, hs + cur, rows * H, flag);
    }
  } else if (kind == SEQ_ELMAN_BACKWARD) {
    const hs = ptr(args, 0), dh = ptr(args, 1) + bo, dOut = ptr(args, 2), dpre = ptr(args, 3), U = ptr(args, 4);
    for (let t = T - 1; t >= 0; t--) {
      const o = <usize>t * step + bo;
      activateBackward(hs + o + step, dh, dOut ? dOut + o : 0, dpre + o, rows * H, flag);
      gemm(0, 0, rows, H, H, dpre + o, U, dh, 0, 0, H, scratch);       // dh_{t-1} = dpre_t U
    }
  }
}
