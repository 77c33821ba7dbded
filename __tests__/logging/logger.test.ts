import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import {
  createLogger,
  LogFileError,
  LogOptionsError,
  silentLogger,
  type LogOptions,
} from '../../src/logging/logger.js';

const tmp = (): string => fs.mkdtempSync(os.tmpdir() + '/streamer-');
const opts = (file: string, over: Partial<LogOptions> = {}): LogOptions => ({
  file,
  maxSize: '5M',
  maxFiles: 3,
  level: 'info',
  stderr: false,
  ...over,
});
const readLines = (file: string): string[] => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const parsed = (file: string): Record<string, unknown>[] => readLines(file).map((l) => JSON.parse(l) as Record<string, unknown>);

test('with 20K and 2 files the directory holds the current file and at most 2 rotated ones, all valid JSON lines', async () => {
  const dir = tmp();
  const file = path.join(dir, 'audio_stream.log');
  const log = createLogger(opts(file, { maxSize: '20K', maxFiles: 2, level: 'trace' }));
  const net = log.child('net');
  const N = 3000; // ~150 bytes each: about 20 rotations
  for (let i = 0; i < N; i++) net.trace({ seq: i, ts: i * 441, bytes: 882 }, 'packet received');
  await log.close();

  assert.deepEqual(fs.readdirSync(dir).sort(), ['audio_stream.log', 'audio_stream.log.1', 'audio_stream.log.2']);
  let total = 0;
  for (const name of fs.readdirSync(dir)) {
    const f = path.join(dir, name);
    // rotation happens after the write that reaches the size, so a file may pass it by one line
    assert.ok(fs.statSync(f).size < 20 * 1024 + 200, `${name} is ${fs.statSync(f).size} bytes`);
    for (const rec of parsed(f)) {
      assert.equal(rec['level'], 10);
      assert.equal(typeof rec['time'], 'number');
      assert.equal(rec['msg'], 'packet received');
      assert.equal(rec['component'], 'net');
      total++;
    }
  }
  // the newest lines survive, in order, ending with the last one written
  const last = parsed(file).at(-1);
  assert.equal(last?.['seq'], N - 1);
  assert.ok(total > 300 && total < N);
});

test('a relative log path is taken from the current directory', async () => {
  const dir = tmp();
  const before = process.cwd();
  process.chdir(dir);
  fs.mkdirSync(path.join(dir, 'rel', 'dir'), { recursive: true });
  try {
    const log = createLogger(opts('rel/dir/app.log'));
    log.root.info('hello');
    await log.close();
  } finally {
    process.chdir(before);
  }
  assert.equal(parsed(path.join(dir, 'rel/dir/app.log'))[0]?.['msg'], 'hello');
});

test('child loggers add their component and are reused by name', async () => {
  const file = path.join(tmp(), 'a.log');
  const log = createLogger(opts(file));
  assert.equal(log.child('audio'), log.child('audio'));
  log.child('audio').info('device opened');
  log.child('record').warn({ path: 'x.wav' }, 'disk slow');
  log.root.info('no component');
  await log.close();
  const recs = parsed(file);
  assert.deepEqual(recs.map((r) => [r['component'], r['level'], r['msg']]), [
    ['audio', 30, 'device opened'],
    ['record', 40, 'disk slow'],
    [undefined, 30, 'no component'],
  ]);
});

test('setLevel changes what the root and existing children write', async () => {
  const file = path.join(tmp(), 'a.log');
  const log = createLogger(opts(file, { level: 'info' }));
  const net = log.child('net');
  const ui = log.child('ui');
  ui.level = 'error'; // set on its own once: setLevel still governs it
  net.debug('hidden 1');
  log.setLevel('debug');
  net.debug('shown 1');
  log.root.debug('shown 2');
  ui.debug('shown 2b');
  log.setLevel('warn');
  net.info('hidden 2');
  log.root.warn('shown 3');
  await log.close();
  assert.deepEqual(parsed(file).map((r) => r['msg']), ['shown 1', 'shown 2', 'shown 2b', 'shown 3']);
});

test('close() is idempotent, leaves every line on disk, and later lines are dropped quietly', async () => {
  const file = path.join(tmp(), 'a.log');
  const log = createLogger(opts(file));
  const N = 5000;
  for (let i = 0; i < N; i++) log.root.info({ i }, 'line');
  const first = log.close();
  const second = log.close();
  await Promise.all([first, second]);
  await log.close();
  log.root.info('after close'); // must not throw
  const recs = parsed(file);
  assert.equal(recs.length, N);
  assert.deepEqual(recs.map((r) => r['i']), Array.from({ length: N }, (_, i) => i));
});

test('stderr "human" prints readable lines with extra fields, the file still gets JSON', async () => {
  const file = path.join(tmp(), 'a.log');
  const err = new PassThrough();
  let out = '';
  err.on('data', (d: Buffer) => (out += d.toString()));
  const log = createLogger(opts(file, { stderr: 'human', stderrStream: err }));
  log.child('net').warn({ expected: 7, got: 9 }, 'sequence gap');
  await log.close();
  assert.match(out, /^\d\d:\d\d:\d\d\.\d{3} WARN  net   sequence gap expected=7 got=9\n$/);
  assert.equal(parsed(file)[0]?.['expected'], 7);
});

test('stderr "json" prints the raw JSON lines', async () => {
  const file = path.join(tmp(), 'a.log');
  const err = new PassThrough();
  let out = '';
  err.on('data', (d: Buffer) => (out += d.toString()));
  const log = createLogger(opts(file, { stderr: 'json', stderrStream: err }));
  log.child('ui').info('drawn');
  await log.close();
  assert.equal(out, fs.readFileSync(file, 'utf8'));
  assert.equal((JSON.parse(out) as Record<string, unknown>)['component'], 'ui');
});

test('errors keep their stack in the file', async () => {
  const file = path.join(tmp(), 'a.log');
  const log = createLogger(opts(file));
  log.child('audio').error({ err: new Error('device lost') }, 'capture stopped');
  await log.close();
  const rec = parsed(file)[0];
  const e = rec?.['err'] as { message?: string; stack?: string } | undefined;
  assert.equal(e?.message, 'device lost');
  assert.match(e?.stack ?? '', /Error: device lost\n\s+at /);
});

test('bad options are refused with one clear typed error', () => {
  const file = path.join(tmp(), 'a.log');
  assert.throws(() => createLogger(opts(file, { maxSize: '5X' })), (e) => e instanceof LogOptionsError && /5X/.test(e.message));
  assert.throws(() => createLogger(opts(file, { maxFiles: 0 })), LogOptionsError);
  assert.throws(() => createLogger(opts(file, { maxFiles: 1.5 })), LogOptionsError);
  assert.throws(() => createLogger(opts(file, { level: 'loud' as 'info' })), LogOptionsError);
});

test('a log directory that does not exist is a LogFileError, not made silently (a file sink refuses the same path)', () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'plain-file'), '');
  assert.throws(() => createLogger(opts(path.join(dir, 'plain-file', 'a.log'))), LogFileError);
  assert.throws(() => createLogger(opts(path.join(dir, 'missing', 'a.log'))), /directory .*missing does not exist/);
  assert.equal(fs.existsSync(path.join(dir, 'missing')), false);
});

test('a log file that cannot be opened is reported once through onError, and logging goes on quietly', async () => {
  const dir = tmp(); // a directory where the file should be
  const errors: Error[] = [];
  const log = createLogger(opts(dir, { onError: (e) => errors.push(e) }));
  log.root.info('one');
  await new Promise((r) => setTimeout(r, 50));
  log.root.info('two');
  await log.close();
  assert.equal(errors.length, 1);
});

test('silentLogger accepts every call and writes nothing to the current directory', async () => {
  const dir = tmp();
  const before = process.cwd();
  process.chdir(dir);
  try {
    const log = silentLogger();
    log.setLevel('trace');
    log.child('net').trace({ seq: 1 }, 'packet');
    log.root.error(new Error('x'));
    await log.close();
    await log.close();
  } finally {
    process.chdir(before);
  }
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('onWritten is called once a line is in the file, so a reader told then finds it', async () => {
  const file = path.join(tmp(), 'w.log');
  const seen: string[] = [];
  let told: () => void = () => undefined;
  const first = new Promise<void>((r) => (told = r));
  const log = createLogger({
    ...opts(file),
    onWritten: () => {
      seen.push(fs.readFileSync(file, 'utf8'));
      told();
    },
  });
  assert.equal(seen.length, 0, 'nothing logged, nothing said');
  log.root.info('first line');
  await first;
  assert.match(seen[0]!, /first line/, 'the line is readable when the news comes');
  await log.close();
});
