// A model directory on disk:
//   checkpoint.json       the manifest of the current checkpoint (./checkpoint-store.ts): its
//                         generation directory under checkpoints/ and each file's size and hash
//   checkpoints/<gen>/    config.json, model.safetensors, optimizer.safetensors and whatever
//                         else the writer adds (best.safetensors, carry.safetensors: training)
//   config.json, model.safetensors, best.safetensors   copies of the current generation's, for
//                         people and other tools (PyTorch's safetensors, a text editor)
// config.json: {"format": "recurrent-model", "version": 1, "model": ModelConfig, "task": {...task
// data: vocabulary, scaler...}, "training": {...}}; model.safetensors: the weights (PyTorch
// state_dict names); optimizer.safetensors: the optimiser's buffers, its name/options/scalars in
// the metadata. A write commits every file at once (a crash leaves the old checkpoint or the new
// one, never a mix); a read takes the files of the current generation, checked against the
// manifest. Directories of the older layout (top-level files only, no checkpoint.json) are read
// as they are and become the new layout on their next write. Node only.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { RecurrentError, brief } from "../errors.ts";
import { Sequence } from "../train/sequence.ts";
import { normaliseConfig, type ModelConfig } from "../model/config.ts";
import type { Optimizer } from "../train/optim/index.ts";
import { optimizerFromState } from "../train/optim/index.ts";
import { optimizerStateFromSafetensors, optimizerStateToSafetensors } from "../formats/optimizer-state.ts";
import type { DType } from "../tensor/types.ts";
import { writeFileAtomic } from "./files.ts";
import { commitCheckpoint, openCheckpoint } from "./checkpoint-store.ts";
import { modelConfigText } from "../formats/model-files.ts";
import { loadWeightsInto, weightsToBytes } from "../formats/model-bytes.ts";

export interface SavedModel {
  model: Sequence;
  /** Whatever the task stored (vocabulary, scaler, loss kind...). */
  task: Record<string, unknown>;
  /** Training progress (epoch, step, RNG state...), if saved. */
  training: Record<string, unknown>;
  optimizer: Optimizer | null;
}

/** The files copied to the top of the directory (and removed there when a checkpoint lacks them). */
const TOP_LEVEL = ["model.safetensors", "optimizer.safetensors", "best.safetensors", "config.json"];

/** Files beside config.json and the weights: name → bytes (training state, best weights...). */
export type ExtraFiles = Record<string, Uint8Array>;

/**
 * Writes the model (and its optimiser, task record, training state and extra files) as the
 * directory's new checkpoint, all or nothing, then refreshes the top-level copies.
 * `step` names the checkpoint (optimiser updates; 0 for a model that was not trained here).
 */
export function saveModel(dir: string, model: Sequence, extra: { task?: Record<string, unknown>; training?: Record<string, unknown>; optimizer?: Optimizer | null; files?: ExtraFiles; step?: number } = {}): void {
  const configText = modelConfigText(model, extra);
  const weights = weightsToBytes(model);
  const files: Record<string, string | Uint8Array> = { "config.json": configText, "model.safetensors": weights, ...(extra.files ?? {}) };
  if (extra.optimizer) files["optimizer.safetensors"] = optimizerStateToSafetensors(extra.optimizer.state());
  commitCheckpoint(dir, extra.step ?? 0, files);
  // The copies at the top: the current generation's, for readers that know no manifest
  // (config.json last). The carried state is internal to a resume: no copy.
  for (const name of TOP_LEVEL) {
    if (name in files && name !== "config.json") writeFileAtomic(join(dir, name), files[name]);
    else if (!(name in files)) rmSync(join(dir, name), { force: true });
  }
  writeFileAtomic(join(dir, "config.json"), configText);
  rmSync(join(dir, "carry.safetensors"), { force: true });   // the older layout's
}

/** A file of the directory's current checkpoint (or, in the older layout, the top-level file); null if absent. */
export function readModelFile(dir: string, name: string): Buffer | null {
  const ckpt = openCheckpoint(dir);
  if (ckpt) return ckpt.read(name);
  const path = join(dir, name);
  return existsSync(path) ? readFileSync(path) : null;
}

type ConfigJson = { format?: string; model?: Partial<ModelConfig>; dtype?: DType; task?: Record<string, unknown>; training?: Record<string, unknown> };

/** The directory's current files (checkpoint or older layout) and its config.json, checked. */
function openDir(dir: string): { cfg: ConfigJson; cfgPath: string; where: (name: string) => string; file: (name: string) => Buffer | null } {
  const ckpt = openCheckpoint(dir);
  const where = (name: string) => ckpt ? join(dir, ckpt.manifest.generation, name) : join(dir, name);
  const file = (name: string) => ckpt ? ckpt.read(name) : existsSync(where(name)) ? readFileSync(where(name)) : null;
  const cfgPath = where("config.json");
  const cfgBytes = file("config.json");
  if (!cfgBytes) throw new RecurrentError(`${dir}: not a model directory (no config.json)`);
  let cfg: ConfigJson;
  try { cfg = JSON.parse(cfgBytes.toString("utf8")); }
  catch (e) { throw new RecurrentError(`${cfgPath}: expected JSON, got a parse error (${brief((e as Error).message)})`); }
  if (cfg.format !== "recurrent-model") throw new RecurrentError(`${cfgPath}: expected "format": "recurrent-model", got ${JSON.stringify(cfg.format)}`);
  return { cfg, cfgPath, where, file };
}

/** config.json's "training" object alone (no weights read): what a resume starts from. */
export function readTraining(dir: string): Record<string, unknown> {
  return openDir(dir).cfg.training ?? {};
}

export function loadModel(dir: string): SavedModel {
  const { cfg, cfgPath, where, file } = openDir(dir);
  const model = new Sequence(normaliseConfig(cfg.model ?? {}, `${cfgPath}: model`), cfg.dtype === "float64" ? "float64" : "float32");
  const weights = file("model.safetensors");
  if (!weights) throw new RecurrentError(`${dir}: missing model.safetensors`);
  loadWeightsInto(model, weights, where("model.safetensors"));
  let optimizer: Optimizer | null = null;
  const opt = file("optimizer.safetensors");
  if (opt) optimizer = optimizerFromState(optimizerStateFromSafetensors(opt, where("optimizer.safetensors")));
  const training = cfg.training ?? {};
  // A mixed directory of the older layout (weights and optimiser of another step than config.json).
  const step = (training as { step?: unknown }).step;
  const optStep = optimizer?.state().scalars.step;
  if (typeof step === "number" && typeof optStep === "number" && optStep !== step) {
    throw new RecurrentError(`${where("optimizer.safetensors")}: expected the optimiser state of step ${step} (config.json's), got step ${optStep} (a mixed checkpoint: a crash between two file writes)`);
  }
  return { model, task: cfg.task ?? {}, training, optimizer };
}
