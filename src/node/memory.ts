// Node's memory limits for the size checks of src/model/budget.ts: arrays may take 3/4 of
// this machine's memory (os.totalmem()), per-layer objects and per-batch lists half of V8's
// heap limit. Imported for its effect by the Node entry (src/index.ts) and the command line,
// so a model or training run the machine cannot hold is refused before allocation, naming its
// size. Not here: the estimates themselves (budget.ts, pure).
import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";
import { formatBytes, setMemoryLimits, type MemoryLimits } from "../model/budget.ts";

export function machineMemoryLimits(): MemoryLimits {
  const total = totalmem(), heap = getHeapStatistics().heap_size_limit;
  return { bytes: Math.floor(total * 0.75), heapBytes: Math.floor(heap / 2), source: `3/4 of this machine's ${formatBytes(total)}`, heapSource: `half of Node's ${formatBytes(heap)} heap limit` };
}

export function useMachineMemoryLimits(): void { setMemoryLimits(machineMemoryLimits()); }

useMachineMemoryLimits();
