// SAP (RFC 2974): one session announcement (or deletion) per datagram.
//
//    0                   1                   2                   3
//   |V=1|A|R|T|E|C|   auth len    |         msg id hash           |
//   |        originating source (4 bytes IPv4, 16 with A=1)         |
//   |        authentication data (auth len × 4 bytes)               |
//   |        optional payload type, NUL-terminated ("application/sdp")
//   |        payload (the SDP)                                      |
//
// T=1 is a deletion; E (encrypted) and C (compressed, zlib) are refused, as
// PulseAudio and PipeWire refuse them. Pure: bytes in, values out; what does
// not parse is a reason string for the caller to count.
import { isIPv4, isIPv6 } from 'node:net';

export const SAP_PORT = 9875;
/** Where PulseAudio's module-rtp-recv and PipeWire's SAP module listen (RFC 2974's "SAP.MCAST.NET" is 224.2.127.254). */
export const SAP_GROUP = '224.0.0.56';
export const SDP_MIME = 'application/sdp';
/** A SAP datagram larger than this is not taken (RFC 2974 §6 advises ≤ 1 kB of SDP; an MTU is plenty). */
export const MAX_SAP_BYTES = 1500;

export interface SapPacket {
  deletion: boolean;
  /** 16-bit message id hash: with the origin it names the announcement. */
  hash: number;
  /** Originating source address (dotted IPv4 or IPv6 text). */
  origin: string;
  /** The payload type given, or 'application/sdp' when none (RFC 2974 §5). */
  payloadType: string;
  /** The SDP text. */
  sdp: string;
}

export type SapParseResult = { ok: true; value: SapPacket } | { ok: false; error: string };

export function serializeSap(p: Omit<SapPacket, 'payloadType'> & { payloadType?: string }): Buffer {
  const v6 = isIPv6(p.origin);
  if (!v6 && !isIPv4(p.origin)) throw new Error(`SAP origin ${p.origin} is not an IP address`);
  const head = Buffer.alloc(4);
  head[0] = (1 << 5) | (v6 ? 0x10 : 0) | (p.deletion ? 0x04 : 0);
  head[1] = 0; // no authentication
  head.writeUInt16BE(p.hash & 0xffff, 2);
  const origin = v6 ? ipv6Bytes(p.origin) : Buffer.from(p.origin.split('.').map(Number));
  const type = Buffer.from(`${p.payloadType ?? SDP_MIME}\0`, 'latin1');
  return Buffer.concat([head, origin, type, Buffer.from(p.sdp, 'utf8')]);
}

export function parseSap(buf: Buffer): SapParseResult {
  if (buf.length > MAX_SAP_BYTES) return { ok: false, error: 'oversize' };
  if (buf.length < 8) return { ok: false, error: 'truncated header' };
  const b0 = buf[0]!;
  const version = b0 >> 5;
  if (version !== 1) return { ok: false, error: version === 0 ? 'version 0' : 'version not 1' };
  if (b0 & 0x02) return { ok: false, error: 'encrypted' };
  if (b0 & 0x01) return { ok: false, error: 'compressed' };
  const v6 = (b0 & 0x10) !== 0;
  const authBytes = buf[1]! * 4;
  const hash = buf.readUInt16BE(2);
  const originLen = v6 ? 16 : 4;
  let at = 4 + originLen + authBytes;
  if (buf.length < at) return { ok: false, error: 'truncated header' };
  const origin = v6 ? ipv6Text(buf.subarray(4, 20)) : [...buf.subarray(4, 8)].join('.');
  let payloadType = SDP_MIME;
  // RFC 2974 §5: no payload type when the payload starts "v=0" (SAPv0 style).
  if (!startsWith(buf, at, 'v=0')) {
    const nul = buf.indexOf(0, at);
    if (nul < 0 || nul - at > 64) return { ok: false, error: 'no payload type' };
    payloadType = buf.toString('latin1', at, nul);
    at = nul + 1;
  }
  if (payloadType.toLowerCase() !== SDP_MIME) return { ok: false, error: 'payload type not application/sdp' };
  const sdpBytes = buf.subarray(at);
  if (sdpBytes.length === 0) return { ok: false, error: 'empty payload' };
  if (sdpBytes.includes(0)) return { ok: false, error: 'NUL in the SDP' };
  const sdp = sdpBytes.toString('utf8');
  if (!sdp.startsWith('v=0')) return { ok: false, error: 'payload is not SDP' };
  return { ok: true, value: { deletion: (b0 & 0x04) !== 0, hash, origin, payloadType, sdp } };
}

function startsWith(buf: Buffer, at: number, text: string): boolean {
  return buf.length >= at + text.length && buf.toString('latin1', at, at + text.length) === text;
}

function ipv6Bytes(addr: string): Buffer {
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, undefined];
  const words = (s: string | undefined): number[] => (s ? s.split(':').map((w) => parseInt(w, 16)) : []);
  const a = words(head);
  const b = words(tail);
  const all = tail === undefined ? a : [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
  const out = Buffer.alloc(16);
  all.forEach((w, i) => out.writeUInt16BE(w & 0xffff, i * 2));
  return out;
}

function ipv6Text(b: Buffer): string {
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(b.readUInt16BE(i).toString(16));
  return words.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}
