// Dropout on the non-recurrent connections (src/model/dropout.ts, placed by Sequence.forward):
// BPTT with a fixed mask against float64 central differences for every parameter tensor and
// initial state; where the masks sit and how many values they cover; their statistics (a share
// p dropped, the rest scaled by exactly 1/(1 − p)); inference and p = 0 unchanged to the bit;
// and the training loop: masks from the run's Rng, so a run resumed mid-epoch equals the run
// never stopped. PyTorch's own masks and numbers: test/interop/torch-dropout.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gradCheck, setup, type Case } from "../helpers/gradcheck.ts";
import { Sequence } from "../../src/train/sequence.ts";
import { initialize } from "../../src/model/initialize.ts";
import { Trainer } from "../../src/train/trainer.ts";
import { fit, type FitState } from "../../src/train/fit.ts";
import { makeOptimizer } from "../../src/train/optim/index.ts";
import { sequenceData } from "../../src/data/datasets.ts";
import { Rng } from "../../src/rand.ts";
import type { ModelConfig } from "../../src/model/config.ts";

const configs: Array<Partial<ModelConfig>> = [
  { cell: "elman", input: 3, hidden: 4, layers: 3, output: 3, outputActivation: "softmax" },
  { cell: "lstm", input: 6, embedding: 3, hidden: 4, layers: 2, output: 6, outputActivation: "softmax" },
  { cell: "gru", input: 3, hidden: 4, layers: 2, output: 2, outputActivation: "linear", bidirectional: true },
  { cell: "lstm", input: 3, hidden: 4, layers: 2, output: 0, bidirectional: true },
  { cell: "jordan", input: 6, embedding: 3, hidden: 4, layers: 2, output: 3, state: 2, outputActivation: "softmax" },
];

let worst = 0;
for (const cfg of configs) {
  for (const [manyToOne, masked] of [[false, false], [true, true], [false, true]] as const) {
    const c: Case = { config: { ...cfg, dropout: 0.3 }, T: 5, B: 3, manyToOne, masked, seed: 3, dropout: true };
    test(`dropout 0.3, ${JSON.stringify(cfg)} ${manyToOne ? "many-to-one" : "many-to-many"}${masked ? " masked" : ""}: backward with a fixed mask matches central differences for every parameter and initial state`, () => {
      const r = gradCheck(c);
      worst = Math.max(worst, r.maxRel);
      assert.ok(r.checked > 50, `checked ${r.checked}`);
      assert.ok(r.maxRel < 1e-6, `max relative error ${r.maxRel.toExponential(2)} at ${r.worst}`);
    });
  }
}

test("report the worst dropout gradient-check error", () => {
  console.log(`# worst dropout gradient-check relative error: ${worst.toExponential(2)}`);
  assert.ok(worst > 0 && worst < 1e-6);
});

test("the dropout gradient check can fail: the same check with a fresh mask per pass (or none in the analytic pass) is far off", () => {
  const c: Case = { config: { ...configs[1], dropout: 0.3 }, T: 5, B: 3, seed: 3, dropout: true };
  const { m, loss, analytic } = setup(c);
  const { grads } = analytic();
  // The masks change the gradient: a model without dropout, same weights, gives another one.
  const plain = setup({ ...c, config: { ...c.config, dropout: 0 }, dropout: false });
  plain.m.params.set(m.params);
  const g0 = plain.analytic().grads;
  let diff = 0;
  for (let i = 0; i < grads.length; i++) diff = Math.max(diff, Math.abs(grads[i]! - g0[i]!));
  assert.ok(diff > 1e-3, `dropout changes the gradients (max |Δ| ${diff})`);
  // And the loss of a fixed mask is not the loss without one.
  assert.notEqual(loss(), plain.loss());
});

test("masks sit on the embedding's output, between layers and before the head, a fresh value per element: T·B·(E + (L−1)·D·H + D·H) draws", () => {
  const count = (cfg: Partial<ModelConfig>, T: number, B: number) => {
    const m = new Sequence({ ...cfg, dropout: 0.5 }, "float64");
    let n = 0;
    const src = { uniform: () => { n++; return 0.75; } };   // keep everything: the count alone
    const x = new Float64Array(T * B * m.inputWidth);
    m.forward(x, T, B, { dropout: src });
    return n;
  };
  assert.equal(count({ cell: "lstm", input: 9, embedding: 5, hidden: 4, layers: 3, output: 2 }, 6, 2), 6 * 2 * (5 + 2 * 4 + 4));
  assert.equal(count({ cell: "gru", input: 3, hidden: 4, layers: 2, output: 2, bidirectional: true }, 5, 3), 5 * 3 * (8 + 8));
  // No head, no embedding, one layer: nothing to drop (PyTorch's nn.LSTM(dropout=p) drops after
  // every layer but the last).
  assert.equal(count({ cell: "elman", input: 3, hidden: 4, output: 0 }, 4, 2), 0);
  assert.equal(count({ cell: "jordan", input: 3, hidden: 4, layers: 2, output: 2 }, 4, 2), 4 * 2 * 4);
});

test("a share p of values is dropped, the rest scaled by exactly 1/(1 − p); a dropped input makes no difference downstream", () => {
  const p = 0.3, T = 50, B = 40, H = 32;
  const m = new Sequence({ cell: "elman", input: 2, hidden: H, layers: 2, output: 1, dropout: p }, "float32");
  initialize(m, new Rng(1));
  const x = new Float32Array(T * B * 2).map((_, i) => Math.sin(i));
  const rng = new Rng(8);
  m.forward(x, T, B, { dropout: rng });
  const masks = (m as unknown as { lastForward: { masks: Array<Float32Array | null> } }).lastForward.masks;
  const between = masks[1]!;   // layer 1's input
  assert.equal(between.length, T * B * H);
  const kept = [...between].filter((v) => v !== 0);
  assert.ok(kept.every((v) => v === Math.fround(1 / (1 - p))), "kept values are scaled by 1/(1 − p)");
  const share = 1 - kept.length / between.length, sd = Math.sqrt(p * (1 - p) / between.length);
  assert.ok(Math.abs(share - p) < 4 * sd, `dropped share ${share} (p = ${p} ± ${sd.toFixed(4)})`);
  assert.equal(masks[0], null, "no embedding: nothing at site 0");
  assert.equal(masks[2]!.length, T * B * H, "before the head");
});

test("inference (no random source) and dropout 0 give the bits of a model without dropout; training draws the same masks from the same Rng state", () => {
  const cfg = { cell: "lstm" as const, input: 5, embedding: 3, hidden: 6, layers: 2, output: 5, outputActivation: "softmax" as const };
  const a = new Sequence(cfg), b = new Sequence({ ...cfg, dropout: 0.4 }), z = new Sequence({ ...cfg, dropout: 0 });
  initialize(a, new Rng(2));
  b.params.set(a.params); z.params.set(a.params);
  const T = 7, B = 3, x = new Float32Array(T * B).map((_, i) => i % 5);
  const ya = a.forward(x, T, B).out.slice();
  assert.deepEqual([...b.forward(x, T, B).out], [...ya], "inference ignores dropout");
  assert.deepEqual([...z.forward(x, T, B, { dropout: new Rng(1) }).out], [...ya], "p = 0 never draws");
  const y1 = b.forward(x, T, B, { dropout: new Rng(5) }).out.slice();
  const y2 = b.forward(x, T, B, { dropout: new Rng(5) }).out.slice();
  const y3 = b.forward(x, T, B, { dropout: new Rng(6) }).out.slice();
  assert.deepEqual([...y1], [...y2]);
  assert.notDeepEqual([...y1], [...y3]);
  assert.notDeepEqual([...y1], [...ya]);
  // 5·3 + 4·6·(3 + 6 + 2) + 4·6·(6 + 6 + 2) + 5·(6 + 1) = 15 + 264 + 336 + 35
  assert.equal(b.toString(), "LSTM(Embedding(5 => 3) => 3 => 6 ×2, dropout 0.4) => 5 softmax  # 650 parameters");
  assert.throws(() => new Sequence({ ...cfg, dropout: 1 }), /^RecurrentError: config\.dropout: expected a probability in \[0, 1\), got 1$/);
  assert.throws(() => new Sequence({ ...cfg, dropout: -0.1 }), /config\.dropout: expected a probability in \[0, 1\), got -0\.1/);
});

test("the Trainer drops in trainStep only: evaluate gives the loss of the model without dropout", () => {
  const cfg = { cell: "gru" as const, input: 2, hidden: 5, layers: 2, output: 1 };
  const a = new Sequence(cfg), b = new Sequence({ ...cfg, dropout: 0.5 });
  initialize(a, new Rng(3));
  b.params.set(a.params);
  const T = 6, B = 4, batch = { x: new Float32Array(T * B * 2).map((_, i) => Math.cos(i)), T, B, targets: new Float32Array(T * B).map((_, i) => Math.sin(i)) };
  const ta = new Trainer(a, { loss: "mse", optimizer: makeOptimizer("sgd", { lr: 0 }) });
  const tb = new Trainer(b, { loss: "mse", optimizer: makeOptimizer("sgd", { lr: 0 }), rng: new Rng(1) });
  assert.equal(tb.evaluate(batch).loss, ta.evaluate(batch).loss);
  assert.notEqual(tb.trainStep(batch).loss, ta.trainStep(batch).loss);
});

/** A classification run on random sequences of 3 to 5 steps (padded, masked), 3 classes, 2 epochs of 4 batches. */
function run(opts: { stopAt?: number; resume?: { state: FitState }; weights?: Float32Array; optimizer?: ReturnType<typeof makeOptimizer> } = {}) {
  const rng = new Rng(11);
  const N = 16, I = 3;
  const x = Array.from({ length: N }, (_, n) => Array.from({ length: 3 + (n % 3) }, () => Array.from({ length: I }, () => rng.normal())));
  const y = Array.from({ length: N }, (_, n) => n % 3);
  const data = sequenceData(x, y, { batchSize: 4, validation: 0 });
  const model = new Sequence({ cell: "lstm", input: I, hidden: 6, layers: 2, output: 3, outputActivation: "softmax", dropout: 0.3, bidirectional: true });
  if (opts.weights) model.params.set(opts.weights); else initialize(model, new Rng(1));
  const optimizer = opts.optimizer ?? makeOptimizer("adam", { lr: 0.01 });
  let state: FitState | null = null;
  return { model, optimizer, go: async () => {
    await fit(model, data.train, {
      epochs: 2, optimizer, seed: 1, ...(opts.resume ? { resume: opts.resume } : {}),
      callbacks: [{
        onBatchEnd: (ctx) => { if (opts.stopAt !== undefined && ctx.state.step === opts.stopAt) ctx.stop(); },
        onCheckpoint: (ctx) => { state = structuredClone(ctx.state); },
      }],
    });
    return state!;
  } };
}

test("fit draws the masks from the run's Rng: a run stopped mid-epoch and resumed equals the run never stopped, bit for bit", async () => {
  const full = run();
  await full.go();
  const stopped = run({ stopAt: 5 });   // epoch 1, batch 1 of 4
  const st = await stopped.go();
  assert.deepEqual([st.epoch, st.batch], [1, 1]);
  assert.notDeepEqual(st.rng, st.rngEpoch, "the run's Rng has moved on from the epoch's start: masks were drawn from it");
  const resumed = run({ resume: { state: st }, weights: stopped.model.params as Float32Array, optimizer: stopped.optimizer });
  await resumed.go();
  assert.deepEqual([...resumed.model.params], [...full.model.params]);
  // The check can fail: resuming the masks' stream from the epoch's start (a resume that
  // restored only the epoch's order) gives other weights.
  const again = run({ stopAt: 5 });
  const st2 = await again.go();
  const wrong = run({ resume: { state: { ...st2, rng: st2.rngEpoch! } }, weights: again.model.params as Float32Array, optimizer: again.optimizer });
  await wrong.go();
  assert.notDeepEqual([...wrong.model.params], [...full.model.params]);
});
