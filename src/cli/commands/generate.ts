// `recurrent generate --model DIR [--prompt TEXT] [--length N] [--temperature T] [--top-k K] [--seed S]`:
// samples text from a character or word language model, one token at a time with the step
// API (src/model/sample.ts), conditioned on the prompt. Prints the prompt and the sample.
import type { Command } from "commander";
import { RecurrentError } from "../../errors.ts";
import { Vocab } from "../../data/vocab.ts";
import { encodeChars } from "../../data/char-tokenizer.ts";
import { encodeWords, splitWords, EOS } from "../../data/word-tokenizer.ts";
import { streamTokens } from "../../model/sample.ts";
import { Rng } from "../../rand.ts";
import { openTrained } from "../session/saved.ts";
import { int, jsonLine, num } from "../options/flags.ts";
import { withTask } from "../../node/progress-task.ts";
import { Sink } from "./sink.ts";

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
    .action((o: Opts) => { runGenerate(o, (text) => { process.stdout.write(text); }); });
}

/**
 * Samples and writes the text as it is drawn, to `write` (stdout): the prompt, then each token
 * (a word joined by a space, or a new line for <eos>), then a final new line; with --json one
 * object {prompt, text, tokens, temperature, top_k, seed}, the text escaped piece by piece.
 * Nothing but the current piece is kept, so `--length 5e7` runs in constant memory.
 */
export function runGenerate(o: Opts, write: (text: string) => void): void {
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
  const sink = new Sink(write);
  const text = (s: string) => sink.push(o.json ? JSON.stringify(s).slice(1, -1) : s);
  // decodeWords / decodeChars, one token at a time: a word after anything but a line start gets a space.
  let first = true, atLineStart = true, any = false;
  const emit = (id: number) => {
    const tok = vocab.token(id);
    let piece = words ? (tok === EOS ? "\n" : (any && !atLineStart ? " " : "") + tok) : tok;
    if (first) {
      first = false;
      // The prompt's last word and the text's first are joined by a space (not before a new line).
      if (!o.json && words && promptText && !/\s$/.test(promptText) && !piece.startsWith("\n")) piece = ` ${piece}`;
    }
    if (piece.length) { any = true; atLineStart = piece.endsWith("\n"); }
    text(piece);
  };
  if (o.json) sink.push(`{"prompt":${JSON.stringify(promptText)},"text":"`);
  else sink.push(words ? promptText.trimEnd() : promptText);
  // Progress on stderr for long texts (nothing shows for the first 2 s).
  const tokens = withTask({ label: "generate", unit: "tokens", total: o.length },
    (task) => streamTokens(t.model, { prompt, length: o.length, temperature: o.temperature, topK: o.topK, rng: new Rng(o.seed), onToken: (n) => task.update(n) }, emit));
  if (o.json) sink.push(`",${jsonLine({ tokens, temperature: o.temperature, top_k: o.topK, seed: o.seed }).slice(1)}`);
  else sink.push("\n");
  sink.flush();
}
