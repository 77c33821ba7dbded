// What the receiver makes of its stream's packets for the dashboard and
// SPEC §4: the fate of each sequence number (played, late, lost), and from
// those the glitches by cause, the loss bursts, the jitter histogram and the
// E-model MOS. Pure: fed arrivals and a tick a second.
import { estimateMos, burstRatio, PCM_IMPAIRMENT, type CodecImpairment } from '../net/quality/emodel.js';
import { GlitchCounter, underrunGlitches, type GlitchCounts } from '../net/quality/glitches.js';
import { JitterHistogramWindow, type JitterHistogram } from '../net/quality/jitter-histogram.js';
import { LossBurstCounter, type LossBursts } from '../net/quality/loss-bursts.js';
import { SeqLedger } from '../net/quality/seq-ledger.js';

/** One-way network delay taken when no round trip is known (XR unanswered): a LAN's few ms, rounded up. */
export const NOMINAL_NETWORK_MS = 10;
/** Fewer settled packets than this in the recent window: the session's loss stands in for it. */
const MIN_RECENT = 100;

export class StreamQuality {
  private readonly glitchCounter = new GlitchCounter();
  private readonly burstCounter = new LossBurstCounter();
  private readonly ledger = new SeqLedger((fate) => {
    this.glitchCounter.add(fate);
    this.burstCounter.add(fate);
  });
  private readonly histogram: JitterHistogramWindow;

  constructor(
    rate: number,
    private readonly codec: CodecImpairment = PCM_IMPAIRMENT,
  ) {
    this.histogram = new JitterHistogramWindow(rate);
  }

  arrival(seq: number, rtpTimestamp: number, atMs: number, late: boolean): void {
    this.ledger.arrived(seq, late);
    this.histogram.arrival(rtpTimestamp, atMs);
  }

  /** A lost packet Opus rebuilt from its successor's FEC: it is no glitch, and no loss to the score. */
  recovered(seq: number): void {
    this.ledger.recovered(seq);
  }

  /** Another SSRC (or format): the old stream's packets settle, the new one's numbering starts afresh. */
  newStream(rate: number): void {
    this.endStream();
    this.ledger.reset();
    this.histogram.restart(rate);
  }

  endStream(): void {
    this.ledger.flush();
    this.glitchCounter.endRun();
    this.burstCounter.endRun();
  }

  /** Once a second, with that second's figures. */
  second(s: { deviceUnderruns: number; bufferUnderruns: number; lost: number; late: number }): void {
    this.glitchCounter.underrun(underrunGlitches(s));
    this.histogram.tick();
  }

  /**
   * The E-model over the recent window: loss and burst ratio of the last
   * ~1000 settled packets, one-way delay = playout delay + RTT/2 (or a
   * nominal LAN delay when there is no RTT).
   */
  mos(now: { bufferMs: number; rttMs: number | null; sessionLossPercent: number; codec?: CodecImpairment }): number {
    const r = this.burstCounter.recent();
    const recent = r.total >= MIN_RECENT;
    const lossPercent = recent ? (100 * r.lost) / r.total : now.sessionLossPercent;
    const delayMs = now.bufferMs + (now.rttMs === null ? NOMINAL_NETWORK_MS : now.rttMs / 2);
    return estimateMos({ delayMs, lossPercent, burstR: recent ? burstRatio(r.lost, r.total, r.bursts) : 1, codec: now.codec ?? this.codec });
  }

  glitches(): GlitchCounts {
    return this.glitchCounter.counts();
  }

  lossBursts(): LossBursts {
    return this.burstCounter.bursts();
  }

  jitterHistogram(): JitterHistogram {
    return this.histogram.histogram();
  }
}

/** The playout delay a receiver is taken to run at, for the sender's estimate: the default --jitter-ms. */
export const NOMINAL_PLAYOUT_MS = 40;
/** A receiver report older than this (about two RTCP intervals) covers no second of the history. */
export const REPORT_STALE_S = 2.5;

/**
 * The sender's estimate of what the receiver hears, from its reports: loss
 * = fraction lost of the last interval (random loss: an RR says nothing of
 * bursts), one-way delay = RTT/2 (or the nominal LAN delay) + a playout delay
 * of twice the reported jitter, at least the default 40 ms. Null with no report.
 */
export function remoteMos(r: { remoteLossPercent: number | null; remoteJitterMs: number | null; rttMs: number | null; reportAgeS: number | null }, codec: CodecImpairment = PCM_IMPAIRMENT): number | null {
  if (r.reportAgeS === null || r.remoteLossPercent === null) return null;
  const network = r.rttMs === null ? NOMINAL_NETWORK_MS : r.rttMs / 2;
  const playout = Math.max(NOMINAL_PLAYOUT_MS, 2 * (r.remoteJitterMs ?? 0));
  return estimateMos({ delayMs: network + playout, lossPercent: r.remoteLossPercent, burstR: 1, codec });
}
