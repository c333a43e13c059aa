// docs/performance.md's "Where the time goes in each missed target": for every speed target of
// issue 17 that the speed run missed, the profile of that step (bench/profile.ts rows: CPU ms
// by part, one thread) and what would close the gap, by the rules in `diagnose` below. Pure:
// the caller passes one speed run's rows and the profile rows.
//
// The profile runs one thread on CPU time; the ratio it is set against is the speed run's best
// (usually two threads). Its shares are applied to that ratio as they are: the second core
// splits the same work, so the shares move little, and the "×2 ÷ ×1" column says how much the
// second core gave.

import { CONFIGS, flopsPerToken, type Cell, type Mode } from "./configs.ts";
import { best, fmtRate, groups, mdTable, oursOver, speedFloor, type Group, type Meta, type SpeedRow } from "./report-tables.ts";

/** One row of bench/profile.ts --json. */
export interface ProfileRow extends Meta {
  kind: "profile"; config: string; cell: Cell; mode: Mode; threads: number; steps: number; backend: string;
  ms: { forward_gemm: number; forward_rest: number; loss: number; backward_gemm: number; backward_rest: number; optimiser: number };
  total_ms: number; tokens_per_cpu_s: number; gemm_gflops: number;
  gemm: Array<{ role: string; op: string; calls: number; ms: number; gflops: number }>;
  /** The same steps on the bench's path (whole-sequence jobs, GEMMs untimed). */
  bench_path: { total_ms: number };
}

/** f32x4 GEMM ceiling a core here, GFLOP/s: ≈ 16 flops a cycle (../shared/BENCHMARKS.md). A
 *  stated figure, not one of the rows. */
export const SIMD_CEILING = 55;
/** GEMMs at 80 % of the ceiling or more count as at it: the profile's timing is that coarse. */
const AT_CEILING = 0.8;
/** A second core that adds less than this is a finding of its own. */
const POOR_SCALING = 1.5;

const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
const x2 = (x: number) => `${x.toFixed(2)}×`;

export interface Diagnosis {
  gemm: number; rest: number; loss: number; optimiser: number;
  /** The GEMMs of C1's one-hot input (its projection and weight gradient): a gather and a scatter-add would do. */
  oneHot: number;
  /** ours ÷ best PyTorch if only the GEMMs were left, each at least at the ceiling. */
  bound: number;
  close: string;
}

/** Shares of the step and the rule that says what would close the gap to `floor`. */
export function diagnose(ratio: number, floor: number, scaling: number | null, p: ProfileRow): Diagnosis {
  const t = p.total_ms, gemmMs = p.ms.forward_gemm + p.ms.backward_gemm;
  const gemm = gemmMs / t, rest = (p.ms.forward_rest + p.ms.backward_rest) / t, loss = p.ms.loss / t, optimiser = p.ms.optimiser / t;
  const cfg = CONFIGS.find((c) => c.name === p.config)!;
  // One-hot input: the forward's input projection (K = I) and its weight gradient (N = I).
  const oneHotMs = !cfg.oneHot ? 0 : p.gemm.filter((g) => {
    const [M, N, K] = g.op.split(" ")[1].split("×").map(Number);
    return (g.role.includes("input projection") && K === cfg.input) || (g.role.includes("weight gradients") && N === cfg.input && M !== cfg.output);
  }).reduce((a, g) => a + g.ms, 0);
  const atCeiling = (ms: number) => ms * Math.min(1, p.gemm_gflops / SIMD_CEILING);
  const bound = ratio * t / atCeiling(gemmMs);
  const need = 1 - ratio / floor;   // the share of the step that must go, at the same GEMM speed
  const why: string[] = [];
  if (bound < floor) {
    why.push(`GEMM-bound: GEMMs alone at the ceiling give ${x2(bound)} < ${x2(floor)}; needs wider SIMD than WebAssembly's 128 bits (PyTorch's AVX-512 kernels are 4× wider)`);
    if (oneHotMs > 0) {
      const b2 = ratio * t / atCeiling(gemmMs - oneHotMs);
      why.push(`or fewer FLOPs: the one-hot input's GEMMs (${pct(oneHotMs / t)}) as a gather and a scatter-add lift the bound to ${x2(b2)}${b2 < floor ? ", still short" : ""}`);
    }
  } else if (p.gemm_gflops < AT_CEILING * SIMD_CEILING) {
    why.push(`GEMMs at ${p.gemm_gflops.toFixed(1)} of ${SIMD_CEILING} GFLOP/s at these small shapes: a kernel for them, and fusing the ${pct(1 - gemm)} outside them (${pct(need)} of the step must go)`);
  } else if (need <= 0.5 * (1 - gemm)) {
    why.push(`overhead: ${pct(need)} of the step must go, of the ${pct(1 - gemm)} outside the GEMMs: fuse the gate, bias and head work`);
  } else {
    why.push(`mostly GEMM: ${pct(need)} of the step must go but only ${pct(1 - gemm)} is outside the GEMMs, so fusion alone barely reaches it; wider SIMD than WebAssembly's 128 bits would`);
  }
  // ratio is ours at its best thread count; with the same one thread, a second core adding
  // scaling · floor / ratio would close the gap alone.
  if (scaling !== null && scaling < POOR_SCALING) why.push(`and the second core adds only ${x2(scaling)}; ${x2(scaling * floor / ratio)} would close it alone`);
  // The profile's per-step loop is slower than the bench's whole-sequence jobs where steps are small.
  const over = t / p.bench_path.total_ms - 1;
  const note = over > 0.1 ? `. The profiled loop takes ${pct(over)} more than the bench path, so it overstates the work outside the GEMMs` : "";
  return { gemm, rest, loss, optimiser, oneHot: oneHotMs / t, bound, close: why.join("; ") + note };
}

/** ours' best (over threads) ÷ ours on one thread, or null. */
function scalingOf(g: Group): number | null {
  const one = g.rows.find((r) => r.tool === "recurrent" && r.threads === 1), b = best(g, "recurrent");
  return one && b && b !== one ? b.tokens_per_s / one.tokens_per_s : null;
}

/** The largest GEMM role of a profile and its share of the step. */
function largestGemm(p: ProfileRow): string {
  const byRole = new Map<string, number>();
  for (const g of p.gemm) byRole.set(g.role, (byRole.get(g.role) ?? 0) + g.ms);
  const [role, ms] = [...byRole].sort((a, b) => b[1] - a[1])[0] ?? ["–", 0];
  return `${role} ${pct(ms / p.total_ms)}`;
}

export function missedTargetsTable(speed: SpeedRow[], profiles: ProfileRow[]): string {
  const body: string[][] = [];
  for (const g of groups(speed)) {
    const ratio = oursOver(g, "pytorch"), floor = speedFloor(g.config, g.mode);
    if (ratio === null || ratio >= floor) continue;
    const what = `${g.config} ${g.cell} ${g.mode} ≥ ${floor.toFixed(1)}×`, scaling = scalingOf(g);
    const p = profiles.find((r) => r.config === g.config && r.cell === g.cell && r.mode === g.mode);
    if (!p) { body.push([what, x2(ratio), scaling === null ? "" : x2(scaling), "no profile rows", "", "", "", "", "", "", "", ""]); continue; }
    const d = diagnose(ratio, floor, scaling, p), train = g.mode === "train";
    body.push([what, x2(ratio), scaling === null ? "" : x2(scaling), `${p.total_ms.toFixed(1)} (${p.bench_path.total_ms.toFixed(1)})`,
      pct(d.gemm), `${p.gemm_gflops.toFixed(1)} (${pct(p.gemm_gflops / SIMD_CEILING)})`, largestGemm(p), pct(d.rest),
      train ? pct(d.loss) : "–", train ? pct(d.optimiser) : "–", x2(d.bound), d.close]);
  }
  return mdTable(["target", "this run", "ours ×2 ÷ ×1", "profile ms/step (bench path)", "GEMM", `GEMM GFLOP/s (of ${SIMD_CEILING})`, "largest GEMM",
    "gates & rest", "loss", "Adam", "bound: GEMMs only", "what would close it"], body);
}

/** Where the profile rows came from: the command, when, commit, load. */
export function profileProvenance(rows: ProfileRow[]): string {
  if (!rows.length) return "No profile rows.";
  const loads = rows.map((r) => r.loadavg[0]), days = rows.map((r) => r.date).sort();
  const at = (d: string) => d.replace("T", " ").replace(/:\d\d\.\d+Z$/, " UTC");
  const m = rows[0];
  return `\`node --import tsx bench/profile.ts --config … --cell … --mode … --json …\`, one process per (config, cell), ${rows.length} rows written ${at(days[0])} – ${at(days.at(-1)!)}; ` +
    `commit ${m.commit.slice(0, 10)}${m.dirty ? " with uncommitted changes in the tree" : ""}; ${m.cores} × ${m.cpu}, Node ${m.node}; ${m.backend}, one thread, CPU time; ` +
    `1-minute load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}.`;
}

/** FMA peaks a core on this CPU, GFLOP/s (../shared/BENCHMARKS.md, stated, not measured here). */
export const AVX2_PEAK = 110, AVX512_PEAK = 220;

/** Is onnxruntime's C1 LSTM rate real? Its one-thread rows' GFLOP/s of CPU time against the
 *  peaks of AVX2 and AVX-512: above the first, it cannot be running AVX2 kernels. */
export function onnxNote(speed: SpeedRow[]): string {
  const gf = (r: SpeedRow, rate: number) => rate * flopsPerToken(CONFIGS.find((c) => c.name === r.config)!, r.cell, r.mode) / 1e9;
  const ort = speed.filter((r) => r.tool === "onnxruntime" && r.cell === "lstm" && r.config !== "C2");
  const one = ort.filter((r) => r.threads === 1), c1 = ort.filter((r) => r.config === "C1");
  const c1best = c1.sort((a, b) => b.tokens_per_s - a.tokens_per_s)[0], c1one = one.find((r) => r.config === "C1");
  if (!c1best || !c1one || !one.length) return "No onnxruntime LSTM rows in this run.";
  const cpu = one.map((r) => gf(r, r.cpu_tokens_per_s));
  return `onnxruntime's C1 LSTM inference at ${fmtRate(c1best.tokens_per_s)} tokens/s on ${c1best.threads} thread${c1best.threads > 1 ? "s" : ""} is ` +
    `${gf(c1best, c1best.tokens_per_s).toFixed(0)} GFLOP/s by BENCHMARKS.md's count, ${(c1best.tokens_per_s / c1one.tokens_per_s).toFixed(2)}× its one-thread rate. ` +
    `On one thread its C1 and C3 LSTM rows ran ${Math.min(...cpu).toFixed(0)}–${Math.max(...cpu).toFixed(0)} GFLOP/s of their own CPU time: ` +
    `${Math.min(...cpu) > AVX2_PEAK ? "above" : "not above"} the ${AVX2_PEAK} GFLOP/s a core that AVX2 FMA can reach on this CPU and ` +
    `${Math.max(...cpu) < AVX512_PEAK ? "below" : "not below"} the ${AVX512_PEAK} of AVX-512 (both peaks as ../shared/BENCHMARKS.md states them).`;
}
