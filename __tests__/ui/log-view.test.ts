import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogEntry } from '../../src/logging/log-line.js';
import { logLineText, visibleLines } from '../../src/ui/log-view.js';

const e = (level: LogEntry['level'], msg: string): LogEntry => ({ time: 0, level, component: 'net', msg });
const entries = [e('info', 'a'), e('warn', 'b'), e('debug', 'c'), e('error', 'd'), e('info', 'e')];

test('the pane keeps the last lines at the chosen level and above, oldest first', () => {
  assert.deepEqual(visibleLines(entries, 'warn', 10).map((x) => x.msg), ['b', 'd']);
  assert.deepEqual(visibleLines(entries, 'info', 2).map((x) => x.msg), ['d', 'e']);
  assert.deepEqual(visibleLines(entries, 'trace', 0), []);
});

test('a line reads time, level, component, message and fields', () => {
  assert.match(logLineText({ ...e('warn', 'gap'), fields: { n: 2 } }), /^\d\d:\d\d:\d\d WARN  net    gap n=2$/);
});
