// Errors the toolkit raises on bad input. One line each: what, where, expected, got.
// The CLI prints `error: <message>` for these and exits non-zero without a stack trace.

export class RecurrentError extends Error {
  override name = "RecurrentError";
}

/** Training produced a non-finite or diverging loss or gradient from finite data: the run, not
 *  the input, went wrong (a lower learning rate or clipping may help; the CLI can roll back). */
export class DivergenceError extends RecurrentError {
  override name = "DivergenceError";
}

/** Throws a RecurrentError "<where>: expected <expected>, got <got>". */
export function fail(where: string, expected: string, got: unknown): never {
  throw new RecurrentError(`${where}: expected ${expected}, got ${show(got)}`);
}

/** Asserts `cond`, otherwise fails with the same message shape as `fail`. */
export function check(cond: boolean, where: string, expected: string, got: unknown): asserts cond {
  if (!cond) fail(where, expected, got);
}

/** A positive integer (or >= min) argument. */
export function checkInt(value: unknown, where: string, min = 1): number {
  check(typeof value === "number" && Number.isInteger(value) && value >= min, where, `an integer >= ${min}`, value);
  return value as number;
}

/** One of a fixed set of names. */
export function checkOneOf<T extends string>(value: unknown, options: readonly T[], where: string): T {
  check(typeof value === "string" && (options as readonly string[]).includes(value), where, `one of ${options.join("|")}`, value);
  return value as T;
}

/** Text from outside (a parser's message, a value from a file) made safe for a one-line
 *  message: control characters (new lines too) escaped, at most `max` characters. */
export function brief(text: string, max = 120): string {
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function show(x: unknown): string {
  if (typeof x === "string") return JSON.stringify(x.length > 200 ? `${x.slice(0, 200)}…` : x);
  if (ArrayBuffer.isView(x)) return `${x.constructor.name}(${"length" in x ? x.length : undefined})`;   // a typed array's length (a DataView has none)
  // Never stringify untrusted structures recursively: a deeply nested value would overflow.
  if (Array.isArray(x)) {
    const flat = x.every((v) => v === null || typeof v !== "object");
    return flat && x.length <= 8 ? JSON.stringify(x) : `an array of ${x.length}`;
  }
  if (x !== null && typeof x === "object") return "an object";
  return String(x);
}
