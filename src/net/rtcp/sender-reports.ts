// The sender's half of RTCP (RFC 3550 §6.4): the sender reports it sends, and
// what the receivers' reports say back — loss, jitter and the round trip.
// Pure: times come in as numbers (ms of a monotonic clock, and the NTP time
// the SR carries), so tests drive it with fixed values.
//
// Round trip (§6.4.1): the receiver echoes the middle 32 bits of our last SR
// (LSR) and how long it held it (DLSR). We remember when each SR left on our
// monotonic clock, so RTT = now − sent(LSR) − DLSR needs no wall clock at all.
import type { Ntp, ReportBlock, RtcpPacket } from './rtcp.js';
import { ntpMiddle } from './rtcp.js';
import { fromUnits65536, toUnits65536 } from './ntp.js';

/** What the receivers last told us (SPEC §4 sender fields); null until a report arrives. */
export interface RemoteFigures {
  remoteLost: number | null;
  remoteLossPercent: number | null;
  remoteJitterMs: number | null;
  rttMs: number | null;
  reportAgeS: number | null;
  /**
   * Receivers that reported in the last 5 s (multicast: each one reports). With
   * several, the figures above are the worst one's: highest loss fraction, then
   * most lost, then most jitter.
   */
  remoteReceivers: number | null;
}

export const NO_REMOTE_FIGURES: RemoteFigures = {
  remoteLost: null,
  remoteLossPercent: null,
  remoteJitterMs: null,
  rttMs: null,
  reportAgeS: null,
  remoteReceivers: null,
};

/** A receiver whose last report is older than this no longer counts as present (nor as the worst). */
export const REPORTER_FRESH_MS = 5000;
/** Receivers whose reports we keep apart (a multicast group); the one heard longest ago goes first. */
const KEPT_REPORTERS = 64;

interface Reporter {
  block: ReportBlock;
  atMs: number;
  rtt: number | null;
}

export interface SrFigures {
  /** Packets sent since the start (RFC 3550: of this SSRC). */
  packetCount: number;
  /** Payload octets sent since the start. */
  octetCount: number;
  /** The RTP timestamp that corresponds to `ntp`. */
  rtpTimestamp: number;
}

/** How a compound report from a receiver read. */
export type ReportVerdict = 'ok' | 'unknown-ssrc';

/** SRs remembered for the round trip: a report older than this many of ours is too stale to time anyway. */
const KEPT_SRS = 16;
/** Receivers whose RRTR we answer with DLRR (RFC 3611 §4.5). */
const KEPT_RRTRS = 16;

export class SenderReports {
  private readonly sentSrs = new Map<number, number>();
  private readonly rrtrs = new Map<number, { middle: number; atMs: number }>();
  private readonly reporters = new Map<number, Reporter>();
  private reports = 0;

  constructor(private readonly o: { ssrc: number; cname: string; clockRate: number }) {}

  get ssrc(): number {
    return this.o.ssrc;
  }

  /** Receiver reports taken so far (reports about us). */
  get received(): number {
    return this.reports;
  }

  /** SR + SDES CNAME, and XR DLRR for receivers that sent an RRTR. */
  report(nowMs: number, ntp: Ntp, f: SrFigures): RtcpPacket[] {
    this.sentSrs.set(ntpMiddle(ntp), nowMs);
    trim(this.sentSrs, KEPT_SRS);
    const packets: RtcpPacket[] = [
      { type: 'sr', ssrc: this.o.ssrc, ntp, rtpTimestamp: f.rtpTimestamp >>> 0, packetCount: f.packetCount >>> 0, octetCount: f.octetCount >>> 0, reports: [] },
      { type: 'sdes', chunks: [{ ssrc: this.o.ssrc, cname: this.o.cname }] },
    ];
    if (this.rrtrs.size > 0) {
      const dlrr = [...this.rrtrs].map(([ssrc, r]) => ({ ssrc, lrr: r.middle, dlrr: toUnits65536(nowMs - r.atMs) }));
      packets.push({ type: 'xr', ssrc: this.o.ssrc, dlrr });
    }
    return packets;
  }

  /** The last report, then BYE (§6.6): a clean stop, so receivers need not wait for a timeout. */
  bye(nowMs: number, ntp: Ntp, f: SrFigures, reason?: string): RtcpPacket[] {
    return [...this.report(nowMs, ntp, f), { type: 'bye', ssrcs: [this.o.ssrc], ...(reason ? { reason } : {}) }];
  }

  /** A parsed compound packet from a receiver. A report whose blocks are all about other sources is 'unknown-ssrc'. */
  onRtcp(packets: RtcpPacket[], nowMs: number): ReportVerdict {
    let blocks = 0;
    let ours = 0;
    for (const p of packets) {
      if (p.type === 'rr' || p.type === 'sr') {
        for (const b of p.reports) {
          blocks++;
          if (b.ssrc >>> 0 !== this.o.ssrc) continue;
          ours++;
          this.take(p.ssrc >>> 0, b, nowMs);
        }
      } else if (p.type === 'xr' && p.rrtr) {
        this.rrtrs.delete(p.ssrc);
        this.rrtrs.set(p.ssrc, { middle: ntpMiddle(p.rrtr), atMs: nowMs });
        trim(this.rrtrs, KEPT_RRTRS);
      }
    }
    return blocks > 0 && ours === 0 ? 'unknown-ssrc' : 'ok';
  }

  private take(reporter: number, b: ReportBlock, nowMs: number): void {
    this.reports++;
    const before = this.reporters.get(reporter);
    let rtt = before?.rtt ?? null;
    const sent = b.lsr === 0 ? undefined : this.sentSrs.get(b.lsr >>> 0); // 0: no SR of ours reached it yet
    // A DLSR a little longer than the true hold (rounding) must not give a negative trip.
    if (sent !== undefined) rtt = Math.max(0, nowMs - sent - fromUnits65536(b.dlsr));
    this.reporters.delete(reporter);
    this.reporters.set(reporter, { block: b, atMs: nowMs, rtt });
    trim(this.reporters, KEPT_REPORTERS);
  }

  figures(nowMs: number): RemoteFigures {
    if (this.reporters.size === 0) return NO_REMOTE_FIGURES;
    const all = [...this.reporters.values()];
    const fresh = all.filter((r) => nowMs - r.atMs < REPORTER_FRESH_MS);
    // None fresh: the last one heard, whose age then says it is stale.
    const shown = fresh.length > 0 ? fresh.reduce((a, b) => (worse(b, a) ? b : a)) : all[all.length - 1]!;
    const l = shown.block;
    return {
      remoteLost: l.cumulativeLost,
      remoteLossPercent: Math.round((l.fractionLost / 256) * 10000) / 100,
      remoteJitterMs: Math.round(((l.jitter * 1000) / this.o.clockRate) * 10) / 10,
      rttMs: shown.rtt === null ? null : Math.round(shown.rtt * 10) / 10,
      reportAgeS: Math.round((nowMs - shown.atMs) / 100) / 10,
      remoteReceivers: fresh.length,
    };
  }
}

/** a's report is worse than b's: more of the last interval lost, then more lost in all, then more jitter. */
function worse(a: Reporter, b: Reporter): boolean {
  if (a.block.fractionLost !== b.block.fractionLost) return a.block.fractionLost > b.block.fractionLost;
  if (a.block.cumulativeLost !== b.block.cumulativeLost) return a.block.cumulativeLost > b.block.cumulativeLost;
  return a.block.jitter > b.block.jitter;
}

/** Keeps a Map to its newest `max` entries (insertion order). */
export function trim<K, V>(m: Map<K, V>, max: number): void {
  while (m.size > max) m.delete(m.keys().next().value as K);
}
