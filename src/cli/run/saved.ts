// A trained model directory opened for use (eval, generate, forecast): the model with its
// best weights (best.safetensors, when training kept one), the task record saved with it,
// run as at prediction time, and a clear refusal when the directory holds a model of another task.
import { loadModel } from "../../node/model-dir.ts";
import type { Sequence } from "../../train/sequence.ts";
import { RecurrentError } from "../../errors.ts";
import { loadBestInto } from "./checkpoint.ts";
import { installBackend } from "./backend.ts";

export interface Trained { model: Sequence; task: Record<string, unknown> & { kind: string }; training: Record<string, unknown>; best: boolean }

export function openTrained(dir: string, kinds: readonly string[], command: string, last = false): Trained {
  installBackend(1);
  const saved = loadModel(dir);
  const kind = typeof saved.task.kind === "string" ? saved.task.kind : "none";
  if (!kinds.includes(kind)) {
    throw new RecurrentError(`--model ${dir}: expected a model trained for ${kinds.join(" or ")} (what \`${command}\` works with), got a ${kind === "none" ? "model without a training task" : `${kind} model`}`);
  }
  const best = !last && loadBestInto(dir, saved.model);
  // The model as it runs at prediction time: a Jordan net trained with teacher forcing (the
  // playground trains them) feeds back its own outputs once no targets are given.
  return { model: saved.model.freeRunning(), task: saved.task as Trained["task"], training: saved.training, best };
}
