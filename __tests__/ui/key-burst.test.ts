import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitBurst, type Key } from '../../src/ui/key-burst.js';

const none: Key = { ctrl: false, return: false, escape: false, backspace: false, delete: false, tab: false, shift: false, upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, meta: false };
const names = (input: string) =>
  splitBurst(input, none).map(([i, k]) => (k.delete ? 'DEL' : k.return ? 'RET' : k.tab ? 'TAB' : k.ctrl ? `^${i}` : i));

test('a burst of three Backspaces is three Backspaces', () => {
  assert.deepEqual(names('\x7f\x7f\x7f'), ['DEL', 'DEL', 'DEL']);
});

test('text, Backspace, Tab and Enter in one read keep their order; Ctrl-C stays Ctrl-C', () => {
  assert.deepEqual(names('ab\x7fc\tx\r\x03'), ['a', 'b', 'DEL', 'c', 'TAB', 'x', 'RET', '^c']);
});

test('a key that came alone is passed through as Ink parsed it', () => {
  const up = { ...none, upArrow: true };
  assert.deepEqual(splitBurst('', up), [['', up]]);
  assert.deepEqual(splitBurst('é', none), [['é', none]]);
});
