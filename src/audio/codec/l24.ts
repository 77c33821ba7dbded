// L24 (RFC 3190 §4): 24-bit linear PCM, network byte order, one sample after
// another, the AES67 payload. The pipeline is 16-bit, so the encoder pads
// each sample with a zero low byte and the decoder keeps the top 16 bits.
import type { AudioFormat } from '../../shared/audio-format.js';
import type { Decoder, EncodedPacket, Encoder } from './codec.js';

export const L24_BYTES_PER_SAMPLE = 3;

/** Interleaved 16-bit samples → big-endian 24-bit payload. */
export function pcmToL24(pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length * 3);
  for (let i = 0, o = 0; i < pcm.length; i++, o += 3) {
    const s = pcm[i]!;
    out[o] = s >> 8;
    out[o + 1] = s;
    out[o + 2] = 0;
  }
  return out;
}

/** Big-endian 24-bit payload → 16-bit samples (rounded, not truncated; a trailing partial sample is ignored). */
export function l24ToPcm(payload: Uint8Array): Int16Array {
  const n = Math.floor(payload.length / 3);
  const pcm = new Int16Array(n);
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    const hi = (payload[o]! << 8) | payload[o + 1]!;
    const v = (hi << 16) >> 16; // sign from the top byte
    pcm[i] = payload[o + 2]! >= 0x80 && v < 32767 ? v + 1 : v;
  }
  return pcm;
}

export class L24Encoder implements Encoder {
  readonly codec = 'l24';
  readonly clockRate: number;
  constructor(private readonly format: AudioFormat) {
    this.clockRate = format.rate;
  }
  encode(pcm: Int16Array): EncodedPacket[] {
    return [{ payload: pcmToL24(pcm), frames: pcm.length / this.format.channels }];
  }
}

export class L24Decoder implements Decoder {
  readonly codec = 'l24';
  readonly clockRate: number;
  constructor(private readonly format: AudioFormat) {
    this.clockRate = format.rate;
  }
  frames(payload: Uint8Array): number | string {
    const per = L24_BYTES_PER_SAMPLE * this.format.channels;
    return payload.length % per === 0 ? payload.length / per : 'odd payload length';
  }
  /** A lost span is silence here: the jitter buffer's concealer fills PCM gaps. */
  decode(payload: Uint8Array | null, frames: number): Int16Array {
    return payload ? l24ToPcm(payload) : new Int16Array(frames * this.format.channels);
  }
}
