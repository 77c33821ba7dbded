// SPEC §4: counters are the session's. The sequence stats and the jitter
// buffer start over with each stream (another sender, a TCP reconnect), so
// what the streams that ended counted is kept here and added on. Pure.
import type { JitterBufferStats } from '../audio/playout/jitter-buffer.js';
import type { SeqStats } from '../net/rtp/receiver-stats.js';

const SEQ_COUNTERS = ['received', 'expected', 'lost', 'outOfOrder', 'duplicates'] as const;
const PLAYOUT_COUNTERS = ['late', 'concealedMs', 'underruns', 'overflows', 'duplicates', 'skippedMs'] as const;

type SeqCounts = Pick<SeqStats, (typeof SEQ_COUNTERS)[number]>;

export class SessionTotals {
  private seqEnded: SeqCounts = { received: 0, expected: 0, lost: 0, outOfOrder: 0, duplicates: 0 };
  private playoutEnded: JitterBufferStats = { late: 0, concealedMs: 0, underruns: 0, overflows: 0, duplicates: 0, skippedMs: 0 };

  /** The current stream is over (its stats are about to be reset): keep what it counted. */
  endStream(seq: SeqStats, playout: JitterBufferStats): void {
    this.seqEnded = addCounts(this.seqEnded, seq, SEQ_COUNTERS);
    this.playoutEnded = addCounts(this.playoutEnded, playout, PLAYOUT_COUNTERS);
  }

  /** The session's sequence figures; the jitter is the current stream's (a rate, not a count). */
  seq(current: SeqStats): SeqStats {
    const t = addCounts(this.seqEnded, current, SEQ_COUNTERS);
    return { ...t, lossPercent: t.expected > 0 ? (100 * t.lost) / t.expected : 0, jitterMs: current.jitterMs };
  }

  playout(current: JitterBufferStats): JitterBufferStats {
    return addCounts(this.playoutEnded, current, PLAYOUT_COUNTERS);
  }
}

function addCounts<T extends Record<K, number>, K extends keyof T>(a: T, b: Pick<T, K>, keys: readonly K[]): T {
  const out = { ...a };
  for (const k of keys) (out[k] as number) = a[k] + b[k];
  return out;
}
