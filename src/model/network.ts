// The network: an optional embedding, stacked recurrent layers and an optional linear
// head, with all parameters in one flat array viewed by name (STYLE §3) and gradients in the
// same layout.
// Optimisers, clipping, gradient-free trainers and safetensors each see one array. The class
// users build, `Sequence` (../train/sequence.ts), is this network with the Keras-like methods
// (fit, evaluate, predict, generate) that need the training layer above this one.
//
// forward/backward work on whole time-major batches (T, B, ·); `step` runs one time step
// at a time with the state kept inside, and gives the same bits as the whole-sequence pass.
// Bidirectional layers (config.bidirectional) wrap two cells (../cells/bidirectional.ts);
// dropout (config.dropout) sits on the non-recurrent connections and acts only in training,
// when forward is handed a random source (./dropout.ts).
import { check, RecurrentError } from "../errors.ts";
import { BidirectionalLayer } from "../cells/bidirectional.ts";
import type { Layer } from "../cells/layer.ts";
import { cellSpec } from "../cells/registry.ts";
import { reads, type CellSpec, type TensorRole } from "../cells/spec.ts";
import { Workspace } from "../cells/workspace.ts";
import { zeros, type DType, type Vec } from "../tensor/types.ts";
import { normaliseConfig, type ModelConfig } from "./config.ts";
import { checkModelMemory } from "./budget.ts";
import { dropoutBackward, dropoutForward, dropoutMask, type RandomSource } from "./dropout.ts";
import { LinearHead } from "./head.ts";
import { summary } from "./summary.ts";

/** A parameter tensor's place in the flat array, and what it is. */
export interface TensorEntry {
  name: string; shape: number[]; offset: number; size: number;
  /** From the cell's description (../cells/spec.ts): input, recurrent, bias, head or embedding. */
  role: TensorRole;
  /** The name inside its layer ("weight_hh" for weight_hh_l1_reverse); the embedding's and head's full name. */
  base: string;
}

export interface SequenceForwardOptions {
  /** Initial states: per layer, one (B, size) array per state (see Layer.stateSizes). */
  state0?: Vec[][] | null;
  /** (T, B) 1 = real step, 0 = padding. */
  mask?: Uint8Array | null;
  /** (T, B, O) targets for Jordan teacher forcing. */
  teacher?: Vec | null;
  /** Training mode: dropout masks (when config.dropout > 0) are drawn from this source (the
   *  run's Rng); absent or null = inference, nothing dropped. The same source state gives the
   *  same masks (a gradient check re-seeds it for a fixed mask). */
  dropout?: RandomSource | null;
  /** Prediction only: the same outputs and states, bit for bit, with no cache kept for a
   *  backward (which then throws), so that LSTM and GRU layers hold per-step values instead of
   *  (T, B, ·) ones (cells/layer.ts ForwardOptions.inference). */
  inference?: boolean;
}

export class Network {
  readonly config: Required<ModelConfig>;
  /** The cell's description, from the registry (../cells/registry.ts). */
  readonly cell: CellSpec;
  readonly layers: Layer[];
  readonly head: LinearHead | null;
  readonly tensors: TensorEntry[];
  readonly params: Vec;
  readonly grads: Vec;
  private lastForward: { T: number; B: number; ids: Vec | null; masks: Array<Vec | null>; summary: boolean } | null = null;
  /** Dropout masks and dropped values per site: 0 the embedding's output, l (1..L−1) layer l's
   *  input, L the head's input. */
  private dropWs: Workspace;
  /** (T·B, E) embedded inputs of the last forward, when the model has an embedding. */
  private embedded: Vec;
  private stepState: Vec[][] | null = null;
  private stepB = 0;
  /** Steps taken since resetState. */
  private steps = 0;

  constructor(config: Partial<ModelConfig>, readonly dtype: DType = "float32") {
    const c = normaliseConfig(config);
    if (dtype === "float64") checkModelMemory(c, "config", 8);
    this.config = c;
    const cell = this.cell = cellSpec(c.cell);
    this.layers = [];
    for (let l = 0; l < c.layers; l++) {
      const input = l === 0 ? (c.embedding > 0 ? c.embedding : c.input) : this.layers[l - 1].outputSize;
      const make = (): Layer => cell.build({ input, top: l === c.layers - 1, config: c }, dtype);
      // Bidirectional: a forward and a reverse layer, 2H per step into the next layer and the head.
      this.layers.push(c.bidirectional ? new BidirectionalLayer(make(), make(), dtype) : make());
    }
    // A cell that feeds its output back computes it itself: no head.
    this.head = !cell.feedsBackOutput && c.output > 0 ? new LinearHead(this.layers[c.layers - 1].outputSize, c.output, dtype) : null;
    // Lay out every tensor in one flat array: layer 0, layer 1, ..., head.
    this.tensors = [];
    let offset = 0;
    const add = (name: string, shape: number[], role: TensorRole, base = name) => {
      const size = shape.reduce((a, b) => a * b, 1);
      this.tensors.push({ name, shape, offset, size, role, base });
      offset += size;
    };
    if (c.embedding > 0) add("embedding.weight", [c.input, c.embedding], "embedding");
    const blocks: Array<[number, number]> = [];
    this.layers.forEach((layer, l) => {
      const start = offset;
      for (const t of layer.tensors) {
        const role = cell.tensors[t.name]?.role ?? fail(`model: cell ${cell.name}: tensor "${t.name}": expected a role in the cell's description (its tensors: ${Object.keys(cell.tensors).join(", ")}), got none`);
        add(`${t.name}_l${l}${t.suffix ?? ""}`, t.shape, role, t.name);
      }
      blocks.push([start, offset]);
    });
    const headStart = offset;
    if (this.head) for (const t of this.head.tensors) add(`head.${t.name}`, t.shape, t.shape.length === 1 ? "bias" : "head");
    this.params = zeros(offset, dtype);
    this.grads = zeros(offset, dtype);
    this.embedded = zeros(0, dtype);
    this.dropWs = new Workspace(dtype);
    this.layers.forEach((layer, l) => {
      const [a, b] = blocks[l];
      layer.bind(this.params.subarray(a, b), this.grads.subarray(a, b));
    });
    this.head?.bind(this.params.subarray(headStart), this.grads.subarray(headStart));
  }

  /** A cell that feeds its output back (Jordan), trained on the targets instead (config.feedback "teacher"). */
  get teacherForced(): boolean { return Boolean(this.cell.feedsBackOutput) && this.config.feedback === "teacher"; }

  /** Total number of parameters. */
  get paramCount(): number { return this.params.length; }

  /** Size of each emitted step: O with a head (or for Jordan), else H. */
  get outputSize(): number { return this.head ? this.head.outputSize : this.layers[this.layers.length - 1].outputSize; }

  /** The tensor entry of a name, or a clear error listing the names. */
  entry(name: string): TensorEntry {
    const e = this.tensors.find((t) => t.name === name);
    if (!e) throw new Error(`model: no parameter tensor "${name}"; tensors are ${this.tensors.map((t) => t.name).join(", ")}`);
    return e;
  }

  /** A view of one parameter tensor (row-major, its shape in `entry(name).shape`). */
  get(name: string): Vec { const e = this.entry(name); return this.params.subarray(e.offset, e.offset + e.size); }

  /** A view of one tensor's gradient. */
  grad(name: string): Vec { const e = this.entry(name); return this.grads.subarray(e.offset, e.offset + e.size); }

  zeroGrads(): void { this.grads.fill(0); }

  /**
   * Runs the model over a batch. x: (T, B, I). Returns out: (T, B, outputSize), the head's
   * logits (or the top layer's h without a head), and the final states per layer.
   * `out` is the model's buffer until the next forward. With `opts.dropout` (training) and
   * config.dropout = p > 0, each non-recurrent connection is dropped with a fresh mask: the
   * embedding's output, every layer's input after the first, the head's input (PyTorch's
   * nn.LSTM(dropout=p) between layers, plus the nn.Dropout of Zaremba et al.'s model around it).
   */
  forward(x: Vec, T: number, B: number, opts: SequenceForwardOptions = {}): { out: Vec; state: Vec[][] } {
    const { h, state, drop } = this.layersForward(x, T, B, opts, false);
    return { out: this.head ? this.head.forward(drop(this.layers.length, h), T * B) : h, state };
  }

  /**
   * BPTT through the last forward. dOut: (T, B, outputSize); dStateT: per layer gradients wrt
   * the final states, or null. Adds into `grads`; returns dx (T, B, I) and dState0 per layer.
   * `inputGrad: false` skips dx (training needs only the weights' gradients); dx is then empty.
   */
  backward(dOut: Vec, dStateT: Vec[][] | null = null, opts: { inputGrad?: boolean } = {}): { dx: Vec; dState0: Vec[][] } {
    if (!this.lastForward) throw new Error("model.backward: no cached forward pass; call forward first");
    const { T, B, masks, summary } = this.lastForward;
    if (summary) throw new Error("model.backward: the last forward was forwardSummary; reverse it with backwardSummary");
    check(dOut.length === T * B * this.outputSize, "backward dOut", `length T·B·O = ${T * B * this.outputSize}`, dOut.length);
    const L = this.layers.length;
    let d = this.head ? this.head.backward(dOut) : dOut;
    if (this.head && masks[L]) dropoutBackward(d, masks[L]!, d);   // the head's own buffer, in place
    return this.layersBackward(d, dStateT, opts);
  }

  /**
   * Many-to-one through each sequence's summary: the top layer's final h, i.e. h at the last
   * real step, and for a bidirectional model [h→ at the last real step ; h← after step 0]
   * (PyTorch: head(cat(h_n[-2], h_n[-1]))), so that both directions have read the whole
   * sequence; the head (after dropout) maps it to out (B, outputSize). What a bidirectional
   * classifier or window forecaster reads (src/train/readout.ts); state as forward's.
   */
  forwardSummary(x: Vec, T: number, B: number, opts: SequenceForwardOptions = {}): { out: Vec; state: Vec[][] } {
    if (this.cell.feedsBackOutput) throw new RecurrentError(`forwardSummary: a ${this.cell.title} network emits its output at every step; read its last step instead`);
    const { state, drop } = this.layersForward(x, T, B, opts, true);
    const L = this.layers.length, H = this.config.hidden, D = this.config.bidirectional ? 2 : 1;
    const top = state[L - 1], K = top.length / D;   // states per direction; h is the first of each
    const sum = this.dropWs.get("summary", B * D * H);   // (B, D·H)
    for (let b = 0; b < B; b++) for (let d = 0; d < D; d++) sum.set(top[d * K].subarray(b * H, (b + 1) * H), b * D * H + d * H);
    return { out: this.head ? this.head.forward(drop(L, sum), B) : sum, state };
  }

  /** BPTT through the last forwardSummary. dOut: (B, outputSize); dStateT as backward's. */
  backwardSummary(dOut: Vec, dStateT: Vec[][] | null = null, opts: { inputGrad?: boolean } = {}): { dx: Vec; dState0: Vec[][] } {
    if (!this.lastForward?.summary) throw new Error("model.backwardSummary: no cached forwardSummary pass; call forwardSummary first");
    const { T, B, masks } = this.lastForward;
    check(dOut.length === B * this.outputSize, "backwardSummary dOut", `length B·O = ${B * this.outputSize}`, dOut.length);
    const L = this.layers.length, H = this.config.hidden, D = this.config.bidirectional ? 2 : 1, top = this.layers[L - 1];
    let d = this.head ? this.head.backward(dOut) : dOut;   // (B, D·H)
    if (this.head && masks[L]) dropoutBackward(d, masks[L]!, d);
    // The summary is each direction's final h: its gradient joins the top layer's dStateT.
    const K = top.stateSizes.length / D;
    const dTop = top.stateSizes.map((n, j) => { const v = zeros(B * n, this.dtype); const given = dStateT?.[L - 1]?.[j]; if (given) v.set(given); return v; });
    for (let b = 0; b < B; b++) for (let dd = 0; dd < D; dd++) for (let j = 0; j < H; j++) dTop[dd * K][b * H + j] += d[b * D * H + dd * H + j];
    const dState = this.layers.map((_, l) => (l === L - 1 ? dTop : dStateT?.[l] ?? null)) as Vec[][];
    return this.layersBackward(this.dropWs.zeroed("dTop", T * B * top.outputSize), dState, opts);
  }

  /** Embedding and layers (with dropout between them) over a batch; the head is the caller's. */
  private layersForward(x: Vec, T: number, B: number, opts: SequenceForwardOptions, summary: boolean): { h: Vec; state: Vec[][]; drop: (site: number, v: Vec) => Vec } {
    const I = this.inputWidth;
    check(Number.isInteger(T) && T >= 1, "forward T", "an integer >= 1", T);
    check(Number.isInteger(B) && B >= 1, "forward B", "an integer >= 1", B);
    check(x.length === T * B * I, "forward x", this.config.embedding > 0
      ? `length T·B = ${T}·${B} = ${T * B} token ids` : `length T·B·I = ${T}·${B}·${I} = ${T * B * I}`, x.length);
    check(x.constructor === this.params.constructor, "forward x", `a ${this.params.constructor.name} (the model's dtype)`, x.constructor.name);
    if (opts.mask) check(opts.mask.length === T * B, "forward mask", `length T·B = ${T * B}`, opts.mask.length);
    if (opts.state0) check(opts.state0.length === this.layers.length, "forward state0", `one entry per layer (${this.layers.length})`, opts.state0.length);
    const state: Vec[][] = [];
    const L = this.layers.length, p = this.config.dropout, random = p > 0 ? opts.dropout ?? null : null;
    const masks: Array<Vec | null> = new Array<Vec | null>(L + 1).fill(null);
    const drop = (site: number, v: Vec): Vec => {   // v (T, B, width) → v ⊙ mask, in the site's buffer
      if (!random) return v;
      const mask = this.dropWs.get(`mask${site}`, v.length), y = this.dropWs.get(`drop${site}`, v.length);
      dropoutMask(mask, p, random);
      dropoutForward(v, mask, y);
      masks[site] = mask;
      return y;
    };
    let h = this.config.embedding > 0 ? drop(0, this.embed(x, T * B)) : x;
    this.layers.forEach((layer, l) => {
      if (l > 0) h = drop(l, h);
      const s0 = opts.state0?.[l] ?? null;
      if (s0) layer.stateSizes.forEach((n, k) => check(s0[k]?.length === B * n, `forward state0[${l}][${k}]`, `length B·${n} = ${B * n}`, s0[k]?.length));
      const r = layer.forward(h, T, B, s0, { mask: opts.mask, teacher: opts.teacher, inference: opts.inference });
      state.push(r.state);
      h = r.out;
    });
    this.lastForward = opts.inference ? null : { T, B, ids: this.config.embedding > 0 ? x : null, masks, summary };
    return { h, state, drop };
  }

  /** BPTT through the layers (and the embedding) from d (T, B, top layer's outputSize). */
  private layersBackward(d: Vec, dStateT: Vec[][] | null, opts: { inputGrad?: boolean }): { dx: Vec; dState0: Vec[][] } {
    const { T, B, ids, masks } = this.lastForward!;
    const L = this.layers.length;
    const dState0: Vec[][] = [];
    for (let l = L - 1; l >= 0; l--) {
      // Layer 0's input gradient is needed for the embedding, or when the caller asks (default).
      const needDx = l > 0 || ids !== null || opts.inputGrad !== false;
      const r = this.layers[l].backward(d, dStateT?.[l] ?? null, needDx);
      dState0[l] = r.dState0;
      d = r.dx;
      if (masks[l]) dropoutBackward(d, masks[l]!, d);   // site l: layer l's input (l = 0: the embedding's output)
    }
    if (ids) {
      // Scatter-add the first layer's input gradient into the rows of the looked-up tokens.
      const E = this.config.embedding, dE = this.grad("embedding.weight");
      for (let n = 0; n < T * B; n++) {
        const row = ids[n] * E;
        for (let k = 0; k < E; k++) dE[row + k] += d[n * E + k];
      }
    }
    return { dx: d, dState0 };
  }

  /** Values per step of one sequence's input: I, or 1 (a token id) with an embedding. */
  get inputWidth(): number { return this.config.embedding > 0 ? 1 : this.config.input; }

  /** The model's input for token ids (T·B): the ids themselves with an embedding, else one-hot (T·B, V). */
  tokenInput(ids: ArrayLike<number>): Vec {
    const V = this.config.input;
    if (this.config.embedding > 0) { const x = zeros(ids.length, this.dtype); for (let i = 0; i < ids.length; i++) x[i] = ids[i]; return x; }
    const x = zeros(ids.length * V, this.dtype);
    for (let i = 0; i < ids.length; i++) x[i * V + ids[i]] = 1;
    return x;
  }

  /** Looks up N token ids: (N) → (N, E), into a buffer reused across calls of the same size. */
  private embed(ids: Vec, N: number): Vec {
    const V = this.config.input, E = this.config.embedding, table = this.get("embedding.weight");
    if (this.embedded.length !== N * E) this.embedded = zeros(N * E, this.dtype);
    for (let n = 0; n < N; n++) {
      const id = ids[n];
      if (!(Number.isInteger(id) && id >= 0 && id < V)) check(false, `forward x[${n}]`, `a token id in [0, ${V})`, id);
      for (let k = 0; k < E; k++) this.embedded[n * E + k] = table[id * E + k];
    }
    return this.embedded;
  }

  /** Zero states for a batch of B, per layer. */
  zeroState(B: number): Vec[][] {
    return this.layers.map((layer) => layer.stateSizes.map((n) => zeros(B * n, this.dtype)));
  }

  /** Starts (or restarts) step-by-step mode for a batch of B, from zero or given states. */
  resetState(B = 1, state0: Vec[][] | null = null): void {
    this.stepB = B;
    this.steps = 0;
    this.stepState = state0 ? state0.map((s) => s.map((v) => v.slice())) : this.zeroState(B);
  }

  /** The current step-mode state (copies). */
  getState(): Vec[][] {
    if (!this.stepState) throw new Error("model.getState: call resetState(B) first");
    return this.stepState.map((s) => s.map((v) => v.slice()));
  }

  /**
   * One time step. x_t: (B, I) → (B, outputSize), a copy. Equals, bit for bit, step t of
   * `forward` over the whole sequence. `teacher_t` (B, O) is the previous target, for a Jordan
   * network trained with teacher forcing.
   */
  step(x: Vec, teacherPrev?: Vec): Vec {
    if (this.config.bidirectional) throw new RecurrentError("step: a bidirectional model reads each sequence whole (its reverse direction starts at the last step); run forward over the sequence instead");
    if (!this.stepState) this.resetState(x.length / this.inputWidth);
    const B = this.stepB;
    check(x.length === B * this.inputWidth, "step x", `length B·I = ${B * this.inputWidth}`, x.length);
    let teacher: Vec | null = null;
    if (this.teacherForced) {
      // The fed-back output of this step is the previous target: it replaces the state's y.
      // Without one (after the first step) the run would silently reuse a stale target.
      const top = this.stepState![this.layers.length - 1];
      if (teacherPrev) {
        check(teacherPrev.length === B * this.config.output, "step teacherPrev", `length B·O = ${B * this.config.output}`, teacherPrev.length);
        top[1] = teacherPrev.slice();
      } else if (this.steps > 0) {
        throw new RecurrentError("step: a Jordan network trained with teacher forcing needs the previous target (teacherPrev) at every step after the first; to run it free, copy it with feedback \"output\"");
      }
      teacher = top[1];   // forward feeds teacher[0] onward; the next step replaces it again
    }
    const r = this.forward(x, 1, B, { state0: this.stepState, teacher, inference: true });
    this.stepState = r.state;
    this.steps++;
    return r.out.slice();
  }


  /**
   * The model as it runs at prediction time: a Jordan network trained with teacher forcing
   * feeds back its own output once there are no targets, so it gets a copy with feedback
   * "output" and the same weights; every other model is returned as it is.
   */
  freeRunning(): this {
    if (!this.teacherForced) return this;
    // The same class as this one (a Sequence stays a Sequence, with its fit/predict methods).
    const Same = this.constructor as new (config: Partial<ModelConfig>, dtype: DType) => this;
    const free = new Same({ ...this.config, feedback: "output" }, this.dtype);
    free.params.set(this.params);
    return free;
  }

  /** The parameter table: every tensor's name, shape and count, the total and the lecture's formula. */
  summary(): string { return summary(this); }

  /** One line: `LSTM(65 => 128 ×2) => 65  # 216,641 parameters` (Flux style). */
  toString(): string {
    const c = this.config;
    const name = this.cell.title;
    const extra = reads(this.cell, "state") ? `, s=${c.state}` : "";
    const layers = c.layers > 1 ? ` ×${c.layers}` : "";
    const flags = [c.bidirectional ? "bidirectional" : "", c.dropout > 0 ? `dropout ${c.dropout}` : ""].filter(Boolean).map((f) => `, ${f}`).join("");
    const out = c.output > 0 ? ` => ${c.output} ${c.outputActivation}` : "";
    const input = c.embedding > 0 ? `Embedding(${c.input} => ${c.embedding}) => ${c.embedding}` : `${c.input}`;
    return `${name}(${input} => ${c.hidden}${layers}${extra}${flags})${out}  # ${this.paramCount.toLocaleString("en-US")} parameters`;
  }
}

function fail(message: string): never { throw new RecurrentError(message); }
