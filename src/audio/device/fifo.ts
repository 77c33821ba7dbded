// The worker's queue of audio waiting for the speaker: blocks in, fixed-size
// device buffers out, padded with silence when the parent fell behind. Pure.

export class SampleFifo {
  private blocks: Int16Array[] = [];
  private head = 0; // samples of blocks[0] already taken
  private total = 0;

  /** `cap` bounds the queue (samples): past it the oldest audio goes. */
  constructor(private readonly cap: number) {}

  get length(): number {
    return this.total;
  }

  push(pcm: Int16Array): void {
    if (pcm.length === 0) return;
    this.blocks.push(pcm);
    this.total += pcm.length;
    if (this.total > this.cap) this.discard(this.total - this.cap);
  }

  /** Exactly `n` samples: as many as queued, then silence. `got` says how many were real. */
  take(n: number): { pcm: Int16Array; got: number } {
    const pcm = new Int16Array(n);
    let got = 0;
    while (got < n && this.blocks.length > 0) {
      const b = this.blocks[0]!;
      const k = Math.min(n - got, b.length - this.head);
      pcm.set(b.subarray(this.head, this.head + k), got);
      got += k;
      this.advance(k);
    }
    return { pcm, got };
  }

  clear(): void {
    this.blocks = [];
    this.head = 0;
    this.total = 0;
  }

  private discard(n: number): void {
    while (n > 0 && this.blocks.length > 0) {
      const k = Math.min(n, this.blocks[0]!.length - this.head);
      this.advance(k);
      n -= k;
    }
  }

  private advance(k: number): void {
    this.head += k;
    this.total -= k;
    if (this.head === this.blocks[0]!.length) {
      this.blocks.shift();
      this.head = 0;
    }
  }
}
