// The replay ring: the last 30 s of audio, in memory, for `s`. Preallocated
// once per format (seconds × rate × channels samples); a write copies into
// it, wrapping, with no allocation. Pure.
import type { AudioFormat } from '../../shared/audio-format.js';
import { formatEquals } from '../../shared/audio-format.js';
import { REPLAY_SECONDS } from './replay.js';

export class ReplayRing {
  private buf: Int16Array;
  private fmt: AudioFormat;
  private w = 0; // next sample to write
  private filled = 0; // samples held, ≤ buf.length

  constructor(
    format: AudioFormat,
    private readonly seconds = REPLAY_SECONDS,
  ) {
    this.fmt = format;
    this.buf = new Int16Array(this.capacityFor(format));
  }

  get format(): AudioFormat {
    return this.fmt;
  }

  /** Seconds held now (≤ the ring's length). */
  get durationS(): number {
    return this.filled / this.fmt.channels / this.fmt.rate;
  }

  /** The stream's format changed: what is held was another format, so it goes (same format: kept). */
  setFormat(format: AudioFormat): void {
    if (formatEquals(format, this.fmt)) return;
    this.fmt = format;
    this.buf = new Int16Array(this.capacityFor(format));
    this.w = 0;
    this.filled = 0;
  }

  /** Interleaved samples of the ring's format; only the newest ring-full of a longer block is kept. */
  write(pcm: Int16Array): void {
    const cap = this.buf.length;
    let src = pcm;
    if (src.length > cap) src = src.subarray(src.length - cap);
    const first = Math.min(src.length, cap - this.w);
    this.buf.set(first === src.length ? src : src.subarray(0, first), this.w);
    if (first < src.length) this.buf.set(src.subarray(first), 0);
    this.w = (this.w + src.length) % cap;
    this.filled = Math.min(cap, this.filled + src.length);
  }

  /** A copy of what is held, oldest first (the one allocation: at a save, not per frame). */
  snapshot(): Int16Array {
    const out = new Int16Array(this.filled);
    const start = (this.w - this.filled + this.buf.length) % this.buf.length;
    const first = Math.min(this.filled, this.buf.length - start);
    out.set(this.buf.subarray(start, start + first), 0);
    if (first < this.filled) out.set(this.buf.subarray(0, this.filled - first), first);
    return out;
  }

  private capacityFor(f: AudioFormat): number {
    return Math.round(this.seconds * f.rate) * f.channels;
  }
}
