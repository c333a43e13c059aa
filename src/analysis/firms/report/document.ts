// A tiny document model for the report, so that one list of blocks renders to both
// Markdown and HTML without a Markdown parser. Pure.

export type Block =
  | { h: 1 | 2 | 3; text: string }
  | { p: string }
  | { list: string[] }
  | { table: { head: string[]; rows: string[][]; align?: Array<"l" | "r"> } }
  | { img: { src: string; alt: string } }
  | { code: string };

export function toMarkdown(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if ("h" in b) out.push(`${"#".repeat(b.h)} ${b.text}`);
    else if ("p" in b) out.push(b.p);
    else if ("list" in b) out.push(b.list.map((l) => `- ${l}`).join("\n"));
    else if ("img" in b) out.push(`![${b.img.alt}](${b.img.src})`);
    else if ("code" in b) out.push("```\n" + b.code + "\n```");
    else {
      const { head, rows, align } = b.table;
      const cell = (s: string) => s.replace(/\|/g, "\\|");
      out.push([
        `| ${head.map(cell).join(" | ")} |`,
        `| ${head.map((_, i) => ((align?.[i] ?? (i === 0 ? "l" : "r")) === "r" ? "---:" : "---")).join(" | ")} |`,
        ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
      ].join("\n"));
    }
  }
  return out.join("\n\n") + "\n";
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** Inline Markdown subset used in the text: `code` and **bold**. */
const inline = (s: string) => esc(s).replace(/`([^`]+)`/g, "<code>$1</code>").replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");

export function toHtml(title: string, blocks: Block[]): string {
  const body: string[] = [];
  for (const b of blocks) {
    if ("h" in b) body.push(`<h${b.h}>${inline(b.text)}</h${b.h}>`);
    else if ("p" in b) body.push(`<p>${inline(b.p)}</p>`);
    else if ("list" in b) body.push(`<ul>${b.list.map((l) => `<li>${inline(l)}</li>`).join("")}</ul>`);
    else if ("img" in b) body.push(`<p><img src="${esc(b.img.src)}" alt="${esc(b.img.alt)}"></p>`);
    else if ("code" in b) body.push(`<pre>${esc(b.code)}</pre>`);
    else {
      const { head, rows, align } = b.table;
      const al = (i: number) => ((align?.[i] ?? (i === 0 ? "l" : "r")) === "r" ? ' class="r"' : "");
      body.push(`<table><thead><tr>${head.map((h, i) => `<th${al(i)}>${inline(h)}</th>`).join("")}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c, i) => `<td${al(i)}>${inline(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`);
    }
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;line-height:1.45}
table{border-collapse:collapse;margin:1em 0;font-size:0.9em}th,td{border:1px solid #ccc;padding:3px 8px}
td.r,th.r{text-align:right}img{max-width:100%}code,pre{background:#f4f4f4}pre{padding:0.6em;overflow:auto}</style>
</head><body>
${body.join("\n")}
</body></html>
`;
}
