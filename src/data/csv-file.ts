// CSV files → tables (Node only; csv.ts parses strings). Error messages name the file.
import { basename } from "node:path";
import { readTextFile } from "./text-file.ts";
import { parseCsv, type Table } from "./csv.ts";

export function readCsvFile(path: string, flag = "--csv"): Table {
  return parseCsv(readTextFile(path, flag), basename(path));
}
