// `recurrent params`: the parameter count of a network, tensor by tensor (Keras-style), by
// building the model and reading its flat layout, checked against the lecture's formula.
import type { Command } from "commander";
import { CELLS, normaliseConfig, type CellKind } from "../../model/config.ts";
import { paramCount } from "../../model/count.ts";
import { Sequence } from "../../model/sequence.ts";
import { choiceOption, intOption } from "../options.ts";

interface ParamsOptions { cell: CellKind; input: number; embedding: number; hidden: number; state?: number; output: number; layers: number; json?: boolean }

export function register(program: Command): void {
  program.command("params")
    .description("print a network's parameter count, tensor by tensor")
    .requiredOption("--cell <cell>", "elman|jordan|lstm|gru", choiceOption("--cell", CELLS))
    .requiredOption("--input <I>", "input size d_in (with --embedding: the vocabulary size)", intOption("--input"))
    .option("--embedding <E>", "embedding size for token inputs (0: none)", intOption("--embedding", 0), 0)
    .requiredOption("--hidden <H>", "hidden size h", intOption("--hidden"))
    .option("--state <S>", "Jordan state size s (default: the output size)", intOption("--state"))
    .option("--output <O>", "output size d_out (0 = no head; Jordan needs >= 1)", intOption("--output", 0), 0)
    .option("--layers <L>", "stacked layers", intOption("--layers"), 1)
    .option("--json", "print one JSON object")
    .addHelpText("after", "\nExample:\n  npx recurrent params --cell jordan --input 3 --hidden 4 --state 3 --output 2\n")
    .action((o: ParamsOptions) => {
      const config = normaliseConfig({ cell: o.cell, input: o.input, embedding: o.embedding, hidden: o.hidden, output: o.output, layers: o.layers, state: o.state }, "params");
      const m = new Sequence(config);
      const formula = paramCount(config);
      if (formula !== m.paramCount) throw new Error(`params: layout has ${m.paramCount} parameters but the formula gives ${formula}`);
      if (o.json) {
        const tensors = m.tensors.map((t) => ({ name: t.name, shape: t.shape, count: t.size }));
        process.stdout.write(JSON.stringify({ model: m.toString(), config, tensors, total: m.paramCount, formula: formulaText(config) }) + "\n");
        return;
      }
      const rows = m.tensors.map((t) => [t.name, `(${t.shape.join(", ")})`, t.size.toLocaleString("en-US")]);
      const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), ["tensor", "shape", "params"][i].length));
      const line = (r: string[]) => `${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padStart(w[2])}`;
      const out = [m.toString(), "", line(["tensor", "shape", "params"]), "-".repeat(w[0] + w[1] + w[2] + 4), ...rows.map(line),
        "-".repeat(w[0] + w[1] + w[2] + 4), line(["total", "", m.paramCount.toLocaleString("en-US")]), "", `formula: ${formulaText(config)}`];
      process.stdout.write(out.join("\n") + "\n");
    });
}

function formulaText(c: ReturnType<typeof normaliseConfig>): string {
  const { hidden: H, output: O, state: S, layers: L } = c;
  const I = c.embedding > 0 ? c.embedding : c.input;   // the first layer's d_in
  const layers = (L > 1 ? ` (first layer; ${L - 1} more with d_in = h)` : "") + (c.embedding > 0 ? `, plus the embedding V·E = ${c.input}·${c.embedding}` : "");
  switch (c.cell) {
    case "elman": return `h(h + d_in + 1) + d_out(h + 1) with h=${H}, d_in=${I}, d_out=${O}${layers}`;
    case "jordan": return `h(s + d_in + 1) + d_out(h + 1) + s(s + d_out + 1) with h=${H}, s=${S}, d_in=${I}, d_out=${O}${L > 1 ? ` (top layer; ${L - 1} lower Jordan layers with s = d_out = h)` : ""}`;
    case "lstm": return `4h(d_in + h + 2) per layer + d_out(h + 1) with h=${H}, d_in=${I}, d_out=${O}${layers}`;
    case "gru": return `3h(d_in + h + 2) per layer + d_out(h + 1) with h=${H}, d_in=${I}, d_out=${O}${layers}`;
  }
}
