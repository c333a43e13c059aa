#!/usr/bin/env node
// The `recurrent` command. It runs one of two programs:
//   dist/cli/main.js   the built JavaScript (scripts/build.mjs): what the published package
//                      runs (it ships no sources), and a checkout whose dist/ is up to date;
//   src/cli/main.ts    the TypeScript sources through tsx (a dev dependency): a checkout whose
//                      dist/ is missing or older than any source, so an edit is never run stale.
// RECURRENT_SOURCE=1 forces the sources (scripts/test.mjs sets it: tests see the current code
// whatever dist/ holds). `npm ci` builds dist/ (its `prepare` script), so a fresh clone starts
// from the built code; a later edit switches to the sources until `npm run build`.
// A closed stdout or stderr (`recurrent ... | head`) is main()'s to handle: it lets the work finish.
import { existsSync } from "node:fs";

const checkout = existsSync(new URL("../src/cli/main.ts", import.meta.url));
let fromSource = false;
if (checkout) {
  const { distIsFresh } = await import("../scripts/dist-fresh.mjs");
  fromSource = process.env.RECURRENT_SOURCE === "1" || !distIsFresh();
}
let main;
if (fromSource) {
  let register;
  try { ({ register } = await import("tsx/esm/api")); }
  catch {
    process.stderr.write("error: recurrent: dist/ is missing or older than the sources, and tsx (a dev dependency) is not installed to run them: run `npm ci` and `npm run build`\n");
    process.exit(1);
  }
  register();
  ({ main } = await import("../src/cli/main.ts"));
} else {
  ({ main } = await import("../dist/cli/main.js"));
}
process.exitCode = await main(process.argv.slice(2));
