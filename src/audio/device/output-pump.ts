// The worker's speaker loop: one device buffer out of the FIFO each time the
// device has room for one. Pure: the write, the report and the timer are
// passed in.
import type { SampleFifo } from './fifo.js';

export interface OutputPumpOptions {
  fifo: SampleFifo;
  /** Samples per device buffer (frames × channels). */
  samples: number;
  /**
   * When the parent's next buffer is not here yet, how long to wait for it
   * before the buffer goes out padded with silence. Below us naudiodon and
   * the sound server still hold a buffer and more, so a short wait costs
   * nothing the device hears; a buffer of silence is an underrun.
   */
  graceMs: number;
  /** Hands one buffer to the device; `done` once it has room for the next. */
  write: (pcm: Int16Array, done: () => void) => void;
  /** A buffer went out with `got` real samples and `starved` of silence (0 before the first audio: start-up). */
  report: (got: number, starved: number) => void;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
}

export class OutputPump {
  private heard = false; // starvation before the first audio is just start-up
  private starving = false; // the last buffer went out short: do not wait again until audio is back
  private timer: unknown;
  private waiting = false;
  private stopped = false;

  constructor(private readonly o: OutputPumpOptions) {}

  /** Waiting for the parent's audio now (tests). */
  get isWaiting(): boolean {
    return this.waiting;
  }

  start(): void {
    this.next();
  }

  /** The parent's audio arrived: a buffer waiting for it goes out now. */
  push(pcm: Int16Array): void {
    this.o.fifo.push(pcm);
    if (this.waiting && this.o.fifo.length >= this.o.samples) {
      this.o.clearTimer(this.timer);
      this.waiting = false;
      this.send();
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.waiting) this.o.clearTimer(this.timer);
    this.waiting = false;
  }

  /** The device has room for one more buffer. */
  private readonly next = (): void => {
    if (this.stopped) return;
    if (this.o.fifo.length < this.o.samples && this.heard && !this.starving && this.o.graceMs > 0) {
      this.waiting = true;
      this.timer = this.o.setTimer(() => {
        this.waiting = false;
        this.send();
      }, this.o.graceMs);
      return;
    }
    this.send();
  };

  private send(): void {
    if (this.stopped) return;
    const { pcm, got } = this.o.fifo.take(this.o.samples);
    this.heard ||= got > 0;
    const starved = this.heard ? this.o.samples - got : 0;
    this.starving = starved > 0;
    this.o.report(got, starved);
    this.o.write(pcm, this.next);
  }
}
