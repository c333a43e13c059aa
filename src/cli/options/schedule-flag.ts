// `--lr-schedule SPEC`: a learning-rate schedule (src/train/schedule.ts) in a few characters,
// with the rate from --lr and the run's length from --epochs:
//   constant                     η₀ throughout
//   step:N[:γ[:S]]               ×γ (default 0.5) every N updates, the first time at update S
//                                (default N); N and S may be epochs: step:1e:0.5:5e holds η₀ for 5
//                                epochs, then halves it every epoch (Zaremba et al.'s small model)
//   exponential:γ                ×γ every update
//   cosine[:N[:η_min]]           cosine annealing to η_min (default 0) over N updates (default: the whole run)
//   warmup:N:SPEC                linear warm-up over N updates, then SPEC
// or a JSON object of schedule.ts's Schedule ({"kind": "cosine", "tMax": 5000}; "lr" defaults to --lr).
import { RecurrentError } from "../../errors.ts";
import { checkSchedule, type Schedule } from "../../train/schedule.ts";

/** The schedule a spec names; `totalSteps` (epochs × batches) is cosine's default length;
 *  `perEpoch` (batches per epoch) turns counts written "4e" into updates. */
export function parseScheduleFlag(spec: string, lr: number, totalSteps: number | null, perEpoch: number | null = null): Schedule {
  const where = "--lr-schedule";
  if (spec.trim().startsWith("{")) {
    let json: unknown;
    try { json = JSON.parse(spec); } catch (e) { throw new RecurrentError(`${where}: expected a schedule name or a JSON object, got invalid JSON (${(e as Error).message})`); }
    const withLr = (s: Record<string, unknown>): Record<string, unknown> => s.kind === "warmup" && typeof s.then === "object" && s.then !== null
      ? { ...s, then: withLr(s.then as Record<string, unknown>) } : { lr, ...s };
    return checkSchedule(typeof json === "object" && json !== null ? withLr(json as Record<string, unknown>) : json, where);
  }
  const parts = spec.split(":");
  const num = (i: number, name: string, dflt?: number): number => {
    if (parts[i] === undefined || parts[i] === "") {
      if (dflt !== undefined) return dflt;
      throw new RecurrentError(`${where}: expected ${name} after "${parts.slice(0, i).join(":")}:", got nothing`);
    }
    const v = Number(parts[i]);
    if (!Number.isFinite(v)) throw new RecurrentError(`${where}: expected a number for ${name}, got ${JSON.stringify(parts[i])}`);
    return v;
  };
  /** A count of updates, or of epochs when written with an "e" ("4e"). */
  const updates = (i: number, name: string, dflt?: number): number => {
    const p = parts[i];
    if (p === undefined || !/e$/.test(p)) return num(i, name, dflt);
    const epochs = Number(p.slice(0, -1));
    if (!Number.isFinite(epochs) || p.length < 2) throw new RecurrentError(`${where}: expected a number of epochs for ${name} ("4e"), got ${JSON.stringify(p)}`);
    if (perEpoch === null) throw new RecurrentError(`${where}: ${name} in epochs ("${p}") needs the number of batches per epoch, which this run does not have`);
    return Math.round(epochs * perEpoch);
  };
  const s = ((): unknown => {
    switch (parts[0]) {
      case "constant": return { kind: "constant", lr };
      case "step": {
        const stepSize = updates(1, "the step size N");
        return { kind: "step", lr, stepSize, gamma: num(2, "γ", 0.5), ...(parts[3] !== undefined ? { start: updates(3, "the first decay S") } : {}) };
      }
      case "exponential": return { kind: "exponential", lr, gamma: num(1, "γ") };
      case "cosine": {
        if (parts[1] === undefined && totalSteps === null) throw new RecurrentError(`${where}: expected cosine:N (its length in updates) when the run has no --epochs, got cosine`);
        return { kind: "cosine", lr, tMax: num(1, "the length N", totalSteps ?? 0), lrMin: num(2, "η_min", 0) };
      }
      case "warmup": return { kind: "warmup", steps: num(1, "the warm-up length N"), then: parseScheduleFlag(parts.slice(2).join(":") || "constant", lr, totalSteps === null ? null : totalSteps - num(1, "N")) };
      default: throw new RecurrentError(`${where}: expected constant, step:N[:γ[:S]], exponential:γ, cosine[:N[:η_min]], warmup:N:SPEC or a JSON object, got ${JSON.stringify(spec)}`);
    }
  })();
  return checkSchedule(s, where);
}
