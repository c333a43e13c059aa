// Running the CLI from tests: in-process through main() with stdout/stderr captured (fast:
// no tsx start-up per call), or as a child process (for signals and resume across processes).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.ts";

export interface CliResult { code: number; stdout: string; stderr: string }

export async function cli(args: string[]): Promise<CliResult> {
  let stdout = "", stderr = "";
  const ow = process.stdout.write, ew = process.stderr.write;
  // Only strings are ours: node:test reports through the same stdout with binary chunks.
  process.stdout.write = ((s: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof s !== "string") return (ow as (...a: unknown[]) => boolean).call(process.stdout, s, ...rest);
    stdout += s; return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof s !== "string") return (ew as (...a: unknown[]) => boolean).call(process.stderr, s, ...rest);
    stderr += s; return true;
  }) as typeof process.stderr.write;
  try { return { code: await main(args), stdout, stderr }; }
  finally { process.stdout.write = ow; process.stderr.write = ew; }
}

export function cliProcess(args: string[]): CliResult {
  const r = spawnSync(process.execPath, ["bin/recurrent.mjs", ...args], { encoding: "utf8" });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the CLI, calls `whenReady` on each stderr/stdout chunk until it returns true, then sends `signal`. */
export function cliKilled(args: string[], ready: () => boolean, signal: NodeJS.Signals): Promise<CliResult> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["bin/recurrent.mjs", ...args]);
    let stdout = "", stderr = "", sent = false;
    const poll = setInterval(() => { if (!sent && ready()) { sent = true; p.kill(signal); } }, 20);
    p.stdout.on("data", (d) => { stdout += d; });
    p.stderr.on("data", (d) => { stderr += d; });
    p.on("close", (code) => { clearInterval(poll); resolve({ code: code ?? -1, stdout, stderr }); });
  });
}

export function tempDir(prefix: string): string { return mkdtempSync(join(tmpdir(), `recurrent-${prefix}-`)); }

/** The first `chars` characters of the repository's Shakespeare slice, as a file in `dir`. */
export function shakespeare(dir: string, chars: number): string {
  const path = join(dir, `shakespeare-${chars}.txt`);
  writeFileSync(path, readFileSync("data/tinyshakespeare-100k.txt", "utf8").slice(0, chars));
  return path;
}
