// A model directory as bytes, without a file system: the files `recurrent train` writes for
// `eval`, `generate`, `forecast` and `--resume` to read (src/node/model-dir.ts), made from a model
// in memory, and a model opened from such files. For pages and workers (the playground's
// download and upload) and anything else that holds files as bytes. Pure (no node: imports).
//
//   config.json            {"format": "recurrent-model", "version": 1, "model": ModelConfig,
//                           "dtype", "task": {...}, "training": {...}}, as saveModel writes it
//   model.safetensors      the weights under PyTorch's names (./model-bytes.ts)
//   optimizer.safetensors  the optimiser's state, when one is given
//   best.safetensors       read when present (the best validation weights a training run keeps)
//
// Not here: the checkpoint generations of a training directory (model-dir.ts writes and reads
// those; its top level keeps copies of these same files, which is what a reader of bytes sees).
import { RecurrentError, brief } from "../errors.ts";
import { Sequence } from "../train/sequence.ts";
import { normaliseConfig, type ModelConfig } from "../model/config.ts";
import { optimizerFromState, type Optimizer } from "../train/optim/index.ts";
import { optimizerStateFromSafetensors, optimizerStateToSafetensors } from "./optimizer-state.ts";
import type { DType } from "../tensor/types.ts";
import { loadWeightsInto, weightsToBytes } from "./model-bytes.ts";

export interface ModelFilesExtra {
  /** The task record (vocabulary, scaler, task name...) that eval, generate and forecast read. */
  task?: Record<string, unknown>;
  /** Training progress, as JSON. */
  training?: Record<string, unknown>;
  optimizer?: Optimizer | null;
}

/** config.json's text for a model, byte for byte as saveModel writes it. */
export function modelConfigText(model: Sequence, extra: ModelFilesExtra = {}): string {
  const config = { format: "recurrent-model", version: 1, model: model.config, dtype: model.dtype, task: extra.task ?? {}, training: extra.training ?? {} };
  return JSON.stringify(config, null, 2) + "\n";
}

/** The files of a model directory, name → bytes (config.json, model.safetensors and, with an
 *  optimiser, optimizer.safetensors). */
export function modelDirFiles(model: Sequence, extra: ModelFilesExtra = {}): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {
    "config.json": new TextEncoder().encode(modelConfigText(model, extra)),
    "model.safetensors": weightsToBytes(model),
  };
  if (extra.optimizer) files["optimizer.safetensors"] = optimizerStateToSafetensors(extra.optimizer.state());
  return files;
}

export interface OpenedModel {
  model: Sequence;
  task: Record<string, unknown>;
  training: Record<string, unknown>;
  optimizer: Optimizer | null;
  /** Which weights were loaded: best.safetensors ("best") or model.safetensors ("last"). */
  weights: "best" | "last";
}

/**
 * Opens a model from the files of a model directory (name → bytes; names may carry a directory,
 * "run/config.json": the shallowest config.json wins and its siblings are read). Loads
 * best.safetensors when present and `last` is not set, as `recurrent eval` does. `source`
 * names the files in errors. Every problem is one RecurrentError line.
 */
export function modelFromFiles(files: Record<string, Uint8Array>, source = "model files", opts: { last?: boolean } = {}): OpenedModel {
  const names = Object.keys(files);
  const configs = names.filter((n) => n === "config.json" || n.endsWith("/config.json")).sort((a, b) => a.split("/").length - b.split("/").length || a.length - b.length);
  if (!configs.length) {
    throw new RecurrentError(`${source}: expected a model directory (config.json and model.safetensors), got ${names.length ? names.slice(0, 5).map((n) => JSON.stringify(n)).join(", ") + (names.length > 5 ? ", …" : "") : "no files"}`);
  }
  const dir = configs[0].slice(0, configs[0].length - "config.json".length);
  const file = (name: string) => files[dir + name] ?? null;
  const where = (name: string) => `${source}: ${dir}${name}`;
  let cfg: { format?: string; model?: Partial<ModelConfig>; dtype?: DType; task?: Record<string, unknown>; training?: Record<string, unknown> };
  try { cfg = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(file("config.json")!)); }
  catch (e) { throw new RecurrentError(`${where("config.json")}: expected JSON, got ${e instanceof SyntaxError ? `a parse error (${brief(e.message)})` : "invalid UTF-8 bytes"}`); }
  if (typeof cfg !== "object" || cfg === null || cfg.format !== "recurrent-model") {
    const format = (cfg as { format?: unknown } | null)?.format;
    throw new RecurrentError(`${where("config.json")}: expected "format": "recurrent-model", got ${typeof format === "string" ? JSON.stringify(brief(format, 60)) : typeof format === "object" && format !== null ? "an object" : String(format)}`);
  }
  const model = new Sequence(normaliseConfig(cfg.model ?? {}, `${where("config.json")}: model`), cfg.dtype === "float64" ? "float64" : "float32");
  const last = file("model.safetensors"), best = opts.last ? null : file("best.safetensors");
  if (!last && !best) throw new RecurrentError(`${source}: expected model.safetensors beside ${dir}config.json, got none`);
  const weights = best ? "best" : "last";
  loadWeightsInto(model, (best ?? last)!, where(best ? "best.safetensors" : "model.safetensors"));
  const opt = file("optimizer.safetensors");
  const optimizer = opt ? optimizerFromState(optimizerStateFromSafetensors(opt, where("optimizer.safetensors"))) : null;
  const obj = (v: unknown) => (typeof v === "object" && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : {});
  return { model, task: obj(cfg.task), training: obj(cfg.training), optimizer, weights };
}
