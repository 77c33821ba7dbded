import { EventEmitter } from 'node:events';
import type { DeviceSide } from '../device-side.js';
import type { Logger } from 'pino';
import { checkDeviceChoice } from '../device/check.js';
import { FormatConverter } from '../device/convert.js';
import { DeviceStream } from '../device/device-stream.js';
import { Rechunker } from '../device/rechunker.js';
import type { AudioFormat } from '../../shared/audio-format.js';
import { msFor, samplesPerChannel } from '../../shared/audio-format.js';
import { Pacer } from '../pacer.js';
import type { AudioSource, SourceEvents } from './source.js';

/** Device buffers are at most this long, whatever the packet size. */
export const DEVICE_CHUNK_MS = 10;

export interface MicSourceOptions {
  frameMs: number;
  /** PortAudio id; undefined for the default input. */
  device: number | undefined;
  log: Logger;
}

/**
 * The microphone, through the PortAudio worker: frames at the device's pace,
 * converted to the stream's format if the device would not open at it, cut
 * to --frame-ms. Until the device keeps pace, and while it is missing or
 * lost, it sends silence at real-time pace, so the network side keeps
 * running, and retries the device.
 */
export class MicSource extends EventEmitter<SourceEvents> implements AudioSource, DeviceSide {
  readonly description: string;
  /** Lines worth showing: device up, lost, back. */
  readonly notices = new EventEmitter<{ notice: [string] }>();
  private readonly rechunker: Rechunker;
  private readonly fallback: Pacer;
  private readonly frames: number;
  private stream: DeviceStream | undefined;
  private converter: FormatConverter | undefined;
  private live = false;

  constructor(
    readonly format: AudioFormat,
    private readonly opts: MicSourceOptions,
  ) {
    super();
    this.description = opts.device === undefined ? 'the default microphone' : `microphone device ${opts.device}`;
    this.frames = samplesPerChannel(format, opts.frameMs);
    this.rechunker = new Rechunker(this.frames * format.channels);
    this.fallback = new Pacer({ intervalMs: msFor(format, this.frames) }, () => {
      this.emit('frame', new Int16Array(this.frames * format.channels));
    });
  }

  /** Start-up check: a --device that does not exist stops here with a UserError. */
  check(): Promise<void> {
    return checkDeviceChoice('input', this.opts.device, this.opts.log);
  }

  get device(): DeviceSide {
    return this;
  }

  /** The worker's pid while one runs (for tests that play a crash). */
  get workerPid(): number | undefined {
    return this.stream?.workerPid;
  }

  start(): void {
    if (this.stream) return;
    const chunkMs = Math.min(this.opts.frameMs, DEVICE_CHUNK_MS);
    const s = new DeviceStream({
      direction: 'input',
      device: this.opts.device,
      format: this.format,
      chunkFrames: samplesPerChannel(this.format, chunkMs),
      log: this.opts.log,
    });
    this.stream = s;
    s.on('up', (up) => {
      this.converter = new FormatConverter(up.format, this.format);
      this.rechunker.reset();
    });
    // A capture starts in fits (a backlog, then a pause): silence until it keeps pace.
    s.on('flowing', () => {
      this.live = true;
      this.fallback.stop();
    });
    s.on('pcm', (pcm) => this.onDeviceAudio(pcm));
    s.on('down', (line) => {
      this.goSilent();
      if (line) this.notices.emit('notice', line);
    });
    s.on('notice', (line) => this.notices.emit('notice', line));
    this.goSilent(); // until the device delivers its first audio
    s.start();
  }

  stop(): void {
    this.fallback.stop();
    const s = this.stream;
    this.stream = undefined;
    void s?.stop();
  }

  /** Resolves once the worker is gone (stop() does not wait). */
  async close(): Promise<void> {
    this.fallback.stop();
    const s = this.stream;
    this.stream = undefined;
    await s?.stop();
  }

  private onDeviceAudio(pcm: Int16Array): void {
    if (!this.live) return;
    const converted = this.converter ? this.converter.process(pcm) : pcm;
    for (const frame of this.rechunker.push(converted)) this.emit('frame', frame);
  }

  private goSilent(): void {
    this.live = false;
    this.rechunker.reset();
    this.fallback.start();
  }
}
