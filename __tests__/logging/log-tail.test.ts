import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../../src/logging/logger.js';
import { LogTail } from '../../src/logging/log-tail.js';
import type { LogEntry } from '../../src/logging/log-line.js';

const tmp = (): string => fs.mkdtempSync(os.tmpdir() + '/streamer-');
const line = (i: number): string => `${JSON.stringify({ level: 30, time: 1000 + i, component: 't', msg: `m${i}` })}\n`;
const lines = (...ns: number[]): string => ns.map(line).join('');
const msgs = (es: readonly LogEntry[]): string[] => es.map((e) => e.msg);
const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

/** A tail driven by hand (no timer), with the messages it emitted. */
function manualTail(file: string, keep?: number): { tail: LogTail; seen: string[] } {
  const tail = new LogTail({ file, ...(keep === undefined ? {} : { keep }) });
  const seen: string[] = [];
  tail.on('line', (e) => seen.push(e.msg));
  return { tail, seen };
}

// What this pins, and its limit: between two polls the tail recovers from as many rotations
// as there are rotated files kept (maxFiles), because it finds the file it was reading among
// file.1 … file.N. Rotating more than maxFiles times between two polls deletes lines it never
// read; that cannot be recovered, so the writer below pauses between bursts to keep the number
// of rotations per poll well under 2 even on a busy machine.
test('the tail follows the real logger across several rotations without losing or repeating a line', async () => {
  const file = path.join(tmp(), 'audio_stream.log');
  const log = createLogger({ file, maxSize: '20K', maxFiles: 2, level: 'trace', stderr: false });
  const tail = new LogTail({ file, keep: 10_000, pollMs: 20 });
  const seen: number[] = [];
  tail.on('line', (e) => seen.push(Number(e.fields?.['n'])));
  tail.start();
  const net = log.child('net');
  const N = 2000; // ~125 bytes a line: about 12 rotations, one every ~4 bursts
  for (let n = 0; n < N; n++) {
    net.info({ n, pad: 'x'.repeat(40) }, 'numbered line');
    if (n % 40 === 39) await sleep(30);
  }
  await log.close();
  tail.stop();
  await tail.poll(); // the timer may have stopped before the last lines: read them now
  assert.ok(fs.existsSync(`${file}.2`), 'the run rotated at least twice');
  assert.deepEqual(seen, range(0, N));
  assert.deepEqual(tail.lines().map((e) => e.fields?.['n']), range(0, N));
});

test('a partial last line is held until its newline arrives', async () => {
  const file = path.join(tmp(), 'a.log');
  const whole = line(1);
  fs.writeFileSync(file, line(0) + whole.slice(0, 20));
  const { tail, seen } = manualTail(file);
  await tail.poll();
  assert.deepEqual(seen, ['m0']);
  fs.appendFileSync(file, whole.slice(20));
  await tail.poll();
  assert.deepEqual(seen, ['m0', 'm1']);
});

test('a missing file is waited for, without error', async () => {
  const file = path.join(tmp(), 'later', 'a.log');
  const { tail, seen } = manualTail(file);
  const errors: Error[] = [];
  tail.on('error', (e) => errors.push(e));
  await tail.poll();
  await tail.poll();
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(file, lines(0, 1));
  await tail.poll();
  assert.deepEqual(seen, ['m0', 'm1']);
  assert.deepEqual(errors, []);
});

test('a rotation seen between the rename and the new file finishes the old file, then reads the new one once', async () => {
  const file = path.join(tmp(), 'a.log');
  fs.writeFileSync(file, lines(0));
  const { tail, seen } = manualTail(file);
  await tail.poll();
  fs.appendFileSync(file, lines(1, 2));
  fs.renameSync(file, `${file}.1`);
  await tail.poll(); // no current file at this moment
  assert.deepEqual(seen, ['m0', 'm1', 'm2']);
  fs.writeFileSync(file, lines(3));
  await tail.poll();
  await tail.poll();
  assert.deepEqual(seen, ['m0', 'm1', 'm2', 'm3']);
});

test('two rotations between polls lose and repeat nothing', async () => {
  const file = path.join(tmp(), 'a.log');
  fs.writeFileSync(file, lines(0));
  const { tail, seen } = manualTail(file);
  await tail.poll();
  fs.appendFileSync(file, lines(1)); // unread tail of the file being followed
  fs.renameSync(file, `${file}.1`);
  fs.writeFileSync(file, lines(2, 3)); // a whole file never seen
  fs.renameSync(`${file}.1`, `${file}.2`);
  fs.renameSync(file, `${file}.1`);
  fs.writeFileSync(file, lines(4));
  await tail.poll();
  fs.appendFileSync(file, lines(5));
  await tail.poll();
  assert.deepEqual(seen, ['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
});

test('a file truncated in place is read again from its start', async () => {
  const file = path.join(tmp(), 'a.log');
  fs.writeFileSync(file, lines(0, 1, 2));
  const { tail, seen } = manualTail(file);
  await tail.poll();
  fs.truncateSync(file, 0);
  fs.appendFileSync(file, lines(3));
  await tail.poll();
  assert.deepEqual(seen, ['m0', 'm1', 'm2', 'm3']);
});

test('junk lines are skipped and the rest parsed into entries', async () => {
  const file = path.join(tmp(), 'a.log');
  fs.writeFileSync(file, `${line(0)}not json\n\n{"half":\n${line(1)}`);
  const { tail } = manualTail(file);
  await tail.poll();
  assert.deepEqual(tail.lines(), [
    { time: 1000, level: 'info', component: 't', msg: 'm0' },
    { time: 1001, level: 'info', component: 't', msg: 'm1' },
  ]);
});

test('lines() keeps only the last `keep` entries, oldest first', async () => {
  const file = path.join(tmp(), 'a.log');
  fs.writeFileSync(file, lines(...range(0, 10)));
  const { tail } = manualTail(file, 3);
  await tail.poll();
  assert.deepEqual(msgs(tail.lines()), ['m7', 'm8', 'm9']);
});

test('on start, a large existing file is shown from its recent end only', async () => {
  const file = path.join(tmp(), 'a.log');
  fs.writeFileSync(file, lines(...range(0, 10_000))); // ~700 KB
  const { tail, seen } = manualTail(file, 5);
  await tail.poll();
  assert.deepEqual(msgs(tail.lines()), ['m9995', 'm9996', 'm9997', 'm9998', 'm9999']);
  assert.ok(seen.length < 10_000 && seen.length > 1000);
  assert.ok(seen.every((m, i) => i === 0 || Number(m.slice(1)) === Number(seen[i - 1]?.slice(1)) + 1));
});

test('start() and stop() are safe to call twice, and the timer polls on its own', async () => {
  const file = path.join(tmp(), 'a.log');
  fs.writeFileSync(file, lines(0));
  const tail = new LogTail({ file, pollMs: 10 });
  const keepAlive = setInterval(() => undefined, 1000); // the tail's timer is unref'd on purpose
  const seen: string[] = [];
  tail.on('line', (e) => seen.push(e.msg));
  const got = new Promise<LogEntry>((resolve) => tail.once('line', resolve));
  tail.start();
  tail.start();
  assert.equal((await got).msg, 'm0');
  tail.stop();
  tail.stop();
  fs.appendFileSync(file, lines(1));
  await sleep(50);
  clearInterval(keepAlive);
  assert.deepEqual(seen, ['m0']); // no event after stop(), even from a poll under way
});
