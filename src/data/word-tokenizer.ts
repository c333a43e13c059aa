// Word-level tokenizer in the Penn Treebank style (Mikolov's preprocessed PTB; the
// TensorFlow/PyTorch word-LM readers): split each line on whitespace, add `<eos>` at each
// line end, map words outside the vocabulary to `<unk>`. No lower-casing or punctuation
// handling: PTB text is already normalised. Pure (no node: imports).
import { check } from "../errors.ts";
import { Vocab } from "./vocab.ts";
import { checkWith } from "./problem.ts";

export const UNK = "<unk>";
export const EOS = "<eos>";

/** The tokens of `text`: each line's whitespace-separated words, then `<eos>`. Blank lines
 * are skipped (they carry no sentence), a last line without a newline still ends in `<eos>`. */
export function splitWords(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const words = line.split(/\s+/).filter((w) => w.length > 0);
    if (words.length === 0) continue;
    for (const w of words) out.push(w);
    out.push(EOS);
  }
  return out;
}

export interface WordVocabOptions {
  /** Keep at most this many tokens (including `<unk>` and `<eos>`); the rest become `<unk>`. */
  maxSize?: number;
  /** Drop words seen fewer times than this (default 1: keep all). */
  minCount?: number;
}

/** A word vocabulary from training tokens, most frequent first (ties alphabetical), so ids
 * are deterministic; `<unk>` and `<eos>` are always in it. */
export function buildWordVocab(tokens: readonly string[], opts: WordVocabOptions = {}, where = "text"): Vocab {
  checkWith(tokens.length > 0, where, "a text with at least one word", "an empty one");
  const counts = new Map<string, number>();
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  counts.delete(UNK); counts.delete(EOS);
  const minCount = opts.minCount ?? 1;
  let words = [...counts].filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([w]) => w);
  if (opts.maxSize !== undefined) {
    check(Number.isInteger(opts.maxSize) && opts.maxSize >= 3, "vocabulary size", "an integer >= 3", opts.maxSize);
    words = words.slice(0, opts.maxSize - 2);
  }
  return new Vocab("word", [EOS, UNK, ...words], UNK, EOS);
}

/** Ids of the tokens, shape (N); unknown words map to `<unk>`. */
export function encodeWords(vocab: Vocab, tokens: readonly string[]): Int32Array {
  const out = new Int32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) out[i] = vocab.lookup(tokens[i]);
  return out;
}

/** Words joined by spaces, with a newline for each `<eos>`. */
export function decodeWords(vocab: Vocab, ids: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < ids.length; i++) {
    const t = vocab.token(ids[i]);
    s += t === EOS ? "\n" : (s.length && !s.endsWith("\n") ? " " : "") + t;
  }
  return s;
}
