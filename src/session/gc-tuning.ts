// V8's memory reducer hands a grown heap back to the system when a program
// goes quiet: some event arms it (in streamer, start-up: importing the CLI
// alone is ~11 MB of heap), it waits 8 s, and then, if the program allocates
// little (a receiver allocates almost nothing per packet), it runs two or
// three full compacting GCs. For a browser tab gone to the background that is
// the right trade. For a receiver 16 s into a stream it is ~80 ms of CPU on
// five threads, more than the 100 packets/s path costs in that second, to
// return ~8 MB of a heap that stays flat for hours (BENCHMARKS.md "Receive
// CPU", session 11). Ordinary GCs still run whenever allocation asks for one.
//
// `--no-memory-reducer` only takes effect on node's command line (the reducer
// exists once the heap is set up); its start delay is read when it is armed,
// so the launcher sets that before anything big is loaded. A memory-reducer
// flag given to node (command line or NODE_OPTIONS) is left alone.
import v8 from 'node:v8';

/** The longest start delay V8's int flag takes: ~24.8 days, i.e. not while streaming. */
export const MEMORY_REDUCER_HOLD_MS = 2 ** 31 - 1;

let held = false;

/** True once holdMemoryReducer has set the delay (in this thread's module; the flag itself is process-wide). The start-up log line says it. */
export function memoryReducerHeld(): boolean {
  return held;
}

/**
 * Puts V8's memory reducer off for `delayMs` after it is armed. Call it first
 * thing, before the program's modules load. Returns whether it set the flag.
 */
export function holdMemoryReducer(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
  delayMs: number = MEMORY_REDUCER_HOLD_MS,
  setFlags: (flags: string) => void = (f) => v8.setFlagsFromString(f),
): boolean {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].some((a) => /^--(no[-_])?(gc[-_])?memory[-_]reducer/.test(a));
  if (given) return false;
  setFlags(`--gc-memory-reducer-start-delay-ms=${Math.max(1, Math.min(MEMORY_REDUCER_HOLD_MS, Math.round(delayMs)))}`);
  held = true;
  return true;
}
