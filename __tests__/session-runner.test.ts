import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../src/logging/logger.js';
import type { Session } from '../src/session.js';
import type { SessionConfig } from '../src/session-config.js';
import { runSession } from '../src/session-runner.js';
import { tmpDir } from './helpers/cli.js';

/** Just enough of a Session to watch the order things close in. */
function fakeSession(calls: string[], startError?: Error) {
  const recorder = Object.assign(new EventEmitter(), {
    stop: async () => void calls.push('recorder.stop'),
    start: async () => 'x.wav',
    setFormat: () => true,
  });
  return Object.assign(new EventEmitter(), {
    recorder,
    start: async () => {
      calls.push('start');
      if (startError) throw startError;
    },
    stop: async () => void calls.push('session.stop'),
    finalSnapshot: () => (calls.push('final'), { role: 'sender', sent: 3 }),
    streamFormat: async () => ({ rate: 44100, channels: 1 }),
  }) as unknown as Session;
}

const cfg = (over: Partial<SessionConfig> = {}) => ({ record: { atStart: false, path: undefined }, durationS: undefined, statsJson: undefined, ...over }) as SessionConfig;

test('q: the recording closes before the session, then the final stats line is written', async () => {
  const calls: string[] = [];
  const stats = join(tmpDir(), 'stats.jsonl');
  const r = await runSession(fakeSession(calls), cfg({ statsJson: stats }), silentLogger(), { stop: Promise.resolve('quit from the dashboard') });
  assert.deepEqual(r, { code: 0, reason: 'quit from the dashboard' });
  assert.deepEqual(calls, ['start', 'recorder.stop', 'session.stop', 'final']);
  assert.deepEqual(JSON.parse(readFileSync(stats, 'utf8').trim()), { role: 'sender', sent: 3, final: true });
});

test('a session that cannot start throws its error after closing down', async () => {
  const calls: string[] = [];
  const err = new Error('port in use');
  await assert.rejects(runSession(fakeSession(calls, err), cfg(), silentLogger(), { stop: new Promise(() => undefined) }), /port in use/);
  assert.deepEqual(calls, ['start', 'recorder.stop', 'session.stop', 'final']);
});

test('the session ending by itself ends the run with exit 0', async () => {
  const calls: string[] = [];
  const s = fakeSession(calls);
  const run = runSession(s, cfg(), silentLogger(), { stop: new Promise(() => undefined), onStarted: () => s.emit('end') });
  assert.deepEqual(await run, { code: 0, reason: 'source ended' });
});
