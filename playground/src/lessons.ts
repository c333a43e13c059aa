// The guided lessons: one click runs a short sequence of setups (each a link's query and a
// number of updates), keeping each run's curves beside the next, and ends with a sentence of
// the run's own numbers. The texts state what the lecture says; the numbers are measured.
import { fmt } from "./charts/colors.ts";

export interface RunResult {
  label: string;
  steps: number;
  valLoss: number;
  metrics: Record<string, number>;
  /** ‖∂L/∂h_0‖ / ‖∂L/∂h_{T−1}‖ of the first and the last measurement. */
  ratioFirst: number;
  ratioLast: number;
  clipEvents: number;
  maxGradNorm: number;
  baseline: number | null;
  error: string | null;
}

export interface Lesson {
  id: string;
  title: string;
  text: string;
  runs: Array<{ label: string; query: string; steps: number }>;
  /** Which gradient curve a run leaves beside the next: its first (before training) or its last. */
  keepGradients: "first" | "last";
  summary(r: RunResult[]): string;
}

const acc = (r: RunResult) => (r.metrics.accuracy !== undefined ? `, accuracy ${Math.round(100 * r.metrics.accuracy)} %` : "");
const loss = (r: RunResult) => (r.error ? `stopped: ${r.error}` : `validation loss ${fmt(r.valLoss, 3)}${acc(r)}`);

export const LESSONS: Lesson[] = [
  {
    id: "lstm-vs-elman",
    title: "1. Elman fails the adding problem at T = 50; an LSTM learns it",
    text: "The adding problem hides two marked numbers among T = 50 steps and asks for their sum at the end, so the error signal must travel back up to 50 steps. " +
      "In the Elman network that signal fades on the way back (its dashed curve of ‖∂L/∂h_t‖ falls by orders of magnitude towards t = 0) and the net does no better than always answering 0.5; " +
      "the LSTM's cell state carries it through its open forget gates, and its error falls far below that line.",
    runs: [
      { label: "Elman", query: "cell=elman&task=adding&length=50&hidden=32&layers=1&lr=0.003&clip=1&seed=1&optimizer=adam&init=glorot", steps: 600 },
      { label: "LSTM", query: "cell=lstm&task=adding&length=50&hidden=32&layers=1&lr=0.003&clip=1&seed=1&optimizer=adam&init=glorot", steps: 600 },
    ],
    keepGradients: "last",
    summary: ([e, l]) => `After ${l.steps} updates each: Elman ${loss(e)}; LSTM ${loss(l)}; always answering 0.5 scores ${fmt(e.baseline ?? NaN, 3)}.`,
  },
  {
    id: "spectral-radius",
    title: "2. The gradient vanishes for ρ < 1 and explodes for ρ > 1",
    text: "Each step back in time multiplies the gradient by the recurrent matrix U (and by tanh′ ≤ 1), so over many steps its size follows U's spectral radius ρ. " +
      "These three Elman networks differ only in ρ(U) at initialisation: 0.5, 1 and 2. Compare the curves of ‖∂L/∂h_t‖ before training: falling by orders of magnitude towards t = 0, roughly level, and growing.",
    runs: [
      { label: "ρ = 0.5", query: "cell=elman&task=temporal-order&length=20&hidden=32&layers=1&lr=0.001&clip=0&seed=1&optimizer=adam&init=radius&rho=0.5", steps: 10 },
      { label: "ρ = 1", query: "cell=elman&task=temporal-order&length=20&hidden=32&layers=1&lr=0.001&clip=0&seed=1&optimizer=adam&init=radius&rho=1", steps: 10 },
      { label: "ρ = 2", query: "cell=elman&task=temporal-order&length=20&hidden=32&layers=1&lr=0.001&clip=0&seed=1&optimizer=adam&init=radius&rho=2", steps: 10 },
    ],
    keepGradients: "first",
    summary: (r) => `‖∂L/∂h_0‖ / ‖∂L/∂h_19‖ before training: ${r.map((x) => `${x.label}: ${fmt(x.ratioFirst, 2)}`).join("; ")}.`,
  },
  {
    id: "clipping",
    title: "3. Clipping tames the explosion",
    text: "With ρ(U) = 1.5 the gradient grows as it flows back in time, and from the first updates on its norm reaches several times the clipping threshold. " +
      "Plain SGD with momentum (Pascanu et al. 2013's setting) takes those steps at full length and is thrown off; clipping the global norm to 1 shortens only the steps above 1, and the same network, seed and data then learn temporal order.",
    runs: [
      { label: "no clipping", query: "cell=elman&task=temporal-order&length=20&hidden=32&layers=1&lr=0.1&clip=0&seed=1&optimizer=sgd&momentum=0.9&init=radius&rho=1.5", steps: 500 },
      { label: "clip ‖g‖ ≤ 1", query: "cell=elman&task=temporal-order&length=20&hidden=32&layers=1&lr=0.1&clip=1&seed=1&optimizer=sgd&momentum=0.9&init=radius&rho=1.5", steps: 500 },
    ],
    keepGradients: "last",
    summary: ([a, b]) => `Without clipping: ${loss(a)} (largest ‖g‖ ${fmt(a.maxGradNorm, 2)}). With clipping: ${loss(b)}; ‖g‖ was above 1 and clipped in ${b.clipEvents} of ${b.steps} updates (largest ${fmt(b.maxGradNorm, 2)}). Chance: loss ${fmt(a.baseline ?? NaN, 3)}, accuracy 25 %.`,
  },
  {
    id: "jordan-vs-elman",
    title: "4. Jordan against Elman on a forecast",
    text: "Jordan's network feeds its own previous output back into its state; Elman's feeds back its hidden layer. " +
      "Both forecast the monthly sunspot number 12 months ahead from the last 24; compare their validation errors with the naive forecast (repeat the last value) and the seasonal naive one.",
    runs: [
      { label: "Elman", query: "cell=elman&task=forecast&series=sunspots&hidden=32&layers=1&lr=0.003&clip=1&seed=1&optimizer=adam", steps: 600 },
      { label: "Jordan", query: "cell=jordan&task=forecast&series=sunspots&hidden=32&layers=1&lr=0.003&clip=1&seed=1&optimizer=adam", steps: 600 },
    ],
    keepGradients: "last",
    summary: ([e, j]) => `Validation MAE after ${j.steps} updates: Elman ${fmt(e.metrics.mae, 3)}, Jordan ${fmt(j.metrics.mae, 3)}; naive ${fmt(e.metrics.naive_mae, 3)}, seasonal naive ${fmt(e.metrics.seasonal_naive_mae, 3)} (sunspot numbers).`,
  },
  {
    id: "gradient-free",
    title: "5. A gradient-free optimiser against Adam",
    text: "Would an optimiser that needs no gradient sidestep the vanishing gradient? Here CMA-ES and Adam each get 1,500 loss evaluations on the adding problem (T = 10) with a small Elman net (97 parameters). " +
      "Adam's gradient points downhill at every step; CMA-ES has to find the direction by sampling, and at this budget it stays near the constant predictor (docs/experiments/gradient-free.md compares GA, annealing, PSO and CMA-ES at length).",
    runs: [
      { label: "Adam", query: "cell=elman&task=adding&length=10&hidden=8&layers=1&lr=0.01&clip=1&seed=1&optimizer=adam", steps: 1500 },
      { label: "CMA-ES", query: "cell=elman&task=adding&length=10&hidden=8&layers=1&lr=0.01&clip=1&seed=1&optimizer=cmaes", steps: 1500 },
    ],
    keepGradients: "last",
    summary: ([a, c]) => `After 1,500 loss evaluations: Adam ${loss(a)}; CMA-ES ${loss(c)}; always answering 0.5 scores ${fmt(a.baseline ?? NaN, 3)}.`,
  },
];
