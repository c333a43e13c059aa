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
  /** Share or count for training; default: everything before validation. When given, the
   * parts are laid out from the start and steps after the test part are left out (ETTh1's
   * Informer split uses the first 20 of its 24 months). */
  train?: number;
}

export interface SplitBounds {
  /** Training is [0, trainEnd), validation [trainEnd, valEnd), test [valEnd, n); n may be
   * below the length when a training size is given. */
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
  if (sizes.train !== undefined) {
    const train = count(sizes.train, "training");
    check(train >= 1 && train + val + test <= n, where, `training + validation + test (${train} + ${val} + ${test}) within the length`, n);
    return { trainEnd: train, valEnd: train + val, n: train + val + test };
  }
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
