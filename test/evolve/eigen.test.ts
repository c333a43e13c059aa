import { test } from "node:test";
import assert from "node:assert/strict";
import { symmetricEigen } from "../../src/evolve/eigen.ts";
import { Rng } from "../../src/rand.ts";

test("symmetricEigen: V·diag(λ)·Vᵀ rebuilds a random symmetric matrix and V is orthogonal", () => {
  for (const n of [1, 2, 7, 30]) {
    const r = new Rng(n), A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = r.normal();
    const { values, vectors: V } = symmetricEigen(A, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let a = 0, o = 0;
        for (let k = 0; k < n; k++) { a += V[i * n + k] * values[k] * V[j * n + k]; o += V[k * n + i] * V[k * n + j]; }
        assert.ok(Math.abs(a - A[i * n + j]) < 1e-10, `n=${n} A[${i},${j}]`);
        assert.ok(Math.abs(o - (i === j ? 1 : 0)) < 1e-10, `n=${n} VᵀV[${i},${j}]`);
      }
    }
  }
  const { values } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
  const sorted = Array.from(values).sort((a, b) => a - b);
  assert.ok(Math.abs(sorted[0] - 1) < 1e-12 && Math.abs(sorted[1] - 3) < 1e-12, `eigenvalues of [[2,1],[1,2]]: ${sorted}`);
});
