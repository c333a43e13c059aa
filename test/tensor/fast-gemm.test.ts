// The wasm SIMD GEMM against the plain TypeScript reference: same results within float32
// rounding for every transpose mode, offset and accumulate flag; rows independent of M,
// bit for bit; threads and staging (arrays outside wasm memory) change no bits.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createFastBackend, useFastBackend, useReferenceBackend } from "../../src/tensor/fast.ts";
import { gemmReference, gemmName, gemm } from "../../src/tensor/gemm.ts";
import { zeros } from "../../src/tensor/types.ts";
import { spawnNode, threadsReady } from "../../src/node/threads.ts";
import { Rng } from "../../src/rand.ts";
import v8 from "node:v8";
import vm from "node:vm";

const fb = createFastBackend();
after(() => fb.stop());

function filled(rng: Rng, n: number, inHeap = true): Float32Array {
  const v = inHeap ? fb.heap.allocF32(n)! : new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  return v;
}

// |fast − ref| ≤ tol · Σ_k |a_ik b_kj| + tiny: the float32 bound for a sum of K products.
function assertClose(tA: boolean, tB: boolean, M: number, N: number, K: number,
  A: Float32Array, aOff: number, B: Float32Array, bOff: number, got: Float32Array, want: Float32Array,
  cOff: number, C0: Float32Array, acc: boolean, what: string): void {
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let mag = acc ? Math.abs(C0[cOff + i * N + j]) : 0;
    for (let k = 0; k < K; k++) {
      const a = A[aOff + (tA ? k * M + i : i * K + k)], b = B[bOff + (tB ? j * K + k : k * N + j)];
      mag += Math.abs(a * b);
    }
    const g = got[cOff + i * N + j], w = want[cOff + i * N + j];
    assert.ok(Math.abs(g - w) <= 2e-6 * mag + 1e-30, `${what}: C[${i},${j}] = ${g}, reference ${w}`);
  }
}

test("wasm gemm equals the reference within float32 rounding on random shapes, modes, offsets", () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 160; trial++) {
    const M = 1 + rng.int(67), N = 1 + rng.int(67), K = 1 + rng.int(trial < 150 ? 67 : 600);
    const tA = (trial & 1) === 1, tB = (trial & 2) === 2, acc = (trial & 4) === 4;
    const aOff = rng.int(4), bOff = rng.int(4), cOff = rng.int(4);
    const A = filled(rng, aOff + M * K), B = filled(rng, bOff + K * N), C = filled(rng, cOff + M * N + 3);
    const C0 = new Float32Array(C), R = new Float32Array(C);
    fb.gemm(tA, tB, M, N, K, A, aOff, B, bOff, C, cOff, acc);
    gemmReference(tA, tB, M, N, K, A, aOff, B, bOff, R, cOff, acc);
    const what = `M=${M} N=${N} K=${K} tA=${tA} tB=${tB} acc=${acc}`;
    assertClose(tA, tB, M, N, K, A, aOff, B, bOff, C, R, cOff, C0, acc, what);
    // Nothing outside C[cOff, cOff + M·N) is touched.
    for (let i = 0; i < cOff; i++) assert.equal(C[i], C0[i], `${what}: wrote before C`);
    for (let i = cOff + M * N; i < C.length; i++) assert.equal(C[i], C0[i], `${what}: wrote past C`);
  }
});

// The rows i0..i0+m of op(A) as their own matrix, stored the way transA says.
function rowsOf(A: Float32Array, tA: boolean, M: number, K: number, i0: number, m: number): Float32Array {
  const out = fb.heap.allocF32(m * K)!;
  for (let i = 0; i < m; i++) for (let k = 0; k < K; k++) {
    out[tA ? k * m + i : i * K + k] = A[tA ? k * M + i0 + i : (i0 + i) * K + k];
  }
  return out;
}

test("a row of C has the same bits computed in a batch of M rows and alone", () => {
  const rng = new Rng(12);
  for (const [M, N, K] of [[67, 45, 33], [9, 130, 300], [64, 24, 520], [5, 8, 1]]) {
    for (let mode = 0; mode < 8; mode++) {
      const tA = (mode & 1) === 1, tB = (mode & 2) === 2, acc = (mode & 4) === 4;
      const A = filled(rng, M * K), B = filled(rng, K * N), C = filled(rng, M * N);
      const C0 = new Float32Array(C);
      fb.gemm(tA, tB, M, N, K, A, 0, B, 0, C, 0, acc);
      for (const [i0, m] of [[0, 1], [M - 1, 1], [Math.floor(M / 2), Math.min(3, M - Math.floor(M / 2))]]) {
        const part = fb.heap.allocF32(m * N)!;
        part.set(C0.subarray(i0 * N, (i0 + m) * N));
        fb.gemm(tA, tB, m, N, K, rowsOf(A, tA, M, K, i0, m), 0, B, 0, part, 0, acc);
        assert.deepEqual(part, C.subarray(i0 * N, (i0 + m) * N), `rows ${i0}+${m} of M=${M} N=${N} K=${K} mode ${mode}`);
      }
    }
  }
});

test("arrays outside wasm memory are staged and give the same bits; float64 uses the reference", () => {
  const rng = new Rng(13);
  const [M, N, K] = [13, 37, 29];
  for (let mode = 0; mode < 8; mode++) {
    const tA = (mode & 1) === 1, tB = (mode & 2) === 2, acc = (mode & 4) === 4;
    const A = filled(rng, M * K + 2, false), B = filled(rng, K * N + 1, false), C = filled(rng, M * N + 3, false);
    const Ah = fb.heap.allocF32(A.length)!, Bh = fb.heap.allocF32(B.length)!, Ch = fb.heap.allocF32(C.length)!;
    Ah.set(A); Bh.set(B); Ch.set(C);
    fb.gemm(tA, tB, M, N, K, A, 2, B, 1, C, 3, acc);
    fb.gemm(tA, tB, M, N, K, Ah, 2, Bh, 1, Ch, 3, acc);
    assert.deepEqual(C, new Float32Array(Ch), `staged mode ${mode}`);
  }
  const A = Float64Array.from({ length: 6 }, (_, i) => i + 1), B = Float64Array.from({ length: 6 }, (_, i) => 1 / (i + 1));
  const C = new Float64Array(4), R = new Float64Array(4);
  fb.gemm(false, false, 2, 2, 3, A, 0, B, 0, C, 0, false);
  gemmReference(false, false, 2, 2, 3, A, 0, B, 0, R, 0, false);
  assert.deepEqual(C, R);
});

test("chunks of C's columns computed by a worker thread give the same bits as one thread", async () => {
  const fb2 = createFastBackend({ threads: 2, spawn: spawnNode, threadMinFlops: 0 });
  try {
    assert.ok(await threadsReady(fb2), "worker did not start");
    const rng = new Rng(14);
    const mk = (n: number) => { const v = fb2.heap.allocF32(n)!; for (let i = 0; i < n; i++) v[i] = rng.normal(); return v; };
    // Whether the worker claims a chunk depends on scheduling, so repeat (checking every
    // result) until it has taken part, for a few seconds at most.
    const until = Date.now() + 4000;
    let rounds = 0;
    while (rounds < 1 || (fb2.chunksByWorkers() === 0 && Date.now() < until)) {
      rounds++;
      for (const [M, N, K] of [[7, 16, 5], [33, 200, 70], [64, 1030, 40]]) {
        for (let mode = 0; mode < 8; mode++) {
          const tA = (mode & 1) === 1, tB = (mode & 2) === 2, acc = (mode & 4) === 4;
          const A = mk(M * K), B = mk(K * N), C = mk(M * N), C1 = fb2.heap.allocF32(M * N)!;
          C1.set(C);
          fb2.gemm(tA, tB, M, N, K, A, 0, B, 0, C, 0, acc);
          fb2.gemmSingle(tA, tB, M, N, K, A, 0, B, 0, C1, 0, acc);
          assert.deepEqual(C, C1, `threads M=${M} N=${N} K=${K} mode ${mode}`);
        }
      }
    }
    assert.ok(fb2.chunksByWorkers() > 0, "the worker never computed a chunk");
  } finally { fb2.stop(); }
});

test("heap blocks are zeroed, aligned, and reused after release", () => {
  const p = fb.heap.allocBytes(1000);
  new Uint8Array(fb.heap.memory.buffer, p, 1000).fill(7);
  fb.heap.releaseBytes(p, 1000);
  const q = fb.heap.allocBytes(1000);
  assert.equal(q, p, "a freed block of the same size is reused");
  assert.equal(q % 64, 0);
  assert.ok(new Uint8Array(fb.heap.memory.buffer, q, 1000).every((x) => x === 0), "reused memory is zeroed");
  fb.heap.releaseBytes(q, 1000);
  // Growth keeps old views valid (shared memory never detaches).
  const v = fb.heap.allocF32(10)!;
  v[3] = 5;
  const big = fb.heap.allocF32(8 << 20)!; // 32 MiB forces a grow
  assert.ok(big !== null && v[3] === 5 && v.length === 10);
  assert.ok(fb.heap.addressOf(v, 0) >= 0 && fb.heap.addressOf(big, 0) >= 0, "views from before and after growth are recognised");
});

test("useFastBackend installs the wasm gemm and the heap allocator; useReferenceBackend undoes it", () => {
  const back = useFastBackend();
  try {
    assert.equal(gemmName(), "wasm-simd");
    const x = zeros(12, "float32") as Float32Array;
    assert.ok(back.heap.addressOf(x, 0) >= 0, "float32 zeros live in wasm memory");
    const y = zeros(12, "float32"), z = zeros(9, "float32");
    x.fill(1); y.fill(2);
    gemm(false, false, 3, 3, 4, x, 0, y, 0, z, 0, false);
    assert.deepEqual(Array.from(z), new Array(9).fill(8));
  } finally { useReferenceBackend(); }
  assert.equal(gemmName(), "reference");
  assert.ok(!(zeros(4, "float32").buffer instanceof SharedArrayBuffer));
});

test("a subarray keeps its heap array's block alive after the array itself is dropped", async () => {
  const fb3 = createFastBackend();
  try {
    let view: Float32Array | null = null;
    (() => { const a = fb3.heap.allocF32(1 << 16)!; a.fill(3); view = a.subarray(100, 200); })();
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    // Collect, let finalizers run, allocate: a freed parent block would be reused here.
    for (let r = 0; r < 3; r++) {
      gc();
      await new Promise((res) => setTimeout(res, 10));
      fb3.heap.allocF32(1 << 16)!.fill(7);
    }
    assert.ok(view!.every((x) => x === 3), "the subarray's memory was reused");
    assert.equal(view!.constructor, Float32Array, "heap arrays look like plain Float32Arrays");
  } finally { fb3.stop(); }
});

test("a heap array's block is reused once the array is garbage-collected", async () => {
  const fb4 = createFastBackend();
  try {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const at = (() => { const a = fb4.heap.allocF32(5000)!; return fb4.heap.addressOf(a, 0); })();
    const used = fb4.heap.used;
    let reused = false;
    for (let r = 0; r < 5 && !reused; r++) {
      gc();
      await new Promise((res) => setTimeout(res, 10));
      reused = fb4.heap.used < used;
    }
    assert.ok(reused, "the block was not released");
    const b = fb4.heap.allocF32(5000)!;
    assert.equal(fb4.heap.addressOf(b, 0), at);
    assert.ok(b.every((x) => x === 0));
  } finally { fb4.stop(); }
});
