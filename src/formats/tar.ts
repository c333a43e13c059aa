// A tar archive (POSIX ustar) of a few files, written and read in pure TypeScript on
// Uint8Array, so a browser can hand over a whole model directory as one download and take one
// back (`tar xf model.tar` unpacks it where `recurrent eval --model DIR` reads it).
//
// Layout: per file a 512-byte header (name, octal mode/size/mtime, checksum, type flag,
// "ustar\0" "00"), its bytes padded with zeros to a multiple of 512; two zero blocks at the end.
// Reading accepts what GNU tar and bsdtar write for plain files (ustar or GNU magic, long names
// through the ustar prefix or GNU 'L' records, pax 'x'/'g' headers skipped), checks every
// header's checksum and every size against the bytes present, and refuses anything else with one
// clear line. Not here: compression, links, devices, permissions (files come back as bytes).
import { RecurrentError } from "../errors.ts";

const BLOCK = 512;
const utf8 = new TextEncoder();

export interface TarEntry { path: string; bytes: Uint8Array }

/** A ustar archive of `entries` (paths with "/" separators; a directory entry is written for
 *  each parent directory first). `mtime`: seconds since 1970 for every entry (default 0, so the
 *  same files always give the same bytes). */
export function writeTar(entries: TarEntry[], mtime = 0): Uint8Array {
  const blocks: Uint8Array[] = [];
  const dirs = new Set<string>();
  for (const e of entries) {
    if (typeof e.path !== "string" || !e.path || e.path.startsWith("/") || e.path.split("/").some((p) => p === ".." || p === "")) {
      throw new RecurrentError(`writeTar: path: expected a relative path without "..", got ${JSON.stringify(e.path)}`);
    }
    const parts = e.path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join("/") + "/";
      if (!dirs.has(d)) { dirs.add(d); blocks.push(header(d, 0, mtime, "5", 0o755)); }
    }
    blocks.push(header(e.path, e.bytes.length, mtime, "0", 0o644));
    blocks.push(e.bytes);
    const pad = (BLOCK - (e.bytes.length % BLOCK)) % BLOCK;
    if (pad) blocks.push(new Uint8Array(pad));
  }
  blocks.push(new Uint8Array(2 * BLOCK));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) { out.set(b, at); at += b.length; }
  return out;
}

function header(path: string, size: number, mtime: number, type: string, mode: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  let name = utf8.encode(path), prefix = new Uint8Array(0);
  if (name.length > 100) {
    // ustar splits a long path at a "/" into prefix (≤ 155 bytes) and name (≤ 100 bytes).
    const cut = path.lastIndexOf("/", path.length - 2);
    prefix = utf8.encode(path.slice(0, cut)); name = utf8.encode(path.slice(cut + 1));
    if (cut < 0 || name.length > 100 || prefix.length > 155) throw new RecurrentError(`writeTar: path: expected a name of at most 100 bytes in a directory of at most 155 (ustar), got ${JSON.stringify(path)}`);
  }
  h.set(name, 0);
  octal(h, 100, 8, mode); octal(h, 108, 8, 0); octal(h, 116, 8, 0);
  octal(h, 124, 12, size); octal(h, 136, 12, mtime);
  h[156] = type.charCodeAt(0);
  h.set(utf8.encode("ustar\u000000"), 257);
  h.set(prefix, 345);
  h.fill(0x20, 148, 156);
  const sum = h.reduce((s, b) => s + b, 0);
  octal(h, 148, 7, sum);
  h[155] = 0x20;
  return h;
}

/** Writes n as zero-padded octal digits filling len − 1 bytes, then a NUL. */
function octal(h: Uint8Array, at: number, len: number, n: number): void {
  const s = n.toString(8).padStart(len - 1, "0");
  if (s.length > len - 1) throw new RecurrentError(`writeTar: a number too large for a ustar field (${n})`);
  h.set(utf8.encode(s), at);
  h[at + len - 1] = 0;
}

/** The regular files of a tar archive, in order. `source` names the archive in errors. */
export function readTar(bytes: Uint8Array, source = "archive"): TarEntry[] {
  const dec = new TextDecoder();
  const text = (at: number, len: number) => { const s = bytes.subarray(at, at + len); const z = s.indexOf(0); return dec.decode(z < 0 ? s : s.subarray(0, z)); };
  const num = (at: number, len: number, what: string, off: number) => {
    const s = text(at, len).trim();
    if (!/^[0-7]*$/.test(s)) throw new RecurrentError(`${source}: header at byte ${off}: ${what}: expected octal digits, got ${JSON.stringify(s)}`);
    return s ? parseInt(s, 8) : 0;
  };
  if (bytes.length < BLOCK || bytes.length % BLOCK !== 0) {
    throw new RecurrentError(`${source}: expected a tar archive (a multiple of 512 bytes), got ${bytes.length} bytes`);
  }
  const out: TarEntry[] = [];
  let longName: string | null = null;
  for (let off = 0; off + BLOCK <= bytes.length;) {
    const h = bytes.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const magic = text(257, 6);
    if (magic !== "ustar" && magic !== "ustar ") {
      throw new RecurrentError(`${source}: expected a tar archive (ustar header), got ${off === 0 ? "a file that is not one" : `no header at byte ${off}`}`);
    }
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
    const want = num(off + 148, 8, "checksum", off);
    if (want !== sum) throw new RecurrentError(`${source}: header at byte ${off}: checksum: expected ${sum}, got ${want} (a damaged archive)`);
    const size = num(off + 124, 12, "size", off);
    const type = String.fromCharCode(h[156] || 0x30);
    const start = off + BLOCK, end = start + size;
    if (end > bytes.length) throw new RecurrentError(`${source}: entry at byte ${off}: expected ${size} bytes of data, got ${bytes.length - start} (a truncated archive)`);
    const prefix = text(off + 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(off, 100)}` : text(off, 100));
    longName = null;
    if (type === "L") longName = text(start, size);
    else if (type === "0" || type === "7") out.push({ path: name, bytes: bytes.slice(start, end) });
    else if (!"5xg".includes(type)) throw new RecurrentError(`${source}: entry ${JSON.stringify(name)}: expected a file or directory, got tar type ${JSON.stringify(type)}`);
    off = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}
