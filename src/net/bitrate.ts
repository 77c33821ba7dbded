/** Counts bytes and reports the bitrate between two samples; time is passed in. */
export class BitrateMeter {
  total = 0;
  private atSample = 0;

  constructor(private sampleAtMs: number) {}

  add(bytes: number): void {
    this.total += bytes;
  }

  /** kbit/s since the previous call, rounded to 0.1. */
  takeKbps(nowMs: number): number {
    const secs = Math.max(0.001, (nowMs - this.sampleAtMs) / 1000);
    const kbps = ((this.total - this.atSample) * 8) / 1000 / secs;
    this.atSample = this.total;
    this.sampleAtMs = nowMs;
    return Math.round(kbps * 10) / 10;
  }
}
