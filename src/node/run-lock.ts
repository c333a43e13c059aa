// One training run per model directory: `<dir>/.lock` holds the running process's id, host and
// start time, created exclusively ("wx") so two runs cannot both take it. A second run refuses
// with one line naming the holder. A lock whose process is gone (a crash, `kill -9`) is stale:
// the next run takes it over and says so, so a crash never leaves a directory stuck. The same
// process may take its own lock again (a rollback resumes inside the run that holds it).
// Node only.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { RecurrentError } from "../errors.ts";

interface Holder { pid: number; host: string; started: string }

/** Takes the directory's lock; returns its release. `log` hears about a stale lock taken over. */
export function lockRunDir(dir: string, log: (line: string) => void = () => {}): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, ".lock");
  const me: Holder = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, "wx");
      try { writeSync(fd, JSON.stringify(me) + "\n"); } finally { closeSync(fd); }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw e;
      const holder = readHolder(path);
      if (holder && holder.pid === me.pid && holder.host === me.host) return () => {};   // ours already
      if (holder && holder.host === me.host && alive(holder.pid)) {
        throw new RecurrentError(`${dir}: expected a model directory no other run is using, got one locked by process ${holder.pid} (running since ${holder.started}; if it is not a training run, delete ${path})`);
      }
      if (holder && holder.host !== me.host) {
        throw new RecurrentError(`${dir}: expected a model directory no other run is using, got one locked by process ${holder.pid} on host ${holder.host} (since ${holder.started}; if that run is gone, delete ${path})`);
      }
      log(`  ${path}: taking over the lock of process ${holder?.pid ?? "?"}, which is no longer running`);
      rmSync(path, { force: true });
    }
  }
  return () => {
    const holder = readHolder(path);
    if (holder?.pid === me.pid && holder.host === me.host) rmSync(path, { force: true });
  };
}

function readHolder(path: string): Holder | null {
  try { return JSON.parse(readFileSync(path, "utf8")) as Holder; } catch { return null; }
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; }
  catch (e) { return (e as NodeJS.ErrnoException).code === "EPERM"; }   // exists, not ours to signal
}
