// A model's weights as safetensors bytes and back, with the checks a loader owes its user:
// every expected tensor present, no extras, shapes and dtypes as the config says. Pure TS
// (browser-safe); src/node/model-dir.ts does the file system.
import { RecurrentError, brief } from "../errors.ts";
import { Sequence } from "../train/sequence.ts";
import type { ModelConfig } from "../model/config.ts";
import type { DType, Vec } from "../tensor/types.ts";
import { readSafetensors, writeSafetensors, type SafeTensor, type TensorToWrite } from "./safetensors.ts";

/**
 * The model's parameters under PyTorch's state_dict names, in its dtype, so the file loads
 * into nn.RNN / nn.LSTM / nn.GRU with load_state_dict. A cell with one bias for nn.*'s two
 * (its description's torch.bias: Elman's b_h) writes it as bias_ih = b_h and bias_hh = 0.
 */
export function weightsToBytes(model: Sequence, metadata: Record<string, string> = {}): Uint8Array {
  const tensors: Record<string, TensorToWrite> = {};
  const single = singleBias(model);
  for (const t of model.tensors) {
    const oneBias = single ? single.exec(t.name) : null;
    if (oneBias) {
      tensors[`bias_ih_l${oneBias[1]}`] = { shape: t.shape, data: model.get(t.name).slice() };
      tensors[`bias_hh_l${oneBias[1]}`] = { shape: t.shape, data: model.get(t.name).slice().fill(0) };
    } else {
      tensors[t.name] = { shape: t.shape, data: model.get(t.name).slice() };
    }
  }
  return writeSafetensors(tensors, { format: "recurrent", ...metadata });
}

/** `<bias>_l<k>`: the names of a cell's one bias standing for nn.*'s two, or null. */
function singleBias(model: Sequence): RegExp | null {
  const bias = model.cell.torch?.bias;
  return bias ? new RegExp(`^${bias}_l(\\d+)$`) : null;
}

/** Files carry nn.*'s two biases; a cell with one (Elman's b_h) gets b_h = b_ih + b_hh. */
function foldSingleBias(model: Sequence, tensors: Record<string, SafeTensor>, source: string): void {
  const bias = model.cell.torch?.bias;
  if (!bias) return;
  for (let l = 0; l < model.config.layers; l++) {
    const ih = tensors[`bias_ih_l${l}`], hh = tensors[`bias_hh_l${l}`];
    if (!ih && !hh) continue;
    if (!ih || !hh) throw new RecurrentError(`${source}: missing tensor "${ih ? `bias_hh_l${l}` : `bias_ih_l${l}`}" : expected both of ${model.cell.torch!.module}'s biases (${model.cell.title} layers store both), got one`);
    if (ih.shape.join() !== hh.shape.join()) throw new RecurrentError(`${source}: tensor "bias_hh_l${l}": expected shape [${ih.shape.join(", ")}] like bias_ih_l${l}, got [${hh.shape.join(", ")}]`);
    const a = ih.data as Vec, b = hh.data as Vec;
    const sum = new Float64Array(a.length).map((_, i) => a[i] + b[i]);
    tensors[`${bias}_l${l}`] = { dtype: "F64", shape: ih.shape, data: sum };
    delete tensors[`bias_ih_l${l}`];
    delete tensors[`bias_hh_l${l}`];
  }
}

/** Copies named tensors from safetensors bytes into a model, refusing any mismatch. */
export function loadWeightsInto(model: Sequence, bytes: Uint8Array, source: string): void {
  const { tensors } = readSafetensors(bytes, source);
  foldSingleBias(model, tensors, source);
  const expected = new Set(model.tensors.map((t) => t.name));
  const extra = Object.keys(tensors).filter((n) => !expected.has(n));
  if (extra.length) throw new RecurrentError(`${source}: unexpected tensor ${JSON.stringify(brief(extra[0]!, 60))}: expected only the tensors a ${model.toString().split("  #")[0]} has (${[...expected].join(", ").slice(0, 300)}), got it too`);
  for (const t of model.tensors) {
    const s = tensors[t.name];
    if (!s) throw new RecurrentError(`${source}: missing tensor ${JSON.stringify(t.name)}: expected shape [${t.shape.join(", ")}], got none`);
    if (s.dtype !== "F32" && s.dtype !== "F64") throw new RecurrentError(`${source}: tensor ${JSON.stringify(t.name)}: expected dtype F32 or F64, got ${s.dtype}`);
    if (s.shape.length !== t.shape.length || s.shape.some((d, i) => d !== t.shape[i])) {
      throw new RecurrentError(`${source}: tensor ${JSON.stringify(t.name)}: expected shape [${t.shape.join(", ")}], got [${s.shape.join(", ")}]`);
    }
    const data = s.data as Vec;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) throw new RecurrentError(`${source}: tensor ${JSON.stringify(t.name)}: expected finite values, got ${data[i]} at index ${i}`);
    }
    model.get(t.name).set(data);
  }
}

/** A new model of the given config with weights from bytes. */
export function modelFromBytes(config: Partial<ModelConfig>, bytes: Uint8Array, source: string, dtype: DType = "float32"): Sequence {
  const m = new Sequence(config, dtype);
  loadWeightsInto(m, bytes, source);
  return m;
}
