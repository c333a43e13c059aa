// Parameter counts by the lecture's formulas (DESIGN.md §1), independent of the layout code,
// so that tests can hold the model's actual flat array against them.
import type { ModelConfig } from "./config.ts";

/** Elman: h(h + d_in + 1) + d_out(h + 1) for one layer. */
export const elmanCount = (I: number, H: number, O: number) => H * (H + I + 1) + (O > 0 ? O * (H + 1) : 0);
/** Jordan: h(s + d_in + 1) + d_out(h + 1) + s(s + d_out + 1). */
export const jordanCount = (I: number, H: number, S: number, O: number) => H * (S + I + 1) + O * (H + 1) + S * (S + O + 1);
/** LSTM layer: 4h(d_in + h + 2). */
export const lstmLayerCount = (I: number, H: number) => 4 * H * (I + H + 2);
/** GRU layer: 3h(d_in + h + 2). */
export const gruLayerCount = (I: number, H: number) => 3 * H * (I + H + 2);

/** Total parameters of a (normalised) configuration. */
export function paramCount(c: Required<ModelConfig>): number {
  // An embedding (V, E) feeds E features per step to the first layer.
  return c.embedding > 0 ? c.input * c.embedding + recurrentCount({ ...c, input: c.embedding }) : recurrentCount(c);
}

function recurrentCount(c: Required<ModelConfig>): number {
  const { input: I, hidden: H, layers: L, output: O, state: S } = c;
  // Bidirectional: two layers of each (forward and reverse) and every layer after the first,
  // and the head, read both directions' h (2H).
  const D = c.bidirectional ? 2 : 1;
  const head = O > 0 ? O * (D * H + 1) : 0;
  switch (c.cell) {
    case "elman": return D * (elmanCount(I, H, 0) + (L - 1) * elmanCount(D * H, H, 0)) + head;
    case "lstm": return D * (lstmLayerCount(I, H) + (L - 1) * lstmLayerCount(D * H, H)) + head;
    case "gru": return D * (gruLayerCount(I, H) + (L - 1) * gruLayerCount(D * H, H)) + head;
    case "jordan":
      // Lower layers are whole Jordan networks with output and state of size H.
      if (L === 1) return jordanCount(I, H, S, O);
      return jordanCount(I, H, H, H) + (L - 2) * jordanCount(H, H, H, H) + jordanCount(H, H, S, O);
  }
}
