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
import { RecurrentError } from "../errors.ts";
import type { Sequence } from "../model/sequence.ts";
import { importTorchStateDict, type InTensor, type TorchCell } from "./pytorch.ts";

interface LayerJson { class_name: string; name?: string; config: Record<string, unknown> }
interface WeightSpec { name: string; shape: number[]; dtype: string; quantization?: unknown }
interface ManifestGroup { paths: string[]; weights: WeightSpec[] }

const KINDS: Record<string, TorchCell> = { SimpleRNN: "elman", LSTM: "lstm", GRU: "gru" };
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
  const t = topology as { model_config?: unknown; class_name?: string; config?: unknown } | null;
  const top = (t?.model_config ?? t) as { class_name?: string; config?: { layers?: LayerJson[] } | LayerJson[] } | null;
  const layers = Array.isArray(top?.config) ? top.config : top?.config?.layers;
  if (!Array.isArray(layers)) err(`${src}: modelTopology: expected a Sequential or Model with config.layers, got ${JSON.stringify(top?.class_name ?? typeof topology)}`);
  let prev: string | null = null;
  for (const l of layers) {
    const inbound = (l as { inbound_nodes?: unknown[][] }).inbound_nodes;
    if (prev && Array.isArray(inbound) && inbound.length) {
      const from = (inbound[0] as unknown[]).map((n) => (n as unknown[])[0]);
      if (from.length !== 1 || from[0] !== prev) err(`${src}: layer "${l.name ?? l.config.name}": expected a chain (input from "${prev}"), got inputs ${JSON.stringify(from)}`);
    }
    prev = String(l.name ?? l.config.name);
  }
  return layers;
}

export interface TfjsImport { model: Sequence; layers: string[] }

/**
 * Converts a tfjs layers-model. `modelJson` is the parsed model.json; `readWeights(path)` returns
 * the bytes of one weights file named in its manifest.
 */
export function importTfjsModel(modelJson: unknown, readWeights: (path: string) => Uint8Array, source = "model.json"): TfjsImport {
  const mj = modelJson as { modelTopology?: unknown; weightsManifest?: ManifestGroup[]; format?: string };
  if (!mj || typeof mj !== "object" || !mj.modelTopology) err(`${source}: expected a tfjs layers-model (model.json with "modelTopology"), got ${mj && typeof mj === "object" ? `keys ${Object.keys(mj).join(", ")}` : typeof mj}`);
  if (mj.format && mj.format !== "layers-model") err(`${source}: format: expected "layers-model", got ${JSON.stringify(mj.format)} (graph models have no layers to import)`);
  const manifest = mj.weightsManifest ?? err(`${source}: missing "weightsManifest"`);

  // Weights: every group's files concatenated, specs in order.
  const weights = new Map<string, InTensor>();
  for (const group of manifest) {
    const parts = group.paths.map((p) => readWeights(p));
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let off = 0;
    for (const p of parts) { all.set(p, off); off += p.length; }
    let pos = 0;
    for (const w of group.weights) {
      if (w.quantization) err(`${source}: weight "${w.name}": quantized weights are not supported`);
      if (w.dtype !== "float32") err(`${source}: weight "${w.name}": expected dtype float32, got ${w.dtype}`);
      const n = w.shape.reduce((a, b) => a * b, 1);
      if (pos + 4 * n > all.length) err(`${source}: weight "${w.name}": the weight files end at byte ${all.length}, need ${pos + 4 * n}`);
      const data = new Float32Array(all.slice(pos, pos + 4 * n).buffer); // copy: aligned
      weights.set(w.name, { shape: w.shape, data });
      pos += 4 * n;
    }
    if (pos !== all.length) err(`${source}: weights group ${group.paths.join("+")}: ${all.length - pos} bytes left over after the listed weights`);
  }
  const weight = (layer: string, key: string): InTensor | undefined => {
    for (const [name, t] of weights) {
      const parts = name.replace(/:\d+$/, "").split("/");
      if (parts[0] === layer && parts[parts.length - 1] === key) return t;
    }
    return undefined;
  };

  let cell: TorchCell | null = null;
  let units = 0, L = 0;
  let nonlinearity: "tanh" | "relu" | "sigmoid" = "tanh";
  let gate: "sigmoid" | "hard_sigmoid" | null = null;
  let resetAfter: boolean | null = null;
  let outputActivation: "linear" | "softmax" | "sigmoid" = "linear";
  let headSeen = false;
  const sd: Record<string, InTensor> = {};
  const names: string[] = [];
  for (const layer of layersOf(mj.modelTopology, source)) {
    const cls = layer.class_name, c = layer.config, name = String(layer.name ?? c.name);
    const where = `${source}: layer "${name}" (${cls})`;
    if (SKIPPED.has(cls) || (cls === "Activation" && c.activation === "linear")) continue;
    if (headSeen) err(`${where}: expected nothing after the Dense head`);
    if (cls === "Dense") {
      if (!cell) err(`${where}: expected a recurrent layer before the Dense head`);
      const act = String(c.activation ?? "linear");
      if (!["linear", "softmax", "sigmoid"].includes(act)) err(`${where}: activation: expected linear|softmax|sigmoid, got ${JSON.stringify(act)}`);
      outputActivation = act as typeof outputActivation;
      const k = weight(name, "kernel") ?? err(`${where}: missing weight "${name}/kernel"`);
      const [Hk, O] = k.shape as [number, number];
      sd["head.weight"] = { shape: [O, Hk], data: transpose(k.data, Hk, O) };
      sd["head.bias"] = c.use_bias === false ? { shape: [O], data: new Float32Array(O) } : weight(name, "bias") ?? err(`${where}: missing weight "${name}/bias"`);
      headSeen = true;
      names.push(`${cls}(${O}, ${act})`);
      continue;
    }
    const kind = KINDS[cls] ?? err(`${where}: unsupported layer; expected SimpleRNN, LSTM, GRU, Dense (or InputLayer, Dropout)`);
    if (cell && kind !== cell) err(`${where}: expected every recurrent layer to be ${cell === "elman" ? "SimpleRNN" : cell.toUpperCase()} (one cell type per model), got ${cls}`);
    const H = Number(c.units);
    if (units && H !== units) err(`${where}: units: expected ${units} like the layer below (one hidden size per model), got ${H}`);
    if (c.go_backwards) err(`${where}: go_backwards: true is not supported`);
    const act = String(c.activation ?? "tanh");
    if (kind === "elman") {
      if (!["tanh", "relu", "sigmoid"].includes(act)) err(`${where}: activation: expected tanh|relu|sigmoid, got ${JSON.stringify(act)}`);
      if (L > 0 && act !== nonlinearity) err(`${where}: activation: expected ${nonlinearity} like the layer below, got ${act}`);
      nonlinearity = act as typeof nonlinearity;
    } else {
      if (act !== "tanh") err(`${where}: activation: expected tanh (the toolkit's ${cls} cell), got ${JSON.stringify(act)}`);
      const ra = String(c.recurrent_activation ?? "hard_sigmoid");
      if (ra !== "sigmoid" && ra !== "hard_sigmoid") err(`${where}: recurrent_activation: expected sigmoid|hard_sigmoid, got ${JSON.stringify(ra)}`);
      if (gate && ra !== gate) err(`${where}: recurrent_activation: expected ${gate} like the layer below (one gate activation per model), got ${ra}`);
      gate = ra;
    }
    if (kind === "gru") {
      const after = c.reset_after === true;
      if (resetAfter !== null && after !== resetAfter) err(`${where}: reset_after: expected ${resetAfter} like the layer below, got ${after}`);
      resetAfter = after;
    }
    const G = kind === "lstm" ? 4 : kind === "gru" ? 3 : 1;
    const k = weight(name, "kernel") ?? err(`${where}: missing weight "${name}/kernel"`);
    const r = weight(name, "recurrent_kernel") ?? err(`${where}: missing weight "${name}/recurrent_kernel"`);
    const I = k.shape[0]!;
    if (k.shape.length !== 2 || k.shape[1] !== G * H) err(`${where}: weight "kernel": expected shape (I, ${G * H}), got (${k.shape.join(", ")})`);
    if (r.shape.length !== 2 || r.shape[0] !== H || r.shape[1] !== G * H) err(`${where}: weight "recurrent_kernel": expected shape (${H}, ${G * H}), got (${r.shape.join(", ")})`);
    const perm = kind === "gru" ? [1, 0, 2] : Array.from({ length: G }, (_, i) => i); // GRU z,r,h → r,z,n
    const zerosB = () => new Float32Array(G * H);
    let bih = zerosB(), bhh = zerosB();
    if (c.use_bias !== false) {
      const b = weight(name, "bias") ?? err(`${where}: missing weight "${name}/bias"`);
      // GRU reset_after=true has two biases, (2, 3H) = [b_ih; b_hh]; otherwise one, (G·H).
      const want = kind === "gru" && resetAfter ? [2, G * H] : [G * H];
      if (b.shape.join() !== want.join()) err(`${where}: weight "bias": expected shape (${want.join(", ")}), got (${b.shape.join(", ")})`);
      bih = Float32Array.from(Array.from(b.data).slice(0, G * H));
      if (kind === "gru" && resetAfter) bhh = Float32Array.from(Array.from(b.data).slice(G * H));
    }
    sd[`weight_ih_l${L}`] = { shape: [G * H, I], data: blocks(transpose(k.data, I, G * H), G, perm) };
    sd[`weight_hh_l${L}`] = { shape: [G * H, H], data: blocks(transpose(r.data, H, G * H), G, perm) };
    sd[`bias_ih_l${L}`] = { shape: [G * H], data: blocks(bih, G, perm) };
    sd[`bias_hh_l${L}`] = { shape: [G * H], data: blocks(bhh, G, perm) };
    cell = kind; units = H; L++;
    names.push(`${cls}(${H})`);
  }
  if (!cell) err(`${source}: expected at least one SimpleRNN, LSTM or GRU layer, found none`);
  const model = importTorchStateDict(sd, { cell, nonlinearity, outputActivation, source, gateActivation: gate ?? undefined, resetAfter: resetAfter ?? undefined });
  return { model, layers: names };
}
