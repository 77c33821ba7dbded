import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormatConverter, LinearResampler, convertChannels } from '../../../src/audio/device/convert.js';
import { ToneGenerator } from '../../../src/audio/source/tone.js';
import { zeroCrossingHz } from '../../helpers/signal.js';

test('mono to stereo duplicates each sample', () => {
  assert.deepEqual(convertChannels(Int16Array.of(1, -2, 300), 1, 2), Int16Array.of(1, 1, -2, -2, 300, 300));
});

test('stereo to mono averages the two channels', () => {
  assert.deepEqual(convertChannels(Int16Array.of(100, 300, -32768, -32768, 1, 2), 2, 1), Int16Array.of(200, -32768, 1));
});

test('resampling the same rate interpolates nothing', () => {
  const r = new LinearResampler(44100, 44100, 1);
  assert.deepEqual(r.process(Int16Array.of(5, 6, 7)), Int16Array.of(5, 6));
  assert.deepEqual(r.process(Int16Array.of(8, 9)), Int16Array.of(7, 8));
});

test('doubling the rate puts the midpoint between samples', () => {
  const r = new LinearResampler(1, 2, 1);
  assert.deepEqual(r.process(Int16Array.of(0, 100, 200)), Int16Array.of(0, 50, 100, 150));
});

test('48 kHz to 44.1 kHz keeps a 440 Hz tone at 440 Hz and the duration', () => {
  const input = new ToneGenerator({ rate: 48000, channels: 1 }, 440).read(48000);
  const out = new LinearResampler(48000, 44100, 1).process(input);
  assert.ok(Math.abs(out.length - 44100) <= 1, `${out.length} frames`);
  assert.ok(Math.abs(zeroCrossingHz(out, 44100) - 440) < 2);
});

test('block boundaries do not change the output', () => {
  const input = new ToneGenerator({ rate: 48000, channels: 2 }, 1000).read(4800);
  const whole = new LinearResampler(48000, 44100, 2).process(input);
  const r = new LinearResampler(48000, 44100, 2);
  const parts: number[] = [];
  for (let i = 0; i < input.length; i += 2 * 137) parts.push(...r.process(input.subarray(i, i + 2 * 137)));
  assert.deepEqual(Int16Array.from(parts), whole);
});

test('a converter does channels and rate together', () => {
  const c = new FormatConverter({ rate: 48000, channels: 2 }, { rate: 24000, channels: 1 });
  assert.equal(c.identity, false);
  assert.deepEqual(c.process(Int16Array.of(10, 30, 50, 70, 90, 110, 130, 150)), Int16Array.of(20, 100));
});
