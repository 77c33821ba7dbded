// Loss bursts: runs of consecutive lost packets, by length (screen only), and
// over a recent window the figures G.107's BurstR is made of. Pure: fed the
// settled fate of each packet in sequence order (seq-ledger.ts).
import type { Fate } from './seq-ledger.js';

/** Bursts longer than this are counted in the last bin. */
export const MAX_BURST_BIN = 32;
/** Packets the recent window covers (10 s of 10 ms packets). */
export const BURST_WINDOW_PACKETS = 1000;

export interface LossBursts {
  /** lengths[i]: bursts of i + 1 consecutive lost packets; the last bin holds MAX_BURST_BIN or more. */
  lengths: number[];
}

export interface RecentLoss {
  /** Packets settled in the window. */
  total: number;
  lost: number;
  /** Loss bursts (runs) in the window. */
  bursts: number;
}

export class LossBurstCounter {
  private readonly lengths = new Array<number>(MAX_BURST_BIN).fill(0);
  private run = 0;
  // The recent window: a ring of fates, with burst starts marked so a run cut by the window's edge still counts once.
  private readonly lostAt = new Uint8Array(BURST_WINDOW_PACKETS);
  private readonly startAt = new Uint8Array(BURST_WINDOW_PACKETS);
  private w = 0;
  private filled = 0;
  private lost = 0;
  private starts = 0;

  add(fate: Fate): void {
    const isLost = fate === 'lost' ? 1 : 0;
    if (isLost) this.run++;
    else this.endRun();
    const n = BURST_WINDOW_PACKETS;
    if (this.filled === n) {
      // Evict the oldest; a burst it started now starts at the next one.
      const next = (this.w + 1) % n;
      if (this.lostAt[this.w]) {
        this.lost--;
        if (this.startAt[this.w]) {
          if (this.lostAt[next] && this.filled > 1) this.startAt[next] = 1;
          else this.starts--;
        }
      }
    } else this.filled++;
    const prev = (this.w + n - 1) % n;
    const start = isLost && !(this.filled > 1 && this.lostAt[prev]) ? 1 : 0;
    this.lostAt[this.w] = isLost;
    this.startAt[this.w] = start;
    this.lost += isLost;
    this.starts += start;
    this.w = (this.w + 1) % n;
  }

  /** The stream ended: a run in progress is a burst. */
  endRun(): void {
    if (this.run > 0) this.lengths[Math.min(this.run, MAX_BURST_BIN) - 1]!++;
    this.run = 0;
  }

  /** Session bursts by length (a run still in progress not yet among them). */
  bursts(): LossBursts {
    return { lengths: this.lengths.slice() };
  }

  recent(): RecentLoss {
    return { total: this.filled, lost: this.lost, bursts: this.starts };
  }
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
const len = (l: number): string => (l >= MAX_BURST_BIN ? `${MAX_BURST_BIN}+` : String(l));

/** The burst length at rank ceil(q · count) among the multi-packet bursts (nearest-rank percentile). */
function rankLength(lengths: readonly number[], count: number, q: number): number {
  const rank = Math.max(1, Math.ceil(q * count));
  let seen = 0;
  for (let i = 1; i < lengths.length; i++) {
    seen += lengths[i] ?? 0;
    if (seen >= rank) return i + 1;
  }
  return lengths.length;
}

/**
 * "12 single losses, 3 bursts of 2–4, longest 7": the single losses, the
 * bursts of two or more with the range most of them fall in (10th to 90th
 * percentile of their lengths), and the longest when it is outside that
 * range. "no losses" when there are none.
 */
export function describeBursts(lengths: readonly number[]): string {
  const singles = lengths[0] ?? 0;
  const multi = lengths.slice(1).reduce((a, n) => a + n, 0);
  if (singles === 0 && multi === 0) return 'no losses';
  const parts: string[] = [];
  if (singles > 0) parts.push(plural(singles, 'single loss', 'single losses'));
  if (multi > 0) {
    const lo = rankLength(lengths, multi, 0.1);
    const hi = rankLength(lengths, multi, 0.9);
    const longest = rankLength(lengths, multi, 1);
    parts.push(`${plural(multi, 'burst', 'bursts')} of ${lo === hi ? len(lo) : `${lo}–${len(hi)}`}`);
    if (longest > hi) parts.push(`longest ${len(longest)}`);
  }
  return parts.join(', ');
}
