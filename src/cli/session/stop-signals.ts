// How a training run is stopped from outside: SIGINT or SIGTERM stops it at the next batch,
// with a checkpoint (fit() sees the abort signal); a second one quits at once. Tests stop a run
// at an exact update through stop() instead, where a real signal's timing is a race.
// Call dispose() in a `finally`, so the handlers do not outlive the run.
export class StopSignals {
  readonly controller = new AbortController();
  /** What stopped the run (a signal's name), or null. */
  reason: string | null = null;
  private readonly onInt = this.handler("SIGINT");
  private readonly onTerm = this.handler("SIGTERM");

  constructor() {
    process.on("SIGINT", this.onInt); process.on("SIGTERM", this.onTerm);
  }

  get signal(): AbortSignal { return this.controller.signal; }

  /** Stops the run at the next batch, as a signal named `name` would (once: the first one counts). */
  stop(name: string): void {
    if (this.reason) return;
    this.reason = name; this.controller.abort();
  }

  dispose(): void { process.off("SIGINT", this.onInt); process.off("SIGTERM", this.onTerm); }

  private handler(name: "SIGINT" | "SIGTERM"): () => void {
    return () => {
      if (this.reason) process.exit(name === "SIGINT" ? 130 : 143);
      this.stop(name);
    };
  }
}
