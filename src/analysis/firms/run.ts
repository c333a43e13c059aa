// The whole analysis for a list of measures on aligned data: similarity matrix, statistics
// and rolling windows per measure, and the JSON summary the CLI prints. Pure (no node:).
//
// Not here: reading files (read.ts) and writing the report (report/report.ts).
import { RecurrentError } from "../../errors.ts";
import type { Aligned } from "./align.ts";
import { analyse, type AnalysisOptions, type MeasureResult } from "./analyse.ts";
import { CLASSICAL, similarity, type ClassicalMeasure } from "./similarity.ts";
import { windowedMeasure } from "./moments.ts";
import { rnnSimilarity, trainRnn, type RnnOptions, RNN_DEFAULTS } from "./rnn.ts";

export const MEASURES = [...CLASSICAL, "rnn"] as const;
export type Measure = (typeof MEASURES)[number];

/** `pearson`, `pearson,rnn` or `all` → a list of measures, or one clear error. */
export function parseMeasures(spec: string): Measure[] {
  if (spec === "all") return [...MEASURES];
  const list = spec.split(",").map((s) => s.trim()).filter(Boolean);
  for (const m of list) {
    if (!(MEASURES as readonly string[]).includes(m)) throw new RecurrentError(`--measure: expected one of ${MEASURES.join("|")}|all (comma-separated), got ${JSON.stringify(m)}`);
  }
  if (list.length === 0) throw new RecurrentError(`--measure: expected one of ${MEASURES.join("|")}|all, got ""`);
  return [...new Set(list)] as Measure[];
}

export interface RunOptions extends AnalysisOptions { rnn?: Partial<RnnOptions>; log?: (line: string) => void }

export function runMeasure(a: Aligned, measure: Measure, opt: RunOptions): MeasureResult {
  const N = a.tickers.length, T = a.dates.length;
  const t0 = performance.now();
  if (measure === "rnn") {
    const ro: RnnOptions = { ...RNN_DEFAULTS, ...opt.rnn };
    if (T < ro.window + 2) throw new RecurrentError(`--measure rnn: expected more than ${ro.window + 1} common days for ${ro.window}-day windows, got ${T}`);
    opt.progress?.("training the RNN"); // the similarity stage of this measure
    const r = trainRnn(a.growth, T, N, ro, opt.progress && ((k, of) => opt.progress!("training the RNN", k, of)));
    const W = r.windowEnds.length;
    const S = rnnSimilarity(r.states, N, r.width, 0, W, ro.embedding);
    // Rolling: the embedding windows that lie inside each rolling window.
    const fn = (d0: number) => {
      let w0 = 0;
      while (w0 < W && r.windowEnds[w0] - ro.window + 1 < d0) w0++;
      let w1 = w0;
      while (w1 < W && r.windowEnds[w1] < d0 + opt.window) w1++;
      return rnnSimilarity(r.states, N, r.width, w0, Math.max(w1, w0 + 1), ro.embedding);
    };
    const info = {
      hidden: ro.hidden, window: ro.window, stride: ro.stride, steps: ro.steps, batch: ro.batch, lr: ro.lr, seed: ro.seed,
      params: r.model.paramCount, train_mse: r.trainLoss, zero_forecast_mse: r.baselineLoss, embedding_windows: W,
    };
    opt.log?.(`rnn: ${r.model.toString()}, ${ro.steps} updates in ${r.seconds.toFixed(1)} s; MSE ${r.trainLoss.toFixed(4)} vs ${r.baselineLoss.toFixed(4)} for a zero forecast`);
    const res = analyse(a, measure, S, info, fn, opt, (performance.now() - t0) / 1000);
    (res.info as Record<string, unknown>).embedding = ro.embedding;
    (res.info as Record<string, unknown>).cell = ro.cell;
    if (ro.bidirectional) (res.info as Record<string, unknown>).bidirectional = true;
    return res;
  }
  const m = measure as ClassicalMeasure;
  opt.progress?.("similarity");
  const { S, info } = similarity(m, a.growth, T, N);
  const seconds = (performance.now() - t0) / 1000;
  const fn = windowedMeasure(m, a.growth, N, opt.window, info.bandwidth_per_day ?? 1);
  return analyse(a, measure, S, info, (d0) => fn(d0), opt, seconds);
}

const round = (x: number, d = 6) => (Number.isFinite(x) ? Number(x.toPrecision(d)) : x);

/** One measure's JSON object (the fields, and more). */
export function measureJson(r: MeasureResult): Record<string, unknown> {
  const s = r.sector;
  return {
    measure: r.measure,
    info: Object.fromEntries(Object.entries(r.info).map(([k, v]) => [k, typeof v === "number" ? round(v) : v])),
    sector: {
      within_mean: round(s.within_mean), between_mean: round(s.between_mean), effect_size: round(s.effect_size),
      p_value: round(s.p_value), permutations: s.permutations,
      knn_accuracy: round(s.knn_accuracy), chance_accuracy: round(s.chance_accuracy), knn_k: r.knn.k,
      knn_p_value: round(r.knn.p_value), majority_rate: round(r.knn.majority_rate),
      ari: round(s.ari), clusters: r.clusters.k, cluster_sizes: r.clusters.sizes,
    },
    market_cap: {
      mantel_r: round(r.market_cap.mantel_r), p_value: round(r.market_cap.p_value), permutations: r.market_cap.permutations,
      quintile_within_mean: r.market_cap.quintiles.mean.map((row, q) => round(row[q])),
    },
    rolling: r.rolling.map((p) => ({ end: p.end, mean: round(p.mean, 4), within: round(p.within, 4), between: round(p.between, 4) })),
    seconds: Object.fromEntries(Object.entries(r.seconds).map(([k, v]) => [k, round(v, 3)])),
  };
}

/** The object `--json` prints: the first measure's fields at the top, every measure in `by_measure`. */
export function summaryJson(a: Aligned, results: MeasureResult[], opt: RunOptions): Record<string, unknown> {
  const per = results.map(measureJson);
  return {
    firms: a.tickers.length, days: a.dates.length, start: a.start, end: a.end,
    first_growth_day: a.dates[0], last_growth_day: a.dates[a.dates.length - 1],
    measure: results.map((r) => r.measure).join(","),
    sector: per[0].sector, market_cap: per[0].market_cap,
    dropped: { firms: a.droppedFirms, days: a.droppedDays.length, price_rows: a.droppedPriceRows },
    seed: opt.seed, permutations: opt.permutations,
    by_measure: per,
  };
}
