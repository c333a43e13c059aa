// Builds the published JavaScript: src/**/*.ts → dist/**/*.js with .d.ts types, by tsc with
// tsconfig.build.json. Skips the work when dist/ is already newer than every source.
//   node scripts/build.mjs          (npm run build; also npm pack's prepack) fails if it cannot build
//   node scripts/build.mjs --lenient (npm's prepare, run by npm ci / npm install in a checkout):
//     never fails the install. Without TypeScript (npm ci --omit=dev) it says so and leaves
//     dist/ as it is, so a lean install of a checkout whose dist/ was built before works; on a
//     type error it says so and stamps nothing, so the checkout runs its sources through tsx
//     (npm test's type check then reports the error).
// tsc rewrites `./x.ts` to `./x.js` in the JavaScript (rewriteRelativeImportExtensions) but not
// in declaration files, where a consumer's NodeNext resolution would look for `.ts` files that
// the package does not ship: those specifiers are rewritten here.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ROOT, STAMP, distIsFresh } from "./dist-fresh.mjs";

const lenient = process.argv.includes("--lenient");
const force = process.argv.includes("--force");
const DIST = join(ROOT, "dist");

if (!force && distIsFresh()) {
  console.error("dist/ is up to date");
  process.exit(0);
}
let tsc;
try { tsc = createRequire(join(ROOT, "package.json")).resolve("typescript/bin/tsc"); }
catch {
  const msg = "cannot build dist/: TypeScript (a dev dependency) is not installed. Run `npm ci` with dev dependencies, then `npm run build`.";
  if (!lenient) { console.error(`error: ${msg}`); process.exit(1); }
  console.error(`note: ${msg}${existsSync(DIST) ? " dist/ is left as it was (older than the sources)." : ""}`);
  process.exit(0);
}

const started = new Date();
rmSync(DIST, { recursive: true, force: true });   // no files left from sources since removed
const r = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json")], { stdio: "inherit" });
if (r.status !== 0) {
  // No stamp: bin/recurrent.mjs keeps running the sources through tsx until a build succeeds.
  console.error(`${lenient ? "note" : "error"}: tsc failed; dist/ is not used until \`npm run build\` succeeds`);
  process.exit(lenient ? 0 : 1);
}

const RELATIVE_TS = /((?:from|import)\s*\(?\s*)(["'])(\.{1,2}\/[^"']*?)\.ts\2/g;
let rewritten = 0;
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { walk(p); continue; }
    if (!p.endsWith(".d.ts")) continue;
    const text = readFileSync(p, "utf8");
    const out = text.replace(RELATIVE_TS, (_, lead, q, path) => `${lead}${q}${path}.js${q}`);
    if (out !== text) { writeFileSync(p, out); rewritten++; }
  }
})(DIST);

writeFileSync(STAMP, `${started.toISOString()}\n`);
utimesSync(STAMP, started, started);
console.error(`built dist/ in ${((Date.now() - started.getTime()) / 1000).toFixed(1)} s (${rewritten} declaration files' imports rewritten to .js)`);
