// A model's weights as safetensors bytes and back, with the checks a loader owes its user:
// every expected tensor present, no extras, shapes and dtypes as the config says. Pure TS
// (browser-safe); src/io/model-dir.ts does the file system.
import { RecurrentError } from "../errors.ts";
import { Sequence } from "../model/sequence.ts";
import type { ModelConfig } from "../model/config.ts";
import type { DType, Vec } from "../tensor/types.ts";
import { readSafetensors, writeSafetensors, type TensorToWrite } from "./safetensors.ts";

/** The model's parameters under their names (PyTorch's for LSTM/GRU/Elman), in its dtype. */
export function weightsToBytes(model: Sequence, metadata: Record<string, string> = {}): Uint8Array {
  const tensors: Record<string, TensorToWrite> = {};
  for (const t of model.tensors) tensors[t.name] = { shape: t.shape, data: model.get(t.name).slice() };
  return writeSafetensors(tensors, { format: "recurrent", ...metadata });
}

/** Copies named tensors from safetensors bytes into a model, refusing any mismatch. */
export function loadWeightsInto(model: Sequence, bytes: Uint8Array, source: string): void {
  const { tensors } = readSafetensors(bytes, source);
  const expected = new Set(model.tensors.map((t) => t.name));
  const extra = Object.keys(tensors).filter((n) => !expected.has(n));
  if (extra.length) throw new RecurrentError(`${source}: unexpected tensor ${JSON.stringify(extra[0])} (a ${model.toString().split("  #")[0]} has ${[...expected].join(", ")})`);
  for (const t of model.tensors) {
    const s = tensors[t.name];
    if (!s) throw new RecurrentError(`${source}: missing tensor ${JSON.stringify(t.name)} (shape [${t.shape.join(", ")}])`);
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
