import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateLaunch } from '../../src/commands/launch-check.js';
import { initialLaunchState } from '../../src/ui/state/launch-reducer.js';

const start = () => initialLaunchState({ mode: 'send', protocol: 'udp', host: '127.0.0.1', port: '12345', source: 'mic', sink: 'speaker' });

test('a bad port or source is one line, a good form is null', () => {
  const v = start();
  assert.equal(validateLaunch(v), null);
  assert.match(validateLaunch({ ...v, port: '70000' }) ?? '', /port/);
  assert.match(validateLaunch({ ...v, source: 'piano' }) ?? '', /source/);
  assert.equal(validateLaunch({ ...v, mode: 'receive', source: 'piano' }), null, 'the source is not the receiver’s business');
});
