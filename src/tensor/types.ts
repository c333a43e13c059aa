// Shared vocabulary of the numeric core.
//
// Shape letters, used in every comment that gives a buffer's shape:
//   B = batch size, T = sequence length (time), I = input size, H = hidden size,
//   S = Jordan state size, O = output size, G = gate count (LSTM 4, GRU 3, Elman 1).
// Sequences are stored time-major, (T, B, ·) row-major, so that one time step is one
// contiguous (B, ·) block. Everything works on Float32Array (speed) and Float64Array
// (gradient checks) through the same code.

export type Vec = Float32Array | Float64Array;
export type DType = "float32" | "float64";

/** A zero-filled array of n numbers in the given precision. */
export function zeros(n: number, dtype: DType): Vec {
  return dtype === "float64" ? new Float64Array(n) : allocF32(n);
}

/** The precision of an array. */
export function dtypeOf(v: Vec): DType {
  return v instanceof Float64Array ? "float64" : "float32";
}

/** A zero-filled array with the same precision as `like`. */
export function zerosLike(like: Vec, n = like.length): Vec {
  return zeros(n, dtypeOf(like));
}

// Float32 buffers come from a replaceable allocator, so that a fast backend can place
// them in WebAssembly memory and hand pointers to its kernels without copying (set by
// backend.ts's installBackend).
let f32Allocator: (n: number) => Float32Array = (n) => new Float32Array(n);
export function allocF32(n: number): Float32Array { return f32Allocator(n); }
export function setF32Allocator(fn: (n: number) => Float32Array): void { f32Allocator = fn; }
