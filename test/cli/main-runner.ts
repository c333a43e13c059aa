// A child-process entry for tests of main() itself (not of bin/recurrent.mjs): runs the CLI,
// then records its exit code and whether writes to stdout and stderr failed because the
// reader had closed the pipe, in the JSON file named by RECURRENT_TEST_STATUS (a file: the
// closed pipes cannot carry it back). It watches write callbacks only, never adding an
// 'error' listener, so whatever handles a closed pipe is main()'s own.
import { writeFileSync } from "node:fs";
import { main } from "../../src/cli/main.ts";

const failed = { stdout: false, stderr: false };
for (const name of ["stdout", "stderr"] as const) {
  const stream = process[name], write = stream.write.bind(stream) as (chunk: unknown, enc?: unknown, cb?: unknown) => boolean;
  stream.write = ((chunk: unknown, enc?: unknown, cb?: unknown) => {
    const done = (typeof enc === "function" ? enc : cb) as ((e?: Error | null) => void) | undefined;
    const watch = (e?: Error | null) => { if (e) failed[name] = true; done?.(e); };
    return typeof enc === "function" || enc === undefined ? write(chunk, watch) : write(chunk, enc, watch);
  }) as typeof stream.write;
}
const code = await main(process.argv.slice(2));
process.exitCode = code;
// At exit: a failed write's callback runs only once the (synchronous) command has returned.
process.on("exit", () => writeFileSync(process.env.RECURRENT_TEST_STATUS!, JSON.stringify({ code, stdoutClosed: failed.stdout, stderrClosed: failed.stderr })));
