// The model users build: the network of ../model/network.ts with the Keras-like methods. They
// live here, a layer above the network, because fit/evaluate/predict/generate are the training
// loop's and the data's functions (./model-api.ts); the network itself knows nothing of training,
// so the model layer never imports this one. Everything that hands a model to a user (the
// constructors in the formats, loadModel, the CLI) builds this class.
import { Network } from "../model/network.ts";
import type { Evaluation, History } from "./fit.ts";
import { evaluateModel, fitModel, generateText, predictModel, type FitData, type GenerateOptions, type ModelFitOptions, type SequenceArrays } from "./model-api.ts";

export class Sequence extends Network {
  /** Trains on a TrainData (src/data/datasets.ts: textData, windowData, sequenceData) or on
   *  {x, y} arrays with options.batchSize; resolves with the history. See FitOptions. */
  fit(data: FitData, options: ModelFitOptions = {}): Promise<History> { return fitModel(this, data, options); }

  /** Mean loss (and accuracy, for classes) over every batch of the data. */
  evaluate(data: FitData, options: { batchSize?: number } = {}): Evaluation { return evaluateModel(this, data, options); }

  /** Outputs at each sequence's last step, or at every step with allSteps. */
  predict(sequences: SequenceArrays["x"], options: { allSteps?: boolean } = {}): number[][] | number[][][] { return predictModel(this, sequences, options); }

  /** Text from a next-token model, with the encode/decode of its data (textData's result). */
  generate(codec: { encode(text: string): Int32Array; decode(ids: ArrayLike<number>): string }, options: GenerateOptions): string { return generateText(this, codec, options); }
}
