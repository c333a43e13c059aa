// Backward passes against float64 central differences: every cell × activation × head ×
// loss, many-to-many and many-to-one, masked and not, one and two layers, every parameter
// tensor and every initial state (including Jordan's fed-back output).
import { test } from "node:test";
import assert from "node:assert/strict";
import { gradCheck, type Case } from "../helpers/gradcheck.ts";
import type { ModelConfig } from "../../src/model/config.ts";

const heads: Array<Partial<ModelConfig>> = [
  { output: 3, outputActivation: "linear" },
  { output: 3, outputActivation: "softmax" },
  { output: 2, outputActivation: "sigmoid" },
];
const cells: Array<Partial<ModelConfig>> = [
  { cell: "elman", hiddenActivation: "tanh" },
  { cell: "elman", hiddenActivation: "sigmoid" },
  { cell: "elman", hiddenActivation: "relu" },
  { cell: "jordan", hiddenActivation: "tanh", stateActivation: "tanh", state: 3 },
  { cell: "jordan", hiddenActivation: "sigmoid", stateActivation: "sigmoid", state: 2 },
  { cell: "jordan", hiddenActivation: "relu", stateActivation: "tanh", state: 4 },
  { cell: "jordan", hiddenActivation: "tanh", feedback: "teacher", state: 3 },
  { cell: "lstm" },
  { cell: "gru" },
  { cell: "lstm", gateActivation: "hard_sigmoid" },
  { cell: "gru", gateActivation: "hard_sigmoid", resetAfter: false },
  { cell: "gru", resetAfter: false },
];

let worstOverall = 0;
for (const cell of cells) {
  for (const head of heads) {
    for (const [manyToOne, masked, layers] of [[false, false, 1], [true, false, 1], [false, true, 2], [true, true, 2]] as const) {
      const c: Case = { config: { ...cell, ...head, input: 3, hidden: 4, layers }, T: 5, B: 3, manyToOne, masked, seed: 11 };
      const variant = (cell.gateActivation === "hard_sigmoid" ? "/hard-sigmoid gates" : "") + (cell.resetAfter === false ? "/reset before" : "");
      const name = `${cell.cell}/${cell.hiddenActivation ?? "-"}${cell.feedback === "teacher" ? "/teacher" : ""}${variant} ` +
        `head ${head.outputActivation} ${manyToOne ? "many-to-one" : "many-to-many"}${masked ? " masked" : ""} ×${layers}`;
      test(`${name}: backward matches central differences for every parameter and initial state`, () => {
        const r = gradCheck(c);
        worstOverall = Math.max(worstOverall, r.maxRel);
        assert.ok(r.checked > 50, `checked ${r.checked}`);
        assert.ok(r.maxRel < 1e-6, `max relative error ${r.maxRel.toExponential(2)} at ${r.worst}`);
      });
    }
  }
}

test("elman/lstm/gru without a head: backward matches central differences on the top layer's h", () => {
  for (const cell of ["elman", "lstm", "gru"] as const) {
    const r = gradCheck({ config: { cell, input: 2, hidden: 3, layers: 2, output: 0 }, T: 4, B: 2, masked: true });
    worstOverall = Math.max(worstOverall, r.maxRel);
    assert.ok(r.maxRel < 1e-6, `${cell}: ${r.maxRel} at ${r.worst}`);
  }
});

test("an embedding input (token ids → embedding.weight rows) backpropagates exactly, for every cell", () => {
  for (const cell of ["elman", "jordan", "lstm", "gru"] as const) {
    const r = gradCheck({ config: { cell, input: 6, embedding: 3, hidden: 4, layers: 2, output: 6, outputActivation: "softmax" }, T: 5, B: 3, masked: true });
    worstOverall = Math.max(worstOverall, r.maxRel);
    assert.ok(r.maxRel < 1e-6, `${cell}: ${r.maxRel} at ${r.worst}`);
  }
});

test("report the worst gradient-check error", () => {
  console.log(`# worst gradient-check relative error: ${worstOverall.toExponential(2)}`);
  assert.ok(worstOverall > 0 && worstOverall < 1e-6);
});
