// Adjusted Rand index (Hubert & Arabie 1985) between two partitions of the same items:
// 1 for identical partitions (up to renaming), about 0 for independent ones, can be < 0.
export function adjustedRand(a: Int32Array, b: Int32Array): number {
  const n = a.length;
  const Ka = Math.max(...a) + 1, Kb = Math.max(...b) + 1;
  const table = new Float64Array(Ka * Kb), ra = new Float64Array(Ka), rb = new Float64Array(Kb);
  for (let i = 0; i < n; i++) { table[a[i] * Kb + b[i]]++; ra[a[i]]++; rb[b[i]]++; }
  const c2 = (x: number) => (x * (x - 1)) / 2;
  let index = 0, sa = 0, sb = 0;
  for (const v of table) index += c2(v);
  for (const v of ra) sa += c2(v);
  for (const v of rb) sb += c2(v);
  const expected = (sa * sb) / c2(n), max = 0.5 * (sa + sb);
  return max === expected ? (index === expected ? 1 : 0) : (index - expected) / (max - expected);
}
