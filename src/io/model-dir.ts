// A model directory on disk:
//   config.json          {"format": "recurrent-model", "version": 1, "model": ModelConfig,
//                          "task": {...task data: vocabulary, scaler...}, "training": {...}}
//   model.safetensors    the weights (PyTorch state_dict names for LSTM/GRU/Elman)
//   optimizer.safetensors the optimiser's buffers, its name/options/scalars in the metadata
// Each file is written to a temp name and renamed, weights first and config.json last, so
// a crash leaves either the old model or the new one, never half a file. Node only.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RecurrentError } from "../errors.ts";
import { Sequence } from "../model/sequence.ts";
import { normaliseConfig, type ModelConfig } from "../model/config.ts";
import type { Optimizer } from "../train/optim/index.ts";
import { optimizerFromState } from "../train/optim/index.ts";
import { optimizerStateFromSafetensors, optimizerStateToSafetensors } from "../train/optim/persist.ts";
import type { DType } from "../tensor/types.ts";
import { writeFileAtomic } from "./files.ts";
import { loadWeightsInto, weightsToBytes } from "./model-bytes.ts";

export interface SavedModel {
  model: Sequence;
  /** Whatever the task stored (vocabulary, scaler, loss kind...). */
  task: Record<string, unknown>;
  /** Training progress (epoch, step, RNG state...), if saved. */
  training: Record<string, unknown>;
  optimizer: Optimizer | null;
}

export function saveModel(dir: string, model: Sequence, extra: { task?: Record<string, unknown>; training?: Record<string, unknown>; optimizer?: Optimizer | null } = {}): void {
  writeFileAtomic(join(dir, "model.safetensors"), weightsToBytes(model));
  if (extra.optimizer) writeFileAtomic(join(dir, "optimizer.safetensors"), optimizerStateToSafetensors(extra.optimizer.state()));
  const config = { format: "recurrent-model", version: 1, model: model.config, dtype: model.dtype, task: extra.task ?? {}, training: extra.training ?? {} };
  writeFileAtomic(join(dir, "config.json"), JSON.stringify(config, null, 2) + "\n");
}

export function loadModel(dir: string): SavedModel {
  const cfgPath = join(dir, "config.json");
  if (!existsSync(cfgPath)) throw new RecurrentError(`${dir}: not a model directory (no config.json)`);
  let cfg: { format?: string; model?: Partial<ModelConfig>; dtype?: DType; task?: Record<string, unknown>; training?: Record<string, unknown> };
  try { cfg = JSON.parse(readFileSync(cfgPath, "utf8")); }
  catch (e) { throw new RecurrentError(`${cfgPath}: expected JSON, got a parse error (${(e as Error).message})`); }
  if (cfg.format !== "recurrent-model") throw new RecurrentError(`${cfgPath}: expected "format": "recurrent-model", got ${JSON.stringify(cfg.format)}`);
  const model = new Sequence(normaliseConfig(cfg.model ?? {}, `${cfgPath}: model`), cfg.dtype === "float64" ? "float64" : "float32");
  const wPath = join(dir, "model.safetensors");
  if (!existsSync(wPath)) throw new RecurrentError(`${dir}: missing model.safetensors`);
  loadWeightsInto(model, readFileSync(wPath), wPath);
  let optimizer: Optimizer | null = null;
  const oPath = join(dir, "optimizer.safetensors");
  if (existsSync(oPath)) optimizer = optimizerFromState(optimizerStateFromSafetensors(readFileSync(oPath), oPath));
  return { model, task: cfg.task ?? {}, training: cfg.training ?? {}, optimizer };
}
