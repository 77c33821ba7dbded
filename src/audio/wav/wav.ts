// Pure RIFF/WAVE header math for 16-bit linear PCM. No I/O.
//
//  offset size  field
//   0     4     "RIFF"
//   4     4     RIFF size = 36 + data bytes (file size − 8)
//   8     4     "WAVE"
//  12     4     "fmt "
//  16     4     fmt size = 16
//  20     2     audio format = 1 (PCM)
//  22     2     channels
//  24     4     sample rate
//  28     4     byte rate = rate × block align
//  32     2     block align = channels × 2
//  34     2     bits per sample = 16
//  36     4     "data"
//  40     4     data bytes
//  44           samples, little-endian, interleaved
import type { AudioFormat } from '../../shared/audio-format.js';
import { BYTES_PER_SAMPLE } from '../../shared/audio-format.js';

export const WAV_HEADER_BYTES = 44;
/** Largest data chunk a 32-bit RIFF size can describe. */
export const WAV_MAX_DATA_BYTES = 0xffffffff - 36;
export const WAV_MIN_RATE = 8000;
export const WAV_MAX_RATE = 96000;

const RIFF_SIZE = 4;
const FMT_CHUNK = 12;
const DATA_SIZE = 40;

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

export type WavInfo = { format: AudioFormat; dataOffset: number; dataBytes: number };

export function wavHeader(format: AudioFormat, dataBytes: number): Buffer {
  const blockAlign = format.channels * BYTES_PER_SAMPLE;
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + dataBytes, RIFF_SIZE);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', FMT_CHUNK, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(FORMAT_PCM, 20);
  h.writeUInt16LE(format.channels, 22);
  h.writeUInt32LE(format.rate, 24);
  h.writeUInt32LE(format.rate * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes, DATA_SIZE);
  return h;
}

/** Error text when `buf` ends before a data chunk: a reader with more file left reads more and retries. */
export const WAV_NO_DATA = 'WAV has no data chunk';

type Fmt = { tag: number; channels: number; rate: number; bits: number; subTag: number | null };

/**
 * Walks the RIFF chunks in `buf` (the start of a file), skipping the ones it
 * does not need (LIST, fact, cue …), and checks the format is one the
 * streamer can play. The data size is returned as the header says it; a
 * reader clamps it to the file (a crashed writer leaves 0 or a stale size).
 */
export function parseWavHeader(buf: Buffer): WavInfo | { error: string } {
  if (buf.length < 12) return { error: 'not a WAV file (too short)' };
  const riff = buf.toString('latin1', 0, 4);
  if (riff === 'RIFX') return { error: 'not a WAV file streamer can read (big-endian RIFX)' };
  if (riff === 'RF64') return { error: 'WAV is RF64 (over 4 GB); streamer needs a plain RIFF WAV' };
  if (riff !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') return { error: 'not a WAV file' };

  let fmt: Fmt | null = null;
  let pos = 12;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('latin1', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > buf.length) return { error: 'WAV has a damaged fmt chunk' };
      fmt = readFmt(buf, body, size);
    } else if (id === 'data') {
      if (!fmt) return { error: 'WAV has no fmt chunk before its data' };
      const checked = checkFmt(fmt);
      if ('error' in checked) return checked;
      return { format: checked, dataOffset: body, dataBytes: size };
    }
    pos = body + size + (size & 1); // chunks are padded to an even length
  }
  return { error: WAV_NO_DATA };
}

function readFmt(buf: Buffer, at: number, size: number): Fmt {
  const tag = buf.readUInt16LE(at);
  // WAVE_FORMAT_EXTENSIBLE keeps the real format in the first 2 bytes of its GUID.
  const subTag = tag === FORMAT_EXTENSIBLE && size >= 26 ? buf.readUInt16LE(at + 24) : null;
  return {
    tag,
    channels: buf.readUInt16LE(at + 2),
    rate: buf.readUInt32LE(at + 4),
    bits: buf.readUInt16LE(at + 14),
    subTag,
  };
}

function checkFmt(f: Fmt): AudioFormat | { error: string } {
  const tag = f.tag === FORMAT_EXTENSIBLE ? f.subTag : f.tag;
  if (tag === FORMAT_FLOAT) return { error: `WAV is ${f.bits}-bit float; streamer needs 16-bit PCM` };
  if (tag !== FORMAT_PCM) {
    const hex = (tag ?? f.tag).toString(16).padStart(4, '0');
    return { error: `WAV is compressed (format 0x${hex}); streamer needs 16-bit PCM` };
  }
  if (f.bits !== 16) return { error: `WAV is ${f.bits}-bit; streamer needs 16-bit PCM` };
  if (f.channels !== 1 && f.channels !== 2) {
    return { error: `WAV has ${f.channels} channels; streamer needs mono or stereo` };
  }
  if (!Number.isInteger(f.rate) || f.rate < WAV_MIN_RATE || f.rate > WAV_MAX_RATE) {
    return { error: `WAV is ${f.rate} Hz; streamer needs ${WAV_MIN_RATE}–${WAV_MAX_RATE} Hz` };
  }
  return { rate: f.rate, channels: f.channels };
}
