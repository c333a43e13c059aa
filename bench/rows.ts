// Raw rows of a benchmark run: one small JSON object per measurement, appended to a file under
// docs/performance/ as it is measured, with what is needed to judge it later: the commit (and
// whether the tree had changes), the time, the machine's load average, the command line.
// docs/performance.md is generated from these files (scripts/performance-report.ts); nothing
// in it is typed by hand.

import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const ROWS_DIR = join(ROOT, "docs", "performance");

export interface RunMeta {
  /** When the run started (ISO 8601, UTC): the id of every row of one run. */
  run: string;
  commit: string;
  /** The working tree had uncommitted changes: the commit alone does not say what ran. */
  dirty: boolean;
  argv: string[];
  smoke: boolean;
  node: string;
  cpu: string;
  cores: number;
}

function git(...args: string[]): string {
  try { return execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim(); }
  catch { return ""; }
}

export function runMeta(smoke: boolean): RunMeta {
  return {
    run: new Date().toISOString(), commit: git("rev-parse", "HEAD") || "unknown", dirty: git("status", "--porcelain", "--untracked-files=no") !== "",
    argv: process.argv.slice(2), smoke, node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: availableParallelism(),
  };
}

/** `docs/performance/{smoke-}{kind}-2026-11-30T0830Z.jsonl` for a run started at `run`. */
export function defaultRowsFile(kind: "bench" | "quality" | "generate", meta: RunMeta): string {
  const stamp = meta.run.replace(/:\d\d\.\d+Z$/, "Z").replace(/:/g, "");
  return join(ROWS_DIR, `${meta.smoke ? "smoke-" : ""}${kind}-${stamp}.jsonl`);
}

/** Appends rows to a JSON-lines file; `file` null writes nothing. Each row gets the run's
 *  metadata, the time it was written and the 1, 5 and 15 minute load averages then. */
export class RowWriter {
  constructor(readonly file: string | null, readonly meta: RunMeta) {
    if (file) mkdirSync(dirname(file), { recursive: true });
  }
  write(row: Record<string, unknown>): Record<string, unknown> {
    const full = { ...row, date: new Date().toISOString(), loadavg: loadavg().map((x) => Number(x.toFixed(2))), ...this.meta };
    if (this.file) appendFileSync(this.file, JSON.stringify(full) + "\n");
    return full;
  }
  /** The closing row: how long the whole run took (the docs quote it). */
  end(): void {
    this.write({ kind: "run", seconds: Number(((Date.now() - Date.parse(this.meta.run)) / 1000).toFixed(1)) });
  }
}
