// Updates per second in the playground (headless Chromium, the training worker with the
// WebAssembly kernels) against `recurrent train` on the same task, size, batch and thread
// count, on this machine, alternating the two so that both see the same conditions. Appends one
// JSON line per measurement to docs/playground/speed.jsonl (or --out FILE); `node --import tsx
// scripts/playground-report.ts` turns the rows into docs/playground/README.md.
//
//   node --import tsx scripts/playground-speed.ts [--seconds 10] [--rounds 2] [--threads 1,2] [--only adding-lstm,...] [--out FILE]
//
// Both sides are timed the way fit() times a run: training seconds with validation left out
// (FitState.seconds; the CLI's --json "seconds"), so the page's views count against it and its
// validation does not, as the CLI's progress display counts and its validation does not. The
// page's own read-out (updates/s over the last seconds, everything in the worker included) is
// recorded beside it.
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir, cpus } from "node:os";
import { join } from "node:path";
import { buildPage, launch, serve, watchedPage, ready, metric } from "../test/playground/serve.ts";

interface Setup { id: string; query: string; flags: string[]; batch: number }

const SETUPS: Setup[] = [
  { id: "adding-lstm-h32-T20", query: "cell=lstm&task=adding&length=20&hidden=32&batch=32&lr=0.01&clip=1&init=glorot&seed=1&optimizer=adam", flags: ["--task", "adding", "--length", "20", "--cell", "lstm", "--hidden", "32", "--batch", "32", "--lr", "0.01", "--clip", "1", "--init", "glorot", "--seed", "1"], batch: 32 },
  { id: "adding-elman-h32-T50", query: "cell=elman&task=adding&length=50&hidden=32&batch=32&lr=0.003&clip=1&init=glorot&seed=1&optimizer=adam", flags: ["--task", "adding", "--length", "50", "--cell", "elman", "--hidden", "32", "--batch", "32", "--lr", "0.003", "--clip", "1", "--init", "glorot", "--seed", "1"], batch: 32 },
  { id: "charlm-lstm-h128-seq64", query: "cell=lstm&task=charlm&hidden=128&seq=64&batch=32&lr=0.002&clip=5&seed=1&optimizer=adam", flags: ["--task", "charlm", "--text", "data/tinyshakespeare-100k.txt", "--cell", "lstm", "--hidden", "128", "--seq", "64", "--batch", "32", "--lr", "0.002", "--clip", "5", "--seed", "1", "--patience", "0"], batch: 32 },
];

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ""), process.argv[i + 1]);
const SECONDS = Number(args.get("seconds") ?? 10);
const ROUNDS = Number(args.get("rounds") ?? 2);
const THREADS = (args.get("threads") ?? "1,2").split(",").map(Number);
const ONLY = args.get("only")?.split(",");
const OUT = args.get("out") ?? "docs/playground/speed.jsonl";
const command = `node --import tsx scripts/playground-speed.ts ${process.argv.slice(2).join(" ")}`.trim();
const date = new Date().toISOString().slice(0, 10);
const machine = `${cpus().length} cores, ${cpus()[0]?.model ?? "?"}`;

function row(r: Record<string, unknown>): void {
  const line = JSON.stringify({ date, machine, command, ...r, load1: Number(loadavg()[0].toFixed(2)) });
  appendFileSync(OUT, line + "\n");
  console.error(line);
}

function cli(s: Setup, threads: number): void {
  const dir = mkdtempSync(join(tmpdir(), "recurrent-speed-"));
  try {
    const r = spawnSync(process.execPath, ["bin/recurrent.mjs", "train", ...s.flags, "--epochs", "0", "--time-limit", String(SECONDS), "--threads", String(threads), "--json", "--out", join(dir, "run")], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`recurrent train failed: ${r.stderr}`);
    const j = JSON.parse(r.stdout.trim().split("\n").pop()!);
    row({ setup: s.id, side: "cli", threads, updates: j.steps, seconds: j.seconds, updates_per_s: j.steps / j.seconds, backend: j.backend });
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

const built = await buildPage();
const { url, server } = await serve(built.dir);
const browser = await launch();

async function page(s: Setup, threads: number): Promise<void> {
  const w = await watchedPage(browser);
  try {
    await w.page.goto(`${url}?${s.query}&threads=${threads}`);
    await ready(w.page, 60_000);
    await w.page.click('[data-action="train"]');
    await w.page.waitForTimeout(SECONDS * 1000);
    const shown = await metric(w.page, "rate");   // the page's read-out: the last few seconds, everything counted
    await w.page.click('[data-action="pause"]');
    await w.page.waitForFunction(() => document.querySelector('[data-metric="state"]')?.textContent === "paused", undefined, { timeout: 60_000 });
    const updates = await metric(w.page, "step");
    const seconds = Number(await w.page.getAttribute('[data-view="loss"]', "data-train-seconds"));
    const backend = (await w.page.textContent("[data-backend]"))?.replace(/^Kernels: /, "").split(" — ")[0];
    if (w.errors.length) throw new Error(`page errors: ${w.errors.join("; ")}`);
    row({ setup: s.id, side: "page", threads, updates, seconds, updates_per_s: updates / seconds, shown_updates_per_s: shown, backend });
  } finally {
    await w.page.context().close();
  }
}

try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of SETUPS.filter((x) => !ONLY || ONLY.includes(x.id))) {
      for (const t of THREADS) {
        // Alternate which side goes first, so neither always meets a warmer (or busier) machine.
        if (round % 2 === 0) { await page(s, t); cli(s, t); } else { cli(s, t); await page(s, t); }
      }
    }
  }
} finally {
  await browser.close();
  server.close();
  built.dispose();
}
