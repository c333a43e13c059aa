// Property tests of the TF.js import (src/formats/tfjs.ts) on real fixtures (test/fixtures/tfjs/)
// with random damage: any subtree of model.json replaced by a random JSON value, hostile
// manifest paths (.., absolute, URLs, backslashes, NUL, long), and weight files cut or grown.
// Each imports, or is refused with one short RecurrentError line naming model.json; the
// reader is only ever asked for paths inside the folder and never for more bytes than the
// weights declare. Fixed seed. Not here: files on disk (test/io/tfjs-paths.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { checkManifestPath, importTfjsModel } from "../../src/formats/tfjs.ts";
import { returnsOrRefuses, SEED } from "./helpers.ts";

const DIR = join("test", "fixtures", "tfjs");
const FIXTURES = ["simple_rnn", "lstm", "gru_reset_after", "lstm_stack_dense"].map((name) => ({
  json: readFileSync(join(DIR, name, "model.json"), "utf8"),
  weights: new Uint8Array(readFileSync(join(DIR, name, "weights.bin"))),
}));

/** Every path in a JSON tree (arrays and objects), for picking one to replace. */
function paths(v: unknown, at: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}
function replaced(root: unknown, at: Array<string | number>, value: unknown): unknown {
  if (at.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const k of at.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[at[at.length - 1]!] = value;
  return copy;
}

/** A reader that serves the fixture's one weights file and checks what it is asked for. */
function reader(weights: Uint8Array, grow: number) {
  return (p: string, maxBytes: number): Uint8Array => {
    checkManifestPath(p, "asked");                      // throws (failing the property) if the importer asked for a path outside
    assert.ok(Number.isSafeInteger(maxBytes) && maxBytes >= 0, `a byte limit: ${maxBytes}`);
    const data = grow >= 0 ? new Uint8Array(weights.length + grow) : weights.subarray(0, Math.max(0, weights.length + grow));
    if (grow >= 0) data.set(weights);
    return data;
  };
}

const hostilePath = fc.oneof(fc.constantFrom("../weights.bin", "../../etc/passwd", "/etc/passwd", "C:\\\\x.bin", "file:///etc/passwd", "https://x/y.bin", "a/../../b", "w\u0000.bin", "", "x".repeat(5000)), fc.string({ maxLength: 12 }));

test("random damage to model.json imports or is one line naming the file; no path outside is ever read", () => {
  fc.assert(fc.property(fc.nat(FIXTURES.length - 1), fc.nat(), fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostilePath, fc.array(hostilePath, { maxLength: 3 })), fc.integer({ min: -40, max: 40 }), (f, pick, value, grow) => {
    const mj = JSON.parse(FIXTURES[f]!.json);
    const all = paths(mj);
    const damaged = replaced(mj, all[pick % all.length]!, value);
    returnsOrRefuses(() => importTfjsModel(damaged, reader(FIXTURES[f]!.weights, grow), "m/model.json"), "m/model.json");
  }), { seed: SEED, numRuns: 20000 });
});

test("hostile manifest paths are refused before the reader is called", () => {
  fc.assert(fc.property(fc.array(hostilePath, { minLength: 1, maxLength: 3 }), (ps) => {
    const mj = JSON.parse(FIXTURES[0]!.json);
    mj.weightsManifest[0].paths = ps;
    let called = 0;
    const r = returnsOrRefuses(() => importTfjsModel(mj, (p) => { called++; checkManifestPath(p, "asked"); return FIXTURES[0]!.weights; }, "m/model.json"), "m/model.json");
    if (ps.some((p) => { try { checkManifestPath(p, "x"); return false; } catch { return true; } })) {
      assert.ok(r instanceof Error && /paths\[\d\]: expected a relative path to a file inside the model's folder/.test(r.message), String(r));
      assert.equal(called, 0, "nothing was read");
    }
  }), { seed: SEED, numRuns: 500 });
});
