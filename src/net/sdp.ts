// SDP (RFC 4566) for one L16 audio stream: what `streamer sdp` prints for
// ffplay / ffmpeg / VLC / GStreamer, and what `streamer receive --sdp` reads.
//
//   v=0
//   o=- <session id> 1 IN IP4 <host>
//   s=streamer
//   c=IN IP4 <host>                      where the stream goes (the receiver)
//   t=0 0
//   m=audio <port> RTP/AVP <pt>          RTP/SAVP with SRTP; TCP/RTP/AVP over RFC 4571
//   a=rtpmap:<pt> L16/<rate>/<channels>   or L24/<rate>/<channels> (RFC 3190), or
//   a=rtpmap:<pt> opus/48000/2           Opus, whatever its channels (RFC 7587 §7), with
//   a=fmtp:<pt> useinbandfec=1; stereo=<0|1>; sprop-stereo=<0|1>
//   a=ptime:<frame ms>
//   a=rtcp:<port + 1>                    RTCP's port (RFC 3605), or
//   a=rtcp-mux                           RTCP on the RTP port (RFC 5761)
//   a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<base64 key+salt>   (with a key)

import type { AudioFormat, CodecName } from '../shared/audio-format.js';
import { PT_L16_MONO_44100, PT_L16_STEREO_44100, formatForPayloadType, isDynamic, payloadTypeFor } from './rtp/payload-types.js';
import { KEY_AND_SALT_BYTES } from './srtp/srtp-crypto.js';
import { isMulticast } from './multicast.js';

export const SRTP_SUITE = 'AES_CM_128_HMAC_SHA1_80';

export interface SdpStream {
  /** c=: where the stream is sent (the receiver's address). */
  host: string;
  port: number;
  protocol: 'udp' | 'tcp';
  payloadType: number;
  /** The format as decoded (Opus: 48 kHz, its channels from sprop-stereo). */
  format: AudioFormat;
  /** Default l16. */
  codec?: CodecName;
  /** Opus: in-band FEC on (useinbandfec=1). */
  fec?: boolean;
  frameMs?: number;
  /** SRTP master key (16) + salt (14). */
  key?: Buffer;
  /** RTCP on the RTP port (a=rtcp-mux). */
  rtcpMux?: boolean;
  /** RTCP's port when the SDP names it (a=rtcp:); port + 1 otherwise. */
  rtcpPort?: number;
}

export type SdpParseResult = { ok: true; value: SdpStream } | { ok: false; error: string };

/** The stream the sender would send with these settings. */
export function describeStream(s: Omit<SdpStream, 'payloadType'>): SdpStream {
  return { ...s, payloadType: payloadTypeFor(s.format, s.codec) };
}

/** The a=rtpmap (and for Opus a=fmtp) lines of the stream. */
function codecLines(s: SdpStream): string[] {
  const pt = s.payloadType;
  const { rate, channels } = s.format;
  if (s.codec === 'opus') {
    const stereo = channels === 2 ? 1 : 0;
    return [`a=rtpmap:${pt} opus/48000/2`, `a=fmtp:${pt} useinbandfec=${s.fec === false ? 0 : 1}; stereo=${stereo}; sprop-stereo=${stereo}`];
  }
  return [`a=rtpmap:${pt} ${s.codec === 'l24' ? 'L24' : 'L16'}/${rate}/${channels}`];
}

function addressType(host: string): 'IP4' | 'IP6' {
  return host.includes(':') ? 'IP6' : 'IP4';
}

export function mediaProtocol(s: Pick<SdpStream, 'protocol' | 'key'>): string {
  const profile = s.key ? 'RTP/SAVP' : 'RTP/AVP';
  return s.protocol === 'tcp' ? `TCP/${profile}` : profile;
}

export interface SdpOptions {
  sessionId?: number;
  /** o='s version: a SAP announcement's changes bump it. */
  version?: number;
  sessionName?: string;
  /** o='s address: the sending host (SAP); the stream's address when absent. */
  origin?: string;
  /** A multicast IPv4 c= carries the TTL (RFC 4566 §5.7): "c=IN IP4 239.1.2.3/1". */
  ttl?: number;
  /** Line ending: CRLF (RFC 4566) by default; SAP uses LF, since PulseAudio rejects a CR. */
  eol?: '\r\n' | '\n';
}

export function buildSdp(s: SdpStream, opts: SdpOptions = {}): string {
  const at = `IN ${addressType(s.host)} ${s.host}`;
  const origin = opts.origin ?? s.host;
  const ttl = opts.ttl !== undefined && isMulticast(s.host) && addressType(s.host) === 'IP4' ? `/${opts.ttl}` : '';
  const lines = [
    'v=0',
    `o=- ${opts.sessionId ?? 0} ${opts.version ?? 1} IN ${addressType(origin)} ${origin}`,
    `s=${(opts.sessionName ?? 'streamer').replace(/[\r\n]/g, ' ')}`,
    `c=${at}${ttl}`,
    't=0 0',
    `m=audio ${s.port} ${mediaProtocol(s)} ${s.payloadType}`,
    ...codecLines(s),
  ];
  if (s.frameMs !== undefined) lines.push(`a=ptime:${s.frameMs}`);
  // Over TCP, RTCP shares the connection (RFC 4571); over UDP it is on port + 1 unless muxed.
  if (s.protocol === 'udp') lines.push(s.rtcpMux ? 'a=rtcp-mux' : `a=rtcp:${s.rtcpPort ?? s.port + 1}`);
  // RFC 4145/4571: the address above is the receiver, which listens; senders connect to it.
  if (s.protocol === 'tcp') lines.push('a=setup:passive', 'a=connection:new');
  if (s.key) lines.push(`a=crypto:1 ${SRTP_SUITE} inline:${s.key.toString('base64')}`);
  lines.push('a=recvonly');
  const eol = opts.eol ?? '\r\n';
  return lines.join(eol) + eol;
}

/** Reads the first L16 audio stream of an SDP; any other content is a one-line error. */
export function parseSdp(text: string): SdpParseResult {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  let host: string | undefined;
  let media: { port: number; proto: string; pts: number[] } | undefined;
  const rtpmaps = new Map<number, string>();
  const fmtps = new Map<number, string>();
  const cryptos: string[] = [];
  let ptime: number | undefined;
  let rtcpMux = false;
  let rtcpPort: number | undefined;
  for (const line of lines) {
    if (line.startsWith('c=')) {
      const m = /^c=IN IP[46] ([^\s/]+)/.exec(line);
      // A media-level c= (after our m=) overrides the session-level one.
      if (m) host = m[1];
    } else if (line.startsWith('m=')) {
      if (media) break; // only the first media section
      const m = /^m=audio (\d+)(?:\/\d+)? (\S+) ([\d ]+)$/.exec(line);
      if (!m) continue;
      media = { port: Number(m[1]), proto: m[2]!, pts: m[3]!.trim().split(/\s+/).map(Number) };
    } else if (media && line.startsWith('a=rtpmap:')) {
      const m = /^a=rtpmap:(\d+) (.+)$/.exec(line);
      if (m) rtpmaps.set(Number(m[1]), m[2]!.trim());
    } else if (media && line.startsWith('a=fmtp:')) {
      const m = /^a=fmtp:(\d+) (.+)$/.exec(line);
      if (m) fmtps.set(Number(m[1]), m[2]!.trim());
    } else if (media && line.startsWith('a=crypto:')) {
      cryptos.push(line.slice('a=crypto:'.length));
    } else if (media && line === 'a=rtcp-mux') {
      rtcpMux = true;
    } else if (media && line.startsWith('a=rtcp:')) {
      // RFC 3605: "a=rtcp:PORT [IN IP4 ADDR]"; the address is the sender's business.
      const m = /^a=rtcp:(\d+)/.exec(line);
      if (m && Number(m[1]) >= 1 && Number(m[1]) <= 65535) rtcpPort = Number(m[1]);
    } else if (media && line.startsWith('a=ptime:')) {
      const v = Number(line.slice('a=ptime:'.length));
      if (Number.isFinite(v) && v > 0) ptime = v;
    }
  }
  if (!media) return { ok: false, error: 'no audio stream in it (no "m=audio PORT RTP/AVP PT" line)' };
  if (!(media.port >= 1 && media.port <= 65535)) return { ok: false, error: `m=audio port ${media.port} is not a port` };
  const proto = media.proto.toUpperCase();
  if (!/^(TCP\/)?RTP\/S?AVP$/.test(proto)) return { ok: false, error: `m=audio transport ${media.proto} is not RTP/AVP, RTP/SAVP or TCP/RTP/AVP` };

  let chosen: { pt: number; format: AudioFormat; codec: CodecName; fec?: boolean } | undefined;
  for (const pt of media.pts) {
    const map = rtpmaps.get(pt);
    if (map === undefined) {
      const f = pt === PT_L16_MONO_44100 || pt === PT_L16_STEREO_44100 ? formatForPayloadType(pt, { rate: 44100, channels: 1 }) : undefined;
      if (f) chosen = { pt, format: f, codec: 'l16' };
    } else {
      const f = parseRtpmap(map, fmtps.get(pt));
      if (typeof f === 'string') {
        if (media.pts.length === 1) return { ok: false, error: `a=rtpmap:${pt} ${map}: ${f}` };
        continue;
      }
      if (!isDynamic(pt) && pt !== PT_L16_MONO_44100 && pt !== PT_L16_STEREO_44100) continue;
      chosen = { pt, ...f };
    }
    if (chosen) break;
  }
  if (!chosen) return { ok: false, error: `none of the payload types ${media.pts.join(' ')} is L16, L24 or Opus audio (what streamer plays)` };

  let key: Buffer | undefined;
  if (cryptos.length > 0) {
    const k = parseCrypto(cryptos);
    if (typeof k === 'string') return { ok: false, error: k };
    key = k;
  } else if (proto.includes('SAVP')) {
    return { ok: false, error: `m=audio says ${media.proto} but there is no a=crypto line with the key — pass --key` };
  }
  return {
    ok: true,
    value: {
      host: host ?? '0.0.0.0',
      port: media.port,
      protocol: proto.startsWith('TCP/') ? 'tcp' : 'udp',
      payloadType: chosen.pt,
      format: chosen.format,
      ...(chosen.codec !== 'l16' ? { codec: chosen.codec } : {}),
      ...(chosen.fec !== undefined ? { fec: chosen.fec } : {}),
      frameMs: ptime,
      key,
      ...(rtcpMux ? { rtcpMux } : {}),
      ...(rtcpPort !== undefined ? { rtcpPort } : {}),
    },
  };
}

/** "L16/48000/2", "L24/48000/2", "opus/48000/2" (+ its fmtp) → codec and format, or why it is not one streamer plays. */
function parseRtpmap(map: string, fmtp: string | undefined): { codec: CodecName; format: AudioFormat; fec?: boolean } | string {
  const m = /^([^/]+)\/(\d+)(?:\/(\d+))?$/.exec(map);
  if (!m) return 'not "ENCODING/RATE[/CHANNELS]"';
  const name = m[1]!.toUpperCase();
  const rate = Number(m[2]);
  if (name === 'OPUS') {
    // RFC 7587 §7: always opus/48000/2; whether the sender sends stereo is sprop-stereo (default mono).
    if (rate !== 48000) return `Opus is opus/48000/2 (RFC 7587), not rate ${rate}`;
    const params = parseFmtp(fmtp);
    return { codec: 'opus', format: { rate: 48000, channels: params.get('sprop-stereo') === '1' ? 2 : 1 }, fec: params.get('useinbandfec') === '1' };
  }
  if (name !== 'L16' && name !== 'L24') return `encoding ${m[1]} is not L16, L24 or Opus (what streamer plays)`;
  const channels = m[3] === undefined ? 1 : Number(m[3]);
  if (!(rate >= 8000 && rate <= 96000)) return `rate ${rate} is outside 8000–96000 Hz`;
  if (channels !== 1 && channels !== 2) return `${channels} channels (streamer plays 1 or 2)`;
  return { codec: name === 'L24' ? 'l24' : 'l16', format: { rate, channels } };
}

/** "useinbandfec=1; stereo=1" → its parameters. */
function parseFmtp(fmtp: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (fmtp ?? '').split(';')) {
    const [k, v] = part.split('=');
    if (k && v !== undefined) out.set(k.trim().toLowerCase(), v.trim());
  }
  return out;
}

/** The key of the first a=crypto line in the suite we speak. */
function parseCrypto(lines: string[]): Buffer | string {
  const suites: string[] = [];
  for (const line of lines) {
    const m = /^\d+ (\S+) inline:([^|\s]+)/.exec(line);
    if (!m) continue;
    suites.push(m[1]!);
    if (m[1] !== SRTP_SUITE) continue;
    const b64 = m[2]!;
    const key = Buffer.from(b64, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || key.length !== KEY_AND_SALT_BYTES) {
      return `a=crypto key is not base64 of ${KEY_AND_SALT_BYTES} bytes (16 key + 14 salt)`;
    }
    return key;
  }
  return suites.length
    ? `a=crypto suite ${suites.join(', ')} is not supported (streamer speaks ${SRTP_SUITE})`
    : 'a=crypto line is not "TAG SUITE inline:KEY"';
}

/**
 * One-line commands that play the stream with outside tools, for --help, the
 * dashboard and the README. No gst-launch line for SRTP: srtpdec binds its
 * key to an SSRC given in caps, and ours is random per run.
 */
export function playCommands(s: SdpStream, sdpFile = 'stream.sdp'): { ffplay: string; ffmpeg: string; gstreamer?: string; vlc: string } {
  const enc = s.codec === 'opus' ? 'OPUS' : s.codec === 'l24' ? 'L24' : 'L16';
  const caps = s.codec === 'opus'
    ? `media=audio,clock-rate=48000,encoding-name=OPUS,payload=${s.payloadType}`
    : `media=audio,clock-rate=${s.format.rate},encoding-name=${enc},channels=${s.format.channels},payload=${s.payloadType}`;
  const depay = s.codec === 'opus' ? 'rtpopusdepay ! opusdec' : `rtp${enc}depay`;
  const tail = `${depay} ! audioconvert ! audioresample ! autoaudiosink`;
  let gstreamer: string | undefined;
  if (s.key) gstreamer = undefined;
  else if (s.protocol === 'tcp') {
    gstreamer = `gst-launch-1.0 tcpserversrc host=0.0.0.0 port=${s.port} ! "application/x-rtp-stream,${caps}" ! rtpstreamdepay ! rtpjitterbuffer ! ${tail}`;
  } else {
    gstreamer = `gst-launch-1.0 udpsrc port=${s.port} caps="application/x-rtp,${caps}" ! rtpjitterbuffer ! ${tail}`;
  }
  return {
    ffplay: `ffplay -protocol_whitelist file,udp,rtp -i ${sdpFile}`,
    ffmpeg: `ffmpeg -protocol_whitelist file,udp,rtp -i ${sdpFile} out.wav`,
    gstreamer,
    vlc: `vlc ${sdpFile}`,
  };
}
