import { readFileSync } from 'node:fs';
import { describeSystemError, UserError } from '../shared/errors.js';
import {
  parseBitrate,
  parseChannels,
  parseCodec,
  parseFrameMsFor,
  parseDriftPpm,
  parseDuration,
  parseIface,
  parseImpair,
  parseJitter,
  parsePort,
  parseRate,
  parseSink,
  parseSource,
  parseTtl,
  shown,
} from './options.js';
import { createLogger, logOptionProblem, LogFileError, LogOptionsError, type AppLogger, type LogOptions } from '../logging/logger.js';
import type { SessionConfig, SourceSpec } from '../session/config.js';
import { readSdpFile } from './sdp.js';
import { isMulticast } from '../net/multicast.js';

const DEFAULT_FORMAT = { rate: 44100, channels: 1 } as const;

const LOG_FLAGS = { file: '--log-file', maxSize: '--log-max-size', maxFiles: '--log-max-files', level: '--log-level' } as const;

/** yargs' --port default; an SDP's port wins over it, not over an explicit --port. */
const DEFAULT_PORT = 12345;

/** yargs' parsed options, camel-cased. A numeric one that is no number stays text as typed, for the error to quote. */
export interface RawArgs {
  protocol: 'udp' | 'tcp';
  host: string;
  bind: string;
  port: number;
  rtcpMux: boolean;
  /** Undefined when not given: 44100 Hz mono, or a WAV source's own format. */
  rate?: number;
  channels?: number;
  /** Undefined when not given: 20 ms for Opus, 10 for PCM. */
  frameMs?: number;
  codec?: string;
  bitrate?: number;
  fec?: boolean;
  source: string;
  sink: string;
  device?: number;
  jitterMs: string;
  jitterMinMs: number;
  jitterMaxMs: number;
  record?: string;
  recordDir: string;
  duration?: number;
  key?: string;
  keyFile?: string;
  sdp?: string;
  logFile: string;
  logMaxSize: string;
  logMaxFiles: number;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  headless: boolean;
  statsJson?: string;
  simLoss: number;
  simJitter: number;
  simReorder: number;
  simDup: number;
  simDriftPpm: number;
  simSeed?: number;
  tcpIdleMs?: number;
  /** --ttl, --iface: multicast. */
  ttl?: number;
  iface?: string;
  /** --sap [NAME]: '' when given without a name. */
  sap?: string;
}

function need<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) throw new UserError(r.error, 2);
  return r.value;
}

/** SRTP master key (16) + salt (14), base64 — ffmpeg's -srtp_out_params format. */
export function parseKey(text: string, origin: string): Buffer {
  const trimmed = text.trim();
  const buf = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || buf.length !== 30) {
    throw new UserError(`${origin}: an SRTP key is base64 of exactly 30 bytes (make one with: openssl rand -base64 30)`, 2);
  }
  return buf;
}

export function buildConfig(a: RawArgs, role: 'send' | 'receive' | 'demo'): SessionConfig {
  const rate = need(parseRate(a.rate ?? DEFAULT_FORMAT.rate));
  const channels = need(parseChannels(a.channels ?? DEFAULT_FORMAT.channels));
  if (!a.host) throw new UserError('--host must not be empty', 2);
  const logProblem = logOptionProblem({ file: a.logFile, maxSize: String(a.logMaxSize), maxFiles: a.logMaxFiles, level: a.logLevel });
  if (logProblem) throw new UserError(`${LOG_FLAGS[logProblem.option]}: ${logProblem.message}`, 2);
  let key: Buffer | undefined;
  if (a.key !== undefined) key = parseKey(a.key, '--key');
  else if (a.keyFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(a.keyFile, 'utf8');
    } catch (err) {
      throw new UserError(`--key-file ${a.keyFile}: cannot read it (${describeSystemError(err)})`, 1);
    }
    key = parseKey(text, `--key-file ${a.keyFile}`);
  }
  // The receiver takes the stream's format, key, port and transport from an SDP (flags it names win for key/port/protocol).
  const sdp = role === 'receive' && a.sdp !== undefined ? readSdpFile(a.sdp) : undefined;
  if (a.device !== undefined && !(Number.isInteger(a.device) && a.device >= 0)) {
    throw new UserError(`--device ${shown(a.device)}: must be a device id from \`streamer devices\``, 2);
  }
  const port = sdp && a.port === DEFAULT_PORT ? sdp.port : need(parsePort(a.port));
  const rtcpMux = a.rtcpMux === true || sdp?.rtcpMux === true;
  const protocol = sdp && a.protocol === 'udp' ? sdp.protocol : a.protocol;
  // An SDP's a=rtcp: names the receiver's RTCP port when it is not port + 1 (the port given on the command line wins).
  const rtcpPort = rtcpMux ? undefined : sdp?.rtcpPort !== undefined && a.port === DEFAULT_PORT ? sdp.rtcpPort : port + 1;
  if (protocol === 'udp' && rtcpPort !== undefined && rtcpPort > 65535) {
    throw new UserError(`--port ${port}: RTCP goes to port + 1, and there is none above 65535; pick a lower port or --rtcp-mux`, 2);
  }
  if (protocol === 'tcp' && (isMulticast(a.host) || isMulticast(a.bind))) {
    throw new UserError(`${isMulticast(a.host) ? `--host ${a.host}` : `--bind ${a.bind}`} is a multicast group, and multicast is UDP only: drop --protocol tcp`, 2);
  }
  const sap = a.sap === undefined ? undefined : { ...(a.sap ? { name: String(a.sap) } : {}) };
  if (sap && protocol === 'tcp') throw new UserError('--sap announces and finds UDP streams; it does not go with --protocol tcp', 2);
  if (sap && role === 'receive' && a.sdp !== undefined) throw new UserError('--sap and --sdp both say where the stream is: give one', 2);
  // An SDP names the codec; otherwise --codec (l16 by default). Opus is 48 kHz on the wire, whatever --rate captures.
  const codec = sdp?.codec ?? need(parseCodec(a.codec ?? 'l16'));
  const format = sdp ? sdp.format : role !== 'send' && codec === 'opus' ? { rate: 48000, channels } : { rate, channels };
  const bitrateKbps = need(parseBitrate(codec, a.bitrate, format.channels));
  if (a.fec === false && codec !== 'opus') throw new UserError(`--no-fec: only --codec opus has in-band FEC`, 2);
  return {
    protocol,
    host: a.host,
    codec,
    bitrateKbps,
    fec: a.fec ?? sdp?.fec ?? true,
    ...(role === 'receive' && codec === 'opus' && a.rate !== undefined && rate !== 48000 ? { playRate: rate } : {}),
    bind: a.bind,
    port,
    rtcpMux,
    ...(rtcpPort !== undefined && rtcpPort !== port + 1 ? { rtcpPort } : {}),
    format,
    formatGiven: sdp !== undefined || a.rate !== undefined || a.channels !== undefined,
    frameMs: need(parseFrameMsFor(codec, a.frameMs ?? (sdp?.frameMs !== undefined && codec !== 'l16' ? sdp.frameMs : undefined))),
    source: belowNyquist(need(parseSource(a.source)), sdp ? sdp.format.rate : rate),
    sink: need(parseSink(a.sink)),
    device: a.device,
    jitter: need(parseJitter(a.jitterMs, a.jitterMinMs, a.jitterMaxMs)),
    record: { atStart: a.record !== undefined, path: a.record ? a.record : undefined },
    recordDir: a.recordDir,
    durationS: need(parseDuration(a.duration)),
    key: key ?? sdp?.key,
    log: { file: a.logFile, maxSize: String(a.logMaxSize), maxFiles: a.logMaxFiles, level: a.logLevel, stderr: 'human' },
    headless: a.headless,
    statsJson: a.statsJson,
    impair: { ...need(parseImpair(a)), ...(Number.isInteger(a.simSeed) ? { seed: a.simSeed } : {}) },
    driftPpm: need(parseDriftPpm(a.simDriftPpm)),
    tcpIdleMs: a.tcpIdleMs !== undefined && a.tcpIdleMs > 0 ? a.tcpIdleMs : undefined,
    ttl: need(parseTtl(a.ttl ?? 1)),
    ...(a.iface !== undefined ? { iface: need(parseIface(a.iface)) } : {}),
    ...(sap ? { sap } : {}),
  };
}

/** A tone the stream's rate can carry: at 44.1 kHz, below 22 050 Hz (above it would alias into another pitch). */
function belowNyquist(source: SourceSpec, rate: number): SourceSpec {
  if (source.kind === 'tone' && source.hz >= rate / 2) {
    throw new UserError(`--source tone:${source.hz}: a ${rate} Hz stream carries tones below ${rate / 2} Hz; pick a lower one or a higher --rate`, 2);
  }
  return source;
}

/** The logger, with its failures turned into one-line user errors. */
export function openLogger(opts: LogOptions): AppLogger {
  try {
    return createLogger({
      ...opts,
      onError: (err) => {
        if (opts.stderr) process.stderr.write(`streamer: logging stopped: ${err.message}\n`);
      },
    });
  } catch (err) {
    if (err instanceof LogOptionsError) throw new UserError(err.message, 2);
    if (err instanceof LogFileError) throw new UserError(`${err.message} — choose another --log-file`, 1);
    throw err;
  }
}
