// How the gradient-free and HMM experiments run: each unit of work in a child process of the
// experiment's own script (`--unit JSON`, one JSON row per line on its stdout), `lanes` of them
// at a time, taking units from the front of the queue (put the longest first, so the lanes end
// together). A child's stderr passes through; its rows are echoed to stderr as they arrive.
import { spawn } from "node:child_process";

/** Runs every unit of `queue` (emptied) through `script --unit JSON`; resolves with all rows. */
export async function runLanes(script: string, queue: unknown[], lanes: number): Promise<Record<string, any>[]> {
  const rows: Record<string, any>[] = [];
  const lane = async () => {
    for (let u = queue.shift(); u; u = queue.shift()) {
      const out = await child(["--import", "tsx", script, "--unit", JSON.stringify(u)]);
      for (const l of out.split("\n").filter(Boolean)) { rows.push(JSON.parse(l)); process.stderr.write(l + "\n"); }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return rows;
}

/** Node with `argv`; resolves with its stdout ("pipe") or nothing ("inherit"); rejects on a non-zero exit. */
export function child(argv: string[], stdio: "pipe" | "inherit" = "pipe"): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, argv, { stdio: ["ignore", stdio, "inherit"] });
    let out = "";
    p.stdout?.on("data", (d) => { out += d; });
    p.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${argv.slice(2).join(" ")}: exit ${code}`))));
  });
}
