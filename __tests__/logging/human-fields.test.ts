// What a human stderr line keeps of a log line's fields (the file keeps them all).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { formatFields, formatHuman, mentions, type LogEntry } from '../../src/logging/log-line.js';
import { createLogger } from '../../src/logging/logger.js';

const T = new Date(2024, 0, 2, 12, 1, 2, 345).getTime();
const line = (msg: string, fields: Record<string, unknown>, component = 'app'): LogEntry => ({ time: T, level: 'info', component, msg, fields });

test('a nested object (the whole config) stays off the human line', () => {
  const options = { protocol: 'udp', port: 40999, format: { rate: 44100, channels: 1 }, log: { file: 'audio_stream.log' } };
  assert.equal(formatHuman(line('streamer send starting', { role: 'send', options })), '12:01:02.345 INFO  app   streamer send starting');
});

test('the exit line shows its reason once, without the final stats object', () => {
  const final = { role: 'sender', sent: 101, bytes: 90294, bitrateKbps: 720, peakDbfs: -6 };
  const reason = '--duration 1 s reached';
  assert.equal(formatHuman(line(`exit: ${reason}`, { reason, final })), '12:01:02.345 INFO  app   exit: --duration 1 s reached');
});

test('fields the message already says are left out; a short one it does not say stays', () => {
  const msg = 'sending tone 440 Hz (L16 44100 Hz mono, 10 ms frames) over UDP to 127.0.0.1:40999';
  const fields = { to: '127.0.0.1:40999', protocol: 'udp', format: 'L16 44100 Hz mono', frameMs: 10, ssrc: 2386304979 };
  assert.equal(formatFields(fields, msg), 'ssrc=2386304979');
});

test('a long string value stays in the file only', () => {
  assert.equal(formatFields({ detail: 'x'.repeat(80), n: 3 }, 'something happened'), 'n=3');
});

test("an error shows by its message, unless the line's message already is it", () => {
  const err = { type: 'Error', message: 'device lost', stack: 'Error: device lost\n    at x' };
  assert.equal(formatFields({ err }, 'start failed'), 'err="device lost"');
  assert.equal(formatFields({ err }, 'device lost'), '');
});

test('a value inside a longer token is not taken as said: n=1 next to 127.0.0.1, n=5 next to 50', () => {
  assert.equal(mentions('peer 127.0.0.1 left', '1'), false);
  assert.equal(mentions('50 packets', '5'), false);
  assert.equal(mentions('gave up after 5.', '5'), true);
  assert.equal(mentions('over UDP to x', 'udp'), true);
  assert.equal(mentions('listening on UDP 127.0.0.1:40999', '127.0.0.1'), true);
  assert.equal(mentions('listening on UDP 127.0.0.1:40999', '40999'), true);
});

test('without a message, formatFields still lists every field (other callers)', () => {
  assert.equal(formatFields({ a: 1, o: { b: 2 } }), 'a=1 o={"b":2}');
});

test('the log file keeps every field while stderr shows only the message', async () => {
  const file = path.join(fs.mkdtempSync(os.tmpdir() + '/streamer-'), 'log');
  const err = new PassThrough();
  let shown = '';
  err.on('data', (d: Buffer) => (shown += d.toString()));
  const log = createLogger({ file, maxSize: '5M', maxFiles: 3, level: 'info', stderr: 'human', stderrStream: err });
  log.child('app').info({ role: 'send', options: { port: 40999, log: { file: 'x' } } }, 'streamer send starting');
  await log.close();
  const rec = JSON.parse(fs.readFileSync(file, 'utf8').trim()) as Record<string, unknown>;
  assert.deepEqual([rec['role'], rec['options']], ['send', { port: 40999, log: { file: 'x' } }]);
  assert.match(shown, / INFO  app   streamer send starting\n$/);
});
