// A model in ONNX's RNN/LSTM/GRU operators' terms (rnn-graph.ts's OnnxRnnSpec): the weights
// in PyTorch's layout (../pytorch.ts exportTorchStateDict), which is also ONNX's once the gate
// blocks are reordered in rnn-graph.ts. Refuses, with one line, what those operators cannot express.
import { cellSpec, cellsWhere } from "../../cells/registry.ts";
import { RecurrentError } from "../../errors.ts";
import type { Sequence } from "../../train/sequence.ts";
import { exportTorchStateDict } from "../pytorch.ts";
import type { OnnxRnnSpec } from "./rnn-graph.ts";

function err(msg: string): never { throw new RecurrentError(msg); }

/** Describes a model for src/formats/onnx/rnn-graph.ts; throws for what ONNX's RNN ops cannot express. */
export function onnxSpecOf(model: Sequence, opts: { initialState?: boolean } = {}): OnnxRnnSpec {
  const c = model.config, spec = cellSpec(c.cell);
  if (spec.onnx?.graph !== "rnn") {
    const ops = cellsWhere((s) => s.onnx?.graph === "rnn").map((s) => s.name).join("|");
    err(`export --onnx: cell ${c.cell}: ONNX has no ${spec.title} operator; export ${ops} models`);
  }
  const cell = c.cell;
  const act = c.hiddenActivation;
  if (act !== "tanh" && act !== "relu" && act !== "sigmoid") err(`export --onnx: hidden activation ${act}: ONNX RNN has Tanh, Relu, Sigmoid`);
  const sd = exportTorchStateDict(model);
  const weights = (n: string) => ({
    weight_ih: sd[`weight_ih${n}`]!.data, weight_hh: sd[`weight_hh${n}`]!.data,
    bias_ih: sd[`bias_ih${n}`]!.data, bias_hh: sd[`bias_hh${n}`]!.data,
  });
  const layers = Array.from({ length: c.layers }, (_, l) => ({
    ...weights(`_l${l}`), ...(c.bidirectional ? { reverse: weights(`_l${l}_reverse`) } : {}),
  }));
  return {
    cell,
    nonlinearity: act, // ONNX RNN also has Sigmoid, which nn.RNN lacks
    gateActivation: c.gateActivation, resetAfter: c.resetAfter,
    inputSize: c.embedding > 0 ? c.embedding : c.input, hiddenSize: c.hidden, layers,
    embedding: c.embedding > 0 ? { weight: sd["embedding.weight"]!.data, vocab: c.input } : undefined,
    head: model.head ? { weight: sd["head.weight"]!.data, bias: sd["head.bias"]!.data, outputSize: c.output, activation: c.outputActivation } : undefined,
    initialState: opts.initialState ?? true,
    doc: `recurrent: ${model.toString()}`,
  };
}
