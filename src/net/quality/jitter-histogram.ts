// Interarrival jitter as a histogram (screen only). Pure: each arrival's
// |D| (RFC 3550 §6.4.1: the change in transit time against the previous
// arrival, the quantity A.8 averages into the jitter) is binned; the bins
// of the last 60 seconds are summed.
import { uint32Diff } from '../../shared/rtp-time.js';

export interface JitterHistogram {
  /** Lower edges of the bins in ms; the last bin is open-ended. */
  edgesMs: number[];
  /** Packets per bin over the window. */
  counts: number[];
}

/** 0–1, 1–2, 2–5, 5–10, 10–20, 20–50, 50+ ms. */
export const JITTER_EDGES_MS: readonly number[] = [0, 1, 2, 5, 10, 20, 50];
export const HISTOGRAM_SECONDS = 60;

/** The bin |D| = `ms` falls in. */
export function jitterBin(ms: number): number {
  const a = Math.abs(ms);
  let i = 0;
  while (i + 1 < JITTER_EDGES_MS.length && a >= JITTER_EDGES_MS[i + 1]!) i++;
  return i;
}

export class JitterHistogramWindow {
  private readonly bins = JITTER_EDGES_MS.length;
  // One row of bins per second, a ring; `row` is the second being filled.
  private readonly perSecond = new Uint32Array(HISTOGRAM_SECONDS * this.bins);
  private row = 0;
  // The previous arrival (numbers, not an object: no allocation per packet); NaN before the first.
  private prevTs = NaN;
  private prevAtMs = NaN;

  constructor(private rate: number) {}

  /** An arrival of the stream: its RTP timestamp and when it came (ms). */
  arrival(rtpTimestamp: number, atMs: number): void {
    const prevTs = this.prevTs;
    const prevAtMs = this.prevAtMs;
    this.prevTs = rtpTimestamp;
    this.prevAtMs = atMs;
    if (Number.isNaN(prevTs)) return;
    const d = atMs - prevAtMs - (uint32Diff(prevTs, rtpTimestamp) * 1000) / this.rate;
    this.perSecond[this.row * this.bins + jitterBin(d)]!++;
  }

  /** A new stream (or clock rate): its first arrival has nothing to compare with. */
  restart(rate = this.rate): void {
    this.rate = rate;
    this.prevTs = NaN;
    this.prevAtMs = NaN;
  }

  /** Once a second: start a new row, dropping the one a window ago. */
  tick(): void {
    this.row = (this.row + 1) % HISTOGRAM_SECONDS;
    this.perSecond.fill(0, this.row * this.bins, (this.row + 1) * this.bins);
  }

  histogram(): JitterHistogram {
    const counts = new Array<number>(this.bins).fill(0);
    for (let r = 0; r < HISTOGRAM_SECONDS; r++) for (let b = 0; b < this.bins; b++) counts[b]! += this.perSecond[r * this.bins + b]!;
    return { edgesMs: [...JITTER_EDGES_MS], counts };
  }
}
