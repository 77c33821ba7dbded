// The fate of each sequence number of a stream: played, late (arrived after
// its playout time) or lost (never arrived). Pure. A number is settled once
// the stream is `horizon` packets past it, so a reordered or late packet
// still finds its slot; settled fates go to `onSettle` in sequence order,
// which is what run lengths (loss bursts, glitches) need. A lost number that
// Opus rebuilt from the next packet's FEC is 'recovered': nothing was heard.

export type Fate = 'played' | 'late' | 'lost' | 'recovered';

const MISSING = 0;
const PLAYED = 1;
const LATE = 2;
const RECOVERED = 3;
const FATES: readonly Fate[] = ['lost', 'played', 'late', 'recovered'];
/** A jump this far ahead is a restart of the numbering, not a loss (RFC 3550 A.1's MAX_DROPOUT). */
const MAX_DROPOUT = 3000;

export class SeqLedger {
  // One slot per 16-bit sequence number; slots base..hi are live (hi − base < horizon ≤ 2^15).
  private readonly slots = new Uint8Array(65536);
  private hi = -1;
  private base = 0;

  constructor(
    private readonly onSettle: (fate: Fate) => void,
    private readonly horizon = 128,
  ) {}

  /** A packet of the stream arrived; `late`: after its playout time. Duplicates change nothing. */
  arrived(seq: number, late: boolean): void {
    const mark = late ? LATE : PLAYED;
    if (this.hi < 0) return this.restart(seq, mark);
    const delta = ((seq - (this.hi & 0xffff) + 0x8000) & 0xffff) - 0x8000;
    const ext = this.hi + delta;
    if (delta > MAX_DROPOUT) {
      this.flush();
      return this.restart(seq, mark);
    }
    if (delta > 0) {
      for (let e = this.hi + 1; e < ext; e++) this.slots[e & 0xffff] = MISSING;
      this.slots[ext & 0xffff] = mark;
      this.hi = ext;
      while (this.hi - this.base >= this.horizon) this.settleOne();
      return;
    }
    // Reordered or duplicate: fill its slot if it is still open and empty.
    if (ext >= this.base && this.slots[ext & 0xffff] === MISSING) this.slots[ext & 0xffff] = mark;
  }

  /** A number that never arrived was rebuilt at playout (Opus FEC from its successor): open and still missing, it is recovered. */
  recovered(seq: number): void {
    if (this.hi < 0) return;
    const delta = ((seq - (this.hi & 0xffff) + 0x8000) & 0xffff) - 0x8000;
    const ext = this.hi + delta;
    if (ext >= this.base && ext <= this.hi && this.slots[ext & 0xffff] === MISSING) this.slots[ext & 0xffff] = RECOVERED;
  }

  /** The stream ended or changed: settle everything up to the highest number heard. */
  flush(): void {
    while (this.hi >= 0 && this.base <= this.hi) this.settleOne();
  }

  /** Flush, then forget the numbering (a new SSRC). */
  reset(): void {
    this.flush();
    this.hi = -1;
    this.base = 0;
  }

  private restart(seq: number, mark: number): void {
    this.hi = seq;
    this.base = seq;
    this.slots[seq] = mark;
  }

  private settleOne(): void {
    this.onSettle(FATES[this.slots[this.base & 0xffff]!]!);
    this.base++;
  }
}
