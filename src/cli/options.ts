// Parsing helpers for CLI option values: each returns the value or throws one line naming the
// option, what was expected and what was given.
import { RecurrentError } from "../errors.ts";

export function intOption(name: string, min = 1) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new RecurrentError(`${name}: expected an integer >= ${min}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
}

export function numberOption(name: string, min = -Infinity) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < min) {
      throw new RecurrentError(`${name}: expected a number${min > -Infinity ? ` >= ${min}` : ""}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
}

export function choiceOption<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new RecurrentError(`${name}: expected one of ${choices.join("|")}, got ${JSON.stringify(value)}`);
    }
    return value as T;
  };
}
