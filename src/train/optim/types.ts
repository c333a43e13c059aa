// The interface every optimiser implements, and the shape of its saved state.
// Optimisers work on ONE flat parameter array and a gradient array in the same layout
// (STYLE.md §3): they know nothing about cells, tensors' names or shapes.
// This file holds types and the shared argument checks only, no update rule.

import type { Vec } from "../../tensor/types.ts";
import { check, RecurrentError } from "../../errors.ts";

export const OPTIMIZER_NAMES = ["sgd", "adam", "adamw", "rmsprop", "adagrad"] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Hyperparameters: numbers and flags only, so that they serialise to JSON as they are. */
export type OptionValues = Record<string, number | boolean>;

/**
 * Everything needed to resume: the name and hyperparameters, scalar counters (the step
 * count t) and the per-parameter buffers (moments, momentum), each of length P
 * (P = number of parameters) in the precision of the parameters. Buffers not yet
 * created (no step taken) are absent.
 */
export interface OptimizerState {
  name: OptimizerName;
  options: OptionValues;
  scalars: Record<string, number>;
  tensors: Record<string, Vec>;
}

export interface Optimizer {
  readonly name: OptimizerName;
  readonly options: Readonly<OptionValues>;
  /**
   * One update in place: params (P) -= f(grads (P), state). `lr` overrides the
   * configured learning rate for this step (that is how schedules plug in).
   */
  step(params: Vec, grads: Vec, lr?: number): void;
  /** A deep copy of the state: later steps do not change it. */
  state(): OptimizerState;
  /** Replaces the state by a copy of `s` (the same optimiser, same P). */
  loadState(s: OptimizerState): void;
}

/** Checks one step's arguments; returns the learning rate to use. */
export function checkStep(where: string, params: Vec, grads: Vec, lr: number | undefined, defaultLr: number, state: Vec | null): number {
  check(params instanceof Float32Array || params instanceof Float64Array, `${where}: params`, "a Float32Array or Float64Array", params);
  check(grads instanceof Float32Array || grads instanceof Float64Array, `${where}: grads`, "a Float32Array or Float64Array", grads);
  check(grads.length === params.length, `${where}: grads`, `length ${params.length} (the length of params)`, grads.length);
  if (state !== null) {
    // The state must match the parameters in size and precision, or a resumed run would
    // not equal an uninterrupted one.
    check(params.length === state.length, `${where}: params`, `length ${state.length} (as in earlier steps / the loaded state)`, params.length);
    check(params.constructor === state.constructor, `${where}: params`, `a ${state.constructor.name} (the precision of the optimiser state)`, params);
  }
  if (lr === undefined) return defaultLr;
  checkSafe(typeof lr === "number" && Number.isFinite(lr) && lr >= 0, `${where}: lr`, "a finite number >= 0", lr);
  return lr;
}

/**
 * Checks a state handed to loadState against this optimiser and returns its buffers
 * (copied, in the precision given) and its step count.
 */
export function checkLoadedState(where: string, s: OptimizerState, name: OptimizerName, bufferNames: readonly string[]): { t: number; buffers: Record<string, Vec>; p: number | null } {
  checkSafe(typeof s === "object" && s !== null, `${where}: state`, "an object {name, options, scalars, tensors}", s);
  checkSafe(s.name === name, `${where}: state.name`, JSON.stringify(name), s.name);
  const t = s.scalars?.step;
  checkSafe(typeof t === "number" && Number.isInteger(t) && t >= 0, `${where}: state.scalars.step`, "an integer >= 0", t);
  const tensors = s.tensors ?? {};
  for (const key of Object.keys(tensors)) {
    checkSafe(bufferNames.includes(key), `${where}: state.tensors`, `only ${bufferNames.join(", ") || "(none)"}`, key);
  }
  const buffers: Record<string, Vec> = {};
  let p: number | null = null;
  for (const key of bufferNames) {
    const v = tensors[key];
    if (v === undefined) continue;
    checkSafe(v instanceof Float32Array || v instanceof Float64Array, `${where}: state.tensors.${key}`, "a Float32Array or Float64Array", v);
    if (p === null) p = v.length;
    check(v.length === p, `${where}: state.tensors.${key}`, `length ${p} (like the other buffers)`, v.length);
    buffers[key] = v.slice();
  }
  return { t, buffers, p };
}

/** What loadState() restores, checked once (checkLoadedState): the step count and each named
 *  buffer, a copy, or null when the state has none yet. */
export function loadedState<K extends string>(o: Pick<Optimizer, "name">, s: OptimizerState, names: readonly K[]): { t: number; buffers: Record<K, Vec | null> } {
  const { t, buffers } = checkLoadedState(`${o.name}.loadState`, s, o.name, names);
  return { t, buffers: Object.fromEntries(names.map((k) => [k, buffers[k] ?? null])) as Record<K, Vec | null> };
}

/** What state() returns, laid out once: the name, a copy of the options, the step count t and
 *  copies of the buffers made so far. */
export function stateOf(o: Pick<Optimizer, "name" | "options">, t: number, buffers: Record<string, Vec | null>): OptimizerState {
  return { name: o.name, options: { ...o.options }, scalars: { step: t }, tensors: copyBuffers(buffers) };
}

/** Copies buffers for state(). */
export function copyBuffers(b: Record<string, Vec | null>): Record<string, Vec> {
  const out: Record<string, Vec> = {};
  for (const [k, v] of Object.entries(b)) if (v) out[k] = v.slice();
  return out;
}

/**
 * Like `check`, but words `got` without trusting it: states and options may come from a
 * file, and a deeply nested value must give a one-line error, not a stack overflow.
 */
export function checkSafe(cond: boolean, where: string, expected: string, got: unknown): asserts cond {
  if (!cond) throw new RecurrentError(`${where}: expected ${expected}, got ${describeValue(got)}`);
}

/** A short, non-recursive description of any value. */
export function describeValue(x: unknown): string {
  if (typeof x === "string") return JSON.stringify(x.length > 60 ? `${x.slice(0, 60)}…` : x);
  if (ArrayBuffer.isView(x)) return `${x.constructor.name}(${"length" in x ? x.length : undefined})`;   // a typed array's length (a DataView has none)
  if (Array.isArray(x)) return x.length <= 8 && x.every((v) => typeof v === "number") ? `[${x.join(",")}]` : `an array of ${x.length} items`;
  if (typeof x === "object" && x !== null) return "an object";
  return String(x);
}
