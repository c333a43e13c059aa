// The README's library example, as a file: `node examples/quickstart.mjs [text file]`.
// test/package/pack.test.ts runs it against the packed package, so it works as written.
import { readFileSync } from "node:fs";
import { Sequence, textData, initialize, Rng } from "recurrent";

// Characters of Shakespeare as 32 parallel streams cut into 64-step chunks; the last 10 % validates.
const text = readFileSync(process.argv[2] ?? "data/tinyshakespeare-100k.txt", "utf8");
const data = textData(text, { level: "char", batchSize: 32, seqLength: 64, validation: 0.1 });

const model = new Sequence({ cell: "lstm", input: data.vocab.size, hidden: 128, output: data.vocab.size, outputActivation: "softmax" });
initialize(model, new Rng(1), "glorot");          // or "pytorch" (PyTorch's defaults)
console.log(model.summary());                      // every tensor, the total and the lecture's formula

const history = await model.fit(data.train, {
  epochs: 3, optimizer: "adam", lr: 1e-2, clipNorm: 5, // global-norm clipping (Pascanu et al. 2013)
  validationData: data.validation,
  callbacks: [{
    onEpochEnd: ({ history }, epoch) => {
      const e = history.epochs.at(-1);
      console.log(`epoch ${epoch}: train ${e.train_loss.toFixed(3)}, validation ${e.val_loss.toFixed(3)} nats/char`);
    },
  }],
});
console.log(`stopped (${history.stopped}) after ${history.steps} updates, ${Math.round(history.unitsPerSecond)} chars/s`);
console.log(model.generate(data, { prompt: "ROMEO:", length: 200, temperature: 0.8 }));
