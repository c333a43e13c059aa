// A child process for test/data/csv-file.test.ts: writes a CSV of ROWS rows and 11 short
// columns to FILE, reads it with readCsvFile (or, with "papaparse", as parseCsv of the whole
// text, the reader before the byte index) and prints one JSON line {file, retained, rows}: the
// file's bytes and what the table holds (JS heap + external memory after a full collection).
// Usage: node --expose-gc --import tsx test/helpers/csv-memory-child.ts FILE ROWS [papaparse]
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { readCsvFile } from "../../src/node/csv-file.ts";
import { parseCsv, rowCount } from "../../src/data/csv.ts";

const gc = (globalThis as { gc?: () => void }).gc ?? (() => { throw new Error("run with --expose-gc"); })();
const [file, rowsText, how] = process.argv.slice(2);
const N = Number(rowsText);
const lines = ["date,price,a,b,c,d,e,f,g,h,i"];
for (let i = 0; i < N; i++) lines.push(`${new Date(Date.UTC(2000, 0, 1) + i * 60000).toISOString().slice(0, 16)},${(100 + Math.sin(i / 50) * 10).toFixed(2)},${i % 7},${i % 11},${i % 3},${i % 5},1,2,3,4,${i % 9}`);
writeFileSync(file!, lines.join("\n") + "\n");
lines.length = 0;
const mem = () => { gc(); gc(); const m = process.memoryUsage(); return m.heapUsed + m.external; };
const before = mem();
const table = how === "papaparse" ? parseCsv(readFileSync(file!, "utf8"), "big.csv") : readCsvFile(file!, "--csv");
const retained = mem() - before;
process.stdout.write(JSON.stringify({ file: statSync(file!).size, retained, rows: rowCount(table) }) + "\n");
