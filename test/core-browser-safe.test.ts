// The numeric core must run unchanged in a browser or a worker: following every import from
// the core directories must never reach a `node:` module or an npm package (the core has no
// dependencies at all), nor a file outside the core.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { tsFiles } from "./helpers/source-files.ts";

const CORE = ["src/tensor", "src/cells", "src/model", "src/train", "src/formats", "src/evolve", "src/baselines", "src/data/tasks"];
const ALSO_PURE = ["src/errors.ts", "src/rand.ts"];

function imports(file: string): string[] {
  const src = readFileSync(file, "utf8");
  const specs: string[] = [];
  // Type-only imports are erased before anything runs: they may name any module.
  for (const m of src.matchAll(/(?:^|\n)\s*(?:import|export)\s(?!type\s)[^;]*?from\s+["']([^"']+)["']/g)) specs.push(m[1]);
  for (const m of src.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) specs.push(m[1]);
  return specs;
}

test("the numeric core imports no Node module and no package, transitively", () => {
  const start = [...CORE.flatMap(tsFiles), ...ALSO_PURE];
  const seen = new Set<string>();
  const bad: string[] = [];
  const stack = start.map((f) => resolve(f));
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const spec of imports(f)) {
      if (!spec.startsWith(".")) { bad.push(`${relative(".", f)} imports ${spec}`); continue; }
      stack.push(resolve(dirname(f), spec));
    }
  }
  assert.ok(seen.size > 30, `walked ${seen.size} files`);
  assert.deepEqual(bad, []);
});
