// Sequence-number fates: lost, late or played, settled in order once the stream is past them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeqLedger, type Fate } from '../../../src/net/quality/seq-ledger.js';

function ledger(horizon = 4): { l: SeqLedger; fates: Fate[] } {
  const fates: Fate[] = [];
  return { l: new SeqLedger((f) => fates.push(f), horizon), fates };
}

test('a gap never filled settles as lost, in sequence order', () => {
  const { l, fates } = ledger();
  for (const s of [10, 11, 13, 14, 15, 16, 17, 18]) l.arrived(s, false);
  l.flush();
  assert.deepEqual(fates, ['played', 'played', 'lost', 'played', 'played', 'played', 'played', 'played', 'played']);
});

test('a reordered packet fills its slot before it settles; a late one is late, not lost', () => {
  const { l, fates } = ledger();
  l.arrived(1, false);
  l.arrived(3, false);
  l.arrived(2, false); // reordered, in time
  l.arrived(5, false);
  l.arrived(4, true); // arrived after its playout time
  l.flush();
  assert.deepEqual(fates, ['played', 'played', 'played', 'late', 'played']);
});

test('settles only what is `horizon` behind the newest, so stragglers still count', () => {
  const { l, fates } = ledger(4);
  for (const s of [0, 2, 3]) l.arrived(s, false);
  assert.deepEqual(fates, []);
  l.arrived(4, false);
  assert.deepEqual(fates, ['played']);
  l.arrived(1, false); // still open
  l.arrived(6, false);
  assert.deepEqual(fates, ['played', 'played', 'played']);
});

test('wraps at 65535 without inventing losses', () => {
  const { l, fates } = ledger();
  for (const s of [65533, 65534, 65535, 0, 1, 2]) l.arrived(s, false);
  l.flush();
  assert.deepEqual(fates, Array(6).fill('played'));
});

test('a jump beyond the dropout limit is a restart, not thousands of losses; duplicates change nothing', () => {
  const { l, fates } = ledger();
  l.arrived(100, false);
  l.arrived(100, false);
  l.arrived(20000, false);
  l.arrived(20001, false);
  l.flush();
  assert.deepEqual(fates, ['played', 'played', 'played']);
});

test('a lost number rebuilt by FEC settles as recovered; one that arrived, or is already settled, stays as it was', () => {
  const { l, fates } = ledger(4);
  for (const s of [1, 2, 4, 5]) l.arrived(s, false);
  l.recovered(3); // open and missing: rebuilt from 4's FEC
  l.recovered(4); // arrived: unchanged
  for (const s of [6, 8, 9, 10, 11, 12, 13]) l.arrived(s, false);
  l.recovered(7); // already settled as lost (more than the horizon behind): too late to change
  l.flush();
  assert.deepEqual(fates.slice(0, 8), ['played', 'played', 'recovered', 'played', 'played', 'played', 'lost', 'played']);
});
