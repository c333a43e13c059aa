// Section 5 of the gradients report: Hochreiter & Schmidhuber's tasks at their lengths
// (adding-1997, temporal-order-6a/6b at T = 100, variable lengths), the LSTM initialisation
// ablation, Elman beside it, and section 1's adding runs continued with a larger budget.
// Tables and verdicts are computed from the rows; the only numbers typed in are the paper's.
import type { Row, Settings } from "./run.ts";

/** Hochreiter & Schmidhuber (1997), Tables 7 and 8: training sequences until their stopping
 *  criterion, on average. Quoted, not measured. */
export const HS_SEQUENCES: Array<{ task: string; T: number; label: string; sequences: number }> = [
  { task: "adding-1997", T: 100, label: "adding, T = 100", sequences: 74_000 },
  { task: "adding-1997", T: 500, label: "adding, T = 500", sequences: 209_000 },
  { task: "adding-1997", T: 1000, label: "adding, T = 1000", sequences: 853_000 },
  { task: "temporal-order-6a", T: 100, label: "temporal order 6a (2 symbols, 4 classes)", sequences: 31_390 },
  { task: "temporal-order-6b", T: 100, label: "temporal order 6b (3 symbols, 8 classes)", sequences: 571_100 },
];

export const TASK_LABEL: Record<string, string> = {
  "adding-1997": "adding (H&S)", "temporal-order-6a": "temporal order 6a", "temporal-order-6b": "temporal order 6b",
  adding: "adding (fixed T)", "temporal-order": "temporal order (Pascanu)",
};

const int = (x: number) => Math.round(x).toLocaleString("en-US");
const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "–");
const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(1) : "–");
export const median = (v: number[]) => {
  if (!v.length) return NaN;
  const s = [...v].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The run's settings: the defaults with the job's overrides. */
export const settingsOf = (r: Row, base: Settings): Settings => ({ ...base, ...r.budget });

/** An ablation arm's name, e.g. "forget bias 1, orthogonal U". */
export function armName(r: Row): string {
  const f = r.forgetBias === undefined ? "PyTorch forget bias" : `forget bias ${r.forgetBias}`;
  return `${f}, ${r.orthogonalRecurrent ? "orthogonal U" : "PyTorch U"}`;
}
export const armKey = (r: Row) => `${r.forgetBias ?? "-"}/${r.orthogonalRecurrent ? 1 : 0}`;

/** Runs that reached the stopping criterion (every validation sequence correct). */
export const reached = (rows: Row[]) => rows.filter((r) => r.sequencesToStop !== null);
export const countOf = (rows: Row[]) => `${reached(rows).length}/${rows.length}`;
export const wrongOf = (r: Row, s: Settings) => Math.round((1 - r.accuracy) * s.testSize);
/**
 * c-path (LSTM) or h-path ratio ‖∂L/∂state_0‖/‖∂L/∂state_{T−1}‖ at initialisation, T the
 * run's (minimal) length: with variable lengths the padded batch is longer, and its last
 * steps are real in few sequences of the probe batch, or none.
 */
export function initRatio(rows: Row[]): string {
  const r = rows.find((x) => x.init);
  const v = r?.init?.c ?? r?.init?.h;
  return v && r ? sci(v[0] / v[Math.min(r.T, v.length) - 1]) : "–";
}

/** Rows in a stable order: task as listed, then T, forget bias (PyTorch's first), orthogonal last. */
export function ordered(rows: Row[]): Row[] {
  const tasks = ["adding-1997", "temporal-order-6a", "temporal-order-6b", "adding", "temporal-order"];
  const key = (r: Row) => [tasks.indexOf(r.task), r.T, r.forgetBias ?? -1, r.orthogonalRecurrent ? 1 : 0, r.cell === "lstm" ? 0 : 1, r.seed];
  return [...rows].sort((a, b) => { const [x, y] = [key(a), key(b)]; for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i]; return 0; });
}

/** Groups rows by a key, keeping first-seen order. */
export function groupBy(rows: Row[], key: (r: Row) => string): Map<string, Row[]> {
  const m = new Map<string, Row[]>();
  for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return m;
}

/** The main setup's LSTM runs on a task (kind "long"); else the ablation's best arm. */
export function mainRows(rows: Row[], task: string, T: number): Row[] {
  const sel = ordered(rows).filter((r) => r.cell === "lstm" && r.task === task && r.T === T);
  const long = sel.filter((r) => r.kind === "long");
  return long.length ? long : bestArm(sel.filter((r) => r.kind === "ablation"));
}

/** The arm with the most runs reaching the criterion, then the fewest sequences (median). */
export function bestArm(rows: Row[]): Row[] {
  const arms = [...groupBy(rows, armKey).values()];
  const score = (a: Row[]) => [reached(a).length, -median(reached(a).map((r) => r.sequencesToStop!))];
  return arms.sort((a, b) => { const [x, y] = [score(a), score(b)]; return y[0] - x[0] || (y[1] || -Infinity) - (x[1] || -Infinity); })[0] ?? [];
}

export function longRangeSection(rows: Row[], base: Settings, success: Row[]): string[] {
  const L: string[] = [];
  const sorted = ordered(rows);
  const ablation = sorted.filter((r) => r.kind === "ablation"), long = sorted.filter((r) => r.kind === "long"), budget = sorted.filter((r) => r.kind === "budget");
  const paper = ablation.filter((r) => r.T >= 100);
  if (!paper.length) return L;
  const s = settingsOf(paper[0], base), seeds = Math.max(...paper.map((r) => r.seed)) + 1;
  const main = long.filter((r) => r.cell === "lstm"), lstm6b = main.filter((r) => r.task === "temporal-order-6b");
  const sMain = main.length ? settingsOf(main.find((r) => r.task !== "temporal-order-6b") ?? main[0], base) : s;
  const s6b = lstm6b.length ? settingsOf(lstm6b[0], base) : s;
  L.push("## 5. Hochreiter & Schmidhuber's tasks at their lengths", "");
  L.push(`* Tasks (\`src/data/tasks/adding-1997.ts\`, \`temporal-order-1997.ts\`): the adding problem and temporal order 6a and 6b exactly as the 1997 paper defines them, at T = ${paper[0].T}: each sequence's length drawn from T to T + T/10, padded after its end and masked; the model is read at each sequence's own last step. Adding: one marker among the first ten pairs, one among the first T/2 − 1, target 0.5 + (X1 + X2)/4, correct when |error| < 0.04. Temporal order: X/Y at t1 ∈ [10, 20] and t2 ∈ [50, 60] (6b: [10, 20], [33, 43], [66, 76]), correct when every softmax output is within 0.3 of its one-hot target (the paper's "final error of all output units below 0.3").`);
  L.push(`* Net: LSTM, one layer, H = ${s.hidden} (${int(paper.find((r) => r.task === "adding-1997")?.params ?? NaN)} parameters on the adding problem, ${int(paper.find((r) => r.task === "temporal-order-6a")?.params ?? NaN)} on 6a), a linear head (adding, MSE) or a softmax head (temporal order, cross-entropy). H&S's LSTM had no forget gate and was trained by online gradient descent, one sequence at a time; their temporal-order nets had 2 (6b: 3) memory blocks of 2 cells.`);
  L.push(`* Training: Adam, lr ${s.lr}, minibatches of ${s.batch} freshly generated sequences, global norm clipped to ${s.clip}, at most ${int(s.maxSteps)} updates (${int(s.maxSteps * s.batch)} sequences) in the ablation; the main setup (${main.length ? armName(main[0]) : "–"}, the arm a tuning run before this one had picked) is the same runs continued to ${int(sMain.maxSteps)} updates (${int(sMain.maxSteps * sMain.batch)} sequences; 6b, run only in that setup, ${int(s6b.maxSteps * s6b.batch)}). Every ${s.evalEvery} updates the net is checked on ${int(s.valSize ?? 256)} fixed validation sequences; the run stops, and counts as reaching the criterion, once all of them are correct (H&S's stopping criterion included that the 2000 most recent training sequences were processed correctly). "Training sequences" below are those seen up to that check. Then it is tested on ${int(s.testSize)} new sequences (H&S's test-set size). ${seeds} seed${seeds > 1 ? "s" : ""} per setting, ${lstm6b.length} for 6b.`);
  L.push(`* Initialisation: PyTorch's default U(−1/√H, 1/√H) for every tensor, then per arm: the forget gate's total bias set to b (b_ih's forget slice b, b_hh's 0; PyTorch's default leaves it near 0, σ(0) = 0.5), and/or every gate block of weight_hh replaced by a random orthogonal matrix. The arm "forget bias 1, orthogonal U" is the recurrent part of the \`glorot\` scheme of section 4 (which also draws the input weights Glorot-uniform and zeroes the other biases).`, "");

  // The paper's table beside ours.
  L.push("**Training sequences to the stopping criterion, beside the paper's** (ours: the main setup; each run's count, in seed order, – where it did not within the budget):", "");
  L.push(`| task | H&S (1997): sequences to success | ours: setup | runs reaching the criterion | sequences, each run | median (runs that reached it) | wrong of ${int(s.testSize)} test sequences, each run |`, "|---|---|---|---|---|---|---|");
  for (const p of HS_SEQUENCES) {
    const arm = mainRows(rows, p.task, p.T);
    if (!arm.length) { L.push(`| ${p.label} | ${int(p.sequences)} | not run | | | | |`); continue; }
    const st = settingsOf(arm[0], base);
    L.push(`| ${p.label} | ${int(p.sequences)} | ${armName(arm[0])} | ${countOf(arm)} | ${arm.map((r) => (r.sequencesToStop === null ? "–" : int(r.sequencesToStop))).join(", ")} | ${reached(arm).length ? int(median(reached(arm).map((r) => r.sequencesToStop!))) : "–"} | ${arm.map((r) => wrongOf(r, st)).join(", ")} |`);
  }
  L.push("");

  // The ablation.
  L.push(`**The initialisation ablation** (LSTM; at T = ${paper[0].T} with the settings above; on Pascanu's temporal order at T = ${Math.max(...ablation.map((r) => r.T).filter((T) => T < 100))} with section 1's settings, clipped). Ratio: ‖∂L/∂c_0‖/‖∂L/∂c_{T−1}‖ at initialisation, seed 0.`, "");
  L.push("| task | T | forget-gate bias | recurrent matrix | runs reaching the criterion | solved (test accuracy ≥ " + `${s.success} at T = ${paper[0].T}, ≥ ${base.success} at T < 100) | mean test accuracy | median sequences to the criterion | c-path ratio at init |`, "|---|---|---|---|---|---|---|---|---|");
  for (const [, g] of groupBy(ablation, (r) => `${r.task}/${r.T}/${armKey(r)}`)) {
    const r0 = g[0];
    L.push(`| ${TASK_LABEL[r0.task] ?? r0.task} | ${r0.T} | ${r0.forgetBias ?? "PyTorch (≈ 0)"} | ${r0.orthogonalRecurrent ? "orthogonal" : "PyTorch"} | ${countOf(g)} | ${g.filter((r) => r.solved).length}/${g.length} | ${fmt(g.reduce((a, r) => a + r.accuracy, 0) / g.length)} | ${reached(g).length ? int(median(reached(g).map((r) => r.sequencesToStop!))) : "–"} | ${initRatio(g)} |`);
  }
  L.push("");

  const elman = long.filter((r) => r.cell === "elman");
  if (elman.length) {
    L.push(`**Elman at the same lengths** (H = ${settingsOf(elman[0], base).hidden}, the \`glorot\` scheme: orthogonal recurrent matrix; same budget and criterion):`, "");
    L.push("| task | runs reaching the criterion | mean test accuracy | h-path ratio at init |", "|---|---|---|---|");
    for (const [task, g] of groupBy(elman, (r) => r.task)) L.push(`| ${TASK_LABEL[task] ?? task} | ${countOf(g)} | ${fmt(g.reduce((a, r) => a + r.accuracy, 0) / g.length)} | ${initRatio(g)} |`);
    L.push("");
  }

  if (budget.length) {
    const T = budget[0].T, steps = settingsOf(budget[0], base).maxSteps;
    L.push(`**The adding problem at T = ${T} with ${steps / base.maxSteps}× the budget** (section 1's settings and its clipped runs' weights and batches, continued to ${int(steps)} updates = ${int(steps * base.batch)} sequences; \`glorot\`: section 4's runs continued). Solved: test accuracy ≥ ${base.success}.`, "");
    L.push(`| cell | initialisation | solved at ${int(base.maxSteps)} updates (sections 1, 4) | solved at ${int(steps)} updates | mean test accuracy | sequences when validation reached ${base.stopAt} |`, "|---|---|---|---|---|---|");
    for (const [, g] of groupBy(budget, (r) => `${r.cell}/${r.scheme ?? "pytorch"}`)) {
      const before = success.filter((r) => r.task === g[0].task && r.T === T && r.cell === g[0].cell && r.clip && (r.scheme ?? "pytorch") === (g[0].scheme ?? "pytorch"));
      const k = (rows: Row[]) => `${rows.filter((r) => r.solved).length}/${rows.length}`;
      L.push(`| ${g[0].cell.toUpperCase()} | ${g[0].scheme ?? "pytorch"} | ${before.length ? k(before) : "–"} | ${k(g)} | ${fmt(g.reduce((a, r) => a + r.accuracy, 0) / g.length)} | ${g.map((r) => (r.sequencesToStop === null ? "–" : int(r.sequencesToStop))).join(", ")} |`);
    }
    L.push("");
  }
  return L;
}
