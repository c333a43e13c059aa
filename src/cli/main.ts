// The `recurrent` command line: one file per command in ./commands, registered here.
// Errors the user can fix print as one line and exit 1; `--debug` shows the stack.
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { RecurrentError } from "../errors.ts";
import { commands } from "./commands/index.ts";
import "../node/memory.ts";   // size checks against this machine's memory (model/budget.ts)

/** The `recurrent` program with every command registered, not yet parsing anything (the
 * docs test walks its commands and options). */
export function buildProgram(): Command {
  const program = new Command("recurrent")
    .description("Recurrent neural networks in TypeScript: Elman, Jordan, LSTM, GRU.")
    .option("--debug", "print stack traces on errors")
    .version(packageVersion(), "-V, --version", "print the version")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError(false);
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes("--debug");
  keepWorkingWhenOutputCloses();
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed its one-line message (or help); exit code 0 for --help.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof RecurrentError || (err instanceof Error && !debug && isUserFacing(err))) {
      process.stderr.write(`error: ${err.message}\n`);
      if (debug) process.stderr.write(`${err.stack}\n`);
      return 1;
    }
    process.stderr.write(`internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (debug && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    else process.stderr.write("(run again with --debug for the stack trace)\n");
    return 1;
  }
}

/**
 * `recurrent train ... | head` (or `2>&1 | head`) closes the pipe early: that is the reader's
 * choice, and must not abort the work (a run killed by EPIPE would lose its checkpoint, its
 * metrics and its plots). A closed stdout or stderr is ignored and the command finishes; what
 * it would still have printed there is dropped. Installed once per process.
 */
function keepWorkingWhenOutputCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listeners("error").includes(ignoreClosedPipe)) continue;
    stream.on("error", ignoreClosedPipe);
  }
}

function ignoreClosedPipe(err: NodeJS.ErrnoException): void {
  if (err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED") return;
  throw err;
}

/** File-system errors (ENOENT, EACCES, ...) are the user's to fix: show them plainly. */
function isUserFacing(err: Error): boolean {
  return typeof (err as NodeJS.ErrnoException).code === "string";
}

/** package.json's version: two directories up from src/cli/main.ts and from dist/cli/main.js alike. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
}
