import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * How often the histogram's timer samples the loop, in ms. Each sample is a
 * wake-up of its own: at 5 ms it added ~110 a second to a 400 pps receiver
 * (voluntary context switches, 631 against 520), on a machine where a
 * wake-up is the dearest thing a receiver does (bench/wakeup-floor).
 */
export const RESOLUTION_MS = 20;

/** What LoopDelay reads of node's histogram (a test passes one it fills itself). */
export type LoopHistogram = Pick<IntervalHistogram, 'enable' | 'disable' | 'reset' | 'percentile' | 'count'>;

/** Event-loop delay p99 over the last sample period, in ms (SPEC §4 loopDelayP99Ms). */
export class LoopDelay {
  constructor(private readonly h: LoopHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })) {}

  start(): void {
    this.h.enable();
  }

  stop(): void {
    this.h.disable();
  }

  /**
   * p99 lateness since the previous call, then starts a new period. The
   * histogram records whole intervals between its timer's wake-ups (an idle
   * loop reads the resolution itself), so the resolution is taken off.
   */
  takeP99Ms(): number {
    const v = this.h.count > 0 ? loopLatenessMs(this.h.percentile(99) / 1e6) : 0;
    this.h.reset();
    return Math.round(v * 100) / 100;
  }
}

export function loopLatenessMs(intervalMs: number): number {
  return Math.max(0, intervalMs - RESOLUTION_MS);
}
