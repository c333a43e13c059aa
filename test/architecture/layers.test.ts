// The import rules of docs/architecture.md, checked against the code. The doc's table "Layers,
// bottom up" is parsed here (its first column names the folder or files, its second the
// layer's rank), so the doc and this test cannot drift apart: a file may import another only
// from its own folder or from a layer of a lower rank. Then, separately, no two folders import
// each other through any chain (no folder cycle), at every depth (src/formats and
// src/formats/onnx count as two folders).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { tsFiles } from "../helpers/source-files.ts";

const DOC = "docs/architecture.md";

/** Every relative import of a file (static, dynamic and re-exports; type-only ones too: a
 *  type import is still knowledge of the layer above). */
function imports(file: string): string[] {
  const src = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of src.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["'](\.[^"']+)["']/g)) out.push(normalize(join(dirname(file), m[1])));
  return out;
}

/** The doc's layer table: rows `| rank | `src/x/` or `src/a.ts`, `src/b.ts` | ... |`. */
function layersFromDoc(): Array<{ rank: number; paths: string[] }> {
  const text = readFileSync(DOC, "utf8");
  const section = text.split(/\n## /).find((s) => s.startsWith("Layers, bottom up"));
  assert.ok(section, `${DOC}: no "## Layers, bottom up" section`);
  const rows = [...section.matchAll(/^\|\s*(\d+)\s*\|([^|]+)\|/gm)].map((m) => ({
    rank: Number(m[1]),
    paths: [...m[2].matchAll(/`(src\/[^`]*)`/g)].map((p) => p[1].replace(/\/$/, "")),
  }));
  assert.ok(rows.length >= 8, `${DOC}: the layer table has ${rows.length} rows, expected the whole stack`);
  return rows;
}

const layers = layersFromDoc();

/** The layer of a file: the longest listed path that contains it. */
function layerOf(file: string): { rank: number; path: string } | null {
  let best: { rank: number; path: string } | null = null;
  for (const l of layers) for (const p of l.paths) {
    if ((file === p || file.startsWith(p + "/")) && (!best || p.length > best.path.length)) best = { rank: l.rank, path: p };
  }
  return best;
}

const files = tsFiles("src").map((f) => relative(".", f));

test("every file under src/ belongs to a layer of docs/architecture.md", () => {
  const orphans = files.filter((f) => !layerOf(f));
  assert.deepEqual(orphans, [], `files in no layer of ${DOC}'s table (add their folder to it)`);
});

test("imports only go down the layers of docs/architecture.md, or stay in their own layer", () => {
  const bad: string[] = [];
  for (const f of files) {
    const from = layerOf(f)!;
    for (const t of imports(f)) {
      const to = layerOf(t);
      if (!to || to.path === from.path) continue;
      if (to.rank >= from.rank) bad.push(`${f} (rank ${from.rank}) imports ${t} (rank ${to.rank})`);
    }
  }
  assert.deepEqual(bad, [], "upward or sideways imports");
});

test("no folder cycle: no two folders import each other, directly or through others", () => {
  // src/ itself holds the base files (errors, rand) and the entries, in layers of their own:
  // each of its files is a node of its own here, not one folder.
  const node = (f: string) => (dirname(f) === "src" ? f : dirname(f));
  const graph = new Map<string, Set<string>>();
  for (const f of files) {
    const a = node(f);
    if (!graph.has(a)) graph.set(a, new Set());
    for (const t of imports(f)) if (node(t) !== a) graph.get(a)!.add(node(t));
  }
  // Tarjan's strongly connected components: any component of two or more folders is a cycle.
  let next = 0;
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next); low.set(v, next); next++; stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); c.push(w); } while (w !== v);
      if (c.length > 1) cycles.push(c.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  assert.deepEqual(cycles, [], "folders that import each other");
});
