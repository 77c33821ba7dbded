import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isOutputUnderflow } from '../../../src/audio/device/chatter.js';

test("naudiodon's output-underflow status line is an underflow; ALSA's note of the same xrun and other statuses are not", () => {
  assert.equal(isOutputUnderflow('AudioIO: portAudio status - output underflow '), true);
  assert.equal(isOutputUnderflow('AudioIO: portAudio status - output underflow priming output '), true);
  // One xrun prints both lines: count it once.
  assert.equal(isOutputUnderflow('ALSA lib pcm.c:8570:(snd_pcm_recover) underrun occurred'), false);
  assert.equal(isOutputUnderflow('AudioIO: portAudio status - input overflow '), false);
  assert.equal(isOutputUnderflow('Finishing output - 882 bytes not available to fill the last buffer'), false);
});
