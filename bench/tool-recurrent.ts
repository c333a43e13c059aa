// The toolkit's side of the benchmark: builds a Sequence model for a configuration and
// returns one training step (forward + full BPTT + Adam) or one inference (forward) as a
// closure. Everything the step touches is allocated before it is timed, and the step keeps
// no reference to `batch`: its data is copied into the model's memory (the wasm heap), so a
// caller that drops the batch holds one copy of the input and targets, not two.

import { Sequence } from "../src/train/sequence.ts";
import { lossAndGrad } from "../src/train/loss.ts";
import { Adam } from "../src/train/optim/adam.ts";
import { zeros, type Vec } from "../src/tensor/types.ts";
import { Rng } from "../src/rand.ts";
import type { Batch, Cell, Config, Mode } from "./configs.ts";

/** The configuration's network with PyTorch's default init, U(−1/√H, 1/√H) for every recurrent
 *  and head parameter (also what tool-onnx.ts exports). */
export function benchModel(c: Config, cell: Cell): Sequence {
  const model = new Sequence({ cell, input: c.input, hidden: c.hidden, layers: c.layers, output: c.output });
  const rng = new Rng(7), s = 1 / Math.sqrt(c.hidden);
  for (let i = 0; i < model.params.length; i++) model.params[i] = (rng.uniform() * 2 - 1) * s;
  return model;
}

export function recurrentStep(c: Config, cell: Cell, mode: Mode, batch: Batch): () => number {
  const model = benchModel(c, cell);
  const { T, B } = c;
  const x = zeros(T * B * c.input, "float32");
  x.set(batch.x);
  const O = model.outputSize;
  const dOut = zeros(T * B * O, "float32");
  let targets: Int32Array | Vec = batch.classes;
  if (c.loss !== "ce") { targets = zeros(T * B * O, "float32"); targets.set(batch.values); }
  const opt = new Adam({ lr: 1e-3 });
  // What eval, predict and generate run: the lean forward that keeps nothing for a backward.
  if (mode === "infer") return () => { model.forward(x, T, B, { inference: true }); return 0; };
  return () => {
    model.zeroGrads();
    const { out } = model.forward(x, T, B);
    const loss = lossAndGrad(c.loss, out, T * B, O, targets, null, dOut);
    model.backward(dOut, null, { inputGrad: false });   // x needs no gradient, as in PyTorch
    opt.step(model.params, model.grads);
    return loss;
  };
}
