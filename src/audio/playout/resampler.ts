// A small fractional-rate stretcher for drift and latency correction: each
// output frame reads the input at a position that advances by `step` input
// frames (1 = unchanged, 1.0005 = 500 ppm faster). Four-point Catmull-Rom
// interpolation keeps a 1 kHz tone's error near −100 dB, and the step may
// change on every call, so the correction glides instead of clicking.
//
// At step exactly 1 on a whole-frame position the output is the input, bit
// for bit, with no look-ahead: a stream that never needs correcting is never
// touched.

export class Resampler {
  private readonly ch: number;
  private buf = new Int16Array(0); // input frames from `pos`'s origin on
  private len = 0; // frames held in buf
  private pos = 0; // fractional frame index in buf of the next output

  constructor(channels: number) {
    this.ch = channels;
  }

  /** Input frames held but not yet passed by the read position. */
  get aheadFrames(): number {
    return Math.max(0, this.len - this.pos);
  }

  /** Input frames to feed `process` so it can make `frames` output frames at `step`. */
  need(frames: number, step: number): number {
    if (frames <= 0) return 0;
    const last = this.pos + (frames - 1) * step;
    // Interpolating between i and i+1 also reads i+2; an exact position reads only i.
    const upTo = step === 1 && Number.isInteger(this.pos) ? last : Math.floor(last) + 2;
    return Math.max(0, upTo + 1 - this.len);
  }

  /**
   * Writes `frames` frames to `out` from what is held plus `input`, which
   * must hold exactly `need(frames, step)` frames.
   */
  process(input: Int16Array, out: Int16Array, frames: number, step: number): void {
    const ch = this.ch;
    this.append(input);
    const buf = this.buf;
    if (step === 1 && Number.isInteger(this.pos)) {
      out.set(buf.subarray(this.pos * ch, (this.pos + frames) * ch));
    } else {
      const lastFrame = this.len - 1;
      for (let k = 0; k < frames; k++) {
        const p = this.pos + k * step;
        const i = Math.floor(p);
        const t = p - i;
        const o = k * ch;
        if (t === 0) {
          for (let c = 0; c < ch; c++) out[o + c] = buf[i * ch + c]!;
          continue;
        }
        const i0 = (i > 0 ? i - 1 : 0) * ch;
        const i1 = i * ch;
        const i2 = Math.min(i + 1, lastFrame) * ch;
        const i3 = Math.min(i + 2, lastFrame) * ch;
        for (let c = 0; c < ch; c++) {
          const y0 = buf[i0 + c]!;
          const y1 = buf[i1 + c]!;
          const y2 = buf[i2 + c]!;
          const y3 = buf[i3 + c]!;
          // Catmull-Rom: passes through y1 and y2 with continuous slope.
          const a = -0.5 * y0 + 1.5 * y1 - 1.5 * y2 + 0.5 * y3;
          const b = y0 - 2.5 * y1 + 2 * y2 - 0.5 * y3;
          const d = 0.5 * (y2 - y0);
          out[o + c] = clampInt16(((a * t + b) * t + d) * t + y1);
        }
      }
    }
    this.pos += frames * step;
    // Keep one frame behind the read position: the next interpolation needs it.
    const drop = Math.max(0, Math.min(this.len, Math.floor(this.pos) - 1));
    if (drop > 0) {
      buf.copyWithin(0, drop * ch, this.len * ch);
      this.len -= drop;
      this.pos -= drop;
    }
  }

  /** Forgets everything: the next call starts a fresh stream at a whole frame. */
  reset(): void {
    this.len = 0;
    this.pos = 0;
  }

  private append(input: Int16Array): void {
    const ch = this.ch;
    const frames = Math.floor(input.length / ch);
    const want = (this.len + frames) * ch;
    if (this.buf.length < want) {
      const grown = new Int16Array(Math.max(want, this.buf.length * 2, 64 * ch));
      grown.set(this.buf.subarray(0, this.len * ch));
      this.buf = grown;
    }
    this.buf.set(input.subarray(0, frames * ch), this.len * ch);
    this.len += frames;
  }
}

function clampInt16(v: number): number {
  const r = Math.round(v);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}
