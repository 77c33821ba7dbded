// The receiver's report block about one source (RFC 3550 §6.4.1, A.3), from
// the same statistics the dashboard shows. Pure: time comes in as numbers.
import type { ReportBlock } from './rtcp.js';

export interface SourceFigures {
  /** Extended highest sequence − base + 1 (SPEC §4 `expected`). */
  expected: number;
  /** Unique packets received. */
  received: number;
  /** Sequence numbers never received (SPEC §4 `lost`). */
  lost: number;
  extendedHighestSeq: number;
  /** Interarrival jitter in timestamp units. */
  jitter: number;
}

/** The sender's last SR as we heard it: its NTP middle bits, and when it arrived on our clock. */
export interface LastSr {
  middle: number;
  arrivedMs: number;
}

/** Report blocks for one source, one per RTCP interval: the fraction lost is of the interval since the previous one. */
export class ReportBlocks {
  private expectedPrior = 0;
  private receivedPrior = 0;

  next(ssrc: number, s: SourceFigures, lastSr: LastSr | undefined, nowMs: number): ReportBlock {
    const expectedInterval = s.expected - this.expectedPrior;
    const receivedInterval = s.received - this.receivedPrior;
    this.expectedPrior = s.expected;
    this.receivedPrior = s.received;
    const lostInterval = expectedInterval - receivedInterval;
    // A.3: duplicates can make the interval's loss negative; that reports as 0.
    const fractionLost = expectedInterval <= 0 || lostInterval <= 0 ? 0 : Math.min(255, Math.floor((lostInterval * 256) / expectedInterval));
    const dlsr = lastSr ? Math.max(0, Math.round(((nowMs - lastSr.arrivedMs) * 65536) / 1000)) : 0;
    return {
      ssrc,
      fractionLost,
      cumulativeLost: Math.min(0x7fffff, s.lost),
      highestSeq: s.extendedHighestSeq,
      jitter: s.jitter,
      lsr: lastSr?.middle ?? 0,
      dlsr: lastSr ? dlsr : 0,
    };
  }

  /** A new stream (another SSRC): the intervals start again. */
  reset(): void {
    this.expectedPrior = this.receivedPrior = 0;
  }
}
