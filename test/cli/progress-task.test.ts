// The progress display of long work outside training (src/node/progress-task.ts): silent for
// work shorter than the delay, plain lines at most every interval when stderr is not a
// terminal, a bar on a terminal, erased when done; and every long command (eval, firms,
// generate, tour, import, export) reports on stderr while stdout keeps only its result.
// Clocks are injected, or the delay set to 0: nothing here depends on how fast the machine is.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LARGE_FILE_BYTES, Task, largeFiles, progressDefaults, withTask } from "../../src/node/progress-task.ts";
import { cli, shakespeare, tempDir } from "./helpers.ts";

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const s = new Writable({ write(c, _e, cb) { chunks.push(String(c)); cb(); } }) as Writable & { isTTY?: boolean; columns?: number };
  s.isTTY = isTTY; s.columns = 120;
  return { stream: s, text: () => chunks.join("") };
}

test("plain lines: nothing before the delay, then a line at most every interval, and a closing line", () => {
  let now = 0;
  const out = sink(false);
  const t = new Task({ label: "eval val", unit: "tokens", total: 1000, stream: out.stream, delay: 2, interval: 10, now: () => now });
  now = 1000; t.update(100);
  assert.equal(out.text(), "", "silent for the first 2 s");
  for (let s = 2; s <= 25; s++) { now = s * 1000; t.update(s * 40); }
  t.finish(); t.finish(); t.stop();
  const lines = out.text().trim().split("\n");
  assert.deepEqual(lines, [
    "eval val: 8% (80/1,000 tokens) | 2s, ETA 23s",
    "eval val: 48% (480/1,000 tokens) | 12s, ETA 13s",
    "eval val: 88% (880/1,000 tokens) | 22s, ETA 3s",
    "eval val: done, 1,000/1,000 tokens in 25s",
  ]);
  assert.ok(!out.text().includes("\x1b"), "no terminal control codes in plain mode");
});

test("work shorter than the delay prints nothing at all, and an abandoned task no closing line", () => {
  let now = 0;
  const quick = sink(false);
  const q = new Task({ label: "generate", total: 10, stream: quick.stream, now: () => now });
  for (let i = 1; i <= 10; i++) { now = i * 100; q.update(i); }
  q.finish();
  assert.equal(quick.text(), "");
  const failed = sink(false);
  const f = new Task({ label: "export", total: 3, stream: failed.stream, delay: 0, interval: 0, now: () => now });
  f.update(0, "loading"); f.update(1, "building the ONNX graph");
  f.stop(); f.finish();
  assert.deepEqual(failed.text().trim().split("\n"), ["export: 0% (0/3) | loading | 0s, ETA ?", "export: 33% (1/3) | building the ONNX graph | 0s, ETA 0s"]);
});

test("known-long work shows from the start; interval 0 gives a line per step; showCount false hides internal units", () => {
  let now = 0;
  const out = sink(false);
  const t = new Task({ label: "firms", total: 400, showCount: false, show: true, interval: 0, stream: out.stream, now: () => now });
  t.update(0, "stage 1/4: reading"); now = 500; t.update(150, "stage 2/4: pearson similarity");
  t.log("rnn: 600 updates");
  t.finish();
  assert.deepEqual(out.text().trim().split("\n"), [
    "firms: 0% | stage 1/4: reading | 0s, ETA ?",
    "firms: 37% | stage 2/4: pearson similarity | 1s, ETA 1s",
    "rnn: 600 updates",
    "firms: done in 1s",
  ]);
  const count = new Task({ label: "x", unit: "items", stream: sink(false).stream, show: true });
  count.update(1234);
  assert.equal(count.status().split(" | ")[0], "1,234 items", "without a total: the count alone");
});

test("on a terminal: a bar with the label, share and note, erased when the work is done", () => {
  const out = sink(true);
  const t = new Task({ label: "eval test", unit: "windows", total: 10, stream: out.stream, delay: 0 });
  t.update(5, "model");
  t.log("a line above the bar");
  t.finish();
  const text = out.text();
  assert.match(text, /eval test .*50% \(5\/10 windows\) \| model \| \d+s, ETA/);
  assert.match(text, /a line above the bar\n/);
  assert.match(text, /\x1b\[2K/, "the bar's line is cleared at the end");
  assert.ok(!text.includes("done,"), "no closing line under a bar");
});

test("withTask finishes on return and stops silently on a throw; the reporter sets the total", () => {
  let now = 0;
  const ok = sink(false);
  const r = withTask({ label: "eval val", unit: "sequences", stream: ok.stream, delay: 0, now: () => now }, (task) => {
    const report = task.reporter();
    report(64, 100); now = 1000; report(100, 100);
    return 42;
  });
  assert.equal(r, 42);
  assert.match(ok.text(), /eval val: 64% \(64\/100 sequences\)/);
  assert.match(ok.text(), /eval val: done, 100\/100 sequences in 1s\n$/);
  const bad = sink(false);
  assert.throws(() => withTask({ label: "eval val", stream: bad.stream, delay: 0, total: 2 }, (task) => { task.update(1); throw new Error("boom"); }), /boom/);
  assert.ok(!bad.text().includes("done"), bad.text());
});

test("largeFiles: files reaching 64 MiB together count as large; missing files count nothing", () => {
  const dir = tempDir("large");
  try {
    const small = join(dir, "small.bin");
    writeFileSync(small, new Uint8Array(1024));
    assert.equal(largeFiles(small, join(dir, "missing"), undefined), false);
    const big = join(dir, "big.bin");
    writeFileSync(big, new Uint8Array(LARGE_FILE_BYTES - 1024));
    assert.equal(largeFiles(big), false);
    assert.equal(largeFiles(big, small), true);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("long commands report progress on stderr and keep stdout to their result", async () => {
  const dir = tempDir("progress-cli");
  const saved = { ...progressDefaults };
  Object.assign(progressDefaults, { delay: 0, interval: 0, tty: false });
  try {
    const text = shakespeare(dir, 4000), model = join(dir, "char");
    const t = await cli(["train", "--task", "charlm", "--text", text, "--out", model, "--hidden", "8", "--seq", "8", "--batch", "4", "--epochs", "1", "--threads", "1"]);
    assert.equal(t.code, 0, t.stderr);

    const e = await cli(["eval", "--model", model, "--text", text, "--json"]);
    assert.equal(e.code, 0, e.stderr);
    assert.equal(typeof JSON.parse(e.stdout).parts.val.nats, "number", "stdout is the JSON alone");
    assert.match(e.stderr, /^eval val: \d+% \([\d,]+\/[\d,]+ tokens\)/m);
    assert.match(e.stderr, /^eval val: done, ([\d,]+)\/\1 tokens in \d+s$/m);

    const g = await cli(["generate", "--model", model, "--length", "30", "--json"]);
    assert.equal(g.code, 0, g.stderr);
    assert.equal(Array.from(JSON.parse(g.stdout).text as string).length, 30);
    assert.match(g.stderr, /^generate: done, 30\/30 tokens in \d+s$/m);

    const onnx = join(dir, "m.onnx");
    const x = await cli(["export", "--model", model, "--onnx", onnx]);
    assert.equal(x.code, 0, x.stderr);
    assert.match(x.stdout, /^wrote .*m\.onnx/);
    assert.match(x.stderr, /export: 33% \(1\/3 steps\) \| building the ONNX graph/);
    assert.match(x.stderr, /^export: done, 3\/3 steps/m);
    const pt = join(dir, "m.safetensors");
    assert.equal((await cli(["export", "--model", model, "--pytorch", pt])).code, 0);
    const i = await cli(["import", "--from", "pytorch", "--cell", "lstm", "--weights", pt, "--output-activation", "softmax", "--out", join(dir, "imported")]);
    assert.equal(i.code, 0, i.stderr);
    assert.match(i.stderr, /import: 33% \(1\/3 steps\) \| converting/);
    assert.match(i.stderr, /^import: done, 3\/3 steps/m);

    const f = await cli(["firms", "--prices", "test/firms/fixtures/prices-2015-2016.csv.gz", "--firms", "test/firms/fixtures/firms.csv",
      "--measure", "pearson,rnn", "--rnn-steps", "5", "--rnn-hidden", "4", "--permutations", "50", "--json"]);
    assert.equal(f.code, 0, f.stderr);
    assert.equal(JSON.parse(f.stdout).firms, 15);
    for (const stage of ["stage 1/13: reading", "stage 2/13: pearson similarity", "stage 7/13: pearson rolling windows", "stage 8/13: rnn training the RNN 5/5", "stage 13/13: rnn rolling windows"]) {
      assert.ok(f.stderr.includes(stage), `${stage} in:\n${f.stderr}`);
    }
    assert.match(f.stderr, /^firms: done in \d+s$/m);

    const tour = await cli(["tour", "--text", text, "--seconds", "1", "--cells", "elman", "--hidden", "8", "--seq", "8", "--batch", "4", "--reference"]);
    assert.equal(tour.code, 0, tour.stderr);
    assert.match(tour.stderr, /^tour elman: \d+% \| training: loss [\d.]+, \d+ updates/m);
    assert.match(tour.stderr, /^tour elman: 100% \| validating/m);
    assert.match(tour.stderr, /^tour elman: done in \d+s$/m);
    assert.ok(!tour.stdout.includes("tour elman:"), "the tour's report on stdout has no progress lines");
  } finally {
    Object.assign(progressDefaults, saved);
    rmSync(dir, { recursive: true, force: true });
  }
});
