// Charts: a Vega-Lite spec rendered to SVG (vega, headless) and to PNG (resvg).
// This is an edge module (Node only: it writes files and uses a native renderer);
// the numeric core never imports it.
//
// vega, vega-lite and resvg load on first use, not with the command line: importing them costs
// about 250 ms, which every `recurrent --help` would pay (measured by the package test's timing).
import type { TopLevelSpec } from "vega-lite";
import type * as VegaModule from "vega";
import type { Resvg as ResvgClass } from "@resvg/resvg-js";
import { createRequire } from "node:module";
import { writeFileAtomic } from "../node/files.ts";
import { join } from "node:path";

export type ChartSpec = TopLevelSpec;

let vegaModules: Promise<{ vega: typeof VegaModule; compile: typeof import("vega-lite").compile }> | null = null;

/** vega and vega-lite, loaded once on first use. */
export function loadVega(): Promise<{ vega: typeof VegaModule; compile: typeof import("vega-lite").compile }> {
  vegaModules ??= Promise.all([import("vega"), import("vega-lite")]).then(([vega, vl]) => ({ vega, compile: vl.compile }));
  return vegaModules;
}

/** Renders a Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const { vega, compile } = await loadVega();
  const vgSpec = compile({ background: "white", ...spec } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Rasterises an SVG string to PNG bytes (DejaVu Sans, so text never falls back to serif). */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const { Resvg } = createRequire(import.meta.url)("@resvg/resvg-js") as { Resvg: typeof ResvgClass };
  const r = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
    fitTo: { mode: "zoom", value: scale },
    background: "white",
  });
  return r.render().asPng();
}

/** Writes `<dir>/<name>.svg` and `<dir>/<name>.png` atomically; returns both paths. */
export async function writeChart(dir: string, name: string, spec: ChartSpec): Promise<{ svg: string; png: string }> {
  const svg = await renderSvg(spec);
  const svgPath = join(dir, `${name}.svg`), pngPath = join(dir, `${name}.png`);
  writeFileAtomic(svgPath, svg);
  writeFileAtomic(pngPath, svgToPng(svg));
  return { svg: svgPath, png: pngPath };
}
