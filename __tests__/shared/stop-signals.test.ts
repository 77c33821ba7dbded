import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onStopSignal, stopReason } from '../../src/shared/stop-signals.js';

test('Ctrl-C and the kill signals are worded for the exit line', () => {
  assert.equal(stopReason('SIGINT'), 'interrupted (Ctrl-C)');
  assert.equal(stopReason('SIGTERM'), 'stopped by SIGTERM');
});

test('each stop signal reaches the handler until it is removed', () => {
  const before = process.listenerCount('SIGHUP');
  const got: string[] = [];
  const off = onStopSignal((r) => got.push(r));
  process.emit('SIGHUP', 'SIGHUP');
  process.emit('SIGTERM', 'SIGTERM');
  off();
  assert.deepEqual(got, ['stopped by SIGHUP', 'stopped by SIGTERM']);
  assert.equal(process.listenerCount('SIGHUP'), before);
});
