// Every .ts file under a folder, recursively: what the tests that read the source itself walk
// (the browser-safe core, the layer rules, the cell-name grep).
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}
