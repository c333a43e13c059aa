// Sequence classification data in the long format of ../shared/data/sequence_classification:
// a sequences table (sequence_id, step, feature columns...) with one row per time step and a
// labels table (sequence_id, label, other columns ignored; the class column may have another
// name: SequenceColumns.label, the CLI's --label-column). The result keeps sequences in the
// labels file's order with a label index each; parseSequenceSteps reads the sequences alone
// (for prediction). Pure (no node: imports).
import { check } from "../errors.ts";
import { type Table, columnIndex, isMissing, lineAt, parseNumber, rowAt, rowCount } from "./csv.ts";
import { LabelMap } from "./label-map.ts";
import { checkWith, failWith } from "./problem.ts";

export interface LabeledSequence {
  id: string;
  /** Steps (L) and values (L, I) row-major. */
  length: number;
  values: Float64Array;
  /** Index into the label map. */
  label: number;
}

export interface SequenceDataset {
  /** Feature column names (I). */
  features: string[];
  labels: LabelMap;
  sequences: LabeledSequence[];
}

export interface SequenceColumns {
  id?: string;      // default "sequence_id"
  step?: string;    // default "step"
  label?: string;   // default "label": the labels file's class column (--label-column)
  /** Default: every column of the sequences file except id and step. */
  features?: string[];
}

/** Sequences without labels (what a trained classifier predicts for), in the order of their
 * first row. */
export interface SequenceSteps {
  features: string[];
  sequences: Array<{ id: string; length: number; values: Float64Array }>;
}

/** The sequences table alone: rows grouped by id, steps increasing within each sequence,
 * every feature value present. */
export function parseSequenceSteps(seqTable: Table, cols: SequenceColumns = {}): SequenceSteps {
  const idName = cols.id ?? "sequence_id", stepName = cols.step ?? "step";
  const idCol = columnIndex(seqTable, idName, "sequence id column");
  const stepCol = columnIndex(seqTable, stepName, "step column");
  const featCols = cols.features
    ? cols.features.map((f) => columnIndex(seqTable, f, "--features"))
    : seqTable.header.map((_, j) => j).filter((j) => j !== idCol && j !== stepCol);
  checkWith(featCols.length > 0, seqTable.source, "at least one feature column besides the id and step", "none");
  const I = featCols.length;

  // Group rows by sequence id, checking steps increase within each sequence.
  const groups = new Map<string, { values: number[]; lastStep: number; lastLine: number }>();
  for (let i = 0, n = rowCount(seqTable); i < n; i++) {
    const row = rowAt(seqTable, i), line = lineAt(seqTable, i);
    const id = row[idCol].trim();
    check(!isMissing(id), `${seqTable.source} line ${line}, column ${JSON.stringify(idName)}`, "a sequence id", row[idCol]);
    const step = parseNumber(seqTable, i, stepCol);
    check(!Number.isNaN(step), `${seqTable.source} line ${line}, column ${JSON.stringify(stepName)}`, "a step number", row[stepCol]);
    let g = groups.get(id);
    if (!g) { g = { values: [], lastStep: -Infinity, lastLine: 0 }; groups.set(id, g); }
    if (!(step > g.lastStep)) {
      failWith(`${seqTable.source} line ${line}, sequence ${id}`, `steps in increasing order (after step ${g.lastStep} on line ${g.lastLine})`, `step ${step}`);
    }
    g.lastStep = step; g.lastLine = line;
    for (const j of featCols) {
      const v = parseNumber(seqTable, i, j);
      check(!Number.isNaN(v), `${seqTable.source} line ${line}, column ${JSON.stringify(seqTable.header[j])}`, "a value (sequences cannot be filled)", row[j]);
      g.values.push(v);
    }
  }
  const sequences = [...groups].map(([id, g]) => ({ id, length: g.values.length / I, values: Float64Array.from(g.values) }));
  return { features: featCols.map((j) => seqTable.header[j]), sequences };
}

export function parseSequences(seqTable: Table, labelTable: Table, cols: SequenceColumns = {}): SequenceDataset {
  const steps = parseSequenceSteps(seqTable, cols);
  const byId = new Map(steps.sequences.map((s) => [s.id, s]));

  // Labels: one per id, and the two files must name the same sequences.
  const labelOf = parseLabels(labelTable, cols);
  const missing = [...labelOf.keys()].filter((id) => !byId.has(id));
  checkLabelled(steps, labelOf, seqTable.source, labelTable.source);
  if (missing.length) failWith(`${seqTable.source}`, `the steps of every sequence labelled in ${labelTable.source}`, `none for ${listIds(missing)}`);

  const labels = LabelMap.fromLabels([...labelOf.values()]);
  const sequences = [...labelOf].map(([id, label]) => ({ ...byId.get(id)!, label: labels.index(label) }));
  return { features: steps.features, labels, sequences };
}

/** The labels table: sequence id → class name, one per id. A labels file whose class column
 * has another name is read with `cols.label` (--label-column NAME). */
export function parseLabels(labelTable: Table, cols: SequenceColumns = {}): Map<string, string> {
  const lidCol = columnIndex(labelTable, cols.id ?? "sequence_id", "sequence id column");
  const labCol = columnIndex(labelTable, cols.label ?? "label", "--label-column");
  const labelOf = new Map<string, string>();
  for (let i = 0, n = rowCount(labelTable); i < n; i++) {
    const row = rowAt(labelTable, i), line = lineAt(labelTable, i);
    const id = row[lidCol].trim(), label = row[labCol].trim();
    checkWith(!labelOf.has(id), `${labelTable.source} line ${line}`, "one label per sequence", `sequence ${id} labelled again`);
    check(!isMissing(label), `${labelTable.source} line ${line}, column ${JSON.stringify(labelTable.header[labCol])}`, "a label", row[labCol]);
    labelOf.set(id, label);
  }
  return labelOf;
}

/** Fails naming the sequences (up to five) that the labels leave without a class. */
export function checkLabelled(steps: SequenceSteps, labelOf: Map<string, string>, seqSource: string, labelSource: string): void {
  const unlabelled = steps.sequences.filter((s) => !labelOf.has(s.id)).map((s) => s.id);
  if (unlabelled.length) failWith(`${labelSource}`, `a label for every sequence of ${seqSource}`, `none for ${listIds(unlabelled)}`);
}

function listIds(ids: string[]): string {
  const shown = ids.slice(0, 5).join(", ");
  return ids.length > 5 ? `sequence ids ${shown}, ... (${ids.length} in all)` : `sequence id${ids.length > 1 ? "s" : ""} ${shown}`;
}
