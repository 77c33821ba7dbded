// L16 (RFC 3551 §4.5.11) is network byte order; internal PCM is host order.
// Byte-at-a-time loops on purpose: at packet sizes (a few hundred bytes) they
// beat copy + swap16, which need a Buffer view over the Int16Array (an
// allocation) and two native calls per packet.

/** Writes `count` samples of `pcm` from `from` as big-endian bytes into `dst` at `offset`. */
export function writeL16(pcm: Int16Array, from: number, count: number, dst: Uint8Array, offset: number): void {
  for (let i = 0, o = offset; i < count; i++, o += 2) {
    const s = pcm[from + i]!;
    dst[o] = s >> 8;
    dst[o + 1] = s;
  }
}

/** Interleaved samples → new big-endian payload buffer (or into `out` when it is big enough). */
export function pcmToL16(pcm: Int16Array, out?: Buffer): Buffer {
  const bytes = pcm.length * 2;
  const dst = out && out.length >= bytes ? out.subarray(0, bytes) : Buffer.allocUnsafe(bytes);
  writeL16(pcm, 0, pcm.length, dst, 0);
  return dst;
}

/** Big-endian payload → new Int16Array (an odd trailing byte is ignored). */
export function l16ToPcm(payload: Uint8Array): Int16Array {
  const n = payload.length >> 1;
  const pcm = new Int16Array(n);
  for (let i = 0, o = 0; i < n; i++, o += 2) pcm[i] = (payload[o]! << 8) | payload[o + 1]!;
  return pcm;
}

/** Big-endian bytes [start, start + 2 × out.length) of `src` → `out` (the receiver's pooled arrays: no allocation). */
export function l16Into(src: Uint8Array, start: number, out: Int16Array): Int16Array {
  for (let i = 0, o = start; i < out.length; i++, o += 2) out[i] = (src[o]! << 8) | src[o + 1]!;
  return out;
}
