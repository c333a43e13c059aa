// Parity with PyTorch: the toolkit's forward outputs, final states and every gradient (each
// parameter tensor, the input and the initial states) against the committed golden values of
// scripts/torch-golden.py, in float32 (≤ 1e-5 relative to scale) and float64 (≤ 1e-12).
// Weights enter through importTorchStateDict, so the name mapping is tested on the way.
// Padded batches (the *_packed fixtures, pack_padded_sequence in PyTorch) run with a (T, B)
// mask: outputs are compared at real steps (PyTorch pads with zeros), states and every
// gradient everywhere. Bidirectional fixtures (*_bidir_*: the *_reverse tensors, states
// (L·2, B, H)) run the same way: their reverse direction starts at each sequence's own last
// real step, as the packed sequences of PyTorch do.
import { test } from "node:test";
import assert from "node:assert/strict";
import { importTorchStateDict, type InTensor } from "../../src/formats/pytorch.ts";
import type { Vec } from "../../src/tensor/types.ts";
import { loadTorchFixtures, modelState, relError, torchState, type FixtureTensor } from "./torch-fixture.ts";

const TOL = { f32: 1e-5, f64: 1e-12 } as const;

for (const fx of loadTorchFixtures()) {
  for (const prec of ["f32", "f64"] as const) {
    test(`${fx.name} (${prec}): forward, final states and every gradient match PyTorch within ${TOL[prec]}`, (t) => {
      const make = (a: ArrayLike<number>): Vec => (prec === "f64" ? Float64Array.from(a) : Float32Array.from(a));
      const weights: Record<string, InTensor> = {};
      for (const [k, v] of Object.entries(fx.weights)) weights[k] = { shape: v.shape, data: v.data, dtype: prec === "f64" ? "F64" : "F32" };
      const model = importTorchStateDict(weights, { cell: fx.cell, nonlinearity: fx.nonlinearity ?? undefined });
      assert.equal(model.dtype, prec === "f64" ? "float64" : "float32");
      assert.equal(model.config.bidirectional, fx.bidirectional === true, "the *_reverse tensors make a bidirectional model");
      const D = fx.bidirectional ? 2 : 1;
      const worst = { forward: [0, ""] as [number, string], gradient: [0, ""] as [number, string] };
      const cmp = (what: string, got: ArrayLike<number>, want: FixtureTensor) => {
        const e = relError(got, want.data);
        const w = worst[what.includes(" d ") ? "gradient" : "forward"];
        if (e > w[0]) { w[0] = e; w[1] = what; }
        assert.ok(e <= TOL[prec], `${fx.name} ${prec} ${what}: rel. error ${e.toExponential(2)} > ${TOL[prec]}`);
      };
      for (const run of fx.runs) {
        const ref = run[prec];
        const state0 = modelState(run.h0, run.c0, D, make);
        const K = run.c0 ? 2 : 1;
        model.zeroGrads();
        let mask: Uint8Array | null = null;
        if (run.lengths) {
          mask = new Uint8Array(run.T * run.B);
          run.lengths.forEach((n, b) => { for (let t = 0; t < n; t++) mask![t * run.B + b] = 1; });
        }
        const { out, state } = model.forward(make(run.x.data), run.T, run.B, { state0, mask });
        const tag = `T=${run.T} B=${run.B}${run.lengths ? ` lengths=${run.lengths}` : ""}`;
        const O = ref.out.shape[2]!;
        const real = (a: ArrayLike<number>) => Array.from(a).filter((_, i) => !mask || mask[Math.floor(i / O)] === 1);
        cmp(`${tag} out`, real(out), { shape: ref.out.shape, data: real(ref.out.data) });
        cmp(`${tag} h_n`, torchState(state, 0, K, D), ref.h_n);
        if (ref.c_n) cmp(`${tag} c_n`, torchState(state, 1, K, D), ref.c_n);
        const { dx, dState0 } = model.backward(make(run.r_out.data), modelState(run.r_h, run.r_c, D, make));
        for (const [name, g] of Object.entries(ref.grads)) {
          if (name === "x") cmp(`${tag} d x`, dx, g);
          else if (name === "h0") cmp(`${tag} d h0`, torchState(dState0, 0, K, D), g);
          else if (name === "c0") cmp(`${tag} d c0`, torchState(dState0, 1, K, D), g);
          else if (fx.cell === "elman" && name.startsWith("bias_")) {
            // one bias b_h = b_ih + b_hh: its gradient equals each of PyTorch's two
            cmp(`${tag} d ${name}`, model.grad(name.replace(/bias_(ih|hh)_/, "bias_")), g);
          } else cmp(`${tag} d ${name}`, model.grad(name), g);
        }
        // Every parameter tensor of the model was compared (none silently skipped).
        const compared = new Set(Object.keys(ref.grads).map((n) => (fx.cell === "elman" ? n.replace(/bias_(ih|hh)_/, "bias_") : n)));
        for (const e of model.tensors) assert.ok(compared.has(e.name), `${fx.name}: no golden gradient for ${e.name}`);
      }
      for (const [k, [e, what]] of Object.entries(worst)) t.diagnostic(`${prec} worst ${k} rel. error ${e.toExponential(2)} (${what})`);
    });
  }
}
