import { EventEmitter } from 'node:events';
import type { AudioFormat } from '../../shared/audio-format.js';
import { msFor, samplesPerChannel } from '../../shared/audio-format.js';
import type { DeviceSide } from '../device-side.js';
import { Pacer } from '../pacer.js';

export interface SourceEvents {
  frame: [Int16Array];
  end: [];
  error: [Error];
}

/** Something that produces frames of PCM at its own clock. start/stop are safe twice. */
export interface AudioSource extends EventEmitter<SourceEvents> {
  readonly format: AudioFormat;
  readonly description: string;
  /** The device behind it, if there is one (the microphone); undefined for a tone or a file. */
  readonly device: DeviceSide | undefined;
  start(): void;
  stop(): void;
  /** Stops and resolves once everything behind it (a device worker) is gone. */
  close(): Promise<void>;
}

export interface FrameReader {
  /** Returns `frames` frames, fewer at the end, or null when there is no more. */
  read(frames: number): Int16Array | null;
  close?(): void;
}

/**
 * A source without a clock of its own (tone, WAV file): a monotonic pacer
 * pulls one frame per tick from a reader.
 */
export class PacedSource extends EventEmitter<SourceEvents> implements AudioSource {
  private readonly pacer: Pacer;
  private readonly frames: number;
  private ended = false;
  readonly device = undefined;

  constructor(
    readonly format: AudioFormat,
    readonly description: string,
    private readonly reader: FrameReader,
    opts: { frameMs: number; driftPpm?: number },
  ) {
    super();
    this.frames = samplesPerChannel(format, opts.frameMs);
    // The tick is the exact duration of the whole frames sent (2.5 ms at 44.1 kHz is 110 frames).
    this.pacer = new Pacer({ intervalMs: msFor(format, this.frames), driftPpm: opts.driftPpm }, () => this.tick());
  }

  start(): void {
    if (!this.ended) this.pacer.start();
  }

  stop(): void {
    this.pacer.stop();
    this.reader.close?.();
  }

  close(): Promise<void> {
    this.stop();
    return Promise.resolve();
  }

  private tick(): void {
    let pcm: Int16Array | null;
    try {
      pcm = this.reader.read(this.frames);
    } catch (err) {
      // Thrown in a timer it would reach the user as a stack trace: end the source, say why.
      this.ended = true;
      this.pacer.stop();
      this.emit('error', err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (pcm && pcm.length > 0) this.emit('frame', pcm);
    if (!pcm || pcm.length < this.frames * this.format.channels) {
      this.ended = true;
      this.pacer.stop();
      this.emit('end');
    }
  }
}
