// Loads the PyTorch golden fixtures (test/fixtures/torch/*.json, written by
// scripts/torch-golden.py and, the bidirectional ones, scripts/torch-golden-bidir-dropout.py)
// and measures relative error; maps PyTorch's (layers × directions, B, H) state tensors to the
// model's per-layer states and back. Test helper only, not a test.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Vec } from "../../src/tensor/types.ts";

export interface FixtureTensor { shape: number[]; data: number[] }
export interface FixtureResult {
  loss: number;
  out: FixtureTensor; // (T, B, O or H)
  h_n: FixtureTensor; // (L, B, H); bidirectional (L·2, B, H), row 2l + d
  c_n?: FixtureTensor;
  grads: Record<string, FixtureTensor>; // state_dict names, "head.*", "x", "h0", "c0"
}
export interface FixtureRun {
  T: number; B: number;
  /** A padded batch run through pack_padded_sequence: each sequence's real length. */
  lengths?: number[];
  x: FixtureTensor; h0: FixtureTensor; c0?: FixtureTensor; // time-major (T, B, I); (L, B, H)
  r_out: FixtureTensor; r_h: FixtureTensor; r_c?: FixtureTensor;
  f64: FixtureResult; f32: FixtureResult;
}
export interface TorchFixture {
  name: string;
  cell: "elman" | "lstm" | "gru";
  nonlinearity: "tanh" | "relu" | null;
  input_size: number; hidden_size: number; num_layers: number; head_size: number;
  /** bidirectional=True (scripts/torch-golden-bidir-dropout.py): states are (L·2, B, H). */
  bidirectional?: boolean;
  weights: Record<string, FixtureTensor>;
  runs: FixtureRun[];
}

export const TORCH_DIR = join(import.meta.dirname, "..", "fixtures", "torch");

/**
 * Reads every fixture. Inputs and weights are float32 values written as their shortest repr
 * ("0.12345679"), so they are rounded back to float32 here (Math.fround): that is the exact
 * number PyTorch used in both its float32 and float64 runs.
 */
export function loadTorchFixtures(): TorchFixture[] {
  const fround = (t: FixtureTensor | undefined) => { if (t) t.data = t.data.map(Math.fround); };
  return readdirSync(TORCH_DIR).filter((f) => f.endsWith(".json")).sort().map((f) => {
    const fx = { ...(JSON.parse(readFileSync(join(TORCH_DIR, f), "utf8")) as TorchFixture), name: f.replace(/\.json$/, "") };
    Object.values(fx.weights).forEach(fround);
    for (const r of fx.runs) [r.x, r.h0, r.c0, r.r_out, r.r_h, r.r_c].forEach(fround);
    return fx;
  });
}

/** max_i |a_i − b_i| / max_i |b_i|: the error relative to the reference tensor's scale. */
export function relError(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (a.length !== ref.length) throw new Error(`length ${a.length} vs reference ${ref.length}`);
  let diff = 0, scale = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(a[i]! - ref[i]!);
    diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
    scale = Math.max(scale, Math.abs(ref[i]!));
  }
  return diff / Math.max(scale, 1e-30);
}

/**
 * PyTorch's state tensors h (L·D, B, H) [and c] as the model's per-layer states: layer l holds
 * each direction's states in turn (h→[, c→][, h←, c←]), from rows l·D + d.
 */
export function modelState(h: FixtureTensor, c: FixtureTensor | undefined, D: number, make: (a: number[]) => Vec): Vec[][] {
  const [LD, B, H] = h.shape as [number, number, number];
  const row = (t: FixtureTensor, r: number) => make(t.data.slice(r * B * H, (r + 1) * B * H));
  return Array.from({ length: LD / D }, (_, l) => Array.from({ length: D }, (_, d) => (c ? [row(h, l * D + d), row(c, l * D + d)] : [row(h, l * D + d)])).flat());
}

/** The model's per-layer states back in PyTorch's (L·D, B, H) layout: state k (0 h, 1 c) of K per direction. */
export function torchState(state: Vec[][], k: number, K: number, D: number): number[] {
  return state.flatMap((s) => Array.from({ length: D }, (_, d) => [...s[d * K + k]!]).flat());
}
