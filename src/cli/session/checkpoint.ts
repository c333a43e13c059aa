// A training run's checkpoint: the model directory of src/node/model-dir.ts (config.json whose
// "training" object is the TrainingState below, weights, optimiser), plus
//   carry.safetensors  the state carried between language-model chunks, mid-epoch only
//   best.safetensors   the weights of the best validation loss so far (what eval/generate use)
// all committed as one unit (src/node/checkpoint-store.ts): a crash at any instant leaves the
// previous checkpoint or this one. carry.safetensors also names the step it belongs to.
import { join } from "node:path";
import { RecurrentError } from "../../errors.ts";
import { readModelFile, saveModel } from "../../node/model-dir.ts";
import { loadWeightsInto } from "../../formats/model-bytes.ts";
import { readSafetensors, writeSafetensors, type TensorToWrite } from "../../formats/safetensors.ts";
import type { Sequence } from "../../train/sequence.ts";
import type { Optimizer } from "../../train/optim/index.ts";
import type { Vec } from "../../tensor/types.ts";
import type { TrainOptions } from "../options/train-options.ts";
import type { FitState } from "../../train/fit.ts";

/** What config.json's "training" object holds: the run's FitState (src/train/fit.ts), the
 *  options it was started or resumed with, and the CLI's own extras. */
export interface TrainingState extends FitState {
  options: TrainOptions;
  /** --log-gradients: (norm before clipping, clipped 0/1) of the updates since the last evaluation. */
  gradLog?: Array<[number, number]> | null;
  /** The backend that trained it last, as src/tensor/backend.ts labels it ("wasm-relaxed-simd
   *  ×2 threads", "wasm-simd", "reference"): the kernels round differently, so a resume on
   *  other ones cannot end with the bits of an uninterrupted run (threads change no bits). */
  backend?: string;
  /** Options changed by each resume that changed any ("--lr 0.003 → 0.001"), with the step it resumed at. */
  resumes?: Array<{ step: number; changes: string[] }>;
}

/** config.json's "training" object is a training checkpoint's (a model saved otherwise has none). */
export function isTrainingState(x: unknown): x is TrainingState {
  return typeof x === "object" && x !== null && "step" in x && typeof x.step === "number" && "rng" in x && Array.isArray(x.rng);
}

/** Saves everything a resume needs, as one checkpoint. `best`: the best weights' bytes so far. */
export function saveCheckpoint(dir: string, model: Sequence, optimizer: Optimizer, task: Record<string, unknown>, state: TrainingState, carry: Vec[][] | null, best: Uint8Array | null): void {
  const files: Record<string, Uint8Array> = {};
  if (carry && state.batch > 0) {
    const tensors: Record<string, TensorToWrite> = {};
    carry.forEach((layer, l) => layer.forEach((v, k) => { tensors[`l${l}.s${k}`] = { shape: [v.length], data: v.slice() }; }));
    files["carry.safetensors"] = writeSafetensors(tensors, { step: String(state.step) });
  }
  if (best) files["best.safetensors"] = best;
  const rngJson = (r: Array<number | null> | null) => r && r.map((v) => (v === null || Number.isNaN(v) ? null : v));
  saveModel(dir, model, { task, optimizer, files, step: state.step, training: { ...state, rng: rngJson(state.rng), rngEpoch: rngJson(state.rngEpoch) } });
}

/** The carried state saved with a mid-epoch checkpoint, checked against the model's state sizes. */
export function loadCarry(dir: string, model: Sequence, batchSize: number, step: number): Vec[][] {
  const bytes = readModelFile(dir, "carry.safetensors");
  const path = join(dir, "carry.safetensors");
  if (!bytes) throw new RecurrentError(`${dir}: expected carry.safetensors for a checkpoint taken mid-epoch, got none`);
  const { tensors, metadata } = readSafetensors(bytes, path);
  if (metadata.step !== String(step)) throw new RecurrentError(`${path}: expected the state of step ${step}, got step ${metadata.step} (an interrupted checkpoint write)`);
  return model.zeroState(batchSize).map((layer, l) => layer.map((v, k) => {
    const t = tensors[`l${l}.s${k}`];
    if (!t || (t.data as Vec).length !== v.length) throw new RecurrentError(`${path}: expected tensor l${l}.s${k} of ${v.length} values, got ${t ? (t.data as Vec).length : "none"}`);
    v.set(t.data as Vec);
    return v;
  }));
}

/** The best weights' bytes of the directory's checkpoint, or null. */
export function readBest(dir: string): Uint8Array | null { return readModelFile(dir, "best.safetensors"); }

/** Loads the best weights into the model when the directory has them (else keeps the last weights). */
export function loadBestInto(dir: string, model: Sequence): boolean {
  const bytes = readBest(dir);
  if (!bytes) return false;
  loadWeightsInto(model, bytes, join(dir, "best.safetensors"));
  return true;
}
