/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogEntry } from '../../../src/logging/log-line.js';
import { LogPane } from '../../../src/ui/components/LogPane.js';
import { Section } from '../../../src/ui/components/Section.js';
import { ANSI, colorAt, colorFrame, plainFrame } from './color.js';

const entry = (level: LogEntry['level'], msg: string): LogEntry => ({ time: Date.UTC(2026, 0, 1, 12, 0, 0), level, component: 'net', msg });

test('the log pane colours by level as SPEC §7 says: info plain, warn yellow, error red', () => {
  const f = colorFrame(<LogPane entries={[entry('info', 'all fine'), entry('warn', 'a gap'), entry('error', 'it broke')]} level="info" rows={3} />);
  assert.equal(colorAt(f, 'all fine'), null, 'info is plain, not green');
  assert.doesNotMatch(f.split('\n')[0]!, /\x1b\[3\dm/, 'no colour anywhere on the info row');
  assert.equal(colorAt(f, 'a gap'), ANSI.yellow);
  assert.equal(colorAt(f, 'it broke'), ANSI.red);
});

test('a rule spans the whole width it is given', () => {
  for (const width of [40, 80, 100]) {
    const f = plainFrame(<Section title="History" width={width} />);
    assert.equal(f.length, width, `${f.length} at ${width}: ${f}`);
    assert.match(f, /^── History ─+$/);
  }
});
