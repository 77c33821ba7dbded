// Device buffers in, frames of exactly --frame-ms out: a microphone delivers
// whatever its driver likes, packets want a fixed size. Pure.

export class Rechunker {
  private readonly buf: Int16Array;
  private fill = 0;

  /** `size` is samples (frames × channels) per output frame. */
  constructor(readonly size: number) {
    this.buf = new Int16Array(size);
  }

  /** Returns the whole frames completed by `pcm` (fresh arrays, safe to keep). */
  push(pcm: Int16Array): Int16Array[] {
    const out: Int16Array[] = [];
    let at = 0;
    while (at < pcm.length) {
      const take = Math.min(this.size - this.fill, pcm.length - at);
      this.buf.set(pcm.subarray(at, at + take), this.fill);
      this.fill += take;
      at += take;
      if (this.fill === this.size) {
        out.push(this.buf.slice());
        this.fill = 0;
      }
    }
    return out;
  }

  /** Samples held back, waiting for the rest of their frame. */
  get pending(): number {
    return this.fill;
  }

  reset(): void {
    this.fill = 0;
  }
}
