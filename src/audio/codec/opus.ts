// Opus (RFC 6716, RTP payload RFC 7587) over libopus: one packet per frame of
// 10, 20, 40 or 60 ms at the 48 kHz RTP clock. The encoder takes any input
// rate: libopus's own rates (8/12/16/24/48 kHz) go in as they are, the
// others are resampled to 48 kHz first.
import type { AudioFormat } from '../../shared/audio-format.js';
import { Resampler } from '../playout/resampler.js';
import type { Decoder, EncodedPacket, Encoder } from './codec.js';
import {
  MAX_FRAME_SAMPLES,
  MAX_PACKET_BYTES,
  OPUS_APPLICATION_AUDIO,
  OPUS_SET_BITRATE,
  OPUS_SET_COMPLEXITY,
  OPUS_SET_DTX,
  OPUS_SET_INBAND_FEC,
  OPUS_SET_PACKET_LOSS_PERC,
  OPUS_RESET_STATE,
  opusLib,
  type OpusLib,
} from './opus-lib.js';
import { opusPacketSamples } from './opus-toc.js';

export const OPUS_CLOCK = 48000;
export const OPUS_FRAME_MS = [10, 20, 40, 60] as const;
export const OPUS_NATIVE_RATES = [8000, 12000, 16000, 24000, 48000];

/** SPEC §2: 64 kbit/s mono, 96 stereo. */
export function defaultOpusKbps(channels: 1 | 2): number {
  return channels === 2 ? 96 : 64;
}

export interface OpusEncoderOptions {
  /** The captured audio's format. */
  format: AudioFormat;
  frameMs: number;
  bitrateKbps: number;
  fec: boolean;
  /** The loss the encoder plans its redundancy for (FEC is only sent when this is > 0). */
  expectedLossPercent?: number;
  dtx?: boolean;
  complexity?: number;
  /** Largest payload: SPEC §3 keeps a datagram within 1200 bytes (less the RTP header and an SRTP tag); libopus codes a frame to fit. */
  maxPayloadBytes?: number;
}

/** 1200 − 12 (RTP header) − 10 (SRTP tag). */
export const OPUS_MAX_PAYLOAD = 1178;

export class OpusEncoder implements Encoder {
  readonly codec = 'opus';
  readonly clockRate = OPUS_CLOCK;
  private readonly lib: OpusLib;
  private readonly st: number;
  private readonly pcmPtr: number;
  private readonly outPtr: number;
  private readonly ch: number;
  /** Input frames per packet, at the encoder's rate. */
  private readonly frameIn: number;
  /** 48 kHz ticks per packet. */
  private readonly ticks: number;
  private readonly resampler: Resampler | undefined;
  private readonly step: number;
  private pending: Int16Array;
  private pendingFrames = 0;
  private scratch = new Int16Array(0);
  private readonly maxBytes: number;

  constructor(opts: OpusEncoderOptions) {
    this.lib = opusLib();
    const x = this.lib.x;
    this.ch = opts.format.channels;
    const native = OPUS_NATIVE_RATES.includes(opts.format.rate);
    const encRate = native ? opts.format.rate : OPUS_CLOCK;
    if (!native) {
      this.resampler = new Resampler(this.ch);
      this.step = opts.format.rate / OPUS_CLOCK;
    } else this.step = 1;
    this.frameIn = (encRate * opts.frameMs) / 1000;
    this.ticks = (OPUS_CLOCK * opts.frameMs) / 1000;
    this.st = x.malloc(x.opus_encoder_get_size(this.ch));
    this.lib.check(x.opus_encoder_init(this.st, encRate, this.ch, OPUS_APPLICATION_AUDIO), 'encoder init');
    // --bitrate is what goes on the wire: the RTP header (12 bytes a packet) comes out of the codec's share.
    const headerBps = (12 * 8 * 1000) / opts.frameMs;
    this.lib.check(x.opus_encoder_ctl_set(this.st, OPUS_SET_BITRATE, Math.max(6000, Math.round(opts.bitrateKbps * 1000 - headerBps))), 'bitrate');
    this.lib.check(x.opus_encoder_ctl_set(this.st, OPUS_SET_INBAND_FEC, opts.fec ? 1 : 0), 'inband fec');
    // libopus adds FEC only for a loss it expects; 10 % keeps it on for a few percent of real loss.
    this.lib.check(x.opus_encoder_ctl_set(this.st, OPUS_SET_PACKET_LOSS_PERC, opts.fec ? (opts.expectedLossPercent ?? 10) : 0), 'packet loss');
    if (opts.dtx) this.lib.check(x.opus_encoder_ctl_set(this.st, OPUS_SET_DTX, 1), 'dtx');
    if (opts.complexity !== undefined) this.lib.check(x.opus_encoder_ctl_set(this.st, OPUS_SET_COMPLEXITY, opts.complexity), 'complexity');
    this.pcmPtr = x.malloc(this.frameIn * this.ch * 2);
    this.outPtr = x.malloc(MAX_PACKET_BYTES);
    this.pending = new Int16Array(this.frameIn * this.ch);
    this.maxBytes = Math.min(MAX_PACKET_BYTES, opts.maxPayloadBytes ?? OPUS_MAX_PAYLOAD);
  }

  encode(pcm: Int16Array): EncodedPacket[] {
    const input = this.resampler ? this.resample(pcm) : pcm;
    const out: EncodedPacket[] = [];
    const ch = this.ch;
    const total = input.length / ch;
    let at = 0;
    while (at < total) {
      const n = Math.min(this.frameIn - this.pendingFrames, total - at);
      this.pending.set(input.subarray(at * ch, (at + n) * ch), this.pendingFrames * ch);
      this.pendingFrames += n;
      at += n;
      if (this.pendingFrames === this.frameIn) {
        out.push({ payload: this.encodeFrame(this.pending), frames: this.ticks });
        this.pendingFrames = 0;
      }
    }
    return out;
  }

  /** Frees the encoder's memory in the module; the encoder is unusable after. */
  close(): void {
    const x = this.lib.x;
    x.free(this.st);
    x.free(this.pcmPtr);
    x.free(this.outPtr);
  }

  private encodeFrame(frame: Int16Array): Uint8Array {
    const x = this.lib.x;
    this.lib.int16(this.pcmPtr, frame.length).set(frame);
    const len = this.lib.check(x.opus_encode(this.st, this.pcmPtr, this.frameIn, this.outPtr, this.maxBytes), 'encode');
    return this.lib.heap.slice(this.outPtr, this.outPtr + len);
  }

  // Streaming: the resampler holds the input; as many 48 kHz frames as it fully covers come out now.
  private resample(pcm: Int16Array): Int16Array {
    const r = this.resampler!;
    const ch = this.ch;
    r.process(pcm, NONE, 0, this.step);
    let k = Math.max(0, Math.floor((r.aheadFrames - 3) / this.step) + 1);
    while (k > 0 && r.need(k, this.step) > 0) k--;
    while (r.need(k + 1, this.step) === 0) k++;
    if (this.scratch.length < k * ch) this.scratch = new Int16Array(k * ch);
    const out = this.scratch.subarray(0, k * ch);
    r.process(NONE, out, k, this.step);
    return out;
  }
}

const NONE = new Int16Array(0);

export interface OpusDecoderOptions {
  channels: 1 | 2;
}

export class OpusDecoder implements Decoder {
  readonly codec = 'opus';
  readonly clockRate = OPUS_CLOCK;
  private readonly lib: OpusLib;
  private readonly st: number;
  private readonly inPtr: number;
  private readonly pcmPtr: number;
  private readonly ch: number;

  constructor(opts: OpusDecoderOptions) {
    this.lib = opusLib();
    const x = this.lib.x;
    this.ch = opts.channels;
    this.st = x.malloc(x.opus_decoder_get_size(this.ch));
    this.lib.check(x.opus_decoder_init(this.st, OPUS_CLOCK, this.ch), 'decoder init');
    this.inPtr = x.malloc(MAX_PACKET_BYTES);
    this.pcmPtr = x.malloc(MAX_FRAME_SAMPLES * this.ch * 2);
  }

  frames(payload: Uint8Array): number | string {
    return opusPacketSamples(payload);
  }

  /**
   * A packet's audio; or for a lost span of `frames` ticks the decoder's
   * concealment, rebuilt from `fec` (the next packet) where it carries the
   * lost one's redundancy. `frames` is a multiple of 2.5 ms, at most 120 ms.
   */
  decode(payload: Uint8Array | null, frames: number, fec?: Uint8Array): Int16Array {
    const x = this.lib.x;
    const data = payload ?? fec;
    let len = 0;
    if (data) {
      if (data.length > MAX_PACKET_BYTES) throw new RangeError('Opus packet too long');
      this.lib.heap.set(data, this.inPtr);
      len = data.length;
    }
    const size = payload ? MAX_FRAME_SAMPLES : frames;
    const n = this.lib.check(x.opus_decode(this.st, len ? this.inPtr : 0, len, this.pcmPtr, size, payload ? 0 : fec ? 1 : 0), 'decode');
    return this.lib.int16(this.pcmPtr, n * this.ch).slice();
  }

  /** Forgets the stream (a new one follows). */
  reset(): void {
    this.lib.x.opus_decoder_ctl_set(this.st, OPUS_RESET_STATE, 0);
  }

  close(): void {
    const x = this.lib.x;
    x.free(this.st);
    x.free(this.inPtr);
    x.free(this.pcmPtr);
  }
}
