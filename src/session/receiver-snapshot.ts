import type { CodecName } from '../shared/audio-format.js';
import type { SeqStats } from '../net/rtp/receiver-stats.js';
import type { ReceiverRtcpFigures } from '../net/rtcp/receiver-reports.js';
import type { GlitchCounts } from '../net/quality/glitches.js';
import type { JitterHistogram } from '../net/quality/jitter-histogram.js';
import type { LossBursts } from '../net/quality/loss-bursts.js';

/** Seconds of history the screen gets (the `gaps` array), oldest first. */
export const HISTORY_SECONDS = 300;

/** One second of what went wrong, for the dashboard's gap strip and history charts. */
export interface SecondGaps {
  /** Packets that arrived in the second: 0 is no data, which is not a clean second. */
  received: number;
  lost: number;
  late: number;
  reordered: number;
  duplicates: number;
  concealedMs: number;
  /** Interarrival jitter (RFC 3550 A.8) at the end of the second; null with no stream yet. */
  jitterMs: number | null;
  /** Playout delay, averaged over the second; null with no stream yet. */
  bufferMs: number | null;
  /** The playout delay the buffer aims at that second. */
  targetMs: number;
  /** Underruns in that second (the buffer's and the device's). */
  underruns: number;
}

/** SPEC §4 receiver statistics (the sequence ones from RFC 3550), plus what the dashboard shows beside them. */
export interface ReceiverSnapshot extends SeqStats, ReceiverRtcpFigures {
  role: 'receiver';
  late: number;
  concealedMs: number;
  bufferMs: number;
  targetMs: number;
  malformed: number;
  rejected: number;
  bitrateKbps: number;
  peakDbfs: number;
  rmsDbfs: number;
  recording: string | null;
  underruns: number;
  overflows: number;
  /** Queued audio dropped to bring the playout delay back to its target after a stall (session total, ms). */
  skippedMs: number;
  uptimeS: number;
  driftPpm: number | null;
  loopDelayP99Ms: number;
  peer: string | null;
  format: string | null;
  /** The stream's payload codec; null before a stream. */
  codec: CodecName | null;
  /** SPEC §4: ITU-T G.107 E-model estimate (1–4.5); null until there is a stream. */
  mos: number | null;
  /** SPEC §4: audible events by cause, for the session. */
  glitches: GlitchCounts;
  /** Packets rebuilt by FEC (Opus); 0 for PCM. */
  recovered: number;
  /** Screen only: |D| of each packet's transit against the previous one's, over the last 60 s. */
  jitterHistogram: JitterHistogram;
  /** Screen only: loss bursts of the session by length. */
  lossBursts: LossBursts;
  /** The last ≤300 seconds, oldest first (not written to --stats-json). */
  gaps: SecondGaps[];
}

/** Fields of a snapshot meant for the screen only: the history and its figures. */
export const SCREEN_ONLY_FIELDS = ['gaps', 'jitterHistogram', 'lossBursts', 'remoteHistory'] as const;

/** A snapshot as files and logs keep it: the history charts are for the screen only. */
export function withoutGaps<T extends object>(s: T): Omit<T, (typeof SCREEN_ONLY_FIELDS)[number]> {
  const rest = { ...s } as Record<string, unknown>;
  for (const k of SCREEN_ONLY_FIELDS) delete rest[k];
  return rest as Omit<T, (typeof SCREEN_ONLY_FIELDS)[number]>;
}
