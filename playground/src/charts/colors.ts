// Colour scales for the heatmaps: a diverging blue–white–red for signed values (activations in
// [−1, 1]) and viridis for magnitudes (gate openings, gradient norms on a log scale), both
// readable in greyscale and by most colour-blind viewers. Colours as [r, g, b] bytes.
export type Rgb = [number, number, number];

const VIRIDIS: Rgb[] = [[68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142], [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37]];
const DIVERGING: Rgb[] = [[33, 102, 172], [103, 169, 207], [209, 229, 240], [247, 247, 247], [253, 219, 199], [239, 138, 98], [178, 24, 43]];

function ramp(stops: Rgb[], u: number): Rgb {
  if (!Number.isFinite(u)) return [200, 200, 200];
  const x = Math.min(1, Math.max(0, u)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x)), f = x - i;
  const a = stops[i], b = stops[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** u in [0, 1] → viridis. */
export const sequential = (u: number): Rgb => ramp(VIRIDIS, u);
/** u in [0, 1] (0.5 = zero) → blue–white–red. */
export const diverging = (u: number): Rgb => ramp(DIVERGING, u);

export const css = (c: Rgb) => `rgb(${Math.round(c[0])},${Math.round(c[1])},${Math.round(c[2])})`;

/** Line colours, distinct and colour-blind safe (Okabe–Ito). */
export const LINE_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];

/** A number for people: 4 significant digits, scientific below 1e-3 or above 1e5. */
export function fmt(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e5) return x.toExponential(Math.max(0, digits - 2)).replace("e+", "e");
  return Number(x.toPrecision(digits)).toString();
}
