// How often a sink without a device clock wakes on the batch receive path
// (README "Receive path"). Its 10 ms pulls are replayed at each wake-up at
// their due times (Receiver.readBeforePull), so the period changes no figure;
// it only decides how many wake-ups a second the process pays for (~180 µs
// each on a small VM: at 100 packets/s the dearest thing the receiver does)
// and how long the kernel holds datagrams meanwhile.
import { CLOCKLESS_WAKE_MS, SINK_PULL_MS } from './open-audio.js';

/**
 * The longest wake-up period: five a stats second (each samples the loop's
 * delay), what RTCP reports and the sender-silence check see lags by no more,
 * and a wake-up's replayed pulls stay a few ms of work. 200 against 100 ms:
 * −1.3 ms/s of main-thread CPU at 100 packets/s (BENCHMARKS.md "Receive
 * CPU", session 6).
 */
export const MAX_CLOCKLESS_WAKE_MS = 200;

export interface WakeLimits {
  /** Datagrams one read of the batch reader takes (BATCH_SLOTS). */
  slots: number;
  /** About how many datagrams the kernel's receive buffer holds (BatchUdpReceiver.kernelDatagrams). */
  kernelDatagrams: number;
}

/**
 * The wake-up period for `pps` datagrams a second: a whole number of pulls,
 * as long as MAX_CLOCKLESS_WAKE_MS while one wake-up's datagrams fit one read
 * (`slots`; never shorter than CLOCKLESS_WAKE_MS for that, the period before
 * this adapted), and never longer than a quarter of what the kernel's buffer
 * holds, so a wake-up three periods late still loses nothing. A rate that
 * fills the buffer faster than that wakes for every pull.
 */
export function clocklessWakeMs(pps: number, limits: WakeLimits): number {
  if (!(pps > 0)) return MAX_CLOCKLESS_WAKE_MS;
  const bySlots = Math.max(CLOCKLESS_WAKE_MS, (1000 * limits.slots) / pps);
  const byKernel = (1000 * limits.kernelDatagrams) / (4 * pps);
  const ms = Math.min(MAX_CLOCKLESS_WAKE_MS, bySlots, byKernel);
  return Math.max(1, Math.floor(ms / SINK_PULL_MS)) * SINK_PULL_MS;
}

/**
 * Follows the datagram rate at each wake-up and says when the period should
 * change: shorter at once (a faster stream must not overrun the kernel's
 * buffer for long), longer only after a second at the slower rate.
 */
export class WakeTuner {
  private ms: number;
  private last: { at: number; datagrams: number } | undefined;
  private window: { at: number; datagrams: number } | undefined;

  constructor(
    private readonly limits: () => WakeLimits,
    startMs: number = CLOCKLESS_WAKE_MS,
    private readonly windowMs = 1000,
  ) {
    this.ms = startMs;
  }

  get wakeMs(): number {
    return this.ms;
  }

  /** Another reader (receive --sap tuned to another stream): its count starts over; the period stays until it says otherwise. */
  restart(): void {
    this.last = this.window = undefined;
  }

  /** At a wake-up: the datagrams read so far. Returns the new period, or undefined to keep it. */
  wake(nowMs: number, datagrams: number): number | undefined {
    const last = this.last;
    this.last = { at: nowMs, datagrams };
    if (!last || !this.window) {
      this.window = { at: nowMs, datagrams };
      return undefined;
    }
    let next = this.ms;
    // Since the previous wake-up: a rise shortens the period now.
    const recent = nowMs > last.at ? clocklessWakeMs((1000 * (datagrams - last.datagrams)) / (nowMs - last.at), this.limits()) : next;
    if (recent < next) next = recent;
    if (nowMs - this.window.at >= this.windowMs) {
      // A second's rate lengthens it, as far as the last wake-up's rate agrees.
      const pps = (1000 * (datagrams - this.window.datagrams)) / (nowMs - this.window.at);
      const longer = Math.min(clocklessWakeMs(pps, this.limits()), recent);
      if (longer > next) next = longer;
      this.window = { at: nowMs, datagrams };
    }
    if (next === this.ms) return undefined;
    this.ms = next;
    return next;
  }
}
