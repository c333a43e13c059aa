// Is dist/ (the build of src/ by scripts/build.mjs) up to date? Used by the build, to skip a
// rebuild, and by bin/recurrent.mjs in a checkout, to run dist/ only when it was built from the
// sources as they are now (otherwise it runs the sources through tsx). The build stamps
// dist/.built with the time it *started*, so a file saved during a build counts as newer.
// Checkout only: the published package has no src/ and no scripts/.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const STAMP = join(ROOT, "dist", ".built");
/** What the build reads: a change to any of them makes dist/ stale. */
const INPUTS = ["src", "tsconfig.json", "tsconfig.build.json", "scripts/build.mjs"];

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  // A directory's own time moves when a file in it is added, removed or renamed.
  let t = s.mtimeMs;
  for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

/** True when dist/ holds a finished build newer than every source (about 2 ms for 160 files). */
export function distIsFresh() {
  if (!existsSync(STAMP)) return false;
  const built = statSync(STAMP).mtimeMs;
  return INPUTS.every((p) => !existsSync(join(ROOT, p)) || newest(join(ROOT, p)) < built);
}
