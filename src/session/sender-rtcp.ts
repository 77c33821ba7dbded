// The sender's RTCP: an SR + SDES about once a second, BYE at a clean stop,
// and the receivers' reports read into the figures the sender shows.
// Bad RTCP is counted (one log line a second at most), never thrown.
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { ntpFromUnixMs } from '../net/rtcp/ntp.js';
import { isRtcp, parseRtcp } from '../net/rtcp/rtcp.js';
import { serializeRtcp } from '../net/rtcp/rtcp-serialize.js';
import { SenderReports, type RemoteFigures } from '../net/rtcp/sender-reports.js';
import { WarnSummary, describeCounts } from '../net/warn-summary.js';
import { RtcpTimer, type RtcpProtection } from './rtcp-timer.js';
import type { Sender } from './sender.js';

export interface SenderRtcpOptions {
  sender: Sender;
  cname: string;
  /** Puts one RTCP packet on the wire; resolves once it has left. */
  send: (packet: Buffer) => Promise<void> | void;
  protection?: RtcpProtection;
  log: Logger;
  now?: () => number;
  wallMs?: () => number;
}

export class SenderRtcp {
  private readonly reports: SenderReports;
  private readonly timer: RtcpTimer;
  private readonly warnings = new WarnSummary();
  private readonly now: () => number;
  private readonly wallMs: () => number;
  private bad = 0;
  private firstReport = true;

  constructor(private readonly o: SenderRtcpOptions) {
    this.now = o.now ?? (() => performance.now());
    this.wallMs = o.wallMs ?? (() => performance.timeOrigin + performance.now());
    this.reports = new SenderReports({ ssrc: o.sender.packetizer.ssrc, cname: o.cname, clockRate: o.sender.clockRate });
    this.timer = new RtcpTimer(() => void this.sendReport());
  }

  start(): void {
    this.timer.start();
  }

  /** A datagram or frame from the receiver's side: RTCP or not, it never reaches the audio. */
  handle(packet: Buffer): void {
    if (!isRtcp(packet)) return this.noteBad('not RTCP');
    let plain = packet;
    if (this.o.protection) {
      const r = this.o.protection.unprotect(packet);
      if (!r.ok) return this.noteBad(`SRTCP ${r.error}`);
      plain = r.packet;
    }
    const parsed = parseRtcp(plain);
    if (!parsed.ok) return this.noteBad(parsed.error);
    const before = this.reports.received;
    if (this.reports.onRtcp(parsed.packets, this.now()) === 'unknown-ssrc') return this.noteBad('report about another source');
    if (before === 0 && this.reports.received > 0) this.o.log.info('receiver reports arriving (RTCP)');
  }

  private noteBad(kind: string): void {
    this.bad++;
    this.warnings.noteKind('malformed RTCP', kind);
  }

  get malformed(): number {
    return this.bad;
  }

  figures(): RemoteFigures {
    return this.reports.figures(this.now());
  }

  /** One warning line a second at most (the stats tick calls this). */
  flushWarnings(): void {
    const c = this.warnings.drain();
    if (c) this.o.log.warn({ counts: c }, `sender: ${describeCounts(c)} in the last second`);
  }

  private sendReport(): Promise<void> | void {
    const now = this.now();
    const packets = this.reports.report(now, ntpFromUnixMs(this.wallMs()), this.o.sender.srFigures(now));
    if (this.firstReport) {
      this.firstReport = false;
      this.o.log.debug({ ssrc: this.reports.ssrc }, 'first sender report (RTCP SR)');
    }
    return this.put(serializeRtcp(packets));
  }

  private put(rtcp: Buffer): Promise<void> | void {
    const wire = this.o.protection ? this.o.protection.protect(rtcp) : rtcp;
    return this.o.send(wire);
  }

  /** Stops the reports; `bye` sends the last one with BYE (a clean stop), resolved once it has left. */
  async stop(bye: boolean): Promise<void> {
    this.timer.stop();
    if (!bye) return;
    const now = this.now();
    await this.put(serializeRtcp(this.reports.bye(now, ntpFromUnixMs(this.wallMs()), this.o.sender.srFigures(now))));
  }
}
