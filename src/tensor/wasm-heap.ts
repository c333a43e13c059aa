// The WebAssembly heap: one shared, growable WebAssembly.Memory that float32 buffers live
// in, so the wasm GEMM (and worker threads, which share the memory) read them in place
// with no copy. A first-fit free list over 64-byte aligned blocks; a block returns to
// the list when the Float32Array it was handed out as is garbage-collected
// (FinalizationRegistry).
//
// Views: a block belongs to the array allocF32 returned. A `.subarray()` of that array keeps
// it alive (keepingSubarray below), so `model.get(name)` or a returned `out` stays valid after the
// model is gone. Views of views, and views made by hand with `new Float32Array(x.buffer, …)`,
// are not tracked: they must not outlive the array they come from, or the memory may be
// reused. Shared memory never detaches on growth, so views stay valid; each growth gives a
// new SharedArrayBuffer object, and all of them are remembered to recognise heap arrays.
//
// Zero-filled means zero-filled: memory from grow() is zero, but a freed block that merges
// back into the top of the heap is not, so everything below the high-water mark (`clean`) is
// cleared when it is handed out again, whether it comes from the free list or from the top.
// With poisoning on (./poison.ts), freed blocks are filled with NaN at once, so a view that
// outlived its block reads NaN rather than someone else's numbers.
import { poisoning } from "./poison.ts";
import type { WasmMemory } from "./wasm/host.ts";

// A child view → the heap array it was cut from, so the parent (and its block) lives as
// long as any direct subarray of it.
const parentOf = new WeakMap<object, object>();

// Heap arrays get this `subarray` as an own, non-enumerable property (not a subclass: their
// prototype and constructor stay Float32Array's, so equality checks and dtype tests see a
// plain Float32Array).
const plainSubarray = Float32Array.prototype.subarray;
function keepingSubarray(this: Float32Array, begin?: number, end?: number): Float32Array {
  const view = plainSubarray.call(this, begin, end);
  parentOf.set(view, this);
  return view;
}

const PAGE = 65536;
const ALIGN = 64;            // a cache line: SIMD loads never straddle one needlessly
const RESERVED = 1024;       // keep address 0 (and a little) unused
const MAX_PAGES = 65536;     // 4 GiB, the wasm32 limit; reserved, not committed

export class WasmHeap {
  readonly memory: WasmMemory;
  private buffers = new WeakSet<object>();
  private buf: ArrayBufferLike;
  private top = RESERVED;                       // bump pointer: everything above is free
  private clean = RESERVED;                     // high-water mark: everything above was never handed out (zero)
  private free: Array<{ ptr: number; size: number }> = []; // sorted by ptr, coalesced
  private registry = new FinalizationRegistry<{ ptr: number; size: number }>((b) => this.release(b.ptr, b.size));
  /** Bytes in live blocks. */
  used = 0;
  /** Blocks taken from the top over memory that was not zero (cleared now; handed out as
   *  they were before the fix of issue 11). A diagnostic: RECURRENT_HEAP_AUDIT=1 prints it. */
  staleTopBlocks = 0;

  constructor(initialPages = 64) {
    this.memory = new WebAssembly.Memory({ initial: initialPages, maximum: MAX_PAGES, shared: true });
    this.buf = this.memory.buffer;
    this.buffers.add(this.buf);
  }

  /** The byte address of element `off` of `v` when `v` lives in this heap, else -1. */
  addressOf(v: ArrayBufferView, off: number): number {
    return this.buffers.has(v.buffer) ? v.byteOffset + off * 4 : -1;
  }

  /** A zero-filled Float32Array of n elements in the heap, or null if the heap is full. */
  allocF32(n: number): Float32Array | null {
    const ptr = this.allocBytes(n * 4);
    if (ptr < 0) return null;
    const v = new Float32Array(this.buf, ptr, n);
    Object.defineProperty(v, "subarray", { value: keepingSubarray, enumerable: false, writable: true, configurable: true });
    this.registry.register(v, { ptr, size: roundUp(n * 4) });
    return v;
  }

  /** A raw block (for scratch and staging), never reclaimed by GC; free with releaseBytes. */
  allocBytes(bytes: number): number {
    const size = roundUp(Math.max(bytes, 1));
    let ptr = this.takeFree(size);
    const fromTop = ptr < 0;
    if (ptr < 0) {
      if (!this.ensure(this.top + size)) return -1;
      ptr = this.top;
      this.top += size;
    }
    // Below the high-water mark the memory was used before (the free list, or a freed block
    // the top moved back over); above it, it is as grow() left it: zero.
    const dirtyEnd = Math.min(ptr + size, this.clean);
    if (dirtyEnd > ptr) {
      const bytes = new Uint8Array(this.buf, ptr, dirtyEnd - ptr);
      // Before issue 11's fix, a block from the top was not cleared: count the ones that
      // would have been handed out dirty, so a run can tell whether it was exposed.
      if (fromTop && bytes.some((b) => b !== 0)) this.staleTopBlocks++;
      bytes.fill(0);
    }
    if (ptr + size > this.clean) this.clean = ptr + size;
    this.used += size;
    return ptr;
  }

  releaseBytes(ptr: number, bytes: number): void { this.release(ptr, roundUp(Math.max(bytes, 1))); }

  /** Total bytes the memory spans now (committed as pages are touched). */
  get capacity(): number { return this.memory.buffer.byteLength; }

  private release(ptr: number, size: number): void {
    this.used -= size;
    if (poisoning()) new Float32Array(this.buf, ptr, size / 4).fill(NaN);
    // Insert sorted by address, then merge with neighbours and with the top.
    let lo = 0, hi = this.free.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.free[mid].ptr < ptr) lo = mid + 1; else hi = mid; }
    this.free.splice(lo, 0, { ptr, size });
    if (lo + 1 < this.free.length && ptr + size === this.free[lo + 1].ptr) {
      this.free[lo].size += this.free[lo + 1].size; this.free.splice(lo + 1, 1);
    }
    if (lo > 0 && this.free[lo - 1].ptr + this.free[lo - 1].size === ptr) {
      this.free[lo - 1].size += this.free[lo].size; this.free.splice(lo, 1); lo--;
    }
    const last = this.free[this.free.length - 1];
    if (last && last.ptr + last.size === this.top) { this.top = last.ptr; this.free.pop(); }
  }

  private takeFree(size: number): number {
    // Best fit keeps big holes for big tensors.
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i];
      if (b.size >= size && (best < 0 || b.size < this.free[best].size)) { best = i; if (b.size === size) break; }
    }
    if (best < 0) return -1;
    const b = this.free[best];
    const ptr = b.ptr;
    if (b.size === size) this.free.splice(best, 1); else { b.ptr += size; b.size -= size; }
    return ptr;
  }

  private ensure(end: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return true;
    // Grow by at least a quarter of the current size, so many small growths stay cheap.
    const need = Math.ceil((end - have) / PAGE);
    const pages = Math.min(Math.max(need, Math.ceil(have / PAGE / 4)), MAX_PAGES - have / PAGE);
    if (pages < need) return false;
    try { this.memory.grow(pages); } catch { return false; }
    this.buf = this.memory.buffer;
    this.buffers.add(this.buf);
    return true;
  }
}

function roundUp(bytes: number): number { return Math.ceil(bytes / ALIGN) * ALIGN; }
