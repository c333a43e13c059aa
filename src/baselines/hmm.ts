// A discrete hidden Markov model (Rabiner 1989, "A tutorial on hidden Markov models"):
// N hidden states, M observed symbols; trained by Baum–Welch (EM) with the scaled
// forward–backward recursions, so sequences of any length stay in floating range. Gives the
// log-likelihood of sequences and the next-symbol distribution after every prefix, which is
// what it is compared with RNNs on. Not continuous-emission, not Viterbi decoding.
// Pure: no node: imports.
//
// Shapes: pi (N), A (N, N) row-stochastic with A[i, j] = P(state j next | state i),
// E (N, M) with E[i, k] = P(symbol k | state i); alpha, beta (T, N); predictions (T, M).
import type { Rng } from "../rand.ts";
import { check, checkInt } from "../errors.ts";

export interface Hmm {
  N: number; M: number;
  pi: Float64Array;  // (N)
  A: Float64Array;   // (N, N)
  E: Float64Array;   // (N, M)
}

/**
 * A random model: every row (pi, each row of A and E) drawn uniformly from the simplex
 * (Dirichlet(1): −ln U, normalised). Rows spread this far apart let EM break the symmetry
 * between states; near-uniform starts stall on structure with no pairwise signal (XOR).
 */
export function randomHmm(N: number, M: number, rng: Rng): Hmm {
  checkInt(N, "hmm states", 1); checkInt(M, "hmm symbols", 1);
  const row = (a: Float64Array, off: number, n: number) => {
    let s = 0;
    for (let k = 0; k < n; k++) { a[off + k] = -Math.log(1 - rng.uniform()) + 1e-12; s += a[off + k]; }
    for (let k = 0; k < n; k++) a[off + k] /= s;
  };
  const h: Hmm = { N, M, pi: new Float64Array(N), A: new Float64Array(N * N), E: new Float64Array(N * M) };
  row(h.pi, 0, N);
  for (let i = 0; i < N; i++) { row(h.A, i * N, N); row(h.E, i * M, M); }
  return h;
}

/** Number of free parameters: (N − 1) + N(N − 1) + N(M − 1). */
export function hmmParamCount(h: Pick<Hmm, "N" | "M">): number { return h.N - 1 + h.N * (h.N - 1) + h.N * (h.M - 1); }

function checkObs(h: Hmm, obs: ArrayLike<number>, where: string): void {
  check(obs.length >= 1, where, "a sequence of at least one symbol", obs.length);
  for (let t = 0; t < obs.length; t++) {
    const o = obs[t];
    if (!(Number.isInteger(o) && o >= 0 && o < h.M)) check(false, `${where}[${t}]`, `a symbol in 0..${h.M - 1}`, o);
  }
}

/**
 * Scaled forward pass: alpha[t] = P(state_t | o_1..o_t) (each row sums to 1), scale[t] =
 * P(o_t | o_1..o_{t−1}), so log P(o) = Σ log scale[t].
 */
export function forward(h: Hmm, obs: ArrayLike<number>): { alpha: Float64Array; scale: Float64Array; logLikelihood: number } {
  checkObs(h, obs, "hmm observations");
  const { N, M, A, E } = h, T = obs.length;
  const alpha = new Float64Array(T * N), scale = new Float64Array(T);
  let ll = 0;
  for (let t = 0; t < T; t++) {
    const o = obs[t];
    let c = 0;
    for (let j = 0; j < N; j++) {
      let p: number;
      if (t === 0) p = h.pi[j];
      else { p = 0; for (let i = 0; i < N; i++) p += alpha[(t - 1) * N + i] * A[i * N + j]; }
      p *= E[j * M + o];
      alpha[t * N + j] = p; c += p;
    }
    if (c <= 0) return { alpha, scale, logLikelihood: -Infinity }; // a symbol the model gives probability 0
    for (let j = 0; j < N; j++) alpha[t * N + j] /= c;
    scale[t] = c; ll += Math.log(c);
  }
  return { alpha, scale, logLikelihood: ll };
}

/** Scaled backward pass with forward's scales: alpha[t]·beta[t] = P(state_t | o) per state. */
export function backward(h: Hmm, obs: ArrayLike<number>, scale: Float64Array): Float64Array {
  const { N, M, A, E } = h, T = obs.length;
  const beta = new Float64Array(T * N);
  beta.fill(1, (T - 1) * N, T * N);
  for (let t = T - 2; t >= 0; t--) {
    const o = obs[t + 1], c = scale[t + 1];
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let j = 0; j < N; j++) s += A[i * N + j] * E[j * M + o] * beta[(t + 1) * N + j];
      beta[t * N + i] = s / c;
    }
  }
  return beta;
}

/** Total log-likelihood of a set of sequences. */
export function logLikelihood(h: Hmm, seqs: ReadonlyArray<ArrayLike<number>>): number {
  let s = 0;
  for (const o of seqs) s += forward(h, o).logLikelihood;
  return s;
}

export interface BaumWelchOptions {
  iterations?: number;   // at most this many EM steps, default 100
  tolerance?: number;    // stop when the log-likelihood per symbol improves by less, default 1e-6
  pseudoCount?: number;  // Dirichlet pseudo-count added to every count (MAP-EM), default 0
}

/**
 * Baum–Welch: EM for pi, A and E over all sequences. Returns a new model and the
 * log-likelihood of the training data under each model visited (history[0] is the start;
 * with pseudoCount 0 it never decreases, the EM guarantee).
 */
export function baumWelch(h0: Hmm, seqs: ReadonlyArray<ArrayLike<number>>, opts: BaumWelchOptions = {}): { hmm: Hmm; history: number[] } {
  check(seqs.length >= 1, "baum-welch sequences", "at least one sequence", seqs.length);
  const iters = opts.iterations ?? 100, tol = opts.tolerance ?? 1e-6, prior = opts.pseudoCount ?? 0;
  check(prior >= 0, "baum-welch pseudoCount", "a number >= 0", prior);
  const { N, M } = h0;
  let h: Hmm = { N, M, pi: h0.pi.slice(), A: h0.A.slice(), E: h0.E.slice() };
  const symbols = seqs.reduce((s, o) => s + o.length, 0);
  const history: number[] = [];
  const piN = new Float64Array(N), AN = new Float64Array(N * N), EN = new Float64Array(N * M);
  for (let it = 0; ; it++) {
    piN.fill(prior); AN.fill(prior); EN.fill(prior);
    let ll = 0;
    for (const o of seqs) {
      const { alpha, scale, logLikelihood: l } = forward(h, o);
      ll += l;
      if (!Number.isFinite(l)) continue;
      const beta = backward(h, o, scale), T = o.length;
      for (let i = 0; i < N; i++) piN[i] += alpha[i] * beta[i];
      for (let t = 0; t < T; t++) {
        for (let i = 0; i < N; i++) EN[i * M + o[t]] += alpha[t * N + i] * beta[t * N + i];
        if (t === T - 1) break;
        const next = o[t + 1], c = scale[t + 1];
        for (let i = 0; i < N; i++) {
          const a = alpha[t * N + i] / c;
          for (let j = 0; j < N; j++) AN[i * N + j] += a * h.A[i * N + j] * h.E[j * M + next] * beta[(t + 1) * N + j];
        }
      }
    }
    history.push(ll);
    const prev = history[history.length - 2];
    if (it >= iters || (prev !== undefined && (ll - prev) / symbols < tol)) break;
    const next: Hmm = { N, M, pi: normRows(piN, 1, N), A: normRows(AN, N, N), E: normRows(EN, N, M) };
    h = next;
  }
  return { hmm: h, history };
}

// Each of `rows` rows of length n divided by its sum (a row of zeros becomes uniform).
function normRows(a: Float64Array, rows: number, n: number): Float64Array {
  const out = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += a[r * n + k];
    for (let k = 0; k < n; k++) out[r * n + k] = s > 0 ? a[r * n + k] / s : 1 / n;
  }
  return out;
}

/**
 * Next-symbol prediction: row t (of T) is P(o_{t+1} = k | o_1..o_t) for k in 0..M−1, from
 * the filtered state distribution pushed one step through A and E.
 */
export function nextSymbolProbs(h: Hmm, obs: ArrayLike<number>): Float64Array {
  const { N, M, A, E } = h, T = obs.length;
  const { alpha } = forward(h, obs);
  const out = new Float64Array(T * M), s = new Float64Array(N);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < N; j++) { let p = 0; for (let i = 0; i < N; i++) p += alpha[t * N + i] * A[i * N + j]; s[j] = p; }
    for (let k = 0; k < M; k++) { let p = 0; for (let j = 0; j < N; j++) p += s[j] * E[j * M + k]; out[t * M + k] = p; }
  }
  return out;
}

/** A sequence of T symbols drawn from the model. */
export function sampleHmm(h: Hmm, T: number, rng: Rng): Int32Array {
  const draw = (p: Float64Array, off: number, n: number) => {
    let u = rng.uniform(), k = 0;
    for (; k < n - 1; k++) { u -= p[off + k]; if (u < 0) break; }
    return k;
  };
  const out = new Int32Array(T);
  let s = draw(h.pi, 0, h.N);
  for (let t = 0; t < T; t++) {
    out[t] = draw(h.E, s * h.M, h.M);
    s = draw(h.A, s * h.N, h.N);
  }
  return out;
}
