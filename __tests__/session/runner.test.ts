import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../src/logging/logger.js';
import type { Session } from '../../src/session/session.js';
import type { SessionConfig } from '../../src/session/config.js';
import { runSession } from '../../src/session/runner.js';
import { UserError } from '../../src/shared/errors.js';
import { tmpDir } from '../helpers/cli.js';

/** Just enough of a Session to watch the order things close in. */
function fakeSession(calls: string[], startError?: Error) {
  const recorder = Object.assign(new EventEmitter(), {
    stop: async () => void calls.push('recorder.stop'),
    start: async () => 'x.wav',
    setFormat: () => true,
  });
  return Object.assign(new EventEmitter(), {
    role: 'sender',
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

test('asked again while the session hangs closing: returns once the recording is closed, saying what hung', async () => {
  const calls: string[] = [];
  const s = fakeSession(calls);
  (s as unknown as { stop: () => Promise<void> }).stop = () => (calls.push('session.stop'), new Promise<void>(() => undefined));
  let askAgain: () => void = () => undefined;
  const again = new Promise<void>((r) => (askAgain = r));
  const run = runSession(s, cfg(), silentLogger(), { stop: Promise.resolve('interrupted (Ctrl-C)'), again, onStopping: () => setImmediate(askAgain) });
  assert.deepEqual(await run, { code: 1, reason: "stopped without waiting for the sender's network and audio to close (asked to stop twice)", abandoned: true });
  assert.deepEqual(calls, ['start', 'recorder.stop', 'session.stop', 'recorder.stop']);
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

/** A recorder whose recorded length the test sets; it records from start() until stop(). */
function recordingSession(calls: string[]) {
  const s = fakeSession(calls);
  const rec = s.recorder as unknown as EventEmitter;
  const audio = { elapsedS: 0, recording: false };
  Object.assign(rec, {
    start: async () => {
      audio.recording = true;
      rec.emit('started', { path: 'x.wav' });
      return 'x.wav';
    },
    stop: async () => {
      calls.push('recorder.stop');
      if (!audio.recording) return null;
      audio.recording = false;
      const r = { path: 'x.wav', durationS: audio.elapsedS, bytes: 44 };
      rec.emit('stopped', r);
      return r;
    },
    state: () => ({ recording: audio.recording, path: audio.recording ? 'x.wav' : null, elapsedS: audio.elapsedS, bytes: 44, untilS: 3 }),
  });
  return { s, audio };
}

const timedRecording = cfg({ record: { atStart: true, path: undefined }, durationS: 3, jitter: { mode: 'fixed', ms: 40 } });
const settle = () => new Promise<void>((r) => setImmediate(r));

/** A timed recording under mock timers, started and settled; `settled()` tells whether the run has ended. */
async function startTimedRecording(t: TestContext) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const calls: string[] = [];
  const { s, audio } = recordingSession(calls);
  let done = false;
  const run = runSession(s, timedRecording, silentLogger(), { stop: new Promise(() => undefined) }).finally(() => (done = true));
  await settle();
  return { calls, s, audio, run, settled: () => done };
}

// Audit: the receiver records only while it plays, so counting recorded audio alone waited for ever on a short stream.
test('--record --duration 3: a stream that stops after 2.95 s ends the run 3 s + playout delay + 1 s after the start, recording saved', { timeout: 5000 }, async (t) => {
  const { calls, audio, run, settled } = await startTimedRecording(t);
  assert.equal(audio.recording, true);
  audio.elapsedS = 2.95; // then nothing more arrives
  t.mock.timers.tick(3040); // a first look, a second before the deadline
  t.mock.timers.tick(999);
  await settle();
  assert.equal(settled(), false, 'not before the deadline');
  t.mock.timers.tick(1);
  const r = await run;
  assert.deepEqual(r, { code: 0, reason: '--duration 3 s reached: the stream stopped after 2.95 s of audio' });
  assert.deepEqual(calls, ['start', 'recorder.stop', 'session.stop', 'final']);
});

test('--record --duration 3: a recording still growing at the deadline runs on until it holds 3 s', { timeout: 5000 }, async (t) => {
  const { s, audio, run, settled } = await startTimedRecording(t);
  t.mock.timers.tick(3040 - 1000);
  for (const elapsedS of [2.5, 2.8, 2.9, 2.95]) {
    audio.elapsedS = elapsedS; // a late stream (a stalled process, a slow device clock)
    t.mock.timers.tick(1000); // looks at 3.04 s, at the deadline (4.04 s) and on, once a second
  }
  await settle();
  assert.equal(settled(), false);
  audio.elapsedS = 3;
  await s.recorder.stop(); // the recorder's own stop at 3 s of audio
  assert.deepEqual(await run, { code: 0, reason: 'recorded 3 s' });
});

test('a session that ends by itself at --duration says so', async () => {
  const calls: string[] = [];
  const s = fakeSession(calls);
  const run = runSession(s, cfg(), silentLogger(), { stop: new Promise(() => undefined), onStarted: () => s.emit('end', '--duration 2 s reached') });
  assert.deepEqual(await run, { code: 0, reason: '--duration 2 s reached' });
});

test('--stats-json to a path that cannot be written: one clear UserError (exit 1), and the session is never started', async () => {
  const calls: string[] = [];
  const path = join(tmpDir(), 'no-such-dir', 'stats.jsonl');
  await assert.rejects(
    runSession(fakeSession(calls), cfg({ statsJson: path }), silentLogger(), { stop: new Promise(() => undefined) }),
    (err: unknown) => {
      assert.ok(err instanceof UserError, String(err));
      assert.equal(err.exitCode, 1);
      assert.equal(err.message, `--stats-json ${path}: cannot write it (no such file or directory) — choose another path`);
      return true;
    },
  );
  assert.deepEqual(calls, ['recorder.stop', 'session.stop', 'final']);
});
