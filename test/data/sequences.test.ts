import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readClassifyFiles } from "../../src/node/sequences-file.ts";
import { classifyBatch } from "../../src/data/batches.ts";
import { stratifiedSplit } from "../../src/data/stratified.ts";
import { LabelMap } from "../../src/data/label-map.ts";
import { RecurrentError } from "../../src/errors.ts";

const SEQ = "test/fixtures/indoor-sequences-24.csv", LAB = "test/fixtures/indoor-labels-24.csv";

test("sequences: the indoor-movement slice gives 24 labelled sequences of 4 features with the file's lengths", () => {
  const d = readClassifyFiles(SEQ, LAB);
  assert.equal(d.sequences.length, 24);
  assert.deepEqual(d.features, ["rss_anchor1", "rss_anchor2", "rss_anchor3", "rss_anchor4"]);
  assert.deepEqual([...d.labels.labels], ["-1", "1"]);
  const rows = readFileSync(SEQ, "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
  for (const s of d.sequences) {
    const mine = rows.filter((r) => r[0] === s.id);
    assert.equal(s.length, mine.length);
    assert.equal(s.values[4 * (s.length - 1) + 3], Number(mine[mine.length - 1][5]));
  }
  assert.equal(d.maxLength, Math.max(...d.sequences.map((s) => s.length)));
});

test("padding: (T, B, I) inputs zero after each end, a (T, B) mask, lengths and labels", () => {
  const d = readClassifyFiles(SEQ, LAB);
  const idx = [0, 13, 5];
  const b = classifyBatch(d, idx);
  assert.equal(b.T, Math.max(...idx.map((i) => d.sequences[i].length)));
  for (let j = 0; j < 3; j++) {
    const s = d.sequences[idx[j]];
    assert.equal(b.lengths[j], s.length);
    assert.equal(b.labels[j], s.label);
    for (let t = 0; t < b.T; t++) {
      assert.equal(b.mask[t * 3 + j], t < s.length ? 1 : 0);
      for (let i = 0; i < 4; i++) assert.equal(b.x[(t * 3 + j) * 4 + i], t < s.length ? Math.fround(s.values[t * 4 + i]) : 0);
    }
  }
});

test("stratified split: each class keeps its share, parts are disjoint, the seed fixes the split", () => {
  const labels = [...Array(30).fill(0), ...Array(10).fill(1)];
  const s = stratifiedSplit(labels, 0.2, 0.1, 7);
  assert.deepEqual([s.val.filter((i) => labels[i] === 1).length, s.val.filter((i) => labels[i] === 0).length], [2, 6]);
  assert.deepEqual([s.test.filter((i) => labels[i] === 1).length, s.test.filter((i) => labels[i] === 0).length], [1, 3]);
  assert.equal(new Set([...s.train, ...s.val, ...s.test]).size, 40);
  assert.deepEqual(stratifiedSplit(labels, 0.2, 0.1, 7), s);
  assert.notDeepEqual(stratifiedSplit(labels, 0.2, 0.1, 8).val, s.val);
  assert.throws(() => stratifiedSplit([0, 1], 0.5, 0.4, 1), /at least one training item/);
});

test("label map: numeric labels in numeric order, JSON round-trip, unknown label and single class are errors", () => {
  const m = LabelMap.fromLabels(["10", "-1", "2", "-1"]);
  assert.deepEqual([...m.labels], ["-1", "2", "10"]);
  assert.equal(LabelMap.fromJSON(JSON.parse(JSON.stringify(m))).index("10"), 2);
  assert.throws(() => m.index("3"), /one of "-1", "2", "10"/);
  assert.throws(() => LabelMap.fromLabels(["a", "a"]), /two classes/);
});

test("sequences: steps out of order name the line and the sequence", () => {
  assert.throws(() => readClassifyFiles("test/fixtures/bad-data/steps-out-of-order.csv", "test/fixtures/bad-data/labels-ok.csv"),
    (e: Error) => e instanceof RecurrentError && /steps-out-of-order\.csv line 5, sequence 1: expected steps in increasing order \(after step 3 on line 4\), got step 2/.test(e.message));
});

test("sequences: labels that do not match the sequences list the ids on both sides", () => {
  assert.throws(() => readClassifyFiles("test/fixtures/bad-data/sequences-ok.csv", "test/fixtures/bad-data/labels-mismatch.csv"),
    (e: Error) => e instanceof RecurrentError && /a label for every sequence/.test(e.message) && /sequence id 2$/.test(e.message));
  assert.throws(() => readClassifyFiles("test/fixtures/bad-data/sequences-ok.csv", "test/fixtures/bad-data/labels-ok.csv", { label: "class" }), /--label-column: expected a column of labels-ok\.csv: "sequence_id", "label", got "class"/);
  assert.throws(() => readClassifyFiles("test/fixtures/bad-data/sequences-ok.csv", "test/fixtures/bad-data/nope.csv"), /--labels.*no such file/);
});
