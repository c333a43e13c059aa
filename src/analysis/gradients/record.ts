// One JSON-ready record of a model's gradient flow on a batch: what `recurrent gradients`
// prints and what `recurrent train --log-gradients` can append to metrics.jsonl.
//   norms      ‖∂L/∂h_t‖, t = 0..T−1, of the top layer's first state (h; s for Jordan)
//   series     the same for every layer and state (LSTM's c, Jordan's y)
//   spectra    ρ and σ_max of every recurrent gate block
//   jacobian   ‖∂state_T/∂state_t‖₂ along one sequence (only when asked: N³ per step)
// Numbers are rounded to 6 significant digits to keep log lines short.
import type { Sequence } from "../../train/sequence.ts";
import type { Batch } from "../../train/trainer.ts";
import type { Vec } from "../../tensor/types.ts";
import { jacobianNorms } from "./jacobian.ts";
import { recurrentSpectra, type MatrixSpectrum } from "./spectral.ts";
import { stateGradients, type LossSpec, type StateGradientSeries } from "./state-grads.ts";

export interface GradientRecord {
  T: number; B: number; loss: number;
  norms: number[];
  /** norms[0] / norms[T−1]: how much the gradient shrank (< 1) or grew (> 1) over the lag T − 1. */
  ratio: number;
  series: StateGradientSeries[];
  spectra: MatrixSpectrum[];
  jacobian?: { norms: number[]; blocks: Array<{ layer: number; state: string; norms: number[] }> };
}

export interface RecordOptions { jacobian?: boolean; row?: number; state0?: Vec[][] | null }

/** The diagnostics of one batch. Leaves parameters and parameter gradients unchanged. */
export function gradientRecord(model: Sequence, batch: Batch, spec: LossSpec, opts: RecordOptions = {}): GradientRecord {
  const g = stateGradients(model, batch, spec, { state0: opts.state0 });
  const top = model.layers.length - 1;
  const norms = g.series.find((s) => s.layer === top)!.norms;
  const rec: GradientRecord = {
    T: g.T, B: g.B, loss: round(g.loss),
    norms: norms.map(round),
    ratio: round(norms[0] / norms[norms.length - 1]),
    series: g.series.map((s) => ({ ...s, norms: s.norms.map(round) })),
    spectra: recurrentSpectra(model).map((s) => ({ ...s, spectralRadius: round(s.spectralRadius), maxSingular: round(s.maxSingular) })),
  };
  if (opts.jacobian) {
    const j = jacobianNorms(model, batch, { row: opts.row, state0: opts.state0 });
    rec.jacobian = { norms: j.norms.map(round), blocks: j.blocks.map((b) => ({ layer: b.layer, state: b.state, norms: b.norms.map(round) })) };
  }
  return rec;
}

function round(x: number): number { return Number.isFinite(x) ? Number(x.toPrecision(6)) : x; }
