import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../src/rand.ts";

test("rng: the same seed gives the same stream, another seed a different one", () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const xa = Array.from({ length: 100 }, () => a.nextU32());
  const xb = Array.from({ length: 100 }, () => b.nextU32());
  const xc = Array.from({ length: 100 }, () => c.nextU32());
  assert.deepEqual(xa, xb);
  assert.notDeepEqual(xa, xc);
});

test("rng: uniform has mean 1/2 and normal has mean 0, variance 1 (n = 100000)", () => {
  const r = new Rng(7);
  let su = 0, sn = 0, sn2 = 0;
  const n = 100000;
  for (let i = 0; i < n; i++) { su += r.uniform(); const z = r.normal(); sn += z; sn2 += z * z; }
  assert.ok(Math.abs(su / n - 0.5) < 0.005);
  assert.ok(Math.abs(sn / n) < 0.015);
  assert.ok(Math.abs(sn2 / n - 1) < 0.02);
});

test("rng: state round-trips so a resumed stream continues identically", () => {
  const r = new Rng(5);
  r.normal();
  const s = r.state();
  const a = [r.normal(), r.uniform()];
  const q = new Rng(0); q.setState(s);
  assert.deepEqual([q.normal(), q.uniform()], a);
});
