// Opus RTP packets captured from real ffmpeg (libopus), 0.5 s of a 1 kHz sine:
//   __tests__/fixtures/ffmpeg-opus-{mono,stereo,mono-fec}.json hold each datagram in hex (dtx: the
//   sine then 1.5 s of silence with -dtx 1 -application voip -b:a 24k),
//   and the ffmpeg line that made it ("tool").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers/cli.js';

export function ffmpegOpusPayloads(name: 'mono' | 'stereo' | 'mono-fec' | 'dtx'): Uint8Array[] {
  const j = JSON.parse(readFileSync(join(ROOT, '__tests__', 'fixtures', `ffmpeg-opus-${name}.json`), 'utf8')) as { packets: string[] };
  // A plain RTP header (no CSRC, no extension) is 12 bytes; the fixtures have none other.
  return j.packets.map((h) => new Uint8Array(Buffer.from(h, 'hex').subarray(12)));
}

/** A sine at `hz`, interleaved, the same on every channel. */
export function sine(rate: number, channels: number, frames: number, hz = 1000, amp = 8000): Int16Array {
  const pcm = new Int16Array(frames * channels);
  for (let i = 0; i < frames; i++) {
    const v = Math.round(amp * Math.sin((2 * Math.PI * hz * i) / rate));
    for (let c = 0; c < channels; c++) pcm[i * channels + c] = v;
  }
  return pcm;
}

export function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Energy of a − b over [from, to) samples, relative to a's (dB; lower is closer). */
export function errorDb(a: Int16Array, b: Int16Array, from: number, to: number): number {
  let e = 0;
  let s = 0;
  for (let i = from; i < to; i++) {
    e += (a[i]! - b[i]!) ** 2;
    s += a[i]! ** 2;
  }
  return 10 * Math.log10(e / s);
}
