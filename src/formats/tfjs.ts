// TF.js (tfjs-layers "layers-model") import: reads a model.json topology and its weights
// manifest, and converts a chain of SimpleRNN / LSTM / GRU layers (optionally followed by a
// Dense on every step) to PyTorch-layout tensors, then builds the model through
// importTorchStateDict. The conversions: kernels are transposed ((I, G·H) → (G·H, I)); LSTM
// gates i,f,c,o are PyTorch's i,f,g,o already; GRU gates z,r,h become r,z,n; Keras's single
// bias goes to bias_ih with bias_hh = 0; GRU reset_after=true's (2, 3H) bias is [b_ih; b_hh].
// tfjs's defaults map to cell options: hard_sigmoid gates (gateActivation "hard_sigmoid")
// and GRU reset_after=false (resetAfter false, the reset gate before the recurrent product).
// What the toolkit's cells cannot compute is refused with one line naming the layer.
// Pure TS (browser-safe): the caller reads the files.
import { cellsWhere } from "../cells/registry.ts";
import { gateBlocks, gatePermutation, reads, type CellSpec } from "../cells/spec.ts";
import { RecurrentError } from "../errors.ts";
import type { Sequence } from "../train/sequence.ts";
import { importTorchStateDict, type InTensor, type TorchCell } from "./pytorch.ts";
import { formatBytes, memoryLimits } from "../model/budget.ts";
import { OUTPUT_ACTIVATIONS, type OutputActivation } from "../model/config.ts";

interface LayerJson { class_name: string; name?: string; config: Record<string, unknown>; /** a functional Model's: the layers it reads */ inbound_nodes?: unknown }
interface WeightSpec { name: string; shape: number[]; dtype: string; quantization?: unknown }
interface ManifestGroup { paths: string[]; weights: WeightSpec[] }

/** The cell of a tfjs recurrent layer's class (SimpleRNN, LSTM, GRU: each cell's description's `tfjs`). */
function cellOf(className: string): (CellSpec & { tfjs: NonNullable<CellSpec["tfjs"]> }) | undefined {
  return cellsWhere((s) => s.tfjs?.className === className && s.torch !== undefined)[0] as (CellSpec & { tfjs: NonNullable<CellSpec["tfjs"]> }) | undefined;
}
const SKIPPED = new Set(["InputLayer", "Dropout", "Activation:linear"]);

function err(msg: string): never { throw new RecurrentError(msg); }

/** Transposes a (rows, cols) row-major matrix. */
function transpose(a: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c]!;
  return out;
}

/** Reorders equal row blocks: out block k = in block from[k]. */
function blocks(a: ArrayLike<number>, nBlocks: number, from: number[]): Float32Array {
  const n = a.length / nBlocks, out = new Float32Array(a.length);
  from.forEach((src, dst) => { for (let i = 0; i < n; i++) out[dst * n + i] = a[src * n + i]!; });
  return out;
}

/** The layers of a tfjs topology in order (Sequential or a chain-shaped functional Model). */
function layersOf(topology: unknown, src: string): LayerJson[] {
  const t = topology as { model_config?: unknown } | null;
  const top = (isObject(t) ? t.model_config ?? t : null) as { class_name?: unknown; config?: unknown } | null;
  const layers: unknown = !isObject(top) ? undefined : Array.isArray(top.config) ? top.config : isObject(top.config) ? top.config.layers : undefined;
  if (!Array.isArray(layers)) err(`${src}: modelTopology: expected a Sequential or Model with config.layers, got ${isObject(top) && typeof top.class_name === "string" ? describe(top.class_name) : describe(topology)}`);
  let prev: string | null = null;
  layers.forEach((l: unknown, i) => {
    if (!isLayerJson(l)) err(`${src}: modelTopology layer ${i}: expected {class_name, config}, got ${describe(l)}`);
    const inbound = l.inbound_nodes;
    if (prev && Array.isArray(inbound) && inbound.length) {
      const first: unknown = inbound[0];
      const from = Array.isArray(first) ? first.map((n: unknown) => (Array.isArray(n) ? n[0] : n)) : [first];
      if (from.length !== 1 || from[0] !== prev) err(`${src}: layer "${nameOf(l)}": expected a chain (input from "${prev}"), got inputs ${from.length <= 4 && from.every((f) => typeof f === "string") ? JSON.stringify(from) : describe(from)}`);
    }
    prev = nameOf(l);
  });
  return layers as LayerJson[];
}

/** A string field as it is, anything else as its description (never String() of a nested value). */
function text(x: unknown): string { return typeof x === "string" ? x : describe(x); }
function isObject(x: unknown): x is Record<string, unknown> { return typeof x === "object" && x !== null && !Array.isArray(x); }
function isLayerJson(l: unknown): l is LayerJson { return isObject(l) && typeof l.class_name === "string" && isObject(l.config); }
function nameOf(l: LayerJson): string { return String(l.name ?? l.config.name).slice(0, 100); }
/** A value from the file, worded without trusting it (no recursion, long strings cut). */
function describe(x: unknown): string {
  if (typeof x === "string") return JSON.stringify(x.length > 60 ? `${x.slice(0, 60)}…` : x);
  if (Array.isArray(x)) return `an array of ${x.length}`;
  return x === null ? "null" : typeof x === "object" ? "an object" : String(x);
}

/**
 * A path a weights manifest names, checked before anything is read: relative and inside the
 * model's folder ("group1-shard1of2.bin", "weights/a.bin"); never absolute, a URL, a "..", a
 * backslash or a NUL. (The file reader checks again where it really leads: symlinks.)
 */
export function checkManifestPath(p: unknown, where: string): string {
  const ok = typeof p === "string" && p.length > 0 && p.length <= 4096 && !p.includes("\0") && !p.includes("\\") &&
    !p.startsWith("/") && !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(p) && !p.split("/").some((seg) => seg === "..");
  if (!ok) err(`${where}: expected a relative path to a file inside the model's folder, got ${describe(p)}`);
  return p as string;
}

/** Bytes a group's weight specs declare (4 per float32 element), each spec checked. */
function declaredBytes(weights: unknown, where: string): number {
  if (!Array.isArray(weights)) err(`${where}.weights: expected a list of {name, shape, dtype}, got ${describe(weights)}`);
  let total = 0;
  weights.forEach((w: unknown, i) => {
    if (!isObject(w) || typeof w.name !== "string") err(`${where}.weights[${i}]: expected {name, shape, dtype}, got ${describe(w)}`);
    const name = JSON.stringify(w.name.slice(0, 100));
    if (w.quantization) err(`${where}: weight ${name}: expected float32 weights (quantized ones are not supported), got quantization ${describe(w.quantization)}`);
    if (w.dtype !== "float32") err(`${where}: weight ${name}: expected dtype float32, got ${describe(w.dtype)}`);
    const shape = w.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      err(`${where}: weight ${name} shape: expected a list of integers >= 0, got ${Array.isArray(shape) && shape.length <= 8 && shape.every((d) => typeof d === "number") ? JSON.stringify(shape) : describe(shape)}`);
    }
    total += 4 * (shape as number[]).reduce((a, b) => a * b, 1);
    const limit = memoryLimits();
    if (!Number.isSafeInteger(total) || total > limit.bytes) err(`${where}: weight ${name} shape: expected weights that fit in ${formatBytes(limit.bytes)} (${limit.source}), got [${shape.join(", ")}], ${formatBytes(total)} so far`);
  });
  return total;
}

export interface TfjsImport { model: Sequence; layers: string[] }

/**
 * Converts a tfjs layers-model. `modelJson` is the parsed model.json; `readWeights(path, maxBytes)`
 * returns the bytes of one weights file named in its manifest (a path checkManifestPath
 * accepted), and may refuse a file longer than `maxBytes`, what the weights still declare.
 */
export function importTfjsModel(modelJson: unknown, readWeights: (path: string, maxBytes: number) => Uint8Array, source = "model.json"): TfjsImport {
  const mj = modelJson as { modelTopology?: unknown; weightsManifest?: ManifestGroup[]; format?: string };
  if (!isObject(mj) || !mj.modelTopology) err(`${source}: expected a tfjs layers-model (model.json with "modelTopology"), got ${isObject(mj) ? `keys ${Object.keys(mj).slice(0, 8).map((k) => k.slice(0, 40)).join(", ")}` : describe(mj)}`);
  if (mj.format && mj.format !== "layers-model") err(`${source}: format: expected "layers-model", got ${describe(mj.format)} (graph models have no layers to import)`);
  const manifest = mj.weightsManifest ?? err(`${source}: expected a "weightsManifest", got none`);

  // Weights: every group's files concatenated, specs in order. Every path and size is checked
  // before a file is read, and no file is read past what the weights declare.
  if (!Array.isArray(manifest)) err(`${source}: weightsManifest: expected a list of {paths, weights} groups, got ${describe(manifest)}`);
  const weights = new Map<string, InTensor>();
  manifest.forEach((group: unknown, g) => {
    const gw = `${source}: weightsManifest[${g}]`;
    if (!isObject(group) || !Array.isArray(group.paths) || group.paths.length === 0 || group.paths.length > 100_000) err(`${gw}.paths: expected a list of weight files, got ${describe(isObject(group) ? group.paths : group)}`);
    const paths = group.paths.map((p: unknown, i) => checkManifestPath(p, `${gw}.paths[${i}]`));
    const declared = declaredBytes(group.weights, gw);
    const files = paths.join("+").slice(0, 200);
    const all = new Uint8Array(declared);
    let off = 0;
    for (const p of paths) {
      const part: unknown = readWeights(p, declared - off);
      if (!(part instanceof Uint8Array)) err(`${gw}: ${JSON.stringify(p)}: expected the file's bytes, got ${describe(part)}`);
      if (off + part.length > declared) err(`${gw} (${files}): expected ${declared} bytes (what its weights declare), got more: ${off + part.length} bytes up to ${JSON.stringify(p)}`);
      all.set(part, off);
      off += part.length;
    }
    if (off !== declared) err(`${gw} (${files}): expected ${declared} bytes (what its weights declare), got ${off}: the weight files end early`);
    let pos = 0;
    for (const w of group.weights as WeightSpec[]) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      weights.set(w.name, { shape: w.shape, data: new Float32Array(all.slice(pos, pos + 4 * n).buffer) }); // copy: aligned
      pos += 4 * n;
    }
  });
  const weight = (layer: string, key: string): InTensor | undefined => {
    for (const [name, t] of weights) {
      const parts = name.replace(/:\d+$/, "").split("/");
      if (parts[0] === layer && parts[parts.length - 1] === key) return t;
    }
    return undefined;
  };

  let cell: TorchCell | null = null, spec: CellSpec | null = null;
  let units = 0, L = 0;
  let nonlinearity: "tanh" | "relu" | "sigmoid" = "tanh";
  let gate: "sigmoid" | "hard_sigmoid" | null = null;
  let resetAfter: boolean | null = null;
  let outputActivation: OutputActivation = "linear";
  let headSeen = false;
  const sd: Record<string, InTensor> = {};
  const names: string[] = [];
  for (const layer of layersOf(mj.modelTopology, source)) {
    const cls = layer.class_name, c = layer.config, name = nameOf(layer);
    const where = `${source}: layer "${name}" (${cls.slice(0, 60)})`;
    if (SKIPPED.has(cls) || (cls === "Activation" && c.activation === "linear")) continue;
    if (headSeen) err(`${where}: expected nothing after the Dense head`);
    if (cls === "Dense") {
      if (!cell) err(`${where}: expected a recurrent layer before the Dense head`);
      const act = text(c.activation ?? "linear");
      if (!(OUTPUT_ACTIVATIONS as readonly string[]).includes(act)) err(`${where}: activation: expected ${OUTPUT_ACTIVATIONS.join("|")}, got ${describe(c.activation)}`);
      outputActivation = act as typeof outputActivation;
      const k = weight(name, "kernel") ?? err(`${where}: expected a weight "${name}/kernel" in the manifest, got none`);
      const [Hk, O] = k.shape as [number, number];
      if (k.shape.length !== 2 || Hk !== units || O < 1) err(`${where}: weight "kernel": expected shape (${units}, O) with O >= 1, got (${k.shape.join(", ")})`);
      sd["head.weight"] = { shape: [O, Hk], data: transpose(k.data, Hk, O) };
      sd["head.bias"] = c.use_bias === false ? { shape: [O], data: new Float32Array(O) } : weight(name, "bias") ?? err(`${where}: expected a weight "${name}/bias" in the manifest, got none`);
      headSeen = true;
      names.push(`${cls}(${O}, ${act})`);
      continue;
    }
    const kind = cellOf(cls) ?? err(`${where}: unsupported layer: expected ${cellsWhere((s) => s.tfjs !== undefined && s.torch !== undefined).map((s) => s.tfjs!.className).join(", ")}, Dense (or InputLayer, Dropout), got ${describe(cls)}`);
    if (spec && kind !== spec) err(`${where}: expected every recurrent layer to be ${spec.tfjs!.className} (one cell type per model), got ${cls}`);
    const H = c.units as number;
    if (!Number.isSafeInteger(H) || H < 1) err(`${where}: units: expected an integer >= 1, got ${describe(c.units)}`);
    if (units && H !== units) err(`${where}: units: expected ${units} like the layer below (one hidden size per model), got ${H}`);
    if (c.go_backwards) err(`${where}: go_backwards: expected false (reading sequences backwards is not supported), got ${describe(c.go_backwards)}`);
    const act = text(c.activation ?? "tanh");
    // A cell with a hidden activation reads Keras's `activation`; the others have tanh fixed.
    if (reads(kind, "hiddenActivation")) {
      if (!["tanh", "relu", "sigmoid"].includes(act)) err(`${where}: activation: expected tanh|relu|sigmoid, got ${describe(c.activation)}`);
      if (L > 0 && act !== nonlinearity) err(`${where}: activation: expected ${nonlinearity} like the layer below, got ${act}`);
      nonlinearity = act as typeof nonlinearity;
    } else if (act !== "tanh") err(`${where}: activation: expected tanh (the toolkit's ${cls} cell), got ${describe(c.activation)}`);
    if (reads(kind, "gateActivation")) {
      const ra = text(c.recurrent_activation ?? "hard_sigmoid");
      if (ra !== "sigmoid" && ra !== "hard_sigmoid") err(`${where}: recurrent_activation: expected sigmoid|hard_sigmoid, got ${describe(c.recurrent_activation)}`);
      if (gate && ra !== gate) err(`${where}: recurrent_activation: expected ${gate} like the layer below (one gate activation per model), got ${ra}`);
      gate = ra;
    }
    if (reads(kind, "resetAfter")) {
      const after = c.reset_after === true;
      if (resetAfter !== null && after !== resetAfter) err(`${where}: reset_after: expected ${resetAfter} like the layer below, got ${after}`);
      resetAfter = after;
    }
    const G = gateBlocks(kind);
    const k = weight(name, "kernel") ?? err(`${where}: expected a weight "${name}/kernel" in the manifest, got none`);
    const r = weight(name, "recurrent_kernel") ?? err(`${where}: expected a weight "${name}/recurrent_kernel" in the manifest, got none`);
    const I = k.shape[0]!;
    if (k.shape.length !== 2 || k.shape[1] !== G * H) err(`${where}: weight "kernel": expected shape (I, ${G * H}), got (${k.shape.join(", ")})`);
    if (r.shape.length !== 2 || r.shape[0] !== H || r.shape[1] !== G * H) err(`${where}: weight "recurrent_kernel": expected shape (${H}, ${G * H}), got (${r.shape.join(", ")})`);
    const perm = gatePermutation(kind.tfjs.gates, kind.gates);   // Keras's gate order → PyTorch's (GRU z,r,h → r,z,n)
    const zerosB = () => new Float32Array(G * H);
    let bih = zerosB(), bhh = zerosB();
    if (c.use_bias !== false) {
      const b = weight(name, "bias") ?? err(`${where}: expected a weight "${name}/bias" in the manifest, got none`);
      // GRU reset_after=true has two biases, (2, 3H) = [b_ih; b_hh]; otherwise one, (G·H).
      const twoBiases = reads(kind, "resetAfter") && resetAfter === true;
      const want = twoBiases ? [2, G * H] : [G * H];
      if (b.shape.join() !== want.join()) err(`${where}: weight "bias": expected shape (${want.join(", ")}), got (${b.shape.join(", ")})`);
      bih = Float32Array.from(Array.from(b.data).slice(0, G * H));
      if (twoBiases) bhh = Float32Array.from(Array.from(b.data).slice(G * H));
    }
    sd[`weight_ih_l${L}`] = { shape: [G * H, I], data: blocks(transpose(k.data, I, G * H), G, perm) };
    sd[`weight_hh_l${L}`] = { shape: [G * H, H], data: blocks(transpose(r.data, H, G * H), G, perm) };
    sd[`bias_ih_l${L}`] = { shape: [G * H], data: blocks(bih, G, perm) };
    sd[`bias_hh_l${L}`] = { shape: [G * H], data: blocks(bhh, G, perm) };
    cell = kind.name as TorchCell; spec = kind; units = H; L++;
    names.push(`${cls}(${H})`);
  }
  if (!cell) err(`${source}: expected at least one SimpleRNN, LSTM or GRU layer, found none`);
  const model = importTorchStateDict(sd, { cell, nonlinearity, outputActivation, source, gateActivation: gate ?? undefined, resetAfter: resetAfter ?? undefined });
  return { model, layers: names };
}
