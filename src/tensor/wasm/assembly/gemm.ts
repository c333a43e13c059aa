// AssemblyScript source of the fast GEMM (compiled to WebAssembly with SIMD by
// ../build.mjs; the compiled bytes are committed as ../gemm.wasm and ../gemm-wasm.ts).
// It is NOT TypeScript for tsc: it uses AssemblyScript's types (i32, usize, v128).
//
//   C[M,N] (+)= op(A)[M,K] · op(B)[K,N], float32, all operands addressed by byte pointers
//   into the one (shared) linear memory. A is (M,K) or (K,M) when transA; B is (K,N) or
//   (N,K) when transB; C is (M,N) row-major.
//
// One register tile, 4 "rows" × 8 "columns" (8 f32x4 accumulators), walks blocks of KC
// along k. Two ways to feed it:
//  - normal (B not transposed): rows are 4 rows of op(A), read in place when A is not
//    transposed, else packed into [k][4] panels; columns are 8 columns of op(B), packed
//    into [k][8] panels.
//  - swapped (B transposed, i.e. stored (N,K) like a weight matrix W and used as Wᵀ):
//    computes Cᵀ = W·op(A)ᵀ. Rows are 4 rows of W read in place (contiguous in k, no
//    packing, which matters when M is a batch of 32 and W has 1024 rows); columns are
//    8 rows of op(A), packed; the tile is transposed on its way to and from C.
//
// Bit-exactness contract: every element of C is computed as c ← c + a·b for k = 0..K-1
// in order (f32x4 lanes round exactly like scalar f32, and a·b = b·a). Blocking, packing,
// zero padding of edges, which mode runs (it depends on transB only) and the thread split
// by columns change which element is computed when, never the arithmetic of one element.
// So a row of C has the same bits whatever M is.
//
// Built twice (../build.mjs): with SIMD only, c + a·b is a mul then an add (two roundings,
// the same bits on every machine); with relaxed SIMD as well (gemm-fma.wasm), it is one
// f32x4.relaxed_madd, which the engine fuses into one rounding where the CPU has FMA (or
// not: the same choice for every element, so the contract above holds on each machine).

const MR = 4;   // rows of the register tile
const NR = 8;   // columns of the register tile (two f32x4)
const KC = 256; // depth of a block: an 8-wide panel of KC (8 KiB) stays in L1
const MC = 64;  // normal mode: rows of op(A) packed at once
const NC = 512; // columns packed at once (normal: of op(B); swapped: rows of op(A))

// c + a·b, lane-wise: fused (f32x4.relaxed_madd) in the relaxed-SIMD build, else mul then add.
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

const PACK_BYTES = KC * NC * 4;   // the 8-wide panels
const APACK_BYTES = KC * MC * 4;  // normal mode's 4-row panels of op(A)
const TMP_BYTES = MR * NR * 4;    // one edge tile

/** Scratch bytes one thread needs. */
export function scratchBytes(): i32 { return PACK_BYTES + APACK_BYTES + TMP_BYTES; }

// Pack X[k0..k0+kc, j0..j0+nc) into panels of NR columns, zero-padded past nc: panel p
// holds, for each k, the NR floats of columns j0+p·NR... Element (k, j) is at
// x + k·ks + j·js bytes.
function pack8(x: usize, ks: usize, js: usize, k0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  for (let p = 0; p < nc; p += NR) {
    const w = min(NR, nc - p);
    const panel = dst + <usize>(p * kc) * 4;
    const col0 = x + <usize>(j0 + p) * js + <usize>k0 * ks;
    if (w == NR && js == 4) {
      for (let k = 0; k < kc; k++) {
        const src = col0 + <usize>k * ks, d = panel + <usize>(k * NR) * 4;
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
    } else if (w == NR && ks == 4) {
      // Columns contiguous in k: transpose 4×4 blocks (two per k-quad).
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        for (let h = 0; h < 2; h++) {
          const s = col0 + <usize>(4 * h) * js + <usize>k * 4;
          const d = panel + <usize>(k * NR + 4 * h) * 4;
          transpose4(s, js, d, NR * 4);
        }
      }
      for (; k < kc; k++) {
        const d = panel + <usize>(k * NR) * 4;
        for (let c = 0; c < NR; c++) store<f32>(d + <usize>c * 4, load<f32>(col0 + <usize>c * js + <usize>k * 4));
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const src = col0 + <usize>k * ks, d = panel + <usize>(k * NR) * 4;
        for (let c = 0; c < NR; c++) store<f32>(d + <usize>c * 4, c < w ? load<f32>(src + <usize>c * js) : 0);
      }
    }
  }
}

// Pack op(A)[i0..i0+mc, k0..k0+kc) into panels of MR rows, zero-padded past mc: panel p
// holds, for each k, the MR floats of rows i0+p·MR... Element (i, k) at x + i·is + k·ks.
function pack4(x: usize, is: usize, ks: usize, i0: i32, mc: i32, k0: i32, kc: i32, dst: usize): void {
  for (let p = 0; p < mc; p += MR) {
    const h = min(MR, mc - p);
    const panel = dst + <usize>(p * kc) * 4;
    const row0 = x + <usize>(i0 + p) * is + <usize>k0 * ks;
    if (h == MR && is == 4) {
      for (let k = 0; k < kc; k++) v128.store(panel + <usize>(k * MR) * 4, v128.load(row0 + <usize>k * ks));
    } else if (h == MR && ks == 4) {
      let k = 0;
      for (; k + 4 <= kc; k += 4) transpose4(row0 + <usize>k * 4, is, panel + <usize>(k * MR) * 4, MR * 4);
      for (; k < kc; k++) {
        for (let r = 0; r < MR; r++) store<f32>(panel + <usize>(k * MR + r) * 4, load<f32>(row0 + <usize>r * is + <usize>k * 4));
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let r = 0; r < MR; r++) {
          store<f32>(panel + <usize>(k * MR + r) * 4, r < h ? load<f32>(row0 + <usize>r * is + <usize>k * ks) : 0);
        }
      }
    }
  }
}

// 4×4 block at s (rows `ss` bytes apart) written transposed to d (rows `ds` bytes apart).
// @ts-ignore: decorator
@inline function transpose4(s: usize, ss: usize, d: usize, ds: usize): void {
  const r0 = v128.load(s), r1 = v128.load(s + ss), r2 = v128.load(s + 2 * ss), r3 = v128.load(s + 3 * ss);
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(d, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(d + ds, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
  v128.store(d + 2 * ds, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
  v128.store(d + 3 * ds, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
}

// Register tile: T[4, 8] (+)= R[4, kc] · P[kc, 8]. Row r of R starts at pr (r = 0..3) and
// steps by rs bytes per k; P is an 8-wide packed panel. The tile lives at c, rows ldc
// bytes apart, or transposed (tile row r = column r of c's block, tile column j = row j)
// when `trans`. `load` = false starts from zero.
// @ts-ignore: decorator
@inline function tile(p0: usize, p1: usize, p2: usize, p3: usize, rs: usize, bp: usize, kc: i32,
  c: usize, ldc: usize, load: bool, trans: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (load) {
    if (!trans) {
      c00 = v128.load(c); c01 = v128.load(c, 16);
      c10 = v128.load(c + ldc); c11 = v128.load(c + ldc, 16);
      c20 = v128.load(c + 2 * ldc); c21 = v128.load(c + 2 * ldc, 16);
      c30 = v128.load(c + 3 * ldc); c31 = v128.load(c + 3 * ldc, 16);
    } else {
      // c holds 8 rows (tile columns) of 4 floats (tile rows): transpose two 4×4 blocks.
      let r0 = v128.load(c), r1 = v128.load(c + ldc), r2 = v128.load(c + 2 * ldc), r3 = v128.load(c + 3 * ldc);
      let t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
      let t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
      c00 = i32x4.shuffle(t0, t2, 0, 1, 4, 5); c10 = i32x4.shuffle(t0, t2, 2, 3, 6, 7);
      c20 = i32x4.shuffle(t1, t3, 0, 1, 4, 5); c30 = i32x4.shuffle(t1, t3, 2, 3, 6, 7);
      const c4 = c + 4 * ldc;
      r0 = v128.load(c4); r1 = v128.load(c4 + ldc); r2 = v128.load(c4 + 2 * ldc); r3 = v128.load(c4 + 3 * ldc);
      t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5); t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
      t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5); t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
      c01 = i32x4.shuffle(t0, t2, 0, 1, 4, 5); c11 = i32x4.shuffle(t0, t2, 2, 3, 6, 7);
      c21 = i32x4.shuffle(t1, t3, 0, 1, 4, 5); c31 = i32x4.shuffle(t1, t3, 2, 3, 6, 7);
    }
  }
  let pb = bp;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    const a0 = v128.load32_splat(p0);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01);
    const a1 = v128.load32_splat(p1);
    c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
    const a2 = v128.load32_splat(p2);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21);
    const a3 = v128.load32_splat(p3);
    c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    p0 += rs; p1 += rs; p2 += rs; p3 += rs; pb += NR * 4;
  }
  if (!trans) {
    v128.store(c, c00); v128.store(c, c01, 16);
    v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
    v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
    v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
  } else {
    let t0 = i32x4.shuffle(c00, c10, 0, 4, 1, 5), t1 = i32x4.shuffle(c00, c10, 2, 6, 3, 7);
    let t2 = i32x4.shuffle(c20, c30, 0, 4, 1, 5), t3 = i32x4.shuffle(c20, c30, 2, 6, 3, 7);
    v128.store(c, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
    v128.store(c + ldc, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
    v128.store(c + 2 * ldc, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
    v128.store(c + 3 * ldc, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
    const c4 = c + 4 * ldc;
    t0 = i32x4.shuffle(c01, c11, 0, 4, 1, 5); t1 = i32x4.shuffle(c01, c11, 2, 6, 3, 7);
    t2 = i32x4.shuffle(c21, c31, 0, 4, 1, 5); t3 = i32x4.shuffle(c21, c31, 2, 6, 3, 7);
    v128.store(c4, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
    v128.store(c4 + ldc, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
    v128.store(c4 + 2 * ldc, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
    v128.store(c4 + 3 * ldc, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
  }
}

// Copy a rows×w block of floats between two row strides (bytes).
function copyBlock(src: usize, sld: usize, dst: usize, dld: usize, rows: i32, w: i32): void {
  for (let r = 0; r < rows; r++) memory.copy(dst + <usize>r * dld, src + <usize>r * sld, <usize>w * 4);
}

/**
 * C (+)= op(A)·op(B) for the columns [j0, j1) of C only (threads split the columns).
 * Pointers are byte addresses; scratch is this thread's scratchBytes() area.
 */
export function gemm(transA: i32, transB: i32, M: i32, N: i32, K: i32,
  a: usize, b: usize, c: usize, accumulate: i32, j0: i32, j1: i32, scratch: usize): void {
  if (M <= 0 || j1 <= j0) return;
  const ldc = <usize>N * 4;
  if (K <= 0) {
    if (!accumulate) for (let i = 0; i < M; i++) memory.fill(c + <usize>i * ldc + <usize>j0 * 4, 0, <usize>(j1 - j0) * 4);
    return;
  }
  // op(A)(i, k) at a + i·ais + k·aks.
  const ais: usize = transA ? 4 : <usize>K * 4, aks: usize = transA ? <usize>M * 4 : 4;
  if (transB) swapped(M, K, a, ais, aks, b, c, ldc, accumulate != 0, j0, j1, scratch);
  else normal(M, N, K, a, ais, aks, b, c, ldc, accumulate != 0, j0, j1, scratch);
}

function normal(M: i32, N: i32, K: i32, a: usize, ais: usize, aks: usize, b: usize, c: usize, ldc: usize,
  accumulate: bool, j0: i32, j1: i32, scratch: usize): void {
  const bpack = scratch, apack = scratch + PACK_BYTES, tmp = apack + APACK_BYTES;
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const load = accumulate || pc > 0;
      pack8(b, <usize>N * 4, 4, pc, kc, jc, nc, bpack);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        // Rows of A contiguous in k are read in place (4 streams); a transposed A (rows
        // M·4 bytes apart per k, which thrashes L1 sets) is packed into 4-row panels.
        const direct = aks == 4;
        if (!direct) pack4(a, ais, aks, ic, mc, pc, kc, apack);
        for (let jr = 0; jr < nc; jr += NR) {
          const w = min(NR, nc - jr);
          const bp = bpack + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const h = min(MR, mc - ir);
            let p0: usize, p1: usize, p2: usize, p3: usize, rs: usize;
            if (direct) {
              // Rows past the edge re-read the last real row; their results are never stored.
              p0 = a + <usize>(ic + ir) * ais + <usize>pc * 4;
              p1 = h > 1 ? p0 + ais : p0; p2 = h > 2 ? p0 + 2 * ais : p1; p3 = h > 3 ? p0 + 3 * ais : p2;
              rs = 4;
            } else {
              p0 = apack + <usize>(ir * kc) * 4; p1 = p0 + 4; p2 = p0 + 8; p3 = p0 + 12;
              rs = MR * 4;
            }
            const cp = c + <usize>(ic + ir) * ldc + <usize>(jc + jr) * 4;
            if (w == NR && h == MR) {
              tile(p0, p1, p2, p3, rs, bp, kc, cp, ldc, load, false);
            } else {
              if (load) copyBlock(cp, ldc, tmp, NR * 4, h, w);
              tile(p0, p1, p2, p3, rs, bp, kc, tmp, NR * 4, load, false);
              copyBlock(tmp, NR * 4, cp, ldc, h, w);
            }
          }
        }
      }
    }
  }
}

// Cᵀ[j, i] (+)= Σ_k W[j, k] · op(A)(i, k), W = B stored (N, K): tile rows are 4 rows j of W
// read in place, tile columns 8 rows i of op(A), packed.
function swapped(M: i32, K: i32, a: usize, ais: usize, aks: usize, w: usize, c: usize, ldc: usize,
  accumulate: bool, j0: i32, j1: i32, scratch: usize): void {
  const apack = scratch, tmp = scratch + PACK_BYTES + APACK_BYTES;
  const wrow = <usize>K * 4;
  for (let ic = 0; ic < M; ic += NC) {
    const mc = min(NC, M - ic);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const load = accumulate || pc > 0;
      // Panel element (k, i) = op(A)(ic + i, pc + k).
      pack8(a, aks, ais, pc, kc, ic, mc, apack);
      for (let jn = j0; jn < j1; jn += MR) {
        const h = min(MR, j1 - jn);
        // Rows past the edge re-read the last real row; their results are never stored.
        const p0 = w + <usize>jn * wrow + <usize>pc * 4;
        const p1 = h > 1 ? p0 + wrow : p0, p2 = h > 2 ? p0 + 2 * wrow : p1, p3 = h > 3 ? p0 + 3 * wrow : p2;
        for (let ir = 0; ir < mc; ir += NR) {
          const wi = min(NR, mc - ir);
          const bp = apack + <usize>(ir * kc) * 4;
          const cp = c + <usize>(ic + ir) * ldc + <usize>jn * 4;
          if (h == MR && wi == NR) {
            tile(p0, p1, p2, p3, 4, bp, kc, cp, ldc, load, true);
          } else {
            // tmp holds the tile as 8 rows (i) of 4 floats (j).
            if (load) copyBlock(cp, ldc, tmp, MR * 4, wi, h);
            tile(p0, p1, p2, p3, 4, bp, kc, tmp, MR * 4, load, true);
            copyBlock(tmp, MR * 4, cp, ldc, wi, h);
          }
        }
      }
    }
  }
}
