// Memory a model (and a training run) would need, estimated from its configuration alone, so
// that a size the machine cannot hold is refused in one line naming the size, before anything
// is allocated: not a V8 out-of-memory abort, an "Invalid typed array length" or minutes of
// swapping. Two budgets: `bytes` for the numeric arrays (parameters, gradients, optimiser
// state, activations: typed arrays outside the JS heap) and `heapBytes` for the JS objects
// that grow with the layer count (each layer is a few objects, about 2 KiB; 4 KiB is counted).
//
// Pure (no node: imports): the core's limits are fixed (DEFAULT_LIMITS: 4 GiB of arrays, 1 GiB
// of JS heap, sizes a browser tab can hold); Node sets the machine's own with setMemoryLimits
// (src/node/memory.ts: 3/4 of os.totalmem(), half of V8's heap limit). The figures are
// estimates of the largest buffers only, never an exact account: what they refuse cannot fit.
import { RecurrentError } from "../errors.ts";
import { cellSpec } from "../cells/registry.ts";
import type { ModelConfig } from "./model-config.ts";
import { paramCount } from "./count.ts";

export interface MemoryLimits {
  /** Numeric arrays (parameters, gradients, optimiser state, activations), in bytes. */
  bytes: number;
  /** JS heap for per-layer objects and per-batch lists, in bytes. */
  heapBytes: number;
  /** Where each limit comes from, for messages ("3/4 of this machine's 25.3 GB"). */
  source: string;
  heapSource: string;
}

export const DEFAULT_LIMITS: MemoryLimits = { bytes: 2 ** 32, heapBytes: 2 ** 30, source: "the toolkit's default limit", heapSource: "the toolkit's default limit" };
/** JS heap counted per stacked layer (measured: about 2 KiB of objects). */
export const LAYER_HEAP_BYTES = 4096;
/** The longest typed array an engine is sure to allocate (2^32 − 1 elements). */
const MAX_ARRAY_ELEMENTS = 2 ** 32 - 1;

let limits: MemoryLimits = DEFAULT_LIMITS;

export function setMemoryLimits(l: MemoryLimits): void { limits = { ...l }; }
export function memoryLimits(): MemoryLimits { return limits; }

/** "1.2 GB", "320.0 GB", "8.0 TB". */
export function formatBytes(n: number): string {
  const units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
  let u = 0;
  while (n >= 1000 && u < units.length - 1) { n /= 1000; u++; }
  return u === 0 ? `${n} B` : `${n.toFixed(1)} ${units[u]}`;
}

const count = (n: number) => n.toLocaleString("en-US");
const describe = (c: Required<ModelConfig>) =>
  `${c.cell}, input ${c.input}${c.embedding ? `, embedding ${c.embedding}` : ""}, hidden ${c.hidden}, layers ${c.layers}, output ${c.output}`;

/** Refuses a configuration whose parameters and gradients (2 × P × bytes per element) exceed
 *  the array budget or an array's length limit, or whose layer objects exceed the heap budget. */
export function checkModelMemory(c: Required<ModelConfig>, where: string, bytesPerElement = 4, atLeast = false): void {
  const P = paramCount(c);
  const bytes = 2 * P * bytesPerElement;
  const got = `${atLeast ? "at least " : ""}${count(P)} parameters (${describe(c)})`;
  if (bytes > limits.bytes) throw new RecurrentError(`${where}: expected a model whose weights and gradients fit in ${formatBytes(limits.bytes)} (${limits.source}), got ${got}: ${formatBytes(bytes)}`);
  if (P > MAX_ARRAY_ELEMENTS) throw new RecurrentError(`${where}: expected at most ${count(MAX_ARRAY_ELEMENTS)} parameters (the longest array an engine allocates), got ${got}`);
  const heap = c.layers * LAYER_HEAP_BYTES;
  if (heap > limits.heapBytes) {
    throw new RecurrentError(`${where}.layers: expected at most ${count(Math.floor(limits.heapBytes / LAYER_HEAP_BYTES))} stacked layers (their objects fit in ${formatBytes(limits.heapBytes)} of JS heap: ${limits.heapSource}), got ${count(c.layers)}`);
  }
}

/** Values one step of one sequence keeps per layer for backpropagation (the cache and its
 *  gradient): the cell's own figure (../cells/*.ts, `perStep`). */
function perStep(c: Required<ModelConfig>): number {
  return cellSpec(c.cell).perStep(c);
}

export interface TrainingShape {
  /** B: sequences per batch; T: steps per sequence (the BPTT length). */
  batch: number;
  steps: number;
  /** Arrays of P the optimiser keeps (Adam 2, SGD with momentum 1...). */
  optimizerSlots: number;
}

/** Bytes a training run needs at least: parameters, gradients and optimiser state, plus one
 *  batch's activations and their gradients (T × B × L × per-step values) and inputs and
 *  outputs (T × B × (I + 3·O)). */
export function trainingBytes(c: Required<ModelConfig>, t: TrainingShape, bytesPerElement = 4): number {
  const P = paramCount(c);
  const TB = t.steps * t.batch;
  const io = TB * ((c.embedding > 0 ? 1 : c.input) + 3 * Math.max(c.output, 1));
  const directions = c.bidirectional ? 2 : 1;
  return bytesPerElement * (P * (2 + t.optimizerSlots) + TB * c.layers * directions * perStep(c) + io);
}

/** Refuses a training run whose estimate exceeds the array budget, naming its parts. */
export function checkTrainingMemory(c: Required<ModelConfig>, t: TrainingShape, where: string, bytesPerElement = 4): void {
  checkModelMemory(c, where, bytesPerElement, true);
  const bytes = trainingBytes(c, t, bytesPerElement);
  if (bytes > limits.bytes) {
    throw new RecurrentError(`${where}: expected a training run that fits in ${formatBytes(limits.bytes)} (${limits.source}), got at least ${formatBytes(bytes)} for ${count(paramCount(c))} parameters (${describe(c)}) and batches of ${count(t.batch)} × ${count(t.steps)} steps`);
  }
}

/** Refuses a list of `n` numbers kept on the JS heap (8 bytes each) beyond the heap budget. */
export function checkHeapList(n: number, where: string, what: string): void {
  if (8 * n > limits.heapBytes) {
    throw new RecurrentError(`${where}: expected at most ${count(Math.floor(limits.heapBytes / 8))} (${what} are kept in memory: 8 bytes each within ${formatBytes(limits.heapBytes)} of JS heap: ${limits.heapSource}), got ${count(n)}`);
  }
}
