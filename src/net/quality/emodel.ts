// ITU-T G.107 E-model, simplified for a one-way audio stream (SPEC §4 `mos`). Pure.
//
//   R = (Ro − Is) − Idd − Ie,eff + A
//
// - Ro − Is = 93.2: G.107's default values for everything we cannot measure
//   (loudness ratings, circuit and room noise, sidetone; echo taken as
//   cancelled, so Idte and Idle stay at their defaults). A = 0 (wired user).
// - Idd (G.107 §7.2.7, with mT = 100 ms, sT = 1): the impairment of absolute
//   one-way delay Ta; 0 up to 100 ms, then
//     X = log2(Ta / 100)
//     Idd = 25 · ((1 + X⁶)^(1/6) − 3 · (1 + (X/3)⁶)^(1/6) + 2)
// - Ie,eff (G.107 §7.2.9): Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl), with
//   Ppl the packet loss in percent and BurstR the burst ratio: the mean length
//   of the loss bursts seen over the mean expected for random loss at that
//   rate, 1 / (1 − p); so BurstR = meanBurst · (1 − p), 1 for random loss.
// - MOS (G.107 Annex B): 1 for R < 0, 4.5 for R > 100, else
//     1 + 0.035 R + R (R − 60)(100 − R) · 7·10⁻⁶
//
// Limits: it is a narrowband telephony planning model. It knows no music, no
// bandwidth above 3.4 kHz (wideband PCM is no better than G.711 here, so the
// best score is 4.41), no time-varying quality within the window it is fed,
// and no echo, noise or level problems; it estimates, it does not listen.

/** How a codec stands up in the E-model. */
export interface CodecImpairment {
  /** Equipment impairment factor of the codec on a clean link. */
  ie: number;
  /** Packet-loss robustness factor (with the receiver's concealment). */
  bpl: number;
}

/**
 * Linear PCM (L16, L24) is G.711's class or better: Ie 0 (G.113 Appendix I,
 * Table I.1). Bpl: G.113 Appendix I, Table I.3 gives G.711 4.3 without
 * packet loss concealment and 25.1 with it (G.711 Appendix I, waveform
 * repetition). Our concealer repeats the last played audio and fades it out
 * (audio/playout/conceal.ts), the same technique, so PCM takes 25.1.
 */
export const PCM_IMPAIRMENT: CodecImpairment = { ie: 0, bpl: 25.1 };

/**
 * Opus: ITU-T publishes no narrowband Ie for it. These are estimates that
 * place Opus at a bitrate beside the G.113 Appendix I codec of similar rate
 * and quality (G.729A 8 kbit/s: Ie 11; AMR / GSM-EFR 12.2 kbit/s: Ie 5), and
 * at 0 from 24 kbit/s, where listening tests rate Opus at or above G.711
 * (so the narrowband scale has nothing to take off). Bpl: Opus's own
 * concealment, taken like G.711's with PLC (25.1); in-band FEC rebuilds a
 * single loss, which lowers Ppl itself (recovered packets are not lost).
 */
export function opusImpairment(bitrateKbps: number): CodecImpairment {
  const ie = bitrateKbps >= 24 ? 0 : bitrateKbps >= 16 ? 2 : bitrateKbps >= 12 ? 5 : 11;
  return { ie, bpl: 25.1 };
}

/** Ro − Is with G.107's default values. */
export const R_DEFAULT = 93.2;

/** G.107 Idd: impairment of an absolute one-way delay of `ta` ms. */
export function delayImpairment(ta: number): number {
  if (!(ta > 100)) return 0;
  const x = Math.log(ta / 100) / Math.LN2;
  return 25 * (Math.pow(1 + x ** 6, 1 / 6) - 3 * Math.pow(1 + (x / 3) ** 6, 1 / 6) + 2);
}

/** G.107 Ie,eff for `lossPercent` % loss with burst ratio `burstR` (≥ 1). */
export function lossImpairment(c: CodecImpairment, lossPercent: number, burstR = 1): number {
  const ppl = Math.max(0, lossPercent);
  if (ppl === 0) return c.ie;
  const br = Math.max(1, burstR);
  return c.ie + ((95 - c.ie) * ppl) / (ppl / br + c.bpl);
}

export interface EmodelInput {
  /** One-way mouth-to-ear delay, ms. */
  delayMs: number;
  lossPercent: number;
  /** 1 for random loss; see burstRatio. */
  burstR?: number;
  codec?: CodecImpairment;
}

export function rFactor(i: EmodelInput): number {
  return R_DEFAULT - delayImpairment(i.delayMs) - lossImpairment(i.codec ?? PCM_IMPAIRMENT, i.lossPercent, i.burstR ?? 1);
}

/** G.107 Annex B: R to MOS. */
export function mosFromR(r: number): number {
  if (r < 0) return 1;
  if (r > 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

/** The E-model's MOS, rounded to 2 decimals. */
export function estimateMos(i: EmodelInput): number {
  return Math.round(mosFromR(rFactor(i)) * 100) / 100;
}

/**
 * G.107's BurstR from what was seen: the mean burst length over 1 / (1 − p),
 * the mean for random loss at that rate; 1 with no losses.
 */
export function burstRatio(lost: number, total: number, bursts: number): number {
  if (lost <= 0 || bursts <= 0 || total <= 0) return 1;
  const p = Math.min(lost / total, 0.99);
  return Math.max(1, (lost / bursts) * (1 - p));
}

export type MosBand = 'excellent' | 'good' | 'fair' | 'poor' | 'bad';

/**
 * G.107 Annex B (Table B.1) user satisfaction by R: ≥ 90 very satisfied,
 * ≥ 80 satisfied, ≥ 70 some users dissatisfied, ≥ 60 many dissatisfied,
 * below that nearly all. The MOS edges are those R values through mosFromR,
 * to two decimals as `mos` is given: 4.34, 4.02, 3.60, 3.10.
 */
const BAND_EDGES: ReadonlyArray<[number, MosBand]> = [
  [4.34, 'excellent'],
  [4.02, 'good'],
  [3.6, 'fair'],
  [3.1, 'poor'],
];

export function mosBand(mos: number): MosBand {
  for (const [edge, band] of BAND_EDGES) if (mos >= edge) return band;
  return 'bad';
}

/** `mosBand` under the name the brief gave it. */
export const mosLabel = mosBand;
