// Debug mode for memory bugs: with RECURRENT_POISON=1 in the environment, memory that no one
// may read is filled with NaN instead of being left as it was: blocks of the WebAssembly heap
// when they are freed, and buffers handed out as uninitialised (Workspace.get). A read of
// freed or never-written memory then turns the result into NaN, which the trainer stops on
// ("loss is NaN at update N"), instead of silently using stale numbers. Zero-filled
// allocations stay zero-filled either way. CI runs the whole suite once with it on.
//
// Not here: any Node import. The flag is read through globalThis, so a browser (no `process`)
// simply has it off; `setPoison` turns it on or off in code (tests).

let poison = readEnvFlag();

function readEnvFlag(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.RECURRENT_POISON === "1";
}

/** Whether freed and uninitialised memory is poisoned with NaN. */
export function poisoning(): boolean { return poison; }

/** Turns poisoning on or off (default: RECURRENT_POISON=1 in the environment). */
export function setPoison(on: boolean): void { poison = on; }
