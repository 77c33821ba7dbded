// Which codec implementation a session uses: the sender's encoder from the
// flags, the receiver's decoder from the stream (flags or SDP). L16 has
// neither: the packetizer writes it and the receiver reads it in place, the
// hot path, untouched by the codec layer.
import type { AudioFormat, CodecName } from '../shared/audio-format.js';
import type { Encoder } from '../audio/codec/codec.js';
import { L24Decoder, L24Encoder } from '../audio/codec/l24.js';
import { OpusDecoder, OpusEncoder } from '../audio/codec/opus.js';
import { OpusPlayoutWriter } from '../audio/codec/opus-playout.js';
import type { PlayoutWriter } from '../audio/playout/jitter-queue.js';

export interface EncoderSettings {
  codec: CodecName;
  frameMs: number;
  bitrateKbps: number;
  fec: boolean;
}

export function makeEncoder(s: EncoderSettings, format: AudioFormat): Encoder | undefined {
  if (s.codec === 'l24') return new L24Encoder(format);
  if (s.codec === 'opus') return new OpusEncoder({ format, frameMs: s.frameMs, bitrateKbps: s.bitrateKbps, fec: s.fec });
  return undefined;
}

/** How the receiver turns a stream's payloads into what its jitter buffer queues. */
export interface StreamDecoding {
  codec: CodecName;
  /** The PCM to queue for a payload (Opus: a buffer decoded when it plays), or why it is malformed. */
  /** `seq`: the packet's RTP sequence number (Opus says which number its FEC rebuilt). */
  accept(payload: Uint8Array, seq: number): Int16Array | string;
  /** Opus: told each sequence number rebuilt from FEC. */
  onRecovered?: (cb: (seq: number) => void) => void;
  /** What plays the queue (Opus: its decoder, in order, with its FEC and PLC); undefined: the PCM fade concealer. */
  writer?: PlayoutWriter;
  /** Packets rebuilt from FEC so far. */
  readonly recovered: number;
}

/** A new decoding for each stream (a decoder's state belongs to one stream). Undefined for L16. */
export function makeDecoding(codec: CodecName, format: AudioFormat): StreamDecoding | undefined {
  if (codec === 'l24') {
    const dec = new L24Decoder(format);
    return {
      codec,
      accept: (payload) => {
        const f = dec.frames(payload);
        return typeof f === 'string' ? f : dec.decode(payload, f);
      },
      recovered: 0,
    };
  }
  if (codec === 'opus') {
    const writer = new OpusPlayoutWriter(new OpusDecoder({ channels: format.channels }), format.channels);
    return {
      codec,
      accept: (payload, seq) => writer.hold(payload, seq),
      onRecovered: (cb) => {
        writer.onRecovered = cb;
      },
      writer,
      get recovered() {
        return writer.recovered;
      },
    };
  }
  return undefined;
}
