// Runs every test/**/*.test.ts with node's test runner (through tsx), after a type check.
// node:test prints "# pass N" / "# fail N" as its closing lines, which CI reads.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? find(p) : p.endsWith(".test.ts") ? [p] : [];
  });
}
const only = process.argv.slice(2);
const files = (only.length ? only : find("test")).sort();
if (!only.length) {
  const tc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "--noEmit", "-p", "."], { stdio: "inherit" });
  if (tc.status !== 0) { console.error("type check failed"); process.exit(1); }
}
// RECURRENT_SOURCE=1: every `recurrent` a test starts (bin/recurrent.mjs) runs the sources, never
// a dist/ build that could be older than them (test/package/ tests the build on purpose).
const env = { ...process.env, RECURRENT_SOURCE: "1" };
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...files], { stdio: "inherit", env });
process.exit(r.status ?? 1);
