// The playground's end-to-end harness: builds the page with vite into a temporary directory,
// serves it from a tiny node:http server on 127.0.0.1 with the COOP/COEP headers a static host
// would send (so the page is cross-origin isolated and may use worker threads), and opens it in
// headless Chromium (Debian's /usr/bin/chromium through playwright-core). Each page records its
// console errors, uncaught exceptions and every main-thread long task (PerformanceObserver
// 'longtask', from the first script on), and can trace the main thread's tasks with their CPU time.
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync, existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
const ROOT = resolve(import.meta.dirname, "../..");

/** Builds the page into a fresh temporary directory (removed by `dispose`). */
export async function buildPage(): Promise<{ dir: string; dispose(): void }> {
  const { build } = await import("vite");
  const dir = mkdtempSync(join(tmpdir(), "recurrent-playground-"));
  await build({ configFile: join(ROOT, "playground/vite.config.ts"), build: { outDir: dir, emptyOutDir: true }, logLevel: "error" });
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".json": "application/json", ".wasm": "application/wasm" };

/** A static file server for `dir` with (or without) the cross-origin isolation headers. */
export async function serve(dir: string, isolated = true): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) { res.writeHead(404).end("not found"); return; }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      ...(isolated ? { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" } : {}),
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

export interface Watched {
  page: Page;
  errors: string[];
  /** Durations (ms) of the main thread's long tasks (over 50 ms) since the page loaded or the last clear. */
  longTasks(): Promise<number[]>;
  /** Forgets the long tasks so far (the page's loading, before it trains) and starts a Chromium
   *  trace of the main thread's tasks, with the CPU time of each (see `longTaskReport`). */
  clearLongTasks(): Promise<void>;
  /** The long tasks since the clear, each with the CPU time the main thread spent in it. */
  longTaskReport(): Promise<LongTaskReport>;
}

export interface LongTaskReport {
  /** Long tasks as the page's PerformanceObserver saw them (wall clock, ms). */
  observed: number[];
  /** The main thread's tasks over 50 ms in the trace: wall-clock and CPU milliseconds. */
  traced: Array<{ wall: number; cpu: number }>;
}

/** Main-thread tasks of a Chromium trace (category "toplevel"): wall and thread (CPU) time, ms. */
export function mainThreadTasks(trace: string, minWallMs = 50): Array<{ wall: number; cpu: number }> {
  const t = JSON.parse(readFileSync(trace, "utf8"));
  const ev = (t.traceEvents ?? t) as Array<{ name: string; ph?: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } }>;
  const mains = ev.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  return ev.filter((e) => e.name === "ThreadControllerImpl::RunTask" && (e.dur ?? 0) >= minWallMs * 1000 && mains.some((m) => m.pid === e.pid && m.tid === e.tid))
    .map((e) => ({ wall: (e.dur ?? 0) / 1000, cpu: (e.tdur ?? e.dur ?? 0) / 1000 }));
}

/** A new page that records console errors, page errors and long tasks. */
let traceSeq = 0;

export async function watchedPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<Watched> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") errors.push(`console: ${m.text()}`); });
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    try {
      new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__longTasks.push(e.duration); }).observe({ type: "longtask", buffered: true });
    } catch { w.__longTasks.push(-1); }
  });
  const longTasks = () => page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
  let trace: string | null = null;
  const stopTrace = async (): Promise<Array<{ wall: number; cpu: number }>> => {
    if (!trace) return [];
    const path = trace;
    trace = null;
    await browser.stopTracing();
    try { return mainThreadTasks(path); } finally { rmSync(path, { force: true }); }
  };
  return {
    page, errors, longTasks,
    clearLongTasks: async () => {
      await stopTrace();
      await page.evaluate(() => { (window as unknown as { __longTasks: number[] }).__longTasks.length = 0; });
      trace = join(tmpdir(), `recurrent-playground-trace-${process.pid}-${++traceSeq}.json`);
      await browser.startTracing(page, { path: trace, categories: ["toplevel"] });
    },
    longTaskReport: async () => ({ observed: await longTasks(), traced: await stopTrace() }),
  };
}

/** The number in a [data-metric] element (NaN for "–"). */
export async function metric(page: Page, name: string): Promise<number> {
  const t = await page.textContent(`[data-metric="${name}"]`);
  return t === null || t.trim() === "–" ? NaN : Number(t.trim());
}

/** Waits until the page has built its model (the train button enabled). */
export async function ready(page: Page, timeout = 20_000): Promise<void> {
  await page.waitForSelector(`[data-action="train"]:not([disabled])`, { timeout });
}

/** Clicks train and waits until the run stops at `steps` updates (the URL's steps=). */
export async function trainTo(page: Page, steps: number, timeout = 60_000): Promise<void> {
  await page.click(`[data-action="train"]`);
  await page.waitForFunction((n) => document.querySelector('[data-metric="step"]')?.textContent === String(n) && document.querySelector('[data-metric="state"]')?.textContent?.startsWith("done"), steps, { timeout });
}
