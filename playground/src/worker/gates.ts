// The gate activations of the library's own forward pass, for the unrolled view: an LSTM's
// i, f, g, o and a GRU's r, z, n at every step, read from the layer's cache after
// `model.forward` (the cells keep them activated for BPTT: lstm.ts "gates" (T, B, 4H), gru.ts
// "xw" (T, B, 3H) once the forward has run). Nothing is recomputed here: the numbers are the
// ones the network used. test/playground/gates.test.ts holds them to the cell equations
// (c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh c_t; h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}).
//
// It reads a private cache by name, the one place the page reaches into a layer: a public
// `layer.gateActivations()` in src/cells would be the cleaner home (see the playground README).
import type { Sequence } from "../../../src/train/sequence.ts";
import type { Batch } from "../../../src/train/trainer.ts";
import type { Grid } from "../protocol.ts";

export const GATE_NAMES: Record<string, string[]> = { lstm: ["i", "f", "g", "o"], gru: ["r", "z", "n"], elman: [], jordan: [] };
const CACHE: Record<string, string> = { lstm: "gates", gru: "xw" };

interface HasWorkspace { ws: { get(name: string, n: number): ArrayLike<number> }; hidden: number }

/** Runs the model over a batch of ONE sequence and returns every gated layer's gates as
 *  (units × T) grids named "l{layer} {gate}", in layer and gate order. */
export function gateActivations(model: Sequence, batch: Batch): Grid[] {
  if (batch.B !== 1) throw new Error(`gateActivations: expected a batch of one sequence, got B = ${batch.B}`);
  const T = batch.T;
  model.forward(batch.x, T, 1, { mask: batch.mask ?? null, teacher: batch.teacher ?? null });
  const grids: Grid[] = [];
  model.layers.forEach((layer, l) => {
    const names = GATE_NAMES[layer.kind];
    if (!names.length) return;
    const H = (layer as unknown as HasWorkspace).hidden, G = names.length * H;
    const cache = (layer as unknown as HasWorkspace).ws.get(CACHE[layer.kind], T * G);   // (T, 1, G), the buffer forward filled
    names.forEach((name, g) => {
      const values = new Float32Array(H * T);
      for (let j = 0; j < H; j++) for (let t = 0; t < T; t++) values[j * T + t] = cache[t * G + g * H + j];
      grids.push({ name: `l${l} ${name}`, rows: H, cols: T, values });
    });
  });
  return grids;
}
