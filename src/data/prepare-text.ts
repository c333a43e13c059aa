// Text for a language model, ready to batch: tokenised (char or PTB-style word), a
// vocabulary, and train / validation (/ test) id streams. Either one text split by position
// (default 90/10, the tinyshakespeare convention) or separate validation/test texts (PTB's
// three files). Vocabularies: characters of the whole text (char-rnn's choice, so validation
// never meets an unseen character); words of the training part only, the rest is <unk>.
// A saved vocabulary (eval, resume) is reused instead. Pure (no node: imports).
import { Vocab } from "./vocab.ts";
import { buildCharVocab, encodeChars } from "./char-tokenizer.ts";
import { buildWordVocab, encodeWords, splitWords } from "./word-tokenizer.ts";
import { splitBounds } from "./split.ts";
import { checkWith } from "./problem.ts";

export type TextLevel = "char" | "word";

export interface TextOptions {
  level: TextLevel;
  /** Validation share when no valText is given (default 0.1). */
  val?: number;
  /** Test share when no testText is given (default 0). */
  test?: number;
  valText?: string;
  testText?: string;
  /** A saved vocabulary to reuse (its kind must match level). */
  vocab?: Vocab;
  /** Word vocabulary cap (PTB: 10 000). */
  maxVocab?: number;
  where?: string;
}

export interface TextData {
  vocab: Vocab;
  /** Token ids, (N) each. */
  train: Int32Array;
  val: Int32Array;
  test: Int32Array;
  /** Characters dropped because a saved char vocabulary lacks them (0 when building one). */
  skipped: number;
}

export function prepareText(text: string, opts: TextOptions): TextData {
  const where = opts.where ?? "--text";
  checkWith(text.trim().length > 0, where, "a non-empty text", "an empty one");
  if (opts.vocab) checkWith(opts.vocab.kind === opts.level, "model vocabulary", `a ${opts.level} vocabulary`, `a ${opts.vocab.kind} one`);
  const separate = opts.valText !== undefined;
  let skipped = 0;

  if (opts.level === "char") {
    const vocab = opts.vocab ?? buildCharVocab(text + (opts.valText ?? "") + (opts.testText ?? ""), where);
    const enc = (s: string, w: string) => {
      const ids = encodeChars(vocab, s, { unknown: opts.vocab ? "skip" : "error", where: w });
      skipped += Array.from(s).length - ids.length;
      return ids;
    };
    const all = enc(text, where);
    if (separate) return { vocab, train: all, val: enc(opts.valText!, "validation text"), test: enc(opts.testText ?? "", "test text"), skipped };
    const b = splitBounds(all.length, { val: opts.val ?? 0.1, test: opts.test ?? 0 }, where);
    return { vocab, train: all.subarray(0, b.trainEnd), val: all.subarray(b.trainEnd, b.valEnd), test: all.subarray(b.valEnd), skipped };
  }

  const words = splitWords(text);
  checkWith(words.length > 0, where, "a text with words", "only blank lines");
  if (separate) {
    const vocab = opts.vocab ?? buildWordVocab(words, { maxSize: opts.maxVocab }, where);
    return { vocab, train: encodeWords(vocab, words), val: encodeWords(vocab, splitWords(opts.valText!)), test: encodeWords(vocab, splitWords(opts.testText ?? "")), skipped };
  }
  const b = splitBounds(words.length, { val: opts.val ?? 0.1, test: opts.test ?? 0 }, where);
  const vocab = opts.vocab ?? buildWordVocab(words.slice(0, b.trainEnd), { maxSize: opts.maxVocab }, where);
  const all = encodeWords(vocab, words);
  return { vocab, train: all.subarray(0, b.trainEnd), val: all.subarray(b.trainEnd, b.valEnd), test: all.subarray(b.valEnd), skipped };
}
