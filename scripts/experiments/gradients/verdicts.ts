// Verdicts the gradients report states in words, each computed from the rows, so that a
// rerun with other outcomes rewrites the sentence instead of leaving a stale claim.
import type { Row } from "./run.ts";
import { armKey, groupBy } from "./long-range.ts";

/** "k/n" solved (test accuracy ≥ the run's success threshold). */
const kn = (rows: Row[]) => `${rows.filter((r) => r.solved).length}/${rows.length}`;
/** An arm "works" when it solved at least half of its runs. */
const works = (rows: Row[] | undefined) => !!rows?.length && 2 * rows.filter((r) => r.solved).length >= rows.length;

/**
 * The forget-gate / orthogonal-matrix ablation on one task and length: the counts per arm and
 * which change carries the effect. Arms by armKey: "-/0" neither, "1/0" forget bias 1, "-/1"
 * orthogonal U, "1/1" both, "5/0" and "5/1" forget bias 5 without and with orthogonal U.
 */
export function ablationVerdict(rows: Row[]): { counts: string; verdict: string } {
  const arm = groupBy(rows, armKey), c = (k: string) => (arm.get(k) ? kn(arm.get(k)!) : "–");
  const counts = `neither ${c("-/0")}, forget bias 1 alone ${c("1/0")}, orthogonal U alone ${c("-/1")}, both ${c("1/1")}` +
    (arm.has("5/0") ? `; forget bias 5 alone ${c("5/0")}` : "") + (arm.has("5/1") ? `; forget bias 5 with orthogonal U ${c("5/1")}` : "");
  const [none, f1, o, both] = ["-/0", "1/0", "-/1", "1/1"].map((k) => works(arm.get(k)));
  let verdict: string;
  if (none) verdict = "PyTorch's default already solves it, so neither change is needed";
  else if (f1 && o) verdict = "either change alone is enough";
  else if (f1) verdict = "the forget-gate bias of 1 alone is enough and the orthogonal matrix alone is not: the forget gate carries the effect";
  else if (o) verdict = "the orthogonal matrix alone is enough and the forget-gate bias of 1 alone is not: the effect belongs to the orthogonal initialisation, not to the forget gate";
  else if (both) verdict = "only the two together are enough";
  else verdict = "none of these four arms is enough within this budget";
  if (!none && !f1 && !o && (arm.has("5/0") || arm.has("5/1"))) {
    const f5 = works(arm.get("5/0")), f5o = works(arm.get("5/1"));
    const anyOf = (k: string) => (arm.get(k) ?? []).some((r) => r.solved);
    const fourSolvedAny = ["-/0", "1/0", "-/1", "1/1"].some(anyOf);
    verdict += f5 && f5o ? "; a forget-gate bias of 5 is, with or without the orthogonal matrix"
      : f5 ? "; a forget-gate bias of 5 alone is" : f5o ? "; a forget-gate bias of 5 is, but only with the orthogonal matrix"
      : (anyOf("5/0") || anyOf("5/1")) ? `; a forget-gate bias of 5 is not reliably either, but it is the only arm that solved any run${fourSolvedAny ? " beside the four" : ""}`
      : "; nor is a forget-gate bias of 5";
  }
  return { counts, verdict };
}

/**
 * Section 1's longest adding runs continued with a larger budget: per cell and scheme, solved
 * before → after, and whether more updates changed any LSTM outcome.
 */
export function budgetVerdict(budget: Row[], before: Row[]): { counts: string; verdict: string } {
  const parts: string[] = [], gained: string[] = [], stuck: string[] = [];
  for (const [, g] of groupBy(budget, (r) => `${r.cell}/${r.scheme ?? "pytorch"}`)) {
    const b = before.filter((r) => r.task === g[0].task && r.T === g[0].T && r.cell === g[0].cell && r.clip && (r.scheme ?? "pytorch") === (g[0].scheme ?? "pytorch"));
    const k0 = b.filter((r) => r.solved).length, k1 = g.filter((r) => r.solved).length, name = `${g[0].cell.toUpperCase()} (${g[0].scheme ?? "pytorch"} init)`;
    parts.push(`${name} ${k0}/${b.length} → ${k1}/${g.length}`);
    if (g[0].cell !== "lstm") continue;
    if (k1 > k0) gained.push(`${k1 - k0} more run${k1 - k0 > 1 ? "s" : ""} of ${name}`);
    else if (k1 < g.length) stuck.push(name);
  }
  const verdict = gained.length
    ? `more updates solved ${gained.join(" and ")}${stuck.length ? `, and none more of ${stuck.join(" or ")}: the budget was part of the limit only for some initialisations` : ": the budget was at least part of the limit"}`
    : stuck.length
      ? `more updates solved no further LSTM run (${stuck.join(", ")}): "a budget limit" is not supported for LSTM here`
      : "every LSTM run was solved already, so the budget was not the limit";
  return { counts: parts.join(", "), verdict };
}
