// Decides how fast the playout reads the jitter buffer: a step ratio (input
// frames per output frame) for the resampler, and — with `--jitter-ms auto` —
// the target delay itself.
//
//   step = 1 + drift (feed-forward)  − setpoint slope  + P(buffer − setpoint)
//
// The drift term alone keeps a drifting buffer level; the slope term makes
// the buffer follow a moving target; the proportional term (quadratic for
// large errors) removes what is left. The auto target follows a high
// percentile of how late packets arrive: it rises at once, and falls slowly
// once the link has been calm for a while. A lone delay spike — one episode
// of late packets in the window, as a stalled sender or network hiccup makes
// — is not covered (it is heard once either way, and covering it would keep
// its whole length as delay for the next 30 s); a second one in the window
// is (NetEq's delay-peak rule). Pure: time is passed in.
import type { JitterSpec } from './jitter-spec.js';

export interface ControllerTuning {
  /** Auto: the window the jitter percentile is taken over. */
  windowMs: number;
  percentile: number;
  /** Auto: how long the need must stay lower before the target comes down. */
  holdMs: number;
  /** Setpoint slew, ms per second of playout, up and down. */
  riseMsPerS: number;
  fallMsPerS: number;
  /** Added to the jitter need: scheduling noise on either side. */
  guardMs: number;
  /** Proportional gain: ppm per ms of error, plus ppm per ms² for large errors. */
  gainPpmPerMs: number;
  gain2PpmPerMs2: number;
  maxCorrectionPpm: number;
  maxDriftPpm: number;
  maxStepPpm: number;
  /** Fixed target: resample only once the drift is at least this (bit-exact until then)… */
  engageDriftPpm: number;
  /** …or once an unsure estimate is at least this and four standard errors off zero. */
  engageRoughPpm: number;
  /** …or once the delay has been off by more than this (or half the target) for `engageAfterMs`. */
  engageOffMs: number;
  engageAfterMs: number;
  levelTauMs: number;
}

export const DEFAULT_TUNING: ControllerTuning = {
  windowMs: 30_000,
  percentile: 0.995,
  holdMs: 20_000,
  riseMsPerS: 5,
  fallMsPerS: 0.5,
  guardMs: 2,
  gainPpmPerMs: 200,
  gain2PpmPerMs2: 10,
  maxCorrectionPpm: 5000,
  maxDriftPpm: 2000,
  maxStepPpm: 6000,
  engageDriftPpm: 20,
  engageRoughPpm: 50,
  engageOffMs: 50,
  engageAfterMs: 5000,
  levelTauMs: 1000,
};

/** Late packets this close together are one delay spike. */
export const PEAK_JOIN_MS = 1000;
/** Late packets over a longer episode than this are the link's jitter, not a spike. */
export const PEAK_SPIKE_MS = 500;
/** Arrivals this close to a lone spike's late packets are its burst: left out of the percentile. */
const PEAK_PAD_MS = 250;

/** Auto mode's starting target, before the link has been measured. */
export const AUTO_START_MS = 40;

export class PlayoutController {
  private readonly t: ControllerTuning;
  private readonly auto: { minMs: number; maxMs: number } | undefined;
  private setpoint: number;
  private goal: number;
  private lastRaiseAt: number | undefined;
  private lastNeedAt: number | undefined;
  private lastUpdate: number | undefined;
  private level: number | undefined; // filtered buffer level, ms
  private engaged: boolean;
  private offSince: number | undefined; // fixed, not engaged: since when the delay is far off
  private step = 1;
  private packetMs = 0;
  private pullMs = 0;
  private times: number[] = []; // arrival times in the jitter window
  private spreads: number[] = [];
  private head = 0;
  private lateNeed = 0; // what late packets since the last retarget needed
  private lastObservedAt = 0;
  private peaks: Array<{ start: number; end: number }> = []; // episodes of late packets in the window

  constructor(spec: JitterSpec, tuning: Partial<ControllerTuning> = {}) {
    this.t = { ...DEFAULT_TUNING, ...tuning };
    if (spec.mode === 'auto') {
      this.auto = { minMs: spec.minMs, maxMs: spec.maxMs };
      this.setpoint = this.goal = this.clamp(AUTO_START_MS);
    } else {
      this.setpoint = this.goal = spec.ms;
    }
    this.engaged = this.auto !== undefined;
  }

  /** The delay the buffer is steered to now (moves smoothly towards `goalMs`). */
  get targetMs(): number {
    return this.setpoint;
  }

  get goalMs(): number {
    return this.goal;
  }

  /** The last step ratio handed out (1 = no correction). */
  get ratio(): number {
    return this.step;
  }

  /** One packet: `spreadMs` is how much later than the fastest packets it came. */
  observe(spreadMs: number, packetMs: number, nowMs: number): void {
    this.packetMs = packetMs;
    if (!this.auto) return;
    this.lastObservedAt = nowMs;
    this.times.push(nowMs);
    this.spreads.push(spreadMs);
    this.lastNeedAt ??= nowMs;
    this.lastRaiseAt ??= nowMs;
  }

  /**
   * A packet came after its playout time: cover it at the next retarget
   * (within a second) — unless the timeline moves first, as it does when
   * the sender paused rather than the network.
   */
  noteLate(spreadMs: number, nowMs = this.lastObservedAt): void {
    if (!this.auto) return;
    this.lateNeed = Math.max(this.lateNeed, spreadMs + this.margin());
    const last = this.peaks[this.peaks.length - 1];
    if (last && nowMs - last.end <= PEAK_JOIN_MS) last.end = Math.max(last.end, nowMs);
    else this.peaks.push({ start: nowMs, end: nowMs });
  }

  /** Delay spikes (episodes of late packets) in the jitter window. */
  get peakCount(): number {
    return this.peaks.length;
  }

  /** The sender's timeline moved (a pre-roll): earlier arrivals say nothing about the link now. */
  forgetArrivals(): void {
    this.times = [];
    this.spreads = [];
    this.head = 0;
    this.lateNeed = 0;
    this.peaks = [];
  }

  /**
   * Called per pull while playing, with the buffer level averaged since the
   * previous call; returns the step ratio for this pull.
   */
  update(nowMs: number, levelMs: number, pullMs: number, driftPpm: number | null, driftStdErrPpm = 0, rough: { ppm: number; stdErrPpm: number } | null = null): number {
    this.pullMs = pullMs;
    const dt = this.lastUpdate === undefined ? 0 : Math.max(0, nowMs - this.lastUpdate);
    this.lastUpdate = nowMs;
    if (this.level === undefined) this.level = levelMs;
    else this.level += (levelMs - this.level) * (1 - Math.exp(-dt / this.t.levelTauMs));
    if (this.auto) this.retarget(nowMs);
    // Move the setpoint towards the goal at a bounded rate; the buffer follows by stretching.
    let slope = 0; // ms of setpoint per ms of time
    const gap = this.goal - this.setpoint;
    if (gap > 0) {
      slope = this.t.riseMsPerS / 1000;
      this.setpoint = Math.min(this.goal, this.setpoint + slope * dt);
    } else if (gap < 0) {
      slope = -this.t.fallMsPerS / 1000;
      this.setpoint = Math.max(this.goal, this.setpoint + slope * dt);
    }
    // Confidently off, not just noisy: a link between identical clocks stays bit-exact.
    const sure = Math.max(this.t.engageDriftPpm, 4 * driftStdErrPpm);
    if (!this.engaged && driftPpm !== null && Math.abs(driftPpm) >= sure) this.engaged = true;
    // Unsure but plainly large (a busy box's noisy arrivals): waiting for the sure figure lets the buffer walk.
    const plain = rough !== null && Math.abs(rough.ppm) >= Math.max(this.t.engageRoughPpm, 4 * rough.stdErrPpm) ? rough.ppm : null;
    if (!this.engaged && plain !== null) this.engaged = true;
    // Far off for a while (a sink that lost time in a stall): steer back, bit-exact or not.
    if (!this.engaged && Math.abs(this.level - this.setpoint) > Math.max(this.t.engageOffMs, this.setpoint / 2)) {
      this.offSince ??= nowMs;
      if (nowMs - this.offSince >= this.t.engageAfterMs) this.engaged = true;
    } else {
      this.offSince = undefined;
    }
    if (!this.engaged) return (this.step = 1);
    // Fed forward: the sure figure, else a plain rough one; the level term takes up its error.
    const drift = clampAbs(driftPpm ?? plain ?? 0, this.t.maxDriftPpm);
    const err = this.level - this.setpoint;
    // The slope and the level correction share one budget: a buffer far above a rising
    // setpoint must still drain, not have its correction cancelled by the slope.
    const corr = clampAbs(this.t.gainPpmPerMs * err + this.t.gain2PpmPerMs2 * err * Math.abs(err) - slope * 1e6, this.t.maxCorrectionPpm);
    const ppm = clampAbs(drift + corr, this.t.maxStepPpm);
    return (this.step = 1 + ppm / 1e6);
  }

  /** Playout (re)started: measure the level afresh. */
  restart(): void {
    this.level = undefined;
    this.lastUpdate = undefined;
  }

  /** A new stream: forget the link, keep the mode and the current target. */
  reset(): void {
    this.restart();
    this.forgetArrivals();
    this.lastNeedAt = this.lastRaiseAt = undefined;
    this.engaged = this.auto !== undefined;
    this.offSince = undefined;
    this.step = 1;
  }

  /** Auto: recompute the jitter need once a second. */
  private retarget(nowMs: number): void {
    if (this.lastNeedAt === undefined || nowMs - this.lastNeedAt < 1000) return;
    this.lastNeedAt = nowMs;
    while (this.head < this.times.length && this.times[this.head]! < nowMs - this.t.windowMs) this.head++;
    if (this.head > 4096) {
      this.times = this.times.slice(this.head);
      this.spreads = this.spreads.slice(this.head);
      this.head = 0;
    }
    while (this.peaks.length > 0 && this.peaks[0]!.end < nowMs - this.t.windowMs) this.peaks.shift();
    if (this.peaks.length === 0) this.lateNeed = 0; // a lone spike's need, held in case a second came, goes with it
    // One short spike alone: its burst's spreads and its late packets say nothing about the link's jitter
    // (its need is held: a second spike in the window brings it in).
    const only = this.peaks.length === 1 ? this.peaks[0]! : undefined;
    const lone = only && only.end - only.start <= PEAK_SPIKE_MS ? only : undefined;
    const inLone = (t: number): boolean => lone !== undefined && t >= lone.start - PEAK_PAD_MS && t <= lone.end + PEAK_PAD_MS;
    let skipped = 0;
    if (lone) for (let i = this.head; i < this.times.length; i++) if (inLone(this.times[i]!)) skipped++;
    const n = this.spreads.length - this.head - skipped;
    if (n <= 0) return;
    // Ranked as if the window were full (the packets not seen yet on time): in the first
    // seconds a single stall — the receiver's own, opening a device — is not a percentile.
    // Late packets still raise the goal at once (noteLate).
    const full = Math.max(n, this.packetMs > 0 ? Math.floor(this.t.windowMs / this.packetMs) : n);
    const sorted = new Float64Array(n);
    for (let i = this.head, k = 0; i < this.spreads.length; i++) if (!inLone(this.times[i]!)) sorted[k++] = this.spreads[i]!;
    sorted.sort();
    const p = sorted[Math.max(0, Math.min(full - 1, Math.floor(this.t.percentile * full)) - (full - n))]!;
    const need = this.clamp(Math.max(Math.max(0, p) + this.margin(), lone ? 0 : this.lateNeed));
    if (!lone) this.lateNeed = 0;
    if (need >= this.goal) {
      this.goal = need;
      this.lastRaiseAt = nowMs;
    } else if (nowMs - (this.lastRaiseAt ?? nowMs) >= this.t.holdMs) {
      this.goal = need; // the setpoint's slow fall makes this gentle
    }
  }

  /** Buffer that packetization and pull size eat on average, plus a guard. */
  private margin(): number {
    return (this.packetMs + (this.pullMs || this.packetMs)) / 2 + this.t.guardMs;
  }

  private clamp(ms: number): number {
    const a = this.auto;
    return a ? Math.min(a.maxMs, Math.max(a.minMs, ms)) : ms;
  }
}

function clampAbs(v: number, cap: number): number {
  return v > cap ? cap : v < -cap ? -cap : v;
}
