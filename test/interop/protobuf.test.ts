// The protobuf writer against byte sequences from the protobuf encoding spec.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ProtoWriter } from "../../src/formats/onnx/protobuf.ts";

const bytes = (build: (w: ProtoWriter) => void): number[] => {
  const w = new ProtoWriter();
  build(w);
  return [...w.finish()];
};

test("varints follow the spec: 1, 150 and 300, and negatives take ten bytes", () => {
  assert.deepEqual(bytes((w) => w.int(1, 150)), [0x08, 0x96, 0x01]); // the spec's "test1 = 150"
  assert.deepEqual(bytes((w) => w.varint(300)), [0xac, 0x02]);
  assert.deepEqual(bytes((w) => w.varint(1)), [0x01]);
  assert.deepEqual(bytes((w) => w.varint(-1)), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  assert.deepEqual(bytes((w) => w.varint(2n ** 40n)), [0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);
});

test("strings, nested messages and packed fields are length-delimited", () => {
  assert.deepEqual(bytes((w) => w.string(2, "testing")), [0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
  assert.deepEqual(bytes((w) => w.message(3, (m) => m.int(1, 150))), [0x1a, 0x03, 0x08, 0x96, 0x01]);
  assert.deepEqual(bytes((w) => w.packedInts(4, [3, 270, 86942])), [0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
  assert.deepEqual(bytes((w) => w.packedFloats(1, [1, -2])), [0x0a, 0x08, 0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
  assert.deepEqual(bytes((w) => w.float(2, 0.5)), [0x15, 0, 0, 0, 0x3f]);
});

test("the writer grows past its first buffer without losing bytes", () => {
  const big = new Uint8Array(5000).map((_, i) => i & 0xff);
  const out = bytes((w) => w.bytes(1, big));
  assert.deepEqual(out.slice(0, 3), [0x0a, 0x88, 0x27]);
  assert.deepEqual(out.slice(3), [...big]);
});
