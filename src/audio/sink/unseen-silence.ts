// How much silence a device played that the worker never saw. After a
// PortAudio output underflow (the sound server's buffer ran dry below
// naudiodon), everything queued below the worker plays that much later, for
// good: the delay has grown by it. The device's takes show how much. Each
// take is one buffer of the device's clock, so taken time minus elapsed time
// (the lead) is flat while it runs; takes may come late and bunch (a worker
// or a parent off the CPU) but catch up, so the lead's peaks stay level. A
// drop in the peak level that outlasts the catch-up is time the device spent
// playing silence of its own. Pure: time is passed in.

export interface UnseenSilenceOptions {
  /** After the (last) underflow, how long the device gets to catch up before the drop is judged. */
  settleMs?: number;
  /** The level before: the lead's peak over this long before the underflow. */
  beforeMs?: number;
  /** Drops smaller than this are the phase of the takes, not silence. */
  minMs?: number;
}

export class UnseenSilence {
  private start: number | undefined;
  private takenMs = 0;
  private history: { t: number; lead: number }[] = [];
  private pending: { at: number; before: number } | undefined; // at: the episode's last underflow
  private readonly settleMs: number;
  private readonly beforeMs: number;
  private readonly minMs: number;

  constructor(opts: UnseenSilenceOptions = {}) {
    this.settleMs = opts.settleMs ?? 300;
    this.beforeMs = opts.beforeMs ?? 500;
    this.minMs = opts.minMs ?? 10;
  }

  /** Forget the clock (the device opened again). */
  reset(): void {
    this.start = undefined;
    this.takenMs = 0;
    this.history = [];
    this.pending = undefined;
  }

  /** The device took `ms` of audio (one buffer, silence or not) at `nowMs`. */
  took(nowMs: number, ms: number): void {
    this.start ??= nowMs;
    this.takenMs += ms;
    this.history.push({ t: nowMs, lead: this.takenMs - (nowMs - this.start) });
    const keep = nowMs - this.beforeMs - this.settleMs;
    while (this.history.length > 1 && this.history[0]!.t < keep) this.history.shift();
  }

  /** PortAudio reported an output underflow at `nowMs`. Within an episode being judged, it joins it (and the judging waits). */
  underflow(nowMs: number): void {
    if (this.start === undefined) return;
    if (this.pending) this.pending.at = nowMs;
    else this.pending = { at: nowMs, before: this.peak(nowMs - this.beforeMs, nowMs) };
  }

  /** Once an underflow's episode has settled: the ms of silence the device played in it (0 when none, or not yet known). */
  settle(nowMs: number): number {
    const p = this.pending;
    if (!p || nowMs - p.at < this.settleMs) return 0;
    this.pending = undefined;
    const after = this.peak(p.at, nowMs);
    if (!Number.isFinite(p.before) || !Number.isFinite(after)) return 0;
    const lost = p.before - after;
    return lost >= this.minMs ? lost : 0;
  }

  private peak(from: number, to: number): number {
    let m = -Infinity;
    for (const h of this.history) if (h.t >= from && h.t <= to) m = Math.max(m, h.lead);
    return m;
  }
}
