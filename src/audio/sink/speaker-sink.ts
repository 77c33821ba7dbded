import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { DeviceSide } from '../device-side.js';
import type { Logger } from 'pino';
import { checkDeviceChoice } from '../device/check.js';
import { FormatConverter } from '../device/convert.js';
import type { DeviceStreamEvents, DeviceStreamOptions, DeviceUp } from '../device/device-stream.js';
import { DeviceStream } from '../device/device-stream.js';
import type { AudioFormat } from '../../shared/audio-format.js';
import { msFor, samplesPerChannel } from '../../shared/audio-format.js';
import { DEVICE_CHUNK_MS } from '../source/mic-source.js';
import { Pacer } from '../pacer.js';
import type { Pull } from './sink.js';
import { BaseSink } from './sink.js';
import { UnseenSilence } from './unseen-silence.js';

/**
 * Device buffers kept queued for the worker (20 ms). Each one is 10 ms of
 * mouth-to-ear delay (4 → 2 took 20 ms off, issue 19). A busy event loop
 * here may be late by these 10–20 ms plus the worker's grace (OutputPump:
 * two buffers, which naudiodon's 20 ms and PulseAudio's 30 ms below cover)
 * before the device plays silence: 30–40 ms, as the four buffers gave.
 */
export const IN_FLIGHT_BUFFERS = 2;

export interface SpeakerSinkOptions {
  frameMs: number;
  /** PortAudio id; undefined for the default output. */
  device: number | undefined;
  log: Logger;
  /** Opens the device stream (tests pass a fake). */
  openStream?: (o: DeviceStreamOptions) => SpeakerStream;
  /** Monotonic ms (tests pass a fake). */
  now?: () => number;
}

/** What the sink needs of a DeviceStream. */
export type SpeakerStream = Pick<EventEmitter<DeviceStreamEvents>, 'on'> & Pick<DeviceStream, 'start' | 'stop' | 'send' | 'workerPid'>;

/**
 * The speaker, through the PortAudio worker, clocked by the device: each
 * buffer the device takes pulls the next one from the jitter buffer, with a
 * few buffers in flight so the worker never waits on us. When the worker
 * had nothing to give (we fell behind), the device played silence: that is
 * an underrun, counted here, and the audio it replaced is pulled and dropped
 * so the delay does not grow. Until the device runs at its pace (start-up
 * comes in fits), and while it is missing or lost, a monotonic pacer keeps
 * pulling instead (the stats and recording go on; the pulls say nobody hears
 * them, so the level meter shows silence) and the device is retried.
 */
export class SpeakerSink extends BaseSink implements DeviceSide {
  readonly description: string;
  /** Lines worth showing: device up, lost, back. */
  readonly notices = new EventEmitter<{ notice: [string] }>();
  /** Device underruns: runs of buffers the worker had to fill with silence, and PortAudio's own underflows. */
  override underruns = 0;
  private stream: SpeakerStream | undefined;
  private fallback: Pacer | undefined;
  private format: AudioFormat | undefined;
  private pull: Pull | undefined;
  private converter: FormatConverter | undefined;
  private inFlight = 0; // device frames sent and not yet taken
  private target = 0;
  private pullFrames = 0; // stream frames per pull
  private deviceRate = 0;
  private starving = false;
  private chunkFrames = 0; // device frames per buffer
  private flowing = false;
  private readonly unseen = new UnseenSilence();

  constructor(private readonly opts: SpeakerSinkOptions) {
    super();
    this.description = opts.device === undefined ? 'the default speaker' : `speaker device ${opts.device}`;
  }

  /** Start-up check: a --device that does not exist stops here with a UserError. */
  check(): Promise<void> {
    return checkDeviceChoice('output', this.opts.device, this.opts.log);
  }

  override get device(): DeviceSide {
    return this;
  }

  get workerPid(): number | undefined {
    return this.stream?.workerPid;
  }

  async start(format: AudioFormat, pull: Pull): Promise<void> {
    if (this.stream) return;
    this.format = format;
    this.pull = pull;
    const frameFrames = samplesPerChannel(format, this.opts.frameMs);
    this.fallback = new Pacer({ intervalMs: msFor(format, frameFrames) }, (_tick, lateMs) => pull(frameFrames, false, lateMs));
    this.pullFrames = samplesPerChannel(format, Math.min(this.opts.frameMs, DEVICE_CHUNK_MS));
    const o: DeviceStreamOptions = { direction: 'output', device: this.opts.device, format, chunkFrames: this.pullFrames, log: this.opts.log };
    const s = this.opts.openStream ? this.opts.openStream(o) : new DeviceStream(o);
    this.stream = s;
    s.on('up', (up) => this.onUp(up));
    s.on('flowing', () => this.onFlowing());
    s.on('consumed', (frames, starved) => this.onConsumed(frames, starved));
    s.on('underflow', () => this.onUnderflow());
    s.on('down', (line) => {
      this.converter = undefined;
      this.flowing = false;
      this.fallback?.start();
      if (line) this.notices.emit('notice', line);
    });
    s.on('notice', (line) => this.notices.emit('notice', line));
    this.fallback.start(); // until the device runs
    s.start();
  }

  async stop(): Promise<void> {
    this.fallback?.stop();
    this.fallback = undefined;
    const s = this.stream;
    this.stream = undefined;
    this.converter = undefined;
    await s?.stop();
  }

  private onUp(up: DeviceUp): void {
    this.converter = new FormatConverter(this.format!, up.format);
    this.deviceRate = up.format.rate;
    this.chunkFrames = up.chunkFrames;
    this.target = IN_FLIGHT_BUFFERS * up.chunkFrames;
    this.inFlight = 0;
    this.starving = false;
    this.flowing = false;
  }

  /** The device runs at its pace: it takes over from the pacer. */
  private onFlowing(): void {
    if (!this.converter) return;
    this.flowing = true;
    this.unseen.reset();
    this.fallback?.stop();
    this.prime();
    this.fill();
  }

  private onConsumed(frames: number, starved: number): void {
    // Until it flows, the device plays its own silence; the pacer keeps the playout going.
    if (!this.converter || !this.flowing) return;
    const now = this.now();
    this.unseen.took(now, (this.chunkFrames * 1000) / this.deviceRate);
    this.inFlight = Math.max(0, this.inFlight - frames);
    if (starved > 0) {
      if (!this.starving) {
        this.underruns++;
        this.opts.log.debug({ starved, inFlight: this.inFlight }, 'speaker: the device ran dry (we fell behind); it played silence');
      }
      this.starving = true;
      // The device played silence in place of this audio: skip it (unheard), keep the delay.
      this.pull!(Math.round((starved * this.format!.rate) / this.deviceRate), false);
    } else if (frames > 0) {
      this.starving = false;
    }
    const lostMs = this.unseen.settle(now);
    if (lostMs > 0) {
      // Below the worker everything plays that much later now: skip as much (unheard) to keep the delay.
      this.opts.log.debug({ lostMs: Math.round(lostMs * 10) / 10 }, 'speaker: the device played silence of its own after an underflow; skipping as much');
      this.pull!(Math.round((lostMs * this.format!.rate) / 1000), false);
    }
    this.fill();
  }

  /**
   * The device's own buffer ran dry below the worker (its thread or the sound
   * server came late): it played silence the worker never saw. Until it flows,
   * that is start-up; after, an underrun like any. Everything below the
   * worker plays that much later from then on: once the device's takes show
   * how much (UnseenSilence), as much is skipped, as for a starved buffer.
   */
  private onUnderflow(): void {
    if (!this.converter || !this.flowing) return;
    this.unseen.underflow(this.now());
    this.underruns++;
    this.opts.log.debug('speaker: the device buffer ran dry (PortAudio output underflow); it played silence');
  }

  /**
   * The device takes over: its queue starts as silence (what it played until
   * now, while the pacer's pulls went nowhere) but for one buffer. Filling
   * it from the jitter buffer instead would take that much out of it at once
   * (30 ms when four were in flight: an underrun on a 40 ms target, and the
   * delay jumping when it re-primes).
   */
  private now(): number {
    return this.opts.now?.() ?? performance.now();
  }

  private prime(): void {
    const c = this.converter;
    if (!c || !this.stream) return;
    const frames = this.target - this.chunkFrames;
    if (frames <= 0) return;
    this.stream.send(new Int16Array(frames * c.to.channels));
    this.inFlight += frames;
  }

  private fill(): void {
    const c = this.converter;
    if (!c || !this.pull || !this.stream) return;
    const ch = c.to.channels;
    while (this.inFlight < this.target) {
      const r = this.pull(this.pullFrames);
      // The pull's buffer is reused by the next pull: the converter or slice copies.
      const out = c.identity ? r.pcm.slice() : c.process(r.pcm);
      this.inFlight += out.length / ch;
      if (out.length > 0) this.stream.send(out);
      else break;
    }
  }
}
