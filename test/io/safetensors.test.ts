// safetensors round trips, alignment, and a file laid out as PyTorch's safetensors
// (the Rust reference writer) lays it out, built byte by byte here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readSafetensors, writeSafetensors, tensorAsFloat, halfToFloat, bf16ToFloat } from "../../src/formats/safetensors.ts";

const u64 = (n: number) => { const b = new Uint8Array(8); new DataView(b.buffer).setUint32(0, n, true); return b; };
const concat = (...parts: Uint8Array[]) => { const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0)); let at = 0; for (const p of parts) { out.set(p, at); at += p.length; } return out; };
const f32le = (xs: number[]) => { const b = new Uint8Array(4 * xs.length); const v = new DataView(b.buffer); xs.forEach((x, i) => v.setFloat32(4 * i, x, true)); return b; };
const u16le = (xs: number[]) => { const b = new Uint8Array(2 * xs.length); const v = new DataView(b.buffer); xs.forEach((x, i) => v.setUint16(2 * i, x, true)); return b; };
const headerBytes = (json: string) => { const n = Math.ceil(json.length / 8) * 8; return concat(u64(n), new TextEncoder().encode(json.padEnd(n, " "))); };

test("safetensors: F32, F64, I32, I64 and U8 tensors and metadata round-trip exactly, scalars and empty tensors included", () => {
  const w = Float32Array.from({ length: 12 }, (_, i) => Math.fround(Math.sin(i) * 1e3));
  const tensors = {
    "weight_ih_l0": { shape: [4, 3], data: w },
    "bias": { shape: [3], data: Float64Array.of(Math.PI, -0, 1e-310) },
    "step": { shape: [], data: Int32Array.of(-7) },
    "big": { shape: [2], data: BigInt64Array.of(2n ** 60n, -3n) },
    "mask": { shape: [5], data: Uint8Array.of(1, 0, 1, 1, 0) },
    "empty": { shape: [0, 3], data: new Float32Array(0) },
  };
  const bytes = writeSafetensors(tensors, { format: "pt", note: "ünïcode ✓" });
  const { tensors: t, metadata } = readSafetensors(bytes, "rt.safetensors");
  assert.deepEqual(metadata, { format: "pt", note: "ünïcode ✓" });
  assert.deepEqual(Object.keys(t).sort(), Object.keys(tensors).sort());
  for (const [name, want] of Object.entries(tensors)) {
    assert.deepEqual(t[name].shape, want.shape, name);
    assert.equal(t[name].data.constructor, want.data.constructor, name);
    assert.deepEqual(Array.from(t[name].data as ArrayLike<unknown>), Array.from(want.data as ArrayLike<unknown>), name);
  }
  assert.ok(Object.is(t.bias.data[1], -0), "negative zero survives");
});

test("safetensors: the header is space-padded to 8 bytes and every tensor starts on a multiple of its element size", () => {
  const bytes = writeSafetensors({ a: { shape: [3], data: new Uint8Array(3) }, b: { shape: [1], data: new Float64Array(1) }, c: { shape: [3], data: new Float32Array(3) } });
  const n = new DataView(bytes.buffer).getUint32(0, true);
  assert.equal(n % 8, 0);
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  assert.match(text, /^\{.*\} *$/);
  const header = JSON.parse(text);
  assert.deepEqual(header.b.data_offsets, [0, 8]);   // largest elements first, then by name
  assert.deepEqual(header.c.data_offsets, [8, 20]);
  assert.deepEqual(header.a.data_offsets, [20, 23]);
  assert.equal(bytes.length, 8 + n + 23);
});

test("safetensors: reads from a view at an odd byte offset (as a Node Buffer from a pool) and copies the data", () => {
  const bytes = writeSafetensors({ x: { shape: [2, 2], data: Float32Array.of(1, 2, 3, 4) } });
  const pool = new Uint8Array(bytes.length + 3);
  pool.set(bytes, 3);
  const view = pool.subarray(3);
  const { tensors } = readSafetensors(view, "pool");
  assert.deepEqual(Array.from(tensors.x.data as Float32Array), [1, 2, 3, 4]);
  pool.fill(0);
  assert.deepEqual(Array.from(tensors.x.data as Float32Array), [1, 2, 3, 4], "the result does not alias the file bytes");
});

test("safetensors: a file in PyTorch's layout (metadata first, compact JSON, F32 little-endian, space padding) reads, and our writer emits the same bytes", () => {
  // What safetensors.torch.save_file({"weight_hh_l0": (4, 1), "bias_hh_l0": (4,)}, metadata={"format": "pt"}) writes:
  // both F32, so ordered by name; offsets relative to the data start.
  const json = '{"__metadata__":{"format":"pt"},"bias_hh_l0":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"weight_hh_l0":{"dtype":"F32","shape":[4,1],"data_offsets":[16,32]}}';
  const bias = [0.5, -0.25, 0.125, 2], weight = [1.5, -3, 0.1, 7];
  const file = concat(headerBytes(json), f32le(bias), f32le(weight));
  const { tensors, metadata } = readSafetensors(file, "lstm.safetensors");
  assert.deepEqual(metadata, { format: "pt" });
  assert.deepEqual(tensors.weight_hh_l0.shape, [4, 1]);
  assert.deepEqual(Array.from(tensors.bias_hh_l0.data as Float32Array), bias);
  assert.deepEqual(Array.from(tensors.weight_hh_l0.data as Float32Array), weight.map(Math.fround));
  const ours = writeSafetensors({ weight_hh_l0: { shape: [4, 1], data: Float32Array.from(weight) }, bias_hh_l0: { shape: [4], data: Float32Array.from(bias) } }, { format: "pt" });
  assert.deepEqual(ours, file);
});

test("safetensors: F16 and BF16 tensors widen exactly to Float32Array; I64 converts to float64 when exact", () => {
  // F16: 1, −2, 65504 (largest), 2^−24 (smallest subnormal), −0, +∞. BF16: 1, −2.5, 3.140625.
  const f16 = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00];
  const bf16 = [0x3f80, 0xc020, 0x4049];
  const json = '{"h":{"dtype":"F16","shape":[6],"data_offsets":[0,12]},"b":{"dtype":"BF16","shape":[3],"data_offsets":[12,18]}}';
  const file = concat(headerBytes(json), u16le(f16), u16le(bf16));
  const { tensors } = readSafetensors(file, "half.safetensors");
  assert.equal(tensors.h.dtype, "F16");
  assert.deepEqual(Array.from(tensors.h.data as Float32Array), [1, -2, 65504, 2 ** -24, -0, Infinity]);
  assert.deepEqual(Array.from(tensors.b.data as Float32Array), [1, -2.5, 3.140625]);
  assert.ok(Number.isNaN(halfToFloat(0x7e00)) && Number.isNaN(bf16ToFloat(0x7fc0)));
  const i64 = readSafetensors(writeSafetensors({ n: { shape: [2], data: BigInt64Array.of(5n, -(2n ** 40n)) } }), "n").tensors.n;
  assert.deepEqual(Array.from(tensorAsFloat(i64, "n")), [5, -(2 ** 40)]);
  const huge = readSafetensors(writeSafetensors({ n: { shape: [1], data: BigInt64Array.of(2n ** 60n + 1n) } }), "n").tensors.n;
  assert.throws(() => tensorAsFloat(huge, "n.safetensors: tensor n"), /n.safetensors: tensor n: expected I64 values within ±2\^53/);
});

test("safetensors: the writer refuses a shape that does not match the data, a bad shape, an unsupported array and non-string metadata", () => {
  assert.throws(() => writeSafetensors({ w: { shape: [2, 3], data: new Float32Array(5) } }), /writeSafetensors: w.data: expected 6 elements \(the product of shape \[2, 3\]\), got 5/);
  assert.throws(() => writeSafetensors({ w: { shape: [-1], data: new Float32Array(1) } }), /writeSafetensors: w.shape: expected a list of integers >= 0/);
  assert.throws(() => writeSafetensors({ w: { shape: [2], data: [1, 2] as unknown as Float32Array } }), /writeSafetensors: w.data: expected a Float32Array/);
  assert.throws(() => writeSafetensors({}, { epoch: 3 as unknown as string }), /writeSafetensors: metadata.epoch: expected a string, got 3/);
  assert.throws(() => writeSafetensors({ __metadata__: { shape: [1], data: new Float32Array(1) } }), /tensor name: expected any name but __metadata__/);
});
