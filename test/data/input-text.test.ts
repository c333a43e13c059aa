// Input that is not text, or numbers that overflow a statistic: binary files, invalid UTF-8,
// FIFOs and 1e308 in a CSV are refused in one line naming the file (and the column), at the
// reader (src/node/text-file.ts, scaler.ts) and through `recurrent train`. Not here: CSV
// structure (csv-header.test.ts) and random bytes (test/fuzz/).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeText, readTextFile } from "../../src/node/text-file.ts";
import { StandardScaler } from "../../src/data/scaler.ts";
import { RecurrentError } from "../../src/errors.ts";
import { cli, tempDir } from "../cli/helpers.ts";

const dir = tempDir("input-text");
test.after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, data: string | Uint8Array) => { const p = join(dir, name); writeFileSync(p, data); return p; };

function oneLine(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof RecurrentError && pattern.test(e.message) && !e.message.includes("\n") || assert.fail(String(e)));
}

test("UTF-8 text (multi-byte, a byte-order mark kept) reads as before; NUL bytes and invalid UTF-8 are refused with the offset", () => {
  assert.equal(readTextFile(file("ok.txt", "\uFEFFwörds ✓ 𝄞\n"), "--text"), "\uFEFFwörds ✓ 𝄞\n");
  oneLine(() => readTextFile(file("bin.dat", Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13)), "--text"),
    /^--text .*bin\.dat: expected UTF-8 text, got a NUL byte at byte 8 \(a binary file\?\)$/);
  oneLine(() => readTextFile(file("latin1.txt", Uint8Array.of(0x63, 0x61, 0x66, 0xe9, 0x0a)), "--text"),
    /^--text .*latin1\.txt: expected UTF-8 text, got invalid UTF-8 at byte 3 \(a binary file, or another encoding such as Latin-1\?\)$/);
  oneLine(() => decodeText(Uint8Array.of(0x61, 0xed, 0xa0, 0x80), "x"), /^x: expected UTF-8 text, got invalid UTF-8 at byte 1 /);   // a UTF-16 surrogate
  oneLine(() => decodeText(Uint8Array.of(0x61, 0xe2, 0x82), "x"), /at byte 1 /);                                                 // cut mid-character
});

test("a FIFO, a directory and a missing file are refused without blocking", () => {
  const fifo = join(dir, "pipe.txt");
  execFileSync("mkfifo", [fifo]);
  oneLine(() => readTextFile(fifo, "--text"), /^--text .*pipe\.txt: expected a regular file, got a FIFO \(named pipe\)$/);
  oneLine(() => readTextFile(dir, "--text"), /: expected a file, got a directory$/);
  oneLine(() => readTextFile(join(dir, "nope.txt"), "--text"), /: expected an existing file, got no such file$/);
  oneLine(() => readTextFile("/dev/zero", "--csv"), /^--csv \/dev\/zero: expected a regular file, got a character device$/);
});

test("a scaler whose mean or standard deviation overflows (1e308) is refused naming the column and the value", () => {
  oneLine(() => StandardScaler.fit(["price"], [1, 1e308, 1e308, 2], 4, "prices.csv"),
    /^prices\.csv: column "price": expected values whose mean and standard deviation are finite numbers, got mean Infinity, standard deviation (NaN|Infinity) \(values as large as 1e\+308 overflow\)$/);
  oneLine(() => StandardScaler.fit(["a", "b"], [1, -1.5e308, 2, 1.5e308], 2, "s.csv"), /^s\.csv: column "b": .*standard deviation Infinity/);
  const s = StandardScaler.fit(["x"], [0, 1e-300, 2e-300], 3, "tiny.csv");       // tiny values are fine
  assert.ok(Number.isFinite(s.std[0]) && s.std[0] > 0);
  const fitted = StandardScaler.fit(["x"], [0, 2e-10], 2, "t.csv");               // a finite fit (std 1e-10), then a value that overflows when scaled
  oneLine(() => fitted.transform([1, 1e300], "new.csv"), /^new\.csv: column "x": expected values that scale to finite numbers, got 1e\+300 \(row 2 of the series\), which overflows$/);
});

test("train refuses a binary --text and a CSV whose 1e308 overflows the scaler, one line each, nothing written", async () => {
  const bin = file("model.bin", new Uint8Array(4096).map((_, i) => (i * 37) & 255));
  const csv = file("overflow.csv", "t,price\n" + Array.from({ length: 60 }, (_, i) => `${i},${i === 30 ? "1e308" : i % 7}`).join("\n") + "\n");
  for (const [args, pattern] of [
    [["--task", "charlm", "--text", bin], /^error: --text .*model\.bin: expected UTF-8 text, got a NUL byte at byte 0 \(a binary file\?\)$/],
    [["--task", "forecast", "--csv", csv, "--target", "price", "--window", "4", "--horizon", "1"], /^error: overflow\.csv: column "price": expected values whose mean and standard deviation are finite numbers, got mean [\d.e+]+, standard deviation Infinity \(values as large as 1e\+308 overflow\)$/],
  ] as const) {
    const out = join(dir, `out-${args[1]}`);
    const r = await cli(["train", ...args, "--threads", "1", "--out", out]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr.trim(), pattern);
    assert.ok(!existsSync(out));
  }
});
