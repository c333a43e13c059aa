// Two threads against one on a layer's forward pass, with the wasm compiled up front (as
// useFastBackendNode does) or tiered up as it runs (V8's default): the measurement behind
// compileWasmEagerly in src/node/threads.ts. Each variant runs in its own process, since
// the V8 flag holds for a process's life.
//
// Every figure is the median (and range) of --repeat processes: on this kind of shared VM one
// process can run 1.5× faster than the next, and a second thread's gain swings more still.
//
//   node --import tsx bench/threads.ts [--cell lstm] [--batch 64,512] [--hidden 32] [--seconds 2] [--repeat 3]
import { Command } from "commander";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const o = new Command("threads").option("--cell <cell>", "elman, lstm or gru", "lstm")
  .option("--batch <list>", "batch sizes", "64,512").option("--hidden <n>", "hidden size", "32")
  .option("--seconds <s>", "timed seconds per measurement", "2")
  .option("--repeat <n>", "processes per figure", "3")
  .option("--child <spec>", "internal: tiering,threads,batch").parse().opts();

if (o.child) {
  const [tiering, threads, B] = String(o.child).split(",");
  const { compileWasmEagerly, spawnNode, threadsReady } = await import("../src/node/threads.ts");
  const { useFastBackend } = await import("../src/tensor/fast.ts");
  const { Sequence } = await import("../src/train/sequence.ts");
  const { zeros } = await import("../src/tensor/types.ts");
  if (tiering === "eager") compileWasmEagerly();
  const fb = useFastBackend({ threads: Number(threads), spawn: spawnNode });
  await threadsReady(fb);
  const T = 50, b = Number(B);
  const m = new Sequence({ cell: o.cell, input: 1, hidden: Number(o.hidden), output: 1 });
  for (let i = 0; i < m.params.length; i++) m.params[i] = Math.sin(i) * 0.3;
  const x = zeros(T * b, "float32");
  for (let i = 0; i < x.length; i++) x[i] = Math.cos(i);
  const w0 = performance.now();
  while (performance.now() - w0 < 500) m.forward(x, T, b);
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < Number(o.seconds) * 1000) { m.forward(x, T, b); n++; }
  console.log(JSON.stringify({ tokens_per_s: (T * b * n) / ((performance.now() - t0) / 1000), chunks: fb.chunksByWorkers() }));
  fb.stop();
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const fmt = (v: number[]): string => {
  const s = [...v].sort((a, b) => a - b);
  return `${(s[s.length >> 1] / 1e6).toFixed(2)}M (${(s[0] / 1e6).toFixed(2)}–${(s[s.length - 1] / 1e6).toFixed(2)})`;
};
console.log(`| ${o.cell} H = ${o.hidden}, T = 50, forward | wasm compiled | 1 thread, tokens/s | 2 threads, tokens/s | 2 ÷ 1 (median of pairs) |`);
console.log("|---|---|---|---|---|");
for (const B of String(o.batch).split(",")) {
  for (const tiering of ["dynamic", "eager"]) {
    const rate = (threads: number): number => {
      const r = spawnSync(process.execPath, ["--import", "tsx", self, "--cell", o.cell, "--hidden", o.hidden, "--seconds", o.seconds,
        "--child", `${tiering},${threads},${B}`], { encoding: "utf8" });
      const line = r.stdout.split("\n").find((l) => l.startsWith("{"));
      if (!line) throw new Error(`child failed: ${r.stderr.trim().split("\n").pop()}`);
      return JSON.parse(line).tokens_per_s;
    };
    const ones: number[] = [], twos: number[] = [], ratios: number[] = [];
    for (let i = 0; i < Number(o.repeat); i++) {
      const one = rate(1), two = rate(2);
      ones.push(one); twos.push(two); ratios.push(two / one);
    }
    ratios.sort((a, b) => a - b);
    console.log(`| B = ${B} | ${tiering === "eager" ? "up front (optimising)" : "tiered up (V8 default)"} | ${fmt(ones)} | ${fmt(twos)} | ` +
      `${ratios[ratios.length >> 1].toFixed(2)}× (${ratios[0].toFixed(2)}–${ratios[ratios.length - 1].toFixed(2)}) |`);
  }
}
