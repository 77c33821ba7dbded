// Packet-loss concealment for the jitter buffer's output: fill a gap with
// the last played audio, faded out, then silence; crossfade back into real
// audio when it resumes. No hole, no step, no allocation per call.
//
// The fill plays the last ~10 ms back and forth (ping-pong): every step in it
// is a step the real signal made, so even the turn-arounds stay smooth,
// without needing the pitch period. Only audio played contiguously since the
// previous gap is used, so a fill never loops across an earlier splice.
import type { AudioFormat } from '../../shared/audio-format.js';
import { samplesPerChannel } from '../../shared/audio-format.js';

const HISTORY_MS = 10;
const FADE_OUT_MS = 20;
const FADE_IN_MS = 2.5;
const MIN_TEMPLATE_MS = 2.5; // shorter than this: hold the last sample instead

export class Concealer {
  private readonly ch: number;
  private readonly histFrames: number;
  private readonly fadeOutFrames: number;
  private readonly fadeInFrames: number;
  private readonly minTemplate: number;
  private readonly hist: Int16Array; // ring of the last played frames
  private histW = 0; // next frame to write in the ring
  private run = 0; // frames played since the last gap, capped at histFrames
  private readonly tpl: Int16Array; // the fill's source, copied at the gap's start
  private tplLen = 0;
  private inGap = false;
  private k = 0; // frames since the gap started (keeps going during the fade-in)
  private fadeIn = -1; // frames into the crossfade back to real audio; −1 = none

  constructor(format: AudioFormat) {
    this.ch = format.channels;
    this.histFrames = Math.max(1, samplesPerChannel(format, HISTORY_MS));
    this.fadeOutFrames = Math.max(1, samplesPerChannel(format, FADE_OUT_MS));
    this.fadeInFrames = Math.max(1, samplesPerChannel(format, FADE_IN_MS));
    this.minTemplate = Math.max(2, samplesPerChannel(format, MIN_TEMPLATE_MS));
    this.hist = new Int16Array(this.histFrames * this.ch);
    this.tpl = new Int16Array(this.histFrames * this.ch);
  }

  /** True between a fill and the audio that ends it. */
  get concealing(): boolean {
    return this.inGap;
  }

  /** Writes `n` frames of real audio from `src` at frame `srcAt` to `out` at frame `at`. */
  play(out: Int16Array, at: number, src: Int16Array, srcAt: number, n: number): void {
    if (this.inGap) {
      this.inGap = false;
      this.fadeIn = 0;
      this.run = 0;
    }
    const ch = this.ch;
    for (let f = 0; f < n; f++) {
      const o = (at + f) * ch;
      const s = (srcAt + f) * ch;
      const h = this.histW * ch;
      if (this.fadeIn >= 0) {
        const w = (this.fadeIn + 1) / (this.fadeInFrames + 1);
        for (let c = 0; c < ch; c++) {
          const v = Math.round(src[s + c]! * w + this.fill(this.k, c) * (1 - w));
          out[o + c] = v;
          this.hist[h + c] = v;
        }
        this.k++;
        if (++this.fadeIn >= this.fadeInFrames) this.fadeIn = -1;
      } else {
        for (let c = 0; c < ch; c++) {
          const v = src[s + c]!;
          out[o + c] = v;
          this.hist[h + c] = v;
        }
      }
      this.histW = this.histW + 1 === this.histFrames ? 0 : this.histW + 1;
    }
    this.run = Math.min(this.histFrames, this.run + n);
  }

  /** Writes `n` made-up frames to `out` at frame `at`. */
  conceal(out: Int16Array, at: number, n: number): void {
    const ch = this.ch;
    if (!this.inGap) {
      if (this.run === 0) {
        // Nothing played yet: a fresh stream starts from silence, unfaded.
        out.fill(0, at * ch, (at + n) * ch);
        return;
      }
      this.startGap();
    }
    this.fadeIn = -1;
    for (let f = 0; f < n; f++) {
      const o = (at + f) * ch;
      if (this.k >= this.fadeOutFrames) {
        out.fill(0, o, (at + n) * ch);
        this.k += n - f;
        return;
      }
      for (let c = 0; c < ch; c++) out[o + c] = Math.round(this.fill(this.k, c));
      this.k++;
    }
  }

  /** Forgets the history: the next audio starts as a fresh stream. */
  reset(): void {
    this.histW = this.run = this.tplLen = this.k = 0;
    this.inGap = false;
    this.fadeIn = -1;
  }

  private startGap(): void {
    this.inGap = true;
    this.k = 0;
    this.tplLen = this.run >= this.minTemplate ? this.run : 1;
    const ch = this.ch;
    let h = this.histW - this.tplLen;
    if (h < 0) h += this.histFrames;
    for (let i = 0; i < this.tplLen; i++) {
      for (let c = 0; c < ch; c++) this.tpl[i * ch + c] = this.hist[h * ch + c]!;
      h = h + 1 === this.histFrames ? 0 : h + 1;
    }
  }

  /** Sample `c` of the `k`-th frame after the last played one, faded. */
  private fill(k: number, c: number): number {
    if (k >= this.fadeOutFrames || this.tplLen === 0) return 0;
    const gain = 1 - (k + 1) / this.fadeOutFrames;
    const last = this.tplLen - 1;
    let idx = 0;
    if (last > 0) {
      // Reflect: last−1, …, 0, 1, …, last, last−1, …
      const period = 2 * last;
      const s = (k + 1) % period;
      idx = last - (s <= last ? s : period - s);
    }
    return this.tpl[idx * this.ch + c]! * gain;
  }
}
