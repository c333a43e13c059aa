// The optimisers by name: a factory that checks the name and options, and rebuilds an
// optimiser from a saved state. Update rules live one per file next to this one.

import { Sgd, SGD_DEFAULTS } from "./sgd.ts";
import { Adam, ADAM_DEFAULTS } from "./adam.ts";
import { AdamW, ADAMW_DEFAULTS } from "./adamw.ts";
import { RmsProp, RMSPROP_DEFAULTS } from "./rmsprop.ts";
import { Adagrad, ADAGRAD_DEFAULTS } from "./adagrad.ts";
import { OPTIMIZER_NAMES, checkSafe, type Optimizer, type OptimizerName, type OptimizerState, type OptionValues } from "./types.ts";

export type { Optimizer, OptimizerName, OptimizerState, OptionValues } from "./types.ts";
export { OPTIMIZER_NAMES } from "./types.ts";
export { Sgd, Adam, AdamW, RmsProp, Adagrad };
export type { SgdOptions } from "./sgd.ts";
export type { AdamOptions } from "./adam.ts";
export type { AdamWOptions } from "./adamw.ts";
export type { RmsPropOptions } from "./rmsprop.ts";
export type { AdagradOptions } from "./adagrad.ts";

/** Each optimiser's defaults (PyTorch's), e.g. for a CLI's help text. */
export const OPTIMIZER_DEFAULTS: Record<OptimizerName, Readonly<OptionValues>> = {
  sgd: SGD_DEFAULTS, adam: ADAM_DEFAULTS, adamw: ADAMW_DEFAULTS, rmsprop: RMSPROP_DEFAULTS, adagrad: ADAGRAD_DEFAULTS,
};

/**
 * An optimiser by name ("sgd" | "adam" | "adamw" | "rmsprop" | "adagrad") with options
 * overriding PyTorch's defaults. Unknown names, unknown options and out-of-range values
 * throw one RecurrentError line naming them.
 */
export function makeOptimizer(name: string, options?: Partial<OptionValues>): Optimizer {
  checkSafe(typeof name === "string" && (OPTIMIZER_NAMES as readonly string[]).includes(name.toLowerCase()), "optimizer", `one of ${OPTIMIZER_NAMES.join("|")}`, name);
  const n = name.toLowerCase() as OptimizerName;
  switch (n) {
    case "sgd": return new Sgd(options);
    case "adam": return new Adam(options);
    case "adamw": return new AdamW(options);
    case "rmsprop": return new RmsProp(options);
    case "adagrad": return new Adagrad(options);
  }
}

/** The optimiser a saved state describes (its name and options), with that state loaded. */
export function optimizerFromState(s: OptimizerState): Optimizer {
  checkSafe(typeof s === "object" && s !== null, "optimizer state", "an object {name, options, scalars, tensors}", s);
  const opt = makeOptimizer(s.name, s.options);
  opt.loadState(s);
  return opt;
}

