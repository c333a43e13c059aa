// Optimiser state: save → load → continue equals never stopping, bit for bit, through
// the safetensors bytes; state() snapshots are deep copies; bad states are refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { makeOptimizer, optimizerFromState, type Optimizer } from "../../src/train/optim/index.ts";
import { optimizerStateFromSafetensors, optimizerStateToSafetensors, packOptimizerState, unpackOptimizerState } from "../../src/formats/optimizer-state.ts";
import { readSafetensors, writeSafetensors } from "../../src/formats/safetensors.ts";
import { RecurrentError } from "../../src/errors.ts";
import { Rng } from "../../src/rand.ts";

const P = 37;
// A noisy quadratic's gradient: deterministic in (θ, step), so two runs can be compared.
function grad(theta: Float32Array, t: number): Float32Array {
  const rng = new Rng(1000 + t);
  return theta.map((x, i) => (1 + (i % 5)) * x + 0.3 * rng.normal());
}
function start(): Float32Array { const r = new Rng(3); return Float32Array.from({ length: P }, () => r.normal()); }
const lrAt = (t: number) => 0.05 * Math.pow(0.97, t);   // a schedule, so lr changes per step
function runSteps(opt: Optimizer, theta: Float32Array, from: number, to: number) {
  for (let t = from; t < to; t++) opt.step(theta, grad(theta, t), lrAt(t));
}
const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");

const configs: Array<[string, Record<string, number | boolean>]> = [
  ["sgd", { momentum: 0.9, nesterov: true, weightDecay: 1e-3 }],
  ["sgd", { momentum: 0.5, dampening: 0.1 }],
  ["adam", { amsgrad: true, weightDecay: 1e-2 }],
  ["adamw", {}],
  ["rmsprop", { centered: true, momentum: 0.9 }],
  ["adagrad", { lrDecay: 0.01, initialAccumulatorValue: 0.1 }],
];

for (const [name, o] of configs) {
  test(`${name} ${JSON.stringify(o)}: 7 steps, save params and state to safetensors, load, 8 more steps = 15 uninterrupted steps, bit for bit`, () => {
    const straight = start();
    runSteps(makeOptimizer(name, o), straight, 0, 15);

    const theta = start();
    const first = makeOptimizer(name, o);
    runSteps(first, theta, 0, 7);
    const { tensors, metadata } = packOptimizerState(first.state());
    const file = writeSafetensors({ ...tensors, params: { shape: [P], data: theta } }, metadata);

    const back = readSafetensors(file, "ckpt.safetensors");
    const resumedTheta = back.tensors.params.data as Float32Array;
    const resumed = optimizerFromState(unpackOptimizerState(back.tensors, back.metadata, "ckpt.safetensors"));
    runSteps(resumed, resumedTheta, 7, 15);
    assert.equal(bits(resumedTheta), bits(straight));

    // The check can fail: resuming with a fresh optimiser (state lost) does not match.
    const lost = readSafetensors(file, "ckpt").tensors.params.data as Float32Array;
    runSteps(makeOptimizer(name, o), lost, 7, 15);
    assert.notEqual(bits(lost), bits(straight));
  });
}

test("state() is a deep copy and loadState copies its input", () => {
  const opt = makeOptimizer("adam");
  const theta = start();
  runSteps(opt, theta, 0, 3);
  const snap = opt.state();
  const m = Float32Array.from(snap.tensors.m);
  runSteps(opt, theta, 3, 5);
  assert.deepEqual(snap.tensors.m, m, "later steps do not change a snapshot");
  assert.equal(snap.scalars.step, 3);
  const other = makeOptimizer("adam");
  other.loadState(snap);
  snap.tensors.m.fill(0);
  assert.deepEqual(other.state().tensors.m, m, "changing the snapshot does not change the loaded optimiser");
});

test("a state taken before any step round-trips too (no buffers yet)", () => {
  const opt = makeOptimizer("rmsprop", { momentum: 0.5 });
  const s = optimizerStateFromSafetensors(optimizerStateToSafetensors(opt.state()), "empty");
  assert.deepEqual(s.tensors, {});
  const a = start(), b = start();
  runSteps(opt, a, 0, 4);
  runSteps(optimizerFromState(s), b, 0, 4);
  assert.equal(bits(a), bits(b));
});

test("loadState and unpacking refuse a state of another optimiser, another size, unknown buffers or bad metadata", () => {
  const adam = makeOptimizer("adam");
  adam.step(new Float32Array(4), new Float32Array(4).fill(1));
  const s = adam.state();
  assert.throws(() => makeOptimizer("sgd").loadState(s), /sgd.loadState: state.name: expected "sgd", got "adam"/);
  assert.throws(() => makeOptimizer("adam").loadState({ ...s, tensors: { ...s.tensors, m: new Float32Array(5) } }), /adam.loadState: state.tensors.v: expected length 5 \(like the other buffers\), got 4/);
  assert.throws(() => makeOptimizer("adam").loadState({ ...s, tensors: { mom: new Float32Array(4) } }), /adam.loadState: state.tensors: expected only m, v, vmax, got "mom"/);
  assert.throws(() => makeOptimizer("adam").loadState({ ...s, scalars: { step: -1 } }), /state.scalars.step: expected an integer >= 0, got -1/);
  const loaded = makeOptimizer("adam"); loaded.loadState(s);
  assert.throws(() => loaded.step(new Float32Array(6), new Float32Array(6)), /adam.step: params: expected length 4/);
  assert.throws(() => loaded.step(new Float64Array(4), new Float64Array(4)), /adam.step: params: expected a Float32Array \(the precision of the optimiser state\), got Float64Array\(4\)/);
  const noMeta = writeSafetensors({ "optimizer.m": { shape: [1], data: new Float32Array(1) } });
  assert.throws(() => optimizerStateFromSafetensors(noMeta, "opt.safetensors"), (e: unknown) => e instanceof RecurrentError && /^opt.safetensors: optimizer.state: expected a metadata entry/.test(e.message));
  const badName = writeSafetensors({}, { "optimizer.state": JSON.stringify({ name: "lbfgs", options: {}, scalars: { step: 0 } }) });
  assert.throws(() => optimizerStateFromSafetensors(badName, "opt.safetensors"), /opt.safetensors: optimizer.state: expected name one of sgd\|adam\|adamw\|rmsprop\|adagrad, got "lbfgs"/);
  const badJson = writeSafetensors({}, { "optimizer.state": "{oops" });
  assert.throws(() => optimizerStateFromSafetensors(badJson, "opt.safetensors"), /optimizer.state: expected JSON/);
  const nest = "[".repeat(100000) + "]".repeat(100000);
  for (const evil of [`{"name": "adam", "options": {"lr": ${nest}}, "scalars": {"step": 0}}`, `{"name": ${nest}, "options": {}, "scalars": {}}`,
    `{"name": "sgd", "options": {}, "scalars": {"step": ${nest}}}`, `{"name": "sgd", "options": {"toString": 1}, "scalars": {"step": 0}}`]) {
    const bytes = writeSafetensors({}, { "optimizer.state": evil });
    assert.throws(() => optimizerFromState(optimizerStateFromSafetensors(bytes, "evil")), (e: unknown) => e instanceof RecurrentError && e.message.length < 300 && !e.message.includes("\n"), evil.slice(0, 60));
  }
  const badOpt = writeSafetensors({}, { "optimizer.state": JSON.stringify({ name: "adam", options: { beta1: 2 }, scalars: { step: 0 } }) });
  assert.throws(() => optimizerFromState(optimizerStateFromSafetensors(badOpt, "x")), /adam: beta1: expected a number in \[0, 1\), got 2/);
});
