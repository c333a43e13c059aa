// The registry of synthetic tasks by name, as `--task NAME` uses them. Numeric core.
import type { Task } from "./types.ts";
import { fail } from "../../errors.ts";
import { xor } from "./xor.ts";
import { adding } from "./adding.ts";
import { addingArjovsky } from "./adding-arjovsky.ts";
import { copy } from "./copy.ts";
import { temporalOrder } from "./temporal-order.ts";
import { reber } from "./reber.ts";

export type { Task, TaskBatch, TaskScore, TaskBaseline, TargetKind, GenerateOptions } from "./types.ts";

export const TASKS: Readonly<Record<string, Task>> = {
  xor, adding, "adding-arjovsky": addingArjovsky, copy, "temporal-order": temporalOrder, reber,
};

export const TASK_NAMES = Object.keys(TASKS);

/** The task called `name`; one clear line if there is none. */
export function getTask(name: string): Task {
  const t = Object.prototype.hasOwnProperty.call(TASKS, name) ? TASKS[name] : undefined;
  if (!t) fail("--task", `one of ${TASK_NAMES.join("|")}`, name);
  return t;
}
