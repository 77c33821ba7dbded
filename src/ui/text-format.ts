// Number formatting for the dashboard, pure.
import { DBFS_FLOOR, type SenderSnapshot } from './bridge/types.js';

/** `-6.0`, or `-inf` for digital silence. */
export function fmtDb(dbfs: number): string {
  if (!Number.isFinite(dbfs) || dbfs <= DBFS_FLOOR) return '-inf';
  return dbfs.toFixed(1);
}

/** Seconds as `m:ss`, or `h:mm:ss` from an hour on. */
export function fmtClock(totalS: number): string {
  const s = Math.max(0, Math.floor(totalS));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

import { fmtBytes } from '../shared/units.js';

export { fmtBytes };

export function fmtKbps(kbps: number): string {
  return kbps >= 1000 ? `${(kbps / 1000).toFixed(2)} Mbit/s` : `${kbps.toFixed(1)} kbit/s`;
}

/** "+12 ppm ≈ +43 ms/hour": how far the sender's clock walks from ours. */
export function formatDrift(ppm: number | null): string {
  if (ppm === null || !Number.isFinite(ppm)) return 'measuring…';
  const p = Math.round(ppm);
  const msPerHour = Math.round(p * 3.6); // 1 ppm of 3600 s is 3.6 ms
  const sign = (v: number): string => (v > 0 ? '+' : v < 0 ? '-' : '');
  return `${sign(p)}${Math.abs(p)} ppm ≈ ${sign(msPerHour)}${Math.abs(msPerHour)} ms/hour`;
}

/**
 * The leading parts, in order, that fit in `width` joined by two spaces: a
 * line says fewer things whole rather than cutting the last one mid-word.
 * The first `keep` stay whatever the width (the Text's truncation cuts them).
 * Widths are string lengths: the header's text is one column a character.
 */
export function fitParts(parts: readonly string[], width: number, keep = 1): string[] {
  let n = parts.length;
  while (n > keep && parts.slice(0, n).join('  ').length > width) n--;
  return parts.slice(0, n);
}

/** Figures of the receiver's reports, as the sender screen shows them. */
export type RemoteReport = Pick<SenderSnapshot, 'remoteLost' | 'remoteLossPercent' | 'remoteJitterMs' | 'rttMs' | 'reportAgeS' | 'uptimeS'> &
  Partial<Pick<SenderSnapshot, 'remoteReceivers'>>;

/** A report older than this is stale: the receiver stopped reporting (or left). */
export const STALE_REPORT_S = 5;
/** How long to wait for the first report before saying there is none (a peer without RTCP). */
export const FIRST_REPORT_WAIT_S = 3;

/**
 * The receiver's view as one line, and how it should look: "loss 8.6 %  lost 32
 * jitter 0.7 ms  RTT 3.4 ms  0.2 s ago", or that no receiver reports (yet).
 */
export function describeRemote(r: RemoteReport | undefined): { text: string; tone: 'normal' | 'dim' | 'warn' } {
  if (!r || r.reportAgeS === null) {
    if (!r || r.uptimeS < FIRST_REPORT_WAIT_S) return { text: 'waiting for receiver reports (RTCP)…', tone: 'dim' };
    return { text: 'no receiver reports: the receiver sends no RTCP (or it cannot reach us)', tone: 'dim' };
  }
  const parts = [
    `loss ${r.remoteLossPercent === null ? '–' : `${r.remoteLossPercent.toFixed(1)} %`}`,
    `lost ${r.remoteLost ?? '–'}`,
    `jitter ${r.remoteJitterMs === null ? '–' : `${r.remoteJitterMs.toFixed(1)} ms`}`,
    `RTT ${r.rttMs === null ? '–' : `${r.rttMs.toFixed(1)} ms`}`,
  ];
  const stale = r.reportAgeS >= STALE_REPORT_S;
  parts.push(stale ? `last report ${Math.round(r.reportAgeS)} s ago (stale)` : `${r.reportAgeS.toFixed(1)} s ago`);
  // A multicast group: every receiver reports, and the figures are the worst one's.
  if (!stale && (r.remoteReceivers ?? 0) > 1) parts.unshift(`worst of ${r.remoteReceivers}:`);
  return { text: parts.join('   '), tone: stale ? 'warn' : 'normal' };
}

/** Audible events by cause, as SPEC §4 `glitches` counts them. */
export interface GlitchFigures {
  network: number;
  late: number;
  underrun: number;
  total: number;
}

export type GlitchTone = 'network' | 'late' | 'underrun' | 'recovered' | 'plain';

/** One piece of the cause line, with what it is about (the screen colours by it). */
export interface GlitchPart {
  text: string;
  tone: GlitchTone;
}

/**
 * "glitches 5: network 3 (concealed) · late 1 · our side 1 (device underrun)
 * recovered 2 by FEC": every audible glitch by cause, so a loss on the network
 * never reads as this machine's fault, nor the other way round. The widest
 * wording that fits `width` (the numbers stay; the words in brackets go first).
 */
export function describeGlitches(g: GlitchFigures, recovered: number, width: number, underruns?: number): GlitchPart[] {
  // The buffer's underruns in a second with loss or late packets are the network glitch heard,
  // counted there (net/quality/glitches.ts): said apart, or `underruns 5` beside `our side 0` reads as a contradiction.
  const afterLoss = underruns === undefined ? 0 : Math.max(0, underruns - g.underrun);
  const why = (long: boolean, ours: boolean): string =>
    afterLoss === 0 ? '' : `  underruns ${underruns}: ${afterLoss} after ${long ? 'network ' : ''}loss${ours ? `, ${Math.min(g.underrun, underruns ?? 0)} our side` : ''}`;
  const wordings: [string, string, string, string, string][] = [
    [' (concealed)', ' (past playout)', ' (device underrun)', ' by FEC', why(true, true)],
    [' (concealed)', '', ' (device underrun)', ' by FEC', why(true, true)],
    ['', '', ' (underrun)', '', why(true, true)],
    ['', '', '', '', why(true, true)],
    ['', '', '', '', why(false, false)],
  ];
  let best: GlitchPart[] = [];
  for (const [net, late, ours, fec, under] of wordings) {
    const parts: GlitchPart[] = [{ text: `glitches ${g.total}: `, tone: 'plain' }];
    if (g.total === 0 && g.network === 0 && g.late === 0 && g.underrun === 0) parts.push({ text: 'none heard', tone: 'plain' });
    else {
      parts.push({ text: `network ${g.network}${net}`, tone: g.network > 0 ? 'network' : 'plain' });
      parts.push({ text: ' · ', tone: 'plain' });
      parts.push({ text: `late ${g.late}${late}`, tone: g.late > 0 ? 'late' : 'plain' });
      parts.push({ text: ' · ', tone: 'plain' });
      parts.push({ text: `our side ${g.underrun}${ours}`, tone: g.underrun > 0 ? 'underrun' : 'plain' });
    }
    if (under) parts.push({ text: under, tone: 'plain' });
    if (recovered > 0) parts.push({ text: `  recovered ${recovered}${fec}`, tone: 'recovered' });
    best = parts;
    if (parts.reduce((n, p) => n + p.text.length, 0) <= width) break;
  }
  return best;
}

/** `4.3`, or `–` while there is nothing to score. */
export function fmtMos(mos: number | null): string {
  return mos === null || !Number.isFinite(mos) ? '–' : mos.toFixed(1);
}

/** "replay saved: replay_20261202_150626.wav  30.0 s  2.5 MiB  in Recording/": the name first, then where it is. */
export function replaySavedLine(r: { path: string; durationS: number; bytes: number }): string {
  const cut = r.path.lastIndexOf('/');
  const name = cut < 0 ? r.path : r.path.slice(cut + 1);
  const dir = cut < 0 ? './' : r.path.slice(0, cut + 1);
  return `replay saved: ${name}  ${r.durationS.toFixed(1)} s  ${fmtBytes(r.bytes)}  in ${dir}`;
}
