// V8 tiers a function up to optimized code once it has run a budget of
// bytecode. Its default suits a web page's bursts of work; a receiver's hot
// path (read a batch, parse, queue, pull 10 ms, meter) is short and runs 100
// times a second, so at the default it stays in baseline code for the first
// 10–15 s of a stream and costs 2–3× its steady state meanwhile (BENCHMARKS.md
// "Receive CPU", session 4). A smaller budget optimizes it within a few
// seconds. That moves the compiling to the stream's first 3 s, not less of it:
// at 100 packets/s the first 20 s cost about the same either way (session 11:
// 330–400 ms against 320–360 ms at V8's default), with 160–190 ms against
// 240–260 ms after the first 3 s, and the same steady state. What it buys is a
// receive path on optimized code from ~3 s instead of ~15 s. A few seconds
// into the first stream the budget goes back to V8's own (settleTierUpAfter):
// by then the per-packet path is optimized, and a low budget would go on
// sending TurboFan code that runs a few times a second or less. A budget
// given on the command line (node --interrupt-budget=N) is left alone.
import v8 from 'node:v8';

/** Bytes of bytecode between tier-up checks (V8's default in Node 20: 67584). */
export const RECEIVE_INTERRUPT_BUDGET = 8192;

/** V8's own budget in Node 20, which the process goes back to. */
export const V8_INTERRUPT_BUDGET = 67584;

/**
 * How long the low budget stays once a stream has started. --trace-opt of a
 * 100 packets/s receiver: the per-packet and per-pull path is optimized within
 * ~3 s of the first packet; left low, the budget then tiers up the stats,
 * timer and RTCP code one function after another, ~10 ms of compiling a
 * second on V8's threads through the first 20 s (BENCHMARKS.md "Receive
 * CPU", session 6), for code that runs a few times a second.
 */
export const TIER_UP_FOR_MS = 5000;

let applied: number | undefined;
let settling = false;

/** Lowers V8's interrupt budget for this process, once; returns the budget set, or undefined if left as it was. */
export function tierUpSooner(execArgv: readonly string[] = process.execArgv): number | undefined {
  if (applied !== undefined) return applied;
  if (execArgv.some((a) => a.startsWith('--interrupt-budget') || a.startsWith('--interrupt_budget'))) return undefined;
  v8.setFlagsFromString(`--interrupt-budget=${RECEIVE_INTERRUPT_BUDGET}`);
  applied = RECEIVE_INTERRUPT_BUDGET;
  return applied;
}

/**
 * A stream has started: in `ms`, V8's default budget again, if tierUpSooner
 * lowered it (once a process; true when this call scheduled it).
 */
export function settleTierUpAfter(ms: number = TIER_UP_FOR_MS, setFlags: (flags: string) => void = (f) => v8.setFlagsFromString(f)): boolean {
  if (applied === undefined || settling) return false;
  settling = true;
  setTimeout(() => setFlags(`--interrupt-budget=${V8_INTERRUPT_BUDGET}`), ms).unref();
  return true;
}
