// What an Opus packet's first bytes say (RFC 6716 §3.1): the TOC byte's
// configuration gives the mode and the frame duration, its code the number
// of frames. Enough to place a packet on the timeline before decoding it.

export type OpusMode = 'silk' | 'hybrid' | 'celt';

/** Frame duration in 48 kHz samples, by TOC configuration number (Table 2). */
const FRAME_SAMPLES = [
  480, 960, 1920, 2880, 480, 960, 1920, 2880, 480, 960, 1920, 2880, // SILK NB/MB/WB: 10/20/40/60 ms
  480, 960, 480, 960, // hybrid SWB/FB: 10/20 ms
  120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, // CELT: 2.5/5/10/20 ms
];

export function opusMode(toc: number): OpusMode {
  const config = toc >> 3;
  return config < 12 ? 'silk' : config < 16 ? 'hybrid' : 'celt';
}

/** Samples per channel at 48 kHz in the packet, or why it is no Opus packet. */
export function opusPacketSamples(payload: Uint8Array): number | string {
  if (payload.length === 0) return 'empty Opus packet';
  const toc = payload[0]!;
  const per = FRAME_SAMPLES[toc >> 3]!;
  const code = toc & 3;
  let count = code === 0 ? 1 : code === 3 ? -1 : 2;
  if (code === 3) {
    if (payload.length < 2) return 'Opus packet without its frame count';
    count = payload[1]! & 0x3f;
    if (count === 0) return 'Opus packet of no frames';
  }
  const samples = per * count;
  // §3.4 [R5]: at most 120 ms of audio in one packet.
  if (samples > 5760) return 'Opus packet longer than 120 ms';
  return samples;
}

/** SILK frames (20 ms, or one of 10 ms) in an Opus frame of this TOC. */
function silkFrames(toc: number): number {
  const samples = FRAME_SAMPLES[toc >> 3]!;
  return samples <= 960 ? 1 : samples / 960;
}

/** Where the packet's first frame starts (§3.2), or −1 when the framing is broken. */
function firstFrameOffset(p: Uint8Array): number {
  const code = p[0]! & 3;
  if (code === 0 || code === 1) return 1;
  if (code === 2) return p.length > 1 ? (p[1]! < 252 ? 2 : 3) : -1;
  if (p.length < 2) return -1;
  const count = p[1]! & 0x3f;
  let o = 2;
  if (p[1]! & 0x40) {
    // Padding length: bytes of 255 go on.
    while (o < p.length && p[o] === 255) o++;
    o++;
  }
  if (p[1]! & 0x80) for (let i = 0; i < count - 1; i++) o += o < p.length && p[o]! >= 252 ? 2 : 1;
  return o < p.length ? o : -1;
}

/**
 * Whether the packet's first frame carries in-band FEC (SILK's LBRR) for the
 * packet before it — what opus_decode(…, decode_fec = 1) rebuilds a lost
 * packet from. Reads the first symbols of the range coder (RFC 6716 §4.1,
 * §4.2.3): per SILK channel its VAD flags and then its LBRR flag, each a bit
 * of probability ½. CELT-only frames carry none.
 */
export function opusHasFec(payload: Uint8Array): boolean {
  if (payload.length < 2 || opusMode(payload[0]!) === 'celt') return false;
  const at = firstFrameOffset(payload);
  if (at < 0) return false;
  const rd = new RangeBits(payload, at);
  const channels = payload[0]! & 4 ? 2 : 1;
  const frames = silkFrames(payload[0]!);
  for (let c = 0; c < channels; c++) {
    for (let f = 0; f < frames; f++) rd.bit();
    if (rd.bit()) return true;
  }
  return false;
}

/** The start of libopus's range decoder (entdec.c), enough to read bits of probability ½. */
class RangeBits {
  private rng = 128;
  private val: number;
  private rem: number;
  private offs: number;
  constructor(private readonly buf: Uint8Array, start: number) {
    this.offs = start;
    this.rem = this.byte();
    this.val = this.rng - 1 - (this.rem >> 1);
    this.normalize();
  }
  bit(): boolean {
    const s = this.rng >>> 1;
    const one = this.val < s;
    if (!one) this.val -= s;
    this.rng = one ? s : this.rng - s;
    this.normalize();
    return one;
  }
  private byte(): number {
    return this.offs < this.buf.length ? this.buf[this.offs++]! : 0;
  }
  private normalize(): void {
    while (this.rng <= 1 << 23) {
      this.rng = this.rng * 256;
      const sym = this.rem;
      this.rem = this.byte();
      const s = ((sym << 8) | this.rem) >> 1;
      this.val = ((this.val * 256) + (255 & ~s)) % 2 ** 31;
    }
  }
}
