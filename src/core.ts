// The browser-safe public surface of the toolkit: everything here runs unchanged in a
// browser or a worker (no Node imports anywhere below it). test/browser-core.test.ts bundles it
// with esbuild and trains in a bare JavaScript context, on the reference and the fast backend.
// The fast backend places buffers in shared WebAssembly memory: in a browser its worker threads
// need a cross-origin-isolated page (COOP and COEP headers), the only place shared memory may be
// posted to a worker. The reference backend, the default, runs anywhere.
export { Sequence } from "./train/sequence.ts";
export type { ModelConfig, CellKind } from "./model/config.ts";
export { initialize } from "./model/initialize.ts";
export { paramCount } from "./model/count.ts";
export { sampleTokens, sampleLogits } from "./model/sample.ts";
export { fit, earlyStopping, learningRateScheduler, evaluateData, defaultLoss, initialFitState } from "./train/fit.ts";
export type { TrainData, FitOptions, FitState, FitContext, Callback, History, Evaluation, EvaluationRecord, Validation, StopReason } from "./train/fit.ts";
export type { FitData, ModelFitOptions, SequenceArrays, GenerateOptions } from "./train/model-api.ts";
export { textData, windowData, sequenceData } from "./data/datasets.ts";
export type { TextDataOptions, TextDatasets, WindowDataOptions, WindowDatasets, SequenceDataOptions, SequenceDatasets } from "./data/datasets.ts";
export { Vocab } from "./data/vocab.ts";
export { StandardScaler } from "./data/scaler.ts";
export { summary, summaryJSON } from "./model/summary.ts";
export { Trainer } from "./train/trainer.ts";
export type { Batch, TrainerOptions, StepResult } from "./train/trainer.ts";
export { lossAndGrad, gatherLast, scatterLast } from "./train/loss.ts";
export { sequenceOutputs } from "./train/readout.ts";
export type { RandomSource } from "./model/dropout.ts";
export { makeOptimizer } from "./train/optim/index.ts";
export { clipByGlobalNorm, clipByValue, globalNorm } from "./train/clip.ts";
export { lrAt } from "./train/schedule.ts";
export { Rng } from "./rand.ts";
export { gemm, gemmReference, setGemm } from "./tensor/gemm.ts";
export { useFastBackend, useReferenceBackend } from "./tensor/fast.ts";
export { readSafetensors, writeSafetensors } from "./formats/safetensors.ts";
export { weightsToBytes, loadWeightsInto } from "./formats/model-bytes.ts";
export { getTask, TASK_NAMES } from "./data/tasks/index.ts";
export { RecurrentError } from "./errors.ts";
