// The linear head on every emitted step: z = W h + b, with W (O, H) and b (O) named
// `head.weight` and `head.bias` like an nn.Linear called `head`. Its activation (softmax,
// sigmoid, linear) is applied by the loss (fused) or by `predict`, never here.
import { gemm } from "../tensor/gemm.ts";
import { addBias, addBiasBackward } from "../tensor/ops.ts";
import type { DType, Vec } from "../tensor/types.ts";
import type { TensorSpec } from "../cells/layer.ts";
import { Workspace } from "../cells/workspace.ts";

export class LinearHead {
  readonly tensors: TensorSpec[];
  private W!: Vec; private b!: Vec; private dW!: Vec; private db!: Vec;
  private ws: Workspace;
  private cache: { h: Vec; N: number } | null = null;

  constructor(readonly inputSize: number, readonly outputSize: number, dtype: DType) {
    this.tensors = [{ name: "weight", shape: [outputSize, inputSize] }, { name: "bias", shape: [outputSize] }];
    this.ws = new Workspace(dtype);
  }

  bind(p: Vec, g: Vec): void {
    const H = this.inputSize, O = this.outputSize;
    this.W = p.subarray(0, O * H); this.dW = g.subarray(0, O * H);
    this.b = p.subarray(O * H, O * H + O); this.db = g.subarray(O * H, O * H + O);
  }

  /** h: (N, H) rows (N = T·B) → z: (N, O). */
  forward(h: Vec, N: number): Vec {
    const H = this.inputSize, O = this.outputSize;
    const z = this.ws.get("z", N * O);
    z.fill(0);
    addBias(z, 0, N, this.b, O);
    gemm(false, true, N, O, H, h, 0, this.W, 0, z, 0, true);
    this.cache = { h, N };
    return z;
  }

  /** dz: (N, O) → dh: (N, H); adds into dW, db. */
  backward(dz: Vec): Vec {
    if (!this.cache) throw new Error("head.backward: no cached forward pass; call forward first");
    const { h, N } = this.cache, H = this.inputSize, O = this.outputSize;
    gemm(true, false, O, H, N, dz, 0, h, 0, this.dW, 0, true);
    addBiasBackward(this.db, dz, 0, N, O);
    const dh = this.ws.get("dh", N * H);
    gemm(false, false, N, H, O, dz, 0, this.W, 0, dh, 0, false);
    return dh;
  }
}
