// Whether the locked UDP sender is still sending. UDP has no disconnect, so
// "the sender left" is inferred from silence: checked from the once-a-second
// stats tick (no timer per packet), and reported once per stop and once per
// resumption — never a line per packet or per second. Time is passed in.

export type PresenceChange =
  /** No packet for `silentMs` (at least the threshold). */
  | { kind: 'stopped'; silentMs: number }
  /** A packet came after a reported stop; `silentMs` is how long the gap was. */
  | { kind: 'resumed'; silentMs: number };

export class SenderPresence {
  private lastPacketMs: number | undefined;
  private stopped = false;

  constructor(readonly thresholdMs: number) {}

  /** A new sender was locked on: it is sending (its own "receiving from" line says so). */
  lock(now: number): void {
    this.lastPacketMs = now;
    this.stopped = false;
  }

  /** The lock was let go (TCP disconnect): nobody to watch until the next lock. */
  release(): void {
    this.lastPacketMs = undefined;
    this.stopped = false;
  }

  /** A packet from the locked sender; 'resumed' for the first one after a reported stop. */
  packet(now: number): PresenceChange | null {
    const last = this.lastPacketMs;
    this.lastPacketMs = now;
    if (!this.stopped || last === undefined) return null;
    this.stopped = false;
    return { kind: 'resumed', silentMs: now - last };
  }

  /** The periodic check; 'stopped' once when the silence first reaches the threshold. */
  check(now: number): PresenceChange | null {
    if (this.stopped || this.lastPacketMs === undefined) return null;
    const silentMs = now - this.lastPacketMs;
    if (silentMs < this.thresholdMs) return null;
    this.stopped = true;
    return { kind: 'stopped', silentMs };
  }
}

/** The log and notice line, in the words of "sender connected" / "sender left". */
export function describePresence(peer: string, c: PresenceChange): string {
  const s = Math.floor(c.silentMs / 1000);
  return c.kind === 'stopped' ? `sender ${peer} stopped sending (no packets for ${s} s)` : `sender ${peer} is sending again (after ${s} s without packets)`;
}
