// A Sequence model → .onnx bytes: Elman/LSTM/GRU through the RNN-op graph (rnn-graph.ts, via
// the PyTorch layout: rnn-spec.ts), Jordan through per-layer Scan loops
// (jordan-graph.ts). Refuses, with one line, what ONNX cannot express. Browser-safe.
import type { JordanLayer } from "../../cells/jordan.ts";
import { cellsWhere } from "../../cells/registry.ts";
import type { Sequence } from "../../train/sequence.ts";
import { RecurrentError } from "../../errors.ts";
import { onnxSpecOf } from "./rnn-spec.ts";
import { encodeJordanModel, type JordanLayerSpec } from "./jordan-graph.ts";
import { encodeRnnModel } from "./rnn-graph.ts";

export interface OnnxExportOptions {
  /** Add initial-state graph inputs (h0/c0 (L, B, H); Jordan s0_l{k}/y0_l{k}); else zeros. */
  initialState?: boolean;
}

export function modelToOnnx(model: Sequence, opts: OnnxExportOptions = {}): Uint8Array {
  // The cell's description says how ONNX expresses it; onnxSpecOf refuses a cell ONNX lacks.
  if (model.cell.onnx?.graph !== "scan") return encodeRnnModel(onnxSpecOf(model, opts));
  if (model.config.embedding > 0) {
    const ops = cellsWhere((s) => s.onnx?.graph === "rnn").map((s) => s.name).join("|");
    throw new RecurrentError(`export --onnx: a ${model.cell.title} network with an embedding: expected feature inputs (T, B, I) for the Scan export; export an ${ops} model, or train without --embedding`);
  }
  const layers: JordanLayerSpec[] = model.layers.map((layer, k) => {
    const o = (layer as JordanLayer).o;
    const w = (name: string) => model.get(`${name}_l${k}`);
    return {
      input: o.input, hidden: o.hidden, state: o.state, output: o.output,
      weight_ih: w("weight_ih"), weight_sh: w("weight_sh"), bias_h: w("bias_h"),
      weight_ho: w("weight_ho"), bias_o: w("bias_o"),
      weight_ss: w("weight_ss"), weight_so: w("weight_so"), bias_s: w("bias_s"),
      hiddenActivation: o.hiddenActivation, stateActivation: o.stateActivation, outputActivation: o.outputActivation,
    };
  });
  return encodeJordanModel({ layers, initialState: opts.initialState, doc: `recurrent: ${model.toString()}` });
}
