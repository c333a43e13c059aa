// The command-line reference cannot drift from the code: every option of every command
// registered in src/cli/commands/index.ts is documented in docs/cli.md under that command's
// `## <command>` section, with an example; every flag docs/cli.md names exists (on its
// section's command, or on some command in a general section); and every `recurrent <command>`
// example in docs/cli.md and the README uses only flags that command has.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { buildProgram } from "../../src/cli/main.ts";

const program = buildProgram();
const commands = new Map<string, Command>(program.commands.map((c) => [c.name(), c]));
/** Flags every command accepts: the program's own and commander's --help. */
const GLOBAL = new Set([...program.options.flatMap((o) => [o.long, o.short]), "--help", "-h"].filter((f): f is string => !!f));

function flagsOf(c: Command): Set<string> {
  return new Set([...c.options.flatMap((o) => [o.long, o.short]).filter((f): f is string => !!f), ...GLOBAL]);
}

/** Markdown split at `## ` headings outside fenced code: heading text → body. */
function sections(md: string): Array<{ heading: string; body: string }> {
  const out: Array<{ heading: string; body: string }> = [];
  let fenced = false, cur = { heading: "", body: "" };
  for (const line of md.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    if (!fenced && /^## /.test(line)) { out.push(cur); cur = { heading: line.slice(3).trim(), body: "" }; continue; }
    cur.body += line + "\n";
  }
  out.push(cur);
  return out;
}

/** Long flags named in a text (`--label-column`, `--no-rolling`), not `--` alone. */
const longFlags = (text: string) => new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((m) => m[0]));

/** Every `recurrent <command> ...` line (with `\` continuations) of a text, as [command, flags]. */
function examples(text: string): Array<{ command: string; flags: Set<string>; line: string }> {
  const joined = text.replace(/\\\n\s*/g, " ");
  return [...joined.matchAll(/recurrent ([a-z]+)((?: [^\n`|]*)?)/g)]
    .filter((m) => commands.has(m[1]))
    .map((m) => ({ command: m[1], flags: longFlags(m[2].replace(/"[^"]*"/g, "")), line: m[0] }));
}

const cliMd = readFileSync("docs/cli.md", "utf8");
const byCommand = new Map(sections(cliMd).map((s) => [s.heading.split(/\s/)[0].replace(/`/g, ""), s]));

test("every command has a section in docs/cli.md with an example, and every one of its options is documented there", () => {
  const missing: string[] = [];
  for (const [name, c] of commands) {
    const s = byCommand.get(name);
    if (!s) { missing.push(`## ${name} (the whole command)`); continue; }
    if (!examples(s.body).some((e) => e.command === name)) missing.push(`${name}: an example \`npx recurrent ${name} ...\``);
    for (const o of c.options) {
      const flag = o.long ?? o.short!;
      if (!new RegExp(`(?<![\\w-])${flag}(?![\\w-])`).test(s.body)) missing.push(`${name} ${flag}`);
    }
  }
  assert.deepEqual(missing, [], `undocumented in docs/cli.md:\n  ${missing.join("\n  ")}`);
});

/** Inline code that names another command's flag (`eval --last`): [command, flags]. */
function crossReferences(text: string): Array<{ command: string; flags: Set<string>; span: string }> {
  return [...text.matchAll(/`(?:npx )?(?:recurrent )?([a-z]+)((?: [^`]*)?)`/g)]
    .filter((m) => commands.has(m[1]) && m[2].includes("--"))
    .map((m) => ({ command: m[1], flags: longFlags(m[2]), span: m[0] }));
}

test("every flag docs/cli.md names exists: on its section's command (or the command a reference names), on some command in a general section", () => {
  const all = new Set([...commands.values()].flatMap((c) => [...flagsOf(c)]));
  const unknown: string[] = [];
  for (const s of sections(cliMd)) {
    const c = commands.get(s.heading.split(/\s/)[0].replace(/`/g, ""));
    let rest = s.body.replace(/\\\n\s*/g, " ");
    // Examples and references of a named command are checked against that command.
    for (const e of [...examples(rest), ...crossReferences(rest)]) {
      for (const f of e.flags) if (!flagsOf(commands.get(e.command)!).has(f)) unknown.push(`${s.heading || "(top)"}: ${e.command} ${f}`);
    }
    rest = rest.replace(/`(?:npx )?(?:recurrent )?([a-z]+) [^`]*`/g, (m, name: string) => (commands.has(name) ? "" : m))
      .replace(/recurrent ([a-z]+)(?: [^\n`|]*)?/g, (m, name: string) => (commands.has(name) ? "" : m));
    for (const f of longFlags(rest)) if (!(c ? flagsOf(c) : all).has(f)) unknown.push(`${s.heading || "(top)"}: ${f}`);
  }
  assert.deepEqual(unknown, [], `docs/cli.md names flags the code does not have:\n  ${unknown.join("\n  ")}`);
});

test("every `recurrent <command>` example in docs/cli.md and the README uses only that command's flags", () => {
  const bad: string[] = [];
  for (const [file, text] of [["docs/cli.md", cliMd], ["README.md", readFileSync("README.md", "utf8")]] as const) {
    for (const e of examples(text)) {
      const flags = flagsOf(commands.get(e.command)!);
      for (const f of e.flags) if (!flags.has(f)) bad.push(`${file}: ${f} in "${e.line.trim()}"`);
    }
  }
  assert.deepEqual(bad, [], `examples with flags their command does not have:\n  ${bad.join("\n  ")}`);
  assert.ok(examples(cliMd).length >= commands.size, "docs/cli.md has examples at all");
});
