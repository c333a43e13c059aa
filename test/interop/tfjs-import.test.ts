// TF.js import against the committed tfjs-layers fixtures (scripts/tfjs-golden.ts): the
// imported model's outputs and final states match what tfjs (or, for GRU reset_after=true,
// the checked Keras-equation reference) computed, within 1e-5 relative to scale; what the
// toolkit's cells cannot compute is refused with one line naming the layer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { importTfjsModel } from "../../src/formats/tfjs.ts";
import { predictBatchFirst } from "../../src/model/predict.ts";
import { RecurrentError } from "../../src/errors.ts";
import { relError, type FixtureTensor } from "./torch-fixture.ts";

const DIR = join(import.meta.dirname, "..", "fixtures", "tfjs");
const load = (name: string) => {
  const dir = join(DIR, name);
  return importTfjsModel(JSON.parse(readFileSync(join(dir, "model.json"), "utf8")), (p) => readFileSync(join(dir, p)), `${name}/model.json`);
};

interface Expected { runs: Array<{ B: number; T: number; x: FixtureTensor; outputs: FixtureTensor[] }> }

for (const name of ["simple_rnn", "simple_rnn_relu", "lstm", "lstm_sigmoid", "gru_reset_before", "gru_reset_after", "gru_reset_after_sigmoid", "lstm_stack_dense"]) {
  test(`tfjs ${name} imports and reproduces tfjs's outputs and final states within 1e-5`, (t) => {
    const { model, layers } = load(name);
    const exp = JSON.parse(readFileSync(join(DIR, name, "expected.json"), "utf8")) as Expected;
    let worst = 0;
    for (const run of exp.runs) {
      const p = predictBatchFirst(model, run.x.data, run.B, run.T);
      const check = (what: string, got: ArrayLike<number>, want: FixtureTensor) => {
        const e = relError(got, want.data);
        worst = Math.max(worst, e);
        assert.ok(e <= 1e-5, `${name} B=${run.B} T=${run.T} ${what}: rel. error ${e}`);
      };
      assert.deepEqual([p.B, p.T, p.outputSize], run.outputs[0]!.shape);
      check("sequence output", p.output, run.outputs[0]!);
      // returnState outputs: h (and c for LSTM); a one-layer model's h_n is (1, B, H).
      if (run.outputs[1]) check("final h", p.states.h!.data, run.outputs[1]);
      if (run.outputs[2]) check("final c", p.states.c!.data, run.outputs[2]);
    }
    t.diagnostic(`${layers.join(" → ")}: worst rel. error ${worst.toExponential(2)}`);
  });
}

const refusals: Array<[string, RegExp]> = [
  ["unsupported_conv1d", /layer "conv1d_Conv1D\d+" \(Conv1D\): unsupported layer/],
];
for (const [name, re] of refusals) {
  test(`tfjs ${name} is refused with one line naming the layer`, () => {
    assert.throws(() => load(name), (e: Error) => e instanceof RecurrentError && re.test(e.message) && !e.message.includes("\n"));
  });
}

test("tfjs gates other than sigmoid|hard_sigmoid are refused, naming the layer", () => {
  const dir = join(DIR, "gru_reset_before");
  const mj = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
  for (const l of mj.modelTopology.config.layers) if (l.class_name === "GRU") l.config.recurrent_activation = "relu";
  assert.throws(() => importTfjsModel(mj, (p) => readFileSync(join(dir, p))), /\(GRU\): recurrent_activation: expected sigmoid\|hard_sigmoid, got "relu"/);
});

test("tfjs weights shorter than the manifest are refused", () => {
  const dir = join(DIR, "simple_rnn");
  const mj = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
  assert.throws(() => importTfjsModel(mj, (p) => readFileSync(join(dir, p)).subarray(0, 20)), /weightsManifest\[0\] \(.*\): expected \d+ bytes \(what its weights declare\), got 20: the weight files end early/);
});
