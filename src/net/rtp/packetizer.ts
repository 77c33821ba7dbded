import { randomInt } from 'node:crypto';
import type { AudioFormat } from '../../shared/audio-format.js';
import { BYTES_PER_SAMPLE } from '../../shared/audio-format.js';
import { writeL16 } from './l16.js';
import { RTP_HEADER_BYTES, writeRtpHeader } from './rtp.js';
import { uint16Add, uint32Add } from '../../shared/rtp-time.js';

/** SPEC §3: no datagram above this many bytes of UDP payload. */
export const MAX_DATAGRAM_BYTES = 1200;

export interface PacketizerOptions {
  format: AudioFormat;
  payloadType: number;
  /** Room kept free at the end of each packet (SRTP's auth tag). */
  trailerBytes?: number;
  /** Injected for tests; random per RFC 3550 otherwise. */
  initial?: { sequenceNumber: number; timestamp: number; ssrc: number };
}

/** Turns frames of PCM into RTP packets, splitting any that would be too big. */
export class RtpPacketizer {
  readonly ssrc: number;
  private seq: number;
  private ts: number;
  private marker = true;
  private readonly maxFramesPerPacket: number;
  private readonly channels: number;

  constructor(private readonly opts: PacketizerOptions) {
    const init = opts.initial ?? {
      sequenceNumber: randomInt(0, 0x10000),
      timestamp: randomInt(0, 0xffffffff),
      ssrc: randomInt(1, 0xffffffff),
    };
    this.seq = init.sequenceNumber;
    this.ts = init.timestamp >>> 0;
    this.ssrc = init.ssrc >>> 0;
    this.channels = opts.format.channels;
    const room = MAX_DATAGRAM_BYTES - RTP_HEADER_BYTES - (opts.trailerBytes ?? 0);
    this.maxFramesPerPacket = Math.floor(room / (BYTES_PER_SAMPLE * this.channels));
  }

  get nextSequenceNumber(): number {
    return this.seq;
  }

  get nextTimestamp(): number {
    return this.ts;
  }

  /** The next packet carries the marker bit (a start, or after a gap). */
  markDiscontinuity(): void {
    this.marker = true;
  }

  /** Advances the timestamp over audio that was not sent (a gap in capture). */
  skip(frames: number): void {
    this.ts = uint32Add(this.ts, frames);
    this.marker = true;
  }

  /** Bytes of payload one packet may carry (a codec's encoder splits its frames to fit). */
  get payloadRoom(): number {
    return MAX_DATAGRAM_BYTES - RTP_HEADER_BYTES - (this.opts.trailerBytes ?? 0);
  }

  /** One packet around an encoded payload (L24, Opus) that carries `frames` ticks of the RTP clock. */
  packetizePayload(payload: Uint8Array, frames: number): Buffer {
    const packet = this.nextPacket(payload.length, frames);
    packet.set(payload, RTP_HEADER_BYTES);
    return packet;
  }

  /** A packet with this stream's next header written (and the marker, sequence and timestamp moved on by `frames`). */
  private nextPacket(payloadBytes: number, frames: number): Buffer {
    const packet = Buffer.allocUnsafe(RTP_HEADER_BYTES + payloadBytes);
    writeRtpHeader(packet, {
      marker: this.marker,
      payloadType: this.opts.payloadType,
      sequenceNumber: this.seq,
      timestamp: this.ts,
      ssrc: this.ssrc,
    });
    this.marker = false;
    this.seq = uint16Add(this.seq, 1);
    this.ts = uint32Add(this.ts, frames);
    return packet;
  }

  packetize(pcm: Int16Array): Buffer[] {
    const frames = Math.floor(pcm.length / this.channels);
    if (frames === 0) return [];
    const count = Math.ceil(frames / this.maxFramesPerPacket);
    // Even split, so a 1300-byte frame becomes two ~650-byte packets, not 1188 + 112.
    const per = Math.ceil(frames / count);
    const out: Buffer[] = [];
    for (let start = 0; start < frames; start += per) {
      const n = Math.min(per, frames - start);
      const packet = this.nextPacket(n * this.channels * BYTES_PER_SAMPLE, n);
      writeL16(pcm, start * this.channels, n * this.channels, packet, RTP_HEADER_BYTES);
      out.push(packet);
    }
    return out;
  }
}
