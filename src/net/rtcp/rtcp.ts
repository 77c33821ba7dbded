// RTCP packets (RFC 3550 §6, RFC 3611 XR) as plain values: parse a compound
// packet, serialize one. No sockets, no clocks: times are NTP values given in.
//
// Every RTCP packet starts with the same 4 bytes:
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |V=2|P|  count  |      PT       |      length (words − 1)       |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// A report block (SR/RR), 24 bytes:
//   | SSRC of the source reported on                                |
//   | fraction lost |       cumulative packets lost (signed 24)     |
//   | extended highest sequence number received                     |
//   | interarrival jitter (RTP timestamp units)                     |
//   | last SR (LSR: middle 32 bits of its NTP timestamp)            |
//   | delay since last SR (DLSR, 1/65536 s)                         |

export const PT_SR = 200;
export const PT_RR = 201;
export const PT_SDES = 202;
export const PT_BYE = 203;
export const PT_XR = 207;
export const SDES_CNAME = 1;
export const XR_RRTR = 4;
export const XR_DLRR = 5;
export const HEADER = 4;
export const BLOCK = 24;

export interface ReportBlock {
  ssrc: number;
  /** Fraction lost since the previous report, 0–255 (of 256). */
  fractionLost: number;
  /** Cumulative packets lost; negative when duplicates outnumber losses (RFC 3550 A.3). */
  cumulativeLost: number;
  highestSeq: number;
  jitter: number;
  lsr: number;
  dlsr: number;
}

/** A 64-bit NTP timestamp as its two 32-bit halves. */
export interface Ntp {
  msw: number;
  lsw: number;
}

export type RtcpPacket =
  | { type: 'sr'; ssrc: number; ntp: Ntp; rtpTimestamp: number; packetCount: number; octetCount: number; reports: ReportBlock[] }
  | { type: 'rr'; ssrc: number; reports: ReportBlock[] }
  | { type: 'sdes'; chunks: { ssrc: number; cname?: string }[] }
  | { type: 'bye'; ssrcs: number[]; reason?: string }
  | { type: 'xr'; ssrc: number; rrtr?: Ntp; dlrr: { ssrc: number; lrr: number; dlrr: number }[] }
  | { type: 'other'; pt: number };

/** Why a datagram is not RTCP we can read: counted as malformed, never thrown at the caller. */
export type RtcpError = 'short' | 'version' | 'length' | 'first-not-report' | 'truncated-block';

export type ParseResult = { ok: true; packets: RtcpPacket[] } | { ok: false; error: RtcpError };

/** RFC 5761 §4: on a shared port, the second byte says RTCP for 192–223 (RTP uses payload types below that). */
export function isRtcp(buf: Uint8Array): boolean {
  return buf.length >= HEADER && (buf[0]! >> 6) === 2 && buf[1]! >= 192 && buf[1]! <= 223;
}

/** The middle 32 bits of an NTP timestamp: what LSR and LRR carry. */
export function ntpMiddle(t: Ntp): number {
  return (((t.msw & 0xffff) << 16) | (t.lsw >>> 16)) >>> 0;
}

/**
 * Round-trip time in ms from a report about our SR (or our RRTR): arrival
 * time A (middle 32 bits, ours), minus LSR, minus DLSR (RFC 3550 §6.4.1).
 * Null when the report has no LSR yet.
 */
export function rttMs(arrivalMiddle: number, lsr: number, dlsr: number): number | null {
  if (lsr === 0) return null;
  const units = (arrivalMiddle - lsr - dlsr) >>> 0;
  if (units > 0x80000000) return 0; // clocks a hair apart: no negative round trips
  return (units / 65536) * 1000;
}

function readBlocks(buf: Buffer, at: number, count: number, end: number): ReportBlock[] | null {
  if (at + count * BLOCK > end) return null;
  const out: ReportBlock[] = [];
  for (let i = 0; i < count; i++, at += BLOCK) {
    const lost = buf.readUIntBE(at + 5, 3);
    out.push({
      ssrc: buf.readUInt32BE(at),
      fractionLost: buf[at + 4]!,
      cumulativeLost: lost & 0x800000 ? lost - 0x1000000 : lost,
      highestSeq: buf.readUInt32BE(at + 8),
      jitter: buf.readUInt32BE(at + 12),
      lsr: buf.readUInt32BE(at + 16),
      dlsr: buf.readUInt32BE(at + 20),
    });
  }
  return out;
}

function parseSdes(buf: Buffer, at: number, count: number, end: number): RtcpPacket | null {
  const chunks: { ssrc: number; cname?: string }[] = [];
  for (let c = 0; c < count; c++) {
    if (at + 4 > end) return null;
    const chunk: { ssrc: number; cname?: string } = { ssrc: buf.readUInt32BE(at) };
    at += 4;
    for (;;) {
      if (at >= end) return null;
      const type = buf[at]!;
      if (type === 0) break;
      if (at + 2 > end) return null;
      const len = buf[at + 1]!;
      if (at + 2 + len > end) return null;
      if (type === SDES_CNAME) chunk.cname = buf.toString('utf8', at + 2, at + 2 + len);
      at += 2 + len;
    }
    at = (at + 4) & ~3; // the null item, then padding to the next word
    chunks.push(chunk);
  }
  return { type: 'sdes', chunks };
}

function parseXr(buf: Buffer, at: number, end: number): RtcpPacket | null {
  if (at + 4 > end) return null;
  const xr: Extract<RtcpPacket, { type: 'xr' }> = { type: 'xr', ssrc: buf.readUInt32BE(at), dlrr: [] };
  at += 4;
  while (at < end) {
    if (at + 4 > end) return null;
    const bt = buf[at]!;
    const words = buf.readUInt16BE(at + 2);
    const body = at + 4;
    const next = body + words * 4;
    if (next > end) return null;
    if (bt === XR_RRTR && words === 2) xr.rrtr = { msw: buf.readUInt32BE(body), lsw: buf.readUInt32BE(body + 4) };
    if (bt === XR_DLRR) {
      for (let s = body; s + 12 <= next; s += 12) xr.dlrr.push({ ssrc: buf.readUInt32BE(s), lrr: buf.readUInt32BE(s + 4), dlrr: buf.readUInt32BE(s + 8) });
    }
    at = next;
  }
  return xr;
}

/** A compound RTCP packet (one datagram). Checks RFC 3550 A.2's validity rules; unknown types are kept as 'other'. */
export function parseRtcp(buf: Buffer): ParseResult {
  if (buf.length < HEADER) return { ok: false, error: 'short' };
  const packets: RtcpPacket[] = [];
  let at = 0;
  while (at < buf.length) {
    if (at + HEADER > buf.length) return { ok: false, error: 'length' };
    const b0 = buf[at]!;
    if (b0 >> 6 !== 2) return { ok: false, error: 'version' };
    const count = b0 & 0x1f;
    const pt = buf[at + 1]!;
    const end = at + (buf.readUInt16BE(at + 2) + 1) * 4;
    if (end > buf.length) return { ok: false, error: 'length' };
    if (at === 0 && pt !== PT_SR && pt !== PT_RR) return { ok: false, error: 'first-not-report' };
    // Padding (P) counts its own length in its last byte; only the last packet may have it.
    const padded = (b0 & 0x20) !== 0;
    const bodyEnd = padded ? end - buf[end - 1]! : end;
    if (bodyEnd < at + HEADER) return { ok: false, error: 'length' };
    const body = at + HEADER;
    let p: RtcpPacket | null;
    if (pt === PT_SR) {
      const blocks = body + 24 <= bodyEnd ? readBlocks(buf, body + 24, count, bodyEnd) : null;
      p = blocks && {
        type: 'sr',
        ssrc: buf.readUInt32BE(body),
        ntp: { msw: buf.readUInt32BE(body + 4), lsw: buf.readUInt32BE(body + 8) },
        rtpTimestamp: buf.readUInt32BE(body + 12),
        packetCount: buf.readUInt32BE(body + 16),
        octetCount: buf.readUInt32BE(body + 20),
        reports: blocks,
      };
    } else if (pt === PT_RR) {
      const blocks = body + 4 <= bodyEnd ? readBlocks(buf, body + 4, count, bodyEnd) : null;
      p = blocks && { type: 'rr', ssrc: buf.readUInt32BE(body), reports: blocks };
    } else if (pt === PT_SDES) {
      p = parseSdes(buf, body, count, bodyEnd);
    } else if (pt === PT_BYE) {
      if (body + count * 4 > bodyEnd) p = null;
      else {
        const ssrcs = Array.from({ length: count }, (_, i) => buf.readUInt32BE(body + i * 4));
        const r = body + count * 4;
        const len = r < bodyEnd ? buf[r]! : 0;
        p = r + 1 + len > bodyEnd && len > 0 ? null : { type: 'bye', ssrcs, ...(len > 0 ? { reason: buf.toString('utf8', r + 1, r + 1 + len) } : {}) };
      }
    } else if (pt === PT_XR) {
      p = parseXr(buf, body, bodyEnd);
    } else {
      p = { type: 'other', pt };
    }
    if (!p) return { ok: false, error: 'truncated-block' };
    packets.push(p);
    at = end;
  }
  return { ok: true, packets };
}
