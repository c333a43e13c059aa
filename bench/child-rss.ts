// Runs a command and reports its peak RSS. Node's spawnSync gives no rusage of a child, so
// this polls the child's VmHWM (the kernel's high-water mark of its resident set, which only
// grows) in /proc while it runs; the last reading is the peak to within one poll (Linux only;
// elsewhere the peak is null).

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

export interface ChildOutcome { status: number | null; stdout: string; stderr: string; peakRssMb: number | null }

function vmHwmMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch { return null; }
}

export function runWithPeakRss(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; pollMs?: number } = {}): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "", peak: number | null = null;
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    const poll = setInterval(() => { const m = child.pid ? vmHwmMb(child.pid) : null; if (m !== null) peak = Math.max(peak ?? 0, m); }, opts.pollMs ?? 100);
    child.on("error", (e) => { clearInterval(poll); reject(e); });
    child.on("close", (status) => { clearInterval(poll); resolve({ status, stdout, stderr, peakRssMb: peak }); });
  });
}
