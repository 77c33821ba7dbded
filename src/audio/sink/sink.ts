import { EventEmitter } from 'node:events';
import type { AudioFormat } from '../../shared/audio-format.js';
import type { DeviceSide } from '../device-side.js';

export interface PlayoutFrame {
  /** Exactly the frames asked for; valid only during the call. */
  pcm: Int16Array;
  /** False while the buffer pre-rolls or is idle (output is silence then). */
  playing: boolean;
  /** The buffer had nothing at all for this pull while playing. */
  underrun: boolean;
  /** Frames at the end made up because nothing after them had arrived yet (a late packet, or the stream's end). */
  tailFrames: number;
}

/**
 * `audible` false: the frames are pulled to keep time but reach no one (a
 * device not playing yet, or silence it played in their place), so they are
 * not metered as played. `lateMs`: how long ago this pull was due, for a
 * sink catching up after a stall (its pacer knows; a device pulls as it plays).
 */
export type Pull = (frames: number, audible?: boolean, lateMs?: number) => PlayoutFrame;

export interface SinkEvents {
  error: [Error];
}

/**
 * Where the receiver's audio goes. The sink owns the clock: it calls `pull`
 * as it consumes audio (a device at its pace; the null and file sinks from
 * a monotonic pacer). start/stop are safe twice.
 */
export interface AudioSink extends EventEmitter<SinkEvents> {
  readonly description: string;
  /** The device behind it, if there is one (the speaker); undefined for the null and file sinks. */
  readonly device: DeviceSide | undefined;
  /** Underruns of its own (a device that had to play silence); a sink without a device has none. */
  readonly underruns: number;
  /** Frames the sink asks for per pull. */
  start(format: AudioFormat, pull: Pull): Promise<void>;
  /**
   * The event loop is awake anyway (a datagram came): a sink without a device
   * clock pulls what its monotonic clock says is due now, so it needs its own
   * timer only while nothing arrives. A device sink has no use for it.
   */
  awake?(): void;
  /**
   * A sink without a device clock, fed by a reader that keeps each datagram's
   * kernel arrival time, may wake once every `wakeMs` and make the pulls due
   * meanwhile in turn, each told how late it is (the receiver replays them at
   * their due times). `onWakeLate`: how late each wake-up ran (the loop's
   * delay). Called before start; a device sink has no use for it.
   */
  batchWakes?(wakeMs: number, onWakeLate: (lateMs: number) => void): void;
  /** After batchWakes: wake every `wakeMs` from now on (the reader's packet rate decides it, see clockless-wake.ts). */
  wakeEvery?(wakeMs: number): void;
  stop(): Promise<void>;
}

export abstract class BaseSink extends EventEmitter<SinkEvents> implements AudioSink {
  abstract readonly description: string;
  underruns = 0;
  get device(): DeviceSide | undefined {
    return undefined;
  }
  abstract start(format: AudioFormat, pull: Pull): Promise<void>;
  abstract stop(): Promise<void>;
}
