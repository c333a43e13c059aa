// The comparison paragraphs of the gradients report. Figures are computed from the rows;
// the wording was written after reading the committed run (see the report's command).
import type { Row } from "./run.ts";
import type { Results } from "./report.ts";

export function discussion(res: Results, success: Row[], radius: Row[], inits: Row[]): string[] {
  return ["(to be written after the run)"];
}
