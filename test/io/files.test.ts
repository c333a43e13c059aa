// The atomic writer (src/node/files.ts): a regular file or nothing at the target is written
// whole; a symlink, FIFO, device or directory there is refused in one line and left as it
// was; a link planted at the temp file's name is not followed. Not here: checkpoints
// (test/io/model-dir.test.ts, the crash tests).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openAtomic, writeFileAtomic } from "../../src/node/files.ts";
import { RecurrentError } from "../../src/errors.ts";
import { tempDir } from "../cli/helpers.ts";

const dir = tempDir("files");
test.after(() => rmSync(dir, { recursive: true, force: true }));

function refused(path: string, kind: RegExp): void {
  assert.throws(() => writeFileAtomic(path, "new"), (e: unknown) => {
    assert.ok(e instanceof RecurrentError, String(e));
    assert.ok(e.message.startsWith(`${path}: expected a regular file or no file (it would be replaced), got `), e.message);
    assert.match(e.message, kind);
    assert.ok(!e.message.includes("\n"));
    return true;
  });
}

const temps = (d: string) => readdirSync(d).filter((n) => n.endsWith(".tmp"));

test("writeFileAtomic writes a new file and replaces a regular one, leaving no temp file", () => {
  const p = join(dir, "sub", "a.txt");
  writeFileAtomic(p, "one");
  writeFileAtomic(p, new TextEncoder().encode("two"));
  assert.equal(readFileSync(p, "utf8"), "two");
  assert.deepEqual(temps(join(dir, "sub")), []);
});

test("writeFileAtomic refuses a symlink at the target and neither follows nor replaces it", () => {
  const victim = join(dir, "victim.txt"), link = join(dir, "link.onnx");
  writeFileSync(victim, "precious");
  symlinkSync(victim, link);
  refused(link, /a symbolic link; refusing to replace it$/);
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.equal(readFileSync(victim, "utf8"), "precious");
  const dangling = join(dir, "dangling.onnx");
  symlinkSync(join(dir, "does-not-exist"), dangling);
  refused(dangling, /a symbolic link/);
  assert.ok(!existsSync(join(dir, "does-not-exist")));
  assert.deepEqual(temps(dir), []);
});

test("writeFileAtomic refuses a FIFO, a directory and a device node (nothing is opened or replaced)", () => {
  const fifo = join(dir, "pipe.csv");
  execFileSync("mkfifo", [fifo]);
  refused(fifo, /a FIFO \(named pipe\)/);   // would hang if opened for writing
  assert.ok(lstatSync(fifo).isFIFO());
  const d = join(dir, "adir");
  mkdirSync(d);
  refused(d, /a directory/);
  refused("/dev/null", /a character device/);
  assert.ok(lstatSync("/dev/null").isCharacterDevice());
  assert.ok(!readdirSync("/dev").some((n) => n.startsWith(".null.")), "no temp file in /dev");
});

test("a link planted at the temp file's name is removed, not followed", () => {
  const victim = join(dir, "victim2.txt"), target = join(dir, "out.csv");
  writeFileSync(victim, "precious");
  symlinkSync(victim, join(dir, `.out.csv.${process.pid}.tmp`));
  writeFileAtomic(target, "rows");
  assert.equal(readFileSync(victim, "utf8"), "precious");
  assert.equal(readFileSync(target, "utf8"), "rows");
});

test("openAtomic: nothing appears at the target before commit; abort leaves the old file", () => {
  const p = join(dir, "stream.csv");
  writeFileSync(p, "old");
  const a = openAtomic(p);
  a.write("a,b\n"); a.write(new TextEncoder().encode("1,2\n"));
  assert.equal(readFileSync(p, "utf8"), "old");
  a.abort();
  assert.equal(readFileSync(p, "utf8"), "old");
  const b = openAtomic(p);
  b.write("x\n"); b.commit(); b.abort();
  assert.equal(readFileSync(p, "utf8"), "x\n");
  assert.deepEqual(temps(dir), []);
});
