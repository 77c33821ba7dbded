import { performance } from 'node:perf_hooks';

/**
 * How many ticks are due by `nowMs` for a clock that started at `startMs`
 * and ticks every `intervalMs` — computed from the start every time, so
 * timer lateness never accumulates into drift.
 */
/** The ms a pacer's timer is armed past its tick (see arm()): not lateness of the loop. */
export const PACER_EXTRA_MS = 1;

export function ticksDue(startMs: number, intervalMs: number, nowMs: number): number {
  if (nowMs < startMs) return 0;
  return Math.floor((nowMs - startMs) / intervalMs) + 1;
}

export interface PacerOptions {
  intervalMs: number;
  /** Runs the clock fast (>0) or slow (<0) by this many parts per million. */
  driftPpm?: number;
  /** Catch-up bound: beyond this many overdue ticks (a stalled process) the clock re-bases. */
  maxBurst?: number;
  /**
   * Ticks per wake-up (default 1). Above 1 the timer wakes once every that
   * many ticks and runs each due tick in turn, at once: for a consumer that
   * replays the ticks in their own time (a clockless sink whose reader keeps
   * kernel arrival times), so the process sleeps between batches.
   */
  wakeTicks?: number;
  /**
   * Wakes in batches as above even while wakeTicks is 1 (default: wakeTicks >
   * 1), so that setWakeTicks may move between one tick a wake-up and many.
   */
  batched?: boolean;
  /** Batched: how late each wake-up ran against when it was armed for (the loop's own delay). */
  onWake?: (lateMs: number) => void;
  now?: () => number;
}

/**
 * A monotonic clock for sources and sinks that have none of their own (tone,
 * WAV file, null and file sinks). Ticks are computed from the start time,
 * not chained timeouts, so 60 s of 10 ms ticks neither drift nor bunch.
 */
export class Pacer {
  private timer: NodeJS.Timeout | undefined;
  private active = false;
  private generation = 0;
  private startMs = 0;
  private done = 0;
  private readonly interval: number;
  private readonly now: () => number;
  private readonly maxBurst: number;
  private resume: () => void = () => undefined; // bound once per start(), not once per tick
  private pokedAt = -Infinity;
  private armedMs = 0; // the duration the pending timer was armed with
  private wakeTicks: number;
  private readonly batched: boolean;
  private readonly onWake: ((lateMs: number) => void) | undefined;
  private wakeAt = Number.NaN; // when the pending timer (batched) was meant to fire

  constructor(
    opts: PacerOptions,
    /** `lateMs`: how long after its due time the tick runs (a busy loop, or a stall being caught up). */
    private readonly onTick: (tick: number, lateMs: number) => void,
  ) {
    this.interval = opts.intervalMs / (1 + (opts.driftPpm ?? 0) / 1e6);
    this.now = opts.now ?? (() => performance.now());
    this.maxBurst = opts.maxBurst ?? Math.max(4, Math.ceil(200 / opts.intervalMs));
    this.wakeTicks = Math.max(1, Math.floor(opts.wakeTicks ?? 1));
    this.batched = opts.batched ?? this.wakeTicks > 1;
    this.onWake = opts.onWake;
  }

  get running(): boolean {
    return this.active;
  }

  /**
   * Changes how many ticks a wake-up runs (a batched pacer only: one that
   * wakes per tick pokes and re-arms by other rules). A timer already armed
   * is armed again for the new batch's last tick; called from onWake, it
   * takes effect from that wake-up's next timer on.
   */
  setWakeTicks(ticks: number): void {
    const n = Math.max(1, Math.floor(ticks));
    if (!this.batched || n === this.wakeTicks) return;
    this.wakeTicks = n;
    if (this.active && this.timer && !this.immediate) {
      clearTimeout(this.timer);
      this.arm();
    }
  }

  get ticksPerWake(): number {
    return this.wakeTicks;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.startMs = this.now();
    this.done = 0;
    this.immediate = false;
    this.pokedAt = -Infinity;
    this.wakeAt = Number.NaN;
    const generation = ++this.generation;
    this.resume = () => this.run(generation);
    this.run(generation);
  }

  /**
   * The loop is awake anyway (a packet came): run every tick due by now, at
   * once, and push the timer back, so while pokes come at least every two
   * intervals the pacer wakes the process for nothing of its own.
   */
  poke(): void {
    if (!this.active || this.poking) return;
    this.poking = true;
    try {
      this.pokeNow();
    } finally {
      this.poking = false;
    }
  }

  private poking = false;
  private immediate = false; // a setImmediate(resume) is pending

  private pokeNow(): void {
    if (this.batched) {
      this.runDue(this.now()); // a caller that needs the ticks due by now (stats): the timer stays as armed
      return;
    }
    const now = this.now();
    this.pokedAt = now;
    const due = ticksDue(this.startMs, this.interval, now);
    if (due - this.done > this.maxBurst) this.done = due - 1;
    if (this.immediate) return; // a catch-up is under way (run)
    if (this.done < due) {
      const tick = this.done++;
      this.onTick(tick, Math.max(0, now - (this.startMs + tick * this.interval)));
      if (!this.active) return;
    }
    if (this.done < due) {
      // More was due (a stall): catch up as run() does, after the packets that queued meanwhile.
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.immediate = true;
      setImmediate(this.resume);
      return;
    }
    // A timer armed for the next tick alone would fire before the next packet: give it the grace.
    if (this.timer && this.armedMs < 2 * this.interval) {
      clearTimeout(this.timer);
      this.arm();
    } else this.timer?.refresh();
  }

  stop(): void {
    this.active = false;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private run(generation: number): void {
    // A stale setImmediate from before a stop()/start() must not tick.
    if (!this.active || generation !== this.generation) return;
    this.timer = undefined;
    this.immediate = false;
    const now = this.now();
    if (this.batched) {
      if (!Number.isNaN(this.wakeAt)) this.onWake?.(Math.max(0, now - this.wakeAt));
      this.runDue(now);
      if (this.active && generation === this.generation) this.arm();
      return;
    }
    const due = ticksDue(this.startMs, this.interval, now);
    // Stalled far behind (suspend, debugger): skip ahead rather than burst.
    if (due - this.done > this.maxBurst) this.done = due - 1;
    if (this.done < due) {
      const tick = this.done++;
      this.onTick(tick, Math.max(0, now - (this.startMs + tick * this.interval)));
    }
    if (!this.active || generation !== this.generation) return;
    if (this.done < due) {
      // Overdue ticks (the loop was busy) run after pending I/O: a sink catching
      // up must first see the packets that queued up meanwhile.
      this.immediate = true;
      setImmediate(this.resume);
      return;
    }
    this.arm();
  }

  /** Batched: every tick due by `now`, in order, each told how long ago it was due. */
  private runDue(now: number): void {
    const generation = this.generation;
    const due = ticksDue(this.startMs, this.interval, now);
    if (due - this.done > this.maxBurst) this.done = due - 1;
    while (this.done < due && this.active && generation === this.generation) {
      const tick = this.done++;
      this.onTick(tick, Math.max(0, now - (this.startMs + tick * this.interval)));
    }
  }

  private arm(): void {
    const now = this.now();
    if (this.batched) {
      // When the batch's last tick is due; its first was due wakeTicks − 1 intervals before.
      const at = this.startMs + (this.done + this.wakeTicks - 1) * this.interval;
      const ms = Math.max(1, Math.ceil(at - now) + PACER_EXTRA_MS);
      this.wakeAt = now + ms;
      this.armedMs = ms;
      this.timer = setTimeout(this.resume, ms);
      return;
    }
    const next = this.startMs + this.done * this.interval;
    // Whole milliseconds: Node keys timer lists by duration and wakes on whole
    // ms, so a fractional delay wakes early and re-arms (an extra wakeup per tick).
    // At least 1: rounding can put `next` at now while ticksDue says not yet.
    // Plus one: Node counts a timer from its loop's cached whole-ms time, which
    // trails ours, so `ceil` alone fires up to a ms before the tick about every
    // other time, finds it not due, and re-arms: a second wake-up per tick.
    let ms = Math.max(1, Math.ceil(next - now) + PACER_EXTRA_MS);
    // Packets are coming and poke() pulls on them: this timer is only for when they stop.
    if (now - this.pokedAt < 2 * this.interval) ms += 2 * Math.ceil(this.interval);
    this.armedMs = ms;
    this.timer = setTimeout(this.resume, ms);
  }
}
