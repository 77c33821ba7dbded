/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { ThemeProvider } from '../../../src/ui/contexts/theme-context.js';
import { validateLaunch } from '../../../src/commands/launch-check.js';
import { LaunchScreen } from '../../../src/ui/screens/LaunchScreen.js';
import type { LaunchValues } from '../../../src/ui/state/launch-reducer.js';
import { listening, until } from '../fakes.js';

const initial: LaunchValues = { mode: 'send', protocol: 'udp', host: '127.0.0.1', port: '5004', source: 'tone', sink: 'null' };

/** The launch screen with `validate`, collecting what it starts with into `done`. */
function mount(values: LaunchValues, validate: (v: LaunchValues) => string | null | Promise<string | null>, done: (LaunchValues | null)[]) {
  const r = render(
    <ThemeProvider theme={{ color: false }}>
      <LaunchScreen initial={values} validate={validate} onDone={(v) => done.push(v)} />
    </ThemeProvider>,
  );
  return { r, frame: () => r.lastFrame() ?? '' };
}

test('the launch screen shows the flags’ values and starts with what was picked', async () => {
  const done: (LaunchValues | null)[] = [];
  const { r, frame } = mount(initial, validateLaunch, done);
  assert.match(await until(frame, (f) => f.includes('Source')), /Host +127\.0\.0\.1[\s\S]*Port +5004[\s\S]*Source +tone/);
  await listening(r.stdin);
  r.stdin.write('r');
  await until(frame, (f) => f.includes('Sink'));
  r.stdin.write('\t');
  await until(frame, (f) => f.includes('› Protocol'));
  r.stdin.write('t');
  await until(frame, (f) => f.includes('[TCP]'));
  r.stdin.write('\r');
  await until(frame, () => done.length > 0);
  r.unmount();
  assert.deepEqual(done, [{ ...initial, mode: 'receive', protocol: 'tcp' }]);
});

test('a burst of keys in one read is every key, in order: backspaces, text and backspaces mixed, then Enter', async () => {
  const done: (LaunchValues | null)[] = [];
  const { r, frame } = mount(initial, validateLaunch, done);
  await listening(r.stdin);
  r.stdin.write('\t');
  r.stdin.write('\t');
  await until(frame, (f) => f.includes('› Host'));
  r.stdin.write('\x7f\x7f\x7f'); // what Ink hands useInput when three Backspaces arrive in one read
  assert.match(await until(frame, (f) => f.includes('127.0.▏')), /Host +127\.0\.▏/);
  r.stdin.write('0.9\x7f2\r');
  await until(frame, () => done.length > 0);
  r.unmount();
  assert.deepEqual(done, [{ ...initial, host: '127.0.0.2' }]);
});

test('Enter waits for the check (“checking…”), and a host that does not resolve leaves the user on the form with the line', async () => {
  const done: (LaunchValues | null)[] = [];
  const checks: { values: LaunchValues; answer: (problem: string | null) => void }[] = [];
  const validate = (values: LaunchValues) => new Promise<string | null>((answer) => checks.push({ values, answer }));
  const { r, frame } = mount({ ...initial, host: 'exmaple.com' }, validate, done);
  await listening(r.stdin);
  r.stdin.write('\r');
  assert.match(await until(frame, (f) => f.includes('checking…')), /checking…/);
  assert.equal(checks.length, 1);
  checks[0]!.answer('cannot resolve host "exmaple.com": host not found');
  const failed = await until(frame, (f) => f.includes('cannot resolve'));
  assert.match(failed, /Host +exmaple\.com[\s\S]*cannot resolve host "exmaple\.com": host not found/);
  assert.doesNotMatch(failed, /checking…/);
  assert.deepEqual(done, [], 'still on the form');

  r.stdin.write('\t\t\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7flocalhost\r');
  await until(frame, () => checks.length === 2);
  assert.equal(checks[1]!.values.host, 'localhost');
  checks[1]!.answer(null);
  await until(frame, () => done.length > 0);
  r.unmount();
  assert.deepEqual(done, [{ ...initial, host: 'localhost' }]);
});

test('an edit while the check runs drops its answer: the form starts only with values that were checked', async () => {
  const done: (LaunchValues | null)[] = [];
  const answers: ((problem: string | null) => void)[] = [];
  const validate = () => new Promise<string | null>((answer) => answers.push(answer));
  const { r, frame } = mount(initial, validate, done);
  await listening(r.stdin);
  r.stdin.write('\t\t\r');
  await until(frame, (f) => f.includes('checking…'));
  r.stdin.write('x');
  await until(frame, (f) => f.includes('127.0.0.1x'));
  answers[0]!(null);
  assert.doesNotMatch(await until(frame, (f) => !f.includes('checking…')), /checking…/);
  await new Promise((settle) => setImmediate(settle));
  r.unmount();
  assert.deepEqual(done, [], 'the answer was for 127.0.0.1, not 127.0.0.1x');
});
