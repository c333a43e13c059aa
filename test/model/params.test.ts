import { test } from "node:test";
import assert from "node:assert/strict";
import { Sequence } from "../../src/train/sequence.ts";
import { normaliseConfig } from "../../src/model/config.ts";
import { paramCount } from "../../src/model/count.ts";
import { Rng } from "../../src/rand.ts";

test("parameter counts equal the lecture's formulas for every cell over many sizes", () => {
  const rng = new Rng(3);
  for (let k = 0; k < 200; k++) {
    const cell = (["elman", "jordan", "lstm", "gru"] as const)[k % 4];
    const I = 1 + rng.int(20), H = 1 + rng.int(40), O = (cell === "jordan" ? 1 : 0) + rng.int(10), S = 1 + rng.int(9);
    const layers = 1 + rng.int(3), embedding = k % 3 === 0 ? 1 + rng.int(8) : 0;
    const cfg = { cell, input: I, embedding, hidden: H, output: O, layers, ...(cell === "jordan" ? { state: S } : {}) };
    const m = new Sequence(cfg);
    assert.equal(m.paramCount, paramCount(normaliseConfig(cfg)), JSON.stringify(cfg));
  }
});

test("parameter counts: the lecture's closed forms on fixed examples", () => {
  // Elman h(h+d_in+1) + d_out(h+1): h=4, d_in=3, d_out=2 → 4·8 + 2·5 = 42
  assert.equal(new Sequence({ cell: "elman", input: 3, hidden: 4, output: 2 }).paramCount, 42);
  // Jordan h(s+d_in+1) + d_out(h+1) + s(s+d_out+1): h=4, s=3, d_in=3, d_out=2 → 28 + 10 + 18 = 56
  assert.equal(new Sequence({ cell: "jordan", input: 3, hidden: 4, state: 3, output: 2 }).paramCount, 56);
  // LSTM 4h(d_in+h+2), h=256, d_in=65 → 4·256·323 = 330752; plus Linear(256→65) = 16705
  assert.equal(new Sequence({ cell: "lstm", input: 65, hidden: 256, output: 65 }).paramCount, 330752 + 16705);
  // GRU 3h(d_in+h+2) per layer, two layers of 512 on 512: 2·3·512·1026
  assert.equal(new Sequence({ cell: "gru", input: 512, hidden: 512, layers: 2 }).paramCount, 2 * 3 * 512 * 1026);
});

test("tensor names and shapes follow PyTorch's state_dict for LSTM and GRU", () => {
  const m = new Sequence({ cell: "lstm", input: 5, hidden: 7, layers: 2, output: 3 });
  assert.deepEqual(m.tensors.map((t) => [t.name, t.shape]), [
    ["weight_ih_l0", [28, 5]], ["weight_hh_l0", [28, 7]], ["bias_ih_l0", [28]], ["bias_hh_l0", [28]],
    ["weight_ih_l1", [28, 7]], ["weight_hh_l1", [28, 7]], ["bias_ih_l1", [28]], ["bias_hh_l1", [28]],
    ["head.weight", [3, 7]], ["head.bias", [3]],
  ]);
  const g = new Sequence({ cell: "gru", input: 2, hidden: 4 });
  assert.deepEqual(g.tensors.map((t) => t.shape[0]), [12, 12, 12, 12]);
});

test("bad configurations are refused with a one-line error naming the field", () => {
  assert.throws(() => new Sequence({ cell: "elman", input: 0, hidden: 3 }), /config\.input: expected an integer >= 1, got 0/);
  assert.throws(() => new Sequence({ cell: "jordan", input: 2, hidden: 3, output: 0 }), /config\.output/);
  assert.throws(() => new Sequence({ cell: "lsmt" as never, input: 2, hidden: 3 }), /config\.cell: expected one of elman\|jordan\|lstm\|gru, got "lsmt"/);
  assert.throws(() => new Sequence({ cell: "lstm", input: 2, hidden: 3, hiddenActivation: "relu" }), /hiddenActivation/);
  assert.throws(() => new Sequence({ cell: "gru", input: 2, hidden: 3, state: 4 }), /config\.state/);
});

test("summary line shows sizes and the parameter count", () => {
  assert.equal(new Sequence({ cell: "lstm", input: 3, hidden: 5 }).toString(), "LSTM(3 => 5)  # 200 parameters");
});
