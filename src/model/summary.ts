// A model's summary: every parameter tensor (name, shape, count), the total and the lecture's
// formula for it, as a Keras-style table (`model.summary()`, `recurrent params`) or as JSON.
// The formula text (each cell's, ../cells/*.ts) is shown beside the count the layout gives;
// ./count.ts computes its value.
import { cellSpec } from "../cells/registry.ts";
import type { ModelConfig } from "./config.ts";

/** What a summary reads of a model (a Network has it; this file does not import the network,
 *  which calls it for `model.summary()`). */
export interface Summarised {
  readonly config: Required<ModelConfig>;
  readonly tensors: ReadonlyArray<{ name: string; shape: number[]; size: number }>;
  readonly paramCount: number;
  toString(): string;
}

export interface SummaryJSON {
  model: string;
  config: Required<ModelConfig>;
  tensors: Array<{ name: string; shape: number[]; count: number }>;
  total: number;
  formula: string;
}

export function summaryJSON(m: Summarised): SummaryJSON {
  return { model: m.toString(), config: m.config, tensors: m.tensors.map((t) => ({ name: t.name, shape: t.shape, count: t.size })), total: m.paramCount, formula: formulaText(m.config) };
}

/** The table: one row per tensor, the total, and the formula. */
export function summary(m: Summarised): string {
  const rows = m.tensors.map((t) => [t.name, `(${t.shape.join(", ")})`, t.size.toLocaleString("en-US")]);
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), ["tensor", "shape", "params"][i].length));
  const line = (r: string[]) => `${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padStart(w[2])}`;
  const rule = "-".repeat(w[0] + w[1] + w[2] + 4);
  return [m.toString(), "", line(["tensor", "shape", "params"]), rule, ...rows.map(line), rule,
    line(["total", "", m.paramCount.toLocaleString("en-US")]), "", `formula: ${formulaText(m.config)}`].join("\n");
}

/** The lecture's parameter formula for this configuration, with its numbers (the cell's text, ../cells/*.ts). */
export function formulaText(c: Required<ModelConfig>): string {
  const { hidden: H, output: O, state: S, layers: L } = c;
  const I = c.embedding > 0 ? c.embedding : c.input;   // the first layer's d_in
  // Bidirectional: each layer twice (forward and reverse); later layers and the head read 2h.
  const bi = c.bidirectional, dh = bi ? "2h" : "h", per = bi ? " per layer and direction" : " per layer";
  const layers = (L > 1 ? ` (first layer; ${L - 1} more with d_in = ${dh})` : "") + (c.embedding > 0 ? `, plus the embedding V·E = ${c.input}·${c.embedding}` : "");
  return cellSpec(c.cell).formula({ I, H, O, S, L, bidirectional: bi, dh, per, layers });
}
