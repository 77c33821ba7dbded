import type { AudioFormat, CodecName } from '../../shared/audio-format.js';

// RFC 3551 static L16 payload types; everything else uses a dynamic one.
export const PT_L16_STEREO_44100 = 10;
export const PT_L16_MONO_44100 = 11;
export const PT_DYNAMIC_DEFAULT = 96;
/** Opus has no static type; 111 is the dynamic one browsers and most peers offer it on. */
export const PT_OPUS_DEFAULT = 111;

export function payloadTypeFor(format: AudioFormat, codec: CodecName = 'l16'): number {
  if (codec === 'opus') return PT_OPUS_DEFAULT;
  if (codec === 'l24') return PT_DYNAMIC_DEFAULT;
  if (format.rate === 44100) return format.channels === 2 ? PT_L16_STEREO_44100 : PT_L16_MONO_44100;
  return PT_DYNAMIC_DEFAULT;
}

export function isDynamic(pt: number): boolean {
  return pt >= 96 && pt <= 127;
}

/**
 * The format a received payload type carries: static types their own,
 * dynamic ones the format the receiver was told (flags or SDP).
 * Undefined for a type streamer cannot play.
 */
export function formatForPayloadType(pt: number, dynamicFormat: AudioFormat): AudioFormat | undefined {
  if (pt === PT_L16_STEREO_44100) return { rate: 44100, channels: 2 };
  if (pt === PT_L16_MONO_44100) return { rate: 44100, channels: 1 };
  if (isDynamic(pt)) return dynamicFormat;
  return undefined;
}
