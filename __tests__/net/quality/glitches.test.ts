// Glitches by cause: a run of concealed packets is one event, and our own underruns are never the network's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countGlitches, underrunGlitches, type GlitchEvent } from '../../../src/net/quality/glitches.js';

const seq = (s: string): GlitchEvent[] =>
  [...s].map((c) => ({ p: 'played', x: 'lost', l: 'late', u: 'underrun' })[c] as GlitchEvent);

test('a clean stream has no glitches', () => {
  assert.deepEqual(countGlitches(seq('pppppppp')), { network: 0, late: 0, underrun: 0, total: 0 });
});

test('a run of lost packets is one network glitch, however long', () => {
  assert.deepEqual(countGlitches(seq('ppxxxxxpp')), { network: 1, late: 0, underrun: 0, total: 1 });
  assert.deepEqual(countGlitches(seq('pxpxpxp')), { network: 3, late: 0, underrun: 0, total: 3 });
});

test('a run of late packets is one late glitch; a run with any loss in it is the network', () => {
  assert.deepEqual(countGlitches(seq('pplllpp')), { network: 0, late: 1, underrun: 0, total: 1 });
  assert.deepEqual(countGlitches(seq('pplxlpp')), { network: 1, late: 0, underrun: 0, total: 1 });
  assert.deepEqual(countGlitches(seq('plpxp')), { network: 1, late: 1, underrun: 0, total: 2 });
});

test('underruns are counted as ours, never as the network', () => {
  assert.deepEqual(countGlitches(seq('ppupppupp')), { network: 0, late: 0, underrun: 2, total: 2 });
});

test('a run still open when the stream ends counts', () => {
  assert.deepEqual(countGlitches(seq('pppxx')), { network: 1, late: 0, underrun: 0, total: 1 });
});

test("underruns of a second: the device's always; the buffer's only when no loss or lateness explains them", () => {
  assert.equal(underrunGlitches({ deviceUnderruns: 2, bufferUnderruns: 0, lost: 5, late: 0 }), 2);
  assert.equal(underrunGlitches({ deviceUnderruns: 0, bufferUnderruns: 1, lost: 0, late: 0 }), 1);
  assert.equal(underrunGlitches({ deviceUnderruns: 0, bufferUnderruns: 1, lost: 3, late: 0 }), 0);
  assert.equal(underrunGlitches({ deviceUnderruns: 1, bufferUnderruns: 1, lost: 0, late: 2 }), 1);
});
