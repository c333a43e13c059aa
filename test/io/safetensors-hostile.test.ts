// Hostile and corrupt safetensors bytes, made here: each is refused with a RecurrentError
// naming the file and the problem, quickly, without a crash, a hang or a big allocation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readSafetensors, writeSafetensors } from "../../src/formats/safetensors.ts";
import { RecurrentError } from "../../src/errors.ts";
import { Rng } from "../../src/rand.ts";

const enc = (s: string) => new TextEncoder().encode(s);
function file(header: string | Uint8Array, data: Uint8Array = new Uint8Array(0), declared?: number | bigint): Uint8Array {
  const h = typeof header === "string" ? enc(header) : header;
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(declared ?? h.length), true);
  out.set(h, 8); out.set(data, 8 + h.length);
  return out;
}
const entry = (dtype: string, shape: unknown, offsets: unknown) => JSON.stringify({ w: { dtype, shape, data_offsets: offsets } });

function refuses(bytes: Uint8Array, pattern: RegExp, name = "evil.safetensors") {
  assert.throws(() => readSafetensors(bytes, name), (e: unknown) => {
    assert.ok(e instanceof RecurrentError, `a RecurrentError, got ${e}`);
    assert.ok(e.message.startsWith(`${name}: `), `names the file: ${e.message}`);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes("\n"), "one line");
    return true;
  });
}

test("safetensors refuses a file shorter than the 8-byte length", () => {
  refuses(new Uint8Array(5), /file: expected at least 8 bytes \(the header length\), got 5 bytes/);
  refuses(new Uint8Array(0), /got 0 bytes/);
});

test("safetensors refuses a header length past the end of the file", () => {
  refuses(file('{"a":1}', new Uint8Array(0), 500), /header length: expected at most 7 bytes \(what follows the length in a 15-byte file\), got 500 bytes/);
});

test("safetensors refuses a header asking for gigabytes (or 2^64 − 1 bytes) before reading anything", () => {
  refuses(file("{}", new Uint8Array(0), 5_000_000_000), /header length: expected at most 100000000 bytes \(the cap\), got 5000000000 bytes/);
  refuses(file("{}", new Uint8Array(0), 2n ** 64n - 1n), /header length: expected at most 100000000 bytes \(the cap\)/);
  assert.throws(() => readSafetensors(file(" ".repeat(64)), "x", { maxHeaderBytes: 32 }), /x: header length: expected at most 32 bytes \(the cap\), got 64 bytes/);
});

test("safetensors refuses invalid JSON, invalid UTF-8 and a header that is not an object", () => {
  refuses(file('{"w": {"dtype": "F32",'), /header: expected valid JSON, got a parse error/);
  refuses(file(Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d)), /header: expected UTF-8 text, got invalid UTF-8 bytes/);
  refuses(file("[1, 2, 3]"), /header: expected JSON starting with '\{'/);
  refuses(file("null    "), /header: expected JSON starting with '\{'/);
  refuses(file("{}}"), /header: expected valid JSON/);
  refuses(file('{"w": 3}'), /tensor "w" entry: expected an object \{dtype, shape, data_offsets\}, got 3/);
  refuses(file('{"__metadata__": {"epoch": 3}}'), /__metadata__.epoch: expected a string, got 3/);
  refuses(file('{"__metadata__": [1]}'), /__metadata__: expected an object of strings/);
});

test("safetensors refuses unknown and unconvertible dtypes", () => {
  refuses(file(entry("F33", [1], [0, 4]), new Uint8Array(4)), /tensor "w" dtype: expected a safetensors dtype \(F64\|F32\|F16\|BF16\|I64\|I32\|I16\|I8\|U8\|BOOL\), got "F33"/);
  refuses(file(entry("F8_E4M3", [1], [0, 1]), new Uint8Array(1)), /dtype: expected one of .* \(this reader does not convert F8_E4M3\), got "F8_E4M3"/);
  refuses(file(JSON.stringify({ w: { shape: [1], data_offsets: [0, 4] } }), new Uint8Array(4)), /tensor "w" dtype: expected a string, got undefined/);
  refuses(file(entry("toString", [1], [0, 4]), new Uint8Array(4)), /tensor "w" dtype: expected a safetensors dtype .*, got "toString"/);
});

test("safetensors refuses negative, fractional, non-list and astronomically large shapes", () => {
  refuses(file(entry("F32", [-1, 4], [0, 16]), new Uint8Array(16)), /tensor "w" shape: expected a list of integers >= 0, got \[-1,4\]/);
  refuses(file(entry("F32", [1.5], [0, 4]), new Uint8Array(4)), /shape: expected a list of integers >= 0, got \[1.5\]/);
  refuses(file(entry("F32", "4", [0, 16]), new Uint8Array(16)), /shape: expected a list of integers >= 0, got "4"/);
  refuses(file(entry("F32", [2 ** 30, 2 ** 30, 2 ** 30], [0, 16]), new Uint8Array(16)), /shape: expected fewer than 2\^53 elements/);
  refuses(file(entry("F32", [1e6, 1e6], [0, 16]), new Uint8Array(16)), /data_offsets: expected a span of 4000000000000 bytes \(F32 × shape \[1000000, 1000000\]\), got \[0, 16\], 16 bytes/);
});

test("safetensors refuses offsets that are malformed, reversed, out of range, mismatched, overlapping or leave gaps", () => {
  refuses(file(entry("F32", [1], [4]), new Uint8Array(4)), /data_offsets: expected \[begin, end\], two integers >= 0, got \[4\]/);
  refuses(file(entry("F32", [1], ["0", "4"]), new Uint8Array(4)), /data_offsets: expected \[begin, end\], two integers >= 0/);
  refuses(file(entry("F32", [1], [8, 4]), new Uint8Array(8)), /data_offsets: expected begin <= end, got \[8, 4\]/);
  refuses(file(entry("F32", [3], [0, 8]), new Uint8Array(8)), /data_offsets: expected a span of 12 bytes \(F32 × shape \[3\]\), got \[0, 8\], 8 bytes/);
  refuses(file(entry("F32", [4], [0, 16]), new Uint8Array(10)), /tensor "w" data_offsets: expected an end within the 10 data bytes present \(file truncated\?\), got \[0, 16\]/);
  refuses(file(entry("F64", [1], [1e15, 1e15 + 8]), new Uint8Array(8)), /expected an end within the 8 data bytes present/);
  const two = (a: number[], b: number[]) => JSON.stringify({ a: { dtype: "F32", shape: [2], data_offsets: a }, b: { dtype: "F32", shape: [2], data_offsets: b } });
  refuses(file(two([0, 8], [4, 12]), new Uint8Array(12)), /tensor "b" data_offsets: expected no overlap with another tensor \(bytes before 8 are taken\), got \[4, 12\]/);
  refuses(file(two([0, 8], [0, 8]), new Uint8Array(8)), /expected no overlap/);
  refuses(file(two([0, 8], [12, 20]), new Uint8Array(20)), /tensor "b" data_offsets: expected to start at byte 8, where the previous tensor ends \(no gaps\), got \[12, 20\]/);
  refuses(file(two([0, 8], [8, 16]), new Uint8Array(24)), /data: expected 16 bytes \(the end of the last tensor\), got 24 bytes/);
});

test("safetensors: a deeply nested header or a huge name gives a short one-line error, not a stack overflow", () => {
  const deep = (inner: string) => `{"w": {"dtype": "F32", "shape": ${inner}, "data_offsets": [0, 4]}}`;
  const nest = "[".repeat(200000) + "]".repeat(200000);
  refuses(file(deep(nest), new Uint8Array(4)), /tensor "w" shape: expected a list of integers >= 0, got an array of 1 items/);
  refuses(file(`{"w": ${nest}}`), /tensor "w" entry: expected an object \{dtype, shape, data_offsets\}, got an array of 1 items/);
  refuses(file(`{"__metadata__": {"k": ${nest}}}`), /__metadata__.k: expected a string, got an array of 1 items/);
  const long = "x".repeat(1_000_000);
  assert.throws(() => readSafetensors(file(JSON.stringify({ [long]: { dtype: long, shape: [1], data_offsets: [0, 4] } }), new Uint8Array(4)), "big"), (e: unknown) => {
    assert.ok(e instanceof RecurrentError && e.message.length < 400, `short message (${(e as Error).message.length} chars)`);
    return true;
  });
});

test("safetensors: a tensor named __proto__ is an ordinary tensor, not a prototype change", () => {
  const { tensors } = readSafetensors(file(JSON.stringify({ ["__proto__"]: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }).replace('"__proto__"', '"__proto__"'), new Uint8Array(4)), "p");
  assert.equal(Object.getPrototypeOf(tensors), Object.prototype);
  assert.deepEqual(Object.keys(tensors), ["__proto__"]);
});

test("safetensors: every truncation of a valid file is refused, and random byte corruption never escapes as another error", () => {
  const good = writeSafetensors({ w: { shape: [3, 4], data: new Float32Array(12).fill(0.5) }, b: { shape: [3], data: new Float64Array(3) } }, { format: "pt" });
  for (let len = 0; len < good.length; len++) {
    assert.throws(() => readSafetensors(good.subarray(0, len), "cut"), RecurrentError, `truncated to ${len} bytes`);
  }
  const rng = new Rng(11);
  let refused = 0;
  for (let k = 0; k < 2000; k++) {
    const bad = good.slice();
    for (let j = 0; j <= rng.int(3); j++) bad[rng.int(bad.length)] = rng.int(256);
    try { readSafetensors(bad, "fuzz"); } catch (e) { assert.ok(e instanceof RecurrentError, `byte corruption gave ${e}`); refused++; }
  }
  assert.ok(refused > 100, `most header corruptions are caught (${refused} of 2000)`);
});
