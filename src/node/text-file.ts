// Reading input files for the data loaders (Node only; the loaders themselves take
// strings). A missing file, a directory, a FIFO or device, an empty file, a file too long for
// one string, and bytes that are not text (invalid UTF-8, or a NUL byte: a binary file) are
// each one clear line.
import { statSync } from "node:fs";
import { readUserFile } from "./files.ts";
import { checkWith, failWith } from "../data/problem.ts";

/** The longest string V8 makes (2^29 − 24 UTF-16 units); a file longer than this cannot be one string. */
export const MAX_TEXT_BYTES = 2 ** 29 - 24;

/** Text from bytes that must be UTF-8 (a byte-order mark is kept, as before), or one line saying
 *  where the bytes stop being text. */
export function decodeText(bytes: Uint8Array, where: string): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) failWith(where, "UTF-8 text", `a NUL byte at byte ${nul} (a binary file?)`);
  try { return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes); }
  catch {
    return failWith(where, "UTF-8 text", `invalid UTF-8 at byte ${firstInvalid(bytes)} (a binary file, or another encoding such as Latin-1?)`);
  }
}

/** The offset of the first byte that breaks UTF-8 (for the message; the decoder found one). */
function firstInvalid(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i];
    const n = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (n === 0 || i + n > b.length) return i;
    for (let k = 1; k < n; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    if (n === 3 && ((c === 0xe0 && b[i + 1] < 0xa0) || (c === 0xed && b[i + 1] >= 0xa0))) return i;
    if (n === 4 && ((c === 0xf0 && b[i + 1] < 0x90) || (c === 0xf4 && b[i + 1] >= 0x90))) return i;
    i += n;
  }
  return b.length;
}

/** The UTF-8 text of a file given by `flag` (e.g. "--text"), non-empty. */
export function readTextFile(path: string, flag = "file"): string {
  const where = `${flag} ${path}`;
  let isDir = false;
  try { isDir = statSync(path).isDirectory(); } catch { failWith(where, "an existing file", "no such file"); }
  checkWith(!isDir, where, "a file", "a directory");
  const text = decodeText(readUserFile(path, MAX_TEXT_BYTES, where, "the longest text held as one string"), where);
  checkWith(text.trim().length > 0, where, "a non-empty file", "an empty file");
  return text;
}
