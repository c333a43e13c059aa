// Character-level tokenizer: one token per Unicode code point (so an emoji is one token,
// not two UTF-16 halves). The vocabulary is the sorted set of characters of the training
// text; there is no unknown token (char-rnn's convention): encoding a character the model
// never saw is an error unless the caller asks to skip it. Pure (no node: imports).
import { fail } from "../errors.ts";
import { Vocab } from "./vocab.ts";
import { checkWith } from "./problem.ts";

/** The sorted distinct characters of `text` (sorted by code point, so the order is stable). */
export function buildCharVocab(text: string, where = "text"): Vocab {
  checkWith(text.length > 0, where, "a non-empty text", "an empty one");
  const chars = [...new Set(Array.from(text))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  return new Vocab("char", chars);
}

export interface EncodeOptions {
  /** What to do with a character not in the vocabulary: "error" (default) or "skip". */
  unknown?: "error" | "skip";
  where?: string;
}

/** Token ids of every character of `text`, shape (N). */
export function encodeChars(vocab: Vocab, text: string, opts: EncodeOptions = {}): Int32Array {
  const where = opts.where ?? "text";
  const chars = Array.from(text);
  const out = new Int32Array(chars.length);
  let n = 0;
  for (let i = 0; i < chars.length; i++) {
    const id = vocab.lookup(chars[i]);
    if (id >= 0) out[n++] = id;
    else if (opts.unknown !== "skip") fail(`${where} character ${i}`, "a character of the model's vocabulary", chars[i]);
  }
  return n === out.length ? out : out.slice(0, n);
}

export function decodeChars(vocab: Vocab, ids: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < ids.length; i++) s += vocab.token(ids[i]);
  return s;
}
