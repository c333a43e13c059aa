// `recurrent ... | head` closes the pipe early. The command must finish its work anyway (a
// training run killed by EPIPE lost its metrics, best weights and plots) and exit 0: the
// reader chose to stop reading, nothing failed. The pipes are closed by the test after the
// first chunk, while the command still has lines to write.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { shakespeare, tempDir } from "./helpers.ts";

interface Status { code: number; stdoutClosed: boolean; stderrClosed: boolean }

/** Runs main() in a child whose `close` pipes are closed as soon as it writes to any of them. */
function runClosing(args: string[], close: Array<"stdout" | "stderr">, statusFile: string): Promise<{ exit: number | null; status: Status }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", "test/cli/main-runner.ts", ...args], {
      env: { ...process.env, RECURRENT_TEST_STATUS: statusFile }, stdio: ["ignore", "pipe", "pipe"],
    });
    const shut = () => { for (const s of close) p[s].destroy(); };
    for (const s of close) p[s].once("data", shut);
    for (const s of ["stdout", "stderr"] as const) if (!close.includes(s)) p[s].resume();
    p.on("error", reject);
    p.on("exit", (exit) => {
      try { resolve({ exit, status: JSON.parse(readFileSync(statusFile, "utf8")) as Status }); }
      catch (e) { reject(new Error(`no status from the child (exit ${exit}): ${(e as Error).message}`)); }
    });
  });
}

test("train with stdout and stderr closed after the first line still writes its checkpoint, metrics and plots, and exits 0", async () => {
  const dir = tempDir("closed");
  try {
    const out = join(dir, "run");
    const r = await runClosing(["train", "--task", "adding", "--length", "20", "--hidden", "8", "--epochs", "3", "--steps-per-epoch", "30",
      "--threads", "1", "--json", "--out", out], ["stdout", "stderr"], join(dir, "status.json"));
    assert.equal(r.status.stderrClosed, true, "the pipe was closed while the run still wrote to it");
    assert.equal(r.status.code, 0);
    assert.equal(r.exit, 0);
    for (const f of ["config.json", "model.safetensors", "best.safetensors", "metrics.jsonl", "loss.svg", "loss.png"]) assert.ok(existsSync(join(out, f)), f);
    const records = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { step: number });
    assert.equal(records[records.length - 1].step, 90, "evaluated to the end: 3 epochs of 30 updates");
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("the tour with stdout closed after its first line trains every model to the end and exits 0", async () => {
  const dir = tempDir("closed-tour");
  try {
    const text = shakespeare(dir, 6000);
    const r = await runClosing(["tour", "--text", text, "--seconds", "1", "--cells", "elman,gru", "--hidden", "8", "--seq", "8", "--batch", "4", "--reference"],
      ["stdout"], join(dir, "status.json"));
    assert.equal(r.status.stdoutClosed, true, "the pipe was closed while the tour still wrote to it");
    assert.equal(r.status.code, 0);
    assert.equal(r.exit, 0);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
