// Streaming WAV writer: audio goes to disk as it arrives, in bounded memory,
// and the header is rewritten at least once a second so that a process
// killed mid-recording leaves a file that plays up to its last second.
//
// write() only copies into a spool of reused 32 KB chunks (no allocation per
// frame in steady state); one pump writes what is pending in order with
// positional writes and slips a header rewrite in between. Any failure
// stops the writer, finalises the header as best it can and emits 'error'.
import { EventEmitter } from 'node:events';
import { close, fdatasync, open, write, writev } from 'node:fs';
import { promisify } from 'node:util';
import { dirname } from 'node:path';
import { describeSystemError } from '../../shared/errors.js';
import type { AudioFormat } from '../../shared/audio-format.js';
import { BYTES_PER_SAMPLE } from '../../shared/audio-format.js';
import { PcmSpool } from './pcm-spool.js';
import { WAV_HEADER_BYTES, WAV_MAX_DATA_BYTES, WAV_MAX_RATE, WAV_MIN_RATE, wavHeader } from './wav.js';

export interface WavWriterResult {
  path: string;
  durationS: number;
  /** File size in bytes. */
  bytes: number;
}

export interface WavWriterOptions {
  /** Fail with "O_EXCL" semantics if the file exists (for generated names). */
  exclusive?: boolean;
  /** Audio allowed to wait for the disk before the recording stops (default 8 s). */
  maxQueuedS?: number;
  /** How often the data is synced and the header rewritten to cover it (default 1000 ms). */
  syncIntervalMs?: number;
}

// The callback fs API rather than FileHandle: each FileHandle call allocates
// a stats array off the JS heap that V8 collects late; in the one-hour bench
// that was ~2 MB of RSS drift.
const openFd = promisify(open);
const closeFd = promisify(close);
// Looked up at each call, like the writes below, so a test can watch the order of syncs and writes.
const datasyncFd = (fd: number): Promise<void> => new Promise((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve())));
const writeAt = (fd: number, buf: Buffer, position: number): Promise<number> =>
  new Promise((resolve, reject) => write(fd, buf, 0, buf.length, position, (e, n) => (e ? reject(e) : resolve(n))));
const writevAt = (fd: number, bufs: Buffer[], position: number): Promise<number> =>
  new Promise((resolve, reject) => writev(fd, bufs, position, (e, n) => (e ? reject(e) : resolve(n))));

function supported({ rate, channels }: AudioFormat): boolean {
  return Number.isInteger(rate) && rate >= WAV_MIN_RATE && rate <= WAV_MAX_RATE && (channels === 1 || channels === 2);
}

export class WavWriter extends EventEmitter<{ error: [Error] }> {
  readonly path: string;
  private fmt: AudioFormat;
  private blockAlign = 0;
  private headerEveryBytes = 0;
  private maxQueuedBytes = 0;
  private readonly maxQueuedS: number;
  private readonly timer: NodeJS.Timeout;

  private readonly spool = new PcmSpool();
  private acceptedBytes = 0; // data bytes taken by write()
  private diskBytes = 0; // data bytes the OS has
  private inFlightBytes = 0;
  private headerBytes = -1; // data size the header on disk says
  private syncedBytes = 0;
  private headerDue = true; // the first header goes out before any data
  private running: Promise<void> | null = null;
  private closing: Promise<WavWriterResult> | null = null;
  private failure: Error | null = null;

  private constructor(
    private readonly fd: number,
    path: string,
    format: AudioFormat,
    opts: WavWriterOptions,
  ) {
    super();
    this.path = path;
    this.fmt = format;
    this.maxQueuedS = opts.maxQueuedS ?? 8;
    this.applyFormat(format);
    this.timer = setInterval(() => this.onTick(), opts.syncIntervalMs ?? 1000);
    this.timer.unref(); // a recording never keeps the process alive on its own
    this.kick();
  }

  /** Creates (or truncates) `path`. Rejects with one clear line; creates nothing else. */
  static async open(path: string, format: AudioFormat, opts: WavWriterOptions = {}): Promise<WavWriter> {
    const { rate, channels } = format;
    if (!supported(format)) throw new Error(`cannot record ${path}: unsupported format ${rate} Hz × ${channels} channels`);
    let fd: number;
    try {
      fd = await openFd(path, opts.exclusive ? 'wx' : 'w');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? `directory ${dirname(path)} does not exist` : describeSystemError(err);
      throw new Error(`cannot create ${path}: ${why}`, { cause: err });
    }
    return new WavWriter(fd, path, { rate, channels }, opts);
  }

  get format(): AudioFormat {
    return this.fmt;
  }

  /**
   * Gives a file that holds no audio yet another format (its header is
   * rewritten in place). False once audio was written: a file has one format.
   */
  reformat(format: AudioFormat): boolean {
    if (this.acceptedBytes > 0 || this.closing || this.failure || !supported(format)) return false;
    this.fmt = { rate: format.rate, channels: format.channels };
    this.applyFormat(this.fmt);
    this.headerDue = true;
    this.kick();
    return true;
  }

  private applyFormat(format: AudioFormat): void {
    this.blockAlign = format.channels * BYTES_PER_SAMPLE;
    const byteRate = format.rate * this.blockAlign;
    this.headerEveryBytes = byteRate;
    this.maxQueuedBytes = Math.ceil(this.maxQueuedS * byteRate);
  }

  /** Data frames accepted so far (samples per channel). */
  get framesWritten(): number {
    return this.acceptedBytes / this.blockAlign;
  }

  /** File size once everything accepted is on disk. */
  get bytes(): number {
    return WAV_HEADER_BYTES + this.acceptedBytes;
  }

  /** The error that stopped this writer, if any. */
  get error(): Error | null {
    return this.failure;
  }

  /** Never throws and never blocks: copies `pcm` into the spool. No-op once closed or failed. */
  write(pcm: Int16Array): void {
    if (this.closing || this.failure) return;
    const len = pcm.byteLength - (pcm.byteLength % this.blockAlign);
    if (len === 0) return;
    if (this.acceptedBytes + len > WAV_MAX_DATA_BYTES) {
      this.fail(new Error(`recording stopped: ${this.path} reached the 4 GB WAV size limit`));
      return;
    }
    const queued = this.acceptedBytes - this.diskBytes;
    if (queued + len > this.maxQueuedBytes) {
      const s = (queued / (this.format.rate * this.blockAlign)).toFixed(1);
      this.fail(new Error(`recording stopped: cannot write ${this.path}: the disk is not keeping up (${s} s of audio waiting)`));
      return;
    }
    this.spool.append(pcm, len); // a copy: the caller reuses its array for the next frame
    this.acceptedBytes += len;
    this.kick();
  }

  /** Flushes, writes the final header, fsyncs and closes. Idempotent; never rejects. */
  close(): Promise<WavWriterResult> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private onTick(): void {
    if (this.diskBytes !== this.headerBytes) this.headerDue = true;
    this.kick();
  }

  private kick(): void {
    if (this.running || this.failure) return;
    this.running = this.pump();
  }

  private async pump(): Promise<void> {
    // Never finish synchronously: kick() assigns `running` after pump() returns,
    // so a synchronous `running = null` below would be overwritten and stick.
    await Promise.resolve();
    try {
      for (;;) {
        if (this.headerDue) {
          this.headerDue = false;
          const size = this.diskBytes;
          // The data first, then the header that describes it: the disk may
          // reorder unsynced writes, and after a power loss a header must not
          // claim audio that never reached it. Once a second (or of audio).
          if (size !== this.syncedBytes) {
            await datasyncFd(this.fd);
            this.syncedBytes = size;
          }
          await writeAt(this.fd, wavHeader(this.format, size), 0);
          this.headerBytes = size;
        } else if (this.acceptedBytes > this.diskBytes) {
          const len = this.acceptedBytes - this.diskBytes;
          this.inFlightBytes = len;
          await this.writeAll(this.spool.pending(), len, WAV_HEADER_BYTES + this.diskBytes);
          this.inFlightBytes = 0;
          this.diskBytes += len;
          if (!this.failure) this.spool.consume(len);
          // Besides the timer: when audio arrives faster than real time, keep pace by amount.
          if (this.diskBytes - this.headerBytes >= this.headerEveryBytes) this.headerDue = true;
        } else {
          this.running = null; // same tick as the empty check: a write() now starts a new pump
          return;
        }
      }
    } catch (err) {
      this.running = null;
      this.inFlightBytes = 0;
      this.fail(new Error(`recording stopped: cannot write ${this.path}: ${describeSystemError(err)}`, { cause: err }));
    }
  }

  private async writeAll(bufs: Buffer[], len: number, position: number): Promise<void> {
    let done = await writevAt(this.fd, bufs, position);
    while (done < len) {
      // A short write (nearly full disk): write the rest, or get the errno.
      const rest = Buffer.concat(bufs).subarray(done);
      const n = await writeAt(this.fd, rest, position + done);
      if (n === 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      done += n;
    }
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    // Drop what never reached the disk; a write in flight still counts when it lands.
    this.spool.clear();
    this.acceptedBytes = this.diskBytes + this.inFlightBytes;
    // Emit later: the caller may be the audio path, which must never see a throw.
    process.nextTick(() => {
      if (this.listenerCount('error') > 0) this.emit('error', err);
    });
    void this.close();
  }

  private async finish(): Promise<WavWriterResult> {
    clearInterval(this.timer);
    while (this.running) await this.running;
    if (!this.failure) {
      this.headerDue = true;
      this.kick();
      while (this.running) await this.running;
      // And the final header itself.
      if (!this.failure) {
        await datasyncFd(this.fd).catch((err: unknown) =>
          this.fail(new Error(`recording stopped: cannot write ${this.path}: ${describeSystemError(err)}`, { cause: err })),
        );
      }
    } else {
      // Best effort: after ENOSPC, rewriting 44 existing bytes usually still works.
      await writeAt(this.fd, wavHeader(this.format, this.diskBytes), 0).catch(() => undefined);
    }
    try {
      await closeFd(this.fd);
    } catch (err) {
      this.fail(new Error(`recording stopped: cannot write ${this.path}: ${describeSystemError(err)}`, { cause: err }));
    }
    return {
      path: this.path,
      durationS: this.diskBytes / this.blockAlign / this.format.rate,
      bytes: WAV_HEADER_BYTES + this.diskBytes,
    };
  }
}
