import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finalFigures } from '../../src/session/final-snapshot.js';
import type { ReceiverSnapshot } from '../../src/session/receiver-snapshot.js';
import type { SenderSnapshot } from '../../src/session/sender.js';

const sender = (over: Partial<SenderSnapshot>): SenderSnapshot => ({
  role: 'sender', sent: 0, bytes: 0, bitrateKbps: 0, peakDbfs: -120, rmsDbfs: -120, recording: null, connected: null,
  connection: null, uptimeS: 0, loopDelayP99Ms: 0, simDropped: 0, simDuplicated: 0, skippedMs: 0, malformed: 0, codec: 'l16',
  remoteLost: null, remoteLossPercent: null, remoteJitterMs: null, rttMs: null, reportAgeS: null, remoteReceivers: null, mos: null, remoteHistory: [], ...over,
});

test('after a full second, the final line takes rates and levels from it and counters from the end', () => {
  const lastSecond = sender({ sent: 100, bytes: 90000, bitrateKbps: 720, peakDbfs: -6, rmsDbfs: -9, loopDelayP99Ms: 1.2, uptimeS: 1 });
  const sliver = sender({ sent: 101, bytes: 90294, bitrateKbps: 0, peakDbfs: -120, rmsDbfs: -120, loopDelayP99Ms: 0, uptimeS: 1.01 });
  assert.deepEqual(finalFigures(lastSecond, sliver), sender({ sent: 101, bytes: 90294, bitrateKbps: 720, peakDbfs: -6, rmsDbfs: -9, loopDelayP99Ms: 1.2, uptimeS: 1.01 }));
});

test('before any full second, the end sample (the whole session) stands', () => {
  const whole = sender({ sent: 50, bitrateKbps: 715, peakDbfs: -6 });
  assert.equal(finalFigures(undefined, whole), whole);
});

test("a receiver's final buffer is the last second's average too", () => {
  const rx = (over: Partial<ReceiverSnapshot>) => ({ role: 'receiver', received: 0, bufferMs: 0, targetMs: 40, bitrateKbps: 0, peakDbfs: -120, rmsDbfs: -120, loopDelayP99Ms: 0, ...over }) as ReceiverSnapshot;
  const out = finalFigures(rx({ received: 100, bufferMs: 41.5, bitrateKbps: 720, peakDbfs: -6 }), rx({ received: 101, bufferMs: 12, targetMs: 40 })) as ReceiverSnapshot;
  assert.deepEqual([out.received, out.bufferMs, out.bitrateKbps, out.peakDbfs, out.targetMs], [101, 41.5, 720, -6, 40]);
});
