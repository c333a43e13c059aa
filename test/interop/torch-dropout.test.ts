// Dropout as PyTorch computes it in training: the committed fixtures of
// scripts/torch-golden-bidir-dropout.py hold [nn.Embedding →] nn.Dropout(p) → nn.LSTM/GRU(2
// layers, dropout=p[, bidirectional]) → nn.Dropout(p) → nn.Linear, run in training mode, with
// the masks PyTorch drew (the script checks that they reproduce the module's own forward to the
// bit). The toolkit's model with `dropout: p` replays the same masks through its random source
// and must give PyTorch's outputs, final states and every gradient (each parameter tensor, the
// input and the initial states): so the masks sit where PyTorch's do (the embedding's output,
// between the layers, before the head), scale by 1/(1 − p), and the backward passes through them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Sequence } from "../../src/train/sequence.ts";
import type { RandomSource } from "../../src/model/dropout.ts";
import type { Vec } from "../../src/tensor/types.ts";
import { modelState, relError, torchState, type FixtureResult, type FixtureTensor } from "./torch-fixture.ts";

interface DropoutRun {
  T: number; B: number; tokens?: FixtureTensor; x?: FixtureTensor; h0: FixtureTensor; c0?: FixtureTensor;
  /** Per site, in draw order: 1 kept, 0 dropped; time-major like the values they multiply. */
  masks: FixtureTensor[];
  r_out: FixtureTensor; r_h: FixtureTensor; r_c?: FixtureTensor;
  f64: FixtureResult; f32: FixtureResult;
}
interface DropoutFixture {
  name: string; cell: "lstm" | "gru"; p: number; vocab: number; input_size: number; hidden_size: number;
  num_layers: number; bidirectional: boolean; head_size: number; weights: Record<string, FixtureTensor>; runs: DropoutRun[];
}

const DIR = join(import.meta.dirname, "..", "fixtures", "torch-dropout");
const fixtures: DropoutFixture[] = readdirSync(DIR).filter((f) => f.endsWith(".json")).sort().map((f) => {
  const fx = { ...(JSON.parse(readFileSync(join(DIR, f), "utf8")) as DropoutFixture), name: f.replace(/\.json$/, "") };
  const fround = (t: FixtureTensor | undefined) => { if (t) t.data = t.data.map(Math.fround); };
  Object.values(fx.weights).forEach(fround);
  for (const r of fx.runs) [r.x, r.h0, r.c0, r.r_out, r.r_h, r.r_c].forEach(fround);
  return fx;
});
const TOL = { f32: 1e-5, f64: 1e-12 } as const;

/** A random source that replays 0/1 masks (in draw order): dropped → 0 (< p), kept → just below 1. */
function replay(masks: FixtureTensor[]): RandomSource & { left(): number } {
  const all = masks.flatMap((m) => m.data);
  let i = 0;
  return { uniform: () => { if (i >= all.length) throw new Error("more draws than PyTorch's masks"); return all[i++] ? 1 - 2 ** -20 : 0; }, left: () => all.length - i };
}

function build(fx: DropoutFixture, prec: "f32" | "f64"): Sequence {
  const m = new Sequence({
    cell: fx.cell, input: fx.vocab || fx.input_size, embedding: fx.vocab ? fx.input_size : 0, hidden: fx.hidden_size,
    layers: fx.num_layers, output: fx.head_size, bidirectional: fx.bidirectional, dropout: fx.p,
  }, prec === "f64" ? "float64" : "float32");
  for (const [k, v] of Object.entries(fx.weights)) m.get(k).set(v.data);
  assert.deepEqual(m.tensors.map((t) => t.name).sort(), Object.keys(fx.weights).sort(), "every tensor from PyTorch's state_dict");
  return m;
}

for (const fx of fixtures) {
  for (const prec of ["f32", "f64"] as const) {
    test(`${fx.name} (${prec}): with PyTorch's masks, training outputs, final states and every gradient match PyTorch within ${TOL[prec]}`, (t) => {
      const make = (a: ArrayLike<number>): Vec => (prec === "f64" ? Float64Array.from(a) : Float32Array.from(a));
      const model = build(fx, prec);
      const D = fx.bidirectional ? 2 : 1;
      const worst = { forward: 0, gradient: 0 };
      const cmp = (what: string, got: ArrayLike<number>, want: FixtureTensor, kind: "forward" | "gradient") => {
        const e = relError(got, want.data);
        worst[kind] = Math.max(worst[kind], e);
        assert.ok(e <= TOL[prec], `${fx.name} ${prec} ${what}: rel. error ${e.toExponential(2)} > ${TOL[prec]}`);
      };
      for (const run of fx.runs) {
        const ref = run[prec], K = run.c0 ? 2 : 1, tag = `T=${run.T} B=${run.B}`;
        const source = replay(run.masks);
        model.zeroGrads();
        const x = make((run.tokens ?? run.x)!.data);
        const { out, state } = model.forward(x, run.T, run.B, { state0: modelState(run.h0, run.c0, D, make), dropout: source });
        assert.equal(source.left(), 0, "the model drew exactly as many values as PyTorch's masks hold");
        cmp(`${tag} out`, out, ref.out, "forward");
        cmp(`${tag} h_n`, torchState(state, 0, K, D), ref.h_n, "forward");
        if (ref.c_n) cmp(`${tag} c_n`, torchState(state, 1, K, D), ref.c_n, "forward");
        const { dx, dState0 } = model.backward(make(run.r_out.data), modelState(run.r_h, run.r_c, D, make));
        for (const [name, g] of Object.entries(ref.grads)) {
          if (name === "x") cmp(`${tag} d x`, dx, g, "gradient");
          else if (name === "h0") cmp(`${tag} d h0`, torchState(dState0, 0, K, D), g, "gradient");
          else if (name === "c0") cmp(`${tag} d c0`, torchState(dState0, 1, K, D), g, "gradient");
          else cmp(`${tag} d ${name}`, model.grad(name), g, "gradient");
        }
        for (const e of model.tensors) assert.ok(e.name in ref.grads, `no golden gradient for ${e.name}`);
      }
      t.diagnostic(`${prec} worst forward rel. error ${worst.forward.toExponential(2)}, gradient ${worst.gradient.toExponential(2)}`);
    });
  }
}

test("the dropout comparison can fail: PyTorch's masks at the wrong sites, or no masks, are far off", () => {
  for (const fx of fixtures) {
    const run = fx.runs[0]!, D = fx.bidirectional ? 2 : 1;
    const model = build(fx, "f64");
    const x = Float64Array.from((run.tokens ?? run.x)!.data);
    const state0 = modelState(run.h0, run.c0, D, (a) => Float64Array.from(a));
    // The last site's mask first: the same draws, each site's values from another site's mask.
    const shuffled = [...run.masks.slice(1), run.masks[0]!];
    const a = model.forward(x, run.T, run.B, { state0, dropout: replay(shuffled) }).out.slice();
    const b = model.forward(x, run.T, run.B, { state0 }).out.slice();
    assert.ok(relError(a, run.f64.out.data) > 1e-3, `${fx.name}: shuffled masks`);
    assert.ok(relError(b, run.f64.out.data) > 1e-3, `${fx.name}: no dropout`);
  }
});
