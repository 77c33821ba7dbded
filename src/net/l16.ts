// L16 (RFC 3551 §4.5.11) is network byte order; internal PCM is host order.
const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Interleaved samples → new big-endian payload buffer. */
export function pcmToL16(pcm: Int16Array, out?: Buffer): Buffer {
  const bytes = pcm.length * 2;
  const dst = out && out.length >= bytes ? out.subarray(0, bytes) : Buffer.allocUnsafe(bytes);
  Buffer.from(pcm.buffer, pcm.byteOffset, bytes).copy(dst);
  if (littleEndianHost) dst.swap16();
  return dst;
}

/** Big-endian payload → new Int16Array (an odd trailing byte is ignored). */
export function l16ToPcm(payload: Buffer): Int16Array {
  const n = payload.length >> 1;
  const pcm = new Int16Array(n);
  const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, n * 2);
  payload.copy(bytes, 0, 0, n * 2);
  if (littleEndianHost) bytes.swap16();
  return pcm;
}
