/** Stream format: 16-bit linear PCM at a rate and channel count. */
export interface AudioFormat {
  readonly rate: number;
  readonly channels: 1 | 2;
}

export const BYTES_PER_SAMPLE = 2;

/** The payload codec on the wire (SPEC §3): 16- or 24-bit linear PCM, or Opus. */
export type CodecName = 'l16' | 'l24' | 'opus';

/** Samples per channel in `ms` of audio (rounded to a whole sample). */
export function samplesPerChannel(format: AudioFormat, ms: number): number {
  return Math.round((format.rate * ms) / 1000);
}

/** Bytes of interleaved 16-bit PCM for `frames` samples per channel. */
export function bytesFor(format: AudioFormat, frames: number): number {
  return frames * format.channels * BYTES_PER_SAMPLE;
}

/** Duration in ms of `frames` samples per channel. */
export function msFor(format: AudioFormat, frames: number): number {
  return (frames * 1000) / format.rate;
}

export function formatEquals(a: AudioFormat, b: AudioFormat): boolean {
  return a.rate === b.rate && a.channels === b.channels;
}

export function describeFormat(f: AudioFormat, codec: CodecName = 'l16'): string {
  return `${codec === 'opus' ? 'Opus' : codec.toUpperCase()} ${f.rate} Hz ${f.channels === 1 ? 'mono' : 'stereo'}`;
}
