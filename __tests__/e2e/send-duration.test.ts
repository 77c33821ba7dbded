// `send --duration S` sends exactly S s of audio: counted at a real receiving socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { join } from 'node:path';
import { freePort, sleep, streamer, tmpDir } from '../helpers/cli.js';

// Audit: 2 s sent 201 packets (a pacer tick at t = 0 and one at t = 2000 ms, before the wall-clock timer).
test('send --duration 2 --frame-ms 10 sends exactly 200 packets', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const sock = dgram.createSocket('udp4');
  let packets = 0;
  sock.on('message', () => packets++);
  await new Promise<void>((resolve) => sock.bind(port, '127.0.0.1', resolve));
  try {
    const tx = streamer(['send', '--headless', '--port', String(port), '--source', 'tone', '--duration', '2', '--frame-ms', '10', '--log-file', join(dir, 'log')], { cwd: dir });
    assert.equal((await tx.exited).code, 0, tx.stderr());
    await sleep(300); // datagrams still in flight on loopback
    assert.equal(packets, 200);
  } finally {
    sock.close();
  }
});
