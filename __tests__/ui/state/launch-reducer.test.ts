import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  initialLaunchState,
  launchCommandFor,
  launchReducer,
  type LaunchAction,
  type LaunchState,
} from '../../../src/ui/state/launch-reducer.js';

const start = (): LaunchState => initialLaunchState({ mode: 'send', protocol: 'udp', host: '127.0.0.1', port: '12345', source: 'mic', sink: 'speaker' });
const run = (actions: LaunchAction[], s = start()): LaunchState => actions.reduce(launchReducer, s);
const key = { ctrl: false, return: false, escape: false, backspace: false, delete: false, tab: false, shift: false, upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, meta: false };

test('r on the mode field picks receive, t on the protocol field picks TCP', () => {
  let s = start();
  for (const [input, k] of [['r', key], ['', { ...key, downArrow: true }], ['t', key]] as const) {
    const cmd = launchCommandFor(input, k, s.focus);
    assert.ok(cmd && cmd.type !== 'submit' && cmd.type !== 'quit');
    s = launchReducer(s, cmd);
  }
  assert.equal(s.mode, 'receive');
  assert.equal(s.protocol, 'tcp');
});

test('space toggles the protocol back and forth', () => {
  const s = run([{ type: 'next' }, { type: 'toggle' }]);
  assert.equal(s.protocol, 'tcp');
  assert.equal(launchReducer(s, { type: 'toggle' }).protocol, 'udp');
});

test('the receiver form has no host; moving wraps around', () => {
  const s = run([{ type: 'set-mode', mode: 'receive' }, { type: 'prev' }]);
  assert.equal(s.focus, 'sink');
});

test('letters type into text fields; the port takes only digits', () => {
  let s = run([{ type: 'next' }, { type: 'next' }, { type: 'next' }]);
  assert.equal(s.focus, 'port');
  s = run([{ type: 'backspace' }, { type: 'backspace' }, { type: 'backspace' }, { type: 'backspace' }, { type: 'type', text: 'x' }, { type: 'type', text: '04' }], s);
  assert.equal(s.port, '104');
  assert.deepEqual(launchCommandFor('s', key, 'source'), { type: 'type', text: 's' });
});

test('Enter submits, Esc quits', () => {
  assert.equal(launchCommandFor('', { ...key, return: true }, 'host')?.type, 'submit');
  assert.equal(launchCommandFor('', { ...key, escape: true }, 'mode')?.type, 'quit');
});

test('a check’s answer lands only while the form is as it was checked: an edit drops it', () => {
  const checking = run([{ type: 'check', id: 1 }]);
  assert.equal(checking.checking, 1);
  assert.deepEqual(launchReducer(checking, { type: 'checked', id: 1, error: 'cannot resolve host "x": host not found' }), { ...checking, checking: null, error: 'cannot resolve host "x": host not found' });
  const edited = run([{ type: 'next' }, { type: 'next' }, { type: 'type', text: 'x' }], checking);
  assert.equal(edited.checking, null);
  assert.equal(launchReducer(edited, { type: 'checked', id: 1, error: 'late' }), edited, 'the late answer changes nothing');
});
