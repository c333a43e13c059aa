// Property test of the CSV file reader (src/node/csv-file.ts), which indexes a file's bytes and
// decodes rows on demand: for random CSV text (quotes with "" and new lines inside, spaces
// after closing quotes, delimiters, CRLF, blank lines, a byte-order mark, ragged rows, non-ASCII),
// it gives the same header, rows and line numbers as parseCsv (papaparse) on the same text, or
// both refuse. Fixed seed, 3,000 cases. Not here: memory on a large file (test/data/csv-file.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseCsv, rowAt, rowCount, lineAt, type Table } from "../../src/data/csv.ts";
import { indexCsv } from "../../src/node/csv-file.ts";
import { RecurrentError } from "../../src/errors.ts";
import { SEED } from "./helpers.ts";

const plain = fc.oneof(fc.integer({ min: -99, max: 999 }).map(String), fc.constantFrom("", "NA", "2020-01-02", "x y", "é", "日本", "a'b", " 7 "), fc.string({ maxLength: 4 }).filter((s) => !/["\n\r,;\t|]/.test(s)));
const quoted = fc.oneof(plain, fc.constantFrom("a,b", "x\ny", 'say ""hi""', "", "r\r\ns")).map((s) => `"${s}"`);
const cell = fc.oneof({ weight: 5, arbitrary: plain }, { weight: 2, arbitrary: quoted }, { weight: 1, arbitrary: quoted.map((q) => `${q}  `) });
const record = fc.array(cell, { minLength: 1, maxLength: 4 });
const csvText = fc.tuple(fc.array(fc.constantFrom("date", "v", "w", "name", "x1"), { minLength: 1, maxLength: 4 }), fc.array(record, { maxLength: 12 }),
  fc.constantFrom(",", ";", "\t"), fc.constantFrom("\n", "\r\n"), fc.boolean(), fc.boolean(), fc.boolean())
  .map(([header, rows, d, nl, bom, blank, endNl]) => (bom ? "\uFEFF" : "") + [header.join(d), ...rows.map((r) => r.join(d)), ...(blank ? ["", "  "] : [])].join(nl) + (endNl ? nl : ""));

function outcome(f: () => Table): { header: string[]; rows: string[][]; lines: number[] } | "refused" {
  try {
    const t = f();
    const rows: string[][] = [], lines: number[] = [];
    for (let i = 0; i < rowCount(t); i++) { rows.push([...rowAt(t, i)]); lines.push(lineAt(t, i)); }
    return { header: t.header, rows, lines };
  } catch (e) {
    if (e instanceof RecurrentError) return "refused";
    throw e;
  }
}

test("the byte-indexed file reader reads random CSV exactly as parseCsv does, or both refuse", () => {
  fc.assert(fc.property(csvText, (text) => {
    const want = outcome(() => parseCsv(text, "t.csv"));
    const got = outcome(() => indexCsv(new TextEncoder().encode(text), "t.csv"));
    assert.deepEqual(got, want);
  }), { seed: SEED, numRuns: 3000 });
});
