// A worker thread that dies mid-job (src/tensor/threads.ts, src/node/threads.ts): the caller,
// blocked on Atomics, is woken by the sentinel thread and throws one line instead of waiting
// forever; every later job throws the same at once; the dead worker's error event does not
// crash the process. Each case runs in a child (test/helpers/worker-death-child.ts) whose
// worker dies on its first GEMM chunk: process.exit, or its capped JS heap running out. The
// child is killed after 60 s, so a regression fails here instead of hanging the suite (a
// blocked main thread runs no timers). An error thrown inside a chunk does not kill a worker:
// the job reports it (an older path). Not here: healthy threads (fast-threads-model.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

const LOST = /^worker threads: expected all 1 workers to finish their share of the computation, got worker 1 exiting mid-run \(out of memory, or an error in it\); the computation stopped instead of waiting for it \(--threads 1 runs without workers\)$/;

for (const death of ["exit", "oom"]) {
  test(`a worker that dies mid-job (${death}) is reported in one line, never waited for`, () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "test/helpers/worker-death-child.ts", death], { encoding: "utf8", timeout: 60_000 });
    assert.equal(r.signal, null, `the child hung (killed after 60 s): ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    const { first, again } = JSON.parse(r.stdout) as Record<string, { name: string; message: string } | null>;
    assert.equal(first?.name, "RecurrentError");
    assert.match(first!.message, LOST);
    assert.equal(again?.name, "RecurrentError", "every later job fails at once");
    assert.match(again!.message, LOST);
  });
}
