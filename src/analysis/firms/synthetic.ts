// A synthetic market with known structure, for tests and the scale benchmark: daily log
// returns r_{i,t} = β_i·m_t + γ·f_{g(i),t} + σ_i·ε_{i,t}, with a market factor m, one factor
// f per sector g, firm noise ε (all standard normal, scaled to daily sizes), and prices
// S_{i,t} = S_{i,0}·exp(Σ r). γ = 0 gives a market where sector carries no information.
// Pure; seeded by Rng.
import { Rng } from "../../rand.ts";

export interface SyntheticMarket {
  tickers: string[]; sectors: string[]; marketCap: Float64Array;
  dates: string[];           // (T + 1) business days from 2010-01-04
  prices: Float64Array;      // (T + 1, N)
  growth: Float64Array;      // (T, N) per year, as align() computes it
}

export interface SyntheticOptions { firms: number; days: number; sectors: number; sectorLoading: number; seed: number }

/** Business days (Mon–Fri) from 2010-01-04, as YYYY-MM-DD. */
export function businessDays(n: number): string[] {
  const out: string[] = [];
  const d = new Date(Date.UTC(2010, 0, 4));
  while (out.length < n) {
    const w = d.getUTCDay();
    if (w !== 0 && w !== 6) out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

export function syntheticMarket(o: SyntheticOptions): SyntheticMarket {
  const { firms: N, days: T, sectors: K } = o;
  const rng = new Rng(o.seed);
  const sectorOf = Int32Array.from({ length: N }, (_, i) => i % K);
  const beta = Float64Array.from({ length: N }, () => 0.6 + 0.8 * rng.uniform());
  const noise = Float64Array.from({ length: N }, () => 0.8 + 0.6 * rng.uniform());
  const daily = 0.01;
  const prices = new Float64Array((T + 1) * N), growth = new Float64Array(T * N);
  const f = new Float64Array(K);
  for (let i = 0; i < N; i++) prices[i] = 20 + 80 * rng.uniform();
  for (let t = 0; t < T; t++) {
    const m = rng.normal();
    for (let k = 0; k < K; k++) f[k] = rng.normal();
    for (let i = 0; i < N; i++) {
      const r = daily * (beta[i] * m + o.sectorLoading * f[sectorOf[i]] + noise[i] * rng.normal());
      prices[(t + 1) * N + i] = prices[t * N + i] * Math.exp(r);
      growth[t * N + i] = Math.log(prices[(t + 1) * N + i] / prices[t * N + i]) * 252;
    }
  }
  return {
    tickers: Array.from({ length: N }, (_, i) => `F${String(i).padStart(4, "0")}`),
    sectors: Array.from(sectorOf, (k) => `Sector ${String.fromCharCode(65 + (k % 26))}${k >= 26 ? Math.floor(k / 26) : ""}`),
    marketCap: Float64Array.from({ length: N }, () => Math.exp(22 + 3 * rng.uniform())),
    dates: businessDays(T + 1), prices, growth,
  };
}

/** The market as the two CSV texts the CLI reads (prices long format, firms table). */
export function syntheticCsv(m: SyntheticMarket): { prices: string; firms: string } {
  const N = m.tickers.length, rows = ["date,ticker,close"];
  m.dates.forEach((d, t) => { for (let i = 0; i < N; i++) rows.push(`${d},${m.tickers[i]},${m.prices[t * N + i].toPrecision(8)}`); });
  const firms = ["ticker,name,sector,market_cap_usd", ...m.tickers.map((t, i) => `${t},Firm ${i},${m.sectors[i]},${Math.round(m.marketCap[i])}`)];
  return { prices: rows.join("\n") + "\n", firms: firms.join("\n") + "\n" };
}
