// Reading a CSV file (src/node/csv-file.ts) holds its bytes and a small index, not a string per
// cell: a 12 MB file of 11 short columns is held in less than twice its size (measured in a
// child process after a full collection; papaparse's string rows, the reader before, held 6.1
// times: the child's "papaparse" mode, run by hand, shows it). Not here: the parse's equivalence with parseCsv
// (test/fuzz/csv-file.test.ts), bad files (test/data/csv-series.test.ts, test/cli/bad-input.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../cli/helpers.ts";

const dir = tempDir("csv-file");
test.after(() => rmSync(dir, { recursive: true, force: true }));

function held(how: "index" | "papaparse"): { file: number; retained: number; rows: number } {
  const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", "test/helpers/csv-memory-child.ts", join(dir, `big-${how}.csv`), "300000", how], { encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("a 12 MB CSV is held in less than twice its bytes (papaparse's rows: 6 times)", (t) => {
  const now = held("index");
  t.diagnostic(`file ${(now.file / 1e6).toFixed(1)} MB, held ${(now.retained / 1e6).toFixed(1)} MB (${(now.retained / now.file).toFixed(2)}×)`);
  assert.equal(now.rows, 300000);
  assert.ok(now.retained < 2 * now.file, `held ${(now.retained / now.file).toFixed(2)} times the file`);
});
