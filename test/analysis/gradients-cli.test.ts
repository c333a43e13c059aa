import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const run = (...args: string[]) => spawnSync(process.execPath, ["bin/recurrent.mjs", ...args], { encoding: "utf8" });

test("gradients --json prints one norm per step and writes the SVG and PNG plots", () => {
  const dir = mkdtempSync(join(tmpdir(), "grad-cli-"));
  try {
    const r = run("gradients", "--cell", "elman", "--task", "adding", "--length", "30", "--hidden", "8", "--batch", "4",
      "--seed", "3", "--out", dir, "--json", "--jacobian");
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.norms.length, 30);
    assert.ok(j.norms.every((v: number) => v > 0 && Number.isFinite(v)));
    // A tanh Elman net at PyTorch's initialisation: the gradient reaching t = 0 is far smaller than at t = T−1.
    assert.ok(j.norms[0] < 1e-3 * j.norms[29], `${j.norms[0]} vs ${j.norms[29]}`);
    assert.equal(j.jacobian.norms.length, 30);
    assert.equal(j.spectra[0].tensor, "weight_hh_l0");
    for (const f of [j.plot.svg, j.plot.png, j.jacobianPlot.svg]) assert.ok(existsSync(f), f);
    assert.match(readFileSync(j.plot.svg, "utf8"), /<svg/);
    assert.deepEqual([...readFileSync(j.plot.png).subarray(1, 4)], [0x50, 0x4e, 0x47]);   // "PNG"
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("gradients: unknown task or too short a length is one line and exit 1", () => {
  const a = run("gradients", "--cell", "lstm", "--task", "addding", "--length", "50", "--out", tmpdir());
  assert.equal(a.status, 1);
  assert.equal(a.stderr.trim(), 'error: --task: expected one of xor|adding|adding-arjovsky|copy|temporal-order|reber, got "addding"');
  const b = run("gradients", "--cell", "gru", "--task", "temporal-order", "--length", "5", "--out", tmpdir());
  assert.equal(b.status, 1);
  assert.equal(b.stderr.trim(), "error: task temporal-order: --length: expected an integer >= 10, got 5");
});
