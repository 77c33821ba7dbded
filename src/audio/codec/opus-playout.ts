// Opus at the playout end. Its decoder has state, so packets must be decoded
// in timeline order, with the lost ones concealed in their place by the
// decoder itself — which only the playout cursor knows. The receiver queues
// a placeholder per packet (hold); the jitter queue reads the timeline in
// order through this writer, which decodes a packet as it first plays and,
// for a gap, asks the decoder for its concealment: rebuilt from the next
// packet's in-band FEC when that packet is queued and right after the gap,
// its packet-loss concealment otherwise.
import type { PlayoutWriter } from '../playout/jitter-queue.js';
import type { OpusDecoder } from './opus.js';
import { MAX_FRAME_SAMPLES } from './opus-lib.js';
import { opusHasFec } from './opus-toc.js';

/** Opus concealment comes in steps of 2.5 ms at 48 kHz. */
const STEP = 120;
const DEFAULT_PLC = 960;

export class OpusPlayoutWriter implements PlayoutWriter {
  private readonly pending = new WeakMap<Int16Array, Uint8Array>();
  private readonly seqs = new WeakMap<Int16Array, number>();
  private readonly ch: number;
  private made: Int16Array = new Int16Array(0); // concealment made ahead of the cursor
  private madeAt = 0;
  private madeEnd = 0;
  private decodedAny = false;
  private lastFrames = DEFAULT_PLC;
  private recoveredFrames = 0;
  /** Lost packets rebuilt from the next one's FEC. */
  recovered = 0;
  /** Told the RTP sequence number of each packet rebuilt from FEC (its successor's, less one). */
  onRecovered: ((seq: number) => void) | undefined;
  /** Packets the decoder refused (concealed instead). */
  decodeErrors = 0;

  constructor(private readonly decoder: OpusDecoder, channels: number) {
    this.ch = channels;
  }

  /** The audio buffer to queue for a packet, decoded when it plays; or why the packet is malformed. */
  hold(payload: Uint8Array, seq?: number): Int16Array | string {
    const frames = this.decoder.frames(payload);
    if (typeof frames === 'string') return frames;
    const pcm = new Int16Array(frames * this.ch);
    // A copy: the payload may be a view into a socket buffer the batch reader reuses (a Buffer's slice() is a view too).
    this.pending.set(pcm, Uint8Array.prototype.slice.call(payload));
    if (seq !== undefined) this.seqs.set(pcm, seq);
    return pcm;
  }

  play(out: Int16Array, at: number, src: Int16Array, srcAt: number, n: number): void {
    const payload = this.pending.get(src);
    if (payload) {
      this.pending.delete(src);
      this.decodeInto(src, payload);
    }
    this.madeAt = this.madeEnd = 0; // concealment past the gap is not needed now
    const ch = this.ch;
    out.set(src.subarray(srcAt * ch, (srcAt + n) * ch), at * ch);
  }

  conceal(out: Int16Array, at: number, n: number, next?: Int16Array, toNext?: number): void {
    const ch = this.ch;
    if (!this.decodedAny) {
      out.fill(0, at * ch, (at + n) * ch); // nothing decoded yet: a stream starts from silence
      return;
    }
    let filled = 0;
    while (filled < n) {
      if (this.madeAt === this.madeEnd) this.make(next, toNext === undefined ? undefined : toNext - filled);
      const k = Math.min(n - filled, this.madeEnd - this.madeAt);
      out.set(this.made.subarray(this.madeAt * ch, (this.madeAt + k) * ch), (at + filled) * ch);
      this.madeAt += k;
      filled += k;
    }
  }

  /** Frames rebuilt from FEC since the last call (the jitter buffer counts them as recovered, not concealed). */
  takeRecoveredFrames(): number {
    const f = this.recoveredFrames;
    this.recoveredFrames = 0;
    return f;
  }

  reset(): void {
    this.madeAt = this.madeEnd = 0;
    this.decodedAny = false;
    this.decoder.reset();
  }

  private decodeInto(dst: Int16Array, payload: Uint8Array): void {
    const frames = dst.length / this.ch;
    let pcm: Int16Array;
    try {
      pcm = this.decoder.decode(payload, frames);
    } catch {
      this.decodeErrors++;
      pcm = this.decoder.decode(null, Math.min(MAX_FRAME_SAMPLES, frames));
    }
    dst.set(pcm.length > dst.length ? pcm.subarray(0, dst.length) : pcm);
    this.decodedAny = true;
    this.lastFrames = Math.min(MAX_FRAME_SAMPLES, Math.max(STEP, frames));
  }

  /** The next stretch of concealment, up to the next packet when it is known. */
  private make(next: Int16Array | undefined, toNext: number | undefined): void {
    const fec = next ? this.pending.get(next) : undefined;
    let frames: number;
    let pcm: Int16Array;
    if (fec && toNext !== undefined && toNext > 0 && toNext <= MAX_FRAME_SAMPLES && toNext % STEP === 0) {
      // The whole rest of the gap: libopus conceals its start and rebuilds its last packet from the FEC.
      frames = toNext;
      pcm = this.decoder.decode(null, frames, fec);
      if (opusHasFec(fec)) {
        this.recovered++;
        this.recoveredFrames += Math.min(frames, next!.length / this.ch);
        const seq = this.seqs.get(next!);
        if (seq !== undefined) this.onRecovered?.((seq - 1) & 0xffff);
      }
    } else {
      frames = toNext !== undefined && toNext > 0 ? Math.min(this.lastFrames, Math.ceil(toNext / STEP) * STEP) : this.lastFrames;
      pcm = this.decoder.decode(null, frames);
    }
    this.made = pcm;
    this.madeAt = 0;
    this.madeEnd = pcm.length / this.ch;
  }
}
