// Sampling from a next-token model with the step API: feed the prompt, then draw each next
// token from softmax(logits / temperature), optionally among the top k only; temperature 0
// is greedy decoding (the most likely token, no random draw). Inputs are token ids, one-hot
// or through the model's embedding (Network.tokenInput).
import { check } from "../errors.ts";
import type { Rng } from "../rand.ts";
import type { Vec } from "../tensor/types.ts";
import { zeros } from "../tensor/types.ts";
import type { Network } from "./network.ts";

export interface SampleOptions {
  /** Token ids to condition on (at least one). */
  prompt: ArrayLike<number>;
  /** Tokens to generate after the prompt. */
  length: number;
  /** Softmax temperature >= 0 (default 1); lower is more conservative, 0 takes the argmax. */
  temperature?: number;
  /** Sample among the k most likely tokens only (default: all). */
  topK?: number;
  rng: Rng;
  /** Called after each generated token with the count so far (progress displays). */
  onToken?: (done: number) => void;
}

/** The index of the largest of logits[off .. off+n) (the first on ties). */
export function argmax(logits: Vec, off: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (logits[off + i] > logits[off + best]) best = i;
  return best;
}

/** Draws one index from logits[off .. off+n) at the given temperature and top-k; temperature
 * 0 returns the argmax without drawing (top-k cannot change it). */
export function sampleLogits(logits: Vec, off: number, n: number, temperature: number, topK: number, rng: Rng): number {
  if (temperature === 0) return argmax(logits, off, n);
  let order: number[] | null = null;
  if (topK > 0 && topK < n) {
    order = Array.from({ length: n }, (_, i) => i).sort((a, b) => logits[off + b] - logits[off + a]).slice(0, topK);
  }
  const idx = order ?? Array.from({ length: n }, (_, i) => i);
  let m = -Infinity;
  for (const i of idx) m = Math.max(m, logits[off + i] / temperature);
  const w = idx.map((i) => Math.exp(logits[off + i] / temperature - m));
  const total = w.reduce((a, b) => a + b, 0);
  let u = rng.uniform() * total;
  for (let k = 0; k < idx.length; k++) { u -= w[k]; if (u <= 0) return idx[k]; }
  return idx[idx.length - 1];
}

/** Generates `length` token ids after the prompt (batch of one, step by step). */
export function sampleTokens(trained: Network, o: SampleOptions): number[] {
  const out: number[] = [];
  streamTokens(trained, o, (id) => { out.push(id); });
  return out;
}

/** As sampleTokens, handing each id to `emit` as it is drawn and keeping none of them (memory
 *  stays constant however long the text: generate writes as it goes). Returns the count. */
export function streamTokens(trained: Network, o: SampleOptions, emit: (id: number) => void): number {
  const model = trained.freeRunning();   // no targets to force: a teacher-forced Jordan net runs free
  const V = model.config.input, O = model.outputSize;
  const temperature = o.temperature ?? 1, topK = o.topK ?? 0;
  check(o.prompt.length >= 1, "sample prompt", "at least one token", o.prompt.length);
  check(temperature >= 0 && Number.isFinite(temperature), "--temperature", "a number >= 0 (0: greedy)", temperature);
  check(O === V, "sample", `a model whose output size equals its input size (next-token model), O = I = ${V}`, O);
  model.resetState(1);
  // One input buffer, rewritten for each token: a new one per step would be a new block of the
  // fast backend's heap, which is reclaimed only when the event loop turns (a
  // FinalizationRegistry), never inside this synchronous loop, so memory would grow per token.
  const x = model.tokenInput([0]);
  const input = (id: number): Vec => {
    if (model.config.embedding > 0) x[0] = id;
    else { x.fill(0); x[id] = 1; }
    return x;
  };
  let logits: Vec = zeros(O, model.dtype);
  for (let i = 0; i < o.prompt.length; i++) logits = model.step(input(o.prompt[i]));
  for (let i = 0; i < o.length; i++) {
    const id = sampleLogits(logits, 0, O, temperature, topK, o.rng);
    emit(id);
    o.onToken?.(i + 1);
    logits = model.step(input(id));
  }
  return o.length;
}
