// Receiver statistics of RFC 3550 Appendix A: sequence validation and loss
// accounting (A.1, A.3) and interarrival jitter (A.8). Pure: arrival times
// are passed in, from a monotonic clock.
//
// Departures from the appendix's C code, on purpose:
// - No probation: counting starts at the stream's first packet. A.1 leaves
//   out the packets it sees while validating a source, and a reordered
//   second packet restarts its validation, so the start of the stream went
//   uncounted. The receiver has locked to the SSRC and plays those packets:
//   they are real. A stray first packet is then just a big jump (resync).
// - After a confirmed big jump (resync) the counters carry on instead of
//   restarting: the earlier range stays in `expected`, and both packets that
//   confirmed the jump count. A dashboard must not snap back to zero.
// - A bitmap of the last 4096 extended sequence numbers tells duplicates from
//   reordered packets, so duplicates never count as received and cannot
//   hide a loss; `lost` is therefore never negative.
// - A reordered packet from before the first counted one lowers the base, so
//   it widens `expected` instead of making received > expected.
import { SEQ_MOD, uint16Add, uint32Diff } from '../../shared/rtp-time.js';

export type SeqVerdict = 'new' | 'reordered' | 'duplicate' | 'bad';

export interface SeqStats {
  received: number;
  expected: number;
  lost: number;
  lossPercent: number;
  jitterMs: number;
  outOfOrder: number;
  duplicates: number;
}

const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;
const WINDOW_BITS = 4096; // power of two; must exceed MAX_MISORDER
const NO_BAD_SEQ = SEQ_MOD + 1; // A.1's "no pending jump" value: matches no seq

export class ReceiverStats {
  private started = false;
  private maxSeq = 0; // highest 16-bit seq
  private badSeq = NO_BAD_SEQ;
  private extMax = 0; // extended highest seq of the current segment
  private baseExt = 0; // extended base seq of the current segment
  private expectedBefore = 0; // expected of segments ended by a resync
  private readonly seen = new Uint32Array(WINDOW_BITS / 32);
  private received = 0;
  private outOfOrder = 0;
  private duplicates = 0;
  private jitter = 0; // A.8's J, in timestamp units
  private lastArrival: number | undefined; // timestamp units
  private lastRtp = 0;

  constructor(private clockRate: number) {}

  onPacket(seq: number, rtpTimestamp: number, arrivalMs: number): SeqVerdict {
    seq &= 0xffff;
    const verdict = this.started ? this.sequenced(seq) : this.startSegment(seq, 1);
    if (verdict !== 'duplicate' && verdict !== 'bad') this.updateJitter(rtpTimestamp, arrivalMs);
    return verdict;
  }

  setClockRate(rate: number): void {
    if (rate === this.clockRate) return;
    // Keep the jitter's meaning in time; transit restarts on the new clock.
    this.jitter = (this.jitter * rate) / this.clockRate;
    this.clockRate = rate;
    this.lastArrival = undefined;
  }

  /** What an RTCP report block carries besides the counts: the extended highest sequence number (cycles × 65536 + seq) and A.8's jitter in timestamp units. */
  reportFigures(): { extendedHighestSeq: number; jitter: number } {
    return { extendedHighestSeq: this.started ? (this.extMax - SEQ_MOD) >>> 0 : 0, jitter: Math.round(this.jitter) };
  }

  snapshot(): SeqStats {
    const expected = this.expectedBefore + (this.started ? this.extMax - this.baseExt + 1 : 0);
    const lost = Math.max(0, expected - this.received);
    return {
      received: this.received,
      expected,
      lost,
      lossPercent: expected > 0 ? (100 * lost) / expected : 0,
      jitterMs: (this.jitter * 1000) / this.clockRate,
      outOfOrder: this.outOfOrder,
      duplicates: this.duplicates,
    };
  }

  /** Forget the source (a new SSRC): everything starts over. */
  reset(): void {
    this.started = false;
    this.maxSeq = 0;
    this.badSeq = NO_BAD_SEQ;
    this.extMax = this.baseExt = this.expectedBefore = 0;
    this.seen.fill(0);
    this.received = this.outOfOrder = this.duplicates = 0;
    this.jitter = 0;
    this.lastArrival = undefined;
    this.lastRtp = 0;
  }

  private sequenced(seq: number): SeqVerdict {
    const udelta = (seq - this.maxSeq) & 0xffff;
    if (udelta === 0) {
      this.duplicates++;
      return 'duplicate';
    }
    if (udelta < MAX_DROPOUT) {
      // In order, possibly with a gap: the skipped numbers enter the window unseen.
      this.clearAhead(udelta);
      this.extMax += udelta;
      this.maxSeq = seq;
      this.mark(this.extMax);
      this.received++;
      return 'new';
    }
    if (udelta <= SEQ_MOD - MAX_MISORDER) {
      // A big jump: believe it only when the next packet follows it (A.1).
      if (seq === this.badSeq) {
        this.expectedBefore += this.extMax - this.baseExt + 1;
        this.lastArrival = undefined; // the timeline may have jumped too
        return this.startSegment(seq, 2);
      }
      this.badSeq = uint16Add(seq, 1);
      return 'bad';
    }
    const ext = this.extMax - (SEQ_MOD - udelta);
    if (this.isSeen(ext)) {
      this.duplicates++;
      return 'duplicate';
    }
    this.mark(ext);
    this.received++;
    this.outOfOrder++;
    if (ext < this.baseExt) this.baseExt = ext;
    return 'reordered';
  }

  /** Begins counting at `seq`, crediting it and the `count − 1` before it. */
  private startSegment(seq: number, count: number): 'new' {
    this.started = true;
    this.maxSeq = seq;
    this.badSeq = NO_BAD_SEQ;
    this.extMax = SEQ_MOD + seq; // offset keeps an early reordered packet ≥ 0
    this.baseExt = this.extMax - (count - 1);
    this.seen.fill(0);
    for (let e = this.baseExt; e <= this.extMax; e++) this.mark(e);
    this.received += count;
    return 'new';
  }

  // A.8: J += (|D| − J) / 16, D the change in transit time between arrivals.
  private updateJitter(rtpTimestamp: number, arrivalMs: number): void {
    const arrival = (arrivalMs * this.clockRate) / 1000;
    const rtp = rtpTimestamp >>> 0;
    if (this.lastArrival !== undefined) {
      const d = arrival - this.lastArrival - uint32Diff(this.lastRtp, rtp);
      this.jitter += (Math.abs(d) - this.jitter) / 16;
    }
    this.lastArrival = arrival;
    this.lastRtp = rtp;
  }

  private clearAhead(steps: number): void {
    if (steps >= WINDOW_BITS) {
      this.seen.fill(0);
      return;
    }
    for (let i = 1; i <= steps; i++) {
      const bit = (this.extMax + i) & (WINDOW_BITS - 1);
      this.seen[bit >>> 5]! &= ~(1 << (bit & 31));
    }
  }

  private mark(ext: number): void {
    const bit = ext & (WINDOW_BITS - 1);
    this.seen[bit >>> 5]! |= 1 << (bit & 31);
  }

  private isSeen(ext: number): boolean {
    if (this.extMax - ext >= WINDOW_BITS) return false;
    const bit = ext & (WINDOW_BITS - 1);
    return ((this.seen[bit >>> 5]! >>> (bit & 31)) & 1) === 1;
  }
}
