// The README's library example is a file that runs: the block between the README's example
// markers must be examples/quickstart.mjs exactly (pack.test.ts runs that file against the
// packed package), so the README cannot drift from code that works.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

test("the README's library example is examples/quickstart.mjs, character for character", () => {
  const readme = readFileSync("README.md", "utf8");
  const m = readme.match(/<!-- example: examples\/quickstart\.mjs -->\n```js\n([\s\S]*?)```\n<!-- end example -->/);
  assert.ok(m, "the README has the example block with its markers");
  assert.equal(m[1], readFileSync("examples/quickstart.mjs", "utf8"));
});
