import { test } from 'node:test';
import assert from 'node:assert/strict';
import { opusHasFec, opusMode, opusPacketSamples } from '../../../src/audio/codec/opus-toc.js';
import { ffmpegOpusPayloads } from './fixtures.js';

test('the TOC byte gives the frame length: config 31 (CELT FB 20 ms) code 0 is 960 samples', () => {
  assert.equal(opusPacketSamples(Uint8Array.of(31 << 3, 0xaa)), 960);
  assert.equal(opusMode(31 << 3), 'celt');
});

test('codes 1 and 2 hold two frames, code 3 the count in its second byte', () => {
  assert.equal(opusPacketSamples(Uint8Array.of((1 << 3) | 1, 0)), 1920); // SILK NB 20 ms ×2
  assert.equal(opusPacketSamples(Uint8Array.of((15 << 3) | 2, 1, 0, 0)), 1920); // hybrid FB 20 ms ×2
  assert.equal(opusPacketSamples(Uint8Array.of((16 << 3) | 3, 3, 0)), 360); // CELT 2.5 ms ×3
  assert.equal(opusMode(15 << 3), 'hybrid');
  assert.equal(opusMode(3 << 3), 'silk');
});

test('an empty packet, a code 3 packet without its count, and one over 120 ms are malformed', () => {
  assert.equal(typeof opusPacketSamples(new Uint8Array(0)), 'string');
  assert.equal(typeof opusPacketSamples(Uint8Array.of((16 << 3) | 3)), 'string');
  assert.equal(typeof opusPacketSamples(Uint8Array.of((3 << 3) | 3, 3)), 'string'); // 3 × 60 ms
});

test("ffmpeg's packets with -fec 1 carry FEC (all but the first); without it, none do", () => {
  const withFec = ffmpegOpusPayloads('mono-fec');
  assert.equal(withFec.filter(opusHasFec).length, withFec.length - 1);
  assert.equal(opusHasFec(withFec[0]!), false); // nothing before it to protect
  assert.equal(ffmpegOpusPayloads('mono').filter(opusHasFec).length, 0);
  assert.equal(ffmpegOpusPayloads('stereo').filter(opusHasFec).length, 0);
});
