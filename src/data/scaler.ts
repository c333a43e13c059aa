// Standard scaler: per column z = (x − mean) / std, fitted on the training rows only (so
// nothing about validation or test leaks into training), saved with the model as JSON.
// A constant column gets std 1 rather than a division by zero. Values whose statistics or
// scaled form overflow (1e308: the sum or the square is Infinity) are refused in one line
// naming the column, never saved as "std": [null]. Pure (no node: imports).
import { check } from "../errors.ts";
import { checkWith, failWith } from "./problem.ts";

export interface ScalerJSON { kind: "standard"; columns: string[]; mean: number[]; std: number[] }

export class StandardScaler {
  constructor(readonly columns: string[], readonly mean: Float64Array, readonly std: Float64Array) {
    checkWith(mean.length === columns.length && std.length === columns.length, "scaler", `${columns.length} means and stds`, `${mean.length} and ${std.length}`);
  }

  /** Fits on rows [0, rows) of values (N, F) row-major (population std, as scikit-learn).
   *  `where` (a file name) starts the message when a statistic overflows. */
  static fit(columns: string[], values: ArrayLike<number>, rows: number, where = "scaler"): StandardScaler {
    const F = columns.length;
    check(rows >= 1 && rows * F <= values.length, "scaler fit", `between 1 and ${Math.floor(values.length / F)} rows`, rows);
    const mean = new Float64Array(F), std = new Float64Array(F);
    for (let t = 0; t < rows; t++) for (let k = 0; k < F; k++) mean[k] += values[t * F + k];
    for (let k = 0; k < F; k++) mean[k] /= rows;
    for (let t = 0; t < rows; t++) for (let k = 0; k < F; k++) { const d = values[t * F + k] - mean[k]; std[k] += d * d; }
    for (let k = 0; k < F; k++) { const s = Math.sqrt(std[k] / rows); std[k] = s > 1e-12 ? s : 1; }
    for (let k = 0; k < F; k++) {
      if (Number.isFinite(mean[k]) && Number.isFinite(std[k])) continue;
      let big = 0;
      for (let t = 0; t < rows; t++) if (Math.abs(values[t * F + k]) > Math.abs(big)) big = values[t * F + k];
      failWith(`${where}: column ${JSON.stringify(columns[k])}`, "values whose mean and standard deviation are finite numbers",
        `mean ${mean[k]}, standard deviation ${std[k]} (values as large as ${big} overflow)`);
    }
    return new StandardScaler(columns, mean, std);
  }

  /** Scaled copy of values (N, F); a value whose scaled form overflows is refused, naming its column. */
  transform(values: ArrayLike<number>, where = "scaler"): Float64Array {
    const F = this.columns.length, out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      out[i] = (values[i] - this.mean[i % F]) / this.std[i % F];
      if (!Number.isFinite(out[i]) && Number.isFinite(values[i])) {
        failWith(`${where}: column ${JSON.stringify(this.columns[i % F])}`, "values that scale to finite numbers", `${values[i]} (row ${Math.floor(i / F) + 1} of the series), which overflows`);
      }
    }
    return out;
  }

  /** Back to the file's units for values of one column (k = 0: the target). */
  inverseColumn(scaled: ArrayLike<number>, k = 0): Float64Array {
    const out = new Float64Array(scaled.length);
    for (let i = 0; i < scaled.length; i++) out[i] = scaled[i] * this.std[k] + this.mean[k];
    return out;
  }

  toJSON(): ScalerJSON { return { kind: "standard", columns: [...this.columns], mean: [...this.mean], std: [...this.std] }; }

  static fromJSON(json: unknown, where = "scaler.json"): StandardScaler {
    const j = json as Partial<ScalerJSON> | null;
    check(typeof j === "object" && j !== null && j.kind === "standard", where, "a standard scaler object", j?.kind ?? j);
    const nums = (a: unknown) => Array.isArray(a) && a.every((v) => typeof v === "number" && Number.isFinite(v));
    checkWith(Array.isArray(j.columns) && nums(j.mean) && nums(j.std), where, "columns, mean and std arrays", "something else");
    check(j.std!.every((s) => s > 0), `${where} std`, "positive numbers", j.std);
    return new StandardScaler(j.columns!, Float64Array.from(j.mean!), Float64Array.from(j.std!));
  }
}
