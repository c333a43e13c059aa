// One-line summaries of prepared data for the CLI's start-of-run message and --json output,
// so every run states what it trained on: sizes, splits and the defaults it picked.
// Pure (no node: imports).
import type { TextData } from "./prepare-text.ts";
import type { ForecastData } from "./prepare-forecast.ts";
import type { ClassifyData } from "./prepare-classify.ts";

export function describeText(d: TextData, source: string): string {
  const unit = d.vocab.kind === "char" ? "characters" : "tokens";
  const test = d.test.length ? `, test ${d.test.length.toLocaleString("en-US")}` : "";
  const skipped = d.skipped ? ` (${d.skipped} characters outside the vocabulary skipped)` : "";
  return `${source}: ${d.vocab.kind} vocabulary of ${d.vocab.size}; train ${d.train.length.toLocaleString("en-US")} ${unit}, validation ${d.val.length.toLocaleString("en-US")}${test}${skipped}`;
}

export function describeForecast(d: ForecastData): string {
  const c = d.config, b = d.bounds;
  const features = c.features.length ? ` with features ${c.features.join(", ")}` : "";
  const fill = d.series.filled ? `, ${d.series.filled} rows filled forward` : d.series.dropped ? `, ${d.series.dropped} rows dropped` : "";
  const windows = `${d.train.starts.length}/${d.val.starts.length}/${d.test?.starts.length ?? 0}`;
  return `${d.series.source}: ${d.series.n} ${c.frequency === "unknown" ? "" : c.frequency + " "}steps of ${c.target}${features}${fill}; `
    + `window ${c.window}, horizon ${c.horizon}, season ${c.season}${c.relative ? ", relative to the last value" : ""}; `
    + `split by time ${b.trainEnd}/${b.valEnd - b.trainEnd}/${b.n - b.valEnd} steps, ${windows} windows (train/val/test); scaler fitted on the training part`;
}

export function describeClassify(d: ClassifyData): string {
  const count = (idx: number[]) => d.labels.labels.map((l, k) => `${l}: ${idx.filter((i) => d.sequences[i].label === k).length}`).join(", ");
  const lengths = d.sequences.map((s) => s.length);
  return `${d.sequences.length} sequences of ${d.features.length} features, lengths ${Math.min(...lengths)}–${Math.max(...lengths)}; `
    + `train ${d.split.train.length} (${count(d.split.train)}), validation ${d.split.val.length} (${count(d.split.val)})`
    + (d.split.test.length ? `, test ${d.split.test.length} (${count(d.split.test)})` : "");
}
