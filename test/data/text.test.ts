import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { Vocab } from "../../src/data/vocab.ts";
import { buildCharVocab, decodeChars, encodeChars } from "../../src/data/char-tokenizer.ts";
import { EOS, UNK, buildWordVocab, decodeWords, encodeWords, splitWords } from "../../src/data/word-tokenizer.ts";
import { prepareText } from "../../src/data/prepare-text.ts";
import { readTextFile } from "../../src/node/text-file.ts";
import { RecurrentError } from "../../src/errors.ts";

const shakespeare = readFileSync("data/tinyshakespeare-100k.txt", "utf8");

test("char tokenizer: encode then decode gives the text back, ids cover the sorted distinct characters", () => {
  const v = buildCharVocab(shakespeare);
  const distinct = new Set(shakespeare);
  assert.equal(v.size, distinct.size);
  assert.deepEqual([...v.tokens], [...distinct].sort());
  const ids = encodeChars(v, shakespeare);
  assert.equal(ids.length, shakespeare.length);
  assert.equal(decodeChars(v, ids), shakespeare);
});

test("char tokenizer: a code point outside the BMP is one token, not two halves", () => {
  const v = buildCharVocab("a🙂b🙂");
  assert.equal(v.size, 3);
  assert.equal(encodeChars(v, "🙂a").length, 2);
});

test("char tokenizer: an unseen character is an error naming it, or skipped on request", () => {
  const v = buildCharVocab("abc");
  assert.throws(() => encodeChars(v, "abz"), (e: Error) => e instanceof RecurrentError && /character 2/.test(e.message) && /"z"/.test(e.message));
  assert.deepEqual([...encodeChars(v, "azb", { unknown: "skip" })], [0, 1]);
});

test("vocabularies round-trip through JSON and reject malformed JSON with one line", () => {
  const v = buildWordVocab(splitWords("the cat\nthe dog\n"));
  const back = Vocab.fromJSON(JSON.parse(JSON.stringify(v)));
  assert.deepEqual(back.tokens, v.tokens);
  assert.equal(back.unkId, v.unkId);
  assert.equal(back.eosId, v.eosId);
  assert.throws(() => Vocab.fromJSON({ kind: "char", tokens: ["a", "a"] }), /distinct tokens/);
  assert.throws(() => Vocab.fromJSON({ kind: "byte", tokens: ["a"] }), /char\|word/);
  assert.throws(() => Vocab.fromJSON({ kind: "word", tokens: ["a"], unk: "<unk>" }), /unknown token/);
});

test("word tokenizer: PTB style, <eos> at each line end, blank lines skipped, unknown words to <unk>", () => {
  const toks = splitWords(" the cat sat \n\n a dog\r\nran");
  assert.deepEqual(toks, ["the", "cat", "sat", EOS, "a", "dog", EOS, "ran", EOS]);
  const v = buildWordVocab(toks);
  assert.equal(v.lookup("zebra"), v.unkId);
  assert.equal(v.token(v.unkId), UNK);
  const ids = encodeWords(v, splitWords("the zebra ran\n"));
  assert.equal(ids[1], v.unkId);
  assert.equal(decodeWords(v, ids), "the <unk> ran\n");
});

test("word vocabulary: most frequent first, capped size sends the rest to <unk>", () => {
  const toks = splitWords("b a b c b a\n");
  const v = buildWordVocab(toks, { maxSize: 4 });
  assert.deepEqual([...v.tokens], [EOS, UNK, "b", "a"]);
  assert.equal(v.lookup("c"), v.unkId);
});

test("word tokenizer on Penn Treebank validation: 10k vocabulary from train keeps every valid word", { skip: !existsSync("../shared/data/ptb/ptb.train.txt") }, () => {
  const train = readFileSync("../shared/data/ptb/ptb.train.txt", "utf8");
  const valid = readFileSync("../shared/data/ptb/ptb.valid.txt", "utf8");
  const d = prepareText(train, { level: "word", valText: valid });
  assert.equal(d.vocab.size, 10000); // 9,999 distinct tokens + <eos>, per the data README
  const lines = valid.split("\n").filter((l) => l.trim()).length;
  const words = valid.split(/\s+/).filter(Boolean).length;
  assert.equal(d.val.length, words + lines);
  assert.ok(!d.val.includes(-1));
  // every word of PTB's validation text is in the training vocabulary: no extra <unk>s
  const unkInFile = valid.split(/\s+/).filter((w) => w === UNK).length;
  assert.equal(d.val.filter((id) => id === d.vocab.unkId).length, unkInFile);
});

test("prepareText: char 90/10 split by position, validation is the end of the text", () => {
  const d = prepareText(shakespeare, { level: "char" });
  assert.equal(d.train.length + d.val.length, shakespeare.length);
  assert.equal(d.val.length, Math.round(0.1 * shakespeare.length));
  assert.equal(decodeChars(d.vocab, d.val), shakespeare.slice(d.train.length));
});

test("prepareText: a saved vocabulary of the wrong kind, and empty text, are one-line errors", () => {
  const v = buildCharVocab("abc");
  assert.throws(() => prepareText("a b\n", { level: "word", vocab: v }), /a word vocabulary/);
  assert.throws(() => prepareText("  \n", { level: "char" }), /non-empty text/);
});

test("readTextFile: missing file and empty file are one-line errors", () => {
  assert.throws(() => readTextFile("test/fixtures/bad-data/nope.txt", "--text"), (e: Error) => e instanceof RecurrentError && /no such file/.test(e.message));
  assert.throws(() => readTextFile("test/fixtures/bad-data/empty.txt", "--text"), /empty file/);
  assert.throws(() => readTextFile("test/fixtures", "--text"), /a file/);
});
