// Measures the playout delay for the controller and the stats. The audio
// queued is the obvious measure, but it dips whenever packets come late or a
// process stalls, though the delay itself did not change. So the meter also
// follows the delay against the drift estimator's lower envelope (where the
// sender's timeline is, by its fastest packets), which no late packet moves,
// and calibrates it to the queue's typical level with a slow median (the
// offset depends only on how the sender packetizes). Pure: times passed in.
import { median } from './median.js';

const CALIBRATE_MS = 2000; // plain mean of the offset first…
const TRACK_MS_PER_S = 0.5; // …then a median that moves at most this fast

/** Pull means kept between two takeSecond calls at most (a stats tick that stops coming must not grow it for ever). */
const MAX_MEANS = 100_000;

export class DelayMeter {
  private lastAt: number | undefined;
  private queue = 0; // ms of audio queued, since the last event
  private raw: number | undefined; // ms behind the envelope, since the last event (grows between events)
  private qArea = 0;
  private rArea = 0;
  private areaMs = 0;
  private rawWhole = true; // the envelope was there for the whole interval
  private offset = 0;
  private calibratedMs = 0;
  /** The pull means since takeSecond, in a reused array (doubles from the start: no per-second array, no elements-kind change). */
  private means = new Float64Array(128);
  private meanCount = 0;

  /** The delay as of the last event. */
  get delayMs(): number {
    return this.raw !== undefined && this.calibratedMs > 0 ? this.raw + this.offset : this.queue;
  }

  /** After a push or pull: the audio queued, and the delay behind the envelope if there is one. */
  set(nowMs: number, queueMs: number, rawMs: number | undefined): void {
    this.advance(nowMs);
    this.queue = queueMs;
    this.raw = rawMs;
    if (rawMs === undefined) this.rawWhole = false;
  }

  advance(nowMs: number): void {
    if (this.lastAt !== undefined) {
      const dt = Math.max(0, nowMs - this.lastAt);
      this.qArea += this.queue * dt;
      // Between events the sender's timeline moves on and the playout cursor does not.
      if (this.raw !== undefined) this.rArea += (this.raw + dt / 2) * dt;
      this.areaMs += dt;
    }
    this.lastAt = nowMs;
  }

  /** Per pull while playing: the delay averaged since the previous pull. */
  takePullMean(nowMs: number): number {
    this.advance(nowMs);
    const ms = this.areaMs;
    const q = ms > 0 ? this.qArea / ms : this.queue;
    let mean = q;
    if (this.rawWhole && this.raw !== undefined) {
      const r = ms > 0 ? this.rArea / ms : this.raw;
      this.calibrate(q - r, ms);
      mean = r + this.offset;
    } else if (this.raw === undefined) {
      this.calibratedMs = 0; // a new timeline: the envelope starts over
    }
    this.qArea = this.rArea = this.areaMs = 0;
    this.rawWhole = true;
    if (this.meanCount < MAX_MEANS) {
      if (this.meanCount === this.means.length) {
        const grown = new Float64Array(Math.min(MAX_MEANS, 2 * this.means.length));
        grown.set(this.means);
        this.means = grown;
      }
      this.means[this.meanCount++] = mean;
    }
    return mean;
  }

  /** For once-a-second stats: the median of the pull means since the last call. */
  takeSecond(): number {
    const n = this.meanCount;
    this.meanCount = 0;
    return n === 0 ? this.delayMs : median(this.means.subarray(0, n));
  }

  /** The envelope started over (a new line): calibrate its offset afresh. */
  recalibrate(): void {
    this.calibratedMs = 0;
  }

  reset(): void {
    this.lastAt = this.raw = undefined;
    this.queue = this.qArea = this.rArea = this.areaMs = this.calibratedMs = 0;
    this.rawWhole = true;
    this.meanCount = 0;
  }

  private calibrate(sample: number, ms: number): void {
    if (ms <= 0) return;
    if (this.calibratedMs < CALIBRATE_MS) {
      this.offset = (this.offset * this.calibratedMs + sample * ms) / (this.calibratedMs + ms);
    } else {
      const step = (TRACK_MS_PER_S * ms) / 1000;
      this.offset += sample > this.offset ? Math.min(step, sample - this.offset) : -Math.min(step, this.offset - sample);
    }
    this.calibratedMs += ms;
  }
}
