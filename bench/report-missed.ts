// docs/performance.md's lines on the two missed targets of issue 17 that a CPU profile does not
// cover: C3 training's peak RSS against its need, and time-to-quality at 60 s and 90 s. Each is
// the measured figure, where the memory (or the time) goes and what would close it, computed
// from rows by the rules below. Pure: the caller passes the rows.
//
//   memoryLine:  the speed run's C3 training rows (peak RSS at 1 and 2 threads) and the memory
//                probe's rows of the generation run (bench/generate.ts measureMemory: the idle
//                process, the wasm heap's high-water mark after each step, the bench's batch).
//   qualityLine: the time-to-quality rows: updates made in each budget, and each tool's loss
//                against its updates (a + b·ln updates through all of that tool's rows).

import { CONFIGS, minTrainBytes } from "./configs.ts";
import { best, groups, oursOver, qualityComparisons, variantLabel, type QualityRow, type SpeedRow } from "./report-tables.ts";
import type { MemoryRow } from "./report-generate.ts";

const MB = 2 ** 20;
/** The issue's memory target: peak RSS ≤ this × need. */
export const RSS_LIMIT = 1.5;
const mb = (x: number) => `${x.toFixed(1)} MB`;
const x2 = (x: number) => `${x.toFixed(2)}×`;
const nats = (x: number) => x.toFixed(3);
const signed = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(3)}`;

/** C3 training: the need, the speed run's peak RSS per thread count, and (from the probe) what
 *  is above the need: the idle process, the wasm heap beyond the need, the bench's JavaScript
 *  copy of the batch, and the rest; then which of them would close the gap. */
export function memoryLine(speed: SpeedRow[], mem: MemoryRow[]): string {
  const cfg = CONFIGS.find((c) => c.name === "C3")!;
  const need = minTrainBytes(cfg, "lstm") / MB, limit = RSS_LIMIT * need;
  const ours = speed.filter((r) => r.kind === "speed" && r.tool === "recurrent" && r.config === "C3" && r.mode === "train").sort((a, b) => a.threads - b.threads);
  const probes = mem.filter((r) => r.config === "C3" && r.cell === "lstm").sort((a, b) => a.threads - b.threads);
  if (!ours.length) return "**C3 training peak RSS.** No C3 training rows in the speed run.";
  const head = `**C3 training peak RSS ≤ ${RSS_LIMIT} × need.** The need is ${mb(need)} (θ, its gradient and Adam's m and v, the activations BPTT keeps, input and targets; float32), ` +
    `so the limit is ${mb(limit)}. The speed run peaked at ${ours.map((r) => `${mb(r.peak_rss_mb)} with ${r.threads} thread${r.threads > 1 ? "s" : ""} (${x2(r.peak_rss_mb / need)})`).join(" and ")}` +
    `${ours.some((r) => r.peak_rss_mb > limit) ? `: ${ours.filter((r) => r.peak_rss_mb > limit).map((r) => `${mb(r.peak_rss_mb - limit)} over at ${r.threads}`).join(", ")}` : ""}.`;
  if (!probes.length) return `${head} No memory probe rows (\`npm run bench -- --generate\` runs it) to say where the rest goes.`;
  const parts = probes.map((p) => {
    const last = p.steps.at(-1)!, first = p.steps[0];
    // The batch counts only if V8 still held it after the last step (so at every peak before).
    const batch = last.js_batch_alive === false ? 0 : p.built.js_batch_mb;
    const rest = last.hwm_mb - p.idle_rss_mb - last.wasm_high_water_mb - batch;
    return { p, last, first, batch, rest, heapOver: last.wasm_high_water_mb - need, growth: last.wasm_high_water_mb - first.wasm_high_water_mb };
  });
  const where = `Where it goes (the memory probe: the same steps in one process per thread count, ${parts[0].p.steps.length} of them): ` + parts.map(({ p, last, batch, rest, heapOver, growth }) =>
    `at ${p.threads} thread${p.threads > 1 ? "s" : ""}, peak ${mb(last.hwm_mb)} = the process before anything is built (Node, tsx, the toolkit's modules, the backend and any worker thread) ${mb(p.idle_rss_mb)}` +
    ` + the wasm heap's high-water mark ${mb(last.wasm_high_water_mb)} (the need ${heapOver >= 0 ? "+" : "−"} ${mb(Math.abs(heapOver))}; ${Math.abs(growth) < 0.05 ? "no growth after the first step" : `${mb(growth)} of growth after the first step`})` +
    (batch ? ` + the bench's JavaScript batch, copied into the heap and not yet collected, ${mb(batch)}` : "") + ` + ${mb(rest)} else (V8's heap and code)`).join("; ") + ".";
  // What would close it: the largest excess over the limit, against each part above the need.
  const worst = ours.reduce((a, b) => (b.peak_rss_mb > a.peak_rss_mb ? b : a));
  const over = worst.peak_rss_mb - limit;
  const atWorst = parts.find((x) => x.p.threads === worst.threads) ?? parts.at(-1)!;
  let close: string;
  if (over <= 0) close = `Both thread counts are within the limit in this run.`;
  else if (atWorst.p.idle_rss_mb + need > limit) close = `What would close it: nothing in our buffers; the idle process alone (${mb(atWorst.p.idle_rss_mb)}) plus the need exceeds the limit.`;
  else if (atWorst.heapOver >= over) close = `What would close it: the wasm heap holds ${mb(atWorst.heapOver)} beyond the need, more than the ${mb(over)} over: buffers beyond the need's count (reuse them across the step).`;
  else if (atWorst.batch >= over) {
    close = `So our buffers are the need ${atWorst.heapOver >= 0 ? "+" : "−"} ${(100 * Math.abs(atWorst.heapOver) / need).toFixed(1)} %; above it are Node with the backend ` +
      `(${x2(atWorst.p.idle_rss_mb / need)} of the need, ${mb(parts.at(-1)!.p.idle_rss_mb - parts[0].p.idle_rss_mb)} more with a worker thread) and the bench's own copy of the batch. ` +
      `What would close it: the bench making its batch in the wasm heap instead of copying a JavaScript one in (${mb(atWorst.batch)} off, more than the ${mb(over)} over at ${worst.threads} threads); no change to the library's memory.`;
  } else close = `What would close it: ${mb(over)} must go at ${worst.threads} threads; the largest part above the need is the idle process (${mb(atWorst.p.idle_rss_mb)}), then ${mb(atWorst.rest)} of V8's heap and code.`;
  return `${head} ${where} ${close}`;
}

/** loss ≈ a + b·ln(updates), least squares over the points; and the largest distance of a point from it. */
export function logFit(points: Array<{ updates: number; nats: number }>): { a: number; b: number; spread: number } | null {
  if (points.length < 2 || new Set(points.map((p) => p.updates)).size < 2) return null;
  const xs = points.map((p) => Math.log(p.updates)), ys = points.map((p) => p.nats), n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n, my = ys.reduce((s, y) => s + y, 0) / n;
  const b = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  const a = my - b * mx;
  return { a, b, spread: Math.max(...xs.map((x, i) => Math.abs(ys[i] - (a + b * x)))) };
}

/** Time-to-quality: per budget, the updates each made, how much of the gap fewer updates
 *  explain along ours' own curve, and what is left at equal updates against PyTorch's spread. */
export function qualityLine(rows: QualityRow[], speed: SpeedRow[] = []): string {
  const qs = qualityComparisons(rows);
  if (!qs.length) return "**Time-to-quality.** No time-to-quality rows.";
  const pts = (tool: string) => rows.filter((r) => r.tool === tool).map((r) => ({ updates: r.updates, nats: r.val_nats }));
  const fo = logFit(pts("recurrent")), ft = logFit(pts("pytorch"));
  const per = qs.map((q) => {
    const uo = q.oursRow.updates, ut = q.torchRow.updates, gap = q.ours - q.torch;
    const fromUpdates = fo ? -fo.b * Math.log(ut / uo) : null;
    return { q, uo, ut, gap, fromUpdates, left: fromUpdates === null ? null : gap - fromUpdates,
      rateO: uo / q.oursRow.train_seconds, rateT: ut / q.torchRow.train_seconds };
  });
  const missed = per.filter((x) => x.gap > 0);
  const c1 = groups(speed).find((g) => g.config === "C1" && g.cell === "lstm" && g.mode === "train");
  const c1x = c1 && best(c1, "recurrent") ? oursOver(c1, "pytorch") : null;
  const facts = per.map(({ q, uo, ut, gap, fromUpdates, left, rateO, rateT }) =>
    `at ${q.budget} s ours reached ${nats(q.ours)} nats/char in ${uo} updates (${rateO.toFixed(1)} a second), the best PyTorch run (${variantLabel(q.torchRow.variant)}, ` +
    `${q.torchRow.threads} thread${q.torchRow.threads > 1 ? "s" : ""}) ${nats(q.torch)} in ${ut} (${rateT.toFixed(1)} a second): ${x2(uo / ut)} the updates, gap ${signed(gap)}` +
    (fromUpdates === null ? "" : `; along ours' curve ${ut} updates would reach ${nats(q.ours - fromUpdates)}, so fewer updates account for ${signed(fromUpdates)} and ${signed(left!)} is left at equal updates`)).join("; ");
  const curves = fo && ft
    ? ` (each tool's curve: a + b·ln updates through all its rows, every thread count and kernel set: ours b = ${signed(fo.b)}, its rows within ${fo.spread.toFixed(3)} of it; ` +
      `PyTorch b = ${signed(ft.b)}, its rows, one seed, within ${ft.spread.toFixed(3)})`
    : "";
  let close = "";
  if (missed.length && ft && missed.every((x) => x.left !== null)) {
    const lefts = missed.map((x) => x.left!), worst = Math.max(...lefts);
    const noise = worst <= 2 * ft.spread;
    close = ` So ${missed.map((x) => `${(100 * Math.max(0, x.fromUpdates!) / x.gap).toFixed(0)} %`).join(" and ")} of the gap ${missed.length > 1 ? "are" : "is"} updates per second` +
      `, and what is left at equal updates (${lefts.map(nats).join(", ")}) is ${lefts.map((l) => x2(l / ft.spread)).join(" and ")} the spread of PyTorch's own runs about their curve: ` +
      (noise ? "the rows cannot tell it from run-to-run spread, so they do not show that ours learns less per update. "
        : "more than twice that spread: ours gains less per update than PyTorch (the initial weights' draw, or the update itself), which these rows cannot separate. ") +
      `What would close it: our updates a second ${missed.map((x) => `× ${(x.ut / x.uo).toFixed(2)} at ${x.q.budget} s`).join(" and ")} (an update of this 128-unit LSTM ${missed.map((x) => `${(100 * (1 - x.uo / x.ut)).toFixed(0)} %`).join(" and ")} shorter` +
      `${c1x === null ? "" : `; the speed run's C1 LSTM training step, 256 units, runs at ${x2(c1x)} PyTorch's rate`}) for the part the rows attribute, and a few seeds of each tool to tell the rest from noise.`;
  }
  return `**Time-to-quality at ${qs.map((q) => `${q.budget} s`).join(" and ")}.** ${facts.charAt(0).toUpperCase()}${facts.slice(1)}${curves}.${close}`;
}
