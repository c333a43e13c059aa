// Reusable buffers for a layer's cache and gradients. Training calls forward/backward with
// the same (T, B) again and again, so buffers are allocated once and reused; nothing is
// allocated inside the time loop.
import { zeros, type DType, type Vec } from "../tensor/types.ts";
import { poisoning } from "../tensor/poison.ts";

export class Workspace {
  private bufs = new Map<string, Vec>();
  constructor(readonly dtype: DType) {}

  /** An array of exactly n numbers, reused across calls; contents are left as they were
   *  (on first use: zeros, or NaN with RECURRENT_POISON=1, so no caller may rely on them). */
  get(name: string, n: number): Vec {
    let b = this.bufs.get(name);
    if (!b || b.length !== n) {
      b = zeros(n, this.dtype);
      if (poisoning()) b.fill(NaN);
      this.bufs.set(name, b);
    }
    return b;
  }

  /** As `get`, zero-filled. */
  zeroed(name: string, n: number): Vec {
    const b = this.get(name, n);
    b.fill(0);
    return b;
  }
}
