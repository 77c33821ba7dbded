import type { AudioFormat } from '../shared/audio-format.js';
import type { JitterSpec, Protocol, SinkSpec, SourceSpec } from '../commands/options.js';
import type { ImpairOptions } from '../net/impair.js';
import type { LogOptions } from '../logging/logger.js';

/** Everything a send or receive session needs, validated. */
export interface SessionConfig {
  protocol: Protocol;
  host: string;
  bind: string;
  port: number;
  format: AudioFormat;
  frameMs: number;
  source: SourceSpec;
  sink: SinkSpec;
  device: number | undefined;
  jitter: JitterSpec;
  record: { atStart: boolean; path: string | undefined };
  recordDir: string;
  durationS: number | undefined;
  key: Buffer | undefined;
  log: LogOptions;
  headless: boolean;
  statsJson: string | undefined;
  impair: ImpairOptions;
  driftPpm: number;
  /** Receiver over TCP: drop a peer that sends no whole packet for this long (default 10 s). */
  tcpIdleMs?: number;
}
