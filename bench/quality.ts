// Time-to-quality (`npm run bench -- --quality`): the character LSTM that `recurrent train
// --task charlm` builds by default (128 units, one-hot input, Adam 2e-3, batch 32, 64-step
// truncated BPTT carrying the state, clip 5, 90/10 split by position), trained by our CLI with
// its defaults and by a plain PyTorch script of the same model and hyperparameters
// (pytorch_quality.py), for the same budgets of training time (validation not counted), on
// the same text. Users feel this, not tokens per second.
//
// Both are scored by one evaluator, pytorch_quality.py's stream_loss (our CLI's streamLoss,
// ported: 16 streams of 64 steps over the whole validation part, state carried): our model
// is exported with `recurrent export --pytorch` at each budget and scored by it; the CLI's own
// figure is kept beside it as a check (they agree to ~1e-8). One run per tool reaches every
// budget: the CLI stops at the first and is resumed to the next (a resumed run ends with the
// bits of one never stopped), PyTorch pauses its clock to score the model at each budget.
// PyTorch runs with each OpenBLAS kernel set at each thread count; the best is the anchor.

import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runWithPeakRss, type ChildOutcome } from "./child-rss.ts";
import { torchEnv, type TorchVariant } from "./torch-variants.ts";
import { qualitySentences, qualityTable, type QualityRow } from "./report-tables.ts";
import { ROOT, type RowWriter } from "./rows.ts";

export interface QualityOptions {
  budgets: number[];
  /** The text and how much of its start to use (0: all). */
  text: string; textBytes: number;
  /** PyTorch's thread counts and kernel sets (ours runs with the CLI's default threads). */
  threads: number[]; variants: TorchVariant[];
  /** Our CLI's --threads for each run of ours: 0 is the CLI's default (one per core, the
   *  figure compared); others are an ablation of that default. */
  oursThreads: number[];
  python: string | null;
  rows: RowWriter;
  json: boolean;
}

const CLI = fileURLToPath(new URL("../bin/recurrent.mjs", import.meta.url));
const PY = fileURLToPath(new URL("./pytorch_quality.py", import.meta.url));

/** The first `bytes` bytes of the text cut back to a whole line (as data/README.md's
 *  `head -c N | sed '$d'`), so both tools read exactly the same characters. */
export function cutText(text: Buffer, bytes: number): Buffer {
  if (bytes <= 0 || bytes >= text.length) return text;
  const head = text.subarray(0, bytes);
  return head.subarray(0, head.lastIndexOf(0x0a) + 1);
}

function ok(out: ChildOutcome, what: string): ChildOutcome {
  if (out.status === 0) return out;
  const why = out.stderr.trim().split("\n").filter(Boolean).slice(-1)[0] ?? `exit ${out.status}`;
  throw new Error(`bench --quality: ${what} failed: ${why}`);
}

function lastJson(out: ChildOutcome, what: string): Record<string, unknown> {
  const line = ok(out, what).stdout.split("\n").reverse().find((l) => l.startsWith("{"));
  if (!line) throw new Error(`bench --quality: ${what}: expected a JSON line on stdout, got none`);
  return JSON.parse(line) as Record<string, unknown>;
}

export async function runQuality(o: QualityOptions): Promise<QualityRow[]> {
  const budgets = [...o.budgets].sort((a, b) => a - b);
  if (!budgets.length || budgets.some((b) => !(b > 0))) throw new Error(`bench --quality: expected --budgets of seconds > 0, got ${o.budgets.join(",")}`);
  if (!o.python) throw new Error("bench --quality: expected a python3 that can `import torch` (apt-get install -y python3-torch libopenblas0-pthread), got none");
  let raw: Buffer;
  try { raw = readFileSync(resolve(o.text)); }
  catch { throw new Error(`bench --quality: --text ${o.text}: expected a readable text file (the default is ../shared/data/text/tinyshakespeare.txt; data/tinyshakespeare-100k.txt is in the repository), got none`); }
  const dir = mkdtempSync(join(tmpdir(), "recurrent-quality-"));
  const textFile = join(dir, "text.txt");
  const cut = cutText(raw, o.textBytes);
  writeFileSync(textFile, cut);
  const text = { file: o.text, bytes: cut.length, md5: createHash("md5").update(cut).digest("hex") };
  const note = (s: string) => process.stderr.write(`${s}\n`);
  note(`time-to-quality on ${o.text} (first ${cut.length} bytes, md5 ${text.md5}), budgets ${budgets.join(", ")} s of training`);
  const out: QualityRow[] = [];
  const emit = (r: Omit<QualityRow, "kind">) => {
    const row = o.rows.write({ kind: "quality", config: "charlm-lstm-128", cell: "lstm", mode: "quality", ...r, text });
    out.push(row as unknown as QualityRow);
    if (o.json) console.log(JSON.stringify(row));
    else note(`  ${r.tool.padEnd(9)} ${(r.variant ?? "").padEnd(6)} ×${r.threads} ${String(r.budget_s).padStart(4)} s: ${r.updates} updates, val ${r.val_nats.toFixed(4)} nats/char`);
  };
  try {
    for (const t of o.oursThreads) await runOurs(o, budgets, t, dir, textFile, emit);
    for (const variant of o.variants) for (const threads of o.threads) await runTorch(o, budgets, variant, threads, textFile, emit);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  o.rows.end();
  if (!o.json) console.log(`${qualityTable(out)}\n\n${qualitySentences(out)}`);
  return out;
}

/** Our CLI with its defaults: trained to each budget in turn (--resume), exported and scored. */
async function runOurs(o: QualityOptions, budgets: number[], threads: number, dir: string, textFile: string, emit: (r: Omit<QualityRow, "kind">) => void): Promise<void> {
  const model = join(dir, `ours-threads-${threads}`);
  const threadFlag = threads ? ["--threads", String(threads)] : [];
  let peak = 0, tokens = 0, seconds = 0;
  for (const [i, budget] of budgets.entries()) {
    // --epochs 0: only the budget bounds the run (the default 10 epochs could end it first on a
    // fast machine); everything else is the CLI's charlm default.
    const args = i === 0
      ? [CLI, "train", "--task", "charlm", "--text", textFile, "--out", model, "--time-limit", String(budget), "--epochs", "0", ...threadFlag, "--json"]
      : [CLI, "train", "--resume", model, "--time-limit", String(budget), ...threadFlag, "--json"];
    const run = await runWithPeakRss(process.execPath, args, { cwd: ROOT });
    const s = lastJson(run, `recurrent train (${budget} s)`);
    peak = Math.max(peak, run.peakRssMb ?? 0);
    // The CLI reports this session's rate; the row wants the whole run's, as PyTorch's.
    tokens += (s.tokens_per_s as number) * ((s.seconds as number) - seconds); seconds = s.seconds as number;
    const weights = join(dir, `ours-threads-${threads}-${budget}.safetensors`);
    ok(await runWithPeakRss(process.execPath, [CLI, "export", "--model", model, "--pytorch", weights, "--prefix", "rnn."], { cwd: ROOT }), "recurrent export");
    const ev = lastJson(await runWithPeakRss(o.python!, [PY, "--text", textFile, "--evaluate", weights, "--vocab", join(model, "config.json")]), "scoring our model");
    emit({
      tool: "recurrent", variant: threads ? `--threads ${threads}` : "defaults", threads: threads || availableParallelism(), budget_s: budget, updates: s.steps as number, train_seconds: s.seconds as number,
      tokens_per_s: tokens / seconds, val_nats: ev.val_nats as number, val_nats_own: s.last_val_loss as number,
      peak_rss_mb: peak || null, backend: s.backend as string,
    });
  }
}

/** pytorch_quality.py with one kernel set and thread count: one line per budget. */
async function runTorch(o: QualityOptions, budgets: number[], variant: TorchVariant, threads: number, textFile: string, emit: (r: Omit<QualityRow, "kind">) => void): Promise<void> {
  const run = await runWithPeakRss(o.python!, [PY, "--text", textFile, "--budgets", budgets.join(","), "--threads", String(threads)], { env: torchEnv(variant, threads) });
  ok(run, `pytorch_quality.py (${variant}, ${threads} threads)`);
  for (const line of run.stdout.split("\n").filter((l) => l.startsWith("{"))) {
    const r = JSON.parse(line) as Record<string, number | string>;
    emit({
      tool: "pytorch", variant, threads, budget_s: r.budget_s as number, updates: r.updates as number, train_seconds: r.train_seconds as number,
      tokens_per_s: r.tokens_per_s as number, val_nats: r.val_nats as number, peak_rss_mb: run.peakRssMb ?? (r.peak_rss_mb as number), blas: r.blas as string,
    });
  }
}
