// Shared by the property tests in test/fuzz/: the one contract every parser keeps with hostile
// input. Either it returns, or it throws a RecurrentError whose message is one line, short
// (a hostile file must not make the message huge) and, when given, starts with the source.
// Anything else (a TypeError, a RangeError, a stack overflow) fails the property.
import assert from "node:assert/strict";
import { RecurrentError } from "../../src/errors.ts";

/** Seeds and run counts: fixed, so every run of the suite checks the same cases. */
export const SEED = 20261130;

export function returnsOrRefuses<T>(fn: () => T, source?: string): T | RecurrentError {
  try { return fn(); } catch (e) {
    if (!(e instanceof RecurrentError)) throw new Error(`expected a RecurrentError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    assert.ok(!e.message.includes("\n"), `one line: ${JSON.stringify(e.message.slice(0, 300))}`);
    assert.ok(e.message.length < 1000, `a short message (${e.message.length} chars): ${e.message.slice(0, 200)}…`);
    if (source !== undefined) assert.ok(e.message.startsWith(source), `names ${source}: ${e.message.slice(0, 200)}`);
    assert.match(e.message, /: expected .*, got /, `says what was expected and what was found: ${e.message.slice(0, 200)}`);
    return e;
  }
}
