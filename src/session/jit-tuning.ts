// V8 tiers a function up to optimized code once it has run a budget of
// bytecode. Its default suits a web page's bursts of work; a receiver's hot
// path (read a batch, parse, queue, pull 10 ms, meter) is short and runs 100
// times a second, so at the default it stays in baseline code for the first
// 10–15 s of a stream and costs 2–3× its steady state meanwhile (BENCHMARKS.md
// "Receive CPU", session 4). A smaller budget optimizes it within a few
// seconds: less CPU over the whole run, the same steady state. A budget
// given on the command line (node --interrupt-budget=N) is left alone.
import v8 from 'node:v8';

/** Bytes of bytecode between tier-up checks (V8's default in Node 20: 67584). */
export const RECEIVE_INTERRUPT_BUDGET = 8192;

let applied: number | undefined;

/** Lowers V8's interrupt budget for this process, once; returns the budget set, or undefined if left as it was. */
export function tierUpSooner(execArgv: readonly string[] = process.execArgv): number | undefined {
  if (applied !== undefined) return applied;
  if (execArgv.some((a) => a.startsWith('--interrupt-budget') || a.startsWith('--interrupt_budget'))) return undefined;
  v8.setFlagsFromString(`--interrupt-budget=${RECEIVE_INTERRUPT_BUDGET}`);
  applied = RECEIVE_INTERRUPT_BUDGET;
  return applied;
}
