import type { AudioFormat, CodecName } from '../shared/audio-format.js';
import type { JitterSpec } from '../audio/playout/jitter-spec.js';
import type { SdpStream } from '../net/sdp.js';

export type { JitterSpec };
export type Protocol = 'udp' | 'tcp';
export type SourceSpec = { kind: 'mic' } | { kind: 'tone'; hz: number } | { kind: 'file'; path: string };
export type SinkSpec = { kind: 'speaker' } | { kind: 'null' } | { kind: 'file'; path: string };
import type { ImpairOptions } from '../net/impair.js';
import type { LogOptions } from '../logging/logger.js';

/** Everything a send or receive session needs, validated. */
export interface SessionConfig {
  protocol: Protocol;
  host: string;
  bind: string;
  port: number;
  /** --rtcp-mux: RTCP on the RTP port (RFC 5761) instead of port + 1. */
  rtcpMux: boolean;
  /** Receiver: the RTCP port when an SDP's a=rtcp: names one other than port + 1. */
  rtcpPort?: number;
  format: AudioFormat;
  /** --codec (or the SDP's): the payload on the wire. */
  codec: CodecName;
  /** Opus: --bitrate (kbit/s) and --fec. */
  bitrateKbps: number;
  fec: boolean;
  /** Receiving Opus: the rate to play at when --rate names one other than the wire's 48 kHz. */
  playRate?: number;
  /** --rate/--channels (or an SDP) said the format; else it is the default, and a WAV source keeps its own. */
  formatGiven: boolean;
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
  /** Multicast (--ttl, --iface): hop limit of what we send to a group (1 when absent), and the interface address to use. */
  ttl?: number;
  iface?: string;
  /** --sap [NAME]: sender: announce the stream by SAP under NAME; receiver: play the announced stream (whose name contains NAME). */
  sap?: {
    name?: string;
    /** Sender: the stream `streamer sdp` describes for these flags (its codec, format, RTCP): what is announced. */
    stream?: SdpStream;
  };
  /** Receiver over TCP: drop a peer that sends no whole packet for this long (default 10 s). */
  tcpIdleMs?: number;
}
