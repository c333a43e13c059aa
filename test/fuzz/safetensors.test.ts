// Property tests of the safetensors reader (src/formats/safetensors.ts) and of loading weights into
// a model (src/formats/model-bytes.ts): random bytes, random headers over random data, and random
// corruptions of real files are each read or refused with one RecurrentError line naming the
// file; whatever is read tiles the data exactly; writing then reading returns every tensor
// bit for bit. Fixed seed, a few hundred cases each. Not here: the hand-written hostile cases
// (test/io/safetensors-hostile.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { readSafetensors, writeSafetensors, DTYPE_BYTES } from "../../src/formats/safetensors.ts";
import { loadWeightsInto, weightsToBytes } from "../../src/formats/model-bytes.ts";
import { Sequence } from "../../src/train/sequence.ts";
import { returnsOrRefuses, SEED } from "./helpers.ts";

const enc = new TextEncoder();
function file(header: string, data: Uint8Array, declared?: number): Uint8Array {
  const h = enc.encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(declared ?? h.length), true);
  out.set(h, 8); out.set(data, 8 + h.length);
  return out;
}

const dtype = fc.oneof(fc.constantFrom(...Object.keys(DTYPE_BYTES), "U32", "F8_E4M3", "f32", ""), fc.string({ maxLength: 6 }), fc.integer());
const dim = fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: -3, max: 2 ** 40 }), fc.double(), fc.constant("2"));
const entry = fc.record({ dtype, shape: fc.oneof(fc.array(dim, { maxLength: 4 }), fc.jsonValue({ maxDepth: 2 })), data_offsets: fc.oneof(fc.tuple(fc.nat(200), fc.nat(200)), fc.array(fc.integer({ min: -5, max: 300 }), { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: [] });
const header = fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("__metadata__", "__proto__", "constructor")), fc.oneof(entry, fc.jsonValue({ maxDepth: 2 })), { maxKeys: 5 });

test("random bytes are read or refused in one line naming the file", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => { returnsOrRefuses(() => readSafetensors(bytes, "fuzz.safetensors"), "fuzz.safetensors"); }), { seed: SEED, numRuns: 1000 });
});

test("random headers over random data: refused in one line, or tensors that tile the data exactly", () => {
  fc.assert(fc.property(header, fc.uint8Array({ maxLength: 256 }), fc.option(fc.integer({ min: 0, max: 2 ** 40 })), (h, data, declared) => {
    const bytes = file(JSON.stringify(h), data, declared ?? undefined);
    const r = returnsOrRefuses(() => readSafetensors(bytes, "h.safetensors"), "h.safetensors");
    if (r instanceof Error) return;
    let total = 0;
    for (const t of Object.values(r.tensors)) {
      const n = t.shape.reduce((a, b) => a * b, 1);
      assert.equal(t.data.length, n);
      total += n * DTYPE_BYTES[t.dtype];
    }
    assert.equal(total, data.length, "the tensors cover the data exactly");
  }), { seed: SEED, numRuns: 600 });
});

const f32 = fc.float32Array({ maxLength: 24 });
test("write then read returns every tensor bit for bit; corrupting the file never escapes as another error", () => {
  fc.assert(fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }).filter((k) => k !== "__metadata__"), f32, { minKeys: 1, maxKeys: 4 }), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 }), (tensors, flips) => {
    const bytes = writeSafetensors(Object.fromEntries(Object.entries(tensors).map(([k, v]) => [k, { shape: [v.length], data: v }])));
    const back = readSafetensors(bytes, "rt").tensors;
    for (const [k, v] of Object.entries(tensors)) assert.deepEqual(new Uint8Array((back[k]!.data as Float32Array).buffer), new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    const bad = bytes.slice();
    for (const [at, b] of flips) bad[at % bad.length] = b;
    returnsOrRefuses(() => readSafetensors(bad, "rt"), "rt");
  }), { seed: SEED, numRuns: 300 });
});

test("corrupted weights for a model load or are refused in one line (never non-finite values, never a wrong shape)", () => {
  const model = new Sequence({ cell: "gru", input: 3, hidden: 4, output: 2 });
  model.params.forEach((_, i) => { model.params[i] = Math.sin(i); });
  const good = weightsToBytes(model);
  fc.assert(fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 6 }), fc.nat(good.length), (flips, cut) => {
    const bad = good.slice(0, cut === 0 ? good.length : Math.max(cut, good.length - 64));
    for (const [at, b] of flips) bad[at % bad.length] = b;
    const m = new Sequence(model.config);
    const r = returnsOrRefuses(() => loadWeightsInto(m, bad, "model.safetensors"), "model.safetensors");
    if (!(r instanceof Error)) assert.ok(m.params.every(Number.isFinite));
  }), { seed: SEED, numRuns: 400 });
});
