// The receiver's RTCP: reads what arrives on the RTCP port (or mixed into the
// RTP port or the TCP stream), sends RR + SDES + XR RRTR about once a second
// while a stream plays, BYE when it closes. Reports go to where the sender's
// RTCP came from, else to the RTP source port + 1 (the RTP port itself with
// --rtcp-mux, the same connection over TCP); on a multicast group to the
// group's RTCP port. There we also hear the other receivers' reports: valid
// RTCP about someone else's view, read and ignored. Nothing here touches playout:
// hostile RTCP can only be counted.
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { ntpFromUnixMs } from '../net/rtcp/ntp.js';
import { isRtcp, parseRtcp } from '../net/rtcp/rtcp.js';
import { serializeRtcp } from '../net/rtcp/rtcp-serialize.js';
import { ReceiverReports, type ReceiverRtcpFigures } from '../net/rtcp/receiver-reports.js';
import type { Peer } from '../net/transport/udp-transport.js';
import { peerName } from '../net/transport/udp-transport.js';
import { RtcpTimer, type RtcpProtection } from './rtcp-timer.js';
import type { Receiver } from './receiver.js';

/** Which socket a packet came in on, and so which one answers: the RTCP port, the RTP port (mux), or the TCP connection. */
export type RtcpVia = 'rtcp' | 'rtp' | 'tcp';

export interface RtcpReturn {
  via: RtcpVia;
  peer: Peer;
}

export interface ReceiverRtcpOptions {
  receiver: Receiver;
  protocol: 'udp' | 'tcp';
  /** --rtcp-mux: reports go to the RTP port of the sender, not port + 1. */
  mux: boolean;
  cname: string;
  ssrc: number;
  send: (to: RtcpReturn, packet: Buffer) => Promise<void> | void;
  protection?: RtcpProtection;
  log: Logger;
  /**
   * Multicast: where reports go, whoever the sender is — the group's RTCP port
   * (RFC 3550 §6), so the sender and every other member hear them.
   */
  group?: () => RtcpReturn | undefined;
  /** The stream's sender left by saying so (BYE). */
  onBye?: (line: string) => void;
  now?: () => number;
  wallMs?: () => number;
}

export class ReceiverRtcp {
  private readonly reports: ReceiverReports<RtcpReturn>;
  private readonly timer: RtcpTimer;
  private readonly now: () => number;
  private readonly wallMs: () => number;
  private srSeen = false;
  private reportedTo = '';
  /** The last source played: its figures stay on show after it leaves. */
  private lastSsrc: number | undefined;

  constructor(private readonly o: ReceiverRtcpOptions) {
    this.now = o.now ?? (() => performance.now());
    this.wallMs = o.wallMs ?? (() => performance.timeOrigin + performance.now());
    this.reports = new ReceiverReports({ ssrc: o.ssrc, cname: o.cname });
    this.timer = new RtcpTimer(() => void this.sendReport());
    o.receiver.on('stream', ({ ssrc }) => {
      this.lastSsrc = ssrc;
      this.reports.newStream();
    });
  }

  start(): void {
    this.timer.start();
  }

  /** An RTCP packet, from a socket or a connection (already told apart from RTP where they share one). */
  handle(packet: Buffer, from: Peer, via: RtcpVia): void {
    const rx = this.o.receiver;
    if (!isRtcp(packet)) return rx.noteMalformed(via === 'rtcp' ? 'not RTCP on the RTCP port' : 'RTCP');
    let plain = packet;
    if (this.o.protection) {
      const r = this.o.protection.unprotect(packet);
      if (!r.ok) return r.error === 'short' ? rx.noteMalformed('SRTCP short') : rx.noteRejected(`SRTCP ${r.error}`);
      plain = r.packet;
    }
    const parsed = parseRtcp(plain);
    if (!parsed.ok) return rx.noteMalformed(`RTCP ${parsed.error}`);
    const source = rx.reportSource();
    const heard = this.reports.onRtcp(parsed.packets, this.now(), { via, peer: from }, source && { ssrc: source.ssrc, expected: source.figures.expected });
    if (heard.sr && !this.srSeen) {
      this.srSeen = true;
      this.o.log.info({ from: peerName(from) }, `sender reports arriving (RTCP) from ${peerName(from)}`);
    }
    if (heard.bye && source && rx.releaseSsrc(source.ssrc)) {
      const line = `the sender ${peerName(source.peer)} said goodbye (RTCP BYE)`;
      this.o.log.info({ peer: peerName(source.peer), ssrc: source.ssrc }, line);
      this.o.onBye?.(line);
    }
  }

  figures(): ReceiverRtcpFigures {
    return this.reports.figures(this.lastSsrc);
  }

  /** Where reports about this source go. */
  private returnPath(ssrc: number, rtpPeer: Peer): RtcpReturn | undefined {
    const group = this.o.group?.();
    if (group) return group;
    const heard = this.reports.senderAddress(ssrc);
    if (heard) return heard;
    // Over TCP only to a peer that speaks RTCP: one that never reads (GStreamer's rtpstreampay !
    // tcpclientsink) closes with our reports unread, and its kernel then resets the connection,
    // which throws away the last audio it sent before we read it.
    if (this.o.protocol === 'tcp') return undefined;
    if (this.o.mux) return { via: 'rtp', peer: rtpPeer };
    return { via: 'rtcp', peer: { address: rtpPeer.address, port: rtpPeer.port + 1 } };
  }

  private sendReport(bye = false): Promise<void> | void {
    const source = this.o.receiver.reportSource();
    if (!source) return; // nobody to report to
    const now = this.now();
    const ntp = ntpFromUnixMs(this.wallMs());
    const packets = bye ? this.reports.bye(now, ntp, source) : this.reports.report(now, ntp, source);
    const to = this.returnPath(source.ssrc, source.peer);
    if (!to) return;
    const name = `${to.via}:${peerName(to.peer)}`;
    if (name !== this.reportedTo) {
      this.reportedTo = name;
      this.o.log.debug({ to: peerName(to.peer), via: to.via }, `receiver reports (RTCP) go to ${peerName(to.peer)}`);
    }
    const rtcp = serializeRtcp(packets);
    return this.o.send(to, this.o.protection ? this.o.protection.protect(rtcp) : rtcp);
  }

  /** Stops the reports; `bye` sends a last one with BYE, resolved once it has left. */
  async stop(bye: boolean): Promise<void> {
    this.timer.stop();
    if (bye) await this.sendReport(true);
  }
}
