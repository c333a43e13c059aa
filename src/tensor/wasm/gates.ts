// The WebAssembly side of the fused gate kernels: instantiates assembly/gates.ts on the wasm
// heap's memory and turns (array, element offset) pairs into the byte pointers it takes.
import type { GateKernels, KernelActivation } from "../gate-kernels.ts";
import type { Vec } from "../types.ts";
import { GATES_WASM_BASE64 } from "./gates-wasm.ts";
import type { WasmHeap } from "./heap.ts";

type Fn = (...args: number[]) => void;

let compiled: WebAssembly.Module | null = null;
function gatesModule(): WebAssembly.Module {
  if (!compiled) {
    const bin = atob(GATES_WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

const ACT: Record<KernelActivation, number> = { tanh: 0, sigmoid: 1 };

/** The gate kernels over `heap`; they address only float32 arrays that live in it. */
export function createGateKernels(heap: WasmHeap): GateKernels {
  const ex = new WebAssembly.Instance(gatesModule(), { env: { memory: heap.memory } }).exports as Record<string, Fn>;
  const p = (v: Vec, off: number): number => heap.addressOf(v, off);
  return {
    has: (v) => v instanceof Float32Array && heap.addressOf(v, 0) >= 0,
    lstmForward: (gates, gOff, cs, cPrevOff, cCurOff, tc, tcOff, hs, hCurOff, rows, H, hard) =>
      ex.lstmForward(p(gates, gOff), p(cs, cPrevOff), p(cs, cCurOff), p(tc, tcOff), p(hs, hCurOff), rows, H, +hard),
    lstmBackward: (gates, gOff, tc, tcOff, cs, cPrevOff, dh, dhOff, dOut, dOutOff, dc, dcOff, rows, H, hard) =>
      ex.lstmBackward(p(gates, gOff), p(tc, tcOff), p(cs, cPrevOff), p(dh, dhOff), dOut ? p(dOut, dOutOff) : 0,
        p(dc, dcOff), rows, H, +hard),
    gruForward: (xw, xwOff, hw, hwOff, bhh, hs, hPrevOff, hCurOff, hn, hnOff, rows, H, hard) =>
      ex.gruForward(p(xw, xwOff), p(hw, hwOff), p(bhh, 0), p(hs, hPrevOff), p(hs, hCurOff), p(hn, hnOff), rows, H, +hard),
    gruBackward: (act, actOff, hn, hnOff, hs, hPrevOff, dh, dhOff, dOut, dOutOff, dhw, dhwOff, rows, H, hard) =>
      ex.gruBackward(p(act, actOff), p(hn, hnOff), p(hs, hPrevOff), p(dh, dhOff), dOut ? p(dOut, dOutOff) : 0,
        p(dhw, dhwOff), rows, H, +hard),
    addBias: (x, off, rows, bias, n) => ex.addBias(p(x, off), rows, p(bias, 0), n),
    addBiasBackward: (dbias, dx, off, rows, n) => ex.addBiasBackward(p(dbias, 0), p(dx, off), rows, n),
    activate: (x, xOff, y, yOff, n, act) => ex.activate(p(x, xOff), p(y, yOff), n, ACT[act]),
    activateBackward: (y, yOff, dh, dhOff, dOut, dOutOff, dpre, dpreOff, n, act) =>
      ex.activateBackward(p(y, yOff), p(dh, dhOff), dOut ? p(dOut, dOutOff) : 0, p(dpre, dpreOff), n, ACT[act]),
  };
}
