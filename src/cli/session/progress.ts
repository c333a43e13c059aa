// The training progress display on stderr: a cli-progress bar with loss, validation loss,
// tokens/s and ETA when stderr is a terminal; plain lines (at most one per `interval`
// seconds, plus every log() line) when it is not, so logs and CI output stay readable.
//
// An edge module (Node: it writes to a stream), used by the CLI's loop (./loop.ts) only; the
// browser-safe core (src/train) never imports it. It does not handle Ctrl-C (gracefulExit
// off): the CLI's loop owns SIGINT for its checkpoint.
// Call stop() in a `finally`: on a terminal the bar redraws on a timer until stopped.
import cliProgress from "cli-progress";
import { formatDuration } from "../../node/progress-task.ts";

export interface ProgressValues {
  epoch?: number;
  loss?: number;
  valLoss?: number;
  /** Throughput in `unit` per second (tokens, windows, sequences). */
  rate?: number;
}

export interface ProgressOptions {
  /** Units of work in the run (steps); 0 or undefined when only a time limit bounds it. */
  total?: number;
  epochs?: number;
  /** Seconds; the ETA never exceeds what is left of it. */
  timeLimit?: number;
  /** The stream to draw on (default process.stderr). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Force bar (true) or plain lines (false); default: stream.isTTY. */
  tty?: boolean;
  /** Seconds between plain lines (default 10). */
  interval?: number;
  /** Throughput unit (default "tok"). */
  unit?: string;
  /** Clock in milliseconds (tests inject one). */
  now?: () => number;
}

export class Progress {
  private readonly stream: NonNullable<ProgressOptions["stream"]>;
  private readonly tty: boolean;
  private readonly t0: number;
  private readonly now: () => number;
  private lastLine = -Infinity;
  private done = 0;
  private values: ProgressValues = {};
  private multi: cliProgress.MultiBar | null = null;
  private bar: cliProgress.SingleBar | null = null;
  private stopped = false;
  private phaseText: string | null = null;

  constructor(private readonly opts: ProgressOptions = {}) {
    this.stream = opts.stream ?? process.stderr;
    this.tty = opts.tty ?? Boolean(this.stream.isTTY);
    this.now = opts.now ?? Date.now;
    this.t0 = this.now();
    if (this.tty) {
      this.multi = new cliProgress.MultiBar({
        stream: this.stream as NodeJS.WriteStream,
        format: "{bar} {percentage}% | {status} | ETA {etaText}",
        barsize: 24, hideCursor: false, gracefulExit: false, clearOnComplete: false,
        noTTYOutput: true, // draw even if the stream says it is not a TTY (when tty is forced)
        fps: 5, etaBuffer: 50,
      }, cliProgress.Presets.shades_classic);
      // Without a total the bar shows the share of the time limit used (in 0.1 s units).
      const barTotal = opts.total ? opts.total : opts.timeLimit ? Math.max(1, Math.round(opts.timeLimit * 10)) : 1;
      this.bar = this.multi.create(barTotal, 0, { status: "starting", etaText: "?" });
    }
  }

  /** Seconds since the start. */
  elapsed(): number { return (this.now() - this.t0) / 1000; }

  /** Seconds left: from the rate of work so far, capped by the time limit; NaN if unknown. */
  eta(): number {
    const el = this.elapsed();
    const total = this.opts.total ?? 0;
    let eta = total > 0 && this.done > 0 ? el * (total - this.done) / this.done : NaN;
    if (this.opts.timeLimit !== undefined) {
      const left = Math.max(0, this.opts.timeLimit - el);
      eta = Number.isNaN(eta) ? left : Math.min(eta, left);
    }
    return eta;
  }

  /** Records progress: `done` units of work so far and the latest figures. */
  update(done: number, values: ProgressValues = {}): void {
    if (this.stopped) return;
    this.done = done;
    this.values = { ...this.values, ...values };
    if (this.bar) {
      const value = this.opts.total ? done : Math.round(this.elapsed() * 10);
      this.bar.update(Math.min(value, this.bar.getTotal()), { status: this.status(), etaText: formatDuration(this.eta()) });
    } else if (this.elapsed() - this.lastLine >= (this.opts.interval ?? 10)) {
      this.line();
    }
  }

  /** Shows what the run does between batches (e.g. "validating 40% (12/30)") instead of the
   *  training figures, until phase(null); plain mode prints it at most every `interval`. */
  phase(text: string | null): void {
    if (this.stopped) return;
    this.phaseText = text;
    if (this.bar) this.bar.update({ status: this.status(), etaText: formatDuration(this.eta()) });
    else if (text !== null && this.elapsed() - this.lastLine >= (this.opts.interval ?? 10)) this.line();
  }

  /** A line of its own (an epoch summary, a checkpoint note), above the bar on a terminal. */
  log(message: string): void {
    if (this.stopped) return;
    if (this.multi) this.multi.log(`${message}\n`);
    else this.stream.write(`${message}\n`);
  }

  /** Ends the display (idempotent); plain mode prints a final status line. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.multi) this.multi.stop();
    else this.line();
  }

  /** The status text: "epoch 2/10 | loss 1.2345 | val 1.3000 | 12,345 tok/s". */
  status(): string {
    const v = this.values, parts: string[] = [];
    if (this.phaseText !== null) return `${v.epoch !== undefined ? `epoch ${v.epoch}${this.opts.epochs ? `/${this.opts.epochs}` : ""} | ` : ""}${this.phaseText}`;
    if (v.epoch !== undefined) parts.push(`epoch ${v.epoch}${this.opts.epochs ? `/${this.opts.epochs}` : ""}`);
    parts.push(`loss ${fmt(v.loss)}`, `val ${fmt(v.valLoss)}`);
    if (v.rate !== undefined) parts.push(`${Math.round(v.rate).toLocaleString("en-US")} ${this.opts.unit ?? "tok"}/s`);
    return parts.join(" | ");
  }

  private line(): void {
    this.lastLine = this.elapsed();
    const total = this.opts.total ? `/${this.opts.total}` : "";
    this.stream.write(`[${formatDuration(this.elapsed())}] step ${this.done}${total} | ${this.status()} | ETA ${formatDuration(this.eta())}\n`);
  }
}

function fmt(x: number | undefined): string { return x === undefined || Number.isNaN(x) ? "-" : x.toFixed(4); }

/** 75 → "1m15s", 3725 → "1h02m", NaN → "?". */
