// The receiver's pull path: jitter buffer → resampler, steered by the
// playout controller from the buffer level and the drift estimate. It serves
// every sink the same way (a device's clock or a monotonic pacer pulls), so
// drift is compensated whatever plays the audio. Pure: times are passed in.
import type { JitterSpec } from './jitter-spec.js';
import { DelayMeter } from './delay-meter.js';
import { DriftEstimator } from './drift-estimator.js';
import type { AudioFormat } from '../../shared/audio-format.js';
import { msFor } from '../../shared/audio-format.js';
import { uint32Diff } from '../../shared/rtp-time.js';
import type { JitterBufferStats, PullResult, PushResult } from './jitter-buffer.js';
import { JitterBuffer } from './jitter-buffer.js';
import type { PcmPool } from './pcm-pool.js';
import type { PlayoutWriter } from './jitter-queue.js';
import type { ControllerTuning } from './playout-controller.js';
import { PlayoutController } from './playout-controller.js';
import { Resampler } from './resampler.js';

export interface PlayoutOptions {
  format: AudioFormat;
  jitter: JitterSpec;
  tuning?: Partial<ControllerTuning>;
  /** See JitterBufferOptions.pool: pushed pcm goes back there once played. */
  pool?: PcmPool;
  /** Skip audio that stays queued well above the target (default true; off only to show what it does). */
  catchUp?: boolean;
}

/** The queue's floor is judged over this long… */
export const CATCHUP_WINDOW_MS = 1000;
/** …and when it stayed this much above the target (or two packets, if more), the excess is skipped. */
export const CATCHUP_SLACK_MS = 20;

/** The resampler's input on a pull that needs no new frames (no view made per pull). */
const NOTHING = new Int16Array(0);

export class Playout {
  private readonly jb: JitterBuffer;
  private readonly ctl: PlayoutController;
  private drift: DriftEstimator;
  private resampler: Resampler;
  private timeline: number;
  private playing = false;
  private readonly meter = new DelayMeter();
  private packetFrames = 0;
  private floorMs = Infinity; // the least audio queued at a pull since floorSince
  private floorSince: number | undefined;
  private readonly catchUpOn: boolean;
  private out = new Int16Array(0);
  private readonly result: PullResult = { pcm: this.out, concealedFrames: 0, tailFrames: 0, underrun: false, playing: true };

  constructor(opts: PlayoutOptions) {
    this.ctl = new PlayoutController(opts.jitter, opts.tuning);
    this.catchUpOn = opts.catchUp ?? true;
    this.jb = new JitterBuffer({ format: opts.format, targetMs: this.ctl.targetMs, pool: opts.pool });
    this.timeline = this.jb.timeline;
    this.drift = new DriftEstimator({ rate: opts.format.rate });
    this.resampler = new Resampler(opts.format.channels);
  }

  get format(): AudioFormat { return this.jb.format; }
  /** The delay the buffer is steered to now. */
  get targetMs(): number { return this.ctl.targetMs; }
  /** The step ratio of the last pull (1 = no correction). */
  get ratio(): number { return this.ctl.ratio; }
  get driftPpm(): number | null { return this.drift.ppm; }
  /** Audio queued right now, from the jitter buffer to the resampler's output position. */
  get queuedMs(): number { return this.jb.bufferedMs + msFor(this.format, this.resampler.aheadFrames); }
  /** The playout delay as of the last push or pull (see DelayMeter). */
  get bufferedMs(): number { return this.meter.delayMs; }

  /**
   * One packet's audio, kept as it is (see JitterBuffer.push): the caller must
   * not reuse `pcm` (with a pool, it comes back there). `nowMs` is its arrival; `handledMs`, when it is handed in
   * (later, for a packet read in a batch), is when the queue changed.
   */
  push(rtpTimestamp: number, pcm: Int16Array, nowMs: number, handledMs = nowMs): PushResult {
    const r = this.jb.push(rtpTimestamp, pcm, nowMs);
    if (this.jb.timeline !== this.timeline) {
      // A pre-roll: the sender's timeline may have moved, so earlier arrivals say nothing now.
      this.timeline = this.jb.timeline;
      this.drift.reset();
      this.meter.recalibrate();
      this.ctl.forgetArrivals();
      this.packetFrames = 0;
    }
    const epoch = this.drift.epoch;
    const spread = this.drift.add(rtpTimestamp, nowMs);
    if (this.drift.epoch !== epoch) this.meter.recalibrate();
    // The largest packet so far: a frame split into unequal packets must not make the measure wobble.
    this.packetFrames = Math.max(this.packetFrames, pcm.length / this.format.channels);
    this.ctl.observe(spread, msFor(this.format, this.packetFrames), nowMs);
    if (r === 'late') this.ctl.noteLate(spread, nowMs);
    this.measure(Math.max(nowMs, handledMs));
    return r;
  }

  /** Always returns exactly `frames` frames; the pcm is reused by the next pull. `lateMs`: see JitterBuffer.prepare. */
  pull(frames: number, nowMs: number, lateMs = 0): PullResult {
    const playing = this.jb.prepare(nowMs, lateMs);
    if (playing !== this.playing) {
      this.playing = playing;
      this.resampler.reset();
      this.ctl.restart();
      this.meter.takePullMean(nowMs); // the time before belongs to no pull
      this.floorSince = undefined;
      this.floorMs = Infinity;
    }
    if (!playing) {
      this.jb.setTargetMs(this.ctl.targetMs); // the next pre-roll waits for the current target
      const r = this.jb.pull(frames, nowMs, lateMs);
      this.measure(nowMs);
      return r;
    }
    if (this.catchUpOn) this.catchUp(nowMs);
    const avg = this.meter.takePullMean(nowMs);
    const step = this.ctl.update(nowMs, avg, msFor(this.format, frames), this.drift.ppm, this.drift.stdErrPpm, this.drift.rough);
    const ch = this.format.channels;
    if (this.out.length !== frames * ch) this.out = new Int16Array(frames * ch);
    const res = this.result;
    res.pcm = this.out;
    res.concealedFrames = 0;
    res.tailFrames = 0;
    res.underrun = false;
    res.playing = true;
    const n = this.resampler.need(frames, step);
    let input: Int16Array = NOTHING;
    if (n > 0) {
      const r = this.jb.pull(n, nowMs, lateMs);
      input = r.pcm;
      res.concealedFrames = r.concealedFrames;
      // In output frames: the resampler steps by at most 0.5 %, so the tail scales with it.
      res.tailFrames = Math.min(frames, Math.round((r.tailFrames * frames) / n));
      res.underrun = r.underrun;
    }
    this.resampler.process(input, this.out, frames, step);
    this.measure(nowMs);
    return res;
  }

  /** The playout delay over the time since the previous call (once-a-second stats): see DelayMeter.takeSecond. */
  takeAverageBufferMs(nowMs: number): number {
    this.meter.advance(nowMs);
    return this.meter.takeSecond();
  }

  stats(): JitterBufferStats {
    return this.jb.stats();
  }

  /** New SSRC or format: forget the stream, keep the mode and the current target. */
  reset(format?: AudioFormat, writer?: PlayoutWriter): void {
    this.jb.reset(format, writer);
    this.timeline = this.jb.timeline;
    const f = this.jb.format;
    this.drift = new DriftEstimator({ rate: f.rate });
    this.resampler = new Resampler(f.channels);
    this.ctl.reset();
    this.meter.reset();
    this.playing = false;
  }

  /**
   * Holds the delay to its target through stalls: when even the least audio
   * queued over a whole second stayed well above the target, that much more
   * came in than went out (a device that played silence it never asked us
   * for, a sink that stalled and caught up short), and no jitter needs it.
   * Skipped at once — the queue's floor, so the buffer cannot run dry for it —
   * rather than read away at 0.5 %, which takes a minute for 300 ms.
   */
  private catchUp(nowMs: number): void {
    this.floorSince ??= nowMs;
    this.floorMs = Math.min(this.floorMs, this.jb.bufferedMs);
    if (nowMs - this.floorSince < CATCHUP_WINDOW_MS) return;
    const slack = Math.max(CATCHUP_SLACK_MS, 2 * msFor(this.format, this.packetFrames));
    const target = this.ctl.targetMs;
    if (this.floorMs - target > slack && this.jb.skipAhead(this.floorMs - target) > 0) {
      this.ctl.restart(); // the level it filtered is gone
      this.meter.takePullMean(nowMs);
    }
    this.floorMs = Infinity;
    this.floorSince = nowMs;
  }

  /** After each push and pull: what is queued, and how far the output trails the sender's timeline. */
  private measure(nowMs: number): void {
    const ahead = msFor(this.format, this.resampler.aheadFrames);
    const expected = this.drift.expectedTimestamp(nowMs);
    const cursor = this.jb.cursorTimestamp;
    const raw = expected !== undefined && cursor !== undefined ? msFor(this.format, uint32Diff(cursor, expected)) + ahead : undefined;
    this.meter.set(nowMs, this.jb.bufferedMs + ahead, raw);
  }
}
