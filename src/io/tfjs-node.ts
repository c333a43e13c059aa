// Reading a TF.js model from disk for ./tfjs.ts, trusting nothing the files say: model.json
// must be a regular file of at most 64 MB; every weights path its manifest names must resolve
// (symlinks followed) to a regular file inside model.json's folder, no longer than the bytes
// its weights still declare. A FIFO is never opened for a blocking read, a device never read,
// a path that leaves the folder never opened; each is one line. Node only.
// Not here: the conversion (tfjs.ts, pure).
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { failWith } from "../data/problem.ts";
import { kindOf } from "./files.ts";
import { importTfjsModel, type TfjsImport } from "./tfjs.ts";

/** The largest model.json read (its topology and manifest; the weights are separate files). */
export const MAX_MODEL_JSON_BYTES = 64_000_000;

/**
 * The bytes of a regular file, at most `maxBytes` of them, refusing anything else in one line
 * naming `where`: opened without following a final symlink (`path` is already resolved) and
 * without blocking (a FIFO), then checked with fstat on what was really opened.
 */
export function readRegularFile(path: string, maxBytes: number, where: string, what: string): Uint8Array {
  let fd: number;
  try { fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW); }
  catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return failWith(where, "a readable regular file", code === "ENOENT" ? "no such file" : code === "ELOOP" ? "a symbolic link" : `${code ?? "an error"} opening it`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) failWith(where, "a regular file", kindOf(st));
    if (st.size > maxBytes) failWith(where, `at most ${maxBytes} bytes (${what})`, `${st.size} bytes`);
    const out = new Uint8Array(st.size);
    let off = 0;
    while (off < out.length) {
      const n = readSync(fd, out, off, out.length - off, off);
      if (n === 0) break;
      off += n;
    }
    if (off !== st.size) failWith(where, `${st.size} bytes (its size when opened)`, `${off}: the file changed while being read`);
    return out;
  } finally { closeSync(fd); }
}

/** A file the user named (symlinks followed), read as readRegularFile does. */
export function readUserFile(path: string, maxBytes: number, where: string, what: string): Uint8Array {
  let real: string;
  try { real = realpathSync(path); } catch { return failWith(where, "an existing file", "no such file"); }
  return readRegularFile(real, maxBytes, where, what);
}

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
  catch (e) { return failWith(modelPath, "JSON", `a parse error (${(e as Error).message.slice(0, 200)})`); }
  const root = dirname(realModel);
  return importTfjsModel(json, (p, maxBytes) => {
    const where = `${modelPath}: weights file ${JSON.stringify(p)}`;
    return readRegularFile(insideFolder(root, p, where), maxBytes, where, "what the manifest's weights still declare");
  }, modelPath);
}
