// metrics.jsonl in a model directory: one JSON object per line, one line per evaluation
// (step, epoch, seconds, train/val loss and whatever else the task measures). Appending a
// line is as close to atomic as a log gets; a run killed mid-write leaves at most a torn
// last line, which reading skips. On --resume the log is cut back to the checkpoint's step
// (rewritten atomically) so the resumed run's records follow on without duplicates.
//
// An edge module (Node: it writes files), used by the CLI's loop (./loop.ts); the
// browser-safe core (src/train) never imports it.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { writeFileAtomic } from "../../node/files.ts";
import { checkWith } from "../../data/problem.ts";
import type { TrainingGradientPoint } from "../../analysis/gradients/training-chart.ts";

export interface MetricsRecord {
  /** Optimiser steps done when the evaluation ran. */
  step: number;
  epoch: number;
  /** Seconds of training so far. */
  seconds: number;
  train_loss?: number;
  val_loss?: number;
  /** --log-gradients: the gradient-flow figures of this evaluation (./gradient-log.ts). */
  gradients?: TrainingGradientPoint["gradients"];
  /** Nested objects too. */
  [key: string]: number | string | boolean | null | undefined | object;
}

export class MetricsLog {
  constructor(readonly path: string) {}

  append(record: MetricsRecord): void {
    checkWith(Number.isFinite(record.step) && Number.isFinite(record.epoch), "metrics record", "numeric step and epoch", `${record.step}, ${record.epoch}`);
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, JSON.stringify(record, finiteOrNull) + "\n");
  }

  /** Every complete record (a torn or unparsable line is skipped). [] if no file yet. */
  read(): MetricsRecord[] {
    if (!existsSync(this.path)) return [];
    return parseMetrics(readFileSync(this.path, "utf8"));
  }

  /** Keeps the records with step ≤ `step` (the checkpoint a run resumes from). */
  truncateAfter(step: number): MetricsRecord[] {
    const kept = this.read().filter((r) => r.step <= step);
    writeFileAtomic(this.path, kept.map((r) => JSON.stringify(r, finiteOrNull) + "\n").join(""));
    return kept;
  }
}

/** Parses metrics.jsonl text; lines that are not complete JSON objects are skipped. */
export function parseMetrics(text: string): MetricsRecord[] {
  const out: MetricsRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line);
      if (r && typeof r === "object" && typeof r.step === "number") out.push(r);
    } catch { /* a torn last line from a killed run */ }
  }
  return out;
}

/** JSON has no NaN/Infinity: a diverged loss is written as null rather than breaking the line. */
function finiteOrNull(_key: string, v: unknown): unknown {
  return typeof v === "number" && !Number.isFinite(v) ? null : v;
}
