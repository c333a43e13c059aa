// Parameter counts by the lecture's formulas (DESIGN.md §1), independent of the layout code,
// so that tests can hold the model's actual flat array against them. Each cell's per-layer
// formula lives in its description (../cells/*.ts, `count`); here they are stacked, doubled
// for a bidirectional model, and the head and embedding added.
import { cellSpec } from "../cells/registry.ts";
import type { LayerPlace } from "../cells/spec.ts";
import type { ModelConfig } from "./model-config.ts";

// The cells' own formulas, under the names the playground's equations read.
export { elmanCount } from "../cells/elman.ts";
export { jordanCount } from "../cells/jordan.ts";
export { lstmLayerCount } from "../cells/lstm.ts";
export { gruLayerCount } from "../cells/gru.ts";

/** Total parameters of a (normalised) configuration. */
export function paramCount(c: Required<ModelConfig>): number {
  // An embedding (V, E) feeds E features per step to the first layer.
  return c.embedding > 0 ? c.input * c.embedding + recurrentCount({ ...c, input: c.embedding }) : recurrentCount(c);
}

/** The stack and its head, in closed form (a configuration may ask for absurdly many layers,
 *  which the memory budget then refuses by this count). */
function recurrentCount(c: Required<ModelConfig>): number {
  const spec = cellSpec(c.cell), L = c.layers, O = c.output;
  // Bidirectional: two layers of each (forward and reverse), and every layer after the first,
  // and the head, read both directions' output.
  const D = c.bidirectional ? 2 : 1;
  const place = (input: number, top: boolean): LayerPlace => ({ input, top, config: c });
  const first = place(c.input, L === 1);
  let total = D * spec.count(first);
  let top = first;
  if (L > 1) {
    // Every layer above the first reads what a lower layer emits; all but the top are alike.
    const inner = D * spec.outputSize(place(c.input, false));
    top = place(inner, true);
    total += (L - 2) * D * spec.count(place(inner, false)) + D * spec.count(top);
  }
  const head = !spec.feedsBackOutput && O > 0 ? O * (D * spec.outputSize(top) + 1) : 0;
  return total + head;
}
