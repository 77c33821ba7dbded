// Format conversion for a device that will not open at the stream's format
// (a raw hw device fixed at 48 kHz, a mono-only microphone). Linear
// interpolation is no studio resampler, but it keeps pitch and speed right,
// which is the point: a mismatch must never play garbled. Pure.
import type { AudioFormat } from '../../shared/audio-format.js';
import { formatEquals } from '../../shared/audio-format.js';

/** Mono ↔ stereo: duplicate, or average the two channels. */
export function convertChannels(pcm: Int16Array, from: 1 | 2, to: 1 | 2): Int16Array {
  if (from === to) return pcm;
  if (from === 1) {
    const out = new Int16Array(pcm.length * 2);
    for (let i = 0; i < pcm.length; i++) out[2 * i] = out[2 * i + 1] = pcm[i]!;
    return out;
  }
  const out = new Int16Array(pcm.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = (pcm[2 * i]! + pcm[2 * i + 1]!) >> 1;
  return out;
}

/**
 * Streaming linear-interpolation resampler: blocks of any size in, the
 * matching output out, phase carried across calls so blocks join cleanly.
 */
export class LinearResampler {
  private readonly step: number;
  /** Position of the next output frame, in input frames; -1 is `prev`. */
  private pos = 0;
  private readonly prev: Int16Array;

  constructor(
    readonly inRate: number,
    readonly outRate: number,
    private readonly channels: number,
  ) {
    this.step = inRate / outRate;
    this.prev = new Int16Array(channels);
  }

  process(input: Int16Array): Int16Array {
    const ch = this.channels;
    const n = Math.floor(input.length / ch);
    if (n === 0) return new Int16Array(0);
    const count = Math.max(0, Math.ceil((n - 1 - this.pos) / this.step));
    const out = new Int16Array(count * ch);
    for (let k = 0; k < count; k++) {
      const t = this.pos + k * this.step; // not accumulated: no rounding creep
      const i = Math.floor(t);
      const frac = t - i;
      for (let c = 0; c < ch; c++) {
        const a = i < 0 ? this.prev[c]! : input[i * ch + c]!;
        const b = input[(i + 1) * ch + c] ?? a;
        out[k * ch + c] = Math.round(a + (b - a) * frac);
      }
    }
    this.pos += count * this.step - n;
    for (let c = 0; c < ch; c++) this.prev[c] = input[(n - 1) * ch + c]!;
    return out;
  }
}

/** Channels then rate, from one format to another; the identity when they match. */
export class FormatConverter {
  private readonly resampler: LinearResampler | undefined;

  constructor(
    readonly from: AudioFormat,
    readonly to: AudioFormat,
  ) {
    if (from.rate !== to.rate) this.resampler = new LinearResampler(from.rate, to.rate, to.channels);
  }

  get identity(): boolean {
    return formatEquals(this.from, this.to);
  }

  process(pcm: Int16Array): Int16Array {
    const mixed = convertChannels(pcm, this.from.channels, this.to.channels);
    return this.resampler ? this.resampler.process(mixed) : mixed;
  }
}
