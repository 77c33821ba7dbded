// `send --sap`: the stream's SDP (LF line endings, as PulseAudio needs) in a
// SAP announcement to 224.0.0.56:9875 at once and every 5 s, and a deletion
// at stop (RFC 2974). The SDP comes from the same writer as `streamer sdp`.
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { SAP_GROUP, SAP_PORT, serializeSap } from '../net/sap/sap-packet.js';
import { UdpSender } from '../net/transport/udp-transport.js';

export const SAP_INTERVAL_MS = 5000;

export interface SapAnnouncerOptions {
  /** The SDP for a given origin address (ours, known once the socket is open). */
  sdpFor: (origin: string) => string;
  name: string;
  ttl?: number;
  iface?: string;
  log: Logger;
  intervalMs?: number;
  group?: string;
  port?: number;
}

export class SapAnnouncer {
  private timer: NodeJS.Timeout | undefined;
  private readonly hash = randomInt(1, 0x10000);
  private sent = 0;

  private constructor(
    private readonly out: UdpSender,
    private readonly origin: string,
    private readonly sdp: string,
    private readonly o: SapAnnouncerOptions,
  ) {}

  static async open(o: SapAnnouncerOptions): Promise<SapAnnouncer> {
    const group = o.group ?? SAP_GROUP;
    const port = o.port ?? SAP_PORT;
    const out = await UdpSender.open(group, port, { ttl: o.ttl ?? 1, ...(o.iface ? { iface: o.iface } : {}) });
    out.on('error', (err) => o.log.warn({ err }, `SAP announcement not sent: ${err.message}`));
    // The address the system sends from toward the group: the origin receivers see.
    const origin = o.iface ?? out.localAddress;
    return new SapAnnouncer(out, origin, o.sdpFor(origin), o);
  }

  get announcements(): number {
    return this.sent;
  }

  start(): void {
    void this.announce(false);
    this.timer = setInterval(() => void this.announce(false), this.o.intervalMs ?? SAP_INTERVAL_MS);
    this.o.log.info({ name: this.o.name, group: this.o.group ?? SAP_GROUP, origin: this.origin }, `announcing "${this.o.name}" by SAP on ${this.o.group ?? SAP_GROUP}:${this.o.port ?? SAP_PORT} every ${(this.o.intervalMs ?? SAP_INTERVAL_MS) / 1000} s`);
  }

  private announce(deletion: boolean): Promise<void> {
    this.sent++;
    return this.out.sendNow(serializeSap({ deletion, hash: this.hash, origin: this.origin, sdp: this.sdp }));
  }

  /** The deletion packet, resolved once it has left; then the socket closes. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.announce(true);
    this.o.log.info({ name: this.o.name }, `SAP: "${this.o.name}" deleted (announcement withdrawn)`);
    await this.out.close();
  }
}
