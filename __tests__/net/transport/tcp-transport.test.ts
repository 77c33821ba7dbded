import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { TcpReceiver } from '../../../src/net/transport/tcp-transport.js';
import { frame } from '../../../src/net/transport/rfc4571.js';

const PACKET = Buffer.from([0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);

/** A receiver on a loopback port with one client connected to it. */
async function connected(t: TestContext, opts: { idleTimeoutMs: number; now?: () => number }) {
  const rx = await TcpReceiver.listen('127.0.0.1', 0, opts);
  const accepted = once(rx, 'connected');
  const client = net.connect(rx.port, '127.0.0.1');
  let closing: Promise<void> | undefined;
  // Within the test, while its mocked timers are the ones the connection's idle check was made with.
  const close = (): Promise<void> => (closing ??= (client.destroy(), rx.close()));
  t.after(close);
  await accepted;
  /** What the receiver does with the next packet: takes it, or has already dropped the connection. */
  const next = (): Promise<string> =>
    new Promise((resolve) => {
      rx.once('packet', () => resolve('packet'));
      rx.once('disconnected', (_peer, reason) => resolve(`disconnected: ${reason}`));
      client.write(frame(PACKET));
    });
  return { rx, next, close };
}

test('TcpReceiver drops a connection without a whole packet for the idle timeout, on its clock', async (t) => {
  let now = 0;
  const { rx, next, close } = await connected(t, { idleTimeoutMs: 20, now: () => now });
  assert.equal(await next(), 'packet');
  const dropped = once(rx, 'disconnected');
  now = 20; // the clock says 20 ms without a packet; the real interval's next check sees it
  assert.equal((await dropped)[1], 'idle timeout');
  await close();
});

test('TcpReceiver: a wall-clock step does not drop a live connection (idle time is measured on the monotonic clock)', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval', 'Date'], now: Date.now() });
  const { next, close } = await connected(t, { idleTimeoutMs: 5000 });
  assert.equal(await next(), 'packet');
  // The wall clock moves an hour (NTP, the user setting it) while the monotonic one does not; the idle checks run.
  t.mock.timers.tick(3_600_000);
  assert.equal(await next(), 'packet');
  await close();
});
