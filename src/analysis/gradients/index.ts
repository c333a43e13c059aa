// Gradient-flow diagnostics (issue 5): per-step state gradients, Jacobian products, weight
// spectra, the clipping log, and one record that bundles them. Numeric core: no Node imports.
export { stateGradients, statesOverTime, lossGradient, STATE_NAMES, type LossSpec, type StateGradients, type StateGradientSeries } from "./state-grads.ts";
export { stepJacobian, jacobianNorms, stateLayout, type JacobianNorms, type StateBlock } from "./jacobian.ts";
export { maxSingularValue, spectralRadius, recurrentSpectra, type MatrixSpectrum } from "./spectral.ts";
export { GradientLog, type GradNormEntry, type GradNormSummary } from "./clip-log.ts";
export { gradientRecord, type GradientRecord, type RecordOptions } from "./record.ts";
export { normsChartSpec, type NormLine } from "./chart.ts";
export { trainingGradientsSpec, type TrainingGradientPoint } from "./training-chart.ts";
