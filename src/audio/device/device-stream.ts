// A device stream that stays up: it runs the PortAudio worker, and when the
// worker dies, reports an error, or the device goes quiet (a lost sound
// server stalls PortAudio without a word), it says so once and opens the
// device again with backoff until it is back. "Up" and "back" are said once
// audio flows at the device's pace, not when PortAudio merely opened it.
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { AudioFormat } from '../../shared/audio-format.js';
import { describeFormat } from '../../shared/audio-format.js';
import { retryDelayMs } from './backoff.js';
import { isOutputUnderflow } from './chatter.js';
import { describeProblem } from './device-list.js';
import { DeviceLiveness } from './liveness.js';
import type { DeviceInfo, Direction, FromWorker } from './protocol.js';
import { WorkerProcess } from './worker-process.js';

export interface DeviceStreamOptions {
  direction: Direction;
  /** PortAudio id; undefined for the default device. */
  device: number | undefined;
  format: AudioFormat;
  chunkFrames: number;
  log: Logger;
  /** Flowing, then no audio for this long (100 buffers): the device is lost. */
  stallMs?: number;
  /** Opened, and not flowing after this long (PulseAudio can take ~2 s to start a stream). */
  firstAudioMs?: number;
  /** No answer to `open` for this long. */
  openMs?: number;
}

export interface DeviceUp {
  device: DeviceInfo;
  /** The format the device runs at (the stream's, unless it refused it). */
  format: AudioFormat;
  chunkFrames: number;
}

export interface DeviceStreamEvents {
  /** PortAudio opened the device; audio may not flow yet. */
  up: [DeviceUp];
  /** The device now moves audio at its own pace (after `up`, once per opening). */
  flowing: [];
  /** The device is not usable (for now); `line` is the one line to show, null when already shown. */
  down: [line: string | null];
  pcm: [Int16Array];
  consumed: [frames: number, starved: number];
  /** Output: PortAudio says the device's own buffer ran dry and it played silence. */
  underflow: [];
  /** A line worth showing that is not a failure ("speaker back: …"). */
  notice: [line: string];
}

type State = 'idle' | 'opening' | 'running' | 'waiting' | 'stopped';

/** Audio must flow this long after a failure before another failure counts as a new outage. */
const RECOVERED_AFTER_MS = 3000;

export class DeviceStream extends EventEmitter<DeviceStreamEvents> {
  private state: State = 'idle';
  private worker: WorkerProcess | undefined;
  private attempt = 0;
  private since = 0; // when the current state began
  private liveness: DeviceLiveness | undefined;
  private opened: Extract<FromWorker, { t: 'opened' }> | undefined;
  private lastProblem: string | undefined;
  private everUp = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private readonly stallMs: number;
  private readonly firstAudioMs: number;
  private readonly openMs: number;

  constructor(private readonly opts: DeviceStreamOptions) {
    super();
    this.stallMs = opts.stallMs ?? 1000;
    this.firstAudioMs = opts.firstAudioMs ?? 5000;
    this.openMs = opts.openMs ?? 10_000;
  }

  get role(): string {
    return this.opts.direction === 'input' ? 'microphone' : 'speaker';
  }

  /** The worker's process id while one runs (tests kill it to play a crash). */
  get workerPid(): number | undefined {
    return this.worker?.pid;
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.watchdog = setInterval(() => this.check(), 250);
    this.open();
  }

  send(pcm: Int16Array): void {
    if (this.state === 'running') this.worker?.send({ t: 'pcm', pcm });
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    clearInterval(this.watchdog);
    clearTimeout(this.retryTimer);
    const w = this.worker;
    this.worker = undefined;
    await w?.close();
  }

  private open(): void {
    const o = this.opts;
    this.setState('opening');
    let w: WorkerProcess;
    try {
      w = new WorkerProcess(o.log);
    } catch (err) {
      // fork itself failed (out of processes or memory): retried like any device failure.
      this.fail(`cannot start the audio worker: ${(err as Error).message}`);
      return;
    }
    this.worker = w;
    w.on('message', (m) => {
      if (this.worker === w) this.onMessage(m);
    });
    w.on('chatter', (line) => {
      if (this.worker === w && this.state === 'running' && isOutputUnderflow(line)) this.emit('underflow');
    });
    w.on('exit', (how) => {
      if (this.worker === w) this.fail(`the audio worker died (${how})`);
    });
    w.send({ t: 'open', direction: o.direction, device: o.device ?? null, format: o.format, chunkFrames: o.chunkFrames });
  }

  private onMessage(m: FromWorker): void {
    switch (m.t) {
      case 'opened':
        this.setState('running');
        this.opened = m;
        this.liveness = new DeviceLiveness(m.format.rate, this.since, { stallMs: this.stallMs, firstAudioMs: this.firstAudioMs });
        this.emit('up', { device: m.device, format: m.format, chunkFrames: m.chunkFrames });
        return;
      case 'pcm':
        this.moved(m.pcm.length / (this.opened?.format.channels ?? 1));
        this.emit('pcm', m.pcm);
        return;
      case 'consumed':
        // The device took one whole buffer, whatever share of it was silence.
        this.moved(this.opened?.chunkFrames ?? m.frames + m.starved);
        this.emit('consumed', m.frames, m.starved);
        return;
      case 'error':
        this.fail(m.message);
        return;
      case 'devices':
        return;
    }
  }

  private moved(frames: number): void {
    const live = this.liveness;
    if (!live || this.state !== 'running') return;
    const now = performance.now();
    if (live.moved(now, frames)) {
      this.announce(this.opened!);
      this.emit('flowing');
    }
    // The outage is over once audio has flowed for a while: a sound server that
    // is just restarting stutters, and that is the same outage, not a new line.
    if (this.lastProblem !== undefined && live.flowingSince !== undefined && now - live.flowingSince >= RECOVERED_AFTER_MS) {
      this.attempt = 0; // it really works again: the next failure retries quickly
      this.lastProblem = undefined;
    }
  }

  private announce(m: Extract<FromWorker, { t: 'opened' }>): void {
    const converted =
      m.format.rate !== this.opts.format.rate || m.format.channels !== this.opts.format.channels
        ? ` (the device runs at ${describeFormat(m.format)}; converting)`
        : '';
    const line = `${this.role}${this.everUp ? ' back' : ''}: device ${m.device.id} "${m.device.name}" (${m.device.hostApi}), ${describeFormat(this.opts.format)}${converted}`;
    this.everUp = true;
    this.opts.log.info({ device: m.device, format: m.format }, line);
    this.emit('notice', line);
  }

  private check(): void {
    const now = performance.now();
    if (this.state === 'opening' && now - this.since > this.openMs) this.fail('PortAudio did not open the device');
    else if (this.state === 'running') {
      const lost = this.liveness?.check(now);
      if (lost) this.fail(lost);
    }
  }

  private fail(detail: string): void {
    if (this.state === 'stopped' || this.state === 'waiting') return;
    const w = this.worker;
    this.worker = undefined;
    this.liveness = undefined;
    w?.kill(); // it may be hung inside PortAudio: no polite close
    this.setState('waiting');
    const delay = retryDelayMs(this.attempt++);
    // One line per outage; what the retries run into meanwhile goes to the debug log.
    if (this.lastProblem === undefined) {
      this.lastProblem = detail;
      const line = `${describeProblem(this.opts.direction, detail)}; retrying`;
      this.opts.log.warn({ detail }, line);
      this.emit('down', line);
    } else {
      this.opts.log.debug({ detail, retryInMs: delay }, `${this.role} still unavailable: ${detail}`);
      this.emit('down', null);
    }
    this.retryTimer = setTimeout(() => {
      if (this.state === 'waiting') this.open();
    }, delay);
  }

  private setState(s: State): void {
    this.state = s;
    this.since = performance.now();
  }
}
