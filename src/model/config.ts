// A model's configuration, validated with one clear error per field (normaliseConfig). The
// types themselves are in ./model-config.ts, which the counts and the budget read without
// importing this file (it calls the budget).
import { check, checkInt, checkOneOf } from "../errors.ts";
import { GATE_ACTIVATIONS } from "../tensor/ops.ts";
import { cellSpec, cellsWhere } from "../cells/registry.ts";
import { OUTPUT_ACTIVATIONS, type CellKind, type ModelConfig } from "./model-config.ts";
import { reads, type CellOption } from "../cells/spec.ts";
import { checkModelMemory } from "./budget.ts";

export { CELLS, OUTPUT_ACTIVATIONS, type CellKind, type ModelConfig, type OutputActivation } from "./model-config.ts";

/** Fills defaults and validates; throws a one-line error naming the field. A configuration
 *  whose float32 weights and gradients would not fit in memory is refused too (./budget.ts);
 *  `sizes: "lower bound"` says so in that message when some sizes stand for larger unknown ones. */
export function normaliseConfig(c: Partial<ModelConfig> & { cell?: unknown }, where = "config", sizes: "exact" | "lower bound" = "exact"): Required<ModelConfig> {
  const spec = cellSpec(c.cell, `${where}.cell`), cell = spec.name as CellKind;   // registered, so named in CellNames
  const input = checkInt(c.input, `${where}.input`);
  const hidden = checkInt(c.hidden, `${where}.hidden`);
  const layers = checkInt(c.layers ?? 1, `${where}.layers`);
  const embedding = checkInt(c.embedding ?? 0, `${where}.embedding`, 0);
  const output = checkInt(c.output ?? 0, `${where}.output`, 0);
  if (spec.feedsBackOutput) check(output >= 1, `${where}.output`, `an integer >= 1 (a ${spec.title} network feeds its output back)`, output);
  // S: the fed-back output's size unless given, for a cell with a state s.
  const hasState = reads(spec, "state");
  const state = checkInt(c.state ?? (hasState ? output : 0), `${where}.state`, hasState ? 1 : 0);
  const hiddenActivation = checkOneOf(c.hiddenActivation ?? "tanh", ["tanh", "sigmoid", "relu"] as const, `${where}.hiddenActivation`);
  const stateActivation = checkOneOf(c.stateActivation ?? "tanh", ["tanh", "sigmoid", "relu"] as const, `${where}.stateActivation`);
  const outputActivation = checkOneOf(c.outputActivation ?? "linear", OUTPUT_ACTIVATIONS, `${where}.outputActivation`);
  const feedback = checkOneOf(c.feedback ?? "output", ["output", "teacher"] as const, `${where}.feedback`);
  if (!hasState) check(c.state === undefined || c.state === 0, `${where}.state`, `no state size (${only("state", "a state s")})`, c.state);
  if (!reads(spec, "hiddenActivation")) {
    check(c.hiddenActivation === undefined || c.hiddenActivation === "tanh", `${where}.hiddenActivation`,
      `tanh (${spec.title} gates have fixed activations)`, c.hiddenActivation);
  }
  const gateActivation = checkOneOf(c.gateActivation ?? "sigmoid", GATE_ACTIVATIONS, `${where}.gateActivation`);
  if (!reads(spec, "gateActivation")) check(c.gateActivation === undefined || c.gateActivation === "sigmoid", `${where}.gateActivation`, `no gate activation (${only("gateActivation", "gates")})`, c.gateActivation);
  check(c.resetAfter === undefined || typeof c.resetAfter === "boolean", `${where}.resetAfter`, "true or false", c.resetAfter);
  if (!reads(spec, "resetAfter")) check(c.resetAfter === undefined || c.resetAfter === true, `${where}.resetAfter`, `no reset-gate placement (${only("resetAfter", "a reset gate")})`, c.resetAfter);
  const resetAfter = c.resetAfter ?? true;
  const dropout = c.dropout ?? 0;
  check(typeof dropout === "number" && dropout >= 0 && dropout < 1, `${where}.dropout`, "a probability in [0, 1)", c.dropout);
  const bidirectional = c.bidirectional ?? false;
  check(typeof bidirectional === "boolean", `${where}.bidirectional`, "true or false", c.bidirectional);
  if (spec.feedsBackOutput) check(!bidirectional, `${where}.bidirectional`, `false for a ${spec.title} network (it feeds its own output back in time; PyTorch has no counterpart)`, true);
  const normalised = { cell, input, embedding, hidden, layers, output, state, hiddenActivation, stateActivation, outputActivation, feedback, gateActivation, resetAfter, dropout, bidirectional };
  checkModelMemory(normalised, where, 4, sizes === "lower bound");
  return normalised;
}

/** "only LSTM and GRU have gates": the registered cells that read `option`, for messages. */
function only(option: CellOption, what: string): string {
  const titles = cellsWhere((s) => reads(s, option)).map((s) => s.title);
  const list = titles.length > 1 ? `${titles.slice(0, -1).join(", ")} and ${titles[titles.length - 1]}` : titles[0] ?? "no cell";
  return `only ${list} ${titles.length === 1 ? "has" : "have"} ${what}`;
}
