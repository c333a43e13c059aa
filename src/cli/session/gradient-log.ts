// `recurrent train --log-gradients`: what goes into each metrics.jsonl record's "gradients"
// object, and the state a resume needs to keep those figures as if never stopped.
//   every evaluation:  the global gradient norm before and after clipping (mean, median, max)
//                      and the clip rate over the updates since the previous evaluation
//                      (src/analysis/gradients/clip-log.ts, fed with each trainStep result)
//   every N-th (--log-gradients-every, and at a time limit's final evaluation):
//                      ‖∂L/∂h_t‖ for every t, its ratio, every state's series and the recurrent
//                      spectra on one fixed probe batch (src/analysis/gradients/record.ts)
// The probe is the first batch of an epoch order drawn from its own generator (seed + 104729),
// never the run's Rng, and gradientRecord leaves weights and gradients as they were: logging
// cannot change a run's bits. Not here: the loop (./loop.ts) or the plot (training-chart.ts).
import { Rng } from "../../rand.ts";
import { GradientLog, type GradNormSummary } from "../../analysis/gradients/clip-log.ts";
import { gradientRecord, type GradientRecord } from "../../analysis/gradients/record.ts";
import type { Sequence } from "../../train/sequence.ts";
import type { Batch, StepResult } from "../../train/trainer.ts";
import { copyTargets } from "../../data/batch.ts";
import type { MetricsRecord } from "./metrics-log.ts";
import type { TrainProblem } from "../tasks/problem.ts";

/** The "gradients" object of a metrics record (no clipping figures before the first update). */
export interface GradientsEntry extends Partial<GradientRecord> {
  updates: number;
  clip_events?: number;
  clip_rate?: number;
  norm_before?: GradNormSummary["before"];
  norm_after?: GradNormSummary["after"];
}

/** Saved in the checkpoint: (norm before clipping, clipped 0/1) of each update since the last evaluation. */
export type PendingNorms = Array<[number, number]>;

/**
 * The fixed batch the per-step norms are measured on. startEpoch only sets which batches
 * batch(i) returns, so call this BEFORE the loop's own startEpoch with the run's Rng (a
 * resumed run redraws its epoch's order after this).
 */
export function probeBatch(problem: TrainProblem, seed: number): Batch {
  problem.startEpoch(new Rng(seed + 104729));
  return copyBatch(problem.batch(0));
}

export class TrainingGradients {
  private log: GradientLog;
  /** Scheduled evaluations so far (the run's, over every session). */
  private evaluations: number;

  constructor(private readonly probe: Batch, private readonly opts: { clip: number; every: number }, resumed: { records: readonly MetricsRecord[]; pending?: PendingNorms | null } = { records: [] }) {
    this.log = new GradientLog(opts.clip);
    for (const [gradNorm, clipped] of resumed.pending ?? []) this.log.add({ gradNorm, clipped: clipped === 1 });
    this.evaluations = resumed.records.filter((r) => "val_loss" in r && !r.final && !r.timed).length;
  }

  add(r: StepResult): void { this.log.add(r); }

  /** The figures of the probe batch alone: the record taken before the first update. */
  initial(model: Sequence, spec: { loss: TrainProblem["loss"]; manyToOne: boolean }): GradientsEntry {
    return { updates: 0, ...gradientRecord(model, this.probe, spec) };
  }

  /** The entry of an evaluation; starts the next interval's clipping figures. */
  entry(model: Sequence, spec: { loss: TrainProblem["loss"]; manyToOne: boolean }, scheduled: boolean): GradientsEntry {
    const full = !scheduled || this.evaluations % this.opts.every === 0;
    if (scheduled) this.evaluations++;
    const e: GradientsEntry = { ...this.summary(), ...(full ? gradientRecord(model, this.probe, spec) : {}) };
    this.log = new GradientLog(this.opts.clip);
    return e;
  }

  /** What a checkpoint keeps so a resumed run's next entry covers the same updates. */
  pending(): PendingNorms { return this.log.entries.map((e) => [e.before, e.clipped ? 1 : 0]); }

  private summary(): GradientsEntry {
    const s = this.log.summary();
    const r = (o: { mean: number; median: number; max: number }) => ({ mean: round(o.mean), median: round(o.median), max: round(o.max) });
    return { updates: s.updates, clip_events: s.clipEvents, clip_rate: round(s.clipRate), norm_before: r(s.before), norm_after: r(s.after) };
  }
}

function copyBatch(b: Batch): Batch {
  return {
    x: b.x.slice(), T: b.T, B: b.B, targets: copyTargets(b.targets),
    mask: b.mask ? b.mask.slice() : null,
    lengths: b.lengths ? Array.from(b.lengths) : null,
    teacher: b.teacher ? b.teacher.slice() : null,
  };
}

function round(x: number): number { return Number.isFinite(x) ? Number(x.toPrecision(6)) : x; }
