// Optimiser state to and from safetensors, so that save → load → continue equals never
// stopping, bit for bit. Buffers become 1-D tensors named `<prefix><buffer>` (e.g.
// "optimizer.m"); name, options and step count go to the metadata key `<prefix>state`
// as JSON (JSON round-trips every finite double exactly). No files here: bytes in, bytes out.

import { readSafetensors, writeSafetensors, type TensorToWrite } from "./safetensors.ts";
import { RecurrentError } from "../errors.ts";
import type { Vec } from "../tensor/types.ts";
import { OPTIMIZER_NAMES, describeValue, type OptimizerState } from "../train/optim/types.ts";

export const DEFAULT_PREFIX = "optimizer.";

/** Tensors and metadata entries for a state, to merge into a model's safetensors file. */
export function packOptimizerState(s: OptimizerState, prefix = DEFAULT_PREFIX): { tensors: Record<string, TensorToWrite>; metadata: Record<string, string> } {
  const tensors: Record<string, TensorToWrite> = {};
  for (const [k, v] of Object.entries(s.tensors)) tensors[prefix + k] = { shape: [v.length], data: v };
  const metadata = { [`${prefix}state`]: JSON.stringify({ name: s.name, options: s.options, scalars: s.scalars }) };
  return { tensors, metadata };
}

/** The state packed by packOptimizerState, from a file's tensors and metadata. */
export function unpackOptimizerState(tensors: Record<string, { data: unknown }>, metadata: Record<string, string>, source: string, prefix = DEFAULT_PREFIX): OptimizerState {
  const key = `${prefix}state`;
  const bad = (expected: string, got: string): never => { throw new RecurrentError(`${source}: ${key}: expected ${expected}, got ${got}`); };
  const text = metadata[key];
  if (typeof text !== "string") bad("a metadata entry with the optimiser's name, options and step", "none");
  let head: unknown;
  try { head = JSON.parse(text); } catch { bad("JSON", describeValue(text.slice(0, 40))); }
  const h = head as Partial<OptimizerState> | null;
  if (typeof h !== "object" || h === null || typeof h.options !== "object" || typeof h.scalars !== "object" || h.options === null || h.scalars === null) {
    bad("an object {name, options, scalars}", text.slice(0, 80));
  }
  if (!(OPTIMIZER_NAMES as readonly unknown[]).includes(h!.name)) bad(`name one of ${OPTIMIZER_NAMES.join("|")}`, describeValue(h!.name));
  const buffers: Record<string, Vec> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (!name.startsWith(prefix)) continue;
    if (!(t.data instanceof Float32Array || t.data instanceof Float64Array)) {
      throw new RecurrentError(`${source}: tensor ${describeValue(name)}: expected F32 or F64 optimiser state, got ${(t.data as object)?.constructor?.name}`);
    }
    buffers[name.slice(prefix.length)] = t.data;
  }
  return { name: h!.name!, options: h!.options!, scalars: h!.scalars!, tensors: buffers };
}

/** A state as a standalone safetensors file's bytes. */
export function optimizerStateToSafetensors(s: OptimizerState): Uint8Array {
  const { tensors, metadata } = packOptimizerState(s);
  return writeSafetensors(tensors, metadata);
}

/** A state from a standalone safetensors file's bytes; `source` names the file in errors. */
export function optimizerStateFromSafetensors(bytes: Uint8Array, source: string): OptimizerState {
  const { tensors, metadata } = readSafetensors(bytes, source);
  return unpackOptimizerState(tensors, metadata, source);
}
