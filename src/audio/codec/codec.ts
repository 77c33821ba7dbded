// The payload codecs (SPEC §3): L16, L24 and Opus are three implementations
// of one small interface. The sender's encoder turns captured PCM into RTP
// payloads; the receiver's decoder turns payloads (or their absence) back
// into PCM. Pure: no I/O, no clock.
import type { AudioFormat, CodecName } from '../../shared/audio-format.js';

export type { CodecName };
export const CODEC_NAMES: readonly CodecName[] = ['l16', 'l24', 'opus'];

/** One RTP payload and the audio it carries, in RTP clock ticks (samples per channel at the clock rate). */
export interface EncodedPacket {
  payload: Uint8Array;
  frames: number;
}

export interface Encoder {
  readonly codec: CodecName;
  /** The RTP clock: the stream's rate for PCM, always 48000 for Opus (RFC 7587 §4.1). */
  readonly clockRate: number;
  /** Interleaved PCM at the input format; the packets it completes (a codec with fixed frames keeps the rest for later). */
  encode(pcm: Int16Array): EncodedPacket[];
}

export interface Decoder {
  readonly codec: CodecName;
  readonly clockRate: number;
  /** Clock ticks the payload carries, or why it is malformed. */
  frames(payload: Uint8Array): number | string;
  /**
   * PCM for a payload, or for `frames` lost ticks (`payload` null): the
   * codec's own concealment, or (Opus) rebuilt from `fec`, the next
   * packet's in-band redundancy. Interleaved, at the decoder's format.
   */
  decode(payload: Uint8Array | null, frames: number, fec?: Uint8Array): Int16Array;
}

/** The stream as the network carries it: a codec at a format (Opus: 48 kHz whatever the source). */
export interface StreamCodec {
  codec: CodecName;
  format: AudioFormat;
}

export function codecLabel(codec: CodecName): string {
  return codec === 'opus' ? 'Opus' : codec.toUpperCase();
}
