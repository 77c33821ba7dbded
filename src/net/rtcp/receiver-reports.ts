// The receiver's half of RTCP (RFC 3550 §6.4.2, RFC 3611): receiver reports
// about the stream we play, from the same statistics the dashboard shows, and
// what the sender's reports tell us. Pure: times come in as numbers, and
// `From` is whatever the caller needs to answer (an address, a connection).
//
// - The report block comes from ReportBlocks (A.3), with LSR/DLSR from the
//   sender's last SR as it reached us.
// - An XR RRTR goes with every report, so a sender that speaks RFC 3611 can
//   answer with DLRR; the receiver then knows the round trip too.
// - The SR's packet count against what we expected tells the packets the
//   sender sent before the first one we heard (we joined late, or the start
//   was lost), which no sequence number can show.
import type { Ntp, RtcpPacket } from './rtcp.js';
import { ntpMiddle } from './rtcp.js';
import { ReportBlocks, type SourceFigures } from './report-block.js';
import { fromUnits65536 } from './ntp.js';
import { trim } from './sender-reports.js';

export interface ReportSource {
  ssrc: number;
  figures: SourceFigures;
}

export interface ReceiverRtcpFigures {
  /** Round trip from XR DLRR; null when the sender does not answer RRTR. */
  rttMs: number | null;
  /** Packets the sender says it sent (its last SR). */
  senderSent: number | null;
  /** Packets sent before the first one we heard (least seen over the SRs: packets in flight look missing for a moment). */
  missedBeforeFirst: number | null;
}

export const NO_RECEIVER_RTCP: ReceiverRtcpFigures = { rttMs: null, senderSent: null, missedBeforeFirst: null };

interface HeardSr<From> {
  middle: number;
  atMs: number;
  packetCount: number;
  from: From;
}

export interface HeardRtcp {
  /** The packet carried an SR of the locked source. */
  sr: boolean;
  /** The locked source said BYE. */
  bye: boolean;
}

/** Sources whose SR we keep (an SR may come before the first RTP packet, as ffmpeg sends it). */
const KEPT_SOURCES = 16;
const KEPT_RRTRS = 16;

export class ReceiverReports<From> {
  private readonly srs = new Map<number, HeardSr<From>>();
  private readonly rrtrs = new Map<number, number>();
  private readonly blocks = new ReportBlocks();
  private rtt: number | null = null;
  private missed: number | null = null;

  constructor(private readonly o: { ssrc: number; cname: string }) {}

  get ssrc(): number {
    return this.o.ssrc;
  }

  /** A parsed compound packet. `locked` is the source we play and what we expected of it so far. */
  onRtcp(packets: RtcpPacket[], nowMs: number, from: From, locked: { ssrc: number; expected: number } | undefined): HeardRtcp {
    const heard: HeardRtcp = { sr: false, bye: false };
    for (const p of packets) {
      if (p.type === 'sr') {
        this.srs.delete(p.ssrc);
        this.srs.set(p.ssrc, { middle: ntpMiddle(p.ntp), atMs: nowMs, packetCount: p.packetCount, from });
        trim(this.srs, KEPT_SOURCES);
        if (locked && p.ssrc === locked.ssrc) {
          heard.sr = true;
          const missed = Math.max(0, p.packetCount - locked.expected);
          this.missed = this.missed === null ? missed : Math.min(this.missed, missed);
        }
      } else if (p.type === 'xr') {
        for (const d of p.dlrr) {
          if (d.ssrc >>> 0 !== this.o.ssrc) continue;
          const sent = this.rrtrs.get(d.lrr >>> 0);
          if (sent !== undefined) this.rtt = Math.max(0, nowMs - sent - fromUnits65536(d.dlrr));
        }
      } else if (p.type === 'bye') {
        if (locked && p.ssrcs.includes(locked.ssrc)) heard.bye = true;
      }
    }
    return heard;
  }

  /** Where the source's RTCP comes from: reports go back there. */
  senderAddress(ssrc: number): From | undefined {
    return this.srs.get(ssrc)?.from;
  }

  /** RR (with a block about `source`, if any) + SDES CNAME + XR RRTR. */
  report(nowMs: number, ntp: Ntp, source: ReportSource | undefined): RtcpPacket[] {
    const sr = source ? this.srs.get(source.ssrc) : undefined;
    const reports = source ? [this.blocks.next(source.ssrc, source.figures, sr && { middle: sr.middle, arrivedMs: sr.atMs }, nowMs)] : [];
    this.rrtrs.set(ntpMiddle(ntp), nowMs);
    trim(this.rrtrs, KEPT_RRTRS);
    return [
      { type: 'rr', ssrc: this.o.ssrc, reports },
      { type: 'sdes', chunks: [{ ssrc: this.o.ssrc, cname: this.o.cname }] },
      { type: 'xr', ssrc: this.o.ssrc, rrtr: ntp, dlrr: [] },
    ];
  }

  /** Our last reports, then BYE: the receiver is leaving. */
  bye(nowMs: number, ntp: Ntp, source: ReportSource | undefined): RtcpPacket[] {
    return [...this.report(nowMs, ntp, source), { type: 'bye', ssrcs: [this.o.ssrc] }];
  }

  /** Another source took over: its intervals and figures start again. */
  newStream(): void {
    this.blocks.reset();
    this.missed = null;
    this.rtt = null;
  }

  figures(lockedSsrc: number | undefined): ReceiverRtcpFigures {
    const sr = lockedSsrc === undefined ? undefined : this.srs.get(lockedSsrc);
    return { rttMs: this.rtt === null ? null : Math.round(this.rtt * 10) / 10, senderSent: sr ? sr.packetCount : null, missedBeforeFirst: this.missed };
  }
}
