// `npm run experiments -- <name> [options]`: runs scripts/experiments/<name>.ts, which writes
// its report under docs/experiments/. The name is taken off argv, so each experiment parses
// its own options from process.argv.slice(2) exactly as when it is run directly.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const dir = join(dirname(fileURLToPath(import.meta.url)), "experiments");
const names = readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3)).sort();
const name = process.argv[2];
if (!name || !names.includes(name)) {
  process.stderr.write(`error: experiment: expected one of ${names.join("|")}, got ${name === undefined ? "nothing" : JSON.stringify(name)}\n`);
  process.exit(1);
}
process.argv.splice(2, 1);
await import(pathToFileURL(join(dir, `${name}.ts`)).href);
