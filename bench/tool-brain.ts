// brain.js 2.0 on the same configurations: its time-step nets (RNNTimeStep = Elman,
// LSTMTimeStep, GRUTimeStep) with hidden size H and output size O (C1: one-hot in,
// 65 outputs; C3 is out of its reach). brain.js trains one sequence at a time with its
// own optimiser, so a "step" here is one training iteration over S sequences of length T
// (tokens = S·T), and an inference runs S sequences; S is smaller than B to keep the
// run short, which does not change tokens/s for a per-sequence tool. Learning rate 1e-3
// (the default diverges on C2-like data, BENCHMARKS.md).

import type { Batch, Cell, Config, Mode } from "./configs.ts";

export async function brainStep(c: Config, cell: Cell, mode: Mode, batch: Batch, sequences: number): Promise<() => unknown> {
  const mod = (await import("brain.js")) as unknown as Record<string, unknown>;
  const brain = (mod.recurrent ? mod : mod.default) as Record<string, Record<string, new (o: object) => BrainNet>>;
  const Net = brain.recurrent[cell === "lstm" ? "LSTMTimeStep" : cell === "gru" ? "GRUTimeStep" : "RNNTimeStep"];
  const O = c.output > 0 ? c.output : c.hidden;
  const net = new Net({ inputSize: c.input, hiddenLayers: Array(c.layers).fill(c.hidden), outputSize: O });
  const { T, B } = c;
  // Sequence b as T vectors of I numbers (the one-hot rows for C1).
  const seqs: number[][][] = [];
  for (let b = 0; b < sequences; b++) {
    const s: number[][] = [];
    for (let t = 0; t < T; t++) s.push(Array.from(batch.x.subarray((t * B + b) * c.input, (t * B + b + 1) * c.input)));
    seqs.push(s);
  }
  if (mode === "infer") {
    net.train(seqs.slice(0, 1), { iterations: 1, learningRate: 1e-3, errorThresh: 0, log: false });
    return () => { for (const s of seqs) net.run(s); };
  }
  return () => net.train(seqs, { iterations: 1, learningRate: 1e-3, errorThresh: 0, log: false });
}

interface BrainNet {
  train(data: number[][][], opts: object): unknown;
  run(seq: number[][]): unknown;
}
