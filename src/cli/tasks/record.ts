// What config.json's "task" holds for each kind of task, told apart by `kind`: eval, generate
// and forecast rebuild the task from it. Each is a type alias, not an interface: only an alias
// is a Record<string, unknown>, what the writer takes. Its own file, so that ./problem.ts, which
// every task implements, imports none of them.
import type { LmRecord } from "./lm.ts";
import type { ForecastRecord } from "./forecast.ts";
import type { ClassifyRecord } from "./classify.ts";
import type { SyntheticRecord } from "./synthetic.ts";

export type TaskRecord = LmRecord | ForecastRecord | ClassifyRecord | SyntheticRecord;
