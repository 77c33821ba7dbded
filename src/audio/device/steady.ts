// When a device's clock can be trusted. A stream that just started moves
// audio in fits: PortAudio primes a few buffers at once, then PulseAudio may
// take nothing for half a second, and a capture may hand over a backlog.
// Driving the jitter buffer from that would skew the playout delay by as
// much, so the caller keeps its own pacer until the device has moved about
// real time's worth of audio over a whole window. Pure: time is passed in.

export class SteadyDetector {
  private notes: { t: number; frames: number }[] = [];
  private start: number | undefined;
  private settled = false;

  constructor(
    private readonly rate: number,
    private readonly windowMs = 200,
  ) {}

  get steady(): boolean {
    return this.settled;
  }

  reset(): void {
    this.notes = [];
    this.start = undefined;
    this.settled = false;
  }

  /** The device moved `frames` at `nowMs`; true once (and from then on) it runs at its pace. */
  note(nowMs: number, frames: number): boolean {
    if (this.settled) return true;
    this.start ??= nowMs;
    this.notes.push({ t: nowMs, frames });
    const from = nowMs - this.windowMs;
    while (this.notes.length > 0 && this.notes[0]!.t <= from) this.notes.shift();
    if (nowMs - this.start < this.windowMs) return false;
    const moved = this.notes.reduce((n, e) => n + e.frames, 0);
    const due = (this.rate * this.windowMs) / 1000;
    this.settled = moved >= 0.6 * due && moved <= 1.4 * due;
    return this.settled;
  }
}
