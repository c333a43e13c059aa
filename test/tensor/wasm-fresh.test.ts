// The committed WebAssembly (src/tensor/wasm/*.wasm and the base64 in *-wasm.ts, the plain SIMD
// and the relaxed-SIMD builds) is what assembly/*.ts compiles to with the pinned AssemblyScript:
// an edit of a kernel without a rebuild, or another compiler version, fails here. build.json
// records what each module was built from (source SHA-256, compiler and version, features,
// module SHA-256); the build is deterministic, so a fresh build must give the same bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

test("build.json records the installed compiler, and each module's source and bytes as they are committed", () => {
  const m = JSON.parse(readFileSync("src/tensor/wasm/build.json", "utf8")) as {
    compiler: string; modules: Record<string, { source: string; sourceSha256: string; features: string; wasmSha256: string }>;
  };
  const asc = JSON.parse(readFileSync("node_modules/assemblyscript/package.json", "utf8")).version;
  assert.equal(m.compiler, `assemblyscript ${asc}`, "built with the AssemblyScript package.json pins (rebuild: node src/tensor/wasm/build.mjs)");
  assert.deepEqual(Object.keys(m.modules).sort(), ["gates", "gates-fma", "gemm", "gemm-fma"]);
  for (const [name, e] of Object.entries(m.modules)) {
    assert.equal(e.sourceSha256, sha256(readFileSync(`src/tensor/wasm/${e.source}`)), `${name}.wasm: built from ${e.source} as it is now (rebuild: node src/tensor/wasm/build.mjs)`);
    assert.equal(e.wasmSha256, sha256(readFileSync(`src/tensor/wasm/${name}.wasm`)), `${name}.wasm: the bytes build.json records`);
    assert.equal(e.features.includes("relaxed-simd"), name.endsWith("-fma"), `${name}: features ${e.features}`);
  }
});

test("the committed wasm modules match a fresh build of assembly/*.ts", () => {
  const r = spawnSync(process.execPath, ["src/tensor/wasm/build.mjs", "--check"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /the committed WebAssembly matches assembly\/\*\.ts \(assemblyscript \d+\.\d+\.\d+\)/);
});
