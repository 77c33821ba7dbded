import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpusDecoder, OpusEncoder } from '../../../src/audio/codec/opus.js';
import { opusPacketSamples } from '../../../src/audio/codec/opus-toc.js';
import { zeroCrossingHz } from '../../helpers/signal.js';
import { concat, errorDb, ffmpegOpusPayloads, sine } from './fixtures.js';

function decodeAll(payloads: Uint8Array[], channels: 1 | 2): Int16Array {
  const dec = new OpusDecoder({ channels });
  return concat(payloads.map((p) => dec.decode(p, opusPacketSamples(p) as number)));
}

test("ffmpeg's mono Opus packets decode to its 1 kHz sine, 960 samples a packet", () => {
  const payloads = ffmpegOpusPayloads('mono');
  const pcm = decodeAll(payloads, 1);
  assert.equal(pcm.length, payloads.length * 960);
  assert.ok(Math.abs(zeroCrossingHz(pcm.subarray(4800, 21600), 48000) - 1000) < 5); // 0.1–0.45 s: the sine, not its end
});

test("ffmpeg's stereo Opus packets decode to two channels of the sine", () => {
  const payloads = ffmpegOpusPayloads('stereo');
  const pcm = decodeAll(payloads, 2);
  assert.equal(pcm.length, payloads.length * 960 * 2);
  assert.ok(Math.abs(zeroCrossingHz(pcm.subarray(9600, 43200), 48000, 2) - 1000) < 5);
  const right = pcm.filter((_, i) => i % 2 === 1);
  assert.ok(Math.abs(zeroCrossingHz(right.subarray(4800, 21600), 48000) - 1000) < 5);
});

test('our encoder at 48 kHz: one packet per 20 ms frame whatever the blocks, 960 ticks each, the tone decodes back', () => {
  const enc = new OpusEncoder({ format: { rate: 48000, channels: 1 }, frameMs: 20, bitrateKbps: 64, fec: true });
  const input = sine(48000, 1, 48000);
  const packets = [];
  for (let at = 0; at < 48000; at += 441) packets.push(...enc.encode(input.subarray(at, Math.min(48000, at + 441))));
  assert.equal(packets.length, 50);
  assert.ok(packets.every((p) => p.frames === 960 && opusPacketSamples(p.payload) === 960));
  const pcm = decodeAll(packets.map((p) => p.payload), 1);
  assert.ok(Math.abs(zeroCrossingHz(pcm.subarray(4800), 48000) - 1000) < 5);
});

test('44.1 kHz input is resampled to the 48 kHz clock: a second in is a second of ticks, the pitch kept', () => {
  const enc = new OpusEncoder({ format: { rate: 44100, channels: 2 }, frameMs: 10, bitrateKbps: 96, fec: true });
  const input = sine(44100, 2, 44100 * 2);
  const packets = [];
  for (let at = 0; at < 88200; at += 441) packets.push(...enc.encode(input.subarray(at * 2, (at + 441) * 2)));
  // 2 s of 44.1 kHz input is 96000 ticks; the resampler holds back at most a few frames.
  assert.equal(packets.length, 199);
  assert.ok(packets.every((p) => p.frames === 480));
  const pcm = decodeAll(packets.map((p) => p.payload), 2);
  assert.ok(Math.abs(zeroCrossingHz(pcm.subarray(9600), 48000, 2) - 1000) < 5);
});

test('a lost packet: FEC from the next packet rebuilds it closer to the original than PLC does', () => {
  const payloads = ffmpegOpusPayloads('mono-fec');
  const reference = decodeAll(payloads, 1);
  const lost = 12;
  const run = (fec: boolean): Int16Array => {
    const dec = new OpusDecoder({ channels: 1 });
    return concat(payloads.map((p, i) => (i === lost ? dec.decode(null, 960, fec ? payloads[i + 1] : undefined) : dec.decode(p, 960))));
  };
  const withFec = run(true);
  const plcOnly = run(false);
  assert.equal(withFec.length, reference.length);
  const from = lost * 960;
  const fecErr = errorDb(reference, withFec, from, from + 960);
  const plcErr = errorDb(reference, plcOnly, from, from + 960);
  assert.ok(fecErr < plcErr - 3, `FEC ${fecErr.toFixed(1)} dB vs PLC ${plcErr.toFixed(1)} dB`);
  assert.ok(fecErr < -6, `FEC error ${fecErr.toFixed(1)} dB`);
});

test('the decoder conceals a loss of any 2.5 ms multiple, continuing the tone rather than going silent', () => {
  const payloads = ffmpegOpusPayloads('mono');
  const dec = new OpusDecoder({ channels: 1 });
  for (const p of payloads.slice(0, 10)) dec.decode(p, 960);
  const plc = dec.decode(null, 600);
  assert.equal(plc.length, 600);
  assert.ok(Math.max(...plc.subarray(0, 240).map(Math.abs)) > 1000);
});

test('DTX: in silence the encoder sends tiny packets, which decode to their duration', () => {
  const enc = new OpusEncoder({ format: { rate: 48000, channels: 1 }, frameMs: 20, bitrateKbps: 64, fec: false, dtx: true });
  const pcm = concat([sine(48000, 1, 24000), new Int16Array(48000)]);
  const packets = enc.encode(pcm);
  const tiny = packets.filter((p) => p.payload.length <= 2);
  assert.ok(tiny.length > 10, `${tiny.length} DTX packets`);
  const dec = new OpusDecoder({ channels: 1 });
  for (const p of packets) assert.equal(dec.decode(p.payload, 960).length, 960);
});

test('no packet exceeds the datagram budget: 510 kbit/s stereo in 60 ms frames is coded to fit 1178 bytes', () => {
  const enc = new OpusEncoder({ format: { rate: 48000, channels: 2 }, frameMs: 60, bitrateKbps: 510, fec: true });
  const noise = Int16Array.from({ length: 48000 * 2 }, (_, i) => ((i * 7919) % 20000) - 10000);
  const packets = enc.encode(noise);
  assert.equal(packets.length, 16);
  assert.ok(packets.every((p) => p.payload.length <= 1178), `largest ${Math.max(...packets.map((p) => p.payload.length))} bytes`);
});
