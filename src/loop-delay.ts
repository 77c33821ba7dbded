import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Event-loop delay p99 over the last sample period, in ms (SPEC §4 loopDelayP99Ms). */
export class LoopDelay {
  private readonly h: IntervalHistogram = monitorEventLoopDelay({ resolution: 5 });

  start(): void {
    this.h.enable();
  }

  stop(): void {
    this.h.disable();
  }

  /** p99 since the previous call, then starts a new period. */
  takeP99Ms(): number {
    const v = this.h.count > 0 ? this.h.percentile(99) / 1e6 : 0;
    this.h.reset();
    return Math.round(v * 100) / 100;
  }
}
