// Property tests of a model's config.json: normaliseConfig (src/model/config.ts) on random field
// values, and whole model directories as bytes (src/formats/model-files.ts) with random config.json
// text, random "model" objects and real weights. Each is built, or refused with one
// RecurrentError line naming config.json; nothing is allocated past the memory budget (a
// 10^12-parameter config is refused by its size). Fixed seed, a few hundred cases each.
// Not here: the size checks' exact figures (test/model/budget.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { normaliseConfig } from "../../src/model/config.ts";
import { paramCount } from "../../src/model/count.ts";
import { modelDirFiles, modelFromFiles } from "../../src/formats/model-files.ts";
import { Sequence } from "../../src/train/sequence.ts";
import { memoryLimits } from "../../src/model/budget.ts";
import { returnsOrRefuses, SEED } from "./helpers.ts";

const size = fc.oneof(fc.integer({ min: -2, max: 6 }), fc.constantFrom(0, 1e6, 1e9, 1e12, 2 ** 53, -0, 1.5, NaN, Infinity), fc.string({ maxLength: 3 }), fc.constant(null), fc.boolean());
const name = (options: string[]) => fc.oneof(fc.constantFrom(...options), fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }));
const config = fc.record({
  cell: name(["elman", "jordan", "lstm", "gru"]), input: size, hidden: size, layers: size, output: size, embedding: size, state: size,
  hiddenActivation: name(["tanh", "sigmoid", "relu"]), stateActivation: name(["tanh", "relu"]), outputActivation: name(["linear", "softmax", "sigmoid"]),
  feedback: name(["output", "teacher"]), gateActivation: name(["sigmoid", "hard_sigmoid"]), resetAfter: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 0 })),
}, { requiredKeys: [] });

test("random config fields: a valid, buildable configuration within the budget, or one line naming the field", () => {
  fc.assert(fc.property(config, (c) => {
    const r = returnsOrRefuses(() => normaliseConfig(c as never, "config.json: model"), "config.json: model");
    if (r instanceof Error) return;
    assert.ok(2 * 4 * paramCount(r) <= memoryLimits().bytes, "within the budget");
    if (paramCount(r) < 1e6) assert.equal(new Sequence(r).paramCount, paramCount(r));
  }), { seed: SEED, numRuns: 2000 });
});

const real = modelDirFiles(new Sequence({ cell: "lstm", input: 3, hidden: 4, output: 2 }));
const text = (s: string) => new TextEncoder().encode(s);

test("random config.json text and objects beside real weights: opened, or one line naming config.json", () => {
  const json = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.record({ format: fc.oneof(fc.constant("recurrent-model"), fc.jsonValue({ maxDepth: 1 })), model: fc.oneof(config, fc.jsonValue({ maxDepth: 2 })), dtype: fc.constantFrom("float32", "float64", "int8") }, { requiredKeys: ["format"] }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 40 }),
    fc.constant(`{"format": "recurrent-model", "model": ${"[".repeat(5000)}${"]".repeat(5000)}}`),
    fc.constant(`{"format": ${JSON.stringify("x".repeat(100_000))}}`),
  );
  fc.assert(fc.property(json, fc.boolean(), (cfg, withWeights) => {
    const files: Record<string, Uint8Array> = { "config.json": text(cfg) };
    if (withWeights) files["model.safetensors"] = real["model.safetensors"]!;
    returnsOrRefuses(() => modelFromFiles(files, "run"), "run");
  }), { seed: SEED, numRuns: 600 });
});

test("random bytes as config.json (invalid UTF-8, binary) are one line", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
    returnsOrRefuses(() => modelFromFiles({ "config.json": bytes, "model.safetensors": real["model.safetensors"]! }, "run"), "run");
  }), { seed: SEED, numRuns: 400 });
});
