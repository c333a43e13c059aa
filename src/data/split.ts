// Splitting by position: a text's first part for training, the next for validation (and
// test), never shuffled, so that no validation text leaks into training windows (the
// standard tinyshakespeare 90/10 split). Time series use the same split by time (see
// series.ts). Fractions below 1 are shares of the length; numbers ≥ 1 are counts (ETTh1's
// usual split is 12/4/4 months = 8640/2880/2880 hours). Pure (no node: imports).
import { check } from "../errors.ts";

export interface SplitSizes {
  /** Share (< 1) or count (≥ 1) for validation. */
  val: number;
  /** Share (< 1) or count (≥ 1) for test; 0 for none. */
  test?: number;
}

export interface SplitBounds {
  /** Training is [0, trainEnd), validation [trainEnd, valEnd), test [valEnd, n). */
  trainEnd: number;
  valEnd: number;
  n: number;
}

export function splitBounds(n: number, sizes: SplitSizes, where = "split"): SplitBounds {
  const count = (v: number, name: string) => {
    check(Number.isFinite(v) && v >= 0 && (v < 1 || Number.isInteger(v)), `${where} ${name}`, "a share in [0, 1) or a whole count", v);
    return v < 1 ? Math.round(v * n) : v;
  };
  const val = count(sizes.val, "validation"), test = count(sizes.test ?? 0, "test");
  check(val + test < n, where, `validation + test (${val} + ${test}) smaller than the length`, n);
  return { trainEnd: n - val - test, valEnd: n - test, n };
}

/** Train / validation / test views (no copies) of a token stream, split by position. */
export function splitByPosition<A extends Int32Array | Float32Array | Float64Array>(ids: A, sizes: SplitSizes, where = "text"): { train: A; val: A; test: A } {
  const b = splitBounds(ids.length, sizes, where);
  check(sizes.val === 0 || b.valEnd > b.trainEnd, `${where} validation part`, "at least one token", 0);
  return {
    train: ids.subarray(0, b.trainEnd) as A,
    val: ids.subarray(b.trainEnd, b.valEnd) as A,
    test: ids.subarray(b.valEnd) as A,
  };
}
