// A bidirectional layer (Schuster & Paliwal 1997; PyTorch's bidirectional=True): two layers of
// one cell, one reading each sequence forwards and one backwards, their h concatenated.
//
//   h→_t = cell→(x_t, h→_{t-1})          t = 0 … T−1
//   h←_t = cell←(x_t, h←_{t+1})          t = T−1 … 0, from each sequence's own last real step
//   out_t = [h→_t ; h←_t]                (T, B, 2H), PyTorch's layout: forward half first
//
// The reverse direction is the same cell run over the time-reversed batch: x and the mask are
// reversed along T, so with padding at the end (a (T, B) mask) the reversed sequence starts
// with padding, which carries the initial state through unchanged, and its first real step is
// the sequence's last, as PyTorch's packed sequences run it. Its outputs are reversed back.
// Every cell's own fast paths (WebAssembly SIMD, whole-sequence kernels) run unchanged.
//
// Parameters: the forward layer's tensors, then the reverse layer's (named with the suffix
// "_reverse": weight_ih_l0_reverse ...), as PyTorch's state_dict orders them. States: the
// forward layer's, then the reverse layer's (LSTM: h→, c→, h←, c←), each (B, H); the final
// state of the reverse direction is its state after step 0, as PyTorch's h_n[2l + 1].
// Not here: Jordan networks (their output feeds back in time; refused by the config).
import type { DType, Vec } from "../tensor/types.ts";
import { noCache, type ForwardOptions, type Layer, type TensorSpec } from "./layer.ts";
import { Workspace } from "./workspace.ts";

/** dst (T, N) = src (T, N) with its T rows in reverse order (N values per row). */
function reverseTime(src: Vec | Uint8Array, dst: Vec | Uint8Array, T: number, N: number): void {
  for (let t = 0; t < T; t++) dst.set(src.subarray(t * N, (t + 1) * N), (T - 1 - t) * N);
}

export class BidirectionalLayer implements Layer {
  readonly kind: Layer["kind"];
  readonly inputSize: number;
  readonly outputSize: number;
  readonly stateSizes: number[];
  readonly tensors: TensorSpec[];
  private ws: Workspace;
  private maskR = new Uint8Array(0);
  private cache: { T: number; B: number } | null = null;

  /** `fwd` and `rev`: two fresh layers of the same cell and sizes (I → H). */
  constructor(readonly fwd: Layer, readonly rev: Layer, dtype: DType) {
    this.kind = fwd.kind;
    this.inputSize = fwd.inputSize;
    this.outputSize = fwd.outputSize + rev.outputSize;
    this.stateSizes = [...fwd.stateSizes, ...rev.stateSizes];
    this.tensors = [...fwd.tensors, ...rev.tensors.map((t) => ({ ...t, suffix: "_reverse" }))];
    this.ws = new Workspace(dtype);
  }

  bind(p: Vec, g: Vec): void {
    const n = this.fwd.tensors.reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0);
    this.fwd.bind(p.subarray(0, n), g.subarray(0, n));
    this.rev.bind(p.subarray(n), g.subarray(n));
  }

  /** x: (T, B, I) → out (T, B, 2H) = [h→ ; h←]; state0/state: the forward direction's states, then the reverse's. */
  forward(x: Vec, T: number, B: number, state0: Vec[] | null, opts: ForwardOptions = {}): { out: Vec; state: Vec[] } {
    const I = this.inputSize, H = this.fwd.outputSize, D = 2 * H, n = this.fwd.stateSizes.length, mask = opts.mask ?? null;
    const inference = opts.inference ?? false;
    const f = this.fwd.forward(x, T, B, state0 ? state0.slice(0, n) : null, { mask, inference });
    // The reverse direction reads a reversed copy (its cache keeps it until the backward).
    const xr = this.ws.get("xr", T * B * I);         // (T, B, I), step t = x_{T−1−t}
    reverseTime(x, xr, T, B * I);
    let mr: Uint8Array | null = null;
    if (mask) {
      if (this.maskR.length !== T * B) this.maskR = new Uint8Array(T * B);
      reverseTime(mask, this.maskR, T, B);
      mr = this.maskR;
    }
    const r = this.rev.forward(xr, T, B, state0 ? state0.slice(n) : null, { mask: mr, inference });
    const out = this.ws.get("out", T * B * D);       // (T, B, 2H)
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const o = (t * B + b) * D;
        out.set(f.out.subarray((t * B + b) * H, (t * B + b + 1) * H), o);
        out.set(r.out.subarray(((T - 1 - t) * B + b) * H, ((T - 1 - t) * B + b + 1) * H), o + H);
      }
    }
    this.cache = inference ? null : { T, B };
    return { out, state: [...f.state, ...r.state] };
  }

  /** dOut: (T, B, 2H) → dx (T, B, I) = dx→ + reversed dx←; dState0 in the states' order. */
  backward(dOut: Vec, dStateT: Vec[] | null, needDx = true): { dx: Vec; dState0: Vec[] } {
    if (!this.cache) noCache(`bidirectional ${this.kind}`);
    const { T, B } = this.cache;
    const I = this.inputSize, H = this.fwd.outputSize, D = 2 * H, n = this.fwd.stateSizes.length;
    const dF = this.ws.get("dF", T * B * H), dR = this.ws.get("dR", T * B * H);   // (T, B, H) each, dR time-reversed
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const o = (t * B + b) * D;
        dF.set(dOut.subarray(o, o + H), (t * B + b) * H);
        dR.set(dOut.subarray(o + H, o + D), ((T - 1 - t) * B + b) * H);
      }
    }
    const a = this.fwd.backward(dF, dStateT ? dStateT.slice(0, n) : null, needDx);
    const r = this.rev.backward(dR, dStateT ? dStateT.slice(n) : null, needDx);
    const dx = this.ws.get("dx", needDx ? T * B * I : 0);
    if (needDx) {
      for (let t = 0; t < T; t++) {
        const f0 = t * B * I, r0 = (T - 1 - t) * B * I;
        for (let k = 0; k < B * I; k++) dx[f0 + k] = a.dx[f0 + k] + r.dx[r0 + k];
      }
    }
    this.cache = null;
    return { dx, dState0: [...a.dState0, ...r.dState0] };
  }
}
