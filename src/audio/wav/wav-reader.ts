// Reads 16-bit PCM frames from a WAV file in blocks, in constant memory.
// Reads are synchronous: a source pulls a block on its pacer tick, and a
// small local read is cheaper than a round trip through the thread pool.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { AudioFormat } from '../../shared/audio-format.js';
import { BYTES_PER_SAMPLE } from '../../shared/audio-format.js';
import { parseWavHeader, WAV_NO_DATA } from './wav.js';
import { describeSystemError } from '../../shared/errors.js';

// Most headers fit the first read; a long LIST/metadata chunk gets the second.
const HEADER_READS = [64 * 1024, 4 * 1024 * 1024];

/** Why a WAV file cannot be a source: the file cannot be read, or it is a WAV of a kind we do not take (24-bit, float…). */
export class WavReadError extends Error {
  constructor(
    message: string,
    readonly kind: 'unreadable' | 'format',
  ) {
    super(message);
    this.name = 'WavReadError';
  }
}

export class WavReader {
  readonly format: AudioFormat;
  readonly totalFrames: number;
  private readonly blockAlign: number;
  private fd: number | null;
  private frame = 0;

  private constructor(
    private readonly path: string,
    fd: number,
    format: AudioFormat,
    private readonly dataOffset: number,
    totalFrames: number,
  ) {
    this.fd = fd;
    this.format = format;
    this.totalFrames = totalFrames;
    this.blockAlign = format.channels * BYTES_PER_SAMPLE;
  }

  /** Throws a WavReadError whose message is one line for the user: "cannot read WAV file x: …". */
  static open(path: string): WavReader {
    const fail = (why: string, kind: WavReadError['kind'] = 'unreadable'): Error => new WavReadError(`cannot read WAV file ${path}: ${why}`, kind);
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      throw fail(describeSystemError(err));
    }
    try {
      const fileBytes = fstatSync(fd).size;
      for (const want of HEADER_READS) {
        const buf = Buffer.alloc(Math.min(want, fileBytes));
        const got = readSync(fd, buf, 0, buf.length, 0);
        const info = parseWavHeader(buf.subarray(0, got));
        if ('error' in info) {
          if (info.error === WAV_NO_DATA && got < fileBytes) continue;
          throw fail(info.error, 'format');
        }
        const blockAlign = info.format.channels * BYTES_PER_SAMPLE;
        const onDisk = Math.max(0, fileBytes - info.dataOffset);
        // A writer killed before its final header leaves 0 or a size past EOF.
        const dataBytes = info.dataBytes === 0 || info.dataBytes > onDisk ? onDisk : info.dataBytes;
        return new WavReader(path, fd, info.format, info.dataOffset, Math.floor(dataBytes / blockAlign));
      }
      throw fail('its header is larger than 4 MB');
    } catch (err) {
      closeSync(fd);
      if (err instanceof WavReadError) throw err;
      throw fail(describeSystemError(err));
    }
  }

  /**
   * Up to `frames` frames (samples per channel); the last block may be short;
   * null at the end. A failed read (EIO: a dying disk, a pulled stick) throws
   * one line for the user: "cannot read WAV file x: input/output error".
   */
  read(frames: number): Int16Array | null {
    if (this.fd === null) return null;
    const n = Math.min(Math.floor(frames), this.totalFrames - this.frame);
    if (n <= 0) return null;
    const out = new Int16Array(n * this.format.channels);
    const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    const position = this.dataOffset + this.frame * this.blockAlign;
    let got = 0;
    while (got < bytes.length) {
      let r: number;
      try {
        r = readSync(this.fd, bytes, got, bytes.length - got, position + got);
      } catch (err) {
        throw new Error(`cannot read WAV file ${this.path}: ${describeSystemError(err)}`, { cause: err });
      }
      if (r === 0) break; // the file shrank under us
      got += r;
    }
    const whole = Math.floor(got / this.blockAlign);
    this.frame += whole;
    if (whole === 0) return null;
    return whole === n ? out : out.subarray(0, whole * this.format.channels);
  }

  rewind(): void {
    this.frame = 0;
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    closeSync(fd);
  }
}
