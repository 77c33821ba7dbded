import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatHuman, parseLogLine, type LogEntry } from '../../src/logging/log-line.js';

// Built from local components so the expected HH:MM:SS.mmm holds in any time zone.
const T = new Date(2024, 0, 2, 12, 1, 2, 345).getTime();

test('parseLogLine maps a pino line with a numeric level', () => {
  const line = JSON.stringify({ level: 40, time: T, pid: 7, hostname: 'h', component: 'net', msg: 'sequence gap', expected: 7, got: 9 });
  assert.deepEqual(parseLogLine(line), {
    time: T,
    level: 'warn',
    component: 'net',
    msg: 'sequence gap',
    fields: { expected: 7, got: 9 },
  });
});

test('parseLogLine maps every pino level, fatal shown as error, labels accepted', () => {
  const levelOf = (level: unknown) => parseLogLine(JSON.stringify({ level, time: T, msg: 'x' }))?.level;
  assert.deepEqual([10, 20, 30, 40, 50, 60].map(levelOf), ['trace', 'debug', 'info', 'warn', 'error', 'error']);
  assert.equal(levelOf('warn'), 'warn');
  assert.equal(levelOf('FATAL'), 'error');
});

test('parseLogLine gives empty component and msg when the line has none', () => {
  assert.deepEqual(parseLogLine(`{"level":30,"time":${T}}`), { time: T, level: 'info', component: '', msg: '' });
});

test('parseLogLine returns undefined for junk', () => {
  const junk = [
    '',
    'not json',
    '{"level":30,"time":1',
    '[1,2,3]',
    'null',
    '"a string"',
    '{"msg":"no level or time"}',
    '{"level":30,"time":"yesterday","msg":"x"}',
    '{"level":"loud","time":1,"msg":"x"}',
    '\u0000\u0001binary',
  ];
  for (const line of junk) assert.equal(parseLogLine(line), undefined, line);
});

test('formatHuman prints time, level, component, message and extra fields compactly', () => {
  const e: LogEntry = { time: T, level: 'warn', component: 'net', msg: 'sequence gap', fields: { expected: 7, got: 9 } };
  assert.equal(formatHuman(e), '12:01:02.345 WARN  net   sequence gap expected=7 got=9');
});

test('formatHuman quotes strings with spaces, shows an error by its message, marks a missing component', () => {
  const err = { type: 'Error', message: 'device lost', stack: 'Error: device lost\n    at x' };
  const e: LogEntry = { time: T, level: 'error', component: '', msg: 'stopped', fields: { err, peer: '10.0.0.2:5004', why: 'two words' } };
  assert.equal(formatHuman(e), '12:01:02.345 ERROR -     stopped err="device lost" peer=10.0.0.2:5004 why="two words"');
});

test('formatHuman colours only the level label, and only when asked', () => {
  const e: LogEntry = { time: T, level: 'info', component: 'audio', msg: 'started' };
  assert.equal(formatHuman(e, { color: true }), '12:01:02.345 \x1b[32mINFO \x1b[0m audio started');
  assert.doesNotMatch(formatHuman(e), /\x1b/);
});
