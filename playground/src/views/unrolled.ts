// The network unrolled in time on one probe sequence: a heatmap of every carried state (units ×
// time step, t = 0 is the initial state) and, for LSTM and GRU, of every gate (units × step).
// Hovering a cell shows its unit, step and value.
import { Heatmap } from "../charts/heatmap.ts";
import type { Grid } from "../protocol.ts";

const TITLES: Record<string, string> = {
  h: "hidden state h_t", c: "LSTM cell state c_t", s: "Jordan state s_t", y: "fed-back output y_t",
  i: "input gate i", f: "forget gate f (1: keep c)", g: "candidate g", o: "output gate o",
  r: "reset gate r", z: "update gate z (1: keep h)", n: "candidate n",
};
/** Gates and states bounded by their activation: [0, 1] for sigmoid gates, [−1, 1] for tanh. */
const RANGE: Record<string, [number, number] | undefined> = { i: [0, 1], f: [0, 1], o: [0, 1], r: [0, 1], z: [0, 1], g: [-1, 1], n: [-1, 1] };

export class UnrolledView {
  private maps = new Map<string, Heatmap>();
  constructor(private parent: HTMLElement) {}

  reset(): void { this.maps.clear(); this.parent.textContent = ""; }

  draw(states: Grid[], gates: Grid[], layer: number, boundedStates: boolean): void {
    const mine = [...states, ...gates].filter((g) => g.name.startsWith(`l${layer} `));
    const names = mine.map((g) => g.name).join("|");
    if ([...this.maps.keys()].join("|") !== names) {
      this.reset();
      for (const g of mine) {
        const short = g.name.split(" ")[1];
        const isState = states.includes(g);
        const range = RANGE[short] ?? (isState && boundedStates && (short === "h" || short === "s") ? [-1, 1] as [number, number] : undefined);
        this.maps.set(g.name, new Heatmap(this.parent, {
          title: `${TITLES[short] ?? short}${isState ? "" : " at each step"}`, scale: RANGE[short]?.[0] === 0 ? "sequential" : "diverging", range,
          rowLabel: (r) => `unit ${r}`, colLabel: (c) => (isState ? String(c) : String(c + 1)), rowName: "unit", colName: isState ? "t" : "step", valueName: short,
          height: Math.max(80, Math.min(170, 4 * g.rows + 30)),
        }));
      }
    }
    for (const g of mine) this.maps.get(g.name)!.update({ rows: g.rows, cols: g.cols, values: g.values });
  }
}
