// Labels for steps after the end of a series: the next dates at the series' frequency
// (monthly "YYYY-MM", quarterly, daily/weekly "YYYY-MM-DD", hourly "YYYY-MM-DD hh:mm:ss"),
// or "+h" when the frequency is unknown. Only for the forecast CSV and plot.
import type { Frequency } from "../../data/period.ts";

export function futureLabels(last: string | null, frequency: string, count: number): string[] {
  const out: string[] = [];
  for (let h = 1; h <= count; h++) out.push(next(last, frequency as Frequency, h) ?? `+${h}`);
  return out;
}

function next(last: string | null, f: Frequency, h: number): string | null {
  if (!last) return null;
  if (f === "monthly" || f === "quarterly") {
    const m = /^(\d{4})-(\d{2})$/.exec(last.trim());
    if (!m) return null;
    const k = Number(m[1]) * 12 + Number(m[2]) - 1 + h * (f === "monthly" ? 1 : 3);
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`;
  }
  const hours = f === "hourly" ? 1 : f === "daily" ? 24 : f === "weekly" ? 168 : 0;
  if (!hours) return null;
  const s = last.trim(), withTime = s.length > 10;
  const t = Date.parse(withTime ? s.replace(" ", "T") + "Z" : `${s}T00:00:00Z`);
  if (!Number.isFinite(t)) return null;
  const iso = new Date(t + h * hours * 3.6e6).toISOString();
  return withTime ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso.slice(0, 10);
}
