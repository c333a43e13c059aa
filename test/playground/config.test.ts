// The playground's pure parts, without a browser: the setup's URL form round-trips and names bad
// values, the parameter count shown beside the equations is the library model's, the gate
// activations the unrolled view reads are the ones the cells' equations use, and the worker's
// task for a synthetic problem trains exactly as `recurrent train` does (its batches, its record).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DEFAULTS, FIELDS, fromQuery, toQuery, crossCheck, type PlaygroundConfig } from "../../playground/src/config.ts";
import { parameterCount, equations } from "../../playground/src/equations.ts";
import { gateActivations } from "../../playground/src/worker/gates.ts";
import { rowOf } from "../../playground/src/worker/views.ts";
import { buildProblem } from "../../playground/src/worker/problem.ts";
import { Session, networkConfig } from "../../playground/src/worker/session.ts";
import { LESSONS } from "../../playground/src/lessons.ts";
import { Sequence } from "../../src/train/sequence.ts";
import { initialize } from "../../src/model/initialize.ts";
import { statesOverTime } from "../../src/analysis/gradients/state-grads.ts";
import { spectralRadius } from "../../src/analysis/gradients/spectral.ts";
import { Rng } from "../../src/rand.ts";
import { useFastBackend, useReferenceBackend } from "../../src/tensor/fast.ts";

const sources = () => ({
  airline: readFileSync("playground/data/airline_passengers.csv", "utf8"),
  sunspots: readFileSync("playground/data/sunspots_monthly.csv", "utf8"),
  text: readFileSync("data/tinyshakespeare-100k.txt", "utf8"),
});

test("a setup survives the round trip through the URL query, the issue's nine parameters always written", () => {
  const rng = new Rng(7);
  for (let i = 0; i < 200; i++) {
    const c: Record<string, unknown> = { ...DEFAULTS };
    for (const f of FIELDS) {
      if (rng.uniform() < 0.5) continue;
      if (f.kind === "enum") c[f.key] = f.values[rng.int(f.values.length)];
      else if (f.kind === "int") c[f.key] = f.min + rng.int(Math.min(f.max - f.min, 1000) + 1);
      else c[f.key] = Number((f.min + (f.open ? 1e-4 : 0) + rng.uniform() * Math.min(f.max - f.min, 5)).toPrecision(6));
    }
    const q = toQuery(c as unknown as PlaygroundConfig);
    const back = fromQuery(q);
    assert.deepEqual(back.errors, [], q);
    assert.deepEqual(back.config, c, q);
    const keys = new URLSearchParams(q);
    for (const k of ["cell", "task", "length", "hidden", "layers", "lr", "clip", "seed", "optimizer"]) assert.ok(keys.has(k), `${k} in ${q}`);
  }
  const c = fromQuery("?cell=gru&task=copy&length=12&hidden=48&layers=2&lr=0.01&clip=2.5&seed=9&optimizer=rmsprop").config;
  assert.deepEqual({ cell: c.cell, task: c.task, length: c.length, hidden: c.hidden, layers: c.layers, lr: c.lr, clip: c.clip, seed: c.seed, optimizer: c.optimizer },
    { cell: "gru", task: "copy", length: 12, hidden: 48, layers: 2, lr: 0.01, clip: 2.5, seed: 9, optimizer: "rmsprop" });
});

test("a bad link parameter keeps its default and is named in one line", () => {
  const r = fromQuery("cell=lstn&hidden=0&length=0&lr=-1&seed=1.5&task=adding&bogus=1");
  assert.equal(r.config.cell, DEFAULTS.cell);
  assert.equal(r.config.hidden, DEFAULTS.hidden);
  assert.equal(r.config.length, DEFAULTS.length);
  assert.deepEqual(r.errors, [
    'link: unknown parameter "bogus" (ignored)',
    'link: cell: expected one of elman, jordan, lstm, gru, got "lstn"; using lstm',
    'link: sequence length: expected an integer from 1 to 200, got "0"; using 20',
    'link: hidden size: expected an integer from 1 to 512, got "0"; using 32',
    'link: learning rate: expected a number above 0 up to 10, got "-1"; using 0.003',
    'link: seed: expected an integer from 0 to 2147483647, got "1.5"; using 1',
  ]);
  const c = { ...DEFAULTS };
  assert.match(crossCheck({ ...c, task: "temporal-order", length: 5 }, { minLength: 10, manyToOne: true })!, /the temporal-order task needs T of at least 10, got 5/);
  assert.match(crossCheck({ ...c, k1: 10, k2: 10 }, { manyToOne: true })!, /scores only the last step/);
  assert.match(crossCheck({ ...c, k1: 10, k2: 5 }, { manyToOne: false })!, /k2 ≥ k1/);
  assert.match(crossCheck({ ...c, init: "radius", cell: "lstm" }, { manyToOne: true })!, /spectral radius is for Elman/);
  assert.equal(crossCheck(c, { manyToOne: true }), null);
});

test("the parameter count beside the equations is the library model's, for every cell, 300 random sizes", () => {
  const rng = new Rng(3);
  for (let i = 0; i < 300; i++) {
    const cell = (["elman", "jordan", "lstm", "gru"] as const)[i % 4];
    const I = 1 + rng.int(70), O = 1 + rng.int(70), H = 1 + rng.int(64), L = 1 + rng.int(3), S = cell === "jordan" ? rng.int(9) : 0;
    const shown = parameterCount({ cell, hidden: H, layers: L, state: S }, I, O);
    const model = new Sequence({ cell, input: I, hidden: H, layers: L, output: O, ...(cell === "jordan" && S ? { state: S } : {}) });
    assert.equal(shown.total, model.paramCount, `${cell} I=${I} H=${H} L=${L} S=${S} O=${O}: ${shown.numbers}`);
    // The numbers written out evaluate to the total (a reader can check the page's arithmetic).
    if (cell !== "jordan" || L === 1) {
      const expr = shown.numbers.replace(/·/g, "*").replace(/(\d)\(/g, "$1*(").replace(/,/g, "");
      assert.equal(Function(`return ${expr}`)(), shown.total, shown.numbers);
    }
  }
  assert.ok(equations({ cell: "jordan", act: "tanh", stateAct: "sigmoid", feedback: "teacher" }).join(" ").includes("y*<sub>t−1</sub>"));
});

test("the gates the unrolled view shows are the ones the cells use: c_t = f⊙c_{t−1} + i⊙g, h_t = o⊙tanh(c_t); h_t = (1−z)⊙n + z⊙h_{t−1}", (t) => {
  // Both backends: the WebAssembly kernels (what the page runs) keep the gates in the same cache.
  t.after(() => useReferenceBackend());
  for (const backend of ["reference", "wasm"] as const) for (const cell of ["lstm", "gru"] as const) {
    if (backend === "wasm") useFastBackend(); else useReferenceBackend();
    const model = new Sequence({ cell, input: 3, hidden: 5, output: 2, layers: 2 });
    initialize(model, new Rng(4));
    const rng = new Rng(8), T = 7, B = 3;
    const x = new Float32Array(T * B * 3).map(() => rng.normal());
    const one = rowOf({ x, T, B, targets: new Float32Array(B * 2) }, 1, true);
    assert.deepEqual(Array.from(one.x.subarray(3, 6)), Array.from(x.subarray((1 * B + 1) * 3, (1 * B + 2) * 3)), "row 1, step 1");
    const grids = gateActivations(model, one);
    const states = statesOverTime(model, one);
    for (let l = 0; l < 2; l++) {
      const g = (name: string) => grids.find((q) => q.name === `l${l} ${name}`)!;
      for (let t = 0; t < T; t++) for (let j = 0; j < 5; j++) {
        const at = (name: string) => g(name).values[j * T + t];
        const h0 = states[t][l][0][j], h1 = states[t + 1][l][0][j];
        if (cell === "lstm") {
          const c0 = states[t][l][1][j], c1 = states[t + 1][l][1][j];
          assert.ok(Math.abs(at("f") * c0 + at("i") * at("g") - c1) < 1e-5, `${backend} lstm l${l} t${t} j${j}: c`);
          assert.ok(Math.abs(at("o") * Math.tanh(c1) - h1) < 1e-5, `${backend} lstm l${l} t${t} j${j}: h`);
          for (const n of ["i", "f", "o"]) assert.ok(at(n) > 0 && at(n) < 1, n);
        } else {
          assert.ok(Math.abs((1 - at("z")) * at("n") + at("z") * h0 - h1) < 1e-5, `${backend} gru l${l} t${t} j${j}`);
        }
      }
    }
  }
});

test("the page's synthetic task is the CLI's: the record eval reads, and a spectral-radius start of exactly ρ", () => {
  const c: PlaygroundConfig = { ...DEFAULTS, cell: "elman", task: "adding", length: 30, init: "radius", radius: 0.7, hidden: 16 };
  const p = buildProblem(c, sources());
  assert.deepEqual(p.record, { kind: "synthetic", name: "adding", length: 30 });
  assert.equal(p.input, 2); assert.equal(p.output, 1); assert.equal(p.loss, "mse");
  const model = new Sequence(networkConfig(c, p));
  const s = new Session(c, p, model, false);
  assert.ok(Math.abs(spectralRadius(model.get("weight_hh_l0"), 16) - 0.7) < 1e-3);
  assert.equal(s.step, 0);
  const charlm = buildProblem({ ...c, task: "charlm", cell: "lstm", init: "pytorch" }, sources());
  assert.equal((charlm.record as { kind: string }).kind, "charlm");
  assert.equal(charlm.input, 61);
  assert.throws(() => buildProblem({ ...c, task: "charlm" }, { ...sources(), text: " \n " }), /text: expected some text to model .*got an empty text/);
  const fc = buildProblem({ ...c, task: "forecast", series: "sunspots" }, sources());
  assert.deepEqual(Object.keys(fc.record), ["kind", "config", "scaler", "fill"]);
  assert.equal((fc.record as { config: { target: string } }).config.target, "sunspot_number");
});

test("every lesson's setups are valid links", () => {
  for (const l of LESSONS) for (const r of l.runs) {
    const { config, errors } = fromQuery(r.query);
    assert.deepEqual(errors, [], `${l.id}: ${r.query}`);
    assert.equal(crossCheck(config, { manyToOne: config.task !== "charlm", minLength: 1 }), null, `${l.id}: ${r.label}`);
  }
});
