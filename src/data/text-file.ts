// Reading input files for the data loaders (Node only; the loaders themselves take
// strings). A missing file, a directory or an empty file is one clear line.
import { readFileSync, statSync } from "node:fs";
import { checkWith, failWith } from "./problem.ts";

/** The UTF-8 text of a file given by `flag` (e.g. "--text"), non-empty. */
export function readTextFile(path: string, flag = "file"): string {
  let isFile = false;
  try { isFile = statSync(path).isFile(); } catch { failWith(`${flag} ${path}`, "an existing file", "no such file"); }
  checkWith(isFile, `${flag} ${path}`, "a file", "a directory or special file");
  const text = readFileSync(path, "utf8");
  checkWith(text.trim().length > 0, `${flag} ${path}`, "a non-empty file", "an empty file");
  return text;
}
