import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

const run = (...args: string[]) => spawnSync(process.execPath, ["bin/recurrent.mjs", ...args], { encoding: "utf8" });

test("params --json gives the lecture's counts for Elman and Jordan", () => {
  const e = run("params", "--cell", "elman", "--input", "3", "--hidden", "4", "--output", "2", "--json");
  assert.equal(e.status, 0, e.stderr);
  assert.equal(JSON.parse(e.stdout).total, 4 * (4 + 3 + 1) + 2 * (4 + 1));
  const j = run("params", "--cell", "jordan", "--input", "3", "--hidden", "4", "--state", "5", "--output", "2", "--json");
  assert.equal(JSON.parse(j.stdout).total, 4 * (5 + 3 + 1) + 2 * (4 + 1) + 5 * (5 + 2 + 1));
  const l = run("params", "--cell", "lstm", "--input", "10", "--hidden", "20", "--layers", "2", "--json");
  assert.equal(JSON.parse(l.stdout).total, 4 * 20 * (10 + 20 + 2) + 4 * 20 * (20 + 20 + 2));
  // bidirectional: two directions per layer; the second layer and the head read 2h.
  const b = run("params", "--cell", "lstm", "--input", "10", "--hidden", "20", "--layers", "2", "--output", "3", "--bidirectional", "--json");
  assert.equal(b.status, 0, b.stderr);
  assert.equal(JSON.parse(b.stdout).total, 2 * 4 * 20 * (10 + 20 + 2) + 2 * 4 * 20 * (40 + 20 + 2) + 3 * (40 + 1));
  assert.ok(JSON.parse(b.stdout).tensors.some((t: { name: string }) => t.name === "weight_hh_l1_reverse"));
});

test("params prints a per-tensor table with the total", () => {
  const r = run("params", "--cell", "gru", "--input", "3", "--hidden", "4", "--output", "2");
  assert.equal(r.status, 0);
  assert.match(r.stdout, /weight_hh_l0\s+\(12, 4\)\s+48/);
  assert.match(r.stdout, /total\s+118/);   // 3·4·(3+4+2) = 108, + 2·5 = 10
});

test("params: bad input is one line and a non-zero exit, without a stack trace", () => {
  const r = run("params", "--cell", "lsmt", "--input", "3", "--hidden", "4");
  assert.notEqual(r.status, 0);
  assert.equal(r.stderr.trim(), 'error: --cell: expected one of elman|jordan|lstm|gru, got "lsmt"');
  const s = run("params", "--cell", "lstm", "--input", "3", "--hidden", "4", "--state", "2");
  assert.notEqual(s.status, 0);
  assert.match(s.stderr, /^error: params\.state: expected no state size/);
  assert.doesNotMatch(s.stderr, /at .*\.ts/);
});
