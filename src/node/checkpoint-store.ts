// A training run's checkpoints as one atomic unit. Each checkpoint is a generation: a new
// directory `checkpoints/<step>-<id>/` holding every file of the checkpoint, each written and
// fsynced, then the directory fsynced. Then one atomic switch: `checkpoint.json`, the manifest
// naming the generation, its step and each file's size and SHA-256, is written to a temp name,
// fsynced, renamed over the old one, and the model directory fsynced. Only then are older
// generations removed. So a crash at any instant, power loss included, leaves either the
// previous complete checkpoint or the new one as the current one; a reader checks every file
// against the manifest and refuses a mismatch with one line (a disk that lied, or a hand edit).
// The design is Orbax's (write a new step directory, commit by a final atomic marker).
//
// Test hooks (environment): RECURRENT_TEST_CRASH_AT=N kills the process (SIGKILL) just before
// its N-th file operation here (1-based, counted over the process); RECURRENT_TEST_ENOSPC_AT=N
// makes the N-th operation fail as a full disk would. They let tests stop between any two
// file operations of a checkpoint, where a signal's timing would be a race.
// Node only. Not here: what the files hold (src/cli/session/checkpoint.ts).
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { RecurrentError, brief } from "../errors.ts";

export const MANIFEST = "checkpoint.json";
const GENERATIONS = "checkpoints";

export interface Manifest {
  format: "recurrent-checkpoint";
  version: 1;
  /** Optimiser updates made when the checkpoint was taken. */
  step: number;
  /** The generation directory, relative to the model directory. */
  generation: string;
  files: Record<string, { bytes: number; sha256: string }>;
}

let ops = 0;
const crashAt = Number(process.env.RECURRENT_TEST_CRASH_AT ?? 0);
const enospcAt = Number(process.env.RECURRENT_TEST_ENOSPC_AT ?? 0);

/** Counts a file operation and applies the test hooks. */
function op(what: string): void {
  ops++;
  if (crashAt && ops === crashAt) process.kill(process.pid, "SIGKILL");
  if (enospcAt && ops === enospcAt) {
    const e = new Error(`ENOSPC: no space left on device, ${what}`) as NodeJS.ErrnoException;
    e.code = "ENOSPC";
    throw e;
  }
}

function sha256(data: Uint8Array): string { return createHash("sha256").update(data).digest("hex"); }

/** Writes a file and forces it to disk. */
function writeDurable(path: string, data: Uint8Array): void {
  op(`write ${path}`);
  const fd = openSync(path, "wx");                 // a new name: never an existing file or link
  try {
    let at = 0;
    while (at < data.length) at += writeSync(fd, data, at, data.length - at);
    fsyncSync(fd);
  } finally { closeSync(fd); }
}

/** Forces a directory's entries (new names, renames) to disk. */
function fsyncDir(path: string): void {
  op(`fsync ${path}`);
  const fd = openSync(path, "r");
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/**
 * Commits the files as the directory's new current checkpoint (see the top of this file).
 * On any failure (a full disk) the new generation is removed and the previous checkpoint stays
 * current; the error says which file could not be written.
 */
export function commitCheckpoint(dir: string, step: number, files: Record<string, string | Uint8Array>): Manifest {
  const root = join(dir, GENERATIONS);
  mkdirSync(root, { recursive: true });
  const generation = `${GENERATIONS}/${String(step).padStart(10, "0")}-${randomBytes(4).toString("hex")}`;
  const genPath = join(dir, generation);
  const manifest: Manifest = { format: "recurrent-checkpoint", version: 1, step, generation, files: {} };
  const tmp = join(dir, `.${MANIFEST}.${process.pid}.tmp`);
  try {
    op(`mkdir ${genPath}`);
    mkdirSync(genPath);
    for (const [name, content] of Object.entries(files)) {
      const data = typeof content === "string" ? Buffer.from(content, "utf8") : content;
      writeDurable(join(genPath, name), data);
      manifest.files[name] = { bytes: data.length, sha256: sha256(data) };
    }
    fsyncDir(genPath);
    fsyncDir(root);
    rmSync(tmp, { force: true });
    writeDurable(tmp, Buffer.from(JSON.stringify(manifest, null, 2) + "\n"));
    op(`rename ${tmp}`);
    renameSync(tmp, join(dir, MANIFEST));           // the switch
    fsyncDir(dir);
  } catch (e) {
    rmSync(tmp, { force: true });
    rmSync(genPath, { recursive: true, force: true });
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOSPC") throw new RecurrentError(`${dir}: checkpoint of step ${step} not written (disk full: ${err.message}); the previous checkpoint is intact`);
    throw e;
  }
  // Older generations (and any left by a crash before its switch) are no longer current; nor
  // are temp files a killed writer left (writeFileAtomic's `.<name>.<pid>.tmp`).
  for (const name of readdirSync(root)) {
    if (`${GENERATIONS}/${name}` !== generation) { op(`rm ${name}`); rmSync(join(root, name), { recursive: true, force: true }); }
  }
  for (const name of readdirSync(dir)) if (/^\..+\.\d+\.tmp$/.test(name) && name !== `.${MANIFEST}.${process.pid}.tmp`) rmSync(join(dir, name), { force: true });
  return manifest;
}

export interface Checkpoint {
  manifest: Manifest;
  /** The bytes of one file of the checkpoint, checked against the manifest; null if it has no such file. */
  read(name: string): Buffer | null;
}

/** The directory's current checkpoint, or null if it has none (a model directory of the older
 *  layout, or no checkpoint yet). A manifest that does not match its files is refused. */
export function openCheckpoint(dir: string): Checkpoint | null {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) return null;
  let m: Manifest;
  try { m = JSON.parse(readFileSync(path, "utf8")); }
  catch (e) { throw new RecurrentError(`${path}: expected a checkpoint manifest (JSON), got a parse error (${brief((e as Error).message)})`); }
  if (m?.format !== "recurrent-checkpoint" || typeof m.step !== "number" || typeof m.generation !== "string" || typeof m.files !== "object" || m.files === null) {
    throw new RecurrentError(`${path}: expected {"format": "recurrent-checkpoint", step, generation, files}, got ${JSON.stringify(m).slice(0, 80)}`);
  }
  if (!/^checkpoints\/[0-9a-f-]+$/.test(m.generation)) throw new RecurrentError(`${path}: expected a generation under checkpoints/, got ${JSON.stringify(m.generation)}`);
  const cache = new Map<string, Buffer>();
  return {
    manifest: m,
    read(name: string): Buffer | null {
      const want = m.files[name];
      if (!want) return null;
      let data = cache.get(name);
      if (!data) {
        const file = join(dir, m.generation, name);
        if (!existsSync(file)) throw new RecurrentError(`${file}: expected the file the checkpoint of step ${m.step} names, got none (a mixed or damaged checkpoint)`);
        data = readFileSync(file);
        if (data.length !== want.bytes || sha256(data) !== want.sha256) {
          throw new RecurrentError(`${file}: expected ${want.bytes} bytes with SHA-256 ${want.sha256.slice(0, 12)}… as checkpoint.json says, got ${data.length} bytes with ${sha256(data).slice(0, 12)}… (a mixed or damaged checkpoint)`);
        }
        cache.set(name, data);
      }
      return data;
    },
  };
}
