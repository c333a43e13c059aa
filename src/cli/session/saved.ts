// A trained model directory opened for use (eval, generate, forecast): the model with its
// best weights (best.safetensors, when training kept one), the task record saved with it,
// run as at prediction time, and a clear refusal when the directory holds a model of another task.
import { loadModel } from "../../node/model-dir.ts";
import type { Sequence } from "../../train/sequence.ts";
import { RecurrentError } from "../../errors.ts";
import { loadBestInto } from "./checkpoint.ts";
import { installBackend } from "./backend.ts";
import type { TaskRecord } from "../tasks/record.ts";

/** A trained model directory, its task record narrowed to the kinds asked for. */
export interface Trained<K extends TaskKind = TaskKind> { model: Sequence; task: RecordOf<K>; training: Record<string, unknown>; best: boolean }

type TaskKind = TaskRecord["kind"];
/** The records any of whose kinds is among K ("charlm" gives LmRecord, kind "charlm" | "wordlm"). */
type RecordOf<K extends TaskKind> = TaskRecord extends infer R ? R extends { kind: infer RK } ? [Extract<RK, K>] extends [never] ? never : R : never : never;

export function openTrained<K extends TaskKind>(dir: string, kinds: readonly K[], command: string, last = false): Trained<K> {
  installBackend(1);
  const saved = loadModel(dir);
  const task = saved.task;
  if (!isRecordOf(task, kinds)) {
    const kind = typeof task.kind === "string" ? task.kind : "none";
    throw new RecurrentError(`--model ${dir}: expected a model trained for ${kinds.join(" or ")} (what \`${command}\` works with), got a ${kind === "none" ? "model without a training task" : `${kind} model`}`);
  }
  const best = !last && loadBestInto(dir, saved.model);
  // The model as it runs at prediction time: a Jordan net trained with teacher forcing (the
  // playground trains them) feeds back its own outputs once no targets are given.
  return { model: saved.model.freeRunning(), task, training: saved.training, best };
}

/** The record's kind is one of `kinds` (its fields are the task loaders' to check, as they read them). */
function isRecordOf<K extends TaskKind>(task: Record<string, unknown>, kinds: readonly K[]): task is RecordOf<K> {
  return typeof task.kind === "string" && (kinds as readonly string[]).includes(task.kind);
}
