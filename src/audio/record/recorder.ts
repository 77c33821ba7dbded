// The recording service both roles share, headless or under the dashboard:
// manual or timed recordings into a directory, one at a time, driven by the
// audio path calling write() for every frame. No React, no wall clock for
// timing: a timed recording counts samples.
import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import type { AudioFormat } from '../../shared/audio-format.js';
import { describeFormat, formatEquals } from '../../shared/audio-format.js';
import { uniqueRecordingPath } from './recording-name.js';
import { describeSystemError } from '../../shared/errors.js';
import { WavWriter, type WavWriterResult } from '../wav/wav-writer.js';

export interface RecorderState {
  recording: boolean;
  path: string | null;
  elapsedS: number;
  bytes: number;
  /** Length of a timed recording in seconds; null for a manual one. */
  untilS: number | null;
}

export interface RecorderOptions {
  format: AudioFormat;
  /** Where generated names go; created when missing. Default 'Recording'. */
  dir?: string;
  now?: () => Date;
}

type Events = {
  started: [{ path: string }];
  stopped: [WavWriterResult];
  error: [Error];
  /** On start, stop and error, and once per second of recorded audio. */
  state: [RecorderState];
};

const IDLE: RecorderState = { recording: false, path: null, elapsedS: 0, bytes: 0, untilS: null };
const NAME_RETRIES = 20; // another recorder may take the same name in the same second

export class Recorder extends EventEmitter<Events> {
  private format: AudioFormat;
  private readonly dir: string;
  private readonly now: () => Date;
  private writer: WavWriter | null = null;
  private starting: Promise<string> | null = null;
  private stopping: Promise<WavWriterResult | null> | null = null;
  private frames = 0;
  private untilFrames: number | null = null;
  private untilS: number | null = null;
  private nextStateFrame = 0;

  constructor(opts: RecorderOptions) {
    super();
    this.format = opts.format;
    this.dir = opts.dir ?? 'Recording';
    this.now = opts.now ?? (() => new Date());
  }

  /**
   * Starts recording to `path`, or to a new name in the directory. Resolves
   * with the path; if already recording, resolves with the current one.
   * Rejects with one clear line (bad duration, directory or file not creatable).
   */
  /** Resolves once a start under way has opened its file (or failed): audio written before that is not in it. */
  async settled(): Promise<void> {
    await this.starting?.catch(() => undefined);
  }

  start(opts: { path?: string; durationS?: number } = {}): Promise<string> {
    if (this.writer) return Promise.resolve(this.writer.path);
    if (this.starting) return this.starting;
    const { durationS } = opts;
    if (durationS !== undefined && !(Number.isFinite(durationS) && durationS > 0)) {
      return Promise.reject(new Error(`recording duration must be a positive number of seconds, not ${durationS}`));
    }
    this.starting = this.openWriter(opts.path).then((w) => this.begin(w, durationS ?? null));
    const clear = (): void => {
      this.starting = null;
    };
    this.starting.then(clear, clear);
    return this.starting;
  }

  /** Stops and finalises the file. Idempotent: null when nothing was recording. */
  stop(): Promise<WavWriterResult | null> {
    if (this.stopping) return this.stopping;
    if (!this.writer) {
      if (!this.starting) return Promise.resolve(null);
      // A stop during start wins: let the file open, then close it.
      return this.starting.then(
        () => this.stop(),
        () => null,
      );
    }
    const w = this.writer;
    this.writer = null; // write() is a no-op from here on
    this.stopping = w.close().then((result) => {
      this.stopping = null;
      this.emit('stopped', result);
      this.emit('state', this.state());
      return result;
    });
    return this.stopping;
  }

  /** Called for every frame from the audio path. Never throws; no-op when not recording. */
  write(pcm: Int16Array): void {
    const w = this.writer;
    if (!w) return;
    const ch = this.format.channels;
    let frames = Math.floor(pcm.length / ch);
    let last = false;
    if (this.untilFrames !== null && this.frames + frames >= this.untilFrames) {
      frames = this.untilFrames - this.frames; // split the block: exactly durationS of audio
      last = true;
    }
    w.write(frames * ch === pcm.length ? pcm : pcm.subarray(0, frames * ch));
    this.frames += frames;
    if (last) {
      void this.stop();
    } else if (this.frames >= this.nextStateFrame) {
      this.nextStateFrame += this.format.rate;
      this.emit('state', this.state());
    }
  }

  state(): RecorderState {
    const w = this.writer;
    if (!w) return { ...IDLE };
    return {
      recording: true,
      path: w.path,
      elapsedS: this.frames / this.format.rate,
      bytes: w.bytes,
      untilS: this.untilS,
    };
  }

  /**
   * The stream's format, as the receiver learns it from a packet. A recording
   * that holds no audio yet takes it: `r` pressed before the first packet
   * gets the file it asked for, at the format of the audio it will hold.
   * One that holds audio stops and keeps its file: a WAV file has one format,
   * and the new stream's samples would garble it.
   */
  setFormat(format: AudioFormat): void {
    if (formatEquals(format, this.format)) return;
    const old = this.format;
    this.format = { rate: format.rate, channels: format.channels };
    const w = this.writer;
    if (!w) return; // idle, or its file still opening: begin() applies it
    if (this.frames === 0) {
      w.reformat(this.format);
      this.retime();
      return;
    }
    const err = new Error(
      `recording stopped: the stream changed to ${describeFormat(this.format)}; ${w.path} keeps the ${describeFormat(old)} audio before it (a WAV file has one format) — start a new recording for the new stream`,
    );
    void this.stop(); // at once: the next write() is the new stream's
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  private async openWriter(path: string | undefined): Promise<WavWriter> {
    if (path !== undefined) return WavWriter.open(path, this.format);
    try {
      await mkdir(this.dir, { recursive: true });
    } catch (err) {
      throw new Error(`cannot create recording directory ${this.dir}: ${describeSystemError(err)}`, { cause: err });
    }
    for (let i = 0; ; i++) {
      const candidate = uniqueRecordingPath(this.dir, this.now());
      try {
        return await WavWriter.open(candidate, this.format, { exclusive: true });
      } catch (err) {
        const code = ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code;
        if (code !== 'EEXIST' || i >= NAME_RETRIES) throw err;
      }
    }
  }

  private begin(w: WavWriter, untilS: number | null): string {
    this.writer = w;
    this.frames = 0;
    this.untilS = untilS;
    if (!formatEquals(w.format, this.format)) w.reformat(this.format); // the stream became known while the file opened
    this.retime();
    w.on('error', (err) => this.onWriterError(w, err));
    this.emit('started', { path: w.path });
    this.emit('state', this.state());
    return w.path;
  }

  /** A timed recording counts samples: at the format it records. */
  private retime(): void {
    this.untilFrames = this.untilS === null ? null : Math.max(1, Math.round(this.untilS * this.format.rate));
    this.nextStateFrame = this.format.rate;
  }

  private onWriterError(w: WavWriter, err: Error): void {
    // The writer has already stopped itself and is finalising its header.
    if (this.writer === w) this.writer = null;
    if (this.listenerCount('error') > 0) this.emit('error', err);
    this.emit('state', this.state());
  }
}
