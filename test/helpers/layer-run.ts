// One seeded forward and backward of a small model (T = 8, B = 6, glorot init, an MSE loss on
// random targets), on whatever backend is installed: what the fast-path tests compare between
// backends. With `masked`, sequence b has length 8 − b (lengths 8, 7, …, 3), later steps padding.
import { Sequence } from "../../src/train/sequence.ts";
import { initialize } from "../../src/model/initialize.ts";
import { lossAndGrad } from "../../src/train/loss.ts";
import { Rng } from "../../src/rand.ts";
import type { ModelConfig } from "../../src/model/config.ts";

export function forwardBackward(cfg: Partial<ModelConfig>, masked: boolean) {
  const rng = new Rng(5);
  const m = new Sequence(cfg);
  initialize(m, rng, "glorot");
  const T = 8, B = 6, I = m.config.input, O = m.outputSize;
  const x = new Float32Array(T * B * I).map(() => 2 * rng.normal());
  const y = new Float32Array(T * B * O).map(() => rng.normal());
  const mask = masked ? new Uint8Array(T * B).map((_, k) => (Math.floor(k / B) < T - (k % B) ? 1 : 0)) : null;
  const { out } = m.forward(x, T, B, { mask });
  const outCopy = out.slice();
  const d = new Float32Array(T * B * O);
  lossAndGrad("mse", out, T * B, O, y, mask, d);
  m.zeroGrads();
  const { dx, dState0 } = m.backward(d, null, { inputGrad: true });
  return { out: outCopy, grads: m.grads.slice(), dx: dx.slice(), dh0: dState0[0][0].slice(), model: m, x, T, B };
}
