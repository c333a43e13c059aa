// What the page draws, computed in the worker from the model as it is now, by the library's
// diagnostics: the unrolled network on one probe sequence (statesOverTime, the cells' gate
// caches), ‖∂L/∂state_t‖ over the probe batch (stateGradients), the spectra of the recurrent
// matrices (recurrentSpectra), and the task's output. Parameters and their gradients are left as
// they were: a view never changes training.
import type { Sequence } from "../../../src/train/sequence.ts";
import type { Batch } from "../../../src/train/trainer.ts";
import { statesOverTime, stateGradients, STATE_NAMES } from "../../../src/analysis/gradients/state-grads.ts";
import { recurrentSpectra } from "../../../src/analysis/gradients/spectral.ts";
import type { Column, Grid, Views } from "../protocol.ts";
import type { PageProblem } from "./problem.ts";
import { gateActivations } from "./gates.ts";

/** Row k of a time-major batch, as a batch of one sequence (x, targets, mask, teacher). */
export function rowOf(b: Batch, k: number, manyToOne: boolean): Batch {
  const { T, B } = b;
  const I = b.x.length / (T * B);
  const x = new (b.x.constructor as Float32ArrayConstructor)(T * I);
  for (let t = 0; t < T; t++) x.set(b.x.subarray((t * B + k) * I, (t * B + k + 1) * I), t * I);
  const tg = b.targets as ArrayLike<number> & { subarray(a: number, z: number): ArrayLike<number> };
  const per = manyToOne ? b.targets.length / B : b.targets.length / (T * B);
  const targets = new (b.targets.constructor as Float32ArrayConstructor)(manyToOne ? per : T * per);
  if (manyToOne) targets.set(tg.subarray(k * per, (k + 1) * per));
  else for (let t = 0; t < T; t++) targets.set(tg.subarray((t * B + k) * per, (t * B + k + 1) * per), t * per);
  const mask = b.mask ? Uint8Array.from({ length: T }, (_, t) => b.mask![t * B + k]) : null;
  let teacher = null;
  if (b.teacher) {
    const O = b.teacher.length / (T * B);
    teacher = new (b.teacher.constructor as Float32ArrayConstructor)(T * O);
    for (let t = 0; t < T; t++) teacher.set(b.teacher.subarray((t * B + k) * O, (t * B + k + 1) * O), t * O);
  }
  return { x, T, B: 1, targets, mask, teacher, ...(b.lengths ? { lengths: [b.lengths[k]] } : {}) } as Batch;
}

export interface ViewOptions { row: number; layer: number; temperature: number }

export function computeViews(model: Sequence, problem: PageProblem, step: number, o: ViewOptions): Views {
  const t0 = performance.now();
  const probe = problem.probe;
  const row = Math.max(0, Math.min(o.row, probe.B - 1));
  const layer = Math.max(0, Math.min(o.layer, model.layers.length - 1));
  const one = rowOf(probe, row, problem.manyToOne);
  // The unrolled network: every carried state entering each step, t = 0..T (t = 0: the initial state).
  const over = statesOverTime(model, one);
  const states: Grid[] = [];
  model.layers.forEach((ly, l) => {
    ly.stateSizes.forEach((n, k) => {
      const cols = over.length, values = new Float32Array(n * cols);
      for (let j = 0; j < n; j++) for (let t = 0; t < cols; t++) values[j * cols + t] = over[t][l][k][j];
      states.push({ name: `l${l} ${STATE_NAMES[ly.kind][k]}`, rows: n, cols, values });
    });
  });
  const gates = gateActivations(model, one);
  const g = stateGradients(model, probe, { loss: problem.loss, manyToOne: problem.manyToOne });
  const H = model.config.hidden;
  // Fewer power iterations for big matrices (Gelfand's estimate is then within a few per cent).
  const spectra = recurrentSpectra(model, { iters: H <= 64 ? 1000 : 150 }).map((s) => ({ tensor: s.tensor, block: s.block, spectralRadius: s.spectralRadius, maxSingular: s.maxSingular }));
  const output = problem.outputView(model, row, o.temperature);
  return {
    step, row, layer, states, gates,
    gradients: g.series.map((s) => ({ layer: s.layer, state: s.state, norms: s.norms })),
    probeLoss: g.loss, spectra, output, ms: performance.now() - t0,
  };
}

/** ‖∂L/∂state_t‖ on the probe batch and the recurrent spectra (fewer power iterations): one
 *  column of the heatmap over training, cheap enough to take every few updates. */
export function computeColumn(model: Sequence, problem: PageProblem, step: number): Column {
  const t0 = performance.now();
  const g = stateGradients(model, problem.probe, { loss: problem.loss, manyToOne: problem.manyToOne });
  const spectra = recurrentSpectra(model, { iters: model.config.hidden <= 64 ? 200 : 100 }).map((s) => ({ tensor: s.tensor, block: s.block, spectralRadius: s.spectralRadius, maxSingular: s.maxSingular }));
  return { step, gradients: g.series.map((s) => ({ layer: s.layer, state: s.state, norms: s.norms })), spectra, ms: performance.now() - t0 };
}
