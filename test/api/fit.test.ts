// fit(), the one training loop: it trains as the plain Trainer loop does (same bits), keeps a
// history, calls callbacks in order, stops on an AbortSignal, early stopping and a time
// limit, and a run resumed from its FitState (with the optimiser's state) ends with the bits
// of a run never stopped.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Sequence } from "../../src/train/sequence.ts";
import { initialize } from "../../src/model/initialize.ts";
import { Rng } from "../../src/rand.ts";
import { Trainer } from "../../src/train/trainer.ts";
import { makeOptimizer, optimizerFromState } from "../../src/train/optim/index.ts";
import { fit, earlyStopping, learningRateScheduler, type Callback, type FitState } from "../../src/train/fit.ts";
import { textData } from "../../src/data/datasets.ts";
import type { Vec } from "../../src/tensor/types.ts";

const text = readFileSync("data/tinyshakespeare-100k.txt", "utf8").slice(0, 4000);

function charModel(V: number, seed = 3) {
  const m = new Sequence({ cell: "gru", input: V, hidden: 12, output: V, outputActivation: "softmax" });
  initialize(m, new Rng(seed));
  return m;
}

test("fit trains exactly as the plain Trainer loop over the same batches (same bits), and records its history", async () => {
  const d = textData(text, { batchSize: 4, seqLength: 16 });
  const a = charModel(d.vocab.size), b = charModel(d.vocab.size);
  const history = await fit(a, d.train, { epochs: 2, optimizer: makeOptimizer("adam", { lr: 0.01 }), clipNorm: 1, validationData: d.validation! });
  const trainer = new Trainer(b, { loss: "ce", optimizer: makeOptimizer("adam", { lr: 0.01 }), clipNorm: 1 });
  for (let e = 0; e < 2; e++) {
    let state: Vec[][] | null = null;
    for (let i = 0; i < d.train.batchesPerEpoch; i++) state = trainer.trainStep(d.train.batch(i), state).state;
  }
  assert.deepEqual(Array.from(a.params), Array.from(b.params));
  assert.equal(history.stopped, "epochs");
  assert.equal(history.steps, 2 * d.train.batchesPerEpoch);
  assert.equal(history.epochs.length, 2);
  assert.equal(history.evaluations.length, 2);
  assert.ok(history.evaluations[1].val_loss < history.evaluations[0].val_loss + 0.5);
  assert.ok(history.epochs[1].train_loss < Math.log(d.vocab.size), "better than a uniform guess");
});

test("callbacks run in order with the context; setLearningRate and stop() act on the run", async () => {
  const d = textData(text, { batchSize: 4, seqLength: 16 });
  const m = charModel(d.vocab.size);
  const calls: string[] = [];
  const cb: Callback = {
    onTrainBegin: () => { calls.push("begin"); },
    onEpochBegin: (_, e) => { calls.push(`epoch ${e}`); },
    onBatchEnd: (ctx) => { if (ctx.state.step === 3) calls.push("batch 3"); if (ctx.state.step === 5) ctx.stop(); },
    onEvaluation: (_, r) => { calls.push(`eval ${r.step}`); },
    onCheckpoint: (ctx) => { calls.push(`checkpoint ${ctx.state.step}`); },
    onTrainEnd: (_, h) => { calls.push(`end ${h.stopped}`); },
  };
  const h = await fit(m, d.train, { epochs: 3, lr: 0.01, validationData: d.validation!, callbacks: [cb] });
  assert.deepEqual(calls, ["begin", "checkpoint 0", "epoch 0", "batch 3", "checkpoint 5", "end callback"]);
  assert.equal(h.steps, 5);

  // A learning rate of 0 from the scheduler: no update changes the weights.
  const z = charModel(d.vocab.size), before = Array.from(z.params);
  await fit(z, d.train, { epochs: 1, callbacks: [learningRateScheduler(() => 0)] });
  assert.deepEqual(Array.from(z.params), before);
});

test("an AbortSignal stops the run at the next batch; a time limit stops it and evaluates where it stopped", async () => {
  const d = textData(text, { batchSize: 4, seqLength: 16 });
  const ac = new AbortController();
  const h = await fit(charModel(d.vocab.size), d.train, { epochs: 5, callbacks: [{ onBatchEnd: (ctx) => { if (ctx.state.step === 2) ac.abort(); } }], signal: ac.signal });
  assert.equal(h.stopped, "aborted");
  assert.equal(h.steps, 2);
  let t = 0;
  const clock = () => t;                                   // a fake clock: each batch takes 1 s
  const timed = await fit(charModel(d.vocab.size), d.train, { epochs: 0, timeLimit: 4.5, clock, validationData: d.validation!,
    callbacks: [{ onBatchEnd: () => { t += 1; } }] });
  assert.equal(timed.stopped, "time-limit");
  assert.equal(timed.steps, 5);
  assert.equal(timed.evaluations.at(-1)!.final, true);
});

test("minEvaluations: a short run evaluates often enough to draw a curve", async () => {
  const d = textData(text, { batchSize: 4, seqLength: 16 });
  const h = await fit(charModel(d.vocab.size), d.train, { epochs: 1, minEvaluations: 5, validationData: d.validation! });
  assert.ok(h.evaluations.length >= 5, `${h.evaluations.length} evaluations`);
});

test("early stopping ends the run after `patience` evaluations without improvement", async () => {
  const d = textData(text, { batchSize: 4, seqLength: 16 });
  let n = 0;
  const worse = () => ({ loss: 1 + n++, metrics: {} });    // validation that only gets worse
  const h = await fit(charModel(d.vocab.size), d.train, { epochs: 10, validationData: worse, patience: 2 });
  assert.equal(h.stopped, "early-stopping");
  assert.equal(h.evaluations.length, 3);
  const viaCallback = await fit(charModel(d.vocab.size), d.train, { epochs: 10, validationData: () => ({ loss: 1 + n++, metrics: {} }), callbacks: [earlyStopping(1)] });
  assert.equal(viaCallback.evaluations.length, 2);
});

test("a run resumed from its FitState, optimiser state and carried state ends with the bits of one never stopped", async () => {
  const d = textData(text, { batchSize: 4, seqLength: 16 });
  const full = charModel(d.vocab.size);
  await fit(full, d.train, { epochs: 2, lr: 0.01, seed: 9 });

  const part = charModel(d.vocab.size);
  const opt = makeOptimizer("adam", { lr: 0.01 });
  let saved: { state: FitState; carried: Vec[][] | null; opt: ReturnType<typeof opt.state>; params: Vec } | null = null;
  const stopAt = d.train.batchesPerEpoch + 2;               // mid-way through the second epoch
  await fit(part, d.train, { epochs: 2, optimizer: opt, seed: 9, callbacks: [
    { onBatchEnd: (ctx) => { if (ctx.state.step === stopAt) ctx.stop(); } },
    { onCheckpoint: (ctx) => { saved = { state: structuredClone(ctx.state), carried: ctx.carried && ctx.carried.map((l) => l.map((v) => v.slice())), opt: ctx.optimizer.state(), params: ctx.model.params.slice() }; } },
  ] });
  assert.equal(saved!.state.step, stopAt);
  const resumed = charModel(d.vocab.size, 99);
  resumed.params.set(saved!.params);
  await fit(resumed, d.train, { epochs: 2, optimizer: optimizerFromState(saved!.opt), resume: { state: saved!.state, carried: saved!.carried } });
  assert.deepEqual(Array.from(resumed.params), Array.from(full.params));
});

test("divergence: a validation loss far above the first update's stops the run before it is kept as the best", async () => {
  const d = textData(text, { batchSize: 4, seqLength: 16 });
  let calls = 0;
  const exploding = () => ({ loss: calls++ === 0 ? 3 : 1e6, metrics: {} });
  const bests: number[] = [];
  await assert.rejects(fit(charModel(d.vocab.size), d.train, { epochs: 5, evalEvery: 2, validationData: exploding, callbacks: [{ onBest: (_, r) => { bests.push(r.val_loss); } }] }),
    (e: Error) => e.name === "DivergenceError" && /^validation: loss 1\.000e\+6 at step 4 is more than 100 × [\d.]+ \(the first update's loss, at least 1\): the run diverged/.test(e.message));
  assert.deepEqual(bests, [3]);
  await assert.rejects(fit(charModel(d.vocab.size), d.train, { epochs: 1, validationData: () => ({ loss: NaN, metrics: {} }) }), /^DivergenceError: validation: loss is NaN at step \d+/);
  const off = await fit(charModel(d.vocab.size), d.train, { epochs: 1, evalEvery: 2, divergence: 0, validationData: () => ({ loss: 1e9, metrics: {} }) });
  assert.equal(off.stopped, "epochs", "divergence: 0 turns the check off");
});
