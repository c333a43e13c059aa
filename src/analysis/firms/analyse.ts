// One measure's full answer to "does similarity go with sector and size?": the sector
// permutation test, leave-one-out kNN, average-linkage clustering into as many clusters as
// sectors with the adjusted Rand index, the Mantel test against |Δ log market cap|, the size
// quintile table and the rolling-window series. Pure computation; the report and the CLI
// format it. Each test draws from its own Rng seeded from `seed`, so results do not depend
// on which tests ran before.
import { Rng } from "../../rand.ts";
import type { Aligned } from "./align.ts";
import { codes, sectorBlocks, sectorTest, type SectorTest } from "./stats/sector.ts";
import { knnTest, type KnnResult } from "./stats/knn.ts";
import { averageLinkage, cutTree, type Merge } from "./stats/cluster.ts";
import { adjustedRand } from "./stats/ari.ts";
import { mantel, quintileTable, type MantelResult } from "./stats/mantel.ts";
import { rolling, type WindowFn, type RollingPoint } from "./rolling.ts";

export interface AnalysisOptions {
  permutations: number;      // for every permutation test (>= 10,000 for the report)
  seed: number;
  k: number;                 // kNN neighbours
  window: number; step: number;  // rolling windows, in common trading days
  rollingEnabled?: boolean;
  /** Told each stage as it starts ("sector test", ...), and the steps within long ones
   * ("rolling windows", 12, 110): for a progress display. Results never depend on it. */
  progress?: (stage: string, done?: number, of?: number) => void;
}

/** The stages of analyse(), in order, after the similarity itself (for progress totals). */
export const ANALYSIS_STAGES = ["sector test", "kNN", "clustering", "Mantel test", "rolling windows"] as const;

export interface MeasureResult {
  measure: string;
  info: Record<string, number>;
  sector: SectorTest & { knn_accuracy: number; chance_accuracy: number; ari: number };
  knn: KnnResult;
  clusters: { k: number; sizes: number[] };
  sectorNames: string[];                 // (K) alphabetical; `label` codes index this
  label: Int32Array;                     // (N)
  blocks: Float64Array;                  // (K, K) mean similarity within/between sectors
  market_cap: MantelResult & { quintiles: ReturnType<typeof quintileTable> };
  rolling: RollingPoint[];
  merges: Merge[];
  S: Float64Array;                       // (N, N)
  seconds: Record<string, number>;
}

/** Sector codes in alphabetical order of sector names (stable across runs and measures). */
export function sectorCodes(sectors: string[]): { label: Int32Array; names: string[] } {
  const names = [...new Set(sectors)].sort();
  const { code } = codes(names);
  const id = new Map(names.map((n, i) => [n, code[i]]));
  return { label: Int32Array.from(sectors, (s) => id.get(s)!), names };
}

export function analyse(a: Aligned, measure: string, S: Float64Array, info: Record<string, number>, fn: WindowFn | null, opt: AnalysisOptions, computeSeconds = 0): MeasureResult {
  const N = a.tickers.length;
  const { label, names } = sectorCodes(a.sectors);
  const K = names.length;
  const seconds: Record<string, number> = { similarity: computeSeconds };
  const time = <T>(name: string, f: () => T): T => { const t0 = performance.now(); const r = f(); seconds[name] = (performance.now() - t0) / 1000; return r; };
  const stage = (name: (typeof ANALYSIS_STAGES)[number]) => opt.progress?.(name);

  stage("sector test");
  const sec = time("sector_test", () => sectorTest(S, N, label, opt.permutations, new Rng(opt.seed)));
  stage("kNN");
  const knn = time("knn", () => knnTest(S, N, label, opt.k, opt.permutations, new Rng(opt.seed + 1)));
  stage("clustering");
  const merges = time("clustering", () => averageLinkage(S, N));
  const clusters = cutTree(merges, N, Math.min(K, N));
  const ari = adjustedRand(clusters, label);
  const sizes = new Array<number>(Math.min(K, N)).fill(0);
  for (const c of clusters) sizes[c]++;
  const logCap = Float64Array.from(a.marketCap, Math.log);
  stage("Mantel test");
  const mt = time("mantel", () => mantel(S, N, logCap, opt.permutations, new Rng(opt.seed + 2)));
  const quint = quintileTable(S, N, a.marketCap);
  stage("rolling windows");
  const onWindow = opt.progress && ((k: number, of: number) => opt.progress!("rolling windows", k, of));
  const roll = fn && opt.rollingEnabled !== false ? time("rolling", () => rolling(a.dates, N, label, fn, opt.window, opt.step, onWindow)) : [];
  return {
    measure, info,
    sector: { ...sec, knn_accuracy: knn.accuracy, chance_accuracy: knn.chance_accuracy, ari },
    knn, clusters: { k: sizes.length, sizes: sizes.sort((x, y) => y - x) },
    sectorNames: names, label,
    blocks: sectorBlocks(S, N, label, K).mean,
    market_cap: { ...mt, quintiles: quint },
    rolling: roll, merges, S, seconds,
  };
}
