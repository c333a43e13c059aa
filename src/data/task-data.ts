// What a model directory must remember about its data, as the JSON stored under "task" in
// config.json (src/node/model-dir.ts): the task name, and the vocabulary (language models),
// the series config and scaler (forecasting) or the label map and features
// (classification). Decoding checks the task, so `eval --csv` on a character model is one
// clear line rather than a shape error deep in a forward pass. Pure (no node: imports).
import { check } from "../errors.ts";
import { failWith } from "./problem.ts";
import { Vocab } from "./vocab.ts";
import { StandardScaler } from "./scaler.ts";
import { LabelMap } from "./label-map.ts";
import type { ForecastConfig } from "./prepare-forecast.ts";

export const TASKS = ["charlm", "wordlm", "forecast", "classify"] as const;
export type TaskName = (typeof TASKS)[number];

export type TaskData =
  | { task: "charlm" | "wordlm"; vocab: Vocab }
  | { task: "forecast"; forecast: ForecastConfig; scaler: StandardScaler }
  | { task: "classify"; labels: LabelMap; features: string[] };

/** The JSON object to store under config.json's "task". */
export function encodeTaskData(d: TaskData): Record<string, unknown> {
  switch (d.task) {
    case "charlm": case "wordlm": return { name: d.task, vocab: d.vocab.toJSON() };
    case "forecast": return { name: d.task, forecast: d.forecast, scaler: d.scaler.toJSON() };
    case "classify": return { name: d.task, labels: d.labels.toJSON(), features: d.features };
  }
}

/** Reads it back; `expect` lists the tasks the calling command can handle. */
export function decodeTaskData(json: unknown, expect: readonly TaskName[] = TASKS, where = "model directory"): TaskData {
  const j = json as Record<string, unknown> | null;
  check(typeof j === "object" && j !== null && typeof j.name === "string", `${where} config.json task`, "an object with a task name", j);
  const name = j.name as string;
  check((TASKS as readonly string[]).includes(name), `${where} task`, `one of ${TASKS.join("|")}`, name);
  if (!expect.includes(name as TaskName)) {
    failWith(where, `a ${expect.join(" or ")} model`, `a ${name} model (trained with --task ${name})`);
  }
  switch (name as TaskName) {
    case "charlm": case "wordlm": {
      const vocab = Vocab.fromJSON(j.vocab, `${where} vocabulary`);
      check(vocab.kind === (name === "charlm" ? "char" : "word"), `${where} vocabulary`, `a ${name === "charlm" ? "char" : "word"} vocabulary`, vocab.kind);
      return { task: name as "charlm" | "wordlm", vocab };
    }
    case "forecast": {
      const f = j.forecast as ForecastConfig | undefined;
      check(typeof f === "object" && f !== null && typeof f.target === "string" && Number.isInteger(f.window) && Number.isInteger(f.horizon),
        `${where} forecast config`, "target, window and horizon", f);
      return { task: "forecast", forecast: f, scaler: StandardScaler.fromJSON(j.scaler, `${where} scaler`) };
    }
    case "classify": {
      const features = j.features;
      check(Array.isArray(features) && features.every((x) => typeof x === "string"), `${where} features`, "an array of column names", features);
      return { task: "classify", labels: LabelMap.fromJSON(j.labels, `${where} labels`), features: features as string[] };
    }
  }
}
