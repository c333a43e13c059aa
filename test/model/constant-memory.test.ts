// Long stateful runs keep constant memory: 10^6 calls of Sequence.step, `generate` of 4·10^5
// characters and `forecast` of 4·10^5 fed-back steps (written as they are made, never held),
// each in a child process
// (test/helpers/rss-child.ts) that measures its RSS and its JS heap after a full garbage
// collection at a tenth of the run and at the end. Bounds: RSS may grow by 48 MB (generous:
// allocator noise), the heap by 2 MB (measured: +0.1 MB at most; holding 4·10^5 ids alone
// would take 3.2 MB, each step's output ~100 MB, the forecast's rows ~17 MB). Not here: the values themselves (step.test.ts, generate.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../cli/helpers.ts";

const MB = 2 ** 20;
const dir = tempDir("rss");
test.after(() => rmSync(dir, { recursive: true, force: true }));

function measure(args: string[]): { warm: { rss: number; heap: number }; end: { rss: number; heap: number } } {
  const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", "test/helpers/rss-child.ts", ...args], { encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

for (const [name, args] of [["10^6 step() calls", ["step", "1000000"]], ["generate --length 4·10^5", ["generate", "400000", join(dir, "model")]],
  ["forecast --horizon 4·10^5", ["forecast", "400000", join(dir, "forecaster")]]] as const) {
  test(`${name} keep constant memory (RSS +48 MB, heap +2 MB at most)`, (t) => {
    const { warm, end } = measure([...args]);
    const rss = (end.rss - warm.rss) / MB, heap = (end.heap - warm.heap) / MB;
    t.diagnostic(`RSS ${(warm.rss / MB).toFixed(1)} → ${(end.rss / MB).toFixed(1)} MB (${rss.toFixed(1)}), heap ${(warm.heap / MB).toFixed(1)} → ${(end.heap / MB).toFixed(1)} MB (${heap.toFixed(2)})`);
    assert.ok(rss < 48, `RSS grew by ${rss.toFixed(1)} MB`);
    assert.ok(heap < 2, `the heap grew by ${heap.toFixed(2)} MB`);
  });
}
