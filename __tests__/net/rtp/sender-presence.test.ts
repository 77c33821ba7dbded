import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SenderPresence, describePresence } from '../../../src/net/rtp/sender-presence.js';

test('nothing is reported before a sender is locked on', () => {
  const p = new SenderPresence(2000);
  assert.equal(p.check(10_000), null);
  assert.equal(p.packet(10_001), null);
});

test('silence shorter than the threshold is not a stop', () => {
  const p = new SenderPresence(2000);
  p.lock(0);
  p.packet(1000);
  assert.equal(p.check(2999), null);
});

test('silence reaching the threshold is reported as a stop, with its length', () => {
  const p = new SenderPresence(2000);
  p.lock(0);
  p.packet(1000);
  assert.deepEqual(p.check(3400), { kind: 'stopped', silentMs: 2400 });
});

test('a stop is reported once, however many checks follow', () => {
  const p = new SenderPresence(2000);
  p.lock(0);
  assert.equal(p.check(2000)?.kind, 'stopped');
  assert.equal(p.check(3000), null);
  assert.equal(p.check(60_000), null);
});

test('the first packet after a stop is reported as a resumption, the next ones are not', () => {
  const p = new SenderPresence(2000);
  p.lock(0);
  p.check(2500);
  assert.deepEqual(p.packet(5000), { kind: 'resumed', silentMs: 5000 });
  assert.equal(p.packet(5020), null);
});

test('packets with no stop reported in between never report a resumption', () => {
  const p = new SenderPresence(2000);
  p.lock(0);
  assert.equal(p.packet(1900), null); // a long gap, but no check saw it
  assert.equal(p.packet(5000), null);
});

test('after a resumption a new silence is reported again', () => {
  const p = new SenderPresence(2000);
  p.lock(0);
  p.check(2000);
  p.packet(3000);
  assert.deepEqual(p.check(6000), { kind: 'stopped', silentMs: 3000 });
});

test('a new lock after a stop starts afresh: no resumption line for the new sender', () => {
  const p = new SenderPresence(2000);
  p.lock(0);
  p.check(2000);
  p.lock(4000);
  assert.equal(p.packet(4020), null);
  assert.equal(p.check(5000), null);
});

test('after release nothing is watched until the next lock', () => {
  const p = new SenderPresence(2000);
  p.lock(0);
  p.release();
  assert.equal(p.check(10_000), null);
});

test('the lines name the peer and the whole seconds of silence', () => {
  assert.equal(describePresence('10.0.0.2:5004', { kind: 'stopped', silentMs: 2400 }), 'sender 10.0.0.2:5004 stopped sending (no packets for 2 s)');
  assert.equal(
    describePresence('10.0.0.2:5004', { kind: 'resumed', silentMs: 7900 }),
    'sender 10.0.0.2:5004 is sending again (after 7 s without packets)',
  );
});
