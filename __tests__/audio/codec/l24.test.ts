import { test } from 'node:test';
import assert from 'node:assert/strict';
import { L24Decoder, L24Encoder, l24ToPcm, pcmToL24 } from '../../../src/audio/codec/l24.js';

test('L24 payload is each sample big-endian in 3 bytes, the 16-bit value on top (RFC 3190)', () => {
  const bytes = pcmToL24(Int16Array.of(0x1234, -1, -32768, 32767));
  assert.deepEqual([...bytes], [0x12, 0x34, 0, 0xff, 0xff, 0, 0x80, 0, 0, 0x7f, 0xff, 0]);
});

test('L24 decodes to the top 16 bits, rounding on the low byte', () => {
  // 0x123480 rounds up to 0x1235; 0x12347f stays 0x1234; 0x7fffff stays at the top; 0xffff80 (−128/2^24) rounds to 0.
  const pcm = l24ToPcm(Uint8Array.of(0x12, 0x34, 0x80, 0x12, 0x34, 0x7f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0x80));
  assert.deepEqual([...pcm], [0x1235, 0x1234, 32767, 0]);
});

test('L24 round trip keeps every 16-bit sample, stereo interleaving included', () => {
  const pcm = Int16Array.from({ length: 96 }, (_, i) => (i * 1237) % 65536 - 32768);
  const fmt = { rate: 48000, channels: 2 } as const;
  const [pkt] = new L24Encoder(fmt).encode(pcm);
  assert.equal(pkt!.frames, 48);
  assert.equal(pkt!.payload.length, 96 * 3);
  const dec = new L24Decoder(fmt);
  assert.equal(dec.frames(pkt!.payload), 48);
  assert.deepEqual(dec.decode(pkt!.payload, 48), pcm);
});

test('an L24 payload that is not whole frames is malformed', () => {
  assert.equal(typeof new L24Decoder({ rate: 48000, channels: 2 }).frames(new Uint8Array(9)), 'string');
});
