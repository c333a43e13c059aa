// The committed WebAssembly (src/tensor/wasm/*.wasm and the base64 in *-wasm.ts) is what
// assembly/*.ts compiles to with the pinned AssemblyScript: an edit of a kernel without a
// rebuild fails here. (The build is deterministic: the same source gives the same bytes.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

test("the committed wasm modules match a fresh build of assembly/*.ts", () => {
  const r = spawnSync(process.execPath, ["src/tensor/wasm/build.mjs", "--check"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /the committed WebAssembly matches assembly\/\*\.ts/);
});
