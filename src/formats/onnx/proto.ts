// Encoders for the subset of onnx.proto this toolkit writes: ModelProto, GraphProto, NodeProto,
// AttributeProto, TensorProto, ValueInfoProto (tensor types with fixed or named dims).
// Field numbers are onnx.proto's (IR version 8). It is not an ONNX reader or checker:
// onnxruntime in the tests is the checker. Pure TS, browser-safe.
import { ProtoWriter, littleEndian } from "./protobuf.ts";

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, DOUBLE: 11 } as const;
export type DataTypeId = (typeof DataType)[keyof typeof DataType];

/** A constant tensor (initializer or attribute value). */
export interface Tensor {
  name: string;
  dims: number[];
  dataType: DataTypeId;
  /** FLOAT/DOUBLE: numbers; INT64/INT32: integers. Stored as raw little-endian bytes. */
  data: ArrayLike<number>;
}

/** One attribute value; the type is inferred from the JS value. */
export type AttributeValue =
  | { kind: "int"; value: number }
  | { kind: "float"; value: number }
  | { kind: "string"; value: string }
  | { kind: "ints"; value: number[] }
  | { kind: "floats"; value: number[] }
  | { kind: "strings"; value: string[] }
  | { kind: "tensor"; value: Tensor }
  | { kind: "graph"; value: Graph };

export interface Node {
  opType: string;
  inputs: string[]; // "" marks an omitted optional input
  outputs: string[];
  name?: string;
  attributes?: Record<string, AttributeValue>;
}

/** A graph input/output: element type and dims (a number, or a name for a dynamic dim). */
export interface ValueInfo {
  name: string;
  dataType: DataTypeId;
  dims: Array<number | string>;
}

export interface Graph {
  name: string;
  nodes: Node[];
  initializers: Tensor[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  doc?: string;
}

export interface Model {
  graph: Graph;
  opset: number;
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  doc?: string;
}

// AttributeProto.AttributeType
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

function tensorBytes(t: Tensor): Uint8Array {
  switch (t.dataType) {
    case DataType.FLOAT: return new Uint8Array(littleEndian(Float32Array.from(t.data).buffer, 4));
    case DataType.DOUBLE: return new Uint8Array(littleEndian(Float64Array.from(t.data).buffer, 8));
    case DataType.INT32: return new Uint8Array(littleEndian(Int32Array.from(t.data).buffer, 4));
    case DataType.INT64: {
      const a = new BigInt64Array(t.data.length);
      for (let i = 0; i < a.length; i++) a[i] = BigInt(t.data[i]!);
      return new Uint8Array(littleEndian(a.buffer, 8));
    }
  }
}

function writeTensor(w: ProtoWriter, t: Tensor): void {
  const n = t.dims.reduce((a, b) => a * b, 1);
  if (n !== t.data.length) throw new Error(`onnx tensor ${t.name}: dims [${t.dims}] hold ${n} values, data has ${t.data.length}`);
  w.packedInts(1, t.dims); // dims
  w.int(2, t.dataType); // data_type
  w.string(8, t.name); // name
  w.bytes(9, tensorBytes(t)); // raw_data
}

function writeAttribute(w: ProtoWriter, name: string, a: AttributeValue): void {
  w.string(1, name);
  switch (a.kind) {
    case "float": w.float(2, a.value); w.int(20, ATTR.FLOAT); break;
    case "int": w.int(3, a.value); w.int(20, ATTR.INT); break;
    case "string": w.string(4, a.value); w.int(20, ATTR.STRING); break;
    case "tensor": w.message(5, (m) => writeTensor(m, a.value)); w.int(20, ATTR.TENSOR); break;
    case "graph": w.message(6, (m) => writeGraph(m, a.value)); w.int(20, ATTR.GRAPH); break;
    case "floats": for (const f of a.value) w.float(7, f); w.int(20, ATTR.FLOATS); break;
    case "ints": w.packedInts(8, a.value); w.int(20, ATTR.INTS); break;
    case "strings": for (const s of a.value) w.string(9, s); w.int(20, ATTR.STRINGS); break;
  }
}

function writeNode(w: ProtoWriter, n: Node): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  for (const [k, v] of Object.entries(n.attributes ?? {})) w.message(5, (m) => writeAttribute(m, k, v));
}

function writeValueInfo(w: ProtoWriter, v: ValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) => // TypeProto
    type.message(1, (tensor) => { // TypeProto.Tensor
      tensor.int(1, v.dataType);
      tensor.message(2, (shape) => { // TensorShapeProto
        for (const d of v.dims) shape.message(1, (dim) => (typeof d === "number" ? dim.int(1, d) : dim.string(2, d)));
      });
    }));
}

function writeGraph(w: ProtoWriter, g: Graph): void {
  for (const n of g.nodes) w.message(1, (m) => writeNode(m, n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, (m) => writeTensor(m, t));
  if (g.doc) w.string(10, g.doc);
  for (const v of g.inputs) w.message(11, (m) => writeValueInfo(m, v));
  for (const v of g.outputs) w.message(12, (m) => writeValueInfo(m, v));
}

/** Serialises a model to the bytes of a .onnx file. */
export function encodeModel(model: Model): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, model.irVersion ?? 8); // ir_version
  w.string(2, model.producerName ?? "recurrent");
  if (model.producerVersion) w.string(3, model.producerVersion);
  if (model.doc) w.string(6, model.doc);
  w.message(7, (m) => writeGraph(m, model.graph));
  w.message(8, (m) => { m.string(1, ""); m.int(2, model.opset); }); // opset_import (default domain)
  return w.finish();
}
