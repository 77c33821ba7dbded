import { RTCP_FIRST_INTERVAL_MS, nextRtcpIntervalMs } from '../net/rtcp/interval.js';

/** SRTCP, when a key is set: reports are encrypted and authenticated like the audio. */
export interface RtcpProtection {
  protect(rtcp: Buffer): Buffer;
  unprotect(packet: Buffer): { ok: true; packet: Buffer } | { ok: false; error: string };
}

/** Calls `tick` about once a second (randomised, RFC 3550 §6.3.1), the first time soon after start. */
export class RtcpTimer {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly tick: () => void,
    private readonly random: () => number = Math.random,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.arm(RTCP_FIRST_INTERVAL_MS);
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      if (!this.running) return;
      this.tick();
      this.arm(nextRtcpIntervalMs(this.random));
    }, ms);
    this.timer.unref();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
