// The package's two entries, checked on the sources in a second (test/package/pack.test.ts
// checks the packed build): the browser entry bundles for the browser (esbuild fails on any
// Node import below it), the Node entry offers everything the browser entry does, and every
// path package.json publishes is one the build makes from a source file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { buildSync } from "esbuild";
import * as browser from "../../src/browser.ts";
import * as node from "../../src/index.ts";

test("the browser entry bundles for the browser platform: nothing below it imports Node", () => {
  const built = buildSync({ entryPoints: ["src/browser.ts"], bundle: true, platform: "browser", format: "esm", write: false, logLevel: "silent", metafile: true });
  assert.equal(built.errors.length, 0);
  const inputs = Object.keys(built.metafile!.inputs);
  assert.deepEqual(inputs.filter((p) => !p.startsWith("src/")), [], "no package is bundled");
});

test("the Node entry exports every name of the browser entry, the same objects, plus the Node helpers", () => {
  for (const [name, value] of Object.entries(browser)) assert.equal((node as Record<string, unknown>)[name], value, name);
  for (const name of ["saveModel", "loadModel", "useFastBackendNode"]) assert.equal(typeof (node as Record<string, unknown>)[name], "function", name);
  for (const name of ["saveModel", "loadModel", "useFastBackendNode"]) assert.equal(name in browser, false, name);
});

test("package.json's entries are dist/ files built from existing sources, all inside `files`", () => {
  const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { main: string; types: string; exports: Record<string, unknown>; files: string[]; bin: Record<string, string> };
  const paths: string[] = [pkg.main, pkg.types];
  (function collect(v: unknown) {
    if (typeof v === "string") paths.push(v);
    else if (v && typeof v === "object") for (const x of Object.values(v)) collect(x);
  })(pkg.exports);
  for (const p of paths) {
    if (p === "./package.json") continue;
    const m = /^\.\/dist\/(.+)\.(d\.ts|js)$/.exec(p);
    assert.ok(m, `${p} is a dist/ file`);
    assert.ok(existsSync(`src/${m[1]}.ts`), `${p} is built from src/${m[1]}.ts`);
  }
  assert.ok(pkg.files.includes("dist") && pkg.files.includes("bin"));
  assert.ok(existsSync(pkg.bin.recurrent));
});
