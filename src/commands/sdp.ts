// `streamer sdp` and `streamer receive --sdp FILE`: the CLI side of src/net/sdp.ts.
import { readFileSync } from 'node:fs';
import type { AudioFormat } from '../shared/audio-format.js';
import { WavReadError, WavReader } from '../audio/wav/wav-reader.js';
import { UserError } from '../shared/errors.js';
import type { SdpStream } from '../net/sdp.js';
import { buildSdp, describeStream, parseSdp } from '../net/sdp.js';
import type { SessionConfig } from '../session/config.js';

/** Reads and parses an SDP file; any problem is one usage error naming the file. */
export function readSdpFile(path: string): SdpStream {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`--sdp ${path}: cannot read it (${(err as Error).message})`, 2);
  }
  const r = parseSdp(text);
  if (!r.ok) throw new UserError(`--sdp ${path}: ${r.error}`, 2);
  return r.value;
}

/** The format the sender would send: a WAV source decides its own. */
export function senderFormat(cfg: SessionConfig): AudioFormat {
  if (cfg.source.kind !== 'file' || cfg.formatGiven) return cfg.format;
  try {
    const r = WavReader.open(cfg.source.path);
    const f = r.format;
    r.close();
    return f;
  } catch (err) {
    throw new UserError((err as Error).message, 1, err instanceof WavReadError && err.kind === 'format' ? 'wav-format' : 'source-file');
  }
}

/** The stream `streamer send` with the same flags would send. */
export function streamFor(cfg: SessionConfig): SdpStream {
  return describeStream({
    host: cfg.host,
    port: cfg.port,
    protocol: cfg.protocol,
    // Opus is 48 kHz on the wire whatever --rate captures.
    format: cfg.codec === 'opus' ? { rate: 48000, channels: senderFormat(cfg).channels } : senderFormat(cfg),
    ...(cfg.codec !== 'l16' ? { codec: cfg.codec } : {}),
    ...(cfg.codec === 'opus' ? { fec: cfg.fec } : {}),
    frameMs: cfg.frameMs,
    key: cfg.key,
    ...(cfg.rtcpMux ? { rtcpMux: true } : {}),
  });
}

/** The SDP text for `streamer sdp`; stdout gets only this, so it can be redirected to a file. */
export function sdpText(cfg: SessionConfig, now = Date.now()): string {
  // RFC 4566 suggests an NTP timestamp for the session id; seconds are unique enough.
  // A multicast c= carries the TTL (RFC 4566 §5.7); a unicast one has none.
  return buildSdp(streamFor(cfg), { sessionId: Math.floor(now / 1000), ttl: cfg.ttl ?? 1 });
}
