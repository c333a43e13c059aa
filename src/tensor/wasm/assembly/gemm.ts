// AssemblyScript source of the fast GEMM (compiled to WebAssembly with SIMD by
// ../build.mjs; the compiled bytes are committed as ../gemm.wasm and ../gemm-wasm.ts).
// It is NOT TypeScript for tsc: it uses AssemblyScript's types (i32, usize, v128).
//
//   C[M,N] (+)= op(A)[M,K] · op(B)[K,N], float32, all operands addressed by byte pointers
//   into the one (shared) linear memory. A is (M,K) or (K,M) when transA; B is (K,N) or
//   (N,K) when transB; C is (M,N) row-major.
//
// Structure (GotoBLAS style): blocks of KC rows of op(B) and NC columns are packed into
// 8-wide column panels in per-thread scratch; a 4×8 register tile (8 f32x4
// accumulators) walks the panels; A is read in place (4 row pointers, splat loads).
//
// Bit-exactness contract: every element of C is computed as c ← c + a·b for k = 0..K-1
// in order (mul then add, no FMA; f32x4 lanes round exactly like scalar f32). Blocking
// over M, N, K, the 4-row versus 1-row kernels and the thread split by columns change
// only which element is computed when, never the arithmetic of one element. So a row
// of C has the same bits whatever M is, and whatever the thread count.

const MR = 4;   // rows of the register tile
const NR = 8;   // columns of the register tile (two f32x4)
const KC = 256; // depth of a packed block: a KC×8 panel (8 KiB) stays in L1
const MC = 64;  // rows of A per block: MC×KC floats (64 KiB) stay in L2
const NC = 512; // columns of a packed block: KC×NC floats (512 KiB of scratch)

/** Scratch bytes one thread needs: the packed block plus one MR×NR edge tile. */
export function scratchBytes(): i32 { return (KC * NC + MR * NR) * 4; }

// Pack op(B)[pc..pc+kc, jc..jc+nc) into panels of NR columns: panel p holds, for each k,
// the NR floats of columns jc+p·NR.. (zero-padded past nc). Element (k, j) of op(B) is at
// b + k·bks + j·bjs bytes.
function packB(b: usize, bks: usize, bjs: usize, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize): void {
  for (let p = 0; p < nc; p += NR) {
    const w = min(NR, nc - p);
    const panel = dst + <usize>(p * kc) * 4;
    const col0 = b + <usize>(jc + p) * bjs + <usize>pc * bks;
    if (w == NR && bjs == 4) {
      for (let k = 0; k < kc; k++) {
        const src = col0 + <usize>k * bks;
        const d = panel + <usize>(k * NR) * 4;
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const src = col0 + <usize>k * bks;
        const d = panel + <usize>(k * NR) * 4;
        for (let c = 0; c < NR; c++) {
          store<f32>(d + <usize>c * 4, c < w ? load<f32>(src + <usize>c * bjs) : 0);
        }
      }
    }
  }
}

// 4×8 tile: C[4, 8] (+)= A[4, kc] · panel[kc, 8]. Row r of A starts at a + r·ars, steps
// by acs per k. C rows are ldc bytes apart. `load` = false starts from zero.
// @ts-ignore: decorator
@inline function tile4(a: usize, ars: usize, acs: usize, bp: usize, kc: i32, c: usize, ldc: usize, load: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const r1 = c + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
  if (load) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(r1); c11 = v128.load(r1, 16);
    c20 = v128.load(r2); c21 = v128.load(r2, 16);
    c30 = v128.load(r3); c31 = v128.load(r3, 16);
  }
  let p0 = a, p1 = a + ars, p2 = a + 2 * ars, p3 = a + 3 * ars;
  let pb = bp;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    const a0 = v128.load32_splat(p0);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0)); c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    const a1 = v128.load32_splat(p1);
    c10 = f32x4.add(c10, f32x4.mul(a1, b0)); c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    const a2 = v128.load32_splat(p2);
    c20 = f32x4.add(c20, f32x4.mul(a2, b0)); c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    const a3 = v128.load32_splat(p3);
    c30 = f32x4.add(c30, f32x4.mul(a3, b0)); c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    p0 += acs; p1 += acs; p2 += acs; p3 += acs; pb += NR * 4;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(r1, c10); v128.store(r1, c11, 16);
  v128.store(r2, c20); v128.store(r2, c21, 16);
  v128.store(r3, c30); v128.store(r3, c31, 16);
}

// 1×8 tile for the rows left over when M is not a multiple of 4: the same per-element
// arithmetic as tile4, so a row's bits do not depend on which kernel computed it.
// @ts-ignore: decorator
@inline function tile1(a: usize, acs: usize, bp: usize, kc: i32, c: usize, load: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  if (load) { c0 = v128.load(c); c1 = v128.load(c, 16); }
  let p = a, pb = bp;
  for (let k = 0; k < kc; k++) {
    const a0 = v128.load32_splat(p);
    c0 = f32x4.add(c0, f32x4.mul(a0, v128.load(pb)));
    c1 = f32x4.add(c1, f32x4.mul(a0, v128.load(pb, 16)));
    p += acs; pb += NR * 4;
  }
  v128.store(c, c0); v128.store(c, c1, 16);
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
  // op(A)(i, k) at a + i·ars + k·acs; op(B)(k, j) at b + k·bks + j·bjs.
  const ars: usize = transA ? 4 : <usize>K * 4, acs: usize = transA ? <usize>M * 4 : 4;
  const bks: usize = transB ? 4 : <usize>N * 4, bjs: usize = transB ? <usize>K * 4 : 4;
  const tmp = scratch + <usize>(KC * NC) * 4; // MR×NR edge tile, row stride NR floats
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const load = accumulate != 0 || pc > 0;
      packB(b, bks, bjs, pc, kc, jc, nc, scratch);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        for (let jr = 0; jr < nc; jr += NR) {
          const w = min(NR, nc - jr);
          const bp = scratch + <usize>(jr * kc) * 4;
          const col = c + <usize>(jc + jr) * 4;
          let ir = 0;
          for (; ir + MR <= mc; ir += MR) {
            const i = ic + ir;
            const ap = a + <usize>i * ars + <usize>pc * acs;
            const cp = col + <usize>i * ldc;
            if (w == NR) {
              tile4(ap, ars, acs, bp, kc, cp, ldc, load);
            } else {
              if (load) copyTile(cp, ldc, tmp, NR * 4, MR, w);
              tile4(ap, ars, acs, bp, kc, tmp, NR * 4, load);
              copyTile(tmp, NR * 4, cp, ldc, MR, w);
            }
          }
          for (; ir < mc; ir++) {
            const i = ic + ir;
            const ap = a + <usize>i * ars + <usize>pc * acs;
            const cp = col + <usize>i * ldc;
            if (w == NR) {
              tile1(ap, acs, bp, kc, cp, load);
            } else {
              if (load) copyTile(cp, ldc, tmp, NR * 4, 1, w);
              tile1(ap, acs, bp, kc, tmp, load);
              copyTile(tmp, NR * 4, cp, ldc, 1, w);
            }
          }
        }
      }
    }
  }
}

// Copy a rows×w block of floats between two row strides (bytes).
function copyTile(src: usize, sld: usize, dst: usize, dld: usize, rows: i32, w: i32): void {
  for (let r = 0; r < rows; r++) {
    memory.copy(dst + <usize>r * dld, src + <usize>r * sld, <usize>w * 4);
  }
}
