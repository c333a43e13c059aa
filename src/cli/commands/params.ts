// `recurrent params`: the parameter count of a network, tensor by tensor (Keras-style), by
// building the model and reading its flat layout (model/summary.ts), checked against the
// lecture's formula (model/count.ts).
import type { Command } from "commander";
import { CELLS, normaliseConfig, type CellKind } from "../../model/config.ts";
import { paramCount } from "../../model/count.ts";
import { Sequence } from "../../train/sequence.ts";
import { choice, int } from "../options/flags.ts";
import { summary, summaryJSON } from "../../model/summary.ts";

interface ParamsOptions { cell: CellKind; input: number; embedding: number; hidden: number; state?: number; output: number; layers: number; bidirectional?: boolean; json?: boolean }

export function register(program: Command): void {
  program.command("params")
    .description("print a network's parameter count, tensor by tensor")
    .requiredOption("--cell <cell>", "elman|jordan|lstm|gru", choice("--cell", CELLS))
    .requiredOption("--input <I>", "input size d_in (with --embedding: the vocabulary size)", int("--input", 1))
    .option("--embedding <E>", "embedding size for token inputs (0: none)", int("--embedding", 0), 0)
    .requiredOption("--hidden <H>", "hidden size h", int("--hidden", 1))
    .option("--state <S>", "Jordan state size s (default: the output size)", int("--state", 1))
    .option("--output <O>", "output size d_out (0 = no head; Jordan needs >= 1)", int("--output", 0), 0)
    .option("--layers <L>", "stacked layers", int("--layers", 1), 1)
    .option("--bidirectional", "each layer reads both ways (PyTorch's bidirectional=True): two sets of weights per layer")
    .option("--json", "print one JSON object")
    .addHelpText("after", "\nExample:\n  npx recurrent params --cell jordan --input 3 --hidden 4 --state 3 --output 2\n")
    .action((o: ParamsOptions) => {
      const config = normaliseConfig({ cell: o.cell, input: o.input, embedding: o.embedding, hidden: o.hidden, output: o.output, layers: o.layers, state: o.state, ...(o.bidirectional ? { bidirectional: true } : {}) }, "params");
      const m = new Sequence(config);
      const formula = paramCount(config);
      if (formula !== m.paramCount) throw new Error(`params: layout has ${m.paramCount} parameters but the formula gives ${formula}`);
      if (o.json) { process.stdout.write(JSON.stringify(summaryJSON(m)) + "\n"); return; }
      process.stdout.write(summary(m) + "\n");
    });
}
