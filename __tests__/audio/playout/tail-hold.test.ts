import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TailHold } from '../../../src/audio/playout/tail-hold.js';

const frame = (values: number[], tailFrames: number, playing = true) => ({ pcm: Int16Array.from(values), playing, tailFrames });

function collect(max = 100) {
  const out: number[] = [];
  const hold = new TailHold((pcm) => out.push(...pcm), 1, max);
  return { out, hold };
}

test('a made-up tail that no audio follows is never written (the stream ended)', () => {
  const { out, hold } = collect();
  hold.push(frame([1, 2, 3, 4], 0));
  hold.push(frame([5, 6, 0, 0], 2)); // the last packet ended mid-pull
  hold.push(frame([0, 0, 0, 0], 4)); // concealment until the buffer goes idle
  hold.push(frame([0, 0, 0, 0], 0, false));
  assert.deepEqual(out, [1, 2, 3, 4, 5, 6]);
});

test('concealment that real audio follows was a gap that played: written, in order', () => {
  const { out, hold } = collect();
  hold.push(frame([1, 2, 9, 9], 2));
  hold.push(frame([9, 9, 9, 9], 4));
  hold.push(frame([3, 4, 5, 6], 0));
  assert.deepEqual(out, [1, 2, 9, 9, 9, 9, 9, 9, 3, 4, 5, 6]);
});

test('the hold is bounded: past it, concealment is not kept', () => {
  const { out, hold } = collect(4);
  hold.push(frame([1, 1, 1, 1], 4));
  hold.push(frame([2, 2, 2, 2], 4)); // would pass the bound of 4 frames
  hold.push(frame([3, 3, 3, 3], 0));
  assert.deepEqual(out, [1, 1, 1, 1, 3, 3, 3, 3]);
});

test('what is held is copied: the caller reuses its buffer', () => {
  const { out, hold } = collect();
  const f = frame([7, 8, 0, 0], 2);
  hold.push(f);
  f.pcm.fill(0);
  f.tailFrames = 0;
  hold.push(f);
  assert.deepEqual(out.slice(0, 4), [7, 8, 0, 0]);
});
