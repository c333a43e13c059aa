// Progress of one long piece of work outside training (eval, firms, the tour, generate,
// import/export) on stderr, so stdout stays clean for --json and pipes. The same approach as
// the training display (src/cli/session/progress.ts): a cli-progress bar when stderr is a terminal,
// plain lines at most every `interval` seconds when it is not (logs, CI).
//
// Nothing shows for work that ends within `delay` seconds (2 by default: a person only waits
// longer than that), unless the caller knows the work is long (`show`), so quick commands
// stay silent. Updates are cheap (a clock read) and safe inside synchronous loops: the bar
// redraws on update (cli-progress's synchronous redraw), not only on its timer.
//
// Not here: the training loop's display (src/cli/session/progress.ts, with loss and ETA to a time
// limit). An edge module (Node: it writes to a stream); the numeric core never imports it.
// End with finish() when the work is done and stop() in a `finally` (or use withTask): on a
// terminal the bar redraws on a timer until stopped.
import { statSync } from "node:fs";
import cliProgress from "cli-progress";

export interface TaskOptions {
  /** What is being done, e.g. "eval val" or "firms pearson". */
  label: string;
  /** Units of work in all (0 or undefined: unknown, the count is shown without a bar). */
  total?: number;
  /** The unit's name, plural ("chunks", "tokens", "sequences"). */
  unit?: string;
  /** Show the count beside the percentage (default true; off when the units are internal,
   * such as fractions of stages). */
  showCount?: boolean;
  /** Show from the start, whatever `delay` says (work known to be long). */
  show?: boolean;
  /** The stream to draw on (default process.stderr). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Force a bar (true) or plain lines (false); default: stream.isTTY. */
  tty?: boolean;
  /** Seconds of silence before anything shows (default progressDefaults.delay). */
  delay?: number;
  /** Seconds between plain lines (default progressDefaults.interval; 0: a line per update,
   * for work in a few named steps). */
  interval?: number;
  /** Clock in milliseconds (tests inject one). */
  now?: () => number;
}

/** Defaults of every task; tests set `delay` to 0 to see the display of short work, and
 * `tty` to force a bar (true) or plain lines (false) whatever stderr is. */
export const progressDefaults: { delay: number; interval: number; tty?: boolean } = { delay: 2, interval: 10 };

export class Task {
  private readonly stream: NonNullable<TaskOptions["stream"]>;
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly t0: number;
  private total: number;
  private done = 0;
  private note = "";
  private shown = false;
  private lastLine = -Infinity;
  private bar: cliProgress.SingleBar | null = null;
  private stopped = false;

  constructor(private readonly opts: TaskOptions) {
    this.stream = opts.stream ?? process.stderr;
    this.tty = opts.tty ?? progressDefaults.tty ?? Boolean(this.stream.isTTY);
    this.now = opts.now ?? Date.now;
    this.t0 = this.now();
    this.total = opts.total ?? 0;
  }

  /** Seconds since the start. */
  elapsed(): number { return (this.now() - this.t0) / 1000; }

  /** Seconds left at the rate so far; NaN while unknown. */
  eta(): number {
    return this.total > 0 && this.done > 0 ? this.elapsed() * Math.max(0, this.total - this.done) / this.done : NaN;
  }

  /** Records `done` units so far, and optionally what is being done now. */
  update(done: number, note?: string): void {
    if (this.stopped) return;
    this.done = done;
    if (note !== undefined) this.note = note;
    this.draw();
  }

  /** Adds `n` units (default 1). */
  add(n = 1, note?: string): void { this.update(this.done + n, note); }

  /** A new total (work found to be larger or smaller than announced). */
  setTotal(total: number): void {
    this.total = total;
    this.bar?.setTotal(Math.max(1, total));
  }

  /** A line of its own (a finished stage's figures), always printed: above the bar on a
   * terminal. */
  log(message: string): void {
    if (this.bar) {
      this.stream.write(`\r\x1b[2K${message}\n`);
      this.bar.render();
    } else {
      this.stream.write(`${message}\n`);
    }
  }

  /** A callback for work that reports (done, of): sets the total and the count. */
  reporter(): (done: number, of: number) => void {
    return (done, of) => {
      if (this.total !== of) this.setTotal(of);
      this.update(done);
    };
  }

  /** The work is complete: plain mode ends with a summary line when anything was shown;
   * a bar is erased. */
  finish(): void {
    if (this.stopped) return;
    if (this.total > 0) this.done = this.total;
    if (!this.bar && this.shown) this.stream.write(`${this.opts.label}: done${this.opts.showCount === false ? "" : `, ${this.count()}`} in ${formatDuration(this.elapsed())}\n`);
    this.stop();
  }

  /** Ends the display without a summary (idempotent; after an error, in a `finally`). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.bar) { this.bar.stop(); this.bar = null; }
  }

  /** "45% (1,234/2,740 chunks) | note | 12s, ETA 15s" (the percentage only with a total). */
  status(): string {
    const pct = `${Math.floor((100 * Math.min(this.done, this.total)) / this.total)}%`;
    const parts = [this.total > 0 ? (this.opts.showCount === false ? pct : `${pct} (${this.count()})`) : this.count()];
    if (this.note) parts.push(this.note);
    parts.push(`${formatDuration(this.elapsed())}${this.total > 0 ? `, ETA ${formatDuration(this.eta())}` : ""}`);
    return parts.join(" | ");
  }

  private count(): string {
    const n = (x: number) => x.toLocaleString("en-US");
    const unit = this.opts.unit ? ` ${this.opts.unit}` : "";
    return this.total > 0 ? `${n(Math.min(this.done, this.total))}/${n(this.total)}${unit}` : `${n(this.done)}${unit}`;
  }

  private visible(): boolean {
    return this.shown || this.bar !== null || this.opts.show === true || this.elapsed() >= (this.opts.delay ?? progressDefaults.delay);
  }

  private draw(): void {
    if (!this.visible()) return;
    if (this.tty) {
      if (!this.bar) {
        this.bar = new cliProgress.SingleBar({
          stream: this.stream as NodeJS.WriteStream,
          format: this.total > 0 ? "{label} {bar} {status}" : "{label} | {status}",
          barsize: 24, hideCursor: false, gracefulExit: false, clearOnComplete: true,
          noTTYOutput: true, // draw even if the stream says it is not a TTY (when tty is forced)
          synchronousUpdate: true, fps: 5,
        }, cliProgress.Presets.shades_classic);
        this.bar.start(Math.max(1, this.total), Math.min(this.done, Math.max(1, this.total)), { label: this.opts.label, status: this.status() });
      } else {
        this.bar.update(Math.min(this.done, Math.max(1, this.total)), { status: this.status() });
      }
      this.shown = true;
    } else if (!this.shown || this.elapsed() - this.lastLine >= (this.opts.interval ?? progressDefaults.interval)) {
      this.lastLine = this.elapsed();
      this.shown = true;
      this.stream.write(`${this.opts.label}: ${this.status()}\n`);
    }
  }
}

/** Files at least this large take seconds to read, convert and write (a 138 MB model:
 * about 3 s to ONNX on 2 cores), so their progress shows from the start. */
export const LARGE_FILE_BYTES = 64 * 2 ** 20;

/** Whether the files together reach LARGE_FILE_BYTES (missing files count 0: the command
 * reports them itself). */
export function largeFiles(...paths: Array<string | undefined>): boolean {
  let bytes = 0;
  for (const p of paths) {
    if (p === undefined) continue;
    try { bytes += statSync(p).size; } catch { /* reported by the command */ }
  }
  return bytes >= LARGE_FILE_BYTES;
}

/** Runs `work` (synchronous) with a task display: finished when the work returns, stopped
 * silently when it throws. */
export function withTask<T>(opts: TaskOptions, work: (task: Task) => T): T {
  const task = new Task(opts);
  try {
    const r = work(task);
    task.finish();
    return r;
  } finally {
    task.stop();
  }
}

/** Seconds as "42s", "3m07s" or "2h05m" ("?" when unknown). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
