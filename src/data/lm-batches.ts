// Batching a token stream for truncated BPTT: the classic "B parallel streams" layout
// (Zaremba et al. 2014; PyTorch's word_language_model `batchify`). The stream of N tokens
// is cut into B contiguous streams of L = floor(N / B) tokens (the last N mod B tokens are
// dropped), and chunk k holds steps [kT, kT + T) of every stream. So column b of chunk k+1
// continues column b of chunk k exactly, and the hidden state at the end of one chunk is
// the right initial state for the next (carried without its gradient).
// Targets are the inputs shifted by one step. Pure (no node: imports).
import { check, checkInt } from "../errors.ts";
import { checkWith, failWith } from "./problem.ts";

export interface LmChunk {
  /** Steps in this chunk (T, or fewer for the last chunk). */
  T: number;
  B: number;
  /** Input token ids, (T, B) time-major. */
  x: Int32Array;
  /** Target token ids (the next token of each input), (T, B) time-major. */
  y: Int32Array;
}

export interface LmBatchesOptions {
  /** Drop a last chunk shorter than T (default false: every token counts, as evaluation wants). */
  dropRemainder?: boolean;
  where?: string;
}

export class LmBatches {
  /** Tokens per stream. */
  readonly streamLen: number;
  /** Number of chunks per pass over the data. */
  readonly length: number;
  /** Number of predicted tokens per pass (B · (streamLen − 1), minus a dropped remainder). */
  readonly tokens: number;
  /** The streams, (B, L) row-major: stream b is data[b·L, (b+1)·L). */
  private readonly data: Int32Array;

  constructor(ids: Int32Array, readonly B: number, readonly T: number, opts: LmBatchesOptions = {}) {
    const where = opts.where ?? "text";
    checkInt(B, "batch size"); checkInt(T, "sequence length");
    checkWith(ids.length > 0, where, "a non-empty text", "an empty one");
    const L = Math.floor(ids.length / B);
    if (L < T + 1) {
      failWith(where, `at least batch × (seq + 1) = ${B} × ${T + 1} = ${B * (T + 1)} tokens for one window (use a smaller --batch or --seq)`, `${ids.length} tokens`);
    }
    this.streamLen = L;
    this.data = ids.subarray(0, B * L);
    const predicted = L - 1; // the last token of a stream has no next token
    const full = Math.floor(predicted / T);
    this.length = opts.dropRemainder || predicted % T === 0 ? full : full + 1;
    this.tokens = B * Math.min(predicted, this.length * T);
  }

  /** Batches for evaluation: as many of B streams and T steps as the text allows, so a
   * short validation part is still scored (every token once) rather than rejected. */
  static forEval(ids: Int32Array, B: number, T: number, where = "validation text"): LmBatches {
    checkWith(ids.length >= 2, where, "at least 2 tokens to score", `${ids.length}`);
    const t = Math.min(T, ids.length - 1);
    const b = Math.max(1, Math.min(B, Math.floor(ids.length / (t + 1))));
    return new LmBatches(ids, b, t, { where });
  }

  /** Chunk k (0 ≤ k < length); fresh arrays, so a caller may keep them. */
  chunk(k: number): LmChunk {
    check(Number.isInteger(k) && k >= 0 && k < this.length, "chunk index", `an integer in [0, ${this.length})`, k);
    const { B, streamLen: L } = this;
    const start = k * this.T;
    const T = Math.min(this.T, L - 1 - start);
    const x = new Int32Array(T * B), y = new Int32Array(T * B);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const i = b * L + start + t;
        x[t * B + b] = this.data[i];
        y[t * B + b] = this.data[i + 1];
      }
    }
    return { T, B, x, y };
  }

  *[Symbol.iterator](): IterableIterator<LmChunk> {
    for (let k = 0; k < this.length; k++) yield this.chunk(k);
  }
}

/** One-hot inputs for models without an embedding: ids (T, B) → (T, B, V). */
export function oneHot(ids: Int32Array, V: number, out: Float32Array | Float64Array = new Float32Array(ids.length * V)): Float32Array | Float64Array {
  check(out.length === ids.length * V, "oneHot output", `length ${ids.length * V}`, out.length);
  out.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    check(id >= 0 && id < V, "oneHot id", `an integer in [0, ${V})`, id);
    out[i * V + id] = 1;
  }
  return out;
}
