// The safetensors format (Hugging Face), read and written in pure TypeScript on
// Uint8Array, so the same code runs in Node and in browsers (no node: imports; the
// caller reads and writes the file). It is not a model format: names, shapes and the
// config belong to the caller (src/model); this file only moves bytes safely.
//
// Layout of a file of L bytes:
//   bytes [0, 8)        N, the header length, an unsigned 64-bit little-endian integer
//   bytes [8, 8 + N)    a UTF-8 JSON object, padded with spaces so that 8 + N is a
//                       multiple of 8:
//                       { "__metadata__": { str: str },
//                         name: { "dtype": "F32", "shape": [d0, d1, ...],
//                                 "data_offsets": [begin, end] }, ... }
//   bytes [8 + N, L)    the data: each tensor's elements, row-major, little-endian,
//                       at [begin, end) relative to byte 8 + N; end − begin equals
//                       (∏ shape) × (bytes per element); the tensors tile the data
//                       exactly, without gaps or overlaps.
// Reading trusts nothing in the file: every size is checked against the bytes present
// before anything is allocated, so hostile files fail with a clear error, never a crash,
// a hang or a huge allocation.

import { fail, RecurrentError } from "../errors.ts";

/** Element types this reader understands, with their sizes in bytes. */
export const DTYPE_BYTES = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 } as const;
export type SafeDType = keyof typeof DTYPE_BYTES;
/** Types of the format we recognise but refuse (no exact conversion to our arrays). */
const REFUSED = ["U16", "U32", "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64"];

/** What a tensor's data is read into: F16/BF16 widen exactly to Float32Array. */
export type TensorData = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | BigInt64Array;

export interface SafeTensor {
  /** The dtype stored in the file (F16/BF16 data arrives as Float32Array). */
  dtype: SafeDType;
  shape: number[];
  data: TensorData;
}

/** A tensor to write: its shape and a typed array of ∏ shape elements. */
export interface TensorToWrite {
  shape: readonly number[];
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;
}

export interface ReadOptions {
  /** Largest header accepted, in bytes (default 100 MB). */
  maxHeaderBytes?: number;
}

export const DEFAULT_MAX_HEADER_BYTES = 100_000_000;
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Serialises tensors and string metadata into safetensors bytes. Tensors are laid out
 * by decreasing element size, then by name (as the reference implementation does), so
 * each one starts on a multiple of its element size; the header is space-padded so the
 * data starts on a multiple of 8.
 *
 *   file = u64le(N) ‖ header JSON (N bytes) ‖ data,   N ≡ 0 (mod 8)
 */
export function writeSafetensors(tensors: Record<string, TensorToWrite>, metadata?: Record<string, string>): Uint8Array {
  const where = "writeSafetensors";
  const entries = Object.entries(tensors).map(([name, t]) => {
    if (name === "__metadata__") fail(`${where}: tensor name`, "any name but __metadata__", name);
    const dtype = dtypeOfArray(t?.data);
    if (dtype === null) fail(`${where}: ${name}.data`, "a Float32Array, Float64Array, Int32Array, BigInt64Array or Uint8Array", t?.data);
    const count = checkShape(t.shape, `${where}: ${name}.shape`);
    if (count !== t.data.length) fail(`${where}: ${name}.data`, `${count} elements (the product of shape [${t.shape.join(", ")}])`, t.data.length);
    return { name, dtype, t };
  });
  entries.sort((a, b) => DTYPE_BYTES[b.dtype] - DTYPE_BYTES[a.dtype] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== "string") fail(`${where}: metadata.${k}`, "a string", v);
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const { name, dtype, t } of entries) {
    const bytes = t.data.length * DTYPE_BYTES[dtype];
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const n = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + n + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, n, true);
  view.setUint32(4, Math.floor(n / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + n);
  json = new Uint8Array(0);
  let at = 8 + n;
  for (const { dtype, t } of entries) {
    at = putLittleEndian(out, at, t.data, DTYPE_BYTES[dtype]);
  }
  return out;
}

/**
 * Parses safetensors bytes. `source` (a file name) starts every error message. Refuses:
 * a file shorter than 8 bytes; a header length past the end of the file or above
 * `maxHeaderBytes`; a header that is not UTF-8, not JSON or not an object; metadata
 * that is not {string: string}; an entry without a known dtype, with a shape that is not
 * a list of integers ≥ 0, or with data_offsets that are not [begin ≤ end]; byte ranges
 * that do not equal ∏shape × element size, overlap, leave gaps or run past the data.
 */
export function readSafetensors(bytes: Uint8Array, source: string, options: ReadOptions = {}): { tensors: Record<string, SafeTensor>; metadata: Record<string, string> } {
  const where = (what: string) => `${source}: ${what}`;
  if (!(bytes instanceof Uint8Array)) fail(where("bytes"), "a Uint8Array", bytes);
  const cap = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (bytes.length < 8) refuse(where("file"), "at least 8 bytes (the header length)", `${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;  // exact below 2^53
  if (n > cap) refuse(where("header length"), `at most ${cap} bytes (the cap)`, `${n} bytes`);
  if (8 + n > bytes.length) refuse(where("header length"), `at most ${bytes.length - 8} bytes (what follows the length in a ${bytes.length}-byte file)`, `${n} bytes`);
  if (n < 2) refuse(where("header"), "a JSON object of at least 2 bytes", `${n} bytes`);

  let text: string;
  try { text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)); }
  catch { return refuse(where("header"), "UTF-8 text", "invalid UTF-8 bytes"); }
  if (text[0] !== "{") refuse(where("header"), "JSON starting with '{'", JSON.stringify(text.slice(0, 20)));
  let header: unknown;
  try { header = JSON.parse(text); }
  catch (e) { return refuse(where("header"), "valid JSON", `a parse error (${(e as Error).message})`); }
  if (typeof header !== "object" || header === null || Array.isArray(header)) refuse(where("header"), "a JSON object", Array.isArray(header) ? "an array" : String(header));

  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const spans: Array<{ name: string; dtype: SafeDType; shape: number[]; begin: number; end: number }> = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) refuse(where("__metadata__"), "an object of strings", describe(entry));
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof v !== "string") refuse(where(`__metadata__.${k.slice(0, 60)}`), "a string", describe(v));
        define(metadata, k, v);
      }
      continue;
    }
    const w = (what: string) => where(`tensor ${quote(name)} ${what}`);
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) refuse(w("entry"), "an object {dtype, shape, data_offsets}", describe(entry));
    const e = entry as Record<string, unknown>;
    if (typeof e.dtype !== "string") refuse(w("dtype"), "a string", describe(e.dtype));
    if (REFUSED.includes(e.dtype)) refuse(w("dtype"), `one of ${Object.keys(DTYPE_BYTES).join("|")} (this reader does not convert ${e.dtype})`, quote(e.dtype));
    if (!Object.hasOwn(DTYPE_BYTES, e.dtype)) refuse(w("dtype"), `a safetensors dtype (${Object.keys(DTYPE_BYTES).join("|")})`, quote(e.dtype));
    const dtype = e.dtype as SafeDType;
    const count = checkShape(e.shape, w("shape"));
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((x) => Number.isSafeInteger(x) && x >= 0)) {
      refuse(w("data_offsets"), "[begin, end], two integers >= 0", describe(off));
    }
    const [begin, end] = off as [number, number];
    if (begin > end) refuse(w("data_offsets"), "begin <= end", `[${begin}, ${end}]`);
    const need = count * DTYPE_BYTES[dtype];
    if (!Number.isSafeInteger(need) || end - begin !== need) {
      refuse(w("data_offsets"), `a span of ${need} bytes (${dtype} × shape [${(e.shape as number[]).join(", ")}])`, `[${begin}, ${end}], ${end - begin} bytes`);
    }
    if (end > dataLength) {
      refuse(w("data_offsets"), `an end within the ${dataLength} data bytes present (file truncated?)`, `[${begin}, ${end}]`);
    }
    spans.push({ name, dtype, shape: (e.shape as number[]).slice(), begin, end });
  }

  // The tensors must tile [0, dataLength) exactly: no overlap, no gap, nothing left over.
  const sorted = spans.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const s of sorted) {
    if (s.begin < covered) refuse(where(`tensor ${quote(s.name)} data_offsets`), `no overlap with another tensor (bytes before ${covered} are taken)`, `[${s.begin}, ${s.end}]`);
    if (s.begin > covered) refuse(where(`tensor ${quote(s.name)} data_offsets`), `to start at byte ${covered}, where the previous tensor ends (no gaps)`, `[${s.begin}, ${s.end}]`);
    covered = s.end;
  }
  if (covered !== dataLength) refuse(where("data"), `${covered} bytes (the end of the last tensor)`, `${dataLength} bytes`);

  const tensors: Record<string, SafeTensor> = {};
  for (const s of spans) {
    define(tensors, s.name, { dtype: s.dtype, shape: s.shape, data: decode(bytes, dataStart + s.begin, dataStart + s.end, s.dtype) });
  }
  return { tensors, metadata };
}

/** A tensor's data as Float32Array or Float64Array (the model's Vec), converting exactly where possible. */
export function tensorAsFloat(t: SafeTensor, where: string): Float32Array | Float64Array {
  if (t.data instanceof Float32Array || t.data instanceof Float64Array) return t.data;
  if (t.data instanceof BigInt64Array) {
    const out = new Float64Array(t.data.length);
    for (let i = 0; i < out.length; i++) {
      const v = t.data[i];
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) refuse(where, "I64 values within ±2^53 (exact as float64)", v.toString());
      out[i] = Number(v);
    }
    return out;
  }
  return Float64Array.from(t.data as ArrayLike<number>);
}

// ---- helpers ---------------------------------------------------------------------

/** Throws "<where>: expected <expected>, got <got>" with `got` already worded (not quoted). */
function refuse(where: string, expected: string, got: string): never {
  throw new RecurrentError(`${where}: expected ${expected}, got ${got}`);
}

/**
 * A value from the file, worded for an error message without trusting it: no recursion
 * into nested values (a deeply nested header must not overflow the stack) and long
 * strings cut short.
 */
function describe(x: unknown): string {
  if (typeof x === "string") return quote(x);
  if (typeof x !== "object" || x === null) return String(x);
  if (Array.isArray(x)) return x.length <= 8 && x.every((v) => typeof v === "number") ? `[${x.join(",")}]` : `an array of ${x.length} items`;
  return "an object";
}

function quote(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}

/** Sets an own property even for names like "__proto__" (a file chooses the names). */
function define<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Checks a shape (a list of integers ≥ 0) and returns its element count. */
function checkShape(shape: unknown, where: string): number {
  if (!Array.isArray(shape)) refuse(where, "a list of integers >= 0", describe(shape));
  let count = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || (d as number) < 0) refuse(where, "a list of integers >= 0", describe(shape));
    count *= d as number;
  }
  if (!Number.isSafeInteger(count)) refuse(where, "fewer than 2^53 elements", describe(shape));
  return count;
}

function dtypeOfArray(a: unknown): SafeDType | null {
  if (a instanceof Float32Array) return "F32";
  if (a instanceof Float64Array) return "F64";
  if (a instanceof Int32Array) return "I32";
  if (a instanceof BigInt64Array) return "I64";
  if (a instanceof Uint8Array) return "U8";
  return null;
}

/** Copies a typed array's elements into out[at...] little-endian; returns the next offset. */
function putLittleEndian(out: Uint8Array, at: number, data: TensorToWrite["data"], size: number): number {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  out.set(raw, at);
  if (!LITTLE_ENDIAN && size > 1) for (let i = at; i < at + raw.length; i += size) out.subarray(i, i + size).reverse();
  return at + raw.length;
}

/** Decodes [from, to) into a fresh, aligned typed array (never a view of the file). */
function decode(bytes: Uint8Array, from: number, to: number, dtype: SafeDType): TensorData {
  // A Node Buffer's slice is a view into a shared pool: copy into a fresh, aligned buffer.
  const copy = new Uint8Array(bytes.subarray(from, to));
  const size = DTYPE_BYTES[dtype];
  if (!LITTLE_ENDIAN && size > 1) for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
  const buf = copy.buffer;
  switch (dtype) {
    case "F64": return new Float64Array(buf);
    case "F32": return new Float32Array(buf);
    case "I64": return new BigInt64Array(buf);
    case "I32": return new Int32Array(buf);
    case "I16": return new Int16Array(buf);
    case "I8": return new Int8Array(buf);
    case "U8": case "BOOL": return copy;
    case "F16": return widen(new Uint16Array(buf), halfToFloat);
    case "BF16": return widen(new Uint16Array(buf), (h) => bf16ToFloat(h));
  }
}

function widen(h: Uint16Array, f: (h: number) => number): Float32Array {
  const out = new Float32Array(h.length);
  for (let i = 0; i < h.length; i++) out[i] = f(h[i]);
  return out;
}

/** IEEE binary16 → number: sign, 5-bit exponent (bias 15), 10-bit fraction; exact. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e === 0) return sign * f * 2 ** -24;                 // zero and subnormals
  if (e === 31) return f ? NaN : sign * Infinity;
  return sign * (1 + f / 1024) * 2 ** (e - 15);
}

/** bfloat16 → number: the top 16 bits of a binary32; exact. */
export function bf16ToFloat(h: number): number {
  bits[0] = (h & 0xffff) << 16;
  return asF32[0];
}
const bits = new Uint32Array(1);
const asF32 = new Float32Array(bits.buffer);
