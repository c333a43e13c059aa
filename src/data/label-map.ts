// Class labels ↔ class indices, saved with a classifier as JSON. Labels are kept as text
// (the file's "-1"/"1" or "walk"/"run") and ordered numerically when all are numbers,
// otherwise alphabetically, so index 0 is stable across runs. Pure (no node: imports).
import { check, fail } from "../errors.ts";

export interface LabelMapJSON { labels: string[] }

export class LabelMap {
  private readonly map = new Map<string, number>();

  constructor(readonly labels: readonly string[]) {
    check(labels.length >= 2, "labels", "at least two classes", labels.length === 1 ? `only ${JSON.stringify(labels[0])}` : "none");
    labels.forEach((l, i) => { check(!this.map.has(l), "labels", "distinct class names", `${JSON.stringify(l)} twice`); this.map.set(l, i); });
  }

  static fromLabels(values: Iterable<string>): LabelMap {
    const distinct = [...new Set(values)];
    const numeric = distinct.every((v) => Number.isFinite(Number(v)));
    distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return new LabelMap(distinct);
  }

  get size(): number { return this.labels.length; }

  index(label: string): number {
    return this.map.get(label) ?? fail("label", `one of ${this.labels.map((l) => JSON.stringify(l)).join(", ")}`, label);
  }

  label(i: number): string { return this.labels[i]; }

  toJSON(): LabelMapJSON { return { labels: [...this.labels] }; }

  static fromJSON(json: unknown, where = "labels.json"): LabelMap {
    const j = json as Partial<LabelMapJSON> | null;
    check(typeof j === "object" && j !== null && Array.isArray(j.labels) && j.labels.every((l) => typeof l === "string"), where, "{ labels: string[] }", j);
    return new LabelMap(j.labels!);
  }
}
