// RTP fixed header (RFC 3550 §5.1):
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                           timestamp                           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |           synchronization source (SSRC) identifier            |
// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
// |            contributing source (CSRC) identifiers             |
// |                             ....                              |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | defined by profile (16)       |        length (16, in words)  |  (X=1)
// |                        header extension                       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

export const RTP_HEADER_BYTES = 12;
export const RTP_VERSION = 2;

const OFF_FLAGS = 0;
const OFF_MARKER_PT = 1;
const OFF_SEQ = 2;
const OFF_TS = 4;
const OFF_SSRC = 8;

export interface RtpHeader {
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
}

export interface RtpPacket extends RtpHeader {
  readonly csrcs: readonly number[];
  readonly padding: number;
  /** A view into the datagram: copy it to keep it beyond the handler. */
  readonly payload: Buffer;
}

export type RtpDecodeError =
  | 'short'
  | 'version'
  | 'csrc-overrun'
  | 'extension-overrun'
  | 'padding-overrun';

export type RtpDecodeResult = { ok: true; packet: RtpPacket } | { ok: false; error: RtpDecodeError };

const NO_CSRCS: readonly number[] = Object.freeze([]);

/** Writes header and payload into one new buffer. */
export function serializeRtp(h: RtpHeader, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(RTP_HEADER_BYTES + payload.length);
  writeRtpHeader(out, h);
  payload.copy(out, RTP_HEADER_BYTES);
  return out;
}

/** Writes the 12-byte fixed header (no CSRC, no extension) at the start of `out`. */
export function writeRtpHeader(out: Buffer, h: RtpHeader): void {
  out[OFF_FLAGS] = RTP_VERSION << 6;
  out[OFF_MARKER_PT] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7f);
  out.writeUInt16BE(h.sequenceNumber & 0xffff, OFF_SEQ);
  out.writeUInt32BE(h.timestamp >>> 0, OFF_TS);
  out.writeUInt32BE(h.ssrc >>> 0, OFF_SSRC);
}

/**
 * Where the payload starts: the fixed header, the CSRC list and any header
 * extension, each checked against `end` (the datagram's length, or less when
 * a trailer such as an SRTP tag follows).
 */
export function rtpHeaderLength(buf: Buffer, end = buf.length): number | Exclude<RtpDecodeError, 'padding-overrun'> {
  if (end < RTP_HEADER_BYTES) return 'short';
  const b0 = buf[OFF_FLAGS]!;
  if (b0 >> 6 !== RTP_VERSION) return 'version';
  let offset = RTP_HEADER_BYTES + (b0 & 0x0f) * 4;
  if (offset > end) return 'csrc-overrun';
  if ((b0 & 0x10) !== 0) {
    if (offset + 4 > end) return 'extension-overrun';
    offset += 4 + buf.readUInt16BE(offset + 2) * 4;
    if (offset > end) return 'extension-overrun';
  }
  return offset;
}

/**
 * The receiver's reading of a packet, one object reused for every datagram
 * (no allocation per packet): the fixed header's fields and where the
 * payload lies in the datagram, [payloadStart, payloadEnd).
 */
export interface RtpFields {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcCount: number;
  padding: number;
  payloadStart: number;
  payloadEnd: number;
}

export function newRtpFields(): RtpFields {
  return { marker: false, payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, csrcCount: 0, padding: 0, payloadStart: 0, payloadEnd: 0 };
}

/** Parses a datagram into `out` (checked as deserializeRtp does); undefined when it is RTP, else why not. */
export function readRtp(buf: Buffer, out: RtpFields): RtpDecodeError | undefined {
  const offset = rtpHeaderLength(buf);
  if (typeof offset !== 'number') return offset;
  const b0 = buf[OFF_FLAGS]!;
  let end = buf.length;
  let padding = 0;
  if ((b0 & 0x20) !== 0) {
    padding = buf[buf.length - 1]!;
    if (padding === 0 || offset + padding > buf.length) return 'padding-overrun';
    end -= padding;
  }
  const b1 = buf[OFF_MARKER_PT]!;
  out.marker = (b1 & 0x80) !== 0;
  out.payloadType = b1 & 0x7f;
  out.sequenceNumber = (buf[OFF_SEQ]! << 8) | buf[OFF_SEQ + 1]!;
  out.timestamp = buf.readUInt32BE(OFF_TS);
  out.ssrc = buf.readUInt32BE(OFF_SSRC);
  out.csrcCount = b0 & 0x0f;
  out.padding = padding;
  out.payloadStart = offset;
  out.payloadEnd = end;
  return undefined;
}

/** Parses a datagram; every length is checked, a bad one is a typed error. */
export function deserializeRtp(buf: Buffer): RtpDecodeResult {
  const f = newRtpFields();
  const error = readRtp(buf, f);
  if (error !== undefined) return { ok: false, error };
  let csrcs: readonly number[] = NO_CSRCS; // the usual case: no array per packet
  if (f.csrcCount > 0) {
    const list: number[] = [];
    for (let i = 0; i < f.csrcCount; i++) list.push(buf.readUInt32BE(RTP_HEADER_BYTES + i * 4));
    csrcs = list;
  }
  return {
    ok: true,
    packet: {
      marker: f.marker,
      payloadType: f.payloadType,
      sequenceNumber: f.sequenceNumber,
      timestamp: f.timestamp,
      ssrc: f.ssrc,
      csrcs,
      padding: f.padding,
      payload: buf.subarray(f.payloadStart, f.payloadEnd),
    },
  };
}
