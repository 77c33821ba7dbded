import type { PlayoutFrame } from '../sink/sink.js';

/**
 * What goes into a file of what played: everything, except concealment that
 * no real audio has followed yet. A pull's tail is made up when nothing after
 * it has arrived — a late packet, or the end of the stream. Held here, it is
 * written once audio follows (it was a gap that played) and dropped when the
 * stream stops, so a file ends with the stream's last real sample, not with
 * the half-second the buffer concealed before it went idle.
 */
export class TailHold {
  private held: Int16Array[] = [];
  private heldFrames = 0;

  /** `write` gets views valid only during the call; what is held back is copied. */
  constructor(
    private readonly write: (pcm: Int16Array) => void,
    private readonly channels: number,
    /** Bound: past the idle limit the buffer stops playing anyway. */
    private readonly maxHoldFrames: number,
  ) {}

  push(frame: Pick<PlayoutFrame, 'pcm' | 'playing' | 'tailFrames'>): void {
    if (!frame.playing) return this.drop();
    const ch = this.channels;
    const frames = frame.pcm.length / ch;
    const tail = Math.min(frames, Math.max(0, frame.tailFrames));
    const real = frames - tail;
    if (real > 0) {
      for (const pcm of this.held) this.write(pcm);
      this.drop();
      // A view, valid during the call, as a pull's pcm is: the writer copies what it keeps (no copy per pull here).
      this.write(real === frames ? frame.pcm : frame.pcm.subarray(0, real * ch));
    }
    if (tail > 0 && this.heldFrames + tail <= this.maxHoldFrames) {
      this.held.push(frame.pcm.slice(real * ch));
      this.heldFrames += tail;
    }
  }

  /** Forget what is held (the stream stopped, or the file closed). */
  drop(): void {
    this.held = [];
    this.heldFrames = 0;
  }
}
