// The Keras-like surface of a model: fit on {x, y} arrays or on the data utilities
// (textData, windowData, sequenceData), evaluate, predict, generate, summary; and bad input to
// each, which throws one line naming the argument, what was expected and what was got.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Sequence } from "../../src/train/sequence.ts";
import { initialize } from "../../src/model/initialize.ts";
import { Rng } from "../../src/rand.ts";
import { sequenceData, textData, windowData } from "../../src/data/datasets.ts";
import { paramCount } from "../../src/model/count.ts";
import { Trainer } from "../../src/train/trainer.ts";
import { makeOptimizer } from "../../src/train/optim/index.ts";

/** Sequences of 3..8 steps of 2 features; the class is whether the first feature sums above 0. */
function signTask(n: number, seed: number) {
  const rng = new Rng(seed);
  const x: number[][][] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const L = 3 + rng.int(6);
    const s = Array.from({ length: L }, () => [rng.normal(), rng.normal()]);
    x.push(s); y.push(s.reduce((a, st) => a + st[0], 0) > 0 ? 1 : 0);
  }
  return { x, y };
}

test("model.fit on {x, y} arrays learns a classification of variable-length sequences; evaluate and predict agree", async () => {
  const model = new Sequence({ cell: "gru", input: 2, hidden: 16, output: 2, outputActivation: "softmax" });
  initialize(model, new Rng(1));
  const train = signTask(400, 1), test_ = signTask(100, 2);
  const history = await model.fit(train, { epochs: 15, batchSize: 16, lr: 0.01, validationSplit: 0.2 });
  assert.equal(history.epochs.length, 15);
  assert.ok(history.evaluations.length >= 15, "validationSplit gives evaluations");
  const ev = model.evaluate(test_);
  assert.ok(ev.metrics.accuracy > 0.9, `accuracy ${ev.metrics.accuracy}`);
  const p = model.predict(test_.x) as number[][];
  assert.equal(p.length, 100);
  const acc = p.filter((row, i) => (row[1] > row[0] ? 1 : 0) === test_.y[i]).length / 100;
  assert.equal(acc, ev.metrics.accuracy, "predict's argmax gives evaluate's accuracy");
  const all = model.predict([test_.x[0]], { allSteps: true }) as number[][][];
  assert.equal(all[0].length, test_.x[0].length);
  assert.deepEqual(all[0].at(-1), p[0]);
});

test("textData + fit + generate: a character model from a string, greedy generation is deterministic", async () => {
  const text = readFileSync("data/tinyshakespeare-100k.txt", "utf8").slice(0, 6000);
  const data = textData(text, { batchSize: 8, seqLength: 32, validation: 0.1 });
  const model = new Sequence({ cell: "lstm", input: data.vocab.size, hidden: 32, output: data.vocab.size, outputActivation: "softmax" });
  initialize(model, new Rng(2));
  const h = await model.fit(data.train, { epochs: 3, lr: 0.01, validationData: data.validation! });
  assert.ok(h.evaluations.at(-1)!.val_loss < Math.log(data.vocab.size), "better than a uniform guess");
  const a = model.generate(data, { prompt: "ROMEO:", length: 40, temperature: 0 });
  const b = model.generate(data, { prompt: "ROMEO:", length: 40, temperature: 0, seed: 7 });
  assert.equal(a.length, 40);
  assert.equal(a, b, "temperature 0 draws nothing at random");
  assert.equal(data.decode(data.encode("First Citizen")), "First Citizen");
});

test("windowData: windows over a series, scaled on the training part; a forecaster trains on it", async () => {
  const series = Array.from({ length: 300 }, (_, t) => 10 + Math.sin(t / 6) * 3 + t * 0.01);
  const data = windowData(series, { window: 24, horizon: 4, batchSize: 16, validation: 0.2 });
  assert.equal(data.features, 1);
  const trainEnd = 240;
  const mean = series.slice(0, trainEnd).reduce((a, v) => a + v, 0) / trainEnd;
  assert.ok(Math.abs(data.scaler.mean[0] - mean) < 1e-9, "the scaler sees the training part only");
  const b = data.train.batch(0);
  assert.deepEqual([b.T, b.B, b.targets.length], [24, 16, 16 * 4]);
  const model = new Sequence({ cell: "lstm", input: 1, hidden: 16, output: 4 });
  initialize(model, new Rng(3));
  const h = await model.fit(data.train, { epochs: 20, lr: 0.01, validationData: data.validation! });
  assert.ok(h.evaluations.at(-1)!.val_loss < h.evaluations[0].val_loss, "validation MSE falls");
});

test("summary() lists every tensor and the total, which equals the lecture's formula", () => {
  const m = new Sequence({ cell: "jordan", input: 3, hidden: 4, state: 3, output: 2 });
  const s = m.summary();
  for (const t of m.tensors) assert.match(s, new RegExp(`^${t.name}\\s+\\(${t.shape.join(", ")}\\)\\s+${t.size}$`, "m"));
  assert.match(s, new RegExp(`^total\\s+${paramCount(m.config)}$`, "m"));
  assert.match(s, /formula: h\(s \+ d_in \+ 1\)/);
});

test("bad input throws one line naming the argument, what was expected and what was got", async () => {
  const m = new Sequence({ cell: "gru", input: 2, hidden: 4, output: 2, outputActivation: "softmax" });
  const one = (f: () => unknown, re: RegExp) => assert.throws(f, (e: Error) => re.test(e.message) && !e.message.includes("\n"), `expected ${re}`);
  const oneAsync = async (f: () => Promise<unknown>, re: RegExp) => assert.rejects(f, (e: Error) => re.test(e.message) && !e.message.includes("\n"));
  one(() => sequenceData([[[1, 2]], [[1]]], [0, 1]), /^sequenceData: sequences\[1\]\[0\]: expected 2 features .*, got 1$/);
  one(() => sequenceData([[[1, 2]], [[1, NaN]]], [0, 1]), /^sequenceData: sequences\[1\]\[0\]\[1\]: expected a finite number, got NaN$/);
  one(() => sequenceData([[[1, 2]], [[1, 2]]], [0]), /^sequenceData: targets: expected one per sequence \(2\), got 1$/);
  one(() => sequenceData([[[1, 2]], []], [0, 1]), /^sequenceData: sequences\[1\]: expected at least one step, got none$/);
  await oneAsync(() => m.fit({ x: [[[1, 2, 3]], [[1, 2, 3]]], y: [0, 1] }), /^fit: data\.x: expected 2 features per step \(the model's input size\), got 3$/);
  await oneAsync(() => m.fit({ x: [[[1, 2]], [[1, 2]], [[0, 0]]], y: [0, 1, 2] }), /^fit: data\.y: expected targets for 2 outputs .*, got 3 classes$/);
  await oneAsync(() => m.fit(textData("abcabcabcabc".repeat(20), { batchSize: 2, seqLength: 4 }).train, { batchSize: 8 }), /^fit: batchSize: expected none with a TrainData/);
  await oneAsync(() => m.fit({ x: [[[1, 2]], [[3, 4]]], y: [0, 1] }, { epochs: -1 }), /^fit: epochs: expected an integer >= 0, got -1$/);
  one(() => m.predict([[[1, 2, 3]]]), /^predict: sequences\[0\]\[0\]: expected 2 inputs \(the model's input size\), got 3$/);
  one(() => m.predict([[[1, Infinity]]]), /^predict: sequences\[0\]\[0\]\[1\]: expected a finite number, got Infinity$/);
  one(() => windowData([1, 2, 3], { window: 5 }), /^windowData: training part: expected room for one window/);
  one(() => windowData([[1, 2], [3]], { window: 1 }), /^windowData: series\[1\]: expected 2 values \(as row 0\), got 1$/);
  one(() => textData("", {}), /^textData: text: expected a non-empty text, got an empty one$/);
});

test("the lower-level API names bad batches too: wrong lengths, classes out of range, NaN inputs", () => {
  const m = new Sequence({ cell: "lstm", input: 3, hidden: 4, output: 2, outputActivation: "softmax" });
  const tr = new Trainer(m, { loss: "ce", optimizer: makeOptimizer("adam") });
  assert.throws(() => m.forward(new Float32Array(5), 2, 2), /^RecurrentError: forward x: expected length T·B·I = 2·2·3 = 12, got 5$/);
  assert.throws(() => tr.trainStep({ x: new Float32Array(12), T: 2, B: 2, targets: new Int32Array(3) }), /loss targets: expected length N = 4, got 3/);
  assert.throws(() => tr.trainStep({ x: new Float32Array(12), T: 2, B: 2, targets: new Int32Array([0, 1, 5, 0]) }), /loss targets\[2\]: expected a class index in \[0, 2\), got 5/);
  const x = new Float32Array(12); x[7] = NaN;
  assert.throws(() => tr.trainStep({ x, T: 2, B: 2, targets: new Int32Array(4) }), /^RecurrentError: trainStep: batch\.x\[7\]: expected a finite number, got NaN$/);
});
