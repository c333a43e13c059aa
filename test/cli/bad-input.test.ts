// Bad input to train / eval / generate / forecast: one line "error: ..." naming what, where,
// expected and got; exit code 1; no stack trace; and nothing written to --out.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, shakespeare, tempDir } from "./helpers.ts";

const dir = tempDir("bad");
const bad = (f: string) => join("test/fixtures/bad-data", f);
const fx = (f: string) => join("test/fixtures", f);
let n = 0;

async function refuses(args: string[], pattern: RegExp, withOut = true): Promise<void> {
  const out = join(dir, `out-${n++}`);
  const r = await cli([...args, ...(withOut ? ["--out", out] : [])]);
  assert.equal(r.code, 1, `exit code for ${args.join(" ")}: ${r.stderr}`);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
  assert.match(lines[0], /^error: /);
  assert.match(lines[0], pattern);
  assert.equal(r.stdout, "");
  if (withOut) assert.ok(!existsSync(out), `${out} must not be created`);
}

const forecast = ["train", "--task", "forecast", "--threads", "1"];

test("missing files, empty text, unknown columns and bad cells are one line naming the place", async () => {
  await refuses(["train", "--task", "charlm", "--text", join(dir, "nope.txt")], /--text .*nope\.txt: expected an existing file, got no such file/);
  await refuses(["train", "--task", "charlm", "--text", bad("empty.txt")], /empty/);
  await refuses([...forecast, "--csv", fx("airline_passengers.csv"), "--target", "price"], /--target: expected a column of airline_passengers\.csv: "month", "passengers_thousands", got "price"/);
  await refuses([...forecast, "--csv", bad("non-numeric.csv")], /non-numeric\.csv line \d+, column "passengers": expected a number, got "abc"/);
  await refuses([...forecast, "--csv", bad("missing-value.csv")], /missing-value\.csv line \d+, column "passengers": expected a value \(or use --fill ffill\|drop\)/);
  await refuses([...forecast, "--csv", bad("short-series.csv")], /short-series\.csv: expected a series of at least window \+ horizon|room for one window/);
});

test("classification labels that do not match the sequences, and bad flag values, are refused", async () => {
  await refuses(["train", "--task", "classify", "--sequences", bad("sequences-ok.csv"), "--labels", bad("labels-mismatch.csv")], /labels-mismatch\.csv|sequences-ok\.csv/);
  await refuses(["train", "--task", "charlm"], /--text: expected a text file for --task charlm, got "none"/);
  await refuses(["train", "--task", "poetry", "--text", "x"], /--task: expected one of charlm\|wordlm\|forecast\|classify\|xor/);
  await refuses(["train", "--task", "charlm", "--text", "x", "--hidden", "0"], /--hidden: expected an integer >= 1, got "0"/);
  await refuses(["train", "--task", "charlm", "--text", "x", "--cell", "rnn"], /--cell: expected one of elman\|jordan\|lstm\|gru, got "rnn"/);
  const text = shakespeare(dir, 300);
  await refuses(["train", "--task", "charlm", "--text", text, "--seq", "64", "--batch", "32"], /at least batch × \(seq \+ 1\)/);
});

test("--bidirectional and --dropout refuse what they cannot do, in one line", async () => {
  await refuses(["train", "--task", "charlm", "--text", "x", "--bidirectional"], /--bidirectional: expected a task whose targets are not its next inputs \(the reverse direction would read the next token it predicts\), got "--task charlm"/);
  await refuses(["train", "--task", "reber", "--bidirectional"], /--bidirectional: expected a task whose targets are not its next inputs .*, got "--task reber"/);
  await refuses(["train", "--task", "adding", "--cell", "jordan", "--bidirectional"], /--bidirectional: expected --cell elman\|lstm\|gru \(a Jordan network feeds its own output back in time\), got "--cell jordan"/);
  await refuses(["train", "--task", "adding", "--bidirectional", "--log-gradients"], /--bidirectional: expected no --log-gradients/);
  await refuses(["train", "--task", "adding", "--dropout", "1"], /--dropout: expected a probability in \[0, 1\), got 1/);
  await refuses(["train", "--task", "adding", "--dropout", "x"], /--dropout: expected a number >= 0, got "x"/);
});

test("an existing model directory is not overwritten, and eval/generate/forecast refuse a model of another task", async () => {
  const text = shakespeare(dir, 4000), model = join(dir, "char");
  const r = await cli(["train", "--task", "charlm", "--text", text, "--out", model, "--hidden", "8", "--seq", "8", "--batch", "4", "--epochs", "1", "--threads", "1"]);
  assert.equal(r.code, 0, r.stderr);
  const again = await cli(["train", "--task", "charlm", "--text", text, "--out", model]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /^error: --out .*: expected a new directory, got one that holds a model \(continue it with --resume/);
  await refuses(["forecast", "--model", model, "--csv", fx("airline_passengers.csv")], /--model .*: expected a model trained for forecast .* got a charlm model/, false);
  await refuses(["eval", "--model", model, "--csv", fx("airline_passengers.csv")], /--text: expected a file for a charlm model, got none/, false);
  const empty = join(dir, "empty-dir");
  mkdirSync(empty);
  await refuses(["generate", "--model", empty], /not a model directory \(no config\.json\)/, false);
  await refuses(["generate", "--model", model, "--prompt", "€"], /--prompt character 0: expected a character of the model's vocabulary, got "€"/, false);
  writeFileSync(join(dir, "cfg.json"), "{\"hidden\": 8,");
  await refuses(["train", "--config", join(dir, "cfg.json"), "--task", "charlm", "--text", text], /--config .*cfg\.json: expected JSON, got a parse error/);
});
