import type { CodecName } from '../shared/audio-format.js';
import type { SeqStats } from '../net/rtp/receiver-stats.js';
import type { ReceiverRtcpFigures } from '../net/rtcp/receiver-reports.js';

/** One second of what went wrong, for the dashboard's gap strip. */
export interface SecondGaps {
  /** Packets that arrived in the second: 0 is no data, which is not a clean second. */
  received: number;
  lost: number;
  late: number;
  reordered: number;
  duplicates: number;
  concealedMs: number;
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
  uptimeS: number;
  driftPpm: number | null;
  loopDelayP99Ms: number;
  peer: string | null;
  format: string | null;
  /** The stream's payload codec; null before a stream. */
  codec: CodecName | null;
  /** Lost packets rebuilt from the next packet's in-band FEC (Opus). */
  recovered: number;
  /** The last ≤60 seconds, oldest first (not written to --stats-json). */
  gaps: SecondGaps[];
}

/** A snapshot as files and logs keep it: the gap strip is for the screen only. */
export function withoutGaps<T extends object>(s: T): Omit<T, 'gaps'> {
  const { gaps: _gaps, ...rest } = s as T & { gaps?: unknown };
  return rest;
}
