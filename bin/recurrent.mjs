#!/usr/bin/env node
// The `recurrent` command. The toolkit is TypeScript run through tsx, so a checkout
// works right after `npm ci` with no build step.
import { register } from "tsx/esm/api";
// `recurrent ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on("error", (e) => { if (e.code === "EPIPE") process.exit(0); throw e; });
register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
