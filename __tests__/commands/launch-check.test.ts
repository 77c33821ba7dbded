import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLaunch, validateLaunch } from '../../src/commands/launch-check.js';
import { UserError } from '../../src/shared/errors.js';
import { initialLaunchState } from '../../src/ui/state/launch-reducer.js';

const start = () => initialLaunchState({ mode: 'send', protocol: 'udp', host: '127.0.0.1', port: '12345', source: 'mic', sink: 'speaker' });

test('a bad port or source is one line, a good form is null', () => {
  const v = start();
  assert.equal(validateLaunch(v), null);
  assert.match(validateLaunch({ ...v, port: '70000' }) ?? '', /port/);
  assert.match(validateLaunch({ ...v, source: 'piano' }) ?? '', /source/);
  assert.equal(validateLaunch({ ...v, mode: 'receive', source: 'piano' }), null, 'the source is not the receiver’s business');
});

test('a sender’s host that does not resolve is the one line the command would fail with', async () => {
  const asked: string[] = [];
  const resolve = (host: string) => {
    asked.push(host);
    return host === 'exmaple.com' ? Promise.reject(new UserError(`cannot resolve host "${host}": host not found`, 1, 'host')) : Promise.resolve();
  };
  const v = start();
  assert.equal(await checkLaunch({ ...v, host: 'exmaple.com' }, resolve), 'cannot resolve host "exmaple.com": host not found');
  assert.equal(await checkLaunch({ ...v, host: 'example.com' }, resolve), null);
  assert.match((await checkLaunch({ ...v, host: ' ' }, resolve)) ?? '', /^host: say where to send/);
  assert.equal(await checkLaunch({ ...v, mode: 'receive', host: 'exmaple.com' }, resolve), null, 'the receiver sends nowhere');
  assert.deepEqual(asked, ['exmaple.com', 'example.com'], 'an empty host or a receiver asks no resolver');
});

test('by default the host is looked up as the sender does: a .invalid name does not resolve, localhost does', async () => {
  const v = start();
  assert.match((await checkLaunch({ ...v, host: 'no-such-host.invalid' })) ?? '', /^cannot resolve host "no-such-host\.invalid": /);
  assert.equal(await checkLaunch({ ...v, host: 'localhost' }), null);
});
