// The generated sections of docs/performance.md: markdown between a pair of markers
//   <!-- BEGIN generated: NAME -->  …  <!-- END generated: NAME -->
// is replaced by what scripts/performance-report.ts computes from raw rows; everything outside
// the markers is prose that states no measured number. Pure (no files).

export function fillSections(doc: string, sections: Record<string, string>): string {
  let out = doc;
  for (const [name, body] of Object.entries(sections)) {
    const begin = `<!-- BEGIN generated: ${name} -->`, end = `<!-- END generated: ${name} -->`;
    const i = out.indexOf(begin), j = out.indexOf(end);
    if (i < 0 || j < i) throw new Error(`performance-report: expected the markers "${begin}" … "${end}" in the document, got ${i < 0 ? "no BEGIN" : "no END after it"}`);
    out = `${out.slice(0, i + begin.length)}\n${body.trim()}\n${out.slice(j)}`;
  }
  return out;
}

/** Markers in the document that no section fills (a typo, or a section the script dropped). */
export function unfilled(doc: string, sections: Record<string, string>): string[] {
  return [...doc.matchAll(/<!-- BEGIN generated: ([\w-]+) -->/g)].map((m) => m[1]).filter((n) => !(n in sections));
}

/** The rows file a generated section cites ("Rows: [`performance/x.jsonl`](…)"), relative to
 *  the document's folder, or null. `--check` re-derives the document from these, not from the
 *  newest files, so a later local run does not make a committed document look stale. */
export function citedRows(doc: string, section: string): string | null {
  const begin = doc.indexOf(`<!-- BEGIN generated: ${section} -->`), end = doc.indexOf(`<!-- END generated: ${section} -->`);
  if (begin < 0 || end < begin) return null;
  const m = /Rows: \[`([^`]+\.jsonl)`\]/.exec(doc.slice(begin, end));
  return m ? m[1] : null;
}

/** JSON lines → objects; a line that is not JSON fails with its number. */
export function parseRows(text: string, where: string): Record<string, unknown>[] {
  return text.split("\n").flatMap((line, i) => {
    if (!line.trim()) return [];
    try { return [JSON.parse(line) as Record<string, unknown>]; }
    catch { throw new Error(`performance-report: ${where} line ${i + 1}: expected a JSON object, got ${JSON.stringify(line.slice(0, 60))}`); }
  });
}
