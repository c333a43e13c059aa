// Seasonal period and known-good forecasting defaults, guessed from the date column's
// format and spacing: monthly 12, quarterly 4, weekly 52, daily 7, hourly 24, anything else
// 1 (no season; seasonal naive is then plain naive). The user can always override
// (--season, --window). Pure (no node: imports).

export type Frequency = "hourly" | "daily" | "weekly" | "monthly" | "quarterly" | "unknown";

const PERIOD: Record<Frequency, number> = { hourly: 24, daily: 7, weekly: 52, monthly: 12, quarterly: 4, unknown: 1 };

/** The sampling frequency from the first two dates (ISO formats). */
export function inferFrequency(dates: readonly string[] | null): Frequency {
  if (!dates || dates.length < 2) return "unknown";
  const [a, b] = [dates[0].trim(), dates[1].trim()];
  if (/^\d{4}-\d{2}$/.test(a) && /^\d{4}-\d{2}$/.test(b)) {
    const months = (s: string) => Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7));
    const d = months(b) - months(a);
    return d === 1 ? "monthly" : d === 3 ? "quarterly" : "unknown";
  }
  if (/^\d{4}-Q[1-4]$/.test(a)) return "quarterly";
  const ta = Date.parse(a.replace(" ", "T") + (a.length > 10 ? "Z" : "")), tb = Date.parse(b.replace(" ", "T") + (b.length > 10 ? "Z" : ""));
  if (!Number.isFinite(ta) || !Number.isFinite(tb) || !/^\d{4}-\d{2}-\d{2}/.test(a)) return "unknown";
  const hours = (tb - ta) / 3.6e6;
  if (hours === 1) return "hourly";
  if (hours === 24) return "daily";
  if (hours === 168) return "weekly";
  return "unknown";
}

export function seasonalPeriod(freq: Frequency): number { return PERIOD[freq]; }

export interface ForecastDefaults { season: number; window: number; horizon: number; val: number; test: number }

/** Defaults that work on the shared series: window two seasons (at least 16 steps, so
 * the model sees a full cycle twice), horizon one season, 70/15/15 split by time; the
 * window shrinks for short series so that training still has windows. */
export function forecastDefaults(n: number, dates: readonly string[] | null, horizonGiven?: number): ForecastDefaults {
  const season = seasonalPeriod(inferFrequency(dates));
  const horizon = horizonGiven ?? (season > 1 ? Math.min(season, 24) : 1);
  let window = Math.max(2 * season, 16);
  const trainLen = Math.round(0.7 * n);
  if (trainLen - window - horizon + 1 < 16) window = Math.max(1, Math.floor((trainLen - horizon) / 3));
  return { season, window, horizon, val: 0.15, test: 0.15 };
}

/** The H dates after the last one, in the same format, for forecasts beyond the data
 * (monthly "YYYY-MM", daily "YYYY-MM-DD", hourly "YYYY-MM-DD hh:mm:ss"); null when the
 * spacing is not one of those (the caller then numbers steps). */
export function futureDates(dates: readonly string[] | null, H: number): string[] | null {
  const freq = inferFrequency(dates);
  if (!dates || !["monthly", "daily", "hourly", "weekly"].includes(freq)) return null;
  const last = dates[dates.length - 1].trim();
  const out: string[] = [];
  if (freq === "monthly") {
    let y = Number(last.slice(0, 4)), m = Number(last.slice(5, 7));
    for (let h = 0; h < H; h++) {
      if (++m > 12) { m = 1; y++; }
      out.push(`${y}-${String(m).padStart(2, "0")}`);
    }
    return out;
  }
  const step = freq === "hourly" ? 3.6e6 : freq === "daily" ? 8.64e7 : 6.048e8;
  const t0 = Date.parse(last.slice(0, 10) + "T" + (last.length > 10 ? last.slice(11) : "00:00:00") + "Z");
  if (!Number.isFinite(t0)) return null;
  for (let h = 1; h <= H; h++) {
    const iso = new Date(t0 + h * step).toISOString(); // YYYY-MM-DDThh:mm:ss.sssZ
    out.push(last.length > 10 ? `${iso.slice(0, 10)} ${iso.slice(11, 11 + last.length - 11)}` : iso.slice(0, 10));
  }
  return out;
}
