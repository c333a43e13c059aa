// Charts: a Vega-Lite spec rendered to SVG (vega, headless) and to PNG (resvg).
// This is an edge module (Node only: it writes files and uses a native renderer);
// the numeric core never imports it.
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { Resvg } from "@resvg/resvg-js";
import { writeFileAtomic } from "../io/files.ts";
import { join } from "node:path";

export type ChartSpec = TopLevelSpec;

/** Renders a Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const vgSpec = compile({ background: "white", ...spec } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Rasterises an SVG string to PNG bytes (DejaVu Sans, so text never falls back to serif). */
export function svgToPng(svg: string, scale = 2): Uint8Array {
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
