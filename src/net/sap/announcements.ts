// The streams announced on the network, as SAP packets tell them: what
// `streamer streams` lists and what `receive --sap` picks from. Pure: packets
// and times come in, events go out.
//
// - An announcement is named by its origin and message id hash (RFC 2974 §3);
//   a deletion removes it (matched by that, or by the SDP's o= line).
// - It times out when none has come for 3× its own interval (15 s for the
//   5 s PulseAudio and streamer use), at least 15 s, at most 60 s; 60 s until
//   a second announcement shows the interval.
// - Hostile input: what does not parse is counted by kind and dropped; the
//   table holds at most `max` entries (default 256), the oldest-heard leaving
//   first, so a flood of distinct announcements cannot grow memory.
import type { SapPacket } from './sap-packet.js';

export interface AnnouncedStream {
  /** origin/hash: stable while the sender announces. */
  key: string;
  /** s= */
  name: string;
  /** The SDP's o= line without its version (names the session across changes). */
  originLine: string;
  /** Address of the announcing host (the SAP origin, else o='s address). */
  origin: string;
  /** c= (a multicast group, or a unicast address); without /ttl. */
  address: string;
  ttl?: number;
  port: number;
  payloadType: number;
  /** Encoding from a=rtpmap (e.g. L16, L24, opus), or the static type's. */
  codec: string;
  rate: number;
  channels: number;
  sdp: string;
  firstMs: number;
  lastMs: number;
  /** Gap between its last two announcements, once two have come. */
  intervalMs?: number;
}

export type AnnouncementEvent =
  | { kind: 'new' | 'changed'; stream: AnnouncedStream }
  | { kind: 'refresh'; stream: AnnouncedStream }
  | { kind: 'deleted'; stream: AnnouncedStream }
  | { kind: 'ignored'; reason: string }
  | { kind: 'malformed'; reason: string };

export const DEFAULT_MAX_STREAMS = 256;
export const MIN_TIMEOUT_MS = 15_000;
export const MAX_TIMEOUT_MS = 60_000;

/** RFC 3551 static audio types (those a SAP peer might announce without a=rtpmap). */
const STATIC: Record<number, [string, number, number]> = {
  0: ['PCMU', 8000, 1],
  3: ['GSM', 8000, 1],
  8: ['PCMA', 8000, 1],
  9: ['G722', 8000, 1],
  10: ['L16', 44100, 2],
  11: ['L16', 44100, 1],
  14: ['MPA', 90000, 1],
};

export type SdpSummary = Omit<AnnouncedStream, 'key' | 'origin' | 'sdp' | 'firstMs' | 'lastMs' | 'intervalMs'>;

/** The first audio stream of an SDP, whatever its codec; or why there is none (a fixed reason, never the SDP's own text). */
export function summarizeSdp(sdp: string): SdpSummary | string {
  if (sdp.length > 4096) return 'SDP too long';
  let name = '';
  let originLine: string | undefined;
  let address: string | undefined;
  let ttl: number | undefined;
  let media: { port: number; pt: number } | undefined;
  const rtpmaps = new Map<number, string>();
  for (const raw of sdp.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('s=') && !media) name = line.slice(2).trim().slice(0, 120);
    else if (line.startsWith('o=') && !media) {
      const f = line.slice(2).split(' ');
      if (f.length !== 6) return 'o= line is not "user id version IN IP4 addr"';
      originLine = [f[0], f[1], f[3], f[4], f[5]].join(' ');
    } else if (line.startsWith('c=')) {
      const m = /^c=IN IP[46] ([0-9A-Fa-f.:]+)(?:\/(\d+))?(?:\/\d+)?$/.exec(line);
      if (!m) return 'c= line is not "IN IP4 ADDR[/TTL]"';
      address = m[1];
      ttl = m[2] === undefined ? undefined : Number(m[2]);
    } else if (line.startsWith('m=')) {
      if (media) break;
      const m = /^m=audio (\d+)(?:\/\d+)? (?:TCP\/)?RTP\/S?AVP (\d+)/.exec(line);
      if (m) media = { port: Number(m[1]), pt: Number(m[2]) };
    } else if (line.startsWith('a=rtpmap:') && media) {
      const m = /^a=rtpmap:(\d+) (.+)$/.exec(line);
      if (m) rtpmaps.set(Number(m[1]), m[2]!.trim());
    }
  }
  if (originLine === undefined) return 'no o= line';
  if (!media) return 'no m=audio line';
  if (!(media.port >= 1 && media.port <= 65535)) return 'm=audio port out of range';
  if (address === undefined) return 'no c= line';
  const map = rtpmaps.get(media.pt);
  let codec: string;
  let rate: number;
  let channels: number;
  if (map !== undefined) {
    const m = /^([A-Za-z0-9_.-]{1,32})\/(\d{1,6})(?:\/(\d{1,2}))?$/.exec(map);
    if (!m) return 'a=rtpmap is not ENCODING/RATE[/CHANNELS]';
    codec = m[1]!;
    rate = Number(m[2]);
    channels = m[3] === undefined ? 1 : Number(m[3]);
  } else {
    const s = STATIC[media.pt];
    if (!s) return 'dynamic payload type without a=rtpmap';
    [codec, rate, channels] = s;
  }
  return { name, originLine, address, ...(ttl === undefined ? {} : { ttl }), port: media.port, payloadType: media.pt, codec, rate, channels };
}

export class Announcements {
  private readonly streams = new Map<string, AnnouncedStream>();
  private readonly max: number;
  /** Entries pushed out by newer ones (a flood, or a busy network). */
  evicted = 0;

  constructor(opts: { max?: number } = {}) {
    this.max = opts.max ?? DEFAULT_MAX_STREAMS;
  }

  get size(): number {
    return this.streams.size;
  }

  list(): AnnouncedStream[] {
    return [...this.streams.values()];
  }

  take(p: SapPacket, nowMs: number): AnnouncementEvent {
    const key = `${p.origin}/${p.hash}`;
    if (p.deletion) {
      const known = this.streams.get(key) ?? this.byOriginLine(p.sdp);
      if (!known) return { kind: 'ignored', reason: 'deletion of an unknown announcement' };
      this.streams.delete(known.key);
      return { kind: 'deleted', stream: known };
    }
    const s = summarizeSdp(p.sdp);
    if (typeof s === 'string') return { kind: 'malformed', reason: s };
    const before = this.streams.get(key);
    // An origin of 0.0.0.0 (PulseAudio without source_ip) says nothing: o= may say more.
    const origin = p.origin === '0.0.0.0' || p.origin === '::' ? (s.originLine.split(' ')[4] ?? p.origin) : p.origin;
    const stream: AnnouncedStream = {
      ...s,
      key,
      origin,
      sdp: p.sdp,
      firstMs: before?.firstMs ?? nowMs,
      lastMs: nowMs,
      ...(before ? { intervalMs: nowMs - before.lastMs } : {}),
    };
    this.streams.delete(key); // re-inserted last: the Map stays in order of last heard
    this.streams.set(key, stream);
    while (this.streams.size > this.max) {
      this.streams.delete(this.streams.keys().next().value as string);
      this.evicted++;
    }
    if (!before) return { kind: 'new', stream };
    return before.sdp === p.sdp ? { kind: 'refresh', stream } : { kind: 'changed', stream };
  }

  /** Removes and returns the announcements that have stopped coming. */
  expire(nowMs: number): AnnouncedStream[] {
    const gone: AnnouncedStream[] = [];
    for (const s of this.streams.values()) {
      if (nowMs - s.lastMs > timeoutMs(s)) gone.push(s);
    }
    for (const s of gone) this.streams.delete(s.key);
    return gone;
  }

  private byOriginLine(sdp: string): AnnouncedStream | undefined {
    const o = /^o=(.*)$/m.exec(sdp)?.[1]?.replace(/\r$/, '').split(' ');
    if (!o || o.length !== 6) return undefined;
    const line = [o[0], o[1], o[3], o[4], o[5]].join(' ');
    for (const s of this.streams.values()) if (s.originLine === line) return s;
    return undefined;
  }
}

/** How long an announcement lives without a repeat. */
export function timeoutMs(s: Pick<AnnouncedStream, 'intervalMs'>): number {
  if (s.intervalMs === undefined) return MAX_TIMEOUT_MS;
  return Math.min(MAX_TIMEOUT_MS, Math.max(MIN_TIMEOUT_MS, 3 * s.intervalMs));
}

/** "L16 44100 Hz stereo" */
export function describeAnnounced(s: Pick<AnnouncedStream, 'codec' | 'rate' | 'channels'>): string {
  return `${s.codec} ${s.rate} Hz ${s.channels === 1 ? 'mono' : s.channels === 2 ? 'stereo' : `${s.channels} ch`}`;
}
