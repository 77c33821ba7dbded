import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateConverter } from '../../../src/audio/playout/rate-convert.js';
import type { PlayoutFrame } from '../../../src/audio/sink/sink.js';
import { zeroCrossingHz } from '../../helpers/signal.js';

/** A playout that hands out a 1 kHz sine at 48 kHz, counting what it was asked for. */
function sineSource() {
  let t = 0;
  let asked = 0;
  const pull = (n: number): PlayoutFrame => {
    asked += n;
    const pcm = Int16Array.from({ length: n }, () => Math.round(8000 * Math.sin((2 * Math.PI * 1000 * t++) / 48000)));
    return { pcm, playing: true, underrun: false, tailFrames: 0 };
  };
  return { pull, asked: () => asked };
}

test('48 kHz → 44.1 kHz: the sink gets exactly the frames it asks for, the pitch kept, 48/44.1 as many taken', () => {
  const conv = new RateConverter(48000, 44100, 1);
  const src = sineSource();
  const out: number[] = [];
  for (let i = 0; i < 100; i++) {
    const f = conv.pull(441, src.pull);
    assert.equal(f.pcm.length, 441);
    out.push(...f.pcm);
  }
  assert.ok(Math.abs(zeroCrossingHz(Int16Array.from(out).subarray(441), 44100) - 1000) < 3);
  assert.ok(Math.abs(src.asked() - 48000) <= 3, `took ${src.asked()} frames`);
});

test("the source's made-up tail is scaled to the sink's frames", () => {
  const conv = new RateConverter(48000, 24000, 1);
  const f = conv.pull(240, (n) => ({ pcm: new Int16Array(n), playing: true, underrun: false, tailFrames: n }));
  assert.equal(f.tailFrames, 240);
});
