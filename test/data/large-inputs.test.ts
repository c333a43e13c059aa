// Inputs large enough to break code that assumed small ones: 2·10^5 labelled sequences (the
// longest length was found by spreading every length into Math.max, which overflows the
// stack) and a gzip bomb as the firms analysis's prices file (decompressed output capped,
// refused in one line). Not here: memory over long runs (test/model/constant-memory.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { prepareClassify } from "../../src/data/prepare-classify.ts";
import { readText } from "../../src/analysis/firms/read.ts";
import { RecurrentError } from "../../src/errors.ts";
import { tempDir } from "../cli/helpers.ts";

const dir = tempDir("large-inputs");
test.after(() => rmSync(dir, { recursive: true, force: true }));

test("2·10^5 labelled sequences are prepared (no stack overflow), the longest length found", () => {
  const N = 200_000;
  // Tables made directly (parsing 2·10^5 lines would only add time): one step per sequence, then a second step for s3.
  const seqRows = Array.from({ length: N }, (_, i) => [`s${i}`, "0", String(i % 7)]);
  seqRows.push(["s3", "1", "2"]);
  const table = (header: string[], rows: string[][], source: string) => ({ source, header, rows, lines: rows.map((_, i) => i + 2) });
  const seqs = table(["sequence_id", "step", "f"], seqRows, "seqs.csv");
  const labels = table(["sequence_id", "label"], Array.from({ length: N }, (_, i) => [`s${i}`, i % 2 ? "a" : "b"]), "labels.csv");
  const d = prepareClassify(seqs, labels, { val: 0.1 });
  assert.equal(d.sequences.length, N);
  assert.equal(d.maxLength, 2);
});

test("a gzip bomb as a prices file is refused in one line once its output passes the cap", () => {
  const bomb = join(dir, "prices.csv.gz");
  writeFileSync(bomb, gzipSync(new Uint8Array(4 << 20)));          // 4 MB of zeros in about 4 kB
  assert.throws(() => readText(bomb, 1 << 20), (e: unknown) => e instanceof RecurrentError &&
    /^\/.*prices\.csv\.gz: expected gzip data of at most 1048576 bytes once decompressed, got more$/.test(e.message));
  const ok = join(dir, "small.csv.gz");
  writeFileSync(ok, gzipSync(new TextEncoder().encode("date,ticker,close\n2020-01-02,A,1\n")));
  assert.equal(readText(ok, 1 << 20), "date,ticker,close\n2020-01-02,A,1\n");
});
