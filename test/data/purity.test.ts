import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// The loaders must run in a browser: only the *-file.ts edges may touch node: modules, and
// pure files must not import those edges.
test("data loaders, baselines and chart specs import no node: module and no file edge", () => {
  const pure = [
    ...readdirSync("src/data").filter((f) => f.endsWith(".ts") && !f.endsWith("-file.ts")).map((f) => join("src/data", f)),
    "src/baselines/naive.ts", "src/baselines/metrics.ts", "src/baselines/forecast-eval.ts", "src/plot/loss.ts",
  ];
  assert.ok(pure.length > 15);
  for (const f of pure) {
    for (const m of readFileSync(f, "utf8").matchAll(/^import(\s+type)?[^;]*?from\s+"([^"]+)"/gm)) {
      const typeOnly = Boolean(m[1]), spec = m[2];
      assert.ok(!spec.startsWith("node:") && !["fs", "path", "os"].includes(spec), `${f} imports ${spec}`);
      // type-only imports are erased, so a type from an edge module is fine
      assert.ok(typeOnly || !(/-file\.ts$/.test(spec) || spec.endsWith("chart.ts")), `${f} imports the edge ${spec}`);
    }
  }
});
