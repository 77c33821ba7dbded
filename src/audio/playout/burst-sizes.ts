// The sender's packetization as the receiver sees it: one packet per frame,
// or a frame split into several that arrive together.

/** How much audio the sender sends at once: packets arriving within 1 ms form a burst. */
export class BurstSizes {
  private readonly done: number[] = []; // the last completed bursts, in frames
  private current = 0;
  private startedAt = -Infinity;

  add(frames: number, nowMs: number): void {
    if (nowMs - this.startedAt > 1) {
      if (this.current > 0) this.done.push(this.current);
      if (this.done.length > 15) this.done.shift();
      this.current = 0;
      this.startedAt = nowMs;
    }
    this.current += frames;
  }

  /** The median completed burst (a catch-up burst in progress does not count). */
  typical(): number {
    if (this.done.length === 0) return this.current;
    const s = [...this.done].sort((a, b) => a - b);
    return s[s.length >> 1]!;
  }
}
