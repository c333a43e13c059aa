// Agglomerative hierarchical clustering with average linkage (UPGMA) on distances
// d_ij = 1 − s_ij, by the nearest-neighbour-chain algorithm: O(N²) time and one (N, N)
// Float64 working matrix, so 5,000 firms take seconds rather than the O(N³) of the
// textbook loop. Average linkage is reducible, so the chain finds exactly the UPGMA tree.
// Output follows scipy's linkage convention: merge m joins clusters a and b (ids < N are
// firms, id N + m' is the cluster made by merge m') at height h, sorted by height.
//
// Not here: drawing the dendrogram (report/charts.ts).

export interface Merge { a: number; b: number; height: number; size: number }

export function averageLinkage(S: Float64Array, N: number): Merge[] {
  const D = new Float64Array(N * N);
  for (let k = 0; k < N * N; k++) D[k] = 1 - S[k];
  const size = new Float64Array(N).fill(1);
  const active = new Uint8Array(N).fill(1);
  const raw: Array<{ a: number; b: number; height: number }> = []; // a, b are slot indices
  const chain: number[] = [];
  let remaining = N;
  while (remaining > 1) {
    if (chain.length === 0) { let s = 0; while (!active[s]) s++; chain.push(s); }
    const a = chain[chain.length - 1];
    const prev = chain.length > 1 ? chain[chain.length - 2] : -1;
    // Nearest active neighbour of a; prefer the previous chain element on ties (ensures termination).
    let b = prev, best = prev >= 0 ? D[a * N + prev] : Infinity;
    for (let c = 0; c < N; c++) {
      if (c === a || !active[c]) continue;
      const d = D[a * N + c];
      if (d < best) { best = d; b = c; }
    }
    if (b === prev) {
      chain.pop(); chain.pop();
      // Merge into slot lo; Lance–Williams update for average linkage.
      const lo = Math.min(a, b), hi = Math.max(a, b), na = size[a], nbSize = size[b];
      raw.push({ a, b, height: best });
      for (let c = 0; c < N; c++) {
        if (!active[c] || c === a || c === b) continue;
        const d = (na * D[a * N + c] + nbSize * D[b * N + c]) / (na + nbSize);
        D[lo * N + c] = d; D[c * N + lo] = d;
      }
      size[lo] = na + nbSize; active[hi] = 0; remaining--;
    } else {
      chain.push(b);
    }
  }
  // Sort by height (stable) and name clusters scipy-style. Replaying merges in height order
  // is valid for UPGMA (no inversions). A slot index is also a firm inside that slot's
  // cluster (slot lo keeps its own firm), so a union-find over firms tracks the clusters.
  const order = raw.map((_, i) => i).sort((x, y) => raw[x].height - raw[y].height || x - y);
  const parent = Int32Array.from({ length: N }, (_, i) => i);
  const find = (x: number): number => { while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; } return x; };
  const clusterOfRoot = Int32Array.from({ length: N }, (_, i) => i);
  const sizeOfRoot = new Int32Array(N).fill(1);
  const merges: Merge[] = [];
  for (const i of order) {
    const ra = find(raw[i].a), rb = find(raw[i].b);
    const ca = clusterOfRoot[ra], cb = clusterOfRoot[rb];
    const sz = sizeOfRoot[ra] + sizeOfRoot[rb];
    parent[rb] = ra;
    clusterOfRoot[ra] = N + merges.length; sizeOfRoot[ra] = sz;
    merges.push({ a: Math.min(ca, cb), b: Math.max(ca, cb), height: raw[i].height, size: sz });
  }
  return merges;
}

/** Cluster labels 0..k−1 from cutting the tree into k clusters (the first N − k merges). */
export function cutTree(merges: Merge[], N: number, k: number): Int32Array {
  const parent = Int32Array.from({ length: 2 * N - 1 }, (_, i) => i);
  const find = (x: number): number => { while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; } return x; };
  for (let m = 0; m < N - k; m++) { parent[merges[m].a] = N + m; parent[merges[m].b] = N + m; }
  const ids = new Map<number, number>();
  return Int32Array.from({ length: N }, (_, i) => {
    const r = find(i);
    let c = ids.get(r);
    if (c === undefined) { c = ids.size; ids.set(r, c); }
    return c;
  });
}

/** Leaf order of the dendrogram (depth-first, left child first) and each node's x position. */
export function leafOrder(merges: Merge[], N: number): { order: number[]; x: Float64Array } {
  const x = new Float64Array(2 * N - 1);
  const order: number[] = [];
  if (N === 1) return { order: [0], x };
  const stack = [2 * N - 2];
  while (stack.length) {
    const node = stack.pop()!;
    if (node < N) { x[node] = order.length; order.push(node); continue; }
    const m = merges[node - N];
    stack.push(m.b, m.a); // a first
  }
  for (let m = 0; m < merges.length; m++) x[N + m] = 0.5 * (x[merges[m].a] + x[merges[m].b]);
  return { order, x };
}
