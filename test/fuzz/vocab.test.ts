// Property tests of the text vocabularies (src/data/vocab.ts, char-tokenizer.ts,
// word-tokenizer.ts): a vocabulary saved with a model (random JSON) is loaded or refused in
// one line; character and word vocabularies built from random text (any Unicode, emoji,
// lone surrogates, control characters) encode and decode it back exactly (words: up to
// whitespace). Fixed seed. Not here: language-model batches (test/data/lm-batches.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Vocab } from "../../src/data/vocab.ts";
import { buildCharVocab, decodeChars, encodeChars } from "../../src/data/char-tokenizer.ts";
import { buildWordVocab, decodeWords, encodeWords, splitWords } from "../../src/data/word-tokenizer.ts";
import { returnsOrRefuses, SEED } from "./helpers.ts";

const tokens = fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom("<unk>", "<eos>", "a", "a"), fc.string({ unit: "binary", maxLength: 2 })), { maxLength: 8 });
const vocabJson = fc.oneof(
  fc.record({ kind: fc.oneof(fc.constantFrom("char", "word"), fc.jsonValue({ maxDepth: 0 })), tokens: fc.oneof(tokens, fc.jsonValue({ maxDepth: 2 })), unk: fc.oneof(fc.constantFrom(null, "<unk>", "zz"), fc.jsonValue({ maxDepth: 1 })), eos: fc.oneof(fc.constantFrom(null, "<eos>"), fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: [] }),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant({ kind: "char", tokens: ["x".repeat(100_000), "x".repeat(100_000)] }),
);

test("a saved vocabulary (random JSON) loads as distinct tokens with its special ids, or is one line", () => {
  fc.assert(fc.property(vocabJson, (j) => {
    const v = returnsOrRefuses(() => Vocab.fromJSON(j, "config.json: task.vocab"));
    if (v instanceof Error) return;
    assert.equal(new Set(v.tokens).size, v.size);
    for (let i = 0; i < v.size; i++) assert.equal(v.lookup(v.token(i)), i);
    assert.deepEqual(Vocab.fromJSON(JSON.parse(JSON.stringify(v.toJSON()))).tokens, v.tokens);
  }), { seed: SEED, numRuns: 1000 });
});

const anyText = fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }), fc.string({ unit: "binary", minLength: 1, maxLength: 60 }), fc.string({ minLength: 1, maxLength: 60 }));

test("character vocabularies from random text encode and decode it back exactly; an unseen character is one line", () => {
  fc.assert(fc.property(anyText, anyText, (text, other) => {
    const v = buildCharVocab(text);
    assert.equal(decodeChars(v, encodeChars(v, text)), text);
    returnsOrRefuses(() => encodeChars(v, other, { where: "--prompt" }), "--prompt");
    const kept = encodeChars(v, other, { unknown: "skip" });
    assert.ok(kept.every((id) => id >= 0 && id < v.size));
  }), { seed: SEED, numRuns: 500 });
});

test("word vocabularies from random text decode its words back (whitespace normalised), unknown words as <unk>", () => {
  fc.assert(fc.property(anyText, fc.option(fc.integer({ min: -1, max: 6 })), (text, maxSize) => {
    const words = splitWords(text);
    if (!words.length) return;
    const v = returnsOrRefuses(() => buildWordVocab(words, maxSize === null ? {} : { maxSize }));
    if (v instanceof Error) return;
    const ids = encodeWords(v, words);
    assert.ok(ids.every((id) => id >= 0 && id < v.size));
    if (maxSize === null) assert.equal(decodeWords(v, ids).split(/\s+/).join(" ").trim(), words.map((w) => (w === "<eos>" ? "" : w)).join(" ").split(/\s+/).join(" ").trim());
  }), { seed: SEED, numRuns: 500 });
});
