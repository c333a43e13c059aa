// File writing that never leaves a half-written file: write a sibling temp file, then
// rename over the target (atomic on one file system). The target must be a regular file or
// absent: a symlink, FIFO, device, socket or directory there is refused (checked with lstat,
// so a link is never followed or replaced), and the temp file is created exclusively ("wx"),
// so a link planted at its name is not followed either. Node only.
// Reading: readRegularFile / readUserFile read a regular file of bounded size, never blocking on
// a FIFO nor reading a device. Not here: checkpoints (./checkpoint-store.ts has its own fsynced, generation-based writer).
import { closeSync, constants, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readSync, realpathSync, renameSync, rmSync, writeSync, type Stats } from "node:fs";
import { dirname, basename, join } from "node:path";
import { failWith } from "../data/problem.ts";

/** What lstat found, worded for an error message. */
export function kindOf(st: Stats): string {
  if (st.isSymbolicLink()) return "a symbolic link";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  if (st.isDirectory()) return "a directory";
  return st.isFile() ? "a regular file" : "a special file";
}

/** Refuses a target that exists and is not a regular file (lstat: a link is not followed). */
export function checkWritableTarget(path: string): void {
  let st: Stats;
  try { st = lstatSync(path); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  if (!st.isFile()) failWith(path, "a regular file or no file (it would be replaced)", `${kindOf(st)}; refusing to replace it`);
}

/** The temp file's name beside `path` (checkpoint-store.ts cleans up stale ones by this shape). */
function tempName(path: string): string { return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`); }

/** Opens a fresh temp file beside `path` exclusively; a stale one of ours is removed first. */
function openTemp(path: string): { tmp: string; fd: number } {
  mkdirSync(dirname(path), { recursive: true });
  checkWritableTarget(path);
  const tmp = tempName(path);
  rmSync(tmp, { force: true });            // a leftover of this pid, or a planted link: unlink it, never follow it
  return { tmp, fd: openSync(tmp, "wx") };
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const out = openAtomic(path);
  try { out.write(data); out.commit(); }
  finally { out.abort(); }
}

/** A file written piece by piece and switched in whole by `commit` (nothing at `path` changes
 *  before it); `abort` (a no-op after commit) removes the temp file. */
export interface AtomicFile {
  readonly path: string;
  write(data: string | Uint8Array): void;
  commit(): void;
  abort(): void;
}

/** Starts an atomic write: for output produced as it goes (forecast --out streams rows). */
export function openAtomic(path: string): AtomicFile {
  const { tmp, fd } = openTemp(path);
  let open = true, done = false;
  const close = () => { if (open) { open = false; closeSync(fd); } };
  return {
    path,
    write(data) {
      const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
    },
    commit() {
      fsyncSync(fd);
      close();
      checkWritableTarget(path);           // again: something may have appeared meanwhile
      renameSync(tmp, path);
      done = true;
    },
    abort() {
      if (done) return;
      try { close(); } finally { rmSync(tmp, { force: true }); }
    },
  };
}

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
