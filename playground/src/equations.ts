// The chosen cell's equations (the lecture's, DESIGN.md §1) and its parameter count by the
// lecture's formulas with the sizes filled in, term by term. The counts come from
// src/model/count.ts (the formulas the library's tests hold its flat parameter array to); the
// page shows the library model's own count beside them.
import { elmanCount, gruLayerCount, jordanCount, lstmLayerCount } from "../../src/model/count.ts";
import type { PlaygroundConfig } from "./config.ts";

/** Equations as lines of HTML (subscripts as <sub>). */
export function equations(c: Pick<PlaygroundConfig, "cell" | "act" | "stateAct" | "feedback">): string[] {
  const sh = `σ<sub>h</sub>`;
  switch (c.cell) {
    case "elman":
      return [`h<sub>t</sub> = ${sh}(U<sub>h</sub> h<sub>t−1</sub> + W<sub>x</sub> x<sub>t</sub> + b<sub>h</sub>)`, `y<sub>t</sub> = σ<sub>y</sub>(W<sub>y</sub> h<sub>t</sub> + b<sub>y</sub>)`, `σ<sub>h</sub> = ${c.act}`];
    case "jordan":
      return [
        `s<sub>t</sub> = σ<sub>s</sub>(W<sub>ss</sub> s<sub>t−1</sub> + W<sub>sy</sub> ${c.feedback === "teacher" ? "y*<sub>t−1</sub>" : "y<sub>t−1</sub>"} + b<sub>s</sub>)`,
        `h<sub>t</sub> = ${sh}(U<sub>h</sub> s<sub>t</sub> + W<sub>h</sub> x<sub>t</sub> + b<sub>h</sub>)`,
        `y<sub>t</sub> = σ<sub>y</sub>(W<sub>y</sub> h<sub>t</sub> + b<sub>y</sub>)`,
        `σ<sub>h</sub> = ${c.act}, σ<sub>s</sub> = ${c.stateAct}; fed back: ${c.feedback === "teacher" ? "the target y*<sub>t−1</sub> (teacher forcing)" : "the network's own y<sub>t−1</sub>"}`,
      ];
    case "lstm":
      return [
        `i, f, g, o = σ, σ, tanh, σ(W<sub>i·</sub> x<sub>t</sub> + b<sub>i·</sub> + W<sub>h·</sub> h<sub>t−1</sub> + b<sub>h·</sub>)`,
        `c<sub>t</sub> = f ⊙ c<sub>t−1</sub> + i ⊙ g`,
        `h<sub>t</sub> = o ⊙ tanh(c<sub>t</sub>)`,
        `y<sub>t</sub> = σ<sub>y</sub>(W<sub>y</sub> h<sub>t</sub> + b<sub>y</sub>)`,
      ];
    case "gru":
      return [
        `r = σ(W<sub>ir</sub> x<sub>t</sub> + b<sub>ir</sub> + W<sub>hr</sub> h<sub>t−1</sub> + b<sub>hr</sub>)`,
        `z = σ(W<sub>iz</sub> x<sub>t</sub> + b<sub>iz</sub> + W<sub>hz</sub> h<sub>t−1</sub> + b<sub>hz</sub>)`,
        `n = tanh(W<sub>in</sub> x<sub>t</sub> + b<sub>in</sub> + r ⊙ (W<sub>hn</sub> h<sub>t−1</sub> + b<sub>hn</sub>))`,
        `h<sub>t</sub> = (1 − z) ⊙ n + z ⊙ h<sub>t−1</sub>`,
        `y<sub>t</sub> = σ<sub>y</sub>(W<sub>y</sub> h<sub>t</sub> + b<sub>y</sub>)`,
      ];
  }
}

export interface Count {
  /** The formula in symbols, the same with the sizes filled in, and the total. */
  symbols: string;
  numbers: string;
  total: number;
}

const n = (x: number) => x.toLocaleString("en-US");

/** The lecture's parameter count of a network with input size I and output size O. */
export function parameterCount(c: Pick<PlaygroundConfig, "cell" | "hidden" | "layers" | "state">, I: number, O: number): Count {
  const H = c.hidden, L = c.layers;
  const head = { s: "d<sub>out</sub>(h + 1)", n: `${O}(${H} + 1)`, v: O * (H + 1) };
  const more = (s: string, nn: string, v: number) => (L > 1 ? { s: ` + (L − 1)·${s}`, n: ` + ${L - 1}·${nn}`, v: (L - 1) * v } : { s: "", n: "", v: 0 });
  switch (c.cell) {
    case "elman": {
      const m = more("h(h + h + 1)", `${H}(${H} + ${H} + 1)`, elmanCount(H, H, 0));
      return { symbols: `h(h + d<sub>in</sub> + 1)${m.s} + ${head.s}`, numbers: `${H}(${H} + ${I} + 1)${m.n} + ${head.n}`, total: elmanCount(I, H, 0) + m.v + head.v };
    }
    case "lstm": {
      const m = more("4h(h + h + 2)", `4·${H}(${H} + ${H} + 2)`, lstmLayerCount(H, H));
      return { symbols: `4h(d<sub>in</sub> + h + 2)${m.s} + ${head.s}`, numbers: `4·${H}(${I} + ${H} + 2)${m.n} + ${head.n}`, total: lstmLayerCount(I, H) + m.v + head.v };
    }
    case "gru": {
      const m = more("3h(h + h + 2)", `3·${H}(${H} + ${H} + 2)`, gruLayerCount(H, H));
      return { symbols: `3h(d<sub>in</sub> + h + 2)${m.s} + ${head.s}`, numbers: `3·${H}(${I} + ${H} + 2)${m.n} + ${head.n}`, total: gruLayerCount(I, H) + m.v + head.v };
    }
    case "jordan": {
      const S = c.state || O;
      if (L === 1) {
        return {
          symbols: `h(s + d<sub>in</sub> + 1) + ${head.s} + s(s + d<sub>out</sub> + 1)`,
          numbers: `${H}(${S} + ${I} + 1) + ${head.n} + ${S}(${S} + ${O} + 1)`, total: jordanCount(I, H, S, O),
        };
      }
      // Lower layers are whole Jordan networks with output and state size h, feeding the one above.
      const mid = L > 2 ? { s: ` + (L − 2)·J(h, h, h, h)`, n: ` + ${L - 2}·${n(jordanCount(H, H, H, H))}`, v: (L - 2) * jordanCount(H, H, H, H) } : { s: "", n: "", v: 0 };
      return {
        symbols: `J(d<sub>in</sub>, h, h, h)${mid.s} + J(h, h, s, d<sub>out</sub>), J(i, h, s, o) = h(s + i + 1) + o(h + 1) + s(s + o + 1)`,
        numbers: `${n(jordanCount(I, H, H, H))}${mid.n} + ${n(jordanCount(H, H, S, O))}`, total: jordanCount(I, H, H, H) + mid.v + jordanCount(H, H, S, O),
      };
    }
  }
}
