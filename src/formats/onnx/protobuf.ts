// A minimal protobuf *writer* (wire format only): varints, length-delimited fields, packed
// repeated floats and int64s, nested messages. Enough to encode the ONNX subset in ./proto.ts.
// It is not a reader, knows no schema and does no reflection. Pure TS, browser-safe.

/** Wire types from the protobuf encoding spec. */
const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

const utf8 = new TextEncoder();

/** Appends protobuf fields to a growable byte buffer. Field numbers are the schema's. */
export class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  /** An unsigned or two's-complement varint. Negative numbers take 10 bytes, as protobuf says. */
  varint(value: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(value));
    if (v < 0x80n) { this.byte(Number(v)); return this; }
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
    return this;
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  /** int32 / int64 / enum / bool field. */
  int(field: number, value: number | bigint): this {
    this.tag(field, VARINT);
    return this.varint(value);
  }

  /** A 32-bit float field (fixed32, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, I32);
    this.ensure(4);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 4).setFloat32(0, value, true);
    this.len += 4;
    return this;
  }

  /** A 64-bit double field (fixed64, little-endian). */
  double(field: number, value: number): this {
    this.tag(field, I64);
    this.ensure(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 8).setFloat64(0, value, true);
    this.len += 8;
    return this;
  }

  /** A bytes field (length-delimited). */
  bytes(field: number, data: Uint8Array): this {
    this.tag(field, LEN);
    this.varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  /** A string field, UTF-8. */
  string(field: number, s: string): this {
    return this.bytes(field, utf8.encode(s));
  }

  /** An embedded message: `build` writes its fields into a fresh writer. */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  /** Packed repeated float (proto3 default for repeated scalars). */
  packedFloats(field: number, values: ArrayLike<number>): this {
    const f = Float32Array.from(values as ArrayLike<number>);
    return this.bytes(field, new Uint8Array(littleEndian(f.buffer, 4)));
  }

  /** Packed repeated int64 / int32 (varints). */
  packedInts(field: number, values: ArrayLike<number | bigint>): this {
    const inner = new ProtoWriter();
    for (let i = 0; i < values.length; i++) inner.varint(values[i]!);
    return this.bytes(field, inner.finish());
  }

  /** The encoded bytes so far (a copy, so the writer may be reused). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Typed-array bytes in little-endian order whatever the host's byte order. */
export function littleEndian(buffer: ArrayBufferLike, width: 4 | 8): ArrayBufferLike {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) return buffer;
  const out = new Uint8Array(buffer.byteLength);
  const src = new Uint8Array(buffer);
  for (let i = 0; i < src.length; i += width) for (let k = 0; k < width; k++) out[i + k] = src[i + width - 1 - k]!;
  return out.buffer;
}
