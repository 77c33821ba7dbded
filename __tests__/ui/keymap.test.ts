import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandFor, parseSeconds, type KeyPress } from '../../src/ui/keymap.js';

const none: KeyPress = { ctrl: false, return: false, escape: false, backspace: false, delete: false };

test('r, t, l, ? and q map to their commands', () => {
  assert.deepEqual(['r', 't', 'l', '?', 'q'].map((k) => commandFor(k, none, 'none')?.type), ['toggle-record', 'timed-record', 'cycle-log', 'help', 'quit']);
});

test('Ctrl-C quits from anywhere, even the prompt', () => {
  for (const o of ['none', 'help', 'prompt'] as const) assert.equal(commandFor('c', { ...none, ctrl: true }, o)?.type, 'quit');
});

test('in the prompt letters are not commands: r does not toggle recording', () => {
  assert.equal(commandFor('r', none, 'prompt'), null);
  assert.deepEqual(commandFor('7', none, 'prompt'), { type: 'prompt-type', text: '7' });
  assert.equal(commandFor('', { ...none, return: true }, 'prompt')?.type, 'prompt-submit');
});

test('seconds must be a positive number', () => {
  assert.deepEqual(parseSeconds('2.5'), { ok: true, value: 2.5 });
  assert.equal(parseSeconds('0').ok, false);
  assert.equal(parseSeconds('').ok, false);
  assert.equal(parseSeconds('1.2.3').ok, false);
});
