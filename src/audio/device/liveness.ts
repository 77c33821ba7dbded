// Whether an opened device really moves audio. Write completions are no
// proof: PortAudio and naudiodon's queue take ~6 output buffers at once when
// a stream starts, and then a sound server may take nothing for a second or
// two (PulseAudio starting or resuming a sink). So the device counts as
// flowing only once it moves about real time's worth of audio over a window
// (SteadyDetector); until then it gets the start-up grace, after that a
// short silence means it is lost. Pure: time is passed in.
import { SteadyDetector } from './steady.js';

export interface LivenessOptions {
  /** Flowing, then no audio for this long: the device is lost. */
  stallMs: number;
  /** Opened, and not flowing after this long: it never started. */
  firstAudioMs: number;
}

export class DeviceLiveness {
  private readonly steady: SteadyDetector;
  private last: number; // the last audio, or the open while none came
  private since: number | undefined;

  constructor(
    rate: number,
    openedAt: number,
    private readonly opts: LivenessOptions,
  ) {
    this.steady = new SteadyDetector(rate);
    this.last = openedAt;
  }

  get flowing(): boolean {
    return this.since !== undefined;
  }

  /** When it began to flow (undefined until it does). */
  get flowingSince(): number | undefined {
    return this.since;
  }

  /** The device moved `frames`; true on the call that finds it flowing, once. */
  moved(nowMs: number, frames: number): boolean {
    if (this.since !== undefined) {
      this.last = nowMs;
      return false;
    }
    if (!this.steady.note(nowMs, frames)) return false;
    this.since = nowMs;
    this.last = nowMs;
    return true;
  }

  /** Why the device counts as lost at `nowMs`, or undefined while it is fine. */
  check(nowMs: number): string | undefined {
    const quiet = nowMs - this.last;
    if (quiet <= (this.flowing ? this.opts.stallMs : this.opts.firstAudioMs)) return undefined;
    const s = (quiet / 1000).toFixed(1);
    return this.flowing ? `no audio from the device for ${s} s (device lost?)` : `the device did not start in ${s} s`;
  }
}
