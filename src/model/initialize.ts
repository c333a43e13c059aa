// Initial weights for a whole model, by scheme. Every scheme draws from the one seeded Rng,
// tensor by tensor in layout order, so the same seed gives the same weights bit for bit.
// Which tensor gets what follows its role in the cell's description (../cells/spec.ts); the
// initialisers themselves, which know shapes and not cells, are in ./init.ts.
//   pytorch  PyTorch's defaults: every RNN/LSTM/GRU tensor U(−1/√H, 1/√H); the head and
//            Jordan's tensors as nn.Linear, U(−1/√fan_in, 1/√fan_in) (the cell's `torchInit`).
//   glorot   Glorot-uniform input and output weights, orthogonal recurrent matrices (each
//            gate block), zero biases, and an LSTM forget-gate bias of 1 (Jozefowicz 2015;
//            the cell's `gateBias`).
//   uniform:a  every parameter, embedding and head included, U(−a, a): Zaremba et al.'s
//            language models (a = 0.1 small, 0.05 medium, 0.04 large).
import { check } from "../errors.ts";
import type { Rng } from "../rand.ts";
import type { Network, TensorEntry } from "./network.ts";
import { constant, glorotUniform, orthogonal, perBlock, pytorchRnnDefault, uniform } from "./init.ts";

export type InitScheme = "pytorch" | "glorot" | `uniform:${number}`;

/** Checks a scheme's name (and a uniform scheme's bound a > 0); returns the bound or null. */
export function checkInitScheme(scheme: unknown, where = "init"): number | null {
  if (typeof scheme === "string" && scheme.startsWith("uniform:")) {
    const a = Number(scheme.slice("uniform:".length));
    check(Number.isFinite(a) && a > 0, where, "uniform:a with a bound a > 0 (uniform:0.1)", scheme);
    return a;
  }
  check(scheme === "pytorch" || scheme === "glorot", where, "one of pytorch|glorot|uniform:a", scheme);
  return null;
}

export function initialize(model: Network, rng: Rng, scheme: InitScheme = "pytorch"): void {
  const bound = checkInitScheme(scheme);
  const H = model.config.hidden, cell = model.cell;
  for (const t of model.tensors) {
    const v = model.get(t.name);
    if (bound !== null) { uniform(v, -bound, bound, rng); continue; }
    if (scheme === "pytorch") {
      // nn.RNN/LSTM/GRU's rule covers the whole model but its nn.Linear head (the embedding too).
      if (cell.torchInit === "rnn" && !t.name.startsWith("head.")) { pytorchRnnDefault(v, H, rng); continue; }
      const bound = 1 / Math.sqrt(t.shape.length === 2 ? t.shape[1] : rowsFanIn(model, t));
      uniform(v, -bound, bound, rng);
      continue;
    }
    if (t.role === "bias") {
      v.fill(0);
      const start = cell.tensors[t.base]?.gateBias ?? {};
      for (const [gate, value] of Object.entries(start)) {
        const k = cell.gates.indexOf(gate);
        constant(v.subarray(k * H, (k + 1) * H), value);
      }
      continue;
    }
    const [rows, cols] = t.shape;
    if (t.role === "recurrent") {
      // One orthogonal (cols × cols) block per gate.
      perBlock(v, rows, cols, rows / cols, (block, r, c) => orthogonal(block, r, c, rng));
    } else {
      glorotUniform(v, rows, cols, rng);
    }
  }
}

/** fan_in of a bias: the columns of the weight it sits beside (the tensor before it). */
function rowsFanIn(model: Network, t: TensorEntry): number {
  const i = model.tensors.indexOf(t);
  for (let k = i - 1; k >= 0; k--) if (model.tensors[k].shape.length === 2) return model.tensors[k].shape[1];
  return 1;
}
