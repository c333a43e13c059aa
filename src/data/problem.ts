// fail/check (../errors.ts) for messages whose "got" part describes the input ("7 tokens",
// "an empty file") rather than quoting a value the user typed; those read better unquoted.
// Same one-line shape: "<where>: expected <expected>, got <got>". Pure (no node: imports).
import { RecurrentError } from "../errors.ts";

export function failWith(where: string, expected: string, got: string): never {
  throw new RecurrentError(`${where}: expected ${expected}, got ${got}`);
}

export function checkWith(cond: boolean, where: string, expected: string, got: string): asserts cond {
  if (!cond) failWith(where, expected, got);
}
