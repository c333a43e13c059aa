// The list of cells: each cell's file exports its description (./spec.ts's CellSpec) and this
// file registers the built-in ones, in the order `--cell` lists them. Everything that differs
// between cells is looked up here by name (config.cell, Layer.kind), never branched on.
// A cell defined elsewhere (a test's toy cell, a user's) joins with `registerCell`.
import { checkOneOf } from "../errors.ts";
import { elmanCell } from "./elman.ts";
import { gruCell } from "./gru.ts";
import { jordanCell } from "./jordan.ts";
import { lstmCell } from "./lstm.ts";
import type { CellSpec } from "./spec.ts";

/** The cells' names as a type, so that a misspelt cell is a type error (model/config.ts's
 *  CellKind). A module that registers a cell adds its name by augmenting this interface, as
 *  test/cells/registry.test.ts does:  declare module "…/cells/registry.ts" { interface CellNames { mycell: true } } */
export interface CellNames { elman: true; jordan: true; lstm: true; gru: true }

const specs = new Map<string, CellSpec>();
const names: string[] = [];

/** The registered cells' names in registration order (built-ins: elman, jordan, lstm, gru); kept up to date. */
export const CELL_NAMES: readonly string[] = names;

/** Adds a cell; its name must be new. From then on configurations, models and codecs know it. */
export function registerCell(spec: CellSpec): void {
  if (!/^[a-z][a-z0-9_-]*$/.test(spec.name)) throw new Error(`registerCell: name: expected lower-case letters, digits, "_" or "-" (a config.cell value), got ${JSON.stringify(spec.name)}`);
  if (specs.has(spec.name)) throw new Error(`registerCell: expected a new name, got "${spec.name}", which is already registered`);
  specs.set(spec.name, spec);
  names.push(spec.name);
}

/** The description of a registered cell, or a one-line error listing the names (`where` names the field). */
export function cellSpec(name: unknown, where = "cell"): CellSpec {
  const spec = typeof name === "string" ? specs.get(name) : undefined;
  return spec ?? specs.get(checkOneOf(name, names, where))!;
}

/** The registered cells that satisfy `pred`, in order (e.g. those with a PyTorch counterpart). */
export function cellsWhere(pred: (spec: CellSpec) => boolean): CellSpec[] {
  return names.map((n) => specs.get(n)!).filter(pred);
}

for (const spec of [elmanCell, jordanCell, lstmCell, gruCell]) registerCell(spec);
