// Writes docs/reliability.md: every fault and hostile input tried, how it is tested and what
// happened, from the rows in docs/reliability/*.jsonl (one {"area", "fault", "test", "result"}
// per line). The results are what the named tests assert; `npm test` reruns them all, and a
// single one runs with `node scripts/test.mjs <test file>`.
//   node scripts/reliability.mjs            (--stdout prints the page instead)
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

const rows = readdirSync("docs/reliability").filter((f) => f.endsWith(".jsonl")).sort()
  .flatMap((f) => readFileSync(`docs/reliability/${f}`, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)));
const esc = (s) => String(s).replace(/\|/g, "\\|");
const areas = [...new Set(rows.map((r) => r.area))];
const md = [
  "# Reliability: faults and hostile inputs",
  "",
  `Every fault and hostile input tried (${rows.length} in all), how it is tested and the result the`,
  "test asserts. Written by `node scripts/reliability.mjs` from the rows in",
  "[reliability/](reliability/) (one JSON line per fault). Rerun everything with `npm test`, one",
  "file with `node scripts/test.mjs <test file>`.",
  "",
  ...areas.flatMap((a) => [
    `## ${a}`, "",
    "| fault | test | result |",
    "|---|---|---|",
    ...rows.filter((r) => r.area === a).map((r) => {
      const [file, ...name] = r.test.split(" › ");
      return `| ${esc(r.fault)} | \`${esc(file)}\`${name.length ? ` › ${esc(name.join(" › "))}` : ""} | ${esc(r.result)} |`;
    }),
    "",
  ]),
];
if (process.argv.includes("--stdout")) process.stdout.write(md.join("\n"));   // for the test that the page is current
else {
  writeFileSync("docs/reliability.md", md.join("\n"));
  console.log(`wrote docs/reliability.md (${rows.length} faults)`);
}
