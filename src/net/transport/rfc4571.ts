// RFC 4571: RTP over a byte stream, each packet prefixed by its 16-bit
// big-endian length.
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |             LENGTH            |  RTP or RTCP packet ...       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

export const LENGTH_PREFIX_BYTES = 2;

export function frame(packet: Buffer): Buffer {
  const out = Buffer.allocUnsafe(LENGTH_PREFIX_BYTES + packet.length);
  out.writeUInt16BE(packet.length, 0);
  packet.copy(out, LENGTH_PREFIX_BYTES);
  return out;
}

export interface SplitResult {
  frames: Buffer[];
  /** Bytes of an incomplete frame, to be prepended to the next chunk. */
  rest: Buffer;
  /** A length prefix no valid RTP packet can have; the stream cannot be trusted after it. */
  error?: 'bad-length';
}

/**
 * Splits stream bytes into frames. `minLength`/`maxLength` bound a plausible
 * RTP packet; a prefix outside them means the peer is not speaking RFC 4571.
 */
export function split(buf: Buffer, minLength = 12, maxLength = 65535): SplitResult {
  const frames: Buffer[] = [];
  let offset = 0;
  while (buf.length - offset >= LENGTH_PREFIX_BYTES) {
    const len = buf.readUInt16BE(offset);
    if (len < minLength || len > maxLength) {
      return { frames, rest: buf.subarray(offset), error: 'bad-length' };
    }
    if (buf.length - offset - LENGTH_PREFIX_BYTES < len) break;
    frames.push(buf.subarray(offset + LENGTH_PREFIX_BYTES, offset + LENGTH_PREFIX_BYTES + len));
    offset += LENGTH_PREFIX_BYTES + len;
  }
  return { frames, rest: buf.subarray(offset) };
}
