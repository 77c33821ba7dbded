import { createHistogram, monitorEventLoopDelay, type IntervalHistogram, type RecordableHistogram } from 'node:perf_hooks';

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

  private clock: RecordableHistogram | undefined;
  private running = false;

  start(): void {
    this.running = true;
    if (!this.clock) this.h.enable();
  }

  stop(): void {
    this.running = false;
    this.h.disable();
  }

  /**
   * A clock that wakes the loop anyway (the batch reader's sink tick) reports
   * how late each of its ticks ran: those are the samples, and the
   * histogram's own timer — 50 wake-ups a second of its own — is stopped.
   */
  followClock(): void {
    this.clock ??= createHistogram();
    this.h.disable();
  }

  /** One tick of that clock ran `lateMs` after it was due. */
  note(lateMs: number): void {
    if (this.running) this.clock?.record(Math.max(1, Math.round(lateMs * 1e6)));
  }

  /**
   * p99 lateness since the previous call, then starts a new period. The
   * histogram records whole intervals between its timer's wake-ups (an idle
   * loop reads the resolution itself), so the resolution is taken off.
   */
  takeP99Ms(): number {
    if (this.clock) {
      const c = this.clock.count > 0 ? this.clock.percentile(99) / 1e6 : 0;
      this.clock.reset();
      return Math.round(c * 100) / 100;
    }
    const v = this.h.count > 0 ? loopLatenessMs(this.h.percentile(99) / 1e6) : 0;
    this.h.reset();
    return Math.round(v * 100) / 100;
  }
}

export function loopLatenessMs(intervalMs: number): number {
  return Math.max(0, intervalMs - RESOLUTION_MS);
}
