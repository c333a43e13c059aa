// `recurrent generate --model DIR [--prompt TEXT] [--length N] [--temperature T] [--top-k K] [--seed S]`:
// samples text from a character or word language model, one token at a time with the step
// API (src/model/sample.ts), conditioned on the prompt. Prints the prompt and the sample.
import type { Command } from "commander";
import { RecurrentError } from "../../errors.ts";
import { Vocab } from "../../data/vocab.ts";
import { decodeChars, encodeChars } from "../../data/char-tokenizer.ts";
import { decodeWords, encodeWords, splitWords, EOS } from "../../data/word-tokenizer.ts";
import { sampleTokens } from "../../model/sample.ts";
import { Rng } from "../../rand.ts";
import { openTrained } from "../run/saved.ts";
import { int, jsonLine, num } from "../run/flags.ts";
import { withTask } from "../progress-task.ts";

interface Opts { model: string; prompt?: string; length: number; temperature: number; topK: number; seed: number; json?: boolean; last?: boolean }

export function register(program: Command): void {
  program.command("generate")
    .description("sample text from a trained character or word language model")
    .requiredOption("--model <dir>", "a model directory trained with --task charlm or wordlm")
    .option("--prompt <text>", "text to start from (default: a new line)")
    .option("--length <n>", "tokens to generate", int("--length", 1), 500)
    .option("--temperature <t>", "softmax temperature (lower: safer, higher: wilder; 0: always the most likely token)", num("--temperature"), 1)
    .option("--top-k <k>", "sample among the k most likely tokens only (0: all)", int("--top-k", 0), 0)
    .option("--seed <n>", "seed of the sampler", int("--seed", 0), 1)
    .option("--last", "use the last checkpoint's weights instead of the best validation weights")
    .option("--json", "print {prompt, text, tokens} as JSON")
    .action((o: Opts) => { process.stdout.write(runGenerate(o)); });
}

export function runGenerate(o: Opts): string {
  const t = openTrained(o.model, ["charlm", "wordlm"], "generate", o.last);
  const vocab = Vocab.fromJSON(t.task.vocab, "model vocabulary");
  const words = vocab.kind === "word";
  const promptText = o.prompt ?? (words ? "" : "\n");
  let prompt: number[];
  if (words) {
    const toks = splitWords(promptText).slice(0, -1); // splitWords ends a line with <eos>
    prompt = [vocab.lookup(EOS), ...encodeWords(vocab, toks)];
  } else {
    if (promptText.length === 0) throw new RecurrentError("--prompt: expected at least one character, got an empty prompt");
    prompt = [...encodeChars(vocab, promptText, { where: "--prompt" })];
  }
  // Progress on stderr for long texts (nothing shows for the first 2 s).
  const ids = withTask({ label: "generate", unit: "tokens", total: o.length },
    (task) => sampleTokens(t.model, { prompt, length: o.length, temperature: o.temperature, topK: o.topK, rng: new Rng(o.seed), onToken: (n) => task.update(n) }));
  const text = words ? decodeWords(vocab, ids) : decodeChars(vocab, ids);
  if (o.json) return jsonLine({ prompt: promptText, text, tokens: ids.length, temperature: o.temperature, top_k: o.topK, seed: o.seed });
  const joiner = words && promptText && !/\s$/.test(promptText) && !text.startsWith("\n") ? " " : "";
  return `${words ? promptText.trimEnd() : promptText}${joiner}${text}\n`;
}
