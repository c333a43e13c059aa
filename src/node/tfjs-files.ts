// Reading a TF.js model from disk for ./tfjs.ts, trusting nothing the files say: model.json
// must be a regular file of at most 64 MB; every weights path its manifest names must resolve
// (symlinks followed) to a regular file inside model.json's folder, no longer than the bytes
// its weights still declare. A FIFO is never opened for a blocking read, a device never read,
// a path that leaves the folder never opened; each is one line. Node only.
// Not here: the conversion (tfjs.ts, pure).
import { realpathSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { failWith } from "../data/problem.ts";
import { brief } from "../errors.ts";
import { readRegularFile } from "./files.ts";
import { importTfjsModel, type TfjsImport } from "../formats/tfjs.ts";

/** The largest model.json read (its topology and manifest; the weights are separate files). */
export const MAX_MODEL_JSON_BYTES = 64_000_000;

export { readRegularFile, readUserFile } from "./files.ts";

/** `p` (a manifest path) resolved inside `root` (a real path), or a one-line refusal. */
function insideFolder(root: string, p: string, where: string): string {
  const full = resolve(root, p);
  let real: string;
  try { real = realpathSync(full); } catch { return failWith(where, "an existing file inside the model's folder", "no such file"); }
  const rel = relative(root, real);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    failWith(where, `a file inside the model's folder ${root}`, `a path that leads to ${real}`);
  }
  return real;
}

/** Reads model.json and its weights (confined to its folder) and converts the model. */
export function importTfjsFile(modelPath: string): TfjsImport {
  let realModel: string;
  try { realModel = realpathSync(modelPath); } catch { return failWith(modelPath, "a tfjs model.json", "no such file"); }
  const bytes = readRegularFile(realModel, MAX_MODEL_JSON_BYTES, modelPath, "a model.json's topology and manifest");
  let text: string;
  try { text = new TextDecoder("utf-8", { fatal: true }).decode(bytes); }
  catch { return failWith(modelPath, "UTF-8 JSON", "invalid UTF-8 bytes (a binary file?)"); }
  let json: unknown;
  try { json = JSON.parse(text); }
  catch (e) { return failWith(modelPath, "JSON", `a parse error (${brief((e as Error).message)})`); }
  const root = dirname(realModel);
  return importTfjsModel(json, (p, maxBytes) => {
    const where = `${modelPath}: weights file ${JSON.stringify(p)}`;
    return readRegularFile(insideFolder(root, p, where), maxBytes, where, "what the manifest's weights still declare");
  }, modelPath);
}
