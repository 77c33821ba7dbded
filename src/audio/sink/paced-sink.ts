import type { AudioFormat } from '../../shared/audio-format.js';
import { msFor, samplesPerChannel } from '../../shared/audio-format.js';
import { Pacer } from '../pacer.js';
import type { PlayoutFrame, Pull } from './sink.js';
import { BaseSink } from './sink.js';

/**
 * A sink without a device clock: a monotonic pacer pulls a frame every
 * `frameMs`, as a sound card would, so playout is never driven by arrivals.
 */
export abstract class PacedSink extends BaseSink {
  private pacer: Pacer | undefined;
  private wake: { ms: number; onLate: (lateMs: number) => void } | undefined;

  constructor(private readonly frameMs: number) {
    super();
  }

  async start(format: AudioFormat, pull: Pull): Promise<void> {
    if (this.pacer) return;
    await this.open(format);
    const frames = samplesPerChannel(format, this.frameMs);
    // Catch up after stalls of up to 5 s (a busy machine) rather than skip time.
    const intervalMs = msFor(format, frames);
    const w = this.wake;
    this.intervalMs = intervalMs;
    this.pacer = new Pacer(
      { intervalMs, maxBurst: Math.ceil(5000 / intervalMs), wakeTicks: w ? this.ticksFor(w.ms) : 1, batched: w !== undefined, onWake: w?.onLate },
      (_tick, lateMs) => this.consume(pull(frames, true, lateMs)),
    );
    this.pacer.start();
  }

  private intervalMs = 0;

  private ticksFor(wakeMs: number): number {
    return Math.max(1, Math.round(wakeMs / this.intervalMs));
  }

  /** See AudioSink.batchWakes; takes effect at the next start. */
  batchWakes(wakeMs: number, onWakeLate: (lateMs: number) => void): void {
    this.wake = { ms: wakeMs, onLate: onWakeLate };
  }

  /** See AudioSink.wakeEvery: a running pacer changes its batch at once. */
  wakeEvery(wakeMs: number): void {
    if (!this.wake) return;
    this.wake.ms = wakeMs;
    this.pacer?.setWakeTicks(this.ticksFor(wakeMs));
  }

  /** See AudioSink.awake: what is due now is pulled at once, and the pacer's own timer waits for silence. */
  awake(): void {
    this.pacer?.poke();
  }

  async stop(): Promise<void> {
    this.pacer?.stop();
    this.pacer = undefined;
    await this.close();
  }

  protected async open(_format: AudioFormat): Promise<void> {}
  protected async close(): Promise<void> {}
  protected abstract consume(frame: PlayoutFrame): void;
}

/** Plays into nothing, at real-time pace (for measuring a link). */
export class NullSink extends PacedSink {
  readonly description = 'null';
  protected consume(): void {}
}
